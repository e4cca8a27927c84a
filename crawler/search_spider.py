"""Base spider for search engines: search the keyword library's queries on each engine in
``engines`` and fetch what they find (through PageSpider).

Subclasses only declare ``name`` and ``engines`` (see spiders/). Tonight's queries per engine come
from the query plan (crawler/plan.py, leads/plan/query_plan.py), highest priority first. Settings
read:
those of crawler/plan.py, JIAZHENG_MAX_SERP_PAGES, JIAZHENG_RESUME_RUN (a killed run to carry on,
from the store, instead of starting afresh), JIAZHENG_MAX_CANDIDATES (watch-ct domains fetched
per run), JIAZHENG_MAX_PROBES (permutations of the official names probed per run),
JIAZHENG_OFFICIAL_LOGOS (the platforms' own pages first, for their logos), and
PageSpider's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.budget import BudgetSpent
from crawler.errors import classify_failure
from crawler.page_spider import ERROR_STATUSES, Output, PageSpider
from crawler.plan import tonight_queries
from crawler.serp import Engine, SerpResult, redirect_target
from leads.judge.domains import host_parts
from leads.judge.observations import LinkResolved, QueryOutcome, Sighting
from leads.plan.probe_plan import tonight_probes

if TYPE_CHECKING:  # the crawl's store holder hands it over (crawler/crawl_store.py)
    from leads.store import ResumeState

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class SearchEngineSpider(PageSpider):
    """Search on each engine in ``engines`` (declared by subclasses) and fetch the pages found."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.engines:
            raise ValueError(f"{type(self).__name__} declares no engines")
        # A resumed run plans as its night did: from the history before it started.
        inputs = self.crawler.jiazheng_store.search_inputs()
        state, candidates, yields, probed = (
            inputs.resume, inputs.candidates, inputs.yields, inputs.probed)
        if state is not None:
            self.remember_fetched(state)
        if self.settings.getbool("JIAZHENG_OFFICIAL_LOGOS"):  # not those a killed run fetched
            for request in self.official_requests():
                yield request
            await self.officials_fetched()
        done: set[tuple[str, str, int]] = set()
        if state is not None:
            done = state.done_serps
            for request in self.resume_requests(state):
                yield request
        # Lookalike domains from the Certificate Transparency watch, fetched before searching.
        for url in candidates:
            for request in self.page_request(url, "candidate"):
                yield request
        # Names no engine indexes: permutations of the official names, a bounded few a night.
        # Most are not registered: a probe is asked once (a later night asks again), not retried.
        for domain in tonight_probes(probed, self.settings.getint("JIAZHENG_MAX_PROBES")):
            for request in self.page_request(f"http://{domain}/", "probe", retry=False):
                yield request
        tonight = tonight_queries(self.settings, self.engines, yields)
        for engine in self.engines:
            self.crawler.stats.set_value(f"jiazheng/plan/tonight/{engine.name}",
                                         len(tonight[engine.name]))
        # Pages already found go before further result pages; result pages in plan order.
        for rank in range(max(map(len, tonight.values()), default=0)):
            for engine in self.engines:
                if rank >= len(tonight[engine.name]):
                    continue
                chosen = tonight[engine.name][rank]
                query = chosen.query.text
                if (engine.name, query, 0) not in done:
                    yield self.serp_request(engine, query, 0, engine.url_for(query, 0),
                                            pages=chosen.pages, priority=-1 - rank)

    def remember_fetched(self, state: ResumeState) -> None:
        """The pages a killed run asked for count as requested, failed ones too (a dead probe or
        candidate): none is asked twice."""
        for url, final_url in state.attempted:
            self.requested_pages.update(canonicalize_url(u) for u in (url, final_url) if u)
            self.pages_per_host[host_parts(final_url or url).host] += 1

    def resume_requests(self, state: ResumeState) -> Iterator[scrapy.Request]:
        """Carry on where a killed run stopped: the pages its fetched pages point to, the results
        whose pages never arrived, and the next result pages it had not asked for yet."""
        for page in state.fetched:
            yield from self.follow(page)
        for sighting in state.unfetched:
            if self.engine_named(sighting.engine).result_record is not None:
                continue  # stored with its result page, nothing to fetch
            result = SerpResult(sighting.rank, sighting.title, sighting.link, sighting.url,
                                sighting.snippet, sighting.is_ad)
            yield from self.result_request(self.engine_named(sighting.engine), sighting.query,
                                           result)
        max_pages = self.settings.getint("JIAZHENG_MAX_SERP_PAGES")
        for engine, query, page, url in state.next_pages:
            if page < max_pages:
                yield self.serp_request(self.engine_named(engine), query, page, url,
                                        pages=max_pages)

    def serp_request(self, engine: Engine, query: str, page: int, url: str, *, pages: int = 0,
                     priority: int = -1) -> scrapy.Request:
        """Result page ``page`` of ``query``; ``pages``: how many of its result pages may be read
        (the plan gives yielding queries more; 0: JIAZHENG_MAX_SERP_PAGES)."""
        return scrapy.Request(
            url, callback=self.parse_serp, errback=self.serp_failed, priority=priority,
            meta={"jz_engine": engine.name, "jz_query": query, "jz_page": page,
                  "jz_pages": pages or self.settings.getint("JIAZHENG_MAX_SERP_PAGES"),
                  "handle_httpstatus_list": ERROR_STATUSES},
        )

    def parse_serp(self, response: Response) -> Iterator[Output]:
        engine = self.engine_named(response.meta["jz_engine"])
        query, page = response.meta["jz_query"], response.meta["jz_page"]
        html = response.text if isinstance(response, TextResponse) else ""
        serp = engine.parse(html, response.url, response.status)
        outcome = serp.block or ("results" if serp.results else "empty")
        yield QueryOutcome(engine.name, query, page, response.url, outcome, len(serp.results),
                           next_url=serp.next_url or "")
        if serp.block:
            self.logger.warning("%s answered %s for %r", engine.name, serp.block, query)
            return
        for result in serp.results:
            if engine.result_record is None:
                yield self.sighting(engine, query, page, result)
                yield from self.result_request(engine, query, result)
            else:  # not a web page (a WeChat account): judged from the result, never fetched
                record = engine.result_record(engine.name, query, page, result)
                yield record  # first: a run killed in between keeps the judged account
                yield replace(self.sighting(engine, query, page, result), url=record.url)
        next_page, pages = page + 1, response.meta["jz_pages"]
        if serp.next_url and next_page < pages:
            yield self.serp_request(engine, query, next_page, serp.next_url, pages=pages,
                                    priority=response.request.priority)

    def serp_failed(self, failure: Failure) -> Iterator[Output]:
        meta = failure.request.meta
        if failure.check(BudgetSpent):  # not asked: the query stays in tonight's rotation
            return
        kind, detail = classify_failure(failure)
        yield QueryOutcome(meta["jz_engine"], meta["jz_query"], meta["jz_page"],
                           failure.request.url, "error", detail=f"{kind}: {detail}")

    @staticmethod
    def sighting(engine: Engine, query: str, page: int, result: SerpResult) -> Sighting:
        return Sighting(engine.name, query, page, result.rank, result.title, result.snippet,
                        result.is_ad, result.link, result.target_url)

    def result_request(
        self, engine: Engine, query: str, result: SerpResult
    ) -> Iterator[scrapy.Request]:
        serp_text = f"{result.title}\n{result.snippet}"
        if result.target_url or not engine.is_redirect_link(result.link):
            url = result.target_url or result.link
            yield from self.page_request(url, "result", serp_text=serp_text)
        else:
            yield scrapy.Request(
                result.link, callback=self.parse_link, errback=self.page_failed,
                meta={"jz_role": "result", "jz_serp_text": serp_text, "jz_via_link": result.link,
                      "jz_parent": "", "jz_depth": 0, "dont_redirect": True,
                      "handle_httpstatus_list": [*REDIRECT_STATUSES, *ERROR_STATUSES]},
            )

    def parse_link(self, response: Response) -> Iterator[Output]:
        """An engine redirect link (Baidu 302, Sogou HTML/JS page) read for its target only: the
        target is then requested like any page, so the duplicate filter sees the real URL."""
        meta = response.meta
        location = response.headers.get(b"Location", b"").decode("latin-1")
        if response.status in REDIRECT_STATUSES and location:
            target = response.urljoin(location)
        else:
            html = response.text if isinstance(response, TextResponse) else ""
            target = redirect_target(html, response.url) or ""
        if not target:
            yield from self.parse_page(response)  # not a redirect after all: the page itself
            return
        yield LinkResolved(meta["jz_via_link"], target)
        yield from self.page_request(target, "result", serp_text=meta["jz_serp_text"],
                                     via_link=meta["jz_via_link"])

    def engine_named(self, name: str) -> Engine:
        return next(engine for engine in self.engines if engine.name == name)
