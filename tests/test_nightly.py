"""Nightly operation over the demo web: incremental second run, overlap lock, failure exit,
a degraded night (every engine serving captchas, exit 3), takedown re-checks, re-upload
detection, resuming a crawl killed with SIGKILL, and the systemd units in deploy/."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.demoweb.server import DemoWeb
from crawler.nightly import (
    NightlyConfig,
    NightlyError,
    NightlyReport,
    blocked_summary,
    engine_outcomes,
    is_blocked,
    nightly_lock,
    run_nightly,
    write_report,
)
from keywords.official_accounts import load_official_accounts
from keywords.post_platforms import load_post_platforms
from leads.outputs import OutputError
from leads.store import Store
from spiders.search import ENGINES
from tests.conftest import make_page, make_verdict

FAST = ("JIAZHENG_MAX_SERP_PAGES=3",)


def config(tmp_path: Path, proxy: str, capture: bool = False) -> NightlyConfig:
    return NightlyConfig(db=str(tmp_path / "j.db"), out_dir=tmp_path / "out", proxy=proxy,
                         max_queries=4, no_delay=True, overrides=FAST, capture=capture)


def test_second_nightly_on_an_unchanged_web_finds_only_what_it_had_not_looked_at(
    tmp_path: Path,
) -> None:
    evidence = tmp_path / "out" / "evidence"
    with DemoWeb() as web:
        first = run_nightly(config(tmp_path, web.proxy_url, capture=True))
        captured_first = sorted(path.parent.name for path in evidence.glob("L*/manifest.json"))
        second = run_nightly(config(tmp_path, web.proxy_url, capture=True))
    assert first.steps == {"crawl": "ok", "recheck": "ok", "capture": "ok"}
    store = Store(tmp_path / "j.db")
    accounts = store.db.execute("SELECT count(*) FROM leads WHERE url LIKE 'weixin:%'").fetchone()[0]
    unexplained = _new_leads_not_explained(store, first.crawl_run, second.crawl_run)
    store.close()
    # an account lead (weixin://) has no page to capture; every other new lead has its evidence
    assert accounts >= 1
    assert len(captured_first) == first.new_leads - accounts, "every new page lead has evidence"
    assert len({name.split("-")[0] for name in captured_first}) == len(captured_first), "once"
    assert first.new_leads >= 10
    assert first.new_leads_csv and Path(first.new_leads_csv).read_bytes().startswith(b"\xef\xbb\xbf")
    # New on an unchanged web only: a page a first-night screenshot's QR code queued, or a lead
    # on a result page the first night never asked (the plan explores, pages deeper).
    assert second.new_leads <= 3 and unexplained == []
    counts = second.counts
    assert counts["pages"] > 0 and counts["pages_unchanged"] >= 0.8 * counts["pages"]
    # The query plan asks the yielding queries again but keeps a slot for a query never asked
    # (exploration), so a lead found only by a query it rotates out may go unseen tonight.
    assert 0.8 * first.new_leads <= counts["leads_seen_again"] <= first.new_leads
    reports = sorted((tmp_path / "out").glob("nightly-*.json"))
    assert len(reports) == 2
    assert json.loads(reports[-1].read_text(encoding="utf-8"))["crawl_run"] == second.crawl_run
    assert set(first.engines) == {engine.name for engine in ENGINES}
    assert all(counts["results"] > 0 and counts["captcha"] == counts["blocked"] == 0
               for counts in first.engines.values())
    assert (first.blocked_engines, first.degraded) == ([], False)


def _new_leads_not_explained(store: Store, first_run: int, second_run: int) -> list[str]:
    """URLs of leads first seen on the second night that neither a screenshot QR code queued
    nor a result page new that night (engine, query, page not asked on the first) showed."""
    return [row[0] for row in store.db.execute(
        "SELECT url FROM leads WHERE first_run_id = ?2 "
        "AND url NOT IN (SELECT url FROM domain_candidates WHERE source LIKE 'screenshot_qr:%') "
        "AND NOT EXISTS (SELECT 1 FROM sightings AS s WHERE s.url = leads.url AND s.run_id = ?2 "
        "AND NOT EXISTS (SELECT 1 FROM queries AS q WHERE q.run_id = ?1 AND q.engine = s.engine "
        "AND q.query = s.query AND q.page = s.serp_page))", [first_run, second_run])]


# The nightly report's keys before issue 14: scripts read them, so they stay.
REPORT_KEYS = {"started_at", "crawl_run", "recheck_run", "steps", "new_leads", "new_leads_csv",
               "counts", "takedown_days", "finished_at"}


def test_every_engine_serving_captchas_is_a_degraded_night_exit_3(tmp_path: Path) -> None:
    with DemoWeb(captcha_engines=frozenset(engine.name for engine in ENGINES)) as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "nightly", "--db", str(tmp_path / "j.db"),
             "--proxy", web.proxy_url, "--out-dir", str(tmp_path / "out"), "--no-delay",
             "--no-capture", "--max-queries", "2", *(f"-s{o}" for o in FAST)],
            capture_output=True, text=True, timeout=300, check=False, env={
                **os.environ, "COLUMNS": "400"})
    assert result.returncode == 3, result.stderr[-2000:]
    # Each web engine also asks post_platforms.toml's 6 site: queries, beyond --max-queries 2.
    assert "nightly 降级：所有搜索引擎都只返回了验证码或拦截页（baidu 验证码 8、被拦截 0；" in result.stderr
    assert "本次没有搜到任何结果" in result.stderr and "nightly 完成" not in result.stderr
    [path] = (tmp_path / "out").glob("nightly-*.json")
    report = json.loads(path.read_text(encoding="utf-8"))
    assert set(report) >= REPORT_KEYS
    assert report["steps"] == {"crawl": "ok", "recheck": "ok"}, "a degraded night still runs"
    assert report["degraded"] is True
    assert sorted(report["blocked_engines"]) == sorted(engine.name for engine in ENGINES)
    # on top of the plan's 2: the web engines' site: queries, and account search's official names
    site = load_post_platforms()
    names = load_official_accounts()
    first = {engine.name: (site.site_queries_per_night if engine.name in site.site_engines else 0)
             + (min(names.search.per_night, len(names.search_queries))
                if engine.name in names.search.engines else 0) for engine in ENGINES}
    assert first["sogou_weixin_account"] > 0
    for engine, counts in report["engines"].items():
        assert counts["asked"] == counts["captcha"] == 2 + first[engine]
        assert counts["results"] == counts["empty"] == counts["blocked"] == 0
    assert report["counts"]["result_pages_asked"] == 2 * len(ENGINES) + sum(first.values())


def outcome_rows(engine: str, **counts: int) -> list[dict[str, object]]:
    return [{"engine": engine, "outcome": outcome, "n": n} for outcome, n in counts.items()]


def test_an_engine_is_blocked_only_when_it_answered_nothing_and_refused_something() -> None:
    engines = engine_outcomes([
        *outcome_rows("baidu", captcha=3, error=1),      # refused, a timeout is no answer
        *outcome_rows("bing", blocked=2, empty=1),        # one "no results" is an answer
        *outcome_rows("sogou", error=4),                  # failing, not refused
        *outcome_rows("so360", results=5, captcha=1),
    ])
    assert engines["baidu"] == {"asked": 4, "results": 0, "empty": 0, "captcha": 3, "blocked": 0,
                                "error": 1}
    assert [name for name, counts in engines.items() if is_blocked(counts)] == ["baidu"]
    report = NightlyReport(started_at="", engines=engines, blocked_engines=["baidu"])
    assert blocked_summary(report) == "baidu 验证码 3、被拦截 0"


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


# --- deploy/: the systemd timer in Beijing time, and the OnFailure hook ------------------------
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def unit_settings(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections → key → values (a key may repeat, as systemd allows)."""
    sections: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = sections.setdefault(line[1:-1], {})
        elif line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            section.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_timer_fires_at_half_past_one_beijing_time_and_failures_are_hooked() -> None:
    timer = unit_settings(DEPLOY / "jiazheng-nightly.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 01:30:00 Asia/Shanghai"]
    service = unit_settings(DEPLOY / "jiazheng-nightly.service")
    [hook] = service["Unit"]["OnFailure"]
    assert hook == "jiazheng-nightly-failed@%n.service"
    assert "SuccessExitStatus" not in service["Service"], "exit 3 (degraded) must alert"
    template = unit_settings(DEPLOY / "jiazheng-nightly-failed@.service")
    [start] = template["Service"]["ExecStart"]
    assert start == "/bin/sh /opt/jiazheng/deploy/jiazheng-nightly-failed.sh %i"
    assert (DEPLOY / "jiazheng-nightly-failed.sh").is_file()
    assert template["Service"]["Type"] == ["oneshot"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units_and_reads_the_calendar_in_beijing_time(tmp_path: Path) -> None:
    """The units as systemd reads them, installed from this checkout (/opt/jiazheng → here, so
    every ExecStart names a file that exists)."""
    checkout = str(DEPLOY.parent)
    for unit in ("jiazheng-nightly.service", "jiazheng-nightly.timer",
                 "jiazheng-nightly-failed@.service"):
        text = (DEPLOY / unit).read_text(encoding="utf-8").replace("/opt/jiazheng", checkout)
        (tmp_path / unit).write_text(text, encoding="utf-8")
    shutil.copy(tmp_path / "jiazheng-nightly-failed@.service",
                tmp_path / "jiazheng-nightly-failed@jiazheng-nightly.service.service")
    verify = subprocess.run(
        ["systemd-analyze", "verify", "jiazheng-nightly.service", "jiazheng-nightly.timer",
         "jiazheng-nightly-failed@jiazheng-nightly.service.service"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert verify.returncode == 0, verify.stderr
    [spec] = unit_settings(DEPLOY / "jiazheng-nightly.timer")["Timer"]["OnCalendar"]
    calendar = subprocess.run(["systemd-analyze", "calendar", spec], capture_output=True,
                              text=True, timeout=60, check=True, env={**os.environ, "TZ": "UTC"})
    assert re.search(r"Next elapse: \w+ \d{4}-\d\d-\d\d 17:30:00 UTC", calendar.stdout), \
        calendar.stdout


@pytest.mark.parametrize(("status", "result", "said"), [
    ("3", "exit-code", "降级：所有搜索引擎都只返回了验证码或拦截页"),
    ("1", "exit-code", "失败：有步骤出错"),
    ("TERM", "timeout", "失败：timeout（退出码 TERM）"),
])
def test_the_failure_hook_writes_the_journal_and_a_file_in_beijing_time(
        tmp_path: Path, status: str, result: str, said: str) -> None:
    alert = tmp_path / "NIGHTLY-FAILED.txt"
    alert.write_text("2026-12-03 01:31:00 北京时间 jiazheng nightly 失败：更早的一次\n",
                     encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "TZ": "UTC", "JIAZHENG_ALERT_FILE": str(alert),
           "MONITOR_EXIT_STATUS": status, "MONITOR_SERVICE_RESULT": result,
           "MONITOR_INVOCATION_ID": "0" * 32}
    hook = subprocess.run(["/bin/sh", str(DEPLOY / "jiazheng-nightly-failed.sh"),
                           "jiazheng-nightly.service"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert hook.returncode == 0, hook.stderr
    journal_line = hook.stdout.splitlines()[0]
    assert journal_line.startswith("<3>") and said in journal_line, "priority err in the journal"
    earlier, line, *_ = alert.read_text(encoding="utf-8").splitlines()
    assert "更早的一次" in earlier, "appended, never overwritten"
    assert line == journal_line[3:]
    assert "journalctl -u jiazheng-nightly.service" in line
    stamp = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) 北京时间 jiazheng nightly ", line)
    assert stamp, line
    written = datetime.strptime(stamp[1], "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=ZoneInfo("Asia/Shanghai"))
    assert abs(datetime.now(UTC) - written) < timedelta(hours=1), "Beijing time, not UTC"
