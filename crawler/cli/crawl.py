"""``jiazheng crawl`` and ``jiazheng demo``, and the crawl-then-summarise step they share with
``recheck``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from crawler.cli.options import console, db_option, fail, open_store, proxy_option
from crawler.cli.plan import plan_options, plan_overrides
from crawler.demoweb.server import DemoWeb
from crawler.extensions import WATCHDOG_EXIT
from crawler.runner import CrawlSetupError, crawl_settings, run_crawl
from crawler.summary import print_summary
from leads.feeds.drain import drain_session
from leads.referral.export import export_leads
from spiders.search import ENGINES


def crawl_and_report(spider: str, db: str, *, drain: bool = False, **options: object) -> None:
    """Run one crawl, then print its summary table; exit 2 when it cannot start."""
    try:
        settings = crawl_settings(db=db, **options)  # type: ignore[arg-type]
        result = run_crawl(spider, settings)
    except CrawlSetupError as exc:
        fail(f"无法开始抓取：{exc}")
    with open_store(db) as store:
        if drain:
            result.run_id, _ = drain_session(settings.get("REDIS_URL"),
                                             settings.get("JIAZHENG_REDIS_ITEMS_KEY"), store)
        print_summary(store, result.run_id, result.stats, console)
        # Tonight's leads may join a seller's other sites: the review pages and packets read
        # the networks as the store holds them.
        store.rebuild_networks()
    if result.stuck:
        # Plain print, not the console: a wrapped line would cut the URL in nightly's message.
        print(result.stuck, file=sys.stderr, flush=True)
        sys.exit(WATCHDOG_EXIT)
    if failure := result.stats.get("jiazheng/store/failure"):
        console.print(f"[red]抓取中止：{escape(str(failure))}[/red]", soft_wrap=True)
        if result.unsaved:
            console.print(f"[red]未写入的 {result.unsaved} 条记录已保存到 "
                          f"{result.stats.get('jiazheng/store/unsaved_file')}[/red]")
        sys.exit(1)
    if result.unsaved:
        console.print(f"[red]{result.unsaved} 条记录未能写入数据库，见 "
                      f"{result.stats.get('jiazheng/store/unsaved_file')}，"
                      "锁释放后用 jiazheng drain --file 写入[/red]")
        sys.exit(1)


@click.command()
@db_option
@proxy_option
@click.option("--max-queries", type=int,
              help="Cap on tonight's plan queries per engine (default 40, lifted by --budget); "
                   "the web engines add post_platforms.toml's few site: queries.")
@plan_options
@click.option("--engine", "spider", default="search", show_default=True,
              help="Spider to run: search (all engines), "
                   f"{', '.join(engine.name for engine in ENGINES)}.")
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


@click.command()
@click.option("--out-dir", default="demo-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo's database and leads.csv go.")
@click.option("--max-queries", type=int, default=12, show_default=True)
@click.option("--no-browser", is_flag=True, help="Never render pages with Chromium.")
def demo(out_dir: Path, max_queries: int, no_browser: bool) -> None:
    """Crawl the bundled offline demo web (engines and sites on 127.0.0.1) and export its leads.

    Example: jiazheng demo --out-dir demo-out
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    db = str(out_dir / "jiazheng.db")
    with DemoWeb() as web:
        console.print(f"离线演示网络已启动：代理 {web.proxy_url}")
        crawl_and_report("search", db, proxy=web.proxy_url, max_queries=max_queries,
                          no_delay=True, browser=not no_browser,
                          overrides=("JIAZHENG_MAX_SERP_PAGES=3", *web.hosting.overrides))
    with open_store(db) as store:
        count = export_leads(store, out_dir / "leads.csv")
    console.print(f"已导出 {count} 条线索到 {out_dir / 'leads.csv'}")
