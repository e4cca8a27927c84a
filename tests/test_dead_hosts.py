"""Dead is not a lead: behind a Squid-style proxy (the demo web's squid mode), a host that does not
exist is recorded as not resolving by ``check``, the crawl and ``recheck``; it is watched as a
candidate with the page that named it, and a referred lead whose site disappears is taken down."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from crawler.nightly import NightlyConfig, run_nightly
from leads.store import Store
from tests.conftest import make_page

DEAD = "http://zlaq-mohurd-chaxun.top/"  # a lookalike name: judged on its name it would be a lead


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_check_behind_squid_records_the_host_as_not_resolving_and_watches_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.db"
    with DemoWeb(squid=True) as web:
        result = jiazheng("check", DEAD, "https://cx-mem-zhengshu.vip/", "--db", str(db),
                          "--proxy", web.proxy_url, "--no-delay", "--evidence-dir",
                          str(tmp_path / "ev"))
        asked = web.requests_seen
    assert result.returncode == 0, result.stderr[-2000:]
    assert asked.count(("zlaq-mohurd-chaxun.top", "/")) == 1  # the proxy's "no such host" is final
    store = Store(db)
    errors = {row["url"]: row["error"] for row in store.db.query("SELECT url, error FROM pages")}
    assert errors[DEAD] == "dns"
    assert errors["https://cx-mem-zhengshu.vip/"] in ("dns", "refused")  # a refused CONNECT
    assert store.count("leads") == 0
    watched = {row["domain"]: row for row in store.domain_candidates()}
    assert watched["zlaq-mohurd-chaxun.top"]["probe_result"] == "dns"
    assert DEAD in store.pending_candidates(10)  # probed again by the next crawl
    store.close()


def test_a_watched_host_that_answers_later_is_judged_and_no_longer_pending(store: Store) -> None:
    run = store.start_run("crawl search", {})
    dead = make_page(DEAD, role="verification", error="dns", verdict=None, body=b"",
                     error_detail="域名无法解析", parent_url="http://news.example/a")
    store.save_page(run, dead)
    [row] = store.domain_candidates()
    assert row["source"] == "http://news.example/a" and row["fetched_at"] == ""
    store.save_page(run, make_page(DEAD, role="candidate"))
    assert store.pending_candidates(10) == []
    assert store.lead_id(DEAD) is not None


def test_referred_lead_whose_site_disappears_is_taken_down_on_the_next_nightly(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    run = store.start_run("crawl search", {})
    url = "http://www.zhengshu-daiban.xyz/"  # a demo seller, then removed from the web
    store.save_page(run, make_page(url))
    lead_id = store.lead_id(url)
    assert lead_id is not None
    store.set_state(lead_id, "confirmed", "analyst")
    store.set_state(lead_id, "referred", "analyst")
    store.finish_run(run, "finished", {})
    store.close()
    with DemoWeb(squid=True, removed_hosts=frozenset({"www.zhengshu-daiban.xyz"})) as web:
        run_nightly(NightlyConfig(
            db=str(db), out_dir=tmp_path / "out", proxy=web.proxy_url, max_queries=1,
            no_delay=True, capture=False,
            overrides=("JIAZHENG_MAX_SERP_PAGES=1", "JIAZHENG_BROWSER=False")))
    store = Store(db)
    # The crawl, too, records the names it probed behind Squid as not resolving, never as leads.
    simulated = {site.host for site in load_sites()}
    probes = store.db.execute("SELECT host, error FROM pages WHERE role = 'probe'").fetchall()
    dead = {host for host, _ in probes if host not in simulated}
    assert dead and {error for host, error in probes if host in dead} == {"dns"}
    assert not dead & {lead["host"] for lead in store.leads()}
    assert store.lead_states()[lead_id]["state"] == "taken_down"
    [check] = store.rechecks(lead_id)
    assert check["outcome"] == "gone" and "域名无法解析" in check["reason"]
    store.close()
