"""What a crawl observes, as plain records.

Spiders yield these (Scrapy accepts dataclasses as items) and the store saves them, so the
library and the crawler share one vocabulary without the library importing Scrapy.
Judgement is not made here: ``verdict`` is filled in once, by ``leads.judge.verdict.judge_page``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from leads.judge.takedown import RecheckOutcome
from leads.judge.verdict import Verdict

# The store keeps UTC; everything people read (documents, spreadsheets, evidence captions) is
# shown in Beijing time.
BEIJING = ZoneInfo("Asia/Shanghai")


def utc_now() -> str:
    """ISO-8601 UTC timestamp with seconds, the one time format the store uses."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class QueryOutcome:
    """One search-result page asked of one engine: found results, none, or a captcha/block/error."""

    engine: str
    query: str
    page: int
    url: str
    outcome: str  # results | empty | captcha | blocked | error
    results: int = 0
    detail: str = ""
    next_url: str = ""
    at: str = field(default_factory=utc_now)


@dataclass
class Sighting:
    """One search result as the engine showed it; ``url`` is the landing URL once known."""

    engine: str
    query: str
    serp_page: int
    rank: int
    title: str
    snippet: str
    is_ad: bool
    link: str
    url: str | None
    seen_at: str = field(default_factory=utc_now)


@dataclass
class LinkResolved:
    """An engine redirect link turned out to lead to ``url`` (known before the page is fetched)."""

    link: str
    url: str


@dataclass
class PageObservation:
    """A fetched page (or a failed fetch) with everything needed to judge it and prove it later."""

    url: str
    final_url: str
    role: str  # result | contact | verification | check | candidate | recheck | official
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    encoding: str = ""
    title: str = ""
    text: str = ""
    html: str = ""
    redirect_chain: list[str] = field(default_factory=list)
    rendered: bool = False
    tls_problems: tuple[str, ...] = ()
    fetch_signals: list[str] = field(default_factory=list)
    error: str = ""  # short kind: timeout | dns | refused | too_large | redirect_loop | ...
    error_detail: str = ""
    parent_url: str = ""
    via_link: str = ""  # the engine redirect link this page was reached through
    serp_text: str = ""
    depth: int = 0
    fetched_at: str = field(default_factory=utc_now)
    unchanged: bool = False  # same bytes as the last fetch (or 304): the last verdict stands
    logo_hashes: tuple[str, ...] = ()  # average hashes of its logo images (page_similarity)
    scoring_version: str = ""
    verdict: Verdict | None = None
    recheck: RecheckOutcome | None = None  # for role "recheck": is the referred site gone?
