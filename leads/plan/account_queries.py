"""The account-name queries: Sogou WeChat account search asked the official accounts' names and
their obvious variants (keywords/official_accounts.toml, [account_search]) before the plan's own.

The plan's queries (certificate × sales words) find sellers, but a lookalike 公众号 that only
copies an official name — “国家安全生产考试” without the blue V — is found by searching that name.
So each engine of ``[account_search] engines`` asks, on top of its plan queries and before them,
at most ``per_night`` of these a night, chosen like the plan's (yielding ones first, then least
asked): with as many as ``per_night``, every one is asked every night. No other engine asks them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from keywords.official_accounts import OfficialAccounts
from leads.plan.query_plan import (
    PlannedQuery,
    QueryYield,
    TonightQuery,
    choose_tonight,
    fold_query,
)

ACCOUNT_KIND = "account"
ACCOUNT_FAMILY = "官方账号"


def compose_account_plan(accounts: OfficialAccounts) -> tuple[PlannedQuery, ...]:
    """The official names in file order, then the variants, each once."""
    return tuple(PlannedQuery(fold_query(text), ACCOUNT_KIND, ACCOUNT_FAMILY, text)
                 for text in accounts.search_queries)


def choose_accounts_tonight(
    engine: str, account_plan: Sequence[PlannedQuery], yields: Mapping[str, QueryYield],
    accounts: OfficialAccounts, *, pages: int, base_pages: int, yielding_pages: int,
    exploration: float,
) -> list[TonightQuery]:
    """Tonight's account-name queries for ``engine``: none unless it is an account-search engine;
    at most ``per_night``, within ``pages`` result pages (0: not bounded by pages)."""
    if engine not in accounts.search.engines or not account_plan:
        return []
    return choose_tonight(account_plan, yields, pages=pages, queries=accounts.search.per_night,
                          base_pages=base_pages, yielding_pages=yielding_pages,
                          exploration=exploration)


def account_plan_line(account_plan: Sequence[PlannedQuery], accounts: OfficialAccounts) -> str:
    """The account names' share of the plan in one line, for ``jiazheng plan``."""
    names = len(accounts.accounts)
    variants = len(account_plan) - names
    return (f"官方账号名称查询（经 {'、'.join(accounts.search.engines)}，先于计划查询）：共 "
            f"{len(account_plan)} 条（官方名称 {names} 条，仿冒变体 {variants} 条），"
            f"每晚至多 {accounts.search.per_night} 条："
            + "、".join(query.text for query in account_plan))
