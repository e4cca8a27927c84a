"""The store pipeline keeps items while another process holds the lock, and never drops them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import scrapy
from scrapy.utils.test import get_crawler

from crawler.crawl_store import CrawlStore
from crawler.pipelines.store import StorePipeline
from leads.feeds.drain import drain_file
from leads.store import Store
from tests.conftest import make_page


def open_pipeline(db: Path) -> StorePipeline:
    crawler = get_crawler(scrapy.Spider, {"JIAZHENG_DB": str(db), "JIAZHENG_DB_TIMEOUT": 0.2})
    crawler.spider = crawler._create_spider("test")
    CrawlStore.from_crawler(crawler)  # the crawl's one store connection, as in a crawl
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def test_items_wait_out_a_lock_and_are_written_in_order(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    pipeline = open_pipeline(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    pipeline.process_item(make_page("http://a.example.com/"))
    pipeline.process_item(make_page("http://b.example.com/"))
    assert len(pipeline.waiting) == 2
    holder.execute("ROLLBACK")
    holder.close()
    pipeline.process_item(make_page("http://c.example.com/"))
    pipeline.close_spider()
    store = Store(db)
    assert [row["url"] for row in store.db.query("SELECT url FROM leads ORDER BY id")] == [
        "http://a.example.com/", "http://b.example.com/", "http://c.example.com/"]
    assert store.db["runs"].get(pipeline.run_id)["status"] == "finished"
    store.close()


def test_items_still_locked_at_the_end_are_saved_to_a_file(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    pipeline = open_pipeline(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        pipeline.process_item(make_page("http://a.example.com/"))
        pipeline.close_spider()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    stats = pipeline.crawler.stats
    assert stats.get_value("jiazheng/store/unsaved") == 1
    unsaved = Path(stats.get_value("jiazheng/store/unsaved_file"))
    store = Store(db)
    assert drain_file(unsaved, store)[1] == 1
    assert [row["url"] for row in store.leads()] == ["http://a.example.com/"]
    store.close()
