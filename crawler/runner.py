"""Run a crawl in this process and summarise it: the library behind ``jiazheng crawl`` and ``demo``.

Setup problems (unreachable proxy, locked database) fail before Scrapy starts, with a clear
message, instead of as hundreds of per-request errors.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.browser import browser_launch_options, proxy_from
from crawler.extensions import stuck_message
from leads.egress.chromium import BrowserSetupError
from leads.egress.redact import redact_url
from leads.store import Store


class CrawlSetupError(RuntimeError):
    """The crawl cannot start; the message says why in words an operator can act on."""


@dataclass
class CrawlResult:
    run_id: int
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def unsaved(self) -> int:
        return int(self.stats.get("jiazheng/store/unsaved", 0))

    @property
    def stuck(self) -> str:
        """Why the watchdog stopped the crawl, naming the URLs in flight; "" when it did not."""
        return stuck_message(self.stats)


def crawl_settings(
    *, db: str | None = None, proxy: str | None = None, max_queries: int | None = None,
    no_delay: bool = False, browser: bool = True, overrides: tuple[str, ...] = (),
    redis: str | None = None, session: str = "",
) -> Settings:
    """Project settings with the CLI's options applied; ``overrides`` are NAME=VALUE strings."""
    # Found through scrapy.cfg only from the repository root; cron and analysts run from anywhere.
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if redis:
        share_through_redis(settings, redis, session)
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    if db:
        settings.set("JIAZHENG_DB", db, priority="cmdline")
    if proxy:
        settings.set("JIAZHENG_PROXY", proxy, priority="cmdline")
    if max_queries is not None:
        settings.set("JIAZHENG_MAX_QUERIES", max_queries, priority="cmdline")
    if not browser:
        settings.set("JIAZHENG_BROWSER", False, priority="cmdline")
    if no_delay:
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
        slots = settings.getdict("DOWNLOAD_SLOTS")
        settings.set("DOWNLOAD_SLOTS", {
            host: {**slot, "delay": 0, "jitter": 0} for host, slot in slots.items()
        }, priority="cmdline")
    for override in overrides:
        name, sep, value = override.partition("=")
        if not sep:
            raise CrawlSetupError(f"-s 需要 NAME=VALUE 形式，收到 {override!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def share_through_redis(settings: Settings, url: str, session: str) -> None:
    """Scale-out: the request queue and the duplicate filter live in Redis (scrapy-redis), shared
    by every crawler process of the same ``session`` (default: today, UTC), and observations go
    to a Redis list that ``jiazheng drain`` writes into the one SQLite store."""
    session = session or datetime.now(UTC).strftime("%Y-%m-%d")
    prefix = f"jiazheng:{session}"
    settings.setdict({
        "REDIS_URL": url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        # Kept when a process ends: the others are still working through it.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "crawler.dupefilters.RedisDupeFilter",
        "JIAZHENG_REDIS_ITEMS_KEY": items_key(session),
        # The shared queue hands a process's official pages to any process: none waits for them
        # (each judges with the logos in the store and those it happens to fetch itself).
        "JIAZHENG_OFFICIAL_WAIT": 0,
    }, priority="cmdline")
    pipelines = settings.getdict("ITEM_PIPELINES")
    pipelines.pop("crawler.pipelines.store.StorePipeline", None)
    pipelines["crawler.pipelines.redis_queue.RedisQueuePipeline"] = 300
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")


def items_key(session: str) -> str:
    return f"jiazheng:{session or datetime.now(UTC).strftime('%Y-%m-%d')}:items"


def check_proxy(proxy: str, timeout: float = 5.0) -> None:
    """Fail early when the proxy does not accept connections."""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not parts.hostname:
        raise CrawlSetupError(f"代理地址无效：{redact_url(proxy)}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        raise CrawlSetupError(
            f"代理不可达：{redact_url(proxy)}（{exc}）。请检查 --proxy 或 HTTP(S)_PROXY。"
        ) from exc


def check_setup(settings: Settings) -> None:
    """Proxy reachable, browser startable sandboxed and database writable, or CrawlSetupError."""
    proxy = proxy_from(settings)
    if proxy:
        check_proxy(proxy)
    if settings.getbool("JIAZHENG_BROWSER"):
        try:
            browser_launch_options(settings)
        except BrowserSetupError as exc:
            raise CrawlSetupError(str(exc)) from exc
    try:
        Store(settings.get("JIAZHENG_DB"), timeout=settings.getfloat("JIAZHENG_DB_TIMEOUT")).close()
    except RuntimeError as exc:
        raise CrawlSetupError(str(exc)) from exc


def run_crawl(spider: str, settings: Settings, **spider_args: Any) -> CrawlResult:
    """Crawl with ``spider`` until done (starts and stops the reactor: once per process)."""
    check_setup(settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlResult(int(stats.get("jiazheng/run_id", 0)), stats)
