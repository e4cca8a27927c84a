"""Bad conditions around a crawl: each gets a clear message or a recorded signal, and nothing
already stored is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.demoweb.server import DemoWeb
from leads.store import Store
from tests.conftest import make_page


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def seeded_db(path: Path) -> Path:
    store = Store(path)
    store.save_page(store.start_run("seed", {}), make_page())
    store.close()
    return path


def test_unreachable_proxy_fails_clearly_before_crawling(tmp_path: Path) -> None:
    db = seeded_db(tmp_path / "j.db")
    result = jiazheng("crawl", "--proxy", "http://127.0.0.1:9", "--db", str(db))
    assert result.returncode == 2
    assert "代理不可达" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_database_locked_by_another_process_fails_clearly(tmp_path: Path) -> None:
    db = seeded_db(tmp_path / "j.db")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with DemoWeb() as web:
            result = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db),
                              "-s", "JIAZHENG_DB_TIMEOUT=1", "--max-queries", "1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert "锁定" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url FROM leads").fetchall() == [
            ("http://ban-zheng.example.com/",)]


def test_captcha_is_reported_per_engine_never_as_no_results(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb(captcha_engines=frozenset({"sogou"})) as web:
        result = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                          "--max-queries", "2", "--no-browser")
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        outcomes = dict(conn.execute(
            "SELECT engine, group_concat(DISTINCT outcome) FROM queries GROUP BY engine"))
    assert outcomes["sogou"] == "captcha"
    assert "results" in outcomes["baidu"]
    assert "验证码" in result.stderr
