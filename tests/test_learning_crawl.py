"""The learned model in a real night: ``nightly`` refits it from the decisions before its crawl, and
the crawl's score pipeline judges with it (its version in every page's fingerprint, its
similarities among the verdict's signals)."""

from __future__ import annotations

from pathlib import Path

from crawler.demoweb.server import DemoWeb
from crawler.nightly import NightlyConfig, run_nightly
from leads.store import Store
from tests.test_learning_done_when import crawl
from tests.test_learning_signal import decided

CANDIDATE = "cnse.e-cqs.net"  # a demo lookalike, fetched by the crawl as a watched domain


def test_nightly_refits_and_its_crawl_judges_with_the_model(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    sellers, schools = decided("new_wording"), decided("training")
    crawl(store, [*sellers, *schools])
    for pages, state in ((sellers, "confirmed"), (schools, "false_positive")):
        for page in pages:
            store.set_state(store.lead_id(page.url), state, "分析员")  # type: ignore[arg-type]
    store.save_domain_candidates([(CANDIDATE, 80, "cnse.e-cqs.cn", ("域名仿冒",))], "ct")
    store.close()

    with DemoWeb() as web:
        report = run_nightly(NightlyConfig(
            db=str(db), out_dir=tmp_path / "out", proxy=web.proxy_url, max_queries=1,
            no_delay=True, capture=False,
            overrides=("JIAZHENG_FOLLOW_DEPTH=0", "JIAZHENG_BROWSER=False",
                       "JIAZHENG_MAX_SERP_PAGES=1")))
    learned = report.learned
    assert (learned["confirmed"], learned["false_positives"], learned["active"]) == (
        len(sellers), len(schools), True)
    assert learned["previous_version"] == "" and learned["version"]

    store = Store(db)
    versions = {row[0] for row in store.db.execute(
        "SELECT DISTINCT scoring_version FROM pages WHERE run_id = ? AND error = ''",
        [report.crawl_run])}
    assert versions and all(v.endswith(f"+m{learned['version']}") for v in versions), versions
    candidate = store.lead_id(f"https://{CANDIDATE}/")  # the demo site redirects to https
    assert candidate is not None
    signals = store.db["leads"].get(candidate)["signals"]
    assert '"learned.confirmed"' in signals and '"learned.false_positive"' in signals
    store.close()
