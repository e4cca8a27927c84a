"""Nightly operation over the demo web: incremental second run, overlap lock, failure exit,
takedown re-checks, re-upload detection, and resuming a crawl killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.demoweb.server import DemoWeb
from crawler.nightly import (
    NightlyConfig,
    NightlyError,
    NightlyReport,
    nightly_lock,
    run_nightly,
    write_report,
)
from leads.outputs import OutputError
from leads.store import Store
from tests.conftest import make_page, make_verdict

FAST = ("JIAZHENG_MAX_SERP_PAGES=3",)


def config(tmp_path: Path, proxy: str, capture: bool = False) -> NightlyConfig:
    return NightlyConfig(db=str(tmp_path / "j.db"), out_dir=tmp_path / "out", proxy=proxy,
                         max_queries=4, no_delay=True, overrides=FAST, capture=capture)


def test_second_nightly_on_an_unchanged_web_finds_nothing_new_and_rescores_nothing(
    tmp_path: Path,
) -> None:
    with DemoWeb() as web:
        first = run_nightly(config(tmp_path, web.proxy_url, capture=True))
        second = run_nightly(config(tmp_path, web.proxy_url, capture=True))
    assert first.steps == {"crawl": "ok", "recheck": "ok", "capture": "ok"}
    evidence = list((tmp_path / "out" / "evidence").glob("L*/manifest.json"))
    assert len(evidence) == first.new_leads, "every new lead has its evidence, once"
    assert first.new_leads >= 10
    assert first.new_leads_csv and Path(first.new_leads_csv).read_bytes().startswith(b"\xef\xbb\xbf")
    assert second.new_leads == 0
    counts = second.counts
    assert counts["pages"] > 0 and counts["pages_unchanged"] >= 0.8 * counts["pages"]
    # The query plan asks the yielding queries again but keeps a slot for a query never asked
    # (exploration), so a lead found only by a query it rotates out may go unseen tonight.
    assert 0.8 * first.new_leads <= counts["leads_seen_again"] <= first.new_leads
    reports = sorted((tmp_path / "out").glob("nightly-*.json"))
    assert len(reports) == 2
    assert json.loads(reports[-1].read_text(encoding="utf-8"))["crawl_run"] == second.crawl_run


def test_a_second_nightly_on_the_same_database_refuses_to_run(tmp_path: Path) -> None:
    cfg = config(tmp_path, "http://127.0.0.1:9")
    with nightly_lock(cfg.db), pytest.raises(NightlyError, match="另一个 nightly"):
        run_nightly(cfg)


def test_a_failed_step_fails_the_run_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "nightly", "--db", str(tmp_path / "j.db"),
         "--proxy", "http://127.0.0.1:9", "--out-dir", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1
    assert "crawl" in result.stderr and "代理不可达" in result.stderr
    [report] = (tmp_path / "out").glob("nightly-*.json")
    assert json.loads(report.read_text(encoding="utf-8"))["steps"]["crawl"].startswith("failed")


def refer(store: Store, url: str) -> int:
    lead_id = store.lead_id(url)
    assert lead_id is not None
    store.set_state(lead_id, "confirmed", "analyst")
    store.set_state(lead_id, "referred", "analyst")
    return lead_id


def test_recheck_finds_removed_sites_gone_and_others_still_online(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb() as web:
        run_nightly(config(tmp_path, web.proxy_url))
    store = Store(db)
    first, second = sorted((lead["url"], lead["host"]) for lead in store.leads()
                           if lead["category"] == "fake_ad")[:2]
    gone, online = refer(store, first[0]), refer(store, second[0])
    store.close()
    with DemoWeb(removed_hosts=frozenset({first[1]})) as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "recheck", "--db", str(db), "--proxy",
             web.proxy_url, "--no-delay"], capture_output=True, text=True, timeout=300,
            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    store = Store(db)
    states = store.lead_states()
    assert states[gone]["state"] == "taken_down"
    assert states[online]["state"] == "still_online"
    [check] = store.rechecks(gone)
    assert check["outcome"] == "gone" and "404" in check["reason"]
    assert store.lead_events(gone)[-1]["source"] == "recheck"
    store.close()


def test_known_content_re_uploaded_on_a_new_host_is_flagged(store: Store) -> None:
    text = "特种作业操作证 免考包过 官网可查 微信 abc123 " * 20
    run = store.start_run("test", {})
    store.save_page(run, make_page("http://old.example.com/", text=text))
    lead_id = store.lead_id("http://old.example.com/")
    for state in ("confirmed", "referred", "taken_down"):
        store.set_state(lead_id, state, "test")
    store.save_page(run, make_page("http://new-host.example.net/", text=text,
                                   verdict=make_verdict()))
    [lead] = [row for row in store.leads() if row["host"] == "new-host.example.net"]
    assert any("重新上线" in reason and "old.example.com" in reason for reason in lead["reasons"])


def test_a_crawl_killed_with_sigkill_resumes_without_losing_or_repeating(tmp_path: Path) -> None:
    slow = ("--max-queries", "6", "-s", "JIAZHENG_MAX_SERP_PAGES=3", "-s", "DOWNLOAD_SLOTS={}",
            "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "JIAZHENG_BROWSER=False")
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    with DemoWeb() as web:
        base = [sys.executable, "-m", "crawler", "crawl", "--proxy", web.proxy_url, *slow]
        subprocess.run([*base, "--db", str(reference)], check=True, capture_output=True,
                       timeout=600)
        crawl = subprocess.Popen([*base, "--db", str(killed)], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and pages(killed) < 12:
            time.sleep(0.2)
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
        with sqlite3.connect(killed) as conn:
            [(run_id, status)] = conn.execute("SELECT id, status FROM runs").fetchall()
        assert status == "running"
        subprocess.run([*base, "--db", str(killed), "-s", f"JIAZHENG_RESUME_RUN={run_id}"],
                       check=True, capture_output=True, timeout=600)
    assert lead_urls(killed) == lead_urls(reference)
    with sqlite3.connect(killed) as conn:
        assert conn.execute("SELECT id, status FROM runs").fetchall() == [(run_id, "finished")]
        assert repeated_fetches(conn) == []
        assert conn.execute("SELECT count(*) FROM queries").fetchone() == \
            sqlite3.connect(reference).execute("SELECT count(*) FROM queries").fetchone()


def pages(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def lead_urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("SELECT url FROM leads")}


def repeated_fetches(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return conn.execute("SELECT url, count(*) FROM pages GROUP BY url HAVING count(*) > 1 "
                        "AND url NOT LIKE '%link%' AND url NOT LIKE '%/ck/a%'").fetchall()


def test_the_nightly_report_is_whole_or_absent(tmp_path: Path) -> None:
    report = NightlyReport(started_at="2026-12-04T01:30:00+00:00")
    path = write_report(report, tmp_path / "out")
    assert json.loads(path.read_text(encoding="utf-8"))["started_at"] == report.started_at
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        write_report(report, blocked)
    assert blocked.read_text(encoding="utf-8") == "x"
