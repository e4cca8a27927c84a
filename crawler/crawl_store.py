"""The crawl's one connection to the store, held by an extension that the pipelines, the
conditional-request middleware, the watchdog and the spiders' start share.

Spiders and middlewares never open the store or import it: they ask ``crawler.jiazheng_store``
(set by this extension, which Scrapy builds before the engine) for what they need — a search
spider's plan inputs, the leads to re-check, a page's previous fetch. The connection opens on
first use and closes when the engine stops, after the pipelines' last write.
Settings read: JIAZHENG_DB, JIAZHENG_DB_TIMEOUT, JIAZHENG_RESUME_RUN, JIAZHENG_MAX_CANDIDATES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from leads.plan.query_plan import QueryYield
from leads.store import ResumeState, Store


@dataclass(frozen=True)
class SearchInputs:
    """What a search crawl plans from: a killed run's state (when resuming), the watched domains
    to fetch, each query's yield so far and the names already probed — for a resumed run, as
    they stood when its night started, not as its own first half changed them."""

    resume: ResumeState | None
    candidates: list[str]
    yields: dict[str, dict[str, QueryYield]]
    probed: list[str]


class CrawlStore:
    """Owns the crawl's ``Store``; reachable as ``crawler.jiazheng_store``."""

    def __init__(self, crawler: Crawler) -> None:
        self.settings = crawler.settings
        self._store: Store | None = None
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStore:
        holder = cls(crawler)
        crawler.jiazheng_store = holder  # type: ignore[attr-defined]
        return holder

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.get("JIAZHENG_DB"),
                                timeout=self.settings.getfloat("JIAZHENG_DB_TIMEOUT"))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def search_inputs(self) -> SearchInputs:
        resume_run = self.settings.getint("JIAZHENG_RESUME_RUN") or None
        store = self.store
        return SearchInputs(
            resume=store.resume_state(resume_run) if resume_run else None,
            candidates=store.pending_candidates(
                self.settings.getint("JIAZHENG_MAX_CANDIDATES"), before_run=resume_run),
            yields=store.query_yields(before_run=resume_run),
            probed=store.probed_hosts(before_run=resume_run),
        )

    def leads_to_recheck(self) -> list[str]:
        return self.store.leads_to_recheck()

    def previous_fetch(self, url: str) -> dict[str, Any] | None:
        return self.store.previous_fetch(url)

    def body(self, sha256: str) -> bytes:
        return self.store.body(sha256)
