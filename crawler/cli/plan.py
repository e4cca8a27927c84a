"""``jiazheng plan``: what tonight's crawl will ask, and how much of the plan has been asked so far.

Also the --budget and --queries options ``crawl`` and ``nightly`` share.
"""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.options import db_option, open_store
from crawler.plan import FIRST_KINDS, budget_of, query_cap, query_plan, tonight_queries
from crawler.runner import CrawlSetupError, crawl_settings
from keywords.official_accounts import load_official_accounts
from keywords.post_platforms import load_post_platforms
from leads.plan.account_queries import account_plan_line, compose_account_plan
from leads.plan.platform_queries import compose_site_plan, site_plan_line
from leads.plan.query_plan import (
    PlanError,
    count_by,
    coverage,
    nights_to_cover,
    parse_budget,
    read_queries_file,
)
from spiders.search import SearchSpider

KIND_LABELS = {
    "office": "本单位词表", "sales": "销售话术", "obtain": "办证意图", "verify": "查询意图",
    "site": "平台站内(site:)", "account": "官方账号名称",
}


def plan_options(command: click.decorators.FC) -> click.decorators.FC:
    """--budget and --queries, for every command that crawls with the plan."""
    command = click.option(
        "--queries", "queries_file", type=click.Path(dir_okay=False, path_type=Path),
        help="The office's own list, merged into the plan: one query or term a line, UTF-8 or "
             "GBK, # comments; a bare term is combined like a certificate name.")(command)
    return click.option(
        "--budget", default="",
        help="Tonight's search budget: a time (5h, 90m) or result pages per engine (300req); "
             "spent at the configured politeness.")(command)


def plan_overrides(budget: str, queries_file: Path | None) -> tuple[str, ...]:
    """The options as settings overrides, checked first: a bad value stops before crawling."""
    try:
        parse_budget(budget)
        if queries_file is not None:
            read_queries_file(queries_file)
    except PlanError as exc:
        raise click.BadParameter(str(exc)) from exc
    overrides = [f"JIAZHENG_BUDGET={budget}"] if budget else []
    if queries_file is not None:
        overrides.append(f"JIAZHENG_QUERIES_FILE={queries_file.resolve()}")
    return tuple(overrides)


@click.command()
@db_option
@click.option("--max-queries", type=int,
              help="Cap on tonight's plan queries per engine (default 40, lifted by --budget); "
                   "the web engines add post_platforms.toml's few site: queries.")
@plan_options
@click.option("--show", type=int, default=20, show_default=True,
              help="How many of tonight's first queries to list per engine.")
@click.option("--no-delay", is_flag=True, help="Plan as `crawl --no-delay` would.")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a setting.")
def plan(db: str, max_queries: int | None, budget: str, queries_file: Path | None, show: int,
         no_delay: bool, overrides: tuple[str, ...]) -> None:
    """Print what tonight's crawl will ask (per kind, family and engine, the first queries) and
    the plan's coverage so far (share asked at least once, per engine).

    Example: jiazheng plan --db jiazheng.db --budget 5h --queries office.txt
    """
    overrides = (*plan_overrides(budget, queries_file), *overrides)
    try:
        settings = crawl_settings(db=db, max_queries=max_queries, no_delay=no_delay,
                                  overrides=overrides)
    except CrawlSetupError as exc:
        raise click.BadParameter(str(exc)) from exc
    whole = query_plan(settings)
    with open_store(db, must_exist=True) as store:
        yields = store.query_yields()
    engines = SearchSpider.engines
    tonight = tonight_queries(settings, engines, yields, plan=whole)
    kinds = count_by(whole, "kind")
    click.echo(f"查询计划：共 {len(whole)} 条（"
               + "，".join(f"{KIND_LABELS[kind]} {kinds[kind]}" for kind in KIND_LABELS
                          if kinds[kind]) + "）")
    platforms = load_post_platforms()
    click.echo(site_plan_line(compose_site_plan(whole, platforms), platforms))
    accounts = load_official_accounts()
    click.echo(account_plan_line(compose_account_plan(accounts), accounts))
    exploration = settings.getfloat("JIAZHENG_EXPLORATION")
    click.echo(f"今晚预算：{budget_of(settings)}；每引擎查询上限："
               f"{query_cap(settings) or '不限'}；探索比例 {exploration:.0%}")
    click.echo("引擎\t今晚查询\t按收益\t轮换\t结果页上限\t已覆盖\t覆盖全计划约需")
    for engine in engines:
        chosen = tonight[engine.name]
        reasons = count_by(chosen, "why")
        planned = sum(item.query.kind not in FIRST_KINDS for item in chosen)
        click.echo(f"{engine.name}\t{len(chosen)}\t{reasons['yield']}\t{reasons['rotation']}\t"
                   f"{sum(item.pages for item in chosen)}\t"
                   f"{coverage(whole, yields.get(engine.name, {})):.1%}\t"
                   f"{nights_to_cover(len(whole), planned)} 晚")
    for engine in engines:
        chosen = tonight[engine.name]
        queries = [item.query for item in chosen]
        click.echo(f"\n{engine.name} 今晚按类型：" + "，".join(
            f"{KIND_LABELS[kind]} {n}" for kind, n in count_by(queries, "kind").most_common()))
        click.echo(f"{engine.name} 今晚按证书类别：" + "，".join(
            f"{family} {n}" for family, n in count_by(queries, "family").most_common()))
        for item in chosen[:max(show, 0)]:
            platform = platforms.named(item.query.platform).name_zh if item.query.platform else ""
            click.echo(f"  {item.query.text}\t{KIND_LABELS[item.query.kind]}\t"
                       f"{'收益' if item.why == 'yield' else '轮换'}\t{item.pages} 页"
                       + (f"\t平台：{platform}" if platform else ""))
