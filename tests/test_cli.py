"""The command line: every command documented and helpful; ``scrapy crawl`` still works."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.cli.options import open_store
from crawler.demoweb.server import DemoWeb
from leads.store import Store, StoreLockedError

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(main, [command, "-h"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"jiazheng {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


@contextmanager
def locked(db: Path) -> Iterator[None]:
    """``db`` with an exclusive lock held by another connection, as a running crawl holds it."""
    sqlite3.connect(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_export_of_a_locked_database_fails_clearly(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with locked(db):
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--out",
                                           str(tmp_path / "x.csv"), "--wait", "0.5"])
    assert result.exit_code == 2
    assert "锁定" in result.stderr and "Traceback" not in result.output


def test_open_store_ends_the_command_with_exit_2_on_a_lock_at_open_or_inside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.db"
    with locked(db), pytest.raises(SystemExit) as at_open, open_store(str(db), wait=0.2):
        pass
    assert at_open.value.code == 2 and "锁定" in capsys.readouterr().err
    with pytest.raises(SystemExit) as inside, open_store(str(db)):
        raise StoreLockedError("数据库 j.db 被其他进程锁定")
    assert inside.value.code == 2 and "锁定" in capsys.readouterr().err


READ_COMMANDS = {
    "export": ["export", "--out", "leads.csv"],
    "stats": ["stats", "--month", "2026-11"],
    "plan": ["plan"],
    "packet": ["packet", "--agency", "公安", "--no-capture"],
    "capture": ["capture"],
    "review import": ["review", "import", "leads.csv"],
    "review list-events": ["review", "list-events", "1"],
}


@pytest.mark.parametrize("command", sorted(READ_COMMANDS))
def test_a_read_command_on_a_missing_database_fails_and_creates_nothing(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mistyped --db must not become a new, empty database that silently yields nothing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leads.csv").write_text("lead_id,state\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*READ_COMMANDS[command], "--db", "typo.db"])
    assert result.exit_code == 2, result.output
    assert "typo.db 不存在" in result.stderr and "does not exist" in result.stderr
    assert not list(tmp_path.glob("typo.db*"))


def test_a_command_that_writes_creates_its_database(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with open_store(str(db)) as store:
        assert isinstance(store, Store)
    assert db.is_file()


def test_scrapy_crawl_works_with_the_standard_proxy_variables(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb() as web:
        env = {**os.environ, "HTTP_PROXY": web.proxy_url, "HTTPS_PROXY": web.proxy_url}
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "baidu", "-s", f"JIAZHENG_DB={db}",
             "-s", "JIAZHENG_MAX_QUERIES=1", "-s", "DOWNLOAD_SLOTS={}", "-s", "DOWNLOAD_DELAY=0",
             "-s", "JIAZHENG_BROWSER=False"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
        seen_hosts = {host for host, _ in web.requests_seen}
    assert result.returncode == 0, result.stderr[-2000:]
    assert "www.baidu.com" in seen_hosts
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM queries WHERE engine='baidu' "
                            "AND outcome='results'").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM pages WHERE error=''").fetchone()[0] >= 1


def test_check_spider_fetches_and_judges_pasted_urls(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb() as web:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "check", "-a",
             "urls=http://www.tezhong-banzheng.com/ https://www.mem.gov.cn/",
             "-s", f"JIAZHENG_DB={db}", "-s", f"JIAZHENG_PROXY={web.proxy_url}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "JIAZHENG_FOLLOW_DEPTH=0"],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        roles = dict(conn.execute("SELECT host, role FROM pages"))
        leads = [host for (host,) in conn.execute("SELECT host FROM leads")]
    assert roles == {"www.tezhong-banzheng.com": "check", "www.mem.gov.cn": "check"}
    assert leads == ["www.tezhong-banzheng.com"]


def test_commands_work_outside_the_repository(tmp_path: Path) -> None:
    """cron and analysts run jiazheng from any directory, where no scrapy.cfg is found."""
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    with DemoWeb() as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "check", "--proxy", web.proxy_url, "--db", "j.db",
             "--evidence-dir", "evidence", "http://www.tezhong-banzheng.com/"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(tmp_path / "j.db") as conn:
        leads = {host for (host,) in conn.execute("SELECT host FROM leads")}
    assert "www.tezhong-banzheng.com" in leads
