"""Posts on platforms, end to end over the demo web: a real Scrapy crawl through the demo proxy
into a real SQLite file, then the real CSV export, stats workbook and referral packet.

Tieba and Zhidao are searched through their own search pages (engines ``tieba`` and ``zhidao``),
Zhihu and Xiaohongshu through the web engines' ``site:`` queries. Every seller post must become a
lead by its own URL, with its platform, poster and contacts; the warning replies beside them on
the same hosts, the platforms' own 联系我们 pages and the platform hosts themselves never do.
"""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crawler.demoweb.server import DemoWeb
from leads.judge.observations import BEIJING
from leads.referral.packets import LEAD_HEADINGS, PLATFORM_HEADING, build_packet
from leads.referral.stats import write_monthly_stats
from leads.store import Store

# (url, platform as exported, poster, contacts, what the source column must name)
SELLER_POSTS = [
    ("https://tieba.baidu.com/p/8912345678", "百度贴吧", "快办老张（ID：tb.1.7f3a2c1d.Qx9kYb2）",
     {"wechat:dgz-kuaiban88", "phone:13812345678"}, "tieba:"),
    ("https://tieba.baidu.com/p/8899887766", "百度贴吧",
     "zhengshu_xiaowang（ID：tb.1.9c8b7a6d.Kp3mWz7）", {"qq:2876543210"}, "tieba:"),
    ("https://zhidao.baidu.com/question/2031234567890123456.html", "百度知道",
     "证书代办小刘（ID：7a3c9e01f2b4d5）", {"wechat:zhengshu-kb66", "phone:13987654321"},
     "zhidao:"),
    ("https://www.zhihu.com/question/381234567/answer/1123456789", "知乎",
     "证件办理小陈（ID：zhengjian-xiaochen）", {"wechat:tzzy-xiaochen", "phone:13711112222"},
     "site:zhihu.com via "),
    ("https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718293a4b", "小红书",
     "考证学姐（ID：5f1e2d3c4b5a69788796a5b4）", {"wechat:kaozheng-xuejie", "phone:15822223333"},
     "site:xiaohongshu.com via "),
]
HARD_NEGATIVES = [
    "https://tieba.baidu.com/p/8901234567",
    "https://zhidao.baidu.com/question/1987654321098765432.html",
    "https://www.zhihu.com/question/381234567/answer/1123450000",
    "https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718290000",
]
PLATFORM_HOSTS = ("tieba.baidu.com", "zhidao.baidu.com", "www.zhihu.com", "www.xiaohongshu.com")


@dataclass
class Crawl:
    db: Path
    out: Path
    rows: dict[str, dict[str, str]]  # exported CSV rows by lead URL
    output: str
    paths_asked: set[tuple[str, str]]

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    out = tmp_path_factory.mktemp("platforms")
    db, csv_path = out / "jiazheng.db", out / "leads.csv"
    # One plan query per engine is enough: the first ("特种作业操作证 免考") finds every demo post,
    # and the web engines add the first night's site: queries on top.
    with DemoWeb() as web:
        result = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                          "--no-browser", "--max-queries", "1", "-s", "JIAZHENG_MAX_SERP_PAGES=1")
        paths_asked = set(web.requests_seen)
    assert result.returncode == 0, result.stderr[-3000:]
    exported = jiazheng("export", "--db", str(db), "--out", str(csv_path))
    assert exported.returncode == 0, exported.stderr
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["url"]: row for row in csv.DictReader(handle)}
    yield Crawl(db, out, rows, result.stdout + result.stderr, paths_asked)


@pytest.mark.parametrize(("url", "platform", "poster", "contacts", "source"), SELLER_POSTS,
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_seller_post_is_a_lead_by_its_url_with_platform_poster_and_contacts(
    crawl: Crawl, url: str, platform: str, poster: str, contacts: set[str], source: str
) -> None:
    row = crawl.rows.get(url)
    assert row is not None, f"{url} is not a lead: {sorted(crawl.rows)}"
    assert row["category"] == "fake_ad"
    assert row["platform"] == platform and row["poster"] == poster
    assert contacts <= set(row["contacts"].split(";")), row["contacts"]
    assert source in row["source"], row["source"]


@pytest.mark.parametrize("url", HARD_NEGATIVES)
def test_warning_posts_beside_the_sellers_are_fetched_and_never_leads(crawl: Crawl,
                                                                    url: str) -> None:
    assert url not in crawl.rows
    assert crawl.query("SELECT count(*) FROM pages WHERE final_url = ? AND error = ''", url)[0][0]


def test_the_platform_is_never_the_lead_nor_its_contact_page_nor_a_watched_domain(
    crawl: Crawl
) -> None:
    on_platforms = [url for url, row in crawl.rows.items() if row["host"] in PLATFORM_HOSTS]
    assert sorted(on_platforms) == sorted(post[0] for post in SELLER_POSTS)
    assert ("tieba.baidu.com", "/hottopic/browse/contact") not in crawl.paths_asked
    contacts = {c for row in crawl.rows.values() for c in row["contacts"].split(";")}
    assert not any("59928888" in contact or "baidu-demo" in contact for contact in contacts)
    watched = {domain for (domain,) in crawl.query("SELECT domain FROM domain_candidates")}
    assert not watched & set(PLATFORM_HOSTS)


def test_platform_searches_and_site_queries_were_asked_and_summarised(crawl: Crawl) -> None:
    asked = dict(crawl.query("SELECT engine, count(*) FROM queries WHERE outcome = 'results' "
                             "GROUP BY engine"))
    assert asked.get("tieba") and asked.get("zhidao"), asked
    sites = {query.split()[0] for (query,) in crawl.query(
        "SELECT query FROM queries WHERE query LIKE 'site:%' AND engine = 'baidu'")}
    assert {"site:zhihu.com", "site:xiaohongshu.com", "site:douyin.com", "site:kuaishou.com",
            "site:goofish.com", "site:58.com"} <= sites
    assert not crawl.query("SELECT 1 FROM queries WHERE query LIKE 'site:%' "
                           "AND engine IN ('tieba', 'zhidao')")
    for source in ("tieba", "zhidao", "site:zhihu.com（经网页引擎）"):
        assert source in crawl.output, f"{source} missing from the summary table"


def test_stats_break_leads_down_by_platform(crawl: Crawl) -> None:
    month = datetime.now(UTC).astimezone(BEIJING).strftime("%Y-%m")
    with closing(Store(crawl.db)) as store:
        xlsx, _ = write_monthly_stats(store, month, crawl.out)
    rows = {row[0]: row[1] for row in load_workbook(xlsx)["按发布平台"].iter_rows(
        min_row=2, values_only=True)}
    assert rows["百度贴吧"] == 2 and rows["百度知道"] == 1
    assert rows["知乎"] == 1 and rows["小红书"] == 1
    assert sum(rows.values()) == len(crawl.rows)


def test_the_packet_says_where_each_post_was_published_and_by_whom(crawl: Crawl) -> None:
    with closing(Store(crawl.db)) as store:
        packet = build_packet(store, "网信", crawl.out / "packets", include_unreviewed=True)
    assert packet is not None
    sheet = load_workbook(packet.folder / "线索表.xlsx")["线索表"]
    column = LEAD_HEADINGS.index(PLATFORM_HEADING)
    by_url = {row[2]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_url["https://tieba.baidu.com/p/8912345678"] == (
        "百度贴吧，发帖人 快办老张（ID：tb.1.7f3a2c1d.Qx9kYb2）")
    assert by_url["https://www.zhihu.com/question/381234567/answer/1123456789"].startswith("知乎")
