"""Commands for unattended operation: nightly, recheck, drain."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.cli.crawl import crawl_and_report
from crawler.cli.options import console, db_option, open_store, proxy_option
from crawler.cli.plan import plan_options, plan_overrides
from crawler.nightly import NightlyConfig, NightlyError, blocked_summary, run_nightly
from crawler.runner import items_key
from leads.feeds.drain import drain_file, drain_session

EXIT_FAILED = 1  # a step failed, or another nightly holds the database
EXIT_DEGRADED = 3  # every engine refused (captcha/blocked): the night searched nothing


@click.command()
@db_option
@proxy_option
@click.option("--no-delay", is_flag=True, help="Turn politeness delays off (local test webs).")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a setting.")
def recheck(db: str, proxy: str | None, no_delay: bool, overrides: tuple[str, ...]) -> None:
    """Re-fetch referred leads and record whether each is taken down or still online.

    Example: jiazheng recheck --db jiazheng.db
    """
    crawl_and_report("recheck", db, proxy=proxy, no_delay=no_delay, overrides=overrides)


@click.command()
@db_option
@proxy_option
@click.option("--out-dir", default="nightly-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the new-leads CSV and the run report go.")
@click.option("--max-queries", type=int, help="Queries per run (default: JIAZHENG_MAX_QUERIES).")
@plan_options
@click.option("--no-delay", is_flag=True, help="Turn politeness delays off (local test webs).")
@click.option("--no-capture", is_flag=True, help="Skip evidence capture for new leads.")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a setting.")
def nightly(db: str, proxy: str | None, out_dir: Path, max_queries: int | None, budget: str,
            queries_file: Path | None, no_delay: bool, no_capture: bool,
            overrides: tuple[str, ...]) -> None:
    """Crawl, re-check referred leads, export what is new since the last run, write a report.

    For cron or a systemd timer; carries on a run that was killed. The crawl asks tonight's
    share of the query plan (jiazheng plan). Exit codes: 0 done; 1 a step failed or another
    nightly holds the database (the message says which); 2 wrong options; 3 degraded: every
    engine answered only captchas or block pages, so nothing was searched (every step still ran
    and the report is written).

    Example: jiazheng nightly --db /var/lib/jiazheng/jiazheng.db --out-dir /var/lib/jiazheng/out
    --budget 5h
    """
    overrides = (*plan_overrides(budget, queries_file), *overrides)
    config = NightlyConfig(db=db, out_dir=out_dir, proxy=proxy or "", max_queries=max_queries,
                           no_delay=no_delay, overrides=overrides, capture=not no_capture)
    try:
        report = run_nightly(config)
    except NightlyError as exc:
        console.print(f"[red]nightly 失败：{exc}[/red]")
        sys.exit(EXIT_FAILED)
    if report.degraded:
        console.print(f"[red]nightly 降级：所有搜索引擎都只返回了验证码或拦截页"
                      f"（{blocked_summary(report)}），本次没有搜到任何结果；新线索 "
                      f"{report.new_leads} 条只是搜索以外的发现，不说明网上没有假证广告。"
                      f"请检查代理出口 IP、降低抓取频率或稍后重跑[/red]", soft_wrap=True)
        sys.exit(EXIT_DEGRADED)
    if report.blocked_engines:
        console.print(f"[yellow]注意：部分搜索引擎只返回了验证码或拦截页（{blocked_summary(report)}）"
                      f"[/yellow]", soft_wrap=True)
    console.print(f"nightly 完成：抓取运行 #{report.crawl_run}，新线索 {report.new_leads} 条 → "
                  f"{report.new_leads_csv}")


@click.command()
@db_option
@click.option("--redis", "redis_url", help="Redis URL, e.g. redis://host:6379/0")
@click.option("--session", default="", help="Crawl session name (default: today, UTC).")
@click.option("--file", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A <db>.unsaved-<run>.jsonl file a crawl wrote while the database was locked.")
def drain(db: str, redis_url: str | None, session: str, from_file: Path | None) -> None:
    """Write what crawler processes pushed to Redis (or a crawl saved to a file) into the store.

    Example: jiazheng drain --redis redis://127.0.0.1:6379/0 --db jiazheng.db
    """
    if bool(redis_url) == bool(from_file):
        raise click.UsageError("give exactly one of --redis and --file")
    with open_store(db) as store:
        if from_file:
            run_id, stored = drain_file(from_file, store)
        else:
            run_id, stored = drain_session(str(redis_url), items_key(session), store)
    console.print(f"已写入 {stored} 条记录（运行 #{run_id}）")
