"""The life of a lead, as data: its states, the moves allowed between them, and why.

new → confirmed / false_positive (an analyst looked) → referred (a packet went to an agency) →
taken_down / still_online (a re-check, or the agency's answer). Who moved a lead and when is
recorded by ``Store.set_state``; this module only says whether a move is allowed.

Nothing goes back to ``new``: it means "nobody has looked yet", and once someone has, the
decision is corrected (confirmed ↔ false_positive), not erased. Nothing leaves the referral
branch either: a packet sent to 公安 cannot be unsent, and a stale spreadsheet must not turn a
re-check's "still online" back into "referred". Staying in a state is always allowed (a note,
or a re-check that finds the same).

What an analyst may write for a state is read here too: each state's label and English name, and
the words of keywords/review_words.tsv (已核实, 不属实, 待定 …), folded like page text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from keywords import UNCHANGED, ReviewWord, load_review_words
from leads.judge.normalize import fold

# state → the label analysts see (and may type) in Excel.
STATE_LABELS = {
    "new": "新线索",
    "confirmed": "已确认",
    "false_positive": "误报",
    "referred": "已移送",
    "taken_down": "已下架",
    "still_online": "仍在线",
}
INITIAL_STATE = "new"


@dataclass(frozen=True)
class Transition:
    """One allowed move and the situation it records."""

    source: str
    target: str
    why: str


TRANSITIONS = (
    Transition("new", "confirmed", "分析员核实：确为假证广告或仿冒查询网站"),
    Transition("new", "false_positive", "分析员核实：并非假证（如正规培训、新闻、警示）"),
    Transition("confirmed", "false_positive", "更正：复核后认定为误报"),
    Transition("false_positive", "confirmed", "更正：复核后认定确为假证线索"),
    Transition("confirmed", "referred", "已将线索移送公安、网信或市场监管"),
    Transition("referred", "taken_down", "移送后复查：网站或信息已删除"),
    Transition("referred", "still_online", "移送后复查：网站或信息仍可访问"),
    Transition("still_online", "taken_down", "再次复查：网站或信息已删除"),
    Transition("taken_down", "still_online", "再次复查：已下架的网站或信息重新上线"),
)
ALLOWED = {(move.source, move.target): move for move in TRANSITIONS}
# Only vetted leads go to an agency: a lead is vetted once an analyst confirmed it (a lifecycle
# event into VETTED_BY). A packet built with --include-unreviewed also carries leads nobody has
# looked at, marked UNREVIEWED_MARK in every document it holds; that is the one move that skips
# the confirmation, and only a referral (source "referral", recorded like any move) makes it.
VETTED_BY = "confirmed"
UNREVIEWED_MARK = "未核实"
REVIEWED_MARK = "已核实"
REFERRAL_SOURCE = "referral"
REFERRAL_TRANSITIONS = (
    Transition("new", "referred", f"随移送包移送（--include-unreviewed：{UNREVIEWED_MARK}）"),
)
REFERRAL_ALLOWED = {(move.source, move.target): move for move in REFERRAL_TRANSITIONS}
# A re-check's outcome → the state it moves a referred lead to ("unreachable" moves nothing: a
# timeout says nothing about whether the seller took the page down).
RECHECK_OUTCOME_STATES = {"gone": "taken_down", "still_online": "still_online"}
# Leads re-checked by ``jiazheng recheck``: referred ones, and those a re-check already classified.
RECHECKED_STATES = ("referred", "still_online", "taken_down")
# Never referred, and never counted as found: an analyst said it is not a fake.
NEVER_REFERRED = ("false_positive",)


@dataclass(frozen=True)
class StateChange:
    """A decision about one lead: its new state, and its new note (None keeps the note)."""

    lead_id: int
    state: str
    note: str | None = None


class LifecycleError(ValueError):
    """A state or a move the lifecycle does not know; the message is for analysts."""


class UnknownState(LifecycleError):
    pass


class InvalidTransition(LifecycleError):
    pass


def label(state: str) -> str:
    """``已确认（confirmed）``: how messages name a state."""
    return f"{STATE_LABELS[state]}（{state}）"


def _spelling(text: str) -> str:
    # Folded (full width, traditional, case) with spaces and hyphens as the underscore.
    return re.sub(r"[\s\-]+", "_", fold(text).strip())


@cache
def _review_words() -> tuple[ReviewWord, ...]:
    return load_review_words(STATE_LABELS)


def accepted_words() -> dict[str, tuple[str, ...]]:
    """What a state cell may say, by the state it moves a lead to (``UNCHANGED``: none): each
    state's label and English name, then the analysts' words of keywords/review_words.tsv."""
    words = {state: (name, state) for state, name in STATE_LABELS.items()}
    words[UNCHANGED] = ()
    for entry in _review_words():
        words[entry.state] += (entry.word,)
    return words


@cache
def _spellings() -> dict[str, str]:
    """Folded spelling → state; a word of the file may not give a label (or another word) a
    second meaning, folded: 誤報 meaning confirmed would flip analysts' decisions."""
    spellings = {_spelling(spelled): state
                 for state, name in STATE_LABELS.items() for spelled in (state, name)}
    for entry in _review_words():
        known = spellings.setdefault(_spelling(entry.word), entry.state)
        if known != entry.state:
            raise ValueError(f"review_words.tsv：“{entry.word}” 已表示 {known}，"
                             f"不能再表示 {entry.state}")
    return spellings


def describe_accepted() -> str:
    """The accepted words as one line, for the message refusing a cell."""
    words = accepted_words()
    named = "、".join("/".join(spelled) for state, spelled in words.items() if state != UNCHANGED)
    return f"{named}；留空或填 {'/'.join(words[UNCHANGED])}：不改状态"


def parse_state(text: str, current: str) -> str:
    """The state a cell moves a lead in state ``current`` to: ``confirmed``, ``已确认``,
    ``已確認``, ``Confirmed``, ``已核实`` all say confirmed; a blank cell or a word meaning "no
    decision yet" (待定) keeps ``current``."""
    if not text.strip():
        return current
    state = _spellings().get(_spelling(text))
    if state is None:
        raise UnknownState(f"状态 “{text.strip()}” 无法识别，可填：{describe_accepted()}")
    return current if state == UNCHANGED else state


def next_states(current: str) -> list[str]:
    return [move.target for move in TRANSITIONS if move.source == current]


def referred_by_packet(current: str) -> bool:
    """Whether a packet carrying a lead in state ``current`` moves it to ``referred`` (a lead
    already in the referral branch keeps its state)."""
    return (current, "referred") in ALLOWED or (current, "referred") in REFERRAL_ALLOWED


def reupload_reason(original_id: int, original_url: str) -> str:
    """The reason a new lead carries when its text is that of a lead already taken down."""
    return f"与已下架线索 #{original_id}（{original_url}）内容相同：疑似换域名重新上线"


def transition(current: str, new: str, source: str = "manual") -> None:
    """Allow the move from ``current`` to ``new`` (made by ``source``: an analyst, a re-check,
    a referral) or raise with a Chinese explanation."""
    for state in (current, new):
        if state not in STATE_LABELS:
            raise UnknownState(f"未知状态 {state!r}，可用：{'、'.join(STATE_LABELS)}")
    if current == new or (current, new) in ALLOWED:
        return
    if source == REFERRAL_SOURCE and (current, new) in REFERRAL_ALLOWED:
        return
    allowed = "、".join(label(state) for state in next_states(current)) or "无"
    raise InvalidTransition(
        f"不能从 {label(current)} 改为 {label(new)}；{STATE_LABELS[current]} 只能改为：{allowed}"
    )
