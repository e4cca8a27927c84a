"""With ``crawl --redis``: push every observation to a Redis list instead of the local store,
so crawler processes on several machines feed the one SQLite store (``jiazheng drain``).

Settings read: REDIS_URL, JIAZHENG_REDIS_ITEMS_KEY.
"""

from __future__ import annotations

from typing import Any

import redis
from scrapy.crawler import Crawler

from leads.feeds.records import RECORD_TYPES, encode_record


class RedisQueuePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.client = redis.Redis.from_url(crawler.settings.get("REDIS_URL"))
        self.key = crawler.settings.get("JIAZHENG_REDIS_ITEMS_KEY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisQueuePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if type(item).__name__ in RECORD_TYPES:
            self.client.rpush(self.key, encode_record(item))
            self.crawler.stats.inc_value("jiazheng/redis/items_pushed")
        return item
