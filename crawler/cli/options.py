"""What every ``jiazheng`` command module shares: the console, the options several commands take,
one way to fail clearly, and ``open_store`` — the only place a command opens the database."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape

from leads.store import DEFAULT_DB, Store, StoreCorruptError, StoreLockedError

# Messages and tables go to stderr; stdout stays for data (JSON lines, CSV).
console = Console(stderr=True)

proxy_option = click.option(
    "--proxy", default=None,
    help="HTTP proxy for all traffic, Scrapy's and the browser's (default: HTTP(S)_PROXY).")
db_option = click.option("--db", "db", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file.")

EVIDENCE_DIR = "evidence"


def evidence_dir_option(flag: str) -> Callable[[Any], Any]:
    """The evidence folder: ``capture --out`` and ``packet``/``check --evidence-dir`` name the
    same folder, so one definition gives them one default (both flags are kept: scripts use them).
    """
    return click.option(flag, "evidence_dir", default=EVIDENCE_DIR, show_default=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="Where evidence folders go.")


def fail(message: str) -> NoReturn:
    """End the command with one sentence in red and exit code 2, not a traceback. The message is
    escaped (paths and fraudsters' text are never markup) and not wrapped, so it stays greppable."""
    console.print(f"[red]{escape(message)}[/red]", soft_wrap=True)
    sys.exit(2)


def missing_db_message(db: str) -> str:
    return (f"数据库文件 {db} 不存在：请用 --db 指定已有的数据库（抓取时写入的那个）。"
            f"Database file {db} does not exist: give --db the database a crawl wrote.")


@contextmanager
def open_store(db: str, *, must_exist: bool = False, wait: float = 30.0) -> Iterator[Store]:
    """The store for one command, closed when the block ends.

    A locked database (another process holds it longer than ``wait`` seconds) or a damaged one
    ends the command with exit code 2 and a clear message, whether at opening or inside the block.
    Commands that only read what a crawl stored pass ``must_exist``: a mistyped --db is then an
    error instead of a new, empty database that silently yields nothing.
    """
    if must_exist and not Path(db).exists():
        fail(missing_db_message(db))
    try:
        store = Store(db, timeout=wait)
    except (StoreLockedError, StoreCorruptError) as exc:
        fail(str(exc))
    try:
        yield store
    except (StoreLockedError, StoreCorruptError) as exc:
        fail(str(exc))
    finally:
        store.close()
