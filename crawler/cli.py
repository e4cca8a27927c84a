"""``jiazheng``: a thin command line over crawler.runner and the leads library."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from crawler.cli_options import console, crawl_and_report, db_option, proxy_option
from crawler.cli_plan import plan, plan_options, plan_overrides
from leads.outputs import OutputError
from leads.referral.export import export_leads
from leads.store import Store, StoreCorruptError, StoreLockedError

# Outputs hold police material: files 0600, folders 0700 unless the operator says otherwise.
DEFAULT_UMASK = "077"


class JiazhengGroup(click.Group):
    """Problems every command can meet — a full disk, a damaged database — end it with one
    sentence and exit code 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (OutputError, StoreCorruptError) as exc:
            console.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
            sys.exit(2)


@click.group(cls=JiazhengGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiazheng")
def main() -> None:
    """jiazheng 假证线索监测: find sellers of fake certificates and fake verification sites.

    Files and folders it writes are private to its user (umask 077; JIAZHENG_UMASK=022 to share).
    """
    os.umask(int(os.environ.get("JIAZHENG_UMASK", DEFAULT_UMASK), 8))


@main.command()
@db_option
@proxy_option
@click.option("--max-queries", type=int,
              help="Cap on tonight's queries per engine (default 40, lifted by --budget).")
@plan_options
@click.option("--engine", "spider", default="search", show_default=True,
              help="Spider to run: search (all engines), baidu, sogou, bing, so360.")
@click.option("--no-delay", is_flag=True, help="Turn every politeness delay off (local test webs).")
@click.option("--no-browser", is_flag=True, help="Never render pages with Chromium.")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/jiazheng setting, as with scrapy crawl.")
@click.option("--redis", "redis_url",
              help="Share the request queue and duplicate filter with other crawler processes "
                   "through this Redis (redis://host:port/db); results go through it to --db.")
@click.option("--session", default="", help="With --redis: crawl session (default: today, UTC).")
@click.option("--no-drain", is_flag=True,
              help="With --redis: leave results in Redis for `jiazheng drain` on the store's host.")
def crawl(db: str, proxy: str | None, max_queries: int | None, budget: str,
          queries_file: Path | None, spider: str, no_delay: bool, no_browser: bool,
          overrides: tuple[str, ...], redis_url: str | None, session: str,
          no_drain: bool) -> None:
    """Search the engines with tonight's share of the query plan, fetch and score the pages,
    store leads.

    Example: jiazheng crawl --db jiazheng.db --budget 5h --proxy http://127.0.0.1:8080
    """
    overrides = (*plan_overrides(budget, queries_file), *overrides)
    crawl_and_report(spider, db, proxy=proxy, max_queries=max_queries, no_delay=no_delay,
                     browser=not no_browser, overrides=overrides, redis=redis_url,
                     session=session, drain=bool(redis_url) and not no_drain)


@main.command()
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (UTF-8 with BOM, opens in Excel).")
@click.option("--min-score", type=int, default=0, show_default=True,
              help="Only leads scoring at least this.")
@click.option("--wait", type=float, default=30, show_default=True,
              help="Seconds to wait for a lock held by another process (a running crawl).")
def export(db: str, out: Path, min_score: int, wait: float) -> None:
    """Write the lead list as an Excel-safe CSV.

    Example: jiazheng export --out leads.csv --min-score 60
    """
    try:
        store = Store(db, timeout=wait)
    except StoreLockedError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    try:
        count = export_leads(store, out, min_score)
    finally:
        store.close()
    console.print(f"已导出 {count} 条线索到 {out}")


@main.command()
@click.option("--out-dir", default="demo-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo's database and leads.csv go.")
@click.option("--max-queries", type=int, default=12, show_default=True)
@click.option("--no-browser", is_flag=True, help="Never render pages with Chromium.")
def demo(out_dir: Path, max_queries: int, no_browser: bool) -> None:
    """Crawl the bundled offline demo web (engines and sites on 127.0.0.1) and export its leads.

    Example: jiazheng demo --out-dir demo-out
    """
    from crawler.demoweb.server import DemoWeb

    out_dir.mkdir(parents=True, exist_ok=True)
    db = str(out_dir / "jiazheng.db")
    with DemoWeb() as web:
        console.print(f"离线演示网络已启动：代理 {web.proxy_url}")
        crawl_and_report("search", db, proxy=web.proxy_url, max_queries=max_queries,
                          no_delay=True, browser=not no_browser,
                          overrides=("JIAZHENG_MAX_SERP_PAGES=3",))
    store = Store(db)
    try:
        count = export_leads(store, out_dir / "leads.csv")
    finally:
        store.close()
    console.print(f"已导出 {count} 条线索到 {out_dir / 'leads.csv'}")


# Command families live in their own modules; registered here so `jiazheng -h` lists them all.
from crawler.cli_domains import score_domains, watch_ct  # noqa: E402
from crawler.cli_nightly import drain, nightly, recheck  # noqa: E402
from crawler.cli_packets import capture, check, packet, stats  # noqa: E402
from crawler.cli_review import review  # noqa: E402
from crawler.cli_text import score_text  # noqa: E402

for command in (score_text, score_domains, watch_ct, review, capture, packet, check, stats,
                nightly, recheck, drain, plan):
    main.add_command(command)
