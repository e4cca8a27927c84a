"""WeChat account search asks the official accounts' names first: the names in
keywords/official_accounts.toml and the variants declared beside them come before the plan's own
queries on ``sogou_weixin_account`` and on no other engine, bounded, shown by ``jiazheng plan``;
and the demo crawl finds the lookalike 公众号 through such a query."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.demoweb.server import DemoWeb
from crawler.plan import tonight_queries
from crawler.runner import crawl_settings
from keywords.official_accounts import load_official_accounts, read_official_accounts
from leads.plan.account_queries import ACCOUNT_KIND, choose_accounts_tonight, compose_account_plan
from leads.plan.query_plan import QueryYield
from leads.store import Store
from spiders.search import SearchSpider

ACCOUNTS = load_official_accounts()
ENGINE = "sogou_weixin_account"
LOOKALIKE = "weixin://account/gjaqsc-cx"


def test_the_names_come_first_then_the_variants_each_explained() -> None:
    texts = [query.text for query in compose_account_plan(ACCOUNTS)]
    names = [account.name for account in ACCOUNTS.accounts]
    assert texts[:len(names)] == names == ["国家安全生产考试", "全国工程质量安全监管信息平台"]
    assert {"安全生产考试查询", "特种作业证查询 公众号"} <= set(texts[len(names):])
    assert len(texts) == len(set(texts))
    assert ACCOUNTS.search.engines == (ENGINE,)


def test_a_variant_without_its_why_fails_loading(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[1] / "keywords" / "official_accounts.toml")
    text = source.read_text(encoding="utf-8").replace(
        'why = "The official name without 国家', 'reason = "The official name without 国家')
    broken = tmp_path / "official_accounts.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="variant #2"):
        read_official_accounts(broken)


def test_tonight_asks_them_first_on_account_search_only() -> None:
    settings = crawl_settings(db=":memory:", max_queries=3, no_delay=True, overrides=())
    tonight = tonight_queries(settings, SearchSpider.engines, {})
    expected = [query.text for query in compose_account_plan(ACCOUNTS)][:ACCOUNTS.search.per_night]
    account_search = tonight[ENGINE]
    assert [item.query.text for item in account_search[:len(expected)]] == expected
    assert {item.query.kind for item in account_search[:len(expected)]} == {ACCOUNT_KIND}
    # then the plan's own three, none of them an account-name query
    assert [item.query.kind for item in account_search[len(expected):]].count(ACCOUNT_KIND) == 0
    assert len(account_search) == len(expected) + 3
    for engine, chosen in tonight.items():
        if engine != ENGINE:
            assert all(item.query.kind != ACCOUNT_KIND for item in chosen), engine


def test_a_small_per_night_rotates_the_least_asked(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[1] / "keywords" / "official_accounts.toml")
    small = tmp_path / "official_accounts.toml"
    small.write_text(source.read_text(encoding="utf-8").replace("per_night = 8", "per_night = 2"),
                     encoding="utf-8")
    accounts = read_official_accounts(small)
    plan = compose_account_plan(accounts)
    paging = {"pages": 0, "base_pages": 1, "yielding_pages": 2, "exploration": 0.3}
    first = choose_accounts_tonight(ENGINE, plan, {}, accounts, **paging)
    assert [item.query.text for item in first] == [plan[0].text, plan[1].text]
    asked = {item.query.text: QueryYield(asked=1, last_asked="2026-12-01") for item in first}
    second = choose_accounts_tonight(ENGINE, plan, asked, accounts, **paging)
    assert [item.query.text for item in second] == [plan[2].text, plan[3].text]
    assert choose_accounts_tonight("baidu", plan, {}, accounts, **paging) == []


def test_jiazheng_plan_shows_them(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    Store(db).close()
    result = CliRunner().invoke(main, ["plan", "--db", str(db), "--max-queries", "2",
                                       "--show", "20"])
    assert result.exit_code == 0, result.output
    assert "官方账号名称查询（经 sogou_weixin_account，先于计划查询）" in result.output
    block = result.output.split(f"{ENGINE} 今晚按类型：", 1)[1]
    listed = [line.strip().split("\t") for line in block.splitlines() if line.startswith("  ")]
    assert listed[0][:2] == ["国家安全生产考试", "官方账号名称"]
    baidu = result.output.split("baidu 今晚按类型：", 1)[1].split("\n\n", 1)[0]
    assert "官方账号名称" not in baidu


def test_the_demo_crawl_finds_the_lookalike_through_its_official_name(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb() as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", "--engine", ENGINE, "--proxy",
             web.proxy_url, "--db", str(db), "--no-delay", "--max-queries", "1", "--no-browser",
             "-s", "JIAZHENG_MAX_PROBES=0"],
            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        cards = {query for (query,) in conn.execute(
            "SELECT query FROM account_cards WHERE address = ?", [LOOKALIKE])}
        asked = {query for (query,) in conn.execute(
            "SELECT query FROM queries WHERE engine = ? AND page = 0", [ENGINE])}
        category = conn.execute("SELECT category FROM leads WHERE url = ?",
                                [LOOKALIKE]).fetchone()
    assert category == ("lookalike_account",)
    assert "国家安全生产考试" in cards
    names = {query.text for query in compose_account_plan(ACCOUNTS)}
    assert names <= asked and len(asked - names) == 1  # every name and variant, one plan query
