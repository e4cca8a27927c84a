"""The whole path over the bundled demo web: real proxy, real Scrapy crawl, real Chromium,
real SQLite file, real CSV. Expectations come from the demo web's own manifest (sites.toml).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.demoweb.engines import ENGINE_HOSTS
from crawler.demoweb.manifest import Site, load_sites
from crawler.demoweb.server import DemoWeb
from spiders.search import ENGINES
from tests.canary import Canary

MAX_QUERIES = "20"  # the plan reaches the hostile sites (电工证 …) by its 19th query


def jiazheng(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)


@dataclass
class Crawl:
    db: Path
    csv_rows: list[dict[str, str]]
    csv_bytes: bytes
    output: str
    leads_by_host: dict[str, list[dict[str, str]]]
    hosts_asked: set[str]
    paths_asked: set[tuple[str, str]]
    canary_hits: list[str]
    times_asked: Counter[tuple[str, str]]

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    out = tmp_path_factory.mktemp("e2e")
    db, csv_path = out / "jiazheng.db", out / "leads.csv"
    with Canary() as canary, DemoWeb(canary_port=canary.port) as web:
        result = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                          "--max-queries", MAX_QUERIES, "-s", "JIAZHENG_MAX_SERP_PAGES=3")
        times_asked = Counter(web.requests_seen)
        paths_asked = set(times_asked)
        hosts_asked = {host for host, _ in paths_asked}
    assert result.returncode == 0, result.stderr[-3000:]
    exported = jiazheng("export", "--db", str(db), "--out", str(csv_path))
    assert exported.returncode == 0, exported.stderr
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_host: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_host[row["host"]].append(row)
    yield Crawl(db, rows, csv_path.read_bytes(), result.stderr, by_host, hosts_asked, paths_asked,
                canary.hits, times_asked)


SITES = load_sites()
SEEDED = [site for site in SITES if site.expect in ("fake_ad", "lookalike_site")]
NEGATIVES = [site for site in SITES if site.expect == "none"]


@pytest.mark.parametrize("site", SEEDED, ids=lambda site: site.host)
def test_every_seeded_site_is_a_lead_with_category_target_and_contacts(
    crawl: Crawl, site: Site
) -> None:
    leads = crawl.leads_by_host.get(site.host)
    assert leads, f"{site.host} ({site.why}) is not a lead"
    assert site.expect in {lead["category"] for lead in leads}, leads
    if site.expect_target:
        assert site.expect_target in {lead["target"] for lead in leads}, leads
    contacts = {c for lead in leads for c in lead["contacts"].split(";") if c}
    assert set(site.expect_contacts) <= contacts, f"{site.host}: missing contacts"
    assert all(lead["reasons"] and lead["agencies"] for lead in leads)


@pytest.mark.parametrize("site", NEGATIVES, ids=lambda site: site.host)
def test_no_hard_negative_is_a_lead(crawl: Crawl, site: Site) -> None:
    assert site.host not in crawl.leads_by_host, crawl.leads_by_host.get(site.host)


def test_no_government_or_official_host_is_a_lead(crawl: Crawl) -> None:
    official = {"cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"}
    for host in crawl.leads_by_host:
        assert host not in official and not host.endswith(".gov.cn"), host


def test_every_negative_was_actually_fetched(crawl: Crawl) -> None:
    fetched = {host for (host,) in crawl.query("SELECT DISTINCT host FROM pages WHERE error=''")}
    missing = [site.host for site in NEGATIVES if site.host not in fetched]
    assert not missing, f"hard negatives never fetched, so never tested: {missing}"


def test_csv_opens_in_excel_and_no_cell_is_a_formula(crawl: Crawl) -> None:
    assert crawl.csv_bytes.startswith(b"\xef\xbb\xbf")
    for row in crawl.csv_rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t")), row


def test_javascript_only_pages_were_rendered_by_the_browser(crawl: Crawl) -> None:
    rendered = crawl.query("SELECT host FROM pages WHERE rendered = 1")
    assert rendered, "no page was rendered with Chromium"
    share = len(rendered) / crawl.query("SELECT count(*) FROM pages")[0][0]
    assert share < 0.5, "the browser should be the exception, not the rule"


def test_undeclared_encodings_were_detected(crawl: Crawl) -> None:
    signals = [json.loads(s) for (s,) in crawl.query("SELECT fetch_signals FROM pages")]
    assert any("encoding_undeclared" in s for s in signals)
    assert any(any(x.startswith("encoding_mismatch") for x in s) for s in signals)


def test_hostile_pages_are_recorded_errors_not_crashes(crawl: Crawl) -> None:
    errors = {kind for (kind,) in crawl.query("SELECT DISTINCT error FROM pages WHERE error!=''")}
    assert {"redirect_loop", "too_large"} <= errors, errors


def test_self_signed_certificates_are_recorded(crawl: Crawl) -> None:
    problems = [p for (p,) in crawl.query("SELECT tls_problems FROM pages")]
    assert any("self_signed" in p for p in problems)


def test_each_lead_has_a_search_source_or_a_parent(crawl: Crawl) -> None:
    for row in crawl.csv_rows:
        assert row["source"], row


def test_nothing_asked_for_a_host_outside_the_demo_web(crawl: Crawl) -> None:
    """Scrapy and Chromium (background requests included) only ever talk to the proxy, and
    through it only to simulated hosts."""
    simulated = {site.host for site in SITES} | set(ENGINE_HOSTS)
    # Names probed or named on a page are asked of the proxy, which answers that they do not exist.
    named = {host for (host,) in crawl.query(
        "SELECT host FROM pages WHERE role = 'probe' OR error = 'dns'")}
    assert crawl.hosts_asked - simulated - named == set()


def test_no_seller_page_reaches_the_loopback_canary(crawl: Crawl) -> None:
    """www.tiaoban-zhengshu.com and www.houtai-tiaozhuan.com point links, a redirect, a refresh
    and an after-load navigation at a server on 127.0.0.1: the crawl never connects to it."""
    assert crawl.canary_hits == []


def test_summary_table_was_printed(crawl: Crawl) -> None:
    for engine in ENGINES:
        assert engine.name in crawl.output
    assert "抓取页面" in crawl.output and "线索" in crawl.output
    # The progress line, printed once more when the spider closes, counts what the run did.
    last = [line for line in crawl.output.splitlines() if line.startswith("进度 查询页")][-1]
    assert not last.startswith("进度 查询页 0 ")


def test_run_is_recorded_as_finished(crawl: Crawl) -> None:
    assert crawl.query("SELECT status FROM runs") == [("finished",)]


def test_official_logos_are_learned_first_and_a_copied_emblem_is_named(crawl: Crawl) -> None:
    """The platforms' own pages are fetched before any search (their logos hashed), so the
    copy on an unrelated domain is compared with the genuine emblem."""
    first = crawl.query("SELECT role, host, logo_hashes FROM pages ORDER BY id LIMIT 6")
    assert {role for role, _, _ in first} == {"official"}
    learned = {host: json.loads(hashes) for _, host, hashes in first if hashes != "[]"}
    assert set(learned) == {"cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"}
    copied = crawl.query("SELECT logo_hashes FROM pages WHERE host = ?",
                         "zhengshu-chaxun-center.com")
    assert learned["cx.mem.gov.cn"] == json.loads(copied[0][0])
    reasons = crawl.leads_by_host["zhengshu-chaxun-center.com"][0]["reasons"]
    assert "照搬标志图片" in reasons, reasons


def test_a_missing_logo_image_leaves_the_page_judged_without_it(crawl: Crawl) -> None:
    """cnse.e-cqs.net shows a logo that answers 404: recorded as a failed logo, page judged."""
    assert ("cnse.e-cqs.net", "/img/logo-missing.png") in crawl.paths_asked
    rows = crawl.query("SELECT logo_hashes, category FROM pages WHERE host = 'cnse.e-cqs.net'")
    assert rows and all(hashes == "[]" for hashes, _ in rows)
    assert "lookalike_site" in {category for _, category in rows}


# Named in the news page of www.anquan-kuaixun.com; they do not exist (the proxy says so).
DEAD_IN_NEWS = ("zlaq-mohurd-chaxun.top", "cx-mem-zhengshu.vip")


def test_dead_domains_named_in_news_are_watched_not_leads(crawl: Crawl) -> None:
    for host in DEAD_IN_NEWS:
        assert host not in crawl.leads_by_host
        errors = crawl.query("SELECT error FROM pages WHERE host = ?", host)
        assert errors and {error for (error,) in errors} == {"dns"}, (host, errors)
        [(source,)] = crawl.query("SELECT source FROM domain_candidates WHERE domain = ?", host)
        assert source == "http://www.anquan-kuaixun.com/news/2026-1108.html"


def test_a_probe_of_an_unregistered_name_is_asked_once_not_retried(crawl: Crawl) -> None:
    dead = crawl.query("SELECT host FROM pages WHERE role = 'probe' AND error = 'dns'")
    assert len(dead) >= 10
    assert {crawl.times_asked[(host, "/")] for (host,) in dead} == {1}


def test_sites_beyond_the_engines_are_reached_by_link_and_by_name(crawl: Crawl) -> None:
    roles = dict(crawl.query(
        "SELECT host, role FROM pages WHERE host IN (?, ?, ?) AND error = ''",
        "chaxun.zs-yanzheng.cc", "cx-mem.top", "www.kuaiban-hezuo.net"))
    assert roles == {"chaxun.zs-yanzheng.cc": "verification", "cx-mem.top": "probe",
                     "www.kuaiban-hezuo.net": "linked"}
    [(parent,)] = crawl.query("SELECT parent_url FROM pages WHERE host = ?",
                              "www.kuaiban-hezuo.net")
    assert parent == "http://www.yingji-zhengshu.com/"
