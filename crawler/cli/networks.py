"""``jiazheng networks``: seller networks — leads one seller runs, joined by a shared phone,
WeChat, QQ, e-mail, logo or page template (leads/networks/) — rebuilt from the store and listed;
``networks show N`` one network with its sites, leads and the links that join them.

Output: one block a network on the terminal (stderr), ``--json`` (stdout, for scripts), ``--csv``
for Excel/WPS (UTF-8 with BOM, ``leads.referral.tables.write_csv``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from crawler.cli.options import console, db_option, fail, open_store
from leads.networks.table import (
    LEAD_HEADINGS,
    NETWORK_HEADINGS,
    SEPARATOR,
    lead_row,
    network_row,
)
from leads.referral.packets import CATEGORY_NAMES
from leads.referral.tables import write_csv
from leads.store.lifecycle import STATE_LABELS

LABELS = {**STATE_LABELS, **CATEGORY_NAMES}
# The list on a terminal, one block a network (a table of long cells is unreadable there); the
# CSV and JSON hold every column.
CONSOLE_HEADINGS = ("网站", "线索编号", "联系方式", "关联依据", "首次发现(北京时间)",
                    "最近发现(北京时间)")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print JSON to stdout instead of the readable list.")


def _print_block(title: str, headings: tuple[str, ...], row: tuple[Any, ...],
                 shown: tuple[str, ...]) -> None:
    """One record as a titled block of ``heading：value`` lines (readable on any terminal)."""
    console.print(f"\n[bold]{escape(title)}[/bold]", highlight=False)
    for heading in shown:
        value = str(row[headings.index(heading)]).replace(SEPARATOR, "、")
        console.print(f"  {heading}：{escape(value)}", highlight=False, soft_wrap=True)


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(invoke_without_command=True)
@db_option
@json_option
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the list as CSV (UTF-8 with BOM, opens in Excel/WPS).")
@click.option("--no-rebuild", is_flag=True,
              help="List the networks as the last rebuild (nightly) stored them.")
@click.pass_context
def networks(ctx: click.Context, db: str, as_json: bool, csv_path: Path | None,
             no_rebuild: bool) -> None:
    """Rebuild and list seller networks: sites one seller runs (shared phone, WeChat, QQ,
    e-mail, logo or page template), with their contacts and first/last seen.

    Example: jiazheng networks --db jiazheng.db --csv 卖家网络.csv
    (then jiazheng networks show 3 --db jiazheng.db)
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db, must_exist=True) as store:
        rebuilt = None if no_rebuild else store.rebuild_networks()
        found = store.seller_networks()
    rows = [network_row(network) for network in found]
    if csv_path is not None:
        write_csv(NETWORK_HEADINGS, rows, csv_path)
    if as_json:
        _echo_json(found)
    else:
        console.print(f"卖家网络 {len(rows)} 个", highlight=False)
        for row in rows:
            _print_block(f"网络 {row[0]}：{row[1]}", NETWORK_HEADINGS, row, CONSOLE_HEADINGS)
    if rebuilt is not None:
        console.print(f"已重建：{rebuilt.networks} 个网络，涉及 {rebuilt.leads} 条线索"
                      f"（新编号 {rebuilt.new} 个，撤销编号 {rebuilt.retired} 个）")
    if csv_path is not None:
        console.print(f"已写出 {csv_path}")


@networks.command()
@click.argument("network_id", type=int)
@db_option
@json_option
def show(network_id: int, db: str, as_json: bool) -> None:
    """One network: its sites, leads, contacts and every link with its reason.

    Example: jiazheng networks show 3 --db jiazheng.db
    """
    with open_store(db, must_exist=True) as store:
        network = store.network(network_id)
    if network is None:
        fail(f"没有编号为 {network_id} 的卖家网络（先运行 jiazheng networks 重建）")
    if as_json:
        _echo_json(network)
        return
    row = network_row(network)
    _print_block(f"网络 {row[0]}：{row[1]}", NETWORK_HEADINGS, row, CONSOLE_HEADINGS)
    for lead in network["leads"]:
        _print_block(f"线索 {lead['id']}", LEAD_HEADINGS, lead_row(lead, LABELS),
                     LEAD_HEADINGS[1:])
    table = Table(title="关联依据")
    for heading in ("线索", "关联线索", "依据", "强度"):
        table.add_column(heading)
    for link in network["links"]:
        table.add_row(str(link["lead_id"]), str(link["other_lead_id"]), escape(link["reason"]),
                      f"{link['strength']:.2f}")
    console.print(table)
