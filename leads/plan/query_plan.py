"""The query plan: every search worth asking, and which of them tonight's budget asks.

The plan is composed from the keyword library (no Scrapy here, no I/O but reading the office's
list): every certificate name (family and trade names alike) × the sales claims flagged ``query``
in fraud_signals.tsv, × the obtaining intents and × the verifying intents of intents.tsv; the
verification platforms' own names; and the office's own list (``--queries FILE``). Queries are
deduplicated on their folded text and interleaved (office, sales, obtain, verify; families taking
turns), so any prefix of the plan already spans every kind and family.

Tonight is chosen per engine from the plan and each query's yield on that engine (the store keeps
it): queries that found new leads go first, but take at most ``1 - exploration`` of tonight's
slots; the rest — and whatever the yielding queries leave — go to the least-asked queries,
never-asked first, in plan order. So the plan is covered in ``ceil(plan / slots)`` nights while
nothing yields, a yielding query is asked every night while it keeps yielding, and a query that
never yields comes back only once every other query has been asked as often.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import TypeVar

from keywords import KeywordLibrary, SearchIntent

INTENT_KINDS = ("office", "sales", "obtain", "verify")
OFFICE_FAMILY = "本单位词表"
PLATFORM_FAMILY = "查询平台"

# Share of tonight's slots kept for never-asked and rarely-asked queries (new wording is tried
# even when yielding queries could fill the night).
DEFAULT_EXPLORATION = 0.2
# A query keeps its place among the yielding ones while it finds at least one new lead in this
# many asks; below that rate it goes back to the rotation.
YIELD_RATE = 1 / 5
# Seconds an engine takes to answer one result page, on top of its politeness delay: turns a
# time budget into result pages per engine.
ANSWER_SECONDS = 1.0

# The office's list: bounded like every file read from outside.
MAX_QUERIES_FILE_BYTES = 1_000_000
MAX_QUERY_CHARACTERS = 64
MAX_OFFICE_LINES = 5_000

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|m|s|req)\s*$", re.IGNORECASE)
T = TypeVar("T")
_SECONDS_PER_UNIT = {"h": 3600, "m": 60, "s": 1}


class PlanError(ValueError):
    """A bad --queries file or --budget value; the message names the line or the value."""


@dataclass(frozen=True)
class PlannedQuery:
    """One query of the plan: its text, the kind of searcher it imitates, and what it names."""

    text: str
    kind: str  # office | sales | obtain | verify | site (leads/plan/platform_queries.py)
    family: str  # the certificate family (certificates.tsv), 查询平台 or 本单位词表
    subject: str  # the certificate, platform or office term the query is built on
    platform: str = ""  # kind site: the post platform (post_platforms.toml key) it searches


@dataclass(frozen=True)
class QueryYield:
    """What asking one query of one engine has brought so far (Store.query_yields)."""

    asked: int = 0  # nights its first result page was answered (captchas do not count)
    results: int = 0  # results listed, all pages
    new_leads: int = 0  # leads first found through it
    blocked: int = 0  # captcha or blocked answers
    last_asked: str = ""  # ISO time of the last answer


@dataclass(frozen=True)
class Budget:
    """Tonight's budget: seconds of searching, or result pages per engine (0: not set)."""

    seconds: float = 0
    requests: int = 0

    def __str__(self) -> str:
        if self.requests:
            return f"{self.requests}req"
        return f"{self.seconds / 3600:g}h" if self.seconds else "无"


@dataclass(frozen=True)
class TonightQuery:
    """A query chosen for tonight on one engine, with the result pages it may read."""

    query: PlannedQuery
    pages: int
    why: str  # yield | rotation (never or least asked)


def parse_budget(text: str) -> Budget:
    """``5h``, ``90m``, ``600s`` (time of searching) or ``300req`` (result pages per engine)."""
    if not text or not text.strip():
        return Budget()
    match = _BUDGET.match(text)
    if not match or float(match.group(1)) <= 0:
        raise PlanError(f"预算格式无效：{text!r}（例如 5h、90m、600s 或 300req）")
    amount, unit = float(match.group(1)), match.group(2).lower()
    if unit == "req":
        return Budget(requests=int(amount))
    return Budget(seconds=amount * _SECONDS_PER_UNIT[unit])


def fold_query(text: str) -> str:
    """The form queries are compared in: NFKC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


# --- the office's list ------------------------------------------------------------------------
def read_queries_file(path: Path) -> list[str]:
    """The lines of an office's keyword list: UTF-8 (with or without BOM) or GBK, ``#`` comments
    and blank lines skipped. A bad file fails with PlanError naming the file and line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanError(f"无法读取词表 {path}：{exc.strerror}") from exc
    if size > MAX_QUERIES_FILE_BYTES:
        raise PlanError(f"词表 {path} 过大（{size} 字节，上限 {MAX_QUERIES_FILE_BYTES}）")
    raw = path.read_bytes()
    text = _decode(raw, path)
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        query = line.strip()
        if not query or query.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        if any(unicodedata.category(char) == "Cc" for char in query):
            raise PlanError(f"{where}: 含控制字符")
        if len(query) > MAX_QUERY_CHARACTERS:
            raise PlanError(f"{where}: 查询词过长（{len(query)} 字，上限 {MAX_QUERY_CHARACTERS}）")
        lines.append(query)
        if len(lines) > MAX_OFFICE_LINES:
            raise PlanError(f"{where}: 词表行数超过上限 {MAX_OFFICE_LINES}")
    return lines


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "gb18030"):  # GB18030 reads every GBK file the same way
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanError(f"词表 {path} 既不是 UTF-8 也不是 GBK 编码")


# --- composing the plan -----------------------------------------------------------------------
def compose_plan(
    library: KeywordLibrary, intents: Sequence[SearchIntent], office: Sequence[str] = ()
) -> tuple[PlannedQuery, ...]:
    """Every query worth asking, deduplicated and interleaved (see the module docstring).

    An office line holding a space is a whole query, asked as written; a bare term is a
    certificate name of the office's own and is combined like one."""
    signals = [signal.term for signal in library.fraud_signals if signal.query]
    obtain = [intent.term for intent in intents if intent.intent == "obtain"]
    verify = [intent.term for intent in intents if intent.intent == "verify"]
    # Query-flagged names first: they are the ones sellers headline.
    certificates = sorted(library.certificates, key=lambda entry: not entry.query)
    subjects = _by_family([(entry.term, entry.family) for entry in certificates])
    office_terms = [line for line in office if " " not in line.strip()]
    office_subjects = [(fold_query(term), OFFICE_FAMILY) for term in office_terms]
    streams = [
        [PlannedQuery(fold_query(line), "office", OFFICE_FAMILY, fold_query(line))
         for line in office if " " in line.strip()]
        + _combined(office_subjects, signals, "office")
        + _combined(office_subjects, obtain, "office")
        + _combined(office_subjects, verify, "office"),
        _combined(subjects, signals, "sales"),
        _combined(subjects, obtain, "obtain"),
        [PlannedQuery(fold_query(platform.name), "verify", PLATFORM_FAMILY, platform.name)
         for platform in library.platforms]
        + _combined(subjects, verify, "verify"),
    ]
    seen: set[str] = set()
    plan = []
    for query in _interleave(streams):
        if query.text and query.text not in seen:
            seen.add(query.text)
            plan.append(query)
    return tuple(plan)


def _by_family(subjects: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Families take turns, so consecutive subjects name different families."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for subject in subjects:
        groups.setdefault(subject[1], []).append(subject)
    return list(_interleave(list(groups.values())))


def _combined(subjects: list[tuple[str, str]], words: list[str], kind: str) -> list[PlannedQuery]:
    """subject × word along diagonals (subject i with word i + shift): the first ``len(subjects)``
    queries already use every subject and rotate through the words."""
    if not words:
        return []
    return [
        PlannedQuery(fold_query(f"{term} {words[(index + shift) % len(words)]}"), kind, family,
                     term)
        for shift in range(len(words))
        for index, (term, family) in enumerate(subjects)
    ]


def _interleave(streams: Iterable[Sequence[T]]) -> Iterable[T]:
    for row in zip_longest(*streams):
        yield from (item for item in row if item is not None)


# --- tonight ----------------------------------------------------------------------------------
def engine_capacity(budget: Budget, delay: float, max_queries: int = 0) -> tuple[int, int]:
    """(result pages, queries) one engine can be asked tonight; 0 means not bounded by that.

    A time budget becomes pages at the engine's politeness: one page per ``delay`` plus the
    answer time. Without a budget, ``max_queries`` alone bounds the night (as before the plan)."""
    if budget.requests:
        pages = budget.requests
    elif budget.seconds:
        pages = max(1, int(budget.seconds / (max(delay, 0) + ANSWER_SECONDS)))
    else:
        pages = 0
    return pages, max(max_queries, 0)


def choose_tonight(
    plan: Sequence[PlannedQuery], yields: Mapping[str, QueryYield], *, pages: int,
    queries: int, base_pages: int, yielding_pages: int,
    exploration: float = DEFAULT_EXPLORATION,
) -> list[TonightQuery]:
    """Tonight's queries for one engine, in the order they are to be asked.

    ``yields`` maps a query's text to its yield on this engine. A query costs the result pages it
    may read (``yielding_pages`` for a yielding query, ``base_pages`` for others) out of ``pages``;
    ``queries`` caps the count. 0 for both bounds the night by the plan alone."""
    if not 0 <= exploration <= 1:
        raise PlanError(f"探索比例须在 0 和 1 之间，收到 {exploration}")
    empty = QueryYield()
    order = {query.text: index for index, query in enumerate(plan)}
    yielding = sorted(
        (query for query in plan if _is_yielding(yields.get(query.text, empty))),
        key=lambda query: (-_rate(yields[query.text]), order[query.text]),
    )
    rotation = sorted(
        plan, key=lambda query: (yields.get(query.text, empty).asked,
                                 yields.get(query.text, empty).last_asked, order[query.text]),
    )
    slots = _slots(len(plan), pages, queries, base_pages)
    chosen: list[TonightQuery] = []
    spent = 0
    taken: set[str] = set()
    yield_cap = math.floor(slots * (1 - exploration))
    for query in yielding[:yield_cap]:
        if pages and chosen and spent + yielding_pages > pages:
            break
        chosen.append(TonightQuery(query, yielding_pages, "yield"))
        taken.add(query.text)
        spent += yielding_pages
    for query in rotation:
        if len(chosen) >= slots or (pages and chosen and spent + base_pages > pages):
            break
        if query.text not in taken:
            chosen.append(TonightQuery(query, base_pages, "rotation"))
            spent += base_pages
    return chosen


def _slots(plan_size: int, pages: int, queries: int, base_pages: int) -> int:
    bounds = [plan_size]
    if pages:  # a budget smaller than one query's pages still asks one query
        bounds.append(max(1, pages // max(base_pages, 1)))
    if queries:
        bounds.append(queries)
    return min(bounds)


def _rate(record: QueryYield) -> float:
    return record.new_leads / max(record.asked, 1)


def _is_yielding(record: QueryYield) -> bool:
    return record.new_leads > 0 and _rate(record) >= YIELD_RATE


def coverage(plan: Sequence[PlannedQuery], yields: Mapping[str, QueryYield]) -> float:
    """Share of the plan asked at least once on one engine."""
    if not plan:
        return 0.0
    asked = sum(1 for query in plan if yields.get(query.text, QueryYield()).asked)
    return asked / len(plan)


def nights_to_cover(plan_size: int, per_night: int) -> int:
    """Nights the rotation needs to ask every query once while nothing yields."""
    return math.ceil(plan_size / per_night) if per_night else 0


def count_by(items: Iterable[object], attribute: str) -> Counter[str]:
    """How many of ``items`` have each value of ``attribute`` (kind, family, why…)."""
    return Counter(getattr(item, attribute) for item in items)
