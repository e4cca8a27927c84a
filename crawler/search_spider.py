"""Base spider for search engines: search the keyword library's queries on each engine in
``engines`` and fetch what they find (through PageSpider).

Subclasses only declare ``name`` and ``engines`` (see spiders/). Settings read:
JIAZHENG_MAX_QUERIES, JIAZHENG_MAX_SERP_PAGES, and PageSpider's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.errors import classify_failure
from crawler.page_spider import ERROR_STATUSES, Output, PageSpider
from crawler.serp import Engine, SerpResult
from keywords import compose_queries, load_library
from leads.observations import QueryOutcome, Sighting


class SearchEngineSpider(PageSpider):
    """Search on each engine in ``engines`` (declared by subclasses) and fetch the pages found."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.engines:
            raise ValueError(f"{type(self).__name__} declares no engines")
        limit = self.settings.getint("JIAZHENG_MAX_QUERIES") or None
        for query in compose_queries(load_library(), limit):
            for engine in self.engines:
                yield self.serp_request(engine, query, 0, engine.url_for(query, 0))

    def serp_request(self, engine: Engine, query: str, page: int, url: str) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_serp, errback=self.serp_failed,
            meta={"jz_engine": engine.name, "jz_query": query, "jz_page": page,
                  "handle_httpstatus_list": ERROR_STATUSES},
        )

    def parse_serp(self, response: Response) -> Iterator[Output]:
        engine = self.engine_named(response.meta["jz_engine"])
        query, page = response.meta["jz_query"], response.meta["jz_page"]
        html = response.text if isinstance(response, TextResponse) else ""
        serp = engine.parse(html, response.url, response.status)
        outcome = serp.block or ("results" if serp.results else "empty")
        yield QueryOutcome(engine.name, query, page, response.url, outcome, len(serp.results))
        if serp.block:
            self.logger.warning("%s answered %s for %r", engine.name, serp.block, query)
            return
        for result in serp.results:
            yield self.sighting(engine, query, page, result)
            yield from self.result_request(engine, query, result)
        next_page = page + 1
        if serp.next_url and next_page < self.settings.getint("JIAZHENG_MAX_SERP_PAGES"):
            yield self.serp_request(engine, query, next_page, serp.next_url)

    def serp_failed(self, failure: Failure) -> Iterator[Output]:
        meta = failure.request.meta
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
        if result.target_url:
            yield from self.page_request(result.target_url, "result", serp_text=serp_text)
        else:
            # Engine redirect link (Baidu 302, Sogou HTML/JS page): follow it to the target.
            yield from self.page_request(result.link, "result", serp_text=serp_text,
                                         via_link=result.link, count_host=False)

    def engine_named(self, name: str) -> Engine:
        return next(engine for engine in self.engines if engine.name == name)
