"""A live progress line on stderr while a crawl runs (JIAZHENG_PROGRESS_INTERVAL seconds apart)."""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def progress_line(stats: dict[str, object]) -> str:
    """One line an operator reads at a glance: queries, pages, leads, blocks, errors."""

    def total(prefix: str, suffix: str = "") -> int:
        return sum(int(v) for k, v in stats.items()
                   if k.startswith(prefix) and k.endswith(suffix) and isinstance(v, int))

    queries = total("jiazheng/queries/")
    blocked = total("jiazheng/queries/", "/captcha") + total("jiazheng/queries/", "/blocked")
    pages, leads = total("jiazheng/pages/stored"), total("jiazheng/verdicts/")
    rendered, errors = total("jiazheng/pages/browser"), total("jiazheng/errors/")
    return (f"进度 查询页 {queries} · 页面 {pages} · 线索页 {leads} · 浏览器渲染 {rendered} · "
            f"拦截 {blocked} · 错误 {errors}")


class ProgressLine:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop = task.LoopingCall(self.show)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        interval = crawler.settings.getfloat("JIAZHENG_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.loop.start(self.interval, now=False)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.show()

    def show(self) -> None:
        print(progress_line(self.crawler.stats.get_stats()), file=sys.stderr, flush=True)
