"""Whose voice a sales phrase is in: the seller's own, a denial, a quotation or a report.

An article quoting “免考”“包过” to warn the public, a school writing 拒绝代考、不包过 and a reporter
writing 对方称… all use a seller's words without selling. These rules say when a phrase is not
said in the text's own voice; the term weights and the concept evidence both apply them, so they
live apart from either.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from keywords import SENTENCE_END

QUOTED_FACTOR = 0.5  # “包过” in quotation marks is usually reported speech
REPORTED_FACTOR = 0.5  # a claim in a sentence that reports someone else's words (对方称…)
# A denial right before a sales phrase ("不"/"无" adjacent, 没有/不是 with at most 那种, 真的, 都…,
# 拒绝/严禁/别信/劝你别… up to ten) is a school, a warning or a wary buyer speaking; phrases
# listed after a denied one ("拒绝代考、包过") are denied too. 别找了，我这全能出 is a seller
# ending the search, not a denial.
DENIAL = re.compile(
    r"(?:(?:拒绝|严禁|禁止|杜绝|谢绝|从未|从不|绝不|决不|别信|别相信|不要信|勿信|莫信|切勿|谨防|劝你别"
    r"|别找(?!了[,。!])|不要找(?!了[,。!])|别在网上找|不要在网上找|别去网上找|别再有人|不要再有人|勿轻信|不要轻信|别轻信"
    r"|能不能别).{0,10}"
    r"|(?:不承诺|不保证|不敢保证|无法保证|不能保证|不作|不做|不提供|不接受|不办理|不从事|恕不|不设|不安排"
    r").{0,4}"
    r"|(?:哪来的?|哪有|哪里有|哪儿有)"
    r"|(?:没有|并非|不存在|不是|不可能)(?:那种|那么|什么|所谓的?|真的?|都|也|再)?|[不无非没未别])$"
)
DENIAL_WINDOW = 12
# …or a refusal right after it: 办证的勿扰, 代考的免谈, 买证的绕道 (a holder or a school
# turning such people away).
REFUSAL_AFTER = re.compile(
    r"(?:的|者)?(?:人)?(?:勿扰|免扰|免谈|绕道|请绕行|别来|勿加|别加|勿来)"
    r"|(?:根本|绝对)?(?:不可能|行不通|是骗人的)"  # …or a claim dismissed: 代考根本不可能
)
REFUSAL_WINDOW = 6  # the longest refusal with its 的人 (的人请绕行)
QUESTION_VERBS = frozenset("用要需")  # …a verb asked both ways (用不用) is a question
# A seller waves a school aside (不用去培训学校, 别被培训机构坑了, 何必去考点): a word of
# training, Q&A or a warning right after such a dismissal (a verb of going or of being had) is the
# seller's own voice, not a school's, so it takes nothing off the score; so is a school's word
# said as not needed (不用复审, 免报名): a school never says its own step is not needed; and a
# seller's "not like those fake sites" (不是那种假网站) is no warning.
DISMISSAL = re.compile(
    r"(?:不用|不必|不需要|无需|用不着|没必要|何必|别|不要)(?:再)?(?:去|到|被|找|上|交给|花钱去|花冤枉钱去)$|不去$"
    r"|(?:别信|不要信|别相信)(?:那些|这些|什么)?$"
    r"|(?:不用|不必|别|不要)(?:理|管)(?:那些|这些|些|什么)?$"
    r"|(?:不用|不必|不需|不需要|无需|用不着|免|可以不|可不|代为|代|来不及)(?:再)?$"
    r"|(?:不是|不像)(?:那种|那些|外面那些|外面的)?$"
)
DISMISSAL_WINDOW = 6
DENIAL_LIST_JOINERS = frozenset("、和或及与/ ")
# A short quotation (“免考包过”, “全国联网可查”, up to 20 characters): sales phrases inside it
# are reported speech. (A seller's slogan in quotes is longer; a reporter's quote of a whole
# sales line is caught by the reporting word before it, 对方称“…”.) Straight quotes ("包过")
# reach this folded text as curly ones (leads.judge.normalize.STRAIGHT_QUOTATION).
QUOTATION = re.compile(r"“[^“”]{1,20}”|「[^「」]{1,20}」|『[^『』]{1,20}』|‘[^‘’]{1,20}’")
QUOTATION_MARKS = frozenset("“「『‘")
SENTENCE_ENDS = re.compile(f"[{SENTENCE_END}]")


def quotation_spans(folded: str) -> list[tuple[int, int]]:
    """Where the short quotations of ``folded`` stand (most texts hold no quotation mark)."""
    if QUOTATION_MARKS.isdisjoint(folded):
        return []
    return [match.span() for match in QUOTATION.finditer(folded)]


def sentence_end_positions(folded: str) -> list[int]:
    """Where the sentences of ``folded`` end, in order (for ``is_reported``)."""
    return [match.start() for match in SENTENCE_ENDS.finditer(folded)]


def is_denied(folded: str, start: int, last_denied_end: int, end: int | None = None) -> bool:
    """Whether a denial stands right before ``start`` (or a refusal right after ``end``), or the
    phrase there is listed right after a denied one that ended at ``last_denied_end`` (-1:
    none)."""
    between = folded[last_denied_end:start] if last_denied_end >= 0 else None
    if between is not None and len(between) <= 1 and set(between) <= DENIAL_LIST_JOINERS:
        return True
    if end is not None and REFUSAL_AFTER.match(folded, end, end + REFUSAL_WINDOW):
        return True
    if _asked_both_ways(folded, start):
        return True
    return bool(DENIAL.search(folded[max(0, start - DENIAL_WINDOW) : start]))


def _asked_both_ways(folded: str, start: int) -> bool:
    """还用不用去考点？, 要不要考: a verb asked both ways, in a sentence that asks (?, 吗, 呢, or
    问 before it), is a question, not a promise (全国通用不用考 is one)."""
    verb = folded[start - 1 : start]
    if not (verb in QUESTION_VERBS and folded.startswith("不" + verb, start)):
        return False
    sentence_end = SENTENCE_ENDS.search(folded, start)
    rest = folded[start : sentence_end.end() if sentence_end else len(folded)]
    return "?" in rest or "吗" in rest or "呢" in rest or "问" in folded[max(0, start - 20) : start]


def is_dismissed(folded: str, start: int) -> bool:
    """Whether a seller's dismissal (不用去, 别被, 何必去) stands right before ``start``."""
    return bool(DISMISSAL.search(folded[max(0, start - DISMISSAL_WINDOW) : start]))


def is_inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``start``–``end`` lies wholly within one of ``spans`` (the quotations, in order
    and apart, as ``quotation_spans`` gives them): found by bisection, so a page of thousands
    of quoted phrases costs no more per phrase than a page of one."""
    index = bisect_right(spans, (start, math.inf)) - 1  # the last span starting at or before
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def is_reported(position: int, reported: list[int], sentence_ends: list[int]) -> bool:
    """Whether a reporter's word (对方称, 记者…) stands before ``position`` in its sentence."""
    sentence = bisect_left(sentence_ends, position)
    start = sentence_ends[sentence - 1] if sentence else -1
    return any(start < word < position for word in reported)
