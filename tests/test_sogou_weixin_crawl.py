"""Sogou WeChat search end to end over the demo web (real Scrapy crawl, real SQLite): the lookalike
of the official 公众号 “国家安全生产考试” becomes a lookalike_account lead with its name, 微信号,
contacts and the imitated official; the official itself and an unrelated account do not; a
seller's WeChat article, reached through Sogou's script-built /link page, is a fake_ad with its
contacts and a warning article is not. Then the export, the stats, a packet to 网信 printing the
account where a URL is, and the anti-spider page counted as captcha."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crawler.demoweb.server import DemoWeb
from crawler.demoweb.weixin import DEMO_ACCOUNTS, ENGINE_NAMES
from leads.judge.accounts import account_address
from leads.referral.export import export_leads
from leads.referral.packets import TABLES_XLSX, build_packet
from leads.store import Store

LOOKALIKE = "weixin://account/gjaqsc-cx"
SELLER_ARTICLE = "https://mp.weixin.qq.com/s/Kq8vTz3LmN2pXw5RbY7cJd"
WARNING_ARTICLE = "https://mp.weixin.qq.com/s/Wn4fHs9QaE6tUy1oPi3gZl"


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=600, check=False)


@dataclass
class Crawl:
    db: Path
    out: Path
    rows: dict[str, dict[str, str]]  # exported leads by URL
    output: str
    paths_asked: set[tuple[str, str]]

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    out = tmp_path_factory.mktemp("weixin")
    db, csv_path = out / "j.db", out / "leads.csv"
    with DemoWeb() as web:
        result = jiazheng("crawl", "--engine", "sogou_weixin", "--proxy", web.proxy_url,
                          "--db", str(db), "--no-delay", "--max-queries", "2", "--no-browser",
                          "-s", "JIAZHENG_MAX_PROBES=0")
        paths_asked = set(web.requests_seen)
    assert result.returncode == 0, result.stderr[-3000:]
    store = Store(db)
    try:
        export_leads(store, csv_path)
    finally:
        store.close()
    rows = csv.DictReader(csv_path.read_text(encoding="utf-8-sig").splitlines())
    yield Crawl(db, out, {row["url"]: row for row in rows}, result.stderr, paths_asked)


def test_the_lookalike_account_is_a_lead_with_its_name_id_contacts_and_official(
        crawl: Crawl) -> None:
    row = crawl.rows[LOOKALIKE]
    assert (row["category"], row["target"], row["host"]) == (
        "lookalike_account", "国家安全生产考试", "")
    assert (row["account_name"], row["wechat_id"], row["imitated_official"]) == (
        "国家安全生产考试", "gjaqsc-cx", "国家安全生产考试（应急管理部公众号）")
    assert row["contacts"] == "wechat:aqkscx2024"
    assert row["agencies"] == "公安;网信"
    assert "未显示微信认证" in row["reasons"]
    assert row["source"].startswith("sogou_weixin_account:")


def test_the_official_and_the_unrelated_account_are_seen_but_never_leads(crawl: Crawl) -> None:
    negatives = [account for account in DEMO_ACCOUNTS if account.expect == "none"]
    for account in negatives:
        address = account_address(account.wechat_id, account.open_id)
        assert address not in crawl.rows, account.why
        categories = {category for (category,) in crawl.query(
            "SELECT category FROM account_cards WHERE address = ?", address)}
        assert categories == {"none"}, account.why
    assert [url for url, row in crawl.rows.items() if row["category"] == "lookalike_account"] == [
        LOOKALIKE]


def test_accounts_are_judged_from_their_cards_never_fetched(crawl: Crawl) -> None:
    assert not any(path.startswith("/profile") for host, path in crawl.paths_asked
                   if host == "mp.weixin.qq.com")
    link_hosts = {host for host, path in crawl.paths_asked if path.startswith("/link?")}
    assert link_hosts == {"weixin.sogou.com"}  # articles only, through the script-built page


def test_the_sellers_article_is_a_fake_ad_with_contacts_and_the_warning_is_not(
        crawl: Crawl) -> None:
    row = crawl.rows[SELLER_ARTICLE]
    assert row["category"] == "fake_ad"
    assert {"wechat:tzzy-banli88", "phone:13612345678"} <= set(row["contacts"].split(";"))
    assert "sogou_weixin_article:" in row["source"]
    assert WARNING_ARTICLE not in crawl.rows
    assert crawl.query("SELECT count(*) FROM pages WHERE final_url = ?", WARNING_ARTICLE)[0][0] >= 1


def test_both_engines_are_in_the_summary_and_the_stats(crawl: Crawl) -> None:
    for name in ENGINE_NAMES:
        assert name in crawl.output
    assert "仿冒公众号 lookalike_account" in crawl.output
    month = crawl.query("SELECT strftime('%Y-%m', first_seen, '+8 hours') FROM leads")[0][0]
    result = jiazheng("stats", "--db", str(crawl.db), "--month", month, "--out", str(crawl.out))
    assert result.returncode == 0, result.stderr
    sheets = load_workbook(crawl.out / f"附表-{month}.xlsx")
    cells = {cell for sheet in sheets for row in sheet.iter_rows(values_only=True)
             for cell in row if isinstance(cell, str)}
    assert {"仿冒公众号", "sogou_weixin_account"} <= cells


def test_a_packet_prints_the_account_by_name_and_id(crawl: Crawl) -> None:
    store = Store(crawl.db)
    try:
        packet = build_packet(store, "网信", crawl.out / "packets", include_unreviewed=True)
    finally:
        store.close()
    assert packet is not None
    table = load_workbook(packet.folder / TABLES_XLSX).worksheets[0]
    cells = [cell for row in table.iter_rows(values_only=True) for cell in row]
    assert "微信公众号「国家安全生产考试」（微信号：gjaqsc-cx）" in cells
    assert LOOKALIKE not in cells


def test_the_anti_spider_page_is_counted_as_captcha(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb(captcha_engines=frozenset(ENGINE_NAMES)) as web:
        result = jiazheng("crawl", "--engine", "sogou_weixin", "--proxy", web.proxy_url,
                          "--db", str(db), "--no-delay", "--max-queries", "1", "--no-browser",
                          "-s", "JIAZHENG_MAX_PROBES=0", "-s", "JIAZHENG_OFFICIAL_LOGOS=False")
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        outcomes = conn.execute("SELECT engine, outcome FROM queries ORDER BY engine").fetchall()
        cards = conn.execute("SELECT count(*) FROM account_cards").fetchone()[0]
    # every query captcha'd; account search asks the official names first, on top of --max-queries
    assert set(outcomes) == {(ENGINE_NAMES[0], "captcha"), (ENGINE_NAMES[1], "captcha")}
    assert [engine for engine, _ in outcomes].count(ENGINE_NAMES[1]) == 1
    assert cards == 0
