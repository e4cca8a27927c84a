"""Options, output and the crawl-then-summarise step shared by every ``jiazheng`` command module."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.markup import escape

from crawler.extensions import WATCHDOG_EXIT
from crawler.runner import CrawlSetupError, crawl_settings, run_crawl
from crawler.summary import print_summary
from leads.feeds.drain import drain_session
from leads.store import DEFAULT_DB, Store

# Messages and tables go to stderr; stdout stays for data (JSON lines, CSV).
console = Console(stderr=True)

proxy_option = click.option(
    "--proxy", default=None,
    help="HTTP proxy for all traffic, Scrapy's and the browser's (default: HTTP(S)_PROXY).")
db_option = click.option("--db", "db", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file.")


def crawl_and_report(spider: str, db: str, *, drain: bool = False, **options: object) -> None:
    """Run one crawl, then print its summary table; exit 2 when it cannot start."""
    try:
        settings = crawl_settings(db=db, **options)  # type: ignore[arg-type]
        result = run_crawl(spider, settings)
    except CrawlSetupError as exc:
        console.print(f"[red]无法开始抓取：{exc}[/red]")
        sys.exit(2)
    store = Store(db)
    try:
        if drain:
            result.run_id, _ = drain_session(settings.get("REDIS_URL"),
                                             settings.get("JIAZHENG_REDIS_ITEMS_KEY"), store)
        print_summary(store, result.run_id, result.stats, console)
    finally:
        store.close()
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
