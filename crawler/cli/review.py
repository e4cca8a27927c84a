"""``jiazheng review``: analysts' decisions from the exported lead CSV, and each lead's history;
both work on a database a crawl wrote (a missing --db is an error)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from crawler.cli.options import console, db_option, fail, open_store
from leads.referral.review import ENCODINGS, SHOWN_PROBLEMS, ReviewFileError, import_review
from leads.store import StoreLockedError
from leads.store.lifecycle import STATE_LABELS, UNCHANGED, LifecycleError, accepted_words


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def review() -> None:
    """Read back analysts' decisions (state, note) and show each lead's history.

    Example: jiazheng review import leads.csv --who 张三
    """


def _accepted_words_help() -> str:
    """The state words ``review import`` accepts, one line per state (from the lifecycle's table
    and keywords/review_words.tsv); ``\b`` keeps click from re-wrapping them."""
    words = {**accepted_words()}
    words[UNCHANGED] = ("(blank cell)", *words[UNCHANGED])
    return "\n".join(["\b", "State words accepted (traditional, full width, any case too):",
                      *(f"  {state}: {', '.join(spelled)}" for state, spelled in words.items()),
                      f"  ({UNCHANGED}: the lead keeps its state; words from "
                      "keywords/review_words.tsv)"])


@review.command("import", epilog=_accepted_words_help())
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--who", default=_login_name, show_default="login name",
              help="Who made these decisions (recorded with every change).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, write nothing.")
@click.option("--encoding", type=click.Choice(sorted(ENCODINGS), case_sensitive=False),
              default=None, help="The file's encoding when it cannot be told (GBK or Big5).")
def import_file(file: Path, db: str, who: str, dry_run: bool, encoding: str | None) -> None:
    """Apply the state and note columns edited in an exported lead CSV, all or nothing.

    States may be written in English, as the Chinese label (已确认, 误报, 已移送, 已下架,
    仍在线) or in the words listed below (已核实, 属实, 不属实…); a blank state cell keeps the
    lead's state. Exit code 1 and every problem listed by row when any row is wrong; 2 when the file
    cannot be read or the database is locked.

    Example: jiazheng review import leads.csv --who 张三 --dry-run
    """
    with open_store(db, must_exist=True) as store:
        try:
            plan = import_review(store, file, who, dry_run, encoding or "")
        except (ReviewFileError, StoreLockedError) as exc:
            fail(f"无法导入 {file}：{exc}")
        except LifecycleError as exc:
            console.print(f"[red]导入中止，数据库未作任何修改：{exc}[/red]")
            sys.exit(1)
    if plan.problems:
        console.print(f"[red]{file}（{plan.encoding}）有 {len(plan.problems)} 处问题，"
                      f"未作任何修改：[/red]")
        for problem in plan.problems[:SHOWN_PROBLEMS]:
            console.print(f"  {problem}", markup=False, soft_wrap=True)
        if len(plan.problems) > SHOWN_PROBLEMS:
            console.print(f"  另有 {len(plan.problems) - SHOWN_PROBLEMS} 处问题未列出")
        sys.exit(1)
    notes_only = len(plan.changes) - plan.state_changes
    done = "试运行，未写入：将更新" if dry_run else "已更新"
    console.print(f"{file}（{plan.encoding}）：{done} {len(plan.changes)} 条线索"
                  f"（改状态 {plan.state_changes}，仅改备注 {notes_only}），"
                  f"未改动 {plan.unchanged} 条", markup=False, soft_wrap=True)


@review.command("list-events")
@click.argument("lead_id", type=int)
@db_option
def list_events(lead_id: int, db: str) -> None:
    """Show who moved a lead between states, when, and why.

    Example: jiazheng review list-events 12 --db jiazheng.db
    """
    with open_store(db, must_exist=True) as store:
        events = store.lead_events(lead_id)
    if not events:
        console.print(f"线索 {lead_id} 没有状态记录")
        return
    table = Table(title=f"线索 {lead_id} 的状态记录")
    for column in ("时间（UTC）", "操作人", "原状态", "新状态", "来源"):
        table.add_column(column, no_wrap=True)
    table.add_column("备注", overflow="fold")
    for event in events:
        at = event["at"][:19].replace("T", " ")
        cells = (at, event["who"], STATE_LABELS[event["from_state"]],
                 STATE_LABELS[event["to_state"]], event["source"], event["note"])
        table.add_row(*(Text(cell) for cell in cells))  # fraudsters' text is never markup
    console.print(table)
