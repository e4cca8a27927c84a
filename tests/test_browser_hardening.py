"""Issue 12, the browser's part: bounded rendering of hostile pages, Chromium kept sandboxed
(as root: through the unprivileged user), proxies with a password that work in Chromium and are
written nowhere, and a watchdog that stops a stuck crawl naming the URL in flight.

The bounds are subprocess timeouts, not timing assertions: a hung page makes them fail."""

from __future__ import annotations

import asyncio
import base64
import gzip
import io
import json
import logging
import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.async_api import async_playwright

from crawler import nightly
from crawler.browser import CHROMIUM_ARGS, pac_url
from crawler.demoweb.server import DemoWeb
from crawler.extensions import RedactLogs
from leads.egress.chromium import AS_USER_SCRIPT, BROWSER_USER, context_proxy, launch_options
from leads.egress.redact import redact_text
from tests.auth_proxy import AuthProxy, Tarpit

CHROMIUM = "/usr/bin/chromium"
HOSTILE = ("http://www.tanchuang-xiazai.com/", "http://www.sixunhuan-zaiqian.com/",
           "http://www.sixunhuan-zaihou.com/")
HOSTILE_CONTACTS = {
    "http://www.tanchuang-xiazai.com/": {"phone:13720468815", "wechat:tcxz_8815",
                                         "qq:2950481736"},
    "http://www.sixunhuan-zaiqian.com/": {"phone:15860234197", "wechat:sxh_zq4197",
                                          "qq:1468203957"},
    "http://www.sixunhuan-zaihou.com/": {"phone:13971852640", "wechat:sxh-zh2640",
                                         "qq:3071586429"},
}
PASSWORD = "S3cret-pw_4711"


def jiazheng(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)


def lead_rows(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("SELECT * FROM leads")}


def contacts_of(row: dict) -> set[str]:
    return set(json.loads(row["contacts"]))


# --- redaction and proxy settings (pure) ---------------------------------------------------

def test_redaction_masks_the_password_wherever_a_url_is_written() -> None:
    assert redact_text("http://jz:pw@10.1.2.3:3128") == "http://jz:***@10.1.2.3:3128"
    assert (redact_text("代理不可达：http://a%40b:p%3Aw@proxy:8080（refused）")
            == "代理不可达：http://a%40b:***@proxy:8080（refused）")
    assert redact_text("http://proxy:8080 and https://site.cn/a:b@c") == (
        "http://proxy:8080 and https://site.cn/a:b@c")


def test_chromium_gets_the_credentials_per_context_never_in_its_proxy_script() -> None:
    assert context_proxy("http://jz:p%40ss@proxy.example:3128") == {
        "server": "http://proxy.example:3128", "username": "jz", "password": "p@ss"}
    assert context_proxy("") is None
    script = base64.b64decode(pac_url("http://jz:p%40ss@proxy.example:3128").split(",", 1)[1])
    assert b"PROXY proxy.example:3128" in script
    assert b"jz" not in script and b"p%40ss" not in script


def test_launch_keeps_the_sandbox_and_no_sandbox_is_explicit_and_warned(
        caplog: pytest.LogCaptureFixture) -> None:
    options = launch_options(CHROMIUM, CHROMIUM_ARGS)
    assert options["chromium_sandbox"] is True
    assert "--no-sandbox" not in options["args"]
    assert "HTTPS_PROXY" not in options["env"] and "JIAZHENG_PROXY" not in options["env"]
    if os.geteuid() == 0:
        assert options["executable_path"] == str(AS_USER_SCRIPT)
        assert options["env"]["JIAZHENG_BROWSER_USER"] == BROWSER_USER
    with caplog.at_level(logging.WARNING):
        unsafe = launch_options(CHROMIUM, CHROMIUM_ARGS, no_sandbox=True)
    assert unsafe["chromium_sandbox"] is False
    assert "--no-sandbox" in caplog.text


def test_as_root_a_missing_browser_user_is_a_clear_error() -> None:
    if os.geteuid() != 0:
        pytest.skip("only root runs Chromium through another user")
    with pytest.raises(RuntimeError, match=r"setup\.sh"):
        launch_options(CHROMIUM, CHROMIUM_ARGS, user="jiazheng-no-such-user")


def test_log_lines_are_redacted_whatever_logs_them() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        RedactLogs()
        logging.getLogger("scrapy.core.engine").error("proxy %s failed", f"http://jz:{PASSWORD}@h:1")
    finally:
        root.removeHandler(handler)
    assert stream.getvalue() == "proxy http://jz:***@h:1 failed\n"


# --- the sandbox, for real ------------------------------------------------------------------

def _chromium_processes() -> list[tuple[int, int, list[str], str]]:
    """(pid, uid, command line, user namespace) of every Chromium process below this one."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                continue
    mine, found = {os.getpid()}, True
    while found:
        found = {pid for pid, parent in parents.items() if parent in mine} - mine
        mine |= found
    processes = []
    for pid in mine - {os.getpid()}:
        try:
            # Chromium rewrites its children's titles into one space-separated string.
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ").split()
            uid = Path(f"/proc/{pid}").stat().st_uid
            namespace = os.readlink(f"/proc/{pid}/ns/user")
        except OSError:
            continue
        if "chrom" in argv[0]:
            processes.append((pid, uid, argv, namespace))
    return processes


def test_chromium_renders_with_its_sandbox_on() -> None:
    async def render() -> tuple[str, list[tuple[int, int, list[str], str]]]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options(CHROMIUM, CHROMIUM_ARGS))
            try:
                page = await browser.new_page()
                await page.set_content(
                    "<p id=x>before</p><script>x.textContent = '脚本已运行'</script>")
                return await page.inner_text("#x"), _chromium_processes()
            finally:
                await browser.close()

    text, processes = asyncio.run(render())
    assert text == "脚本已运行"
    assert processes, "no Chromium process found below this one"
    for _pid, uid, argv, _ns in processes:
        assert "--no-sandbox" not in argv, argv
        if os.geteuid() == 0:
            assert uid == pwd.getpwnam(BROWSER_USER).pw_uid, argv
    browser_ns = {ns for _, _, argv, ns in processes
                  if not any(arg.startswith("--type=") for arg in argv)}
    renderer_ns = {ns for _, _, argv, ns in processes if "--type=renderer" in argv}
    assert renderer_ns and not renderer_ns & browser_ns, "renderers are not in their own sandbox"


# --- hostile pages: bounded, and still leads ------------------------------------------------

def test_hostile_pages_are_judged_and_captured_within_a_bound(tmp_path: Path) -> None:
    db, evidence = tmp_path / "j.db", tmp_path / "evidence"
    javascript_only = "https://www.dianhan-zheng.com/"  # rendered too: http and https pages
    with DemoWeb() as web:
        result = jiazheng("check", *HOSTILE, javascript_only, "--proxy", web.proxy_url,
                          "--db", str(db), "--evidence-dir", str(evidence), "--no-delay",
                          timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM runs").fetchone()[0])
    assert stats["jiazheng/pages/browser"] == 4
    # One browser for both schemes (plus one per recycling after a hung page).
    assert stats["playwright/browser_count"] == 1 + stats.get("jiazheng/browser/recycled", 0)
    # Both pages whose script never yields (before and after load) stop answering the probe and
    # are given up then, not after the whole render deadline.
    assert stats.get("jiazheng/browser/scripts_hung") == 2, stats
    assert "jiazheng/browser/timeouts" not in stats, stats
    leads = lead_rows(db)
    assert "phone:15066328417" in contacts_of(leads[javascript_only])
    for url in HOSTILE:
        assert leads[url]["category"] == "fake_ad", leads[url]
        assert HOSTILE_CONTACTS[url] <= contacts_of(leads[url]), url
    records = {json.loads(p.read_text())["url"]: json.loads(p.read_text())
               for p in evidence.glob("*/capture.json")}
    assert set(records) == {*HOSTILE, javascript_only}
    for record in records.values():
        assert record["outcome"] == "captured", record
    popups = records["http://www.tanchuang-xiazai.com/"]["events"]
    assert any("弹出窗口" in event for event in popups), popups
    assert any("拦截下载" in event for event in popups), popups
    for url in HOSTILE[1:]:
        assert any("原始响应" in event for event in records[url]["events"]), records[url]


# --- a proxy with user and password ---------------------------------------------------------

def _files_containing(root: Path, secret: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if secret in data:
                found.append(str(path))
    return found


def test_a_javascript_only_page_renders_through_a_password_proxy_written_nowhere(
        tmp_path: Path) -> None:
    db, evidence = tmp_path / "j.db", tmp_path / "evidence"
    url = "https://www.dianhan-zheng.com/"
    with DemoWeb() as web, AuthProxy(web.proxy_url, "jz", PASSWORD) as proxy:
        result = jiazheng("check", url, "--proxy", proxy.url, "--db", str(db),
                          "--evidence-dir", str(evidence), "--no-delay", timeout=180)
        denied, accepted = proxy.denied, proxy.accepted
    assert result.returncode == 0, result.stderr[-3000:]
    assert accepted and denied <= accepted, (accepted, denied)
    lead = lead_rows(db)[url]
    # These contacts exist only after the page's JavaScript ran: the browser got through.
    assert {"phone:15066328417", "wechat:dhzheng520"} <= contacts_of(lead), lead
    with sqlite3.connect(db) as conn:
        settings = [row[0] for row in conn.execute("SELECT settings FROM runs")]
    assert any("jz:***@127.0.0.1" in unquote(s) for s in settings), settings
    record = json.loads(next(evidence.glob("*/capture.json")).read_text())
    assert record["outcome"] == "captured", record
    assert record["settings"]["proxy"] == f"http://jz:***@127.0.0.1:{proxy.port}"
    assert _files_containing(tmp_path, PASSWORD.encode()) == []
    assert PASSWORD not in result.stdout + result.stderr


# --- watchdog -------------------------------------------------------------------------------

def test_a_stuck_crawl_is_stopped_by_the_watchdog_naming_the_url_in_flight(
        tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with Tarpit() as tarpit:
        result = jiazheng("crawl", "--proxy", f"http://jz:{PASSWORD}@127.0.0.1:{tarpit.port}",
                          "--db", str(db), "--max-queries", "1", "--no-delay", "--no-browser",
                          "-s", "JIAZHENG_WATCHDOG_SECONDS=3", "-s", "DOWNLOAD_TIMEOUT=600",
                          "-s", "LOG_LEVEL=INFO", timeout=120)
    assert result.returncode == 3, result.stderr[-3000:]
    assert PASSWORD not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "已被看门狗停止" in last and "进行中的网址：http" in last, last
    with sqlite3.connect(db) as conn:
        status, stats = conn.execute("SELECT status, stats FROM runs").fetchone()
    assert status == "watchdog"
    assert "jiazheng/watchdog/in_flight" in json.loads(stats)


def test_nightly_fails_naming_the_url_in_flight_and_never_shows_the_proxy_password(
        tmp_path: Path) -> None:
    with Tarpit() as tarpit:
        result = jiazheng("nightly", "--proxy", f"http://jz:{PASSWORD}@127.0.0.1:{tarpit.port}",
                          "--db", str(tmp_path / "j.db"), "--out-dir", str(tmp_path / "out"),
                          "--max-queries", "1", "--no-delay", "--no-capture",
                          "-s", "JIAZHENG_WATCHDOG_SECONDS=3", "-s", "DOWNLOAD_TIMEOUT=600",
                          "-s", "JIAZHENG_BROWSER=false", timeout=180)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "步骤 crawl 失败" in result.stderr and "进行中的网址" in result.stderr, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    assert _files_containing(tmp_path, PASSWORD.encode()) == []


def test_nightly_hands_the_proxy_to_its_steps_in_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, str] | None]] = []

    def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append((argv, kwargs.get("env")))  # type: ignore[arg-type]
        return subprocess.CompletedProcess(argv, 9, "", "boom")

    monkeypatch.setattr(nightly.subprocess, "run", run)
    proxy = f"http://jz:{PASSWORD}@proxy.example:3128"
    config = nightly.NightlyConfig(db=str(tmp_path / "j.db"), out_dir=tmp_path, proxy=proxy)
    with pytest.raises(nightly.NightlyError):
        nightly.run_nightly(config)
    argv, env = calls[0]
    assert "crawl" in argv and not any(PASSWORD in arg for arg in argv)
    assert env is not None and env["JIAZHENG_PROXY"] == proxy
