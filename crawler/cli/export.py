"""``jiazheng export`` and ``jiazheng stats``: the tables analysts open, read from a database a
crawl wrote (a missing --db is an error, not a new empty database)."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.options import console, db_option, fail, open_store
from leads.referral.export import export_leads
from leads.referral.stats import check_month, write_monthly_stats


@click.command()
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (UTF-8 with BOM, opens in Excel).")
@click.option("--min-score", type=int, default=0, show_default=True,
              help="Only leads scoring at least this.")
@click.option("--wait", type=float, default=30, show_default=True,
              help="Seconds to wait for a lock held by another process (a running crawl).")
@click.option("--province", default="",
              help="Only leads whose seller's phone is registered there, as written in the "
                   "province column (广东省, 北京市, 新疆维吾尔自治区).")
def export(db: str, out: Path, min_score: int, wait: float, province: str) -> None:
    """Write the lead list as an Excel-safe CSV.

    Example: jiazheng export --out leads.csv --min-score 60 --province 广东省
    """
    with open_store(db, must_exist=True, wait=wait) as store:
        count = export_leads(store, out, min_score, province.strip())
    where = f"（卖家电话属地：{province.strip()}）" if province.strip() else ""
    console.print(f"已导出 {count} 条线索{where}到 {out}")


@click.command()
@click.option("--month", required=True, help="Month to count, YYYY-MM.")
@click.option("--out", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where the tables go.")
@db_option
def stats(month: str, out: Path, db: str) -> None:
    """Write the campaign's monthly 附表 (XLSX and CSV): known figures filled, the rest blank.

    Months are Beijing-time months; each figure for the month and 累计 (up to its end); leads
    marked 误报 are not counted. The XLSX adds breakdowns (category, certificate family, search
    engine, post platform, agency, province and city of the seller's phone), a monthly trend
    and a chart sheet.

    Example: jiazheng stats --month 2026-11 --out reports
    """
    try:
        check_month(month)
    except ValueError as exc:
        fail(str(exc))
    with open_store(db, must_exist=True) as store:
        written = write_monthly_stats(store, month, out)
        found, through = store.leads_found_in(month), store.leads_found_in(month, cumulative=True)
    console.print(f"{month}（北京时间）发现线索：本月 {found} 条，累计 {through} 条（不含误报）")
    console.print("已写出 " + "、".join(str(path) for path in written))
