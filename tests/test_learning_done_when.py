"""Issue 15's test for leads that learn: after analysts confirm a handful of pages written in new
wording, a similar unseen page becomes a lead with the similarity reason; after they reject a kind
of page, a similar one drops.

A real store, pages judged by the ``PageJudge`` the score pipeline builds (official logos and the
learned model loaded from the store) and written by ``Store.save_page`` as the store pipeline
does; decisions made in the exported CSV and read back by ``review import``; the model refitted by
``jiazheng learn``. The pages (tests/data/learning_pages.toml) are written for this test: a seller
network's pages in NEW wording that today's rules miss (found through its search ads), and a
training agency's listings that the rules flag.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main
from leads.judge.page_judge import PageJudge
from leads.learning import load_model
from leads.referral.export import export_leads
from leads.referral.review import import_review
from leads.store import Store
from tests.test_learning_signal import Page, decided, unseen


def crawl(store: Store, pages: list[Page]) -> None:
    """One night's pages through the score and store pipelines' code path."""
    judge = PageJudge(store.official_logos(), load_model(store))
    run = store.start_run("search", {})
    for page in pages:
        observation = page.observation()
        observation.scoring_version = judge.version
        observation.verdict = judge.judge(observation)
        store.save_page(run, observation)
    store.finish_run(run, "finished", {})


def analysts_decide(store: Store, decisions: dict[str, str], tmp_path: Path) -> None:
    """Export the leads, write 确认 / 误报 in their state cells, import the file back."""
    path = tmp_path / "review.csv"
    export_leads(store, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        row["state"] = decisions.get(row["url"], row["state"])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or [])
        writer.writeheader()
        writer.writerows(rows)
    plan = import_review(store, path, "分析员王五")
    assert plan.problems == [] and plan.state_changes == len(decisions)


def lead(store: Store, url: str) -> dict | None:
    return next((row for row in store.leads() if row["url"] == url), None)


def test_decisions_raise_a_page_in_new_wording_and_drop_a_kind_analysts_reject(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    new_wording, training = decided("new_wording"), decided("training")
    crawl(store, [*new_wording, *training])
    assert all(lead(store, page.url) for page in [*new_wording, *training])

    # Before anyone decides, the rules alone: the unseen seller is missed, the school flagged.
    unseen_seller, unseen_school = unseen("new_wording"), unseen("training")
    rules_only = PageJudge({}, load_model(store))
    assert not rules_only.judge(unseen_seller.observation()).is_lead
    assert rules_only.judge(unseen_school.observation()).is_lead

    analysts_decide(store, {**{page.url: "确认" for page in new_wording},
                            **{page.url: "误报" for page in training}}, tmp_path)
    store.close()
    learned = CliRunner().invoke(main, ["learn", "--db", str(db)])
    assert learned.exit_code == 0, learned.output
    assert f"已确认 {len(new_wording)} 条，误报 {len(training)} 条" in learned.output
    assert "学习信号已启用" in learned.output

    store = Store(db)
    confirmed_ids = {lead(store, page.url)["id"] for page in new_wording}  # type: ignore[index]
    rejected_ids = {lead(store, page.url)["id"] for page in training}  # type: ignore[index]
    crawl(store, [unseen_seller, unseen_school])

    raised = lead(store, unseen_seller.url)
    assert raised is not None and raised["category"] == "fake_ad" and raised["state"] == "new"
    match = re.match(r"与已确认线索 L(\d{6}) 相似 (\d+)%", raised["reasons"][0])
    assert match, raised["reasons"]
    assert int(match.group(1)) in confirmed_ids and int(match.group(2)) >= 50
    assert "未达线索阈值" in " ".join(raised["reasons"][1:]), "the rules' reasons stay"
    assert raised["signals"]["learned.confirmed"] >= 50

    assert lead(store, unseen_school.url) is None, "a page like the rejected ones drops"
    page = store.db.execute("SELECT category, score FROM pages WHERE final_url = ? "
                            "ORDER BY id DESC LIMIT 1", [unseen_school.url]).fetchone()
    assert page == ("none", 49)
    dropped = PageJudge({}, load_model(store)).judge(unseen_school.observation())
    match = re.match(r"与误报线索 L(\d{6}) 相似 (\d+)%，分析员已多次判为误报", dropped.reasons[0])
    assert match and int(match.group(1)) in rejected_ids, dropped.reasons
    store.close()
