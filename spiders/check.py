"""Fetch URLs an analyst pastes (e.g. reported to the 12350 hotline) like search results."""

from collections.abc import AsyncIterator

import scrapy

from crawler.page_spider import PageSpider


class CheckSpider(PageSpider):
    """``scrapy crawl check -a urls="http://a.example/ http://b.example/"``"""

    name = "check"

    def __init__(self, urls: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls = urls.split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.urls:
            raise ValueError("check needs urls: scrapy crawl check -a urls='URL …'")
        for url in self.urls:
            for request in self.page_request(url, "check"):
                yield request
