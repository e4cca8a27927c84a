"""``jiazheng``: a thin command line over crawler.runner and the leads library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.cli_options import console, db_option
from crawler.runner import CrawlSetupError, crawl_settings, run_crawl
from crawler.summary import print_summary
from leads.export import export_leads
from leads.store import Store, StoreLockedError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiazheng")
def main() -> None:
    """jiazheng 假证线索监测: find sellers of fake certificates and fake verification sites."""


def _crawl_and_report(spider: str, db: str, **options: object) -> None:
    try:
        settings = crawl_settings(db=db, **options)  # type: ignore[arg-type]
        result = run_crawl(spider, settings)
    except CrawlSetupError as exc:
        console.print(f"[red]无法开始抓取：{exc}[/red]")
        sys.exit(2)
    store = Store(db)
    try:
        print_summary(store, result.run_id, result.stats, console)
    finally:
        store.close()
    if result.unsaved:
        console.print(f"[red]{result.unsaved} 条记录未能写入数据库，见 "
                      f"{result.stats.get('jiazheng/store/unsaved_file')}[/red]")
        sys.exit(1)


@main.command()
@db_option
@click.option("--proxy", help="HTTP proxy for all traffic (default: HTTP_PROXY/HTTPS_PROXY).")
@click.option("--max-queries", type=int, help="Queries per run (certificate × fraud signal).")
@click.option("--engine", "spider", default="search", show_default=True,
              help="Spider to run: search (all engines), baidu, sogou, bing, so360.")
@click.option("--no-delay", is_flag=True, help="Turn every politeness delay off (local test webs).")
@click.option("--no-browser", is_flag=True, help="Never render pages with Chromium.")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/jiazheng setting, as with scrapy crawl.")
def crawl(db: str, proxy: str | None, max_queries: int | None, spider: str, no_delay: bool,
          no_browser: bool, overrides: tuple[str, ...]) -> None:
    """Search the engines by keyword, fetch and score the pages, store leads.

    Example: jiazheng crawl --db jiazheng.db --max-queries 20 --proxy http://127.0.0.1:8080
    """
    _crawl_and_report(spider, db, proxy=proxy, max_queries=max_queries, no_delay=no_delay,
                      browser=not no_browser, overrides=overrides)


@main.command()
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (UTF-8 with BOM, opens in Excel).")
@click.option("--min-score", type=int, default=0, show_default=True,
              help="Only leads scoring at least this.")
def export(db: str, out: Path, min_score: int) -> None:
    """Write the lead list as an Excel-safe CSV.

    Example: jiazheng export --out leads.csv --min-score 60
    """
    try:
        store = Store(db)
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
        _crawl_and_report("search", db, proxy=web.proxy_url, max_queries=max_queries,
                          no_delay=True, browser=not no_browser,
                          overrides=("JIAZHENG_MAX_SERP_PAGES=3",))
    store = Store(db)
    try:
        count = export_leads(store, out_dir / "leads.csv")
    finally:
        store.close()
    console.print(f"已导出 {count} 条线索到 {out_dir / 'leads.csv'}")
