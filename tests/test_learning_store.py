"""Fitting from the store: decisions become examples, the model's version follows them, a new
version re-judges stored pages, and the review pages' similar decided leads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main
from leads.judge.learned_similarity import CONFIRMED, FALSE_POSITIVE
from leads.judge.page_judge import PageJudge
from leads.learning import fit, load_model, similar_decided_leads
from leads.store import Store
from leads.store.lifecycle import STATE_LABELS
from tests.test_learning_done_when import crawl
from tests.test_learning_signal import decided, unseen

ANALYST = "分析员赵六"


def decide(store: Store, urls: list[str], state: str) -> list[int]:
    ids = [store.lead_id(url) for url in urls]
    for lead_id in ids:
        store.set_state(lead_id, state, ANALYST, source="workspace")  # type: ignore[arg-type]
    return ids  # type: ignore[return-value]


def test_decision_states_are_lifecycle_states() -> None:
    assert {CONFIRMED, FALSE_POSITIVE} <= set(STATE_LABELS)


def test_decisions_become_examples_and_their_version(store: Store) -> None:
    sellers, schools = decided("new_wording"), decided("training")
    crawl(store, [*sellers, *schools])
    empty = fit(store)
    assert (empty.confirmed, empty.false_positives, empty.active, empty.version) == (0, 0, False, "")
    assert load_model(store) is None

    confirmed = decide(store, [page.url for page in sellers], "confirmed")
    rejected = decide(store, [page.url for page in schools[:-1]], "false_positive")
    first = fit(store)
    assert (first.confirmed, first.false_positives, first.active) == (len(sellers), 4, False)
    assert first.version and first.changed
    rows = {row["lead_id"]: row for row in store.learned_examples()}
    assert set(rows) == {*confirmed, *rejected}
    assert rows[confirmed[0]]["decided_by"] == ANALYST and rows[confirmed[0]]["label"] == CONFIRMED
    assert sellers[0].text.splitlines()[0] in rows[confirmed[0]]["text"]
    assert fit(store).changed is False, "the same decisions make the same model"

    # A fifth rejection activates the signal; a corrected decision counts as corrected.
    decide(store, [schools[-1].url], "false_positive")
    active = fit(store)
    assert active.active and active.version != first.version
    store.set_state(confirmed[0], "false_positive", ANALYST, note="复核后认定为误报")
    corrected = fit(store)
    assert (corrected.confirmed, corrected.false_positives) == (len(sellers) - 1, 6)
    assert corrected.previous_version == active.version != corrected.version
    assert store.latest_learned_fit()["version"] == corrected.version  # type: ignore[index]


def test_unreviewed_referrals_and_undecided_leads_are_no_examples(store: Store) -> None:
    sellers = decided("new_wording")
    crawl(store, sellers)
    first, second = (store.lead_id(page.url) for page in sellers[:2])
    store.set_state(first, "referred", "referral", source="referral")  # type: ignore[arg-type]
    store.set_state(second, "confirmed", ANALYST)  # type: ignore[arg-type]
    store.set_state(second, "referred", "referral", source="referral")  # type: ignore[arg-type]
    assert [row["lead_id"] for row in store.decided_leads()] == [second]
    assert store.decided_leads()[0]["label"] == CONFIRMED, "referred after its confirmation"


def test_a_new_model_re_judges_stored_pages(store: Store) -> None:
    sellers, schools = decided("new_wording"), decided("training")
    crawl(store, [*sellers, *schools, unseen("new_wording")])
    before = PageJudge(store.official_logos(), load_model(store))
    page = unseen("new_wording")
    sha256 = hashlib.sha256(page.observation().body).hexdigest()
    kept = store.previous_verdict(page.url, sha256, before.version)
    assert kept is not None and not kept.is_lead, "stored while no model existed"

    decide(store, [page.url for page in sellers], "confirmed")
    decide(store, [page.url for page in schools], "false_positive")
    fit(store)
    after = PageJudge(store.official_logos(), load_model(store))
    assert after.version != before.version and after.version.startswith(before.version + "+m")
    assert store.previous_verdict(page.url, sha256, after.version) is None, "judged again"
    crawl(store, [page])
    assert store.lead_id(page.url) is not None
    stored = store.db.execute("SELECT scoring_version FROM pages WHERE final_url = ? ORDER BY id "
                              "DESC LIMIT 1", [page.url]).fetchone()[0]
    assert stored == after.version


def test_similar_decided_leads_for_the_review_page(store: Store) -> None:
    sellers, schools = decided("new_wording"), decided("training")
    crawl(store, [*sellers, *schools, unseen("new_wording")])
    confirmed = decide(store, [page.url for page in sellers], "confirmed")
    decide(store, [page.url for page in schools], "false_positive")
    target = store.lead_id(sellers[0].url)
    assert similar_decided_leads(store, target) == [], "nothing before the first fit"  # type: ignore[arg-type]
    fit(store)
    similar = similar_decided_leads(store, target, limit=3)  # type: ignore[arg-type]
    assert len(similar) == 3 and target not in {n.lead_id for n in similar}
    assert {n.lead_id for n in similar} <= set(confirmed)
    assert similar[0].similarity >= similar[1].similarity >= similar[2].similarity
    assert similar[0].describe().startswith(f"与已确认线索 L{similar[0].lead_id:06d} 相似 ")
    school = store.lead_id(schools[0].url)
    assert {n.label for n in similar_decided_leads(store, school)} == {FALSE_POSITIVE}  # type: ignore[arg-type]
    assert similar_decided_leads(store, 999_999) == []


def test_learn_command_says_what_it_learned(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    crawl(store, decided("new_wording"))
    decide(store, [page.url for page in decided("new_wording")[:2]], "confirmed")
    store.close()
    result = CliRunner().invoke(main, ["learn", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output.splitlines()[0])
    assert (printed["confirmed"], printed["false_positives"], printed["active"]) == (2, 0, False)
    assert printed["changed"] is True and len(printed["version"]) == 12
    assert "学习信号未启用" in result.output and printed["version"] in result.output
    again = CliRunner().invoke(main, ["learn", "--db", str(db)])
    assert "（与上次相同）" in again.output
    missing = CliRunner().invoke(main, ["learn", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and not (tmp_path / "none.db").exists()
