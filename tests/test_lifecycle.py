"""Lead lifecycle: every move allowed or refused as documented, and the store's record of it."""

from __future__ import annotations

import itertools
import re

import pytest

from keywords import ReviewWord
from leads.store import Store, lifecycle
from leads.store.lifecycle import (
    REFERRAL_SOURCE,
    STATE_LABELS,
    TRANSITIONS,
    UNCHANGED,
    InvalidTransition,
    LifecycleError,
    StateChange,
    UnknownState,
    accepted_words,
    describe_accepted,
    parse_state,
    transition,
)
from tests.conftest import make_page, make_verdict

STATES = ("new", "confirmed", "false_positive", "referred", "taken_down", "still_online")
# The lifecycle as the issue and leads/store/lifecycle.py's docstring describe it, written out here
# independently of the table, so a changed table fails this test.
MOVES = {
    ("new", "confirmed"), ("new", "false_positive"),
    ("confirmed", "false_positive"), ("false_positive", "confirmed"),
    ("confirmed", "referred"),
    ("referred", "taken_down"), ("referred", "still_online"),
    ("still_online", "taken_down"), ("taken_down", "still_online"),
}
CJK = re.compile("[\u4e00-\u9fff]")


def seeded_lead(store: Store, url: str = "http://ban-zheng.example.com/") -> int:
    run = store.start_run("test", {})
    store.save_page(run, make_page(url))
    lead_id = store.lead_id(url)
    assert lead_id is not None
    return lead_id


@pytest.mark.parametrize(("current", "new"), sorted(MOVES))
def test_documented_moves_are_allowed(current: str, new: str) -> None:
    transition(current, new)


@pytest.mark.parametrize(("current", "new"), [
    pair for pair in itertools.permutations(STATES, 2) if pair not in MOVES])
def test_every_other_move_is_refused_in_chinese(current: str, new: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition(current, new)
    message = str(refused.value)
    assert STATE_LABELS[current] in message and STATE_LABELS[new] in message
    assert "不能" in message


@pytest.mark.parametrize("state", STATES)
def test_staying_in_a_state_is_allowed(state: str) -> None:
    transition(state, state)


def test_refusal_names_the_states_that_are_allowed_next() -> None:
    with pytest.raises(InvalidTransition, match=r"已确认.*误报"):
        transition("new", "referred")
    with pytest.raises(InvalidTransition, match="只能改为：仍在线"):
        transition("taken_down", "referred")


def test_unknown_states_are_refused() -> None:
    with pytest.raises(UnknownState):
        transition("new", "closed")
    with pytest.raises(UnknownState):
        transition("archived", "new")


def test_table_matches_the_documented_moves_and_explains_each() -> None:
    assert {(move.source, move.target) for move in TRANSITIONS} == MOVES
    assert all(CJK.search(move.why) for move in TRANSITIONS)
    assert set(STATE_LABELS) == set(STATES)


@pytest.mark.parametrize(("cell", "state"), [
    ("confirmed", "confirmed"), ("已确认", "confirmed"), ("已確認", "confirmed"),
    (" Confirmed ", "confirmed"), ("ｃｏｎｆｉｒｍｅｄ", "confirmed"), ("误报", "false_positive"),
    ("誤報", "false_positive"), ("false positive", "false_positive"),
    ("False-Positive", "false_positive"), ("新线索", "new"), ("已移送", "referred"),
    ("已下架", "taken_down"), ("仍在線", "still_online"), ("still_online", "still_online"),
])
def test_states_are_read_in_english_chinese_traditional_and_full_width(cell: str,
                                                                        state: str) -> None:
    assert parse_state(cell, "new") == state


# The words analysts write (issue 14), written out here independently of keywords/review_words.tsv,
# in simplified, traditional and full-width spellings.
ANALYST_WORDS = {
    "confirmed": ("已核实", "核实", "确认", "属实", "假证", "是", "已核實", "屬實", "假證", " 确认 "),
    "false_positive": ("误报", "不属实", "非假证", "否", "誤報", "不屬實", "非假證", "误判"),
}
NO_DECISION = ("", "   ", "待定", "未核实", "未核實", "\u3000待定\u3000")


@pytest.mark.parametrize(("cell", "state"), [
    (cell, state) for state, cells in ANALYST_WORDS.items() for cell in cells])
def test_analysts_words_name_their_state(cell: str, state: str) -> None:
    assert parse_state(cell, "new") == state


@pytest.mark.parametrize("cell", NO_DECISION)
@pytest.mark.parametrize("current", STATES)
def test_a_blank_cell_or_no_decision_yet_keeps_the_state(cell: str, current: str) -> None:
    assert parse_state(cell, current) == current


def test_new_lead_label_is_the_new_state_not_no_decision() -> None:
    """新线索 names ``new``: on a decided lead it is a refused move, not a silent no-op."""
    assert parse_state("新线索", "confirmed") == "new"
    with pytest.raises(InvalidTransition):
        transition("confirmed", parse_state("新线索", "confirmed"))


@pytest.mark.parametrize("cell", ["已处理", "done", "=confirmed", "是的吧"])
def test_unreadable_state_cells_say_what_may_be_written(cell: str) -> None:
    with pytest.raises(UnknownState) as refused:
        parse_state(cell, "new")
    message = str(refused.value)
    assert f"“{cell}” 无法识别，可填：新线索/new、已确认/confirmed/已核实" in message
    for word in (*ANALYST_WORDS["confirmed"][:6], *ANALYST_WORDS["false_positive"][:4],
                 "已移送", "仍在线", "待定", "未核实"):
        assert word in message
    assert "留空或填 待定/未核实：不改状态" in message


def test_every_accepted_word_is_listed_once_under_its_state() -> None:
    words = accepted_words()
    assert set(words) == {*STATES, UNCHANGED}
    spelled = [word for listed in words.values() for word in listed]
    assert len(spelled) == len(set(spelled))
    assert all(words[state][:2] == (STATE_LABELS[state], state) for state in STATES)
    assert describe_accepted().count("待定") == 1


def test_a_words_file_giving_a_state_label_another_meaning_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """误报 is the label of false_positive: a review_words.tsv line making it (or its traditional
    spelling) mean confirmed would flip analysts' decisions, so reading the words refuses it."""
    clashing = (ReviewWord("誤報", "confirmed", "a line someone added by mistake"),)
    monkeypatch.setattr(lifecycle, "load_review_words", lambda states: clashing)
    lifecycle._review_words.cache_clear()
    lifecycle._spellings.cache_clear()
    try:
        with pytest.raises(ValueError, match="“誤報” 已表示 false_positive，不能再表示 confirmed"):
            parse_state("已核实", "new")
    finally:
        lifecycle._review_words.cache_clear()
        lifecycle._spellings.cache_clear()


def test_set_state_records_who_when_from_to_note_and_source(store: Store) -> None:
    lead_id = seeded_lead(store)
    store.set_state(lead_id, "confirmed", "张三", "电话核实为卖家", source="manual")
    [event] = store.lead_events(lead_id)
    assert (event["who"], event["from_state"], event["to_state"], event["note"],
            event["source"]) == ("张三", "new", "confirmed", "电话核实为卖家", "manual")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", event["at"])
    state = store.lead_states()[lead_id]
    assert (state["state"], state["note"], state["state_changed_at"],
            state["state_changed_by"]) == ("confirmed", "电话核实为卖家", event["at"], "张三")


def test_a_refused_move_changes_and_records_nothing(store: Store) -> None:
    lead_id = seeded_lead(store)
    with pytest.raises(InvalidTransition):
        store.set_state(lead_id, "taken_down", "张三", "已经没了")
    assert store.lead_events(lead_id) == []
    assert store.lead_states()[lead_id]["state"] == "new"
    assert store.lead_states()[lead_id]["note"] == ""


def test_only_a_referral_moves_an_unreviewed_lead_to_referred(store: Store) -> None:
    """new → referred is a packet's move, through the same table: an analyst cannot make it,
    and a packet cannot take a lead out of the referral branch or refer a false positive."""
    with pytest.raises(InvalidTransition):
        transition("new", "referred")
    transition("new", "referred", REFERRAL_SOURCE)
    transition("confirmed", "referred", REFERRAL_SOURCE)
    for current in ("false_positive", "taken_down", "still_online"):
        with pytest.raises(InvalidTransition):
            transition(current, "referred", REFERRAL_SOURCE)
    lead_id = seeded_lead(store)
    with pytest.raises(InvalidTransition):
        store.set_state(lead_id, "referred", "张三")
    store.set_state(lead_id, "referred", "jiazheng packet", "移送公安", source=REFERRAL_SOURCE)
    [event] = store.lead_events(lead_id)
    assert (event["from_state"], event["to_state"], event["source"]) == (
        "new", "referred", REFERRAL_SOURCE)


def test_unknown_lead_is_refused(store: Store) -> None:
    with pytest.raises(LifecycleError, match="没有编号为 999 的线索"):
        store.set_state(999, "confirmed", "张三")


def test_a_note_alone_keeps_state_and_its_time(store: Store) -> None:
    lead_id = seeded_lead(store)
    store.set_state(lead_id, "confirmed", "张三")
    changed_at = store.lead_states()[lead_id]["state_changed_at"]
    store.set_state(lead_id, "confirmed", "李四", "补充：微信已封")
    state = store.lead_states()[lead_id]
    assert (state["state"], state["note"], state["state_changed_at"],
            state["state_changed_by"]) == ("confirmed", "补充：微信已封", changed_at, "张三")
    assert [event["who"] for event in store.lead_events(lead_id)] == ["张三", "李四"]


def test_a_whole_life_is_recorded_in_order(store: Store) -> None:
    lead_id = seeded_lead(store)
    path = ["confirmed", "referred", "still_online", "taken_down", "still_online", "taken_down"]
    for state in path:
        store.set_state(lead_id, state, "复查任务", source="recheck")
    events = store.lead_events(lead_id)
    assert [(event["from_state"], event["to_state"]) for event in events] == list(
        zip(["new", *path], path, strict=False))


def test_bulk_changes_apply_all_or_nothing(store: Store) -> None:
    first = seeded_lead(store)
    second = seeded_lead(store, "http://second.example.com/")
    with pytest.raises(InvalidTransition):
        store.apply_state_changes([StateChange(first, "confirmed", "好"),
                                   StateChange(second, "referred", "跳过确认")], "张三", "test")
    assert {state["state"] for state in store.lead_states().values()} == {"new"}
    assert store.lead_events(first) == []
    assert store.apply_state_changes([StateChange(first, "confirmed"),
                                      StateChange(second, "false_positive")], "张三", "test") == 2
    assert [store.lead_states()[lead]["state"] for lead in (first, second)] == [
        "confirmed", "false_positive"]


def test_a_recrawl_keeps_the_analyst_decision(store: Store) -> None:
    lead_id = seeded_lead(store)
    store.set_state(lead_id, "confirmed", "张三", "已核实")
    run = store.start_run("test", {})
    store.save_page(run, make_page(verdict=make_verdict(score=95)))
    [lead] = list(store.leads())
    assert (lead["id"], lead["score"], lead["state"], lead["note"]) == (lead_id, 95, "confirmed",
                                                                        "已核实")
