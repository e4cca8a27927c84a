"""Re-fetch referred leads to see whether they were taken down (``jiazheng recheck``)."""

from collections.abc import AsyncIterator

import scrapy

from crawler.page_spider import PageSpider


class RecheckSpider(PageSpider):
    """Every lead in state referred, still_online or taken_down, fetched once, nothing followed."""

    name = "recheck"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        urls = self.crawler.jiazheng_store.leads_to_recheck()
        depth = self.settings.getint("JIAZHENG_FOLLOW_DEPTH")  # at the limit: follow nothing
        for url in urls:
            for request in self.page_request(url, "recheck", depth=depth, count_host=False):
                yield request
