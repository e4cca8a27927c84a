"""Baseline for bench/crawl_bench.py: plain Scrapy fetching a list of URLs through a proxy —
no keyword queries, no scoring, no store, no browser. Prints pages fetched.

Usage: python bench/plain_fetch.py URLS_FILE PROXY_URL
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess


class PlainFetchSpider(scrapy.Spider):
    name = "plain_fetch"

    def __init__(self, urls: list[str], proxy: str) -> None:
        super().__init__()
        self.urls, self.proxy = urls, proxy

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, meta={"proxy": self.proxy, "handle_httpstatus_all": True},
                                 dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        self.crawler.stats.inc_value("plain/pages")


def main() -> None:
    urls = Path(sys.argv[1]).read_text(encoding="utf-8").split()
    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "COOKIES_ENABLED": False,
                              "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024, "REDIRECT_MAX_TIMES": 8,
                              "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                              "RETRY_TIMES": 1, "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED":
                              False})
    crawler = process.create_crawler(PlainFetchSpider)
    process.crawl(crawler, urls=urls, proxy=sys.argv[2])
    process.start()
    print(crawler.stats.get_value("plain/pages", 0))


if __name__ == "__main__":
    main()
