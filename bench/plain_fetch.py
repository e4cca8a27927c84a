"""Baseline for bench/crawl_bench.py: plain Scrapy fetching a list of URLs through a proxy, with
jiazheng's engine slots (one request at a time per engine) but no parsing, following, scoring,
storing or browser. Prints the number of responses.

Usage: python bench/plain_fetch.py URLS_FILE PROXY_URL
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.demoweb.engines import ENGINE_HOSTS


class PlainFetchSpider(scrapy.Spider):
    name = "plain_fetch"

    def __init__(self, urls: list[str], proxy: str) -> None:
        super().__init__()
        self.urls, self.proxy = urls, proxy

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, meta={"proxy": self.proxy, "handle_httpstatus_all": True},
                                 dont_filter=True, errback=self.failed)

    def parse(self, response: scrapy.http.Response) -> None:
        self.crawler.stats.inc_value("plain/pages")

    def failed(self, failure: object) -> None:
        self.crawler.stats.inc_value("plain/pages")


def main() -> None:
    urls = Path(sys.argv[1]).read_text(encoding="utf-8").split()
    slots = {host: {"concurrency": 1, "delay": 0} for host in ENGINE_HOSTS}
    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "COOKIES_ENABLED": False, "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        "REDIRECT_ENABLED": False, "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "RETRY_ENABLED": False, "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_SLOTS": slots,
    })
    crawler = process.create_crawler(PlainFetchSpider)
    process.crawl(crawler, urls=urls, proxy=sys.argv[2])
    process.start()
    print(crawler.stats.get_value("plain/pages", 0))


if __name__ == "__main__":
    main()
