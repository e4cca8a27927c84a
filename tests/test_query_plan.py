"""The query plan: composition, the office's list, tonight's choice, rotation, yields, budget."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler.budget import BudgetSpent, SearchBudgetMiddleware
from crawler.cli import main
from crawler.plan import query_cap, tonight_queries
from crawler.runner import crawl_settings
from keywords import load_intents, load_library
from leads.judge.observations import QueryOutcome, Sighting
from leads.plan.query_plan import (
    Budget,
    PlanError,
    PlannedQuery,
    QueryYield,
    TonightQuery,
    choose_tonight,
    compose_plan,
    coverage,
    engine_capacity,
    parse_budget,
    read_queries_file,
)
from leads.store import Store
from spiders.search import SearchSpider
from tests.conftest import make_page

LIBRARY = load_library()
INTENTS = load_intents()


def plan(office: list[str] | None = None) -> tuple[PlannedQuery, ...]:
    return compose_plan(LIBRARY, INTENTS, office or [])


def test_plan_spans_every_certificate_intent_and_sales_claim_once() -> None:
    whole = plan()
    texts = [query.text for query in whole]
    assert len(texts) == len(set(texts))
    signals = [signal.term for signal in LIBRARY.fraud_signals if signal.query]
    for certificate in LIBRARY.certificates:
        for word in [*signals, *(intent.term for intent in INTENTS)]:
            assert f"{certificate.term} {word}" in texts
    for platform in LIBRARY.platforms:
        assert platform.name in texts
    assert {query.kind for query in whole} == {"sales", "obtain", "verify"}


def test_any_prefix_of_the_plan_spans_kinds_and_families() -> None:
    first = plan()[:24]
    assert {query.kind for query in first} == {"sales", "obtain", "verify"}
    families = {certificate.family for certificate in LIBRARY.certificates}
    assert families <= {query.family for query in first}


def test_office_lines_are_merged_whole_queries_as_written_bare_terms_combined() -> None:
    whole = plan(["电工证 免考 代办", "消防设施操作员证", "电工证 免考"])
    texts = [query.text for query in whole]
    assert texts[0] == "电工证 免考 代办"
    assert "消防设施操作员证 查询" in texts and "消防设施操作员证 办理" in texts
    assert texts.count("电工证 免考") == 1  # already in the library's own plan
    assert {q.kind for q in whole if q.subject == "消防设施操作员证"} == {"office"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_queries_file_in_utf8_or_gbk(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "office.txt"
    path.write_bytes("# 本局关键词\n\n焊工证 哪里办\n叉车证\r\n".encode(encoding))
    assert read_queries_file(path) == ["焊工证 哪里办", "叉车证"]


def test_queries_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "office.txt"
    path.write_text("电工证\n" + "长" * 65 + "\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"office\.txt:2"):
        read_queries_file(path)
    path.write_bytes(b"\xff\xfe\xfa\xfb\x81")
    with pytest.raises(PlanError, match="UTF-8"):
        read_queries_file(path)
    with pytest.raises(PlanError, match="无法读取"):
        read_queries_file(tmp_path / "missing.txt")


@pytest.mark.parametrize(("text", "budget"), [
    ("5h", Budget(seconds=18000)), ("90m", Budget(seconds=5400)), ("300req", Budget(requests=300)),
    ("", Budget()),
])
def test_budget_parsing(text: str, budget: Budget) -> None:
    assert parse_budget(text) == budget


@pytest.mark.parametrize("text", ["5", "abc", "0h", "-3h", "5 days"])
def test_bad_budgets_are_refused(text: str) -> None:
    with pytest.raises(PlanError):
        parse_budget(text)


def test_time_budget_becomes_pages_at_the_engine_politeness() -> None:
    assert engine_capacity(Budget(seconds=3600), delay=5.0) == (600, 0)
    assert engine_capacity(Budget(requests=300), delay=5.0, max_queries=40) == (300, 40)
    assert engine_capacity(Budget(), delay=5.0, max_queries=40) == (0, 40)


def night(whole: Sequence[PlannedQuery], yields: dict[str, QueryYield], slots: int = 100,
          **options: float) -> list[TonightQuery]:
    return choose_tonight(whole, yields, pages=0, queries=slots, base_pages=2, yielding_pages=5,
                          **options)


def ask(yields: dict[str, QueryYield], chosen: list[TonightQuery], when: str,
        leads: frozenset[str] | set[str] = frozenset()) -> None:
    for item in chosen:
        old = yields.get(item.query.text, QueryYield())
        yields[item.query.text] = QueryYield(
            asked=old.asked + 1, results=old.results + 10,
            new_leads=old.new_leads + (item.query.text in leads), last_asked=when)


def test_rotation_covers_the_plan_in_ceil_plan_over_slots_nights() -> None:
    whole = plan()
    yields: dict[str, QueryYield] = {}
    nights = math.ceil(len(whole) / 100)
    for number in range(nights):
        assert coverage(whole, yields) < 1
        ask(yields, night(whole, yields), f"2026-12-{number + 1:02d}")
    assert coverage(whole, yields) == 1


def test_yielding_queries_come_first_with_more_pages_but_exploration_keeps_its_share() -> None:
    whole = plan()
    yields: dict[str, QueryYield] = {}
    first = night(whole, yields)
    ask(yields, first, "2026-12-01", leads={item.query.text for item in first})  # all yield
    second = night(whole, yields)
    by_why = {why: [item for item in second if item.why == why] for why in ("yield", "rotation")}
    assert len(by_why["yield"]) == 80 and len(by_why["rotation"]) == 20
    assert all(item.pages == 5 for item in by_why["yield"])
    assert all(yields.get(item.query.text) is None for item in by_why["rotation"])  # never asked
    assert second[0].why == "yield"


def test_never_yielding_queries_wait_until_every_other_has_been_asked_as_often() -> None:
    whole = plan()[:30]
    yields: dict[str, QueryYield] = {}
    ask(yields, night(whole, yields, slots=10), "2026-12-01")
    second = night(whole, yields, slots=20)
    assert all(yields.get(item.query.text) is None for item in second)


def test_a_query_that_stops_yielding_goes_back_to_the_rotation() -> None:
    whole = plan()[:30]
    text = whole[0].text
    yields = {text: QueryYield(asked=6, new_leads=1, last_asked="2026-12-06")}
    assert night(whole, yields, slots=10)[0].query.text != text
    yields = {text: QueryYield(asked=2, new_leads=1, last_asked="2026-12-06")}
    assert night(whole, yields, slots=10)[0].query.text == text


def test_page_budget_and_query_cap_bound_the_night() -> None:
    whole = plan()
    assert len(choose_tonight(whole, {}, pages=30, queries=0, base_pages=2,
                              yielding_pages=5)) == 15
    assert len(choose_tonight(whole, {}, pages=30, queries=4, base_pages=2,
                              yielding_pages=5)) == 4
    assert len(choose_tonight(whole, {}, pages=1, queries=0, base_pages=2,
                              yielding_pages=5)) == 1
    assert len(choose_tonight(whole, {}, pages=0, queries=0, base_pages=2,
                              yielding_pages=5)) == len(whole)


def test_max_queries_caps_and_a_budget_lifts_only_the_default_cap() -> None:
    assert query_cap(crawl_settings()) == 40
    assert query_cap(crawl_settings(overrides=("JIAZHENG_BUDGET=2h",))) == 0
    assert query_cap(crawl_settings(max_queries=7, overrides=("JIAZHENG_BUDGET=2h",))) == 7
    settings = crawl_settings(overrides=("JIAZHENG_BUDGET=60req",))
    tonight = tonight_queries(settings, SearchSpider.engines, {})
    assert {len(chosen) for chosen in tonight.values()} == {30}  # 60 pages / 2 pages a query


def test_store_keeps_each_querys_yield_per_engine(store: Store) -> None:
    run = store.start_run("crawl search", {})
    query = "电工证 查询"
    store.save_query(run, QueryOutcome("baidu", query, 0, "u", "results", 10, at="2026-12-01"))
    store.save_query(run, QueryOutcome("baidu", query, 1, "u2", "results", 8))
    store.save_query(run, QueryOutcome("sogou", query, 0, "u3", "captcha"))
    store.save_sighting(run, Sighting("baidu", query, 0, 1, "t", "s", False,
                                      "http://www.baidu.com/link?x", "http://fake.example.com/"))
    # A new lead found on the result page's contact page counts for the query; seen again: not.
    store.save_page(run, make_page("http://fake.example.com/"))
    store.save_page(run, make_page("http://fake.example.com/contact", role="contact",
                                   parent_url="http://fake.example.com/", depth=1))
    store.save_page(run, make_page("http://fake.example.com/"))
    yields = store.query_yields()
    assert yields["baidu"][query] == QueryYield(asked=1, results=18, new_leads=2, blocked=0,
                                                last_asked="2026-12-01")
    assert yields["sogou"][query].asked == 0 and yields["sogou"][query].blocked == 1


def test_a_resumed_run_plans_from_the_history_before_it(store: Store) -> None:
    """Yields as they stood when a run started equal the stored ones at that moment, however
    far the run itself got; probes and watched hosts of the run are not its own history."""
    query = "电工证 查询"
    first = store.start_run("crawl search", {})
    store.save_query(first, QueryOutcome("baidu", query, 0, "u", "results", 10, at="2026-12-01"))
    store.save_sighting(first, Sighting("baidu", query, 0, 1, "t", "s", False,
                                        "http://www.baidu.com/link?x", "http://fake.example.com/"))
    store.save_page(first, make_page("http://fake.example.com/"))
    store.save_page(first, make_page("http://cxmem.example.net/", role="probe"))
    before = store.query_yields()
    second = store.start_run("crawl search", {})
    store.save_query(second, QueryOutcome("baidu", query, 0, "u", "results", 7, at="2026-12-02"))
    store.save_query(second, QueryOutcome("bing", query, 0, "u", "results", 3, at="2026-12-02"))
    store.save_sighting(second, Sighting("baidu", query, 0, 2, "t", "s", False,
                                         "http://www.baidu.com/link?y", "http://new.example.com/"))
    store.save_page(second, make_page("http://new.example.com/"))
    store.save_page(second, make_page("http://mohurd.example.org/", role="probe"))
    assert store.query_yields() != before
    assert store.query_yields(before_run=second) == before
    assert store.probed_hosts(before_run=second) == ["cxmem.example.net"]
    assert set(store.probed_hosts()) == {"cxmem.example.net", "mohurd.example.org"}


def test_plan_command_prints_tonight_and_coverage(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    run = store.start_run("crawl search", {})
    first = plan()[0].text
    store.save_query(run, QueryOutcome("baidu", first, 0, "u", "results", 10))
    store.close()
    office = tmp_path / "office.txt"
    office.write_bytes("消防证\n".encode("gbk"))
    result = CliRunner().invoke(main, ["plan", "--db", str(db), "--budget", "40req",
                                       "--queries", str(office), "--show", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("查询计划：共") and "本单位词表" in lines[0]
    baidu = next(line for line in lines if line.startswith("baidu\t"))
    assert baidu.split("\t")[1] == "20" and baidu.split("\t")[5] != "0.0%"
    assert "消防证" in result.output
    bad = CliRunner().invoke(main, ["plan", "--db", str(db), "--budget", "soon"])
    assert bad.exit_code == 2 and "预算格式无效" in bad.output


def serp(engine: str, query: str = "电工证 查询") -> Request:
    return Request(f"https://{engine}.example/s?q=1",
                   meta={"jz_engine": engine, "jz_query": query, "jz_page": 0})


def test_request_budget_stops_each_engines_result_pages_not_the_pages_found() -> None:
    crawler = get_crawler(settings_dict={"JIAZHENG_BUDGET": "2req"})
    crawler.stats = StatsCollector(crawler)
    budget = SearchBudgetMiddleware.from_crawler(crawler)
    for _ in range(2):
        budget.process_request(serp("baidu"))
    with pytest.raises(BudgetSpent):
        budget.process_request(serp("baidu"))
    budget.process_request(serp("sogou"))  # another engine has its own budget
    budget.process_request(Request("http://fake.example.com/"))  # a page: never refused
    assert crawler.stats.get_value("jiazheng/budget/refused/baidu") == 1


def test_time_budget_stops_result_pages_once_spent() -> None:
    crawler = get_crawler(settings_dict={"JIAZHENG_BUDGET": "1h"})
    crawler.stats = StatsCollector(crawler)
    budget = SearchBudgetMiddleware.from_crawler(crawler)
    budget.process_request(serp("bing"))
    budget.started -= 3601
    with pytest.raises(BudgetSpent):
        budget.process_request(serp("bing"))


def test_no_budget_no_middleware() -> None:
    with pytest.raises(NotConfigured):
        SearchBudgetMiddleware.from_crawler(get_crawler(settings_dict={"JIAZHENG_BUDGET": ""}))
