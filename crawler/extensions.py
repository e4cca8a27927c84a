"""Crawl extensions: a live progress line on stderr (JIAZHENG_PROGRESS_INTERVAL seconds apart), a
watchdog that stops a crawl which has made no progress for JIAZHENG_WATCHDOG_SECONDS, and log
lines with passwords masked."""

from __future__ import annotations

import logging
import os
import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from leads.egress.chromium import kill_chromium_descendants
from leads.egress.redact import redact_text

WATCHDOG_REASON = "watchdog"
WATCHDOG_STATS = "jiazheng/watchdog/in_flight"
WATCHDOG_EXIT = 3  # `jiazheng crawl` ends with this code when the watchdog stopped it
CLOSE_GRACE = 30.0  # seconds closing may take (in-flight requests end) before a hard exit
logger = logging.getLogger(__name__)


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


class PeriodicExtension:
    """An extension that calls ``tick`` every so often while the spider is open; its setting
    (``SETTING``, seconds) at 0 turns it off."""

    SETTING = ""

    def __init__(self, crawler: Crawler, seconds: float) -> None:
        self.crawler = crawler
        self.seconds = seconds
        self.loop = task.LoopingCall(self.tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PeriodicExtension:
        seconds = crawler.settings.getfloat(cls.SETTING)
        if seconds <= 0:
            raise NotConfigured
        extension = cls(crawler, seconds)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def interval(self) -> float:
        return self.seconds

    def opened(self) -> None:
        self.loop.start(self.interval(), now=False)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()

    def tick(self) -> None:
        raise NotImplementedError


class ProgressLine(PeriodicExtension):
    """The progress line on stderr, every JIAZHENG_PROGRESS_INTERVAL seconds and at the end."""

    SETTING = "JIAZHENG_PROGRESS_INTERVAL"

    def closed(self) -> None:
        super().closed()
        self.tick()

    def tick(self) -> None:
        print(progress_line(self.crawler.stats.get_stats()), file=sys.stderr, flush=True)


class RedactLogs:
    """Every log line of the crawl process with proxy (and other URL) passwords masked, whatever
    logs it (Scrapy's "Overridden settings" at INFO names JIAZHENG_PROXY, for one)."""

    def __init__(self) -> None:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, _RedactingFilter) for f in handler.filters):
                handler.addFilter(_RedactingFilter())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedactLogs:
        return cls()


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class Watchdog(PeriodicExtension):
    """No response and no item for ``seconds``: the crawl is stuck (a hung page, a proxy that
    accepts and never answers). The spider is closed with reason ``watchdog`` and the URLs that
    were in flight go into the stats (so into the run row); ``jiazheng crawl`` then exits
    WATCHDOG_EXIT naming them. Closing waits for the requests in flight, which may never end:
    after CLOSE_GRACE (at most ``seconds``) the run is marked in the store, the message printed,
    the browser killed and the process exits WATCHDOG_EXIT (a nightly resumes the run)."""

    SETTING = "JIAZHENG_WATCHDOG_SECONDS"

    def __init__(self, crawler: Crawler, seconds: float) -> None:
        super().__init__(crawler, seconds)
        self.last_progress = time.monotonic()
        self.fired = False
        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped,
                       signals.item_error, signals.spider_error):
            crawler.signals.connect(self.progressed, signal=signal)

    def interval(self) -> float:
        return min(30.0, max(self.seconds / 5, 0.5))

    def opened(self) -> None:
        self.last_progress = time.monotonic()
        super().opened()

    def progressed(self) -> None:
        self.last_progress = time.monotonic()

    def tick(self) -> None:
        idle = time.monotonic() - self.last_progress
        if self.fired or idle < self.seconds:
            return
        self.fired = True
        engine = self.crawler.engine
        in_flight = sorted(request.url for request in engine.downloader.active) if engine else []
        self.crawler.stats.set_value(WATCHDOG_STATS, in_flight)
        self.crawler.stats.set_value("jiazheng/watchdog/idle_seconds", round(idle))
        logger.error("%g 秒无进展，停止抓取；进行中的网址：%s", self.seconds,
                     "、".join(in_flight) or "（无）")
        from twisted.internet import reactor  # the one Scrapy installed, not a default one

        reactor.callLater(min(CLOSE_GRACE, self.seconds), self.give_up)
        if engine is not None:
            deferred_from_coro(engine.close_spider_async(reason=WATCHDOG_REASON))

    def give_up(self) -> None:
        """Closing hung on the requests in flight: record the run as stopped, say why, exit."""
        stats = self.crawler.stats.get_stats()
        if run_id := stats.get("jiazheng/run_id"):
            self.crawler.jiazheng_store.store.finish_run(int(run_id), WATCHDOG_REASON, {
                k: v if isinstance(v, int | float | str) else str(v) for k, v in stats.items()})
        print(stuck_message({**stats, "finish_reason": WATCHDOG_REASON}), file=sys.stderr,
              flush=True)
        kill_chromium_descendants()
        os._exit(WATCHDOG_EXIT)


def stuck_message(stats: dict[str, object]) -> str:
    """Why the watchdog stopped a crawl, naming the URLs in flight ("" when it did not)."""
    if stats.get("finish_reason") != WATCHDOG_REASON:
        return ""
    in_flight = stats.get(WATCHDOG_STATS)
    urls = "、".join(map(str, in_flight)) if isinstance(in_flight, list) else ""
    return (f"抓取 {stats.get('jiazheng/watchdog/idle_seconds', '?')} 秒无进展，已被看门狗停止；"
            f"进行中的网址：{urls or '（无）'}")
