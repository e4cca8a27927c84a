"""The command line: every command documented and helpful; ``scrapy crawl`` still works."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.demoweb.server import DemoWeb

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(main, [command, "-h"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"jiazheng {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_export_of_a_locked_database_fails_clearly(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    sqlite3.connect(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--out",
                                           str(tmp_path / "x.csv"), "--wait", "0.5"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2


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
