"""The ``site:`` queries: platforms whose own search needs a login (Zhihu, Douyin, Kuaishou,
Xiaohongshu, Xianyu, 58同城 — keywords/post_platforms.toml, reach "site") searched through the web
engines, as ``site:zhihu.com 电工证 包过``.

Each such platform is combined with the plan's first sales queries (the office's own first, then
the sales stream, which already spans every certificate family), interleaved so that any prefix
names every platform. The site plan is small and bounded: platforms × ``sales_queries_per_platform``
queries, of which each web engine asks ``site_queries_per_night`` a night on top of its plan
queries, chosen like them (yielding ones first, then least asked), so it is covered in
``ceil(size / per night)`` nights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from keywords.post_platforms import PostPlatforms
from leads.plan.query_plan import PlannedQuery, QueryYield, TonightQuery, choose_tonight

SITE_KIND = "site"
BASE_KINDS = ("office", "sales")  # the queries a platform is combined with, in plan order


def compose_site_plan(plan: Sequence[PlannedQuery],
                      platforms: PostPlatforms) -> tuple[PlannedQuery, ...]:
    """Every ``site:`` query worth asking: each site platform × the plan's first sales queries."""
    base = [query for query in plan if query.kind in BASE_KINDS]
    base = base[:platforms.sales_queries_per_platform]
    return tuple(
        PlannedQuery(f"site:{platform.site} {query.text}", SITE_KIND, query.family,
                     query.subject, platform=platform.key)
        for query in base for platform in platforms.reached_by_site
    )


def choose_site_tonight(
    site_plan: Sequence[PlannedQuery], yields: Mapping[str, QueryYield], platforms: PostPlatforms,
    *, pages: int, base_pages: int, yielding_pages: int, exploration: float,
) -> list[TonightQuery]:
    """Tonight's ``site:`` queries for one web engine: at most ``site_queries_per_night``, within
    ``pages`` result pages (0: not bounded by pages)."""
    if not site_plan or not platforms.site_queries_per_night:
        return []
    return choose_tonight(site_plan, yields, pages=pages,
                          queries=platforms.site_queries_per_night, base_pages=base_pages,
                          yielding_pages=yielding_pages, exploration=exploration)


def site_plan_line(site_plan: Sequence[PlannedQuery], platforms: PostPlatforms) -> str:
    """The platforms' share of the plan in one line, for ``jiazheng plan``."""
    by_site = "、".join(p.name_zh for p in platforms.reached_by_site)
    by_search = "、".join(p.name_zh for p in platforms.platforms if p.reach == "search")
    return (f"平台站内查询（site:，经 {'、'.join(platforms.site_engines)}）：共 {len(site_plan)} 条"
            f"（{by_site} 各 {platforms.sales_queries_per_platform} 条），每个网页引擎每晚 "
            f"{platforms.site_queries_per_night} 条；平台自有搜索：{by_search}（各作为一个引擎）")
