"""The query plan under the crawl's settings: which queries each engine is asked tonight.

The choosing is leads/plan/query_plan.py's (pure); this module reads what it needs from the Scrapy
settings — the office's list, the budget, each engine's politeness delay — so the spider and
``jiazheng plan`` decide alike. Settings read: JIAZHENG_QUERIES_FILE, JIAZHENG_BUDGET,
JIAZHENG_MAX_QUERIES (a cap; lifted by a budget unless set on the command line),
JIAZHENG_EXPLORATION, JIAZHENG_MAX_SERP_PAGES, JIAZHENG_MAX_SERP_PAGES_YIELDING, DOWNLOAD_SLOTS,
DOWNLOAD_DELAY; keywords/post_platforms.toml for the ``site:`` queries of the web engines; and
keywords/official_accounts.toml for the official account names WeChat account search asks first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.settings.default_settings import DOWNLOAD_DELAY

from crawler.serp import Engine
from keywords import load_intents, load_library
from keywords.official_accounts import load_official_accounts
from keywords.post_platforms import load_post_platforms
from leads.plan.account_queries import ACCOUNT_KIND, choose_accounts_tonight, compose_account_plan
from leads.plan.platform_queries import SITE_KIND, choose_site_tonight, compose_site_plan
from leads.plan.query_plan import (
    Budget,
    PlannedQuery,
    QueryYield,
    TonightQuery,
    choose_tonight,
    compose_plan,
    engine_capacity,
    parse_budget,
    read_queries_file,
)

# Kinds asked before and beside the plan each night (site: posts, official account names), not
# part of it: they do not count toward covering the plan.
FIRST_KINDS = (SITE_KIND, ACCOUNT_KIND)


def query_plan(settings: BaseSettings) -> tuple[PlannedQuery, ...]:
    """The whole plan: the keyword library, intents.tsv and the office's list if one is set."""
    office_file = settings.get("JIAZHENG_QUERIES_FILE")
    office = read_queries_file(Path(office_file)) if office_file else []
    return compose_plan(load_library(), load_intents(), office)


def budget_of(settings: BaseSettings) -> Budget:
    return parse_budget(settings.get("JIAZHENG_BUDGET") or "")


def query_cap(settings: BaseSettings) -> int:
    """JIAZHENG_MAX_QUERIES, unless a budget is set and the cap is only the default."""
    set_by_operator = settings.getpriority("JIAZHENG_MAX_QUERIES") >= SETTINGS_PRIORITIES["cmdline"]
    budget = budget_of(settings)
    if (budget.seconds or budget.requests) and not set_by_operator:
        return 0
    return settings.getint("JIAZHENG_MAX_QUERIES")


def engine_delay(settings: BaseSettings, engine: Engine) -> float:
    """Seconds between two requests to the engine: its download slot's delay, else the global."""
    host = urlsplit(engine.search_url).hostname or ""
    slot = settings.getdict("DOWNLOAD_SLOTS").get(host) or {}
    return float(slot.get("delay", settings.getfloat("DOWNLOAD_DELAY", DOWNLOAD_DELAY)))


def tonight_queries(
    settings: BaseSettings, engines: Sequence[Engine],
    yields: Mapping[str, Mapping[str, QueryYield]],
    plan: Sequence[PlannedQuery] | None = None,
) -> dict[str, list[TonightQuery]]:
    """Engine name → tonight's queries for it, in asking order: on WeChat account search, the
    official account names and their variants first (official_accounts.toml); on the web engines
    of post_platforms.toml, the few ``site:`` queries first; then the plan's (the pages of those
    first ones reserved from a budget, so the plan never crowds them out)."""
    plan = query_plan(settings) if plan is None else plan
    budget, cap = budget_of(settings), query_cap(settings)
    platforms = load_post_platforms()
    site_plan = compose_site_plan(plan, platforms)
    accounts = load_official_accounts()
    account_plan = compose_account_plan(accounts)
    paging = {"base_pages": settings.getint("JIAZHENG_MAX_SERP_PAGES"),
              "yielding_pages": settings.getint("JIAZHENG_MAX_SERP_PAGES_YIELDING"),
              "exploration": settings.getfloat("JIAZHENG_EXPLORATION")}
    tonight = {}
    for engine in engines:
        pages, queries = engine_capacity(budget, engine_delay(settings, engine), cap)
        engine_yields = yields.get(engine.name, {})
        first = choose_accounts_tonight(engine.name, account_plan, engine_yields, accounts,
                                        pages=pages, **paging)
        first += (choose_site_tonight(site_plan, engine_yields, platforms, pages=pages, **paging)
                  if engine.name in platforms.site_engines else [])
        spent = sum(item.pages for item in first)
        asked_first = {item.query.text for item in first}  # a plan query of the same words
        tonight[engine.name] = first + choose_tonight(
            [query for query in plan if query.text not in asked_first], engine_yields,
            pages=max(pages - spent, 1) if pages else 0, queries=queries, **paging)
    return tonight
