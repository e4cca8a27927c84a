"""Write every observation to the SQLite store, as one run.

When another process holds the database lock longer than JIAZHENG_DB_TIMEOUT, items wait in
memory and are written once the lock is free; whatever is still unwritten when the crawl ends
is saved next to the database as JSON lines (``<db>.unsaved-<run>.jsonl``, loaded later with
``jiazheng drain --file``) and counted in the stats as ``jiazheng/store/unsaved`` — nothing is
dropped. A write that fails for any other reason (disk full, I/O error, a damaged file) stops the
crawl at once (finish reason ``store_failed``, the error in ``jiazheng/store/failure``), keeps
what is already stored, spills the rest the same way when the disk allows, and the CLI exits
non-zero.

Settings read: JIAZHENG_DB, JIAZHENG_DB_TIMEOUT. The run id is put in the stats
(``jiazheng/run_id``) so the CLI can print the run's summary from the store.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from leads.egress.redact import redact_setting
from leads.feeds.records import encode_record
from leads.judge.observations import PageObservation, QueryOutcome
from leads.store import Store, StoreLockedError

logger = logging.getLogger(__name__)

# Settings worth keeping with the run, to tell later what a run was asked to do.
RECORDED_SETTINGS = (
    "JIAZHENG_MAX_QUERIES", "JIAZHENG_BUDGET", "JIAZHENG_QUERIES_FILE", "JIAZHENG_MAX_SERP_PAGES",
    "JIAZHENG_FOLLOW_DEPTH",
    "JIAZHENG_MAX_PAGES_PER_HOST", "JIAZHENG_BROWSER", "JIAZHENG_PROXY", "DOWNLOAD_DELAY",
)


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        self.run_id = 0
        self.waiting: deque[Any] = deque()
        self.failure = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        settings = self.crawler.settings
        self.store = self.crawler.jiazheng_store.store
        spider = self.crawler.spider
        if resume_run := settings.getint("JIAZHENG_RESUME_RUN"):
            self.store.resume_run(resume_run)
            self.run_id = resume_run
        else:
            self.run_id = self.store.start_run(
                f"crawl {spider.name}",
                {name: redact_setting(settings.get(name)) for name in RECORDED_SETTINGS}
            )
        self.crawler.stats.set_value("jiazheng/run_id", self.run_id)

    def process_item(self, item: Any) -> Any:
        self.waiting.append(item)
        self.flush()
        return item

    def flush(self) -> None:
        """Write waiting items in order; stop (keeping them) while the database is locked, and
        stop the crawl when it cannot be written at all."""
        while self.waiting and not self.failure:
            try:
                self.save(self.waiting[0])
            except StoreLockedError as exc:
                logger.warning("%s; %d item(s) wait in memory", exc, len(self.waiting))
                return
            except (sqlite3.DatabaseError, OSError) as exc:
                self.fail(exc)
                return
            self.waiting.popleft()

    def fail(self, exc: Exception) -> None:
        self.failure = f"数据库 {self.crawler.settings.get('JIAZHENG_DB')} 无法写入：{exc}"
        logger.error("%s；抓取停止", self.failure)
        self.crawler.stats.set_value("jiazheng/store/failure", self.failure)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_failed"))

    def save(self, item: Any) -> None:
        assert self.store is not None
        self.store.save_record(self.run_id, item)
        if isinstance(item, PageObservation):
            self.crawler.stats.inc_value("jiazheng/pages/stored")
        elif isinstance(item, QueryOutcome):
            self.crawler.stats.inc_value(f"jiazheng/queries/{item.engine}/{item.outcome}")

    def close_spider(self) -> None:
        if self.store is None:
            return
        self.flush()
        if self.failure:
            self.give_up()
        elif self.waiting:
            self.spill()
        else:
            stats = self.crawler.stats.get_stats()
            reason = stats.get("finish_reason", "finished")
            self.store.finish_run(
                self.run_id, "finished" if reason == "finished" else str(reason),
                {k: v if isinstance(v, int | float | str) else str(v) for k, v in stats.items()},
            )

    def give_up(self) -> None:
        """After a failed write: keep the unwritten items if the disk allows, and mark the run
        failed if the database still takes that one small update."""
        assert self.store is not None
        try:
            if self.waiting:
                self.spill()
            self.store.finish_run(self.run_id, "store_failed", {"failure": self.failure})
        except (sqlite3.DatabaseError, OSError) as exc:
            logger.error("运行 %d 无法标记为失败：%s", self.run_id, exc)

    def spill(self) -> None:
        path = Path(f"{self.crawler.settings.get('JIAZHENG_DB')}.unsaved-{self.run_id}.jsonl")
        path.write_bytes(b"".join(encode_record(item) + b"\n" for item in self.waiting))
        self.crawler.stats.set_value("jiazheng/store/unsaved", len(self.waiting))
        self.crawler.stats.set_value("jiazheng/store/unsaved_file", str(path))
        logger.error("数据库一直被锁定：%d 条记录未写入，已保存到 %s", len(self.waiting), path)
