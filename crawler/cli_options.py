"""Options and output shared by every ``jiazheng`` command module."""

from __future__ import annotations

import click
from rich.console import Console

from leads.store import DEFAULT_DB

# Messages and tables go to stderr; stdout stays for data (JSON lines, CSV).
console = Console(stderr=True)

db_option = click.option("--db", "db", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file.")
