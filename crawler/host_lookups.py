"""Who is behind each lead host, looked up while the crawl goes on: an extension that hands the
host of every new lead (and of every re-checked lead) to a few background threads
(``leads.hosting``), and stores each lookup from the reactor's thread as it completes — the
crawl never waits for a registry. When the spider closes, lookups still running are waited for
(each bounded by its timeouts) and stored.

Off without a resolver (JIAZHENG_DNS_RESOLVER) and in Redis scale-out, where the store is
another machine's. Settings read (each also from the environment, for every command): the
JIAZHENG_DNS_RESOLVER, JIAZHENG_RDAP_BOOTSTRAP, JIAZHENG_WHOIS_SERVERS and JIAZHENG_HOST_FACTS_*
settings, and the crawl's proxy.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.internet import task

from crawler.browser import proxy_from
from leads.hosting.host_facts import HostLookup, RateLimit, look_up_host, save_lookup
from leads.hosting.settings import HostingSettings, whois_servers
from leads.judge.hostnames import host_parts
from leads.judge.observations import PageObservation
from leads.store import StoreLockedError

logger = logging.getLogger(__name__)
SAVE_INTERVAL = 1.0  # seconds between stores of the lookups done


def hosting_settings(settings: BaseSettings, *, with_proxy: bool = True) -> HostingSettings:
    """The hosting settings of a crawl or command: a ``-s`` setting, else the environment, else
    crawler/settings.py."""
    def value(name: str) -> str:
        if (settings.getpriority(name) or 0) > SETTINGS_PRIORITIES["project"]:
            return str(settings.get(name)).strip()
        return (os.environ.get(name) or str(settings.get(name) or "")).strip()

    def number(name: str, default: float) -> float:
        return float(value(name) or default)

    defaults = HostingSettings()
    return HostingSettings(
        resolver=value("JIAZHENG_DNS_RESOLVER"), rdap_bootstrap=value("JIAZHENG_RDAP_BOOTSTRAP"),
        whois_servers=whois_servers(value("JIAZHENG_WHOIS_SERVERS")),
        proxy=proxy_from(settings) if with_proxy else "",
        timeout=number("JIAZHENG_HOST_FACTS_TIMEOUT", defaults.timeout),
        ttl=number("JIAZHENG_HOST_FACTS_TTL", defaults.ttl),
        rate=number("JIAZHENG_HOST_FACTS_RATE", defaults.rate),
        workers=int(number("JIAZHENG_HOST_FACTS_WORKERS", defaults.workers)))


class HostLookups:
    """The extension (``crawler.settings.EXTENSIONS``)."""

    def __init__(self, crawler: Crawler, settings: HostingSettings) -> None:
        self.crawler = crawler
        self.settings = settings
        self.limit = RateLimit(settings.rate)
        self.pool = ThreadPoolExecutor(max(1, settings.workers), thread_name_prefix="host-facts")
        self.asked: set[str] = set()
        self.running: list[Future[HostLookup]] = []
        self.done: list[HostLookup] = []
        self.loop = task.LoopingCall(self.save_done)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostLookups:
        try:
            settings = hosting_settings(crawler.settings)
        except ValueError as exc:  # a malformed setting: the crawl goes on without lookups
            logger.error("主机信息查询已关闭，设置有误：%s", exc)
            raise NotConfigured from exc
        if not settings.enabled or crawler.settings.get("JIAZHENG_REDIS_ITEMS_KEY"):
            raise NotConfigured
        extension = cls(crawler, settings)
        crawler.signals.connect(extension.scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.loop.start(SAVE_INTERVAL, now=False)

    def scraped(self, item: Any) -> None:
        """A stored lead (or a re-checked one): its host, once per crawl and TTL."""
        if not isinstance(item, PageObservation):
            return
        if item.recheck is None and not (item.verdict is not None and item.verdict.is_lead):
            return
        host = host_parts(item.final_url).host
        if not host or host in self.asked:
            return
        self.asked.add(host)
        if self.crawler.jiazheng_store.store.host_facts_fresh(host, self.settings.ttl):
            return
        self.running.append(self.pool.submit(self._look_up, host))

    def _look_up(self, host: str) -> HostLookup:
        self.limit.wait()
        return look_up_host(host, self.settings)

    def save_done(self) -> None:
        """Store every finished lookup (from the reactor's thread, the store's)."""
        still = []
        for future in self.running:
            if not future.done():
                still.append(future)
            elif future.exception() is not None:
                logger.error("主机信息查询出错：%s", future.exception())
            else:
                self.done.append(future.result())
        self.running = still
        while self.done:
            try:
                save_lookup(self.crawler.jiazheng_store.store, self.done[0])
            except StoreLockedError:
                return  # the next tick tries again
            except (sqlite3.DatabaseError, OSError) as exc:
                logger.error("主机信息无法写入数据库：%s", exc)
            self.crawler.stats.inc_value("jiazheng/host_facts/looked_up")
            self.done.pop(0)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.pool.shutdown(wait=True)
        self.save_done()
        # Leads written after their host was asked about (another page of the host).
        self.crawler.jiazheng_store.store.share_host_facts()
