"""``jiazheng serve``: the analysts' workspace over the store (crawler/workspace/) — the raw
tables in Datasette, the review pages, the dashboard."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from crawler.cli.options import console, db_option, fail, missing_db_message
from crawler.workspace.access import ServeRefused
from crawler.workspace.app import read_metadata, run, workspace
from leads.store import StoreCorruptError, StoreLockedError


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback requires a login (--metadata).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--metadata", "metadata_path", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Datasette metadata (JSON/YAML) with datasette-auth-passwords accounts.")
@click.option("--who", default=_login_name, show_default="login name",
              help="Who decisions are recorded as when no login is configured (loopback only).")
def serve(db: str, host: str, port: int, metadata_path: Path | None, who: str) -> None:
    """Serve the review workspace: lead list, lead pages with evidence, decisions, dashboard.

    Bound to 127.0.0.1 unless --host says otherwise; bound elsewhere it refuses to start
    without a login configured in --metadata (datasette-auth-passwords accounts).

    Example: jiazheng serve --db jiazheng.db --port 8001
    """
    if not Path(db).exists():
        fail(missing_db_message(db))
    try:
        metadata = read_metadata(metadata_path)
        with workspace(Path(db), host, port, metadata, who) as (datasette, access):
            who_text = "登录账号" if access.login_required else f"{who}（本机）"
            console.print(f"工作台：http://{host}:{port}/-/jiazheng/leads （决定记录为 "
                          f"{who_text}；Ctrl+C 停止）", markup=False, soft_wrap=True)
            run(datasette, host, port)
    except ServeRefused as exc:
        fail(str(exc))
    except (StoreLockedError, StoreCorruptError, ValueError) as exc:
        fail(f"无法启动工作台：{exc}")
