"""``jiazheng serve`` over a store filled by the store's own write functions: the running server
(a subprocess on 127.0.0.1) lists, filters and searches leads, refuses forged decisions, records
real ones as lifecycle events with their maker, needs a login when accounts exist, refuses a bind
beyond loopback without one; and the pieces it is built of (search table, word marking, charts).
The browser end to end is tests/test_workspace_browser.py."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from datasette_auth_passwords.utils import hash_password

from crawler.workspace.access import ServeRefused, decide_access, is_loopback
from crawler.workspace.charts import bars
from crawler.workspace.highlight import marked_pieces, reason_terms
from leads.judge.observations import Sighting
from leads.store import Store
from tests.conftest import make_page, make_verdict

SELLER_TEXT = "焊工证 电工证 免考包过，不用本人到场，官网可查。联系电话 13812345678"
TRAINING_TEXT = "本校开设电工作业培训班，考试合格后由应急管理局颁发特种作业操作证"
LOOKALIKE_TEXT = "特种作业操作证查询平台 请输入身份证号"
PROVINCE_PHONE = "phone:13912345678"  # a 江苏 number (the store fills the province from it)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_serve(db: Path, *args: str) -> Iterator[str]:
    """``jiazheng serve --db db`` on a free loopback port until the block ends; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError) as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {process.stderr.read()}") from exc
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def fill(store: Store) -> dict[str, int]:
    """Three leads and a page that is none, written as a crawl writes them."""
    run = store.start_run("test", {})
    pages = {
        "seller": make_page("http://banzheng.example.com/", title="焊工证 电工证 代办",
                            text=SELLER_TEXT, verdict=make_verdict(
                                reasons=("页面含办证推销用语：免考、包过、不用本人到场",
                                         "提及证书：焊工证、电工证（特种作业）"),
                                contacts=(PROVINCE_PHONE,), agencies=("公安", "网信"))),
        "lookalike": make_page("http://cx-mem.example.com/", title="特种作业操作证查询平台",
                               text=LOOKALIKE_TEXT, verdict=make_verdict(
                                   "lookalike_site", 95, target="cx.mem.gov.cn",
                                   reasons=("页面仿冒 cx.mem.gov.cn（含查询表单：身份证号）",),
                                   contacts=(), agencies=("公安",))),
        "weak": make_page("http://weak.example.com/", title="电工证<script>alert(1)</script>", text=TRAINING_TEXT + " 包过",
                          verdict=make_verdict(score=55, reasons=("页面含办证推销用语：包过",),
                                              contacts=())),
    }
    for name, page in pages.items():
        store.save_sighting(run, Sighting("baidu" if name != "weak" else "sogou", f"{name} 查询",
                                          0, 3, page.title, "", False, page.url, page.url))
        store.save_page(run, page)
    store.save_page(run, make_page("http://school.example.com/", text=TRAINING_TEXT, verdict=None))
    return {name: store.lead_id(page.url) for name, page in pages.items()}  # type: ignore[misc]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    db = tmp_path_factory.mktemp("workspace") / "jiazheng.db"
    store = Store(db)
    try:
        return db, fill(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def server(filled: tuple[Path, dict[str, int]]) -> Iterator[str]:
    with running_serve(filled[0], "--who", "分析员甲") as base:
        yield base


def fetch(url: str, opener: urllib.request.OpenerDirector | None = None,
          data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def listed_ids(html: str) -> set[int]:
    return {int(found) for found in re.findall(r'data-lead-id="(\d+)"', html)}


def test_the_list_filters_and_searches_page_text(server: str, filled: tuple[Path, dict[str, int]]) -> None:
    ids = filled[1]
    leads = f"{server}/-/jiazheng/leads"

    def listed(**query: str) -> set[int]:
        status, html = fetch(f"{leads}?{urllib.parse.urlencode(query)}")
        assert status == 200, html[-2000:]
        return listed_ids(html)

    assert listed() == set(ids.values())
    assert listed(category="lookalike_site") == {ids["lookalike"]}
    assert listed(target="cx.mem.gov.cn") == {ids["lookalike"]}
    assert listed(min_score="60") == {ids["seller"], ids["lookalike"]}
    assert listed(engine="sogou") == {ids["weak"]}
    assert listed(agency="网信") == {ids["seller"], ids["weak"]}
    assert listed(family="特种作业") == {ids["seller"]}
    assert listed(province="江苏省") == {ids["seller"]}
    assert listed(q="不用本人") == {ids["seller"]}  # a phrase of the page text (trigram index)
    assert listed(q="包过") == {ids["seller"], ids["weak"]}  # a two-character word
    assert listed(q="包过 培训班") == {ids["weak"]}  # every word must be found
    assert listed(first_from="2000-01-01", state="new") == set(ids.values())
    assert listed(first_to="2000-01-01") == set()
    status, html = fetch(f"{leads}?first_from=yesterday")
    assert status == 400 and "日期应写作" in html


def test_the_lead_page_marks_the_words_its_reasons_name(server: str, filled: tuple[Path, dict[str, int]]) -> None:
    status, html = fetch(f"{server}/-/jiazheng/leads/{filled[1]['seller']}")
    assert status == 200
    assert {"免考", "包过", "不用本人到场", "焊工证"} <= set(re.findall(r"<mark>(.*?)</mark>", html))
    assert "尚无截图" in html and "13912345678" in html and "weak 查询" not in html
    assert "seller 查询" in html  # its source: engine, query, rank
    assert fetch(f"{server}/-/jiazheng/leads/999999")[0] == 404
    assert fetch(f"{server}/-/jiazheng/leads/abc")[0] == 404  # no route: Datasette's 404 page
    _, hostile = fetch(f"{server}/-/jiazheng/leads/{filled[1]['weak']}")
    assert "<script>alert" not in hostile and "&lt;script&gt;alert(1)" in hostile


def test_the_home_page_draws_the_dashboard(server: str) -> None:
    status, html = fetch(f"{server}/")
    assert status == 200
    assert html.count("<svg class=\"jz-chart\"") == 5 and "条待核实" in html
    assert "各类别线索" in html and "cdn" not in html.lower()


def test_raw_tables_stay_browsable(server: str) -> None:
    status, body = fetch(f"{server}/jiazheng/leads.json?_shape=array&_col=url")
    assert status == 200 and len(json.loads(body)) == 3


def events(db: Path, lead_id: int) -> list[dict[str, object]]:
    store = Store(db)
    try:
        return store.lead_events(lead_id)
    finally:
        store.close()


def session(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser-like client: cookies kept, the CSRF token read from a lead list form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, html = fetch(f"{base}/-/jiazheng/leads", opener)
    return opener, re.search(r'name="csrftoken" value="([^"]+)"', html)[1]


def test_forged_decisions_are_refused_and_write_nothing(server: str, filled: tuple[Path, dict[str, int]]) -> None:
    db, ids = filled
    decide = f"{server}/-/jiazheng/decide"
    form = {"lead_id": str(ids["weak"]), "decision": "误报"}
    assert fetch(decide, data=form)[0] == 403  # no cookie at all: a cross-site form post
    opener, token = session(server)
    assert fetch(decide, opener, data=form)[0] == 403  # cookie, but no token in the form
    assert fetch(decide, opener, data={**form, "csrftoken": "forged"})[0] == 403
    assert fetch(decide, opener, data={**form, "csrftoken": token},
                 headers={"Origin": "http://evil.example"})[0] == 403
    assert fetch(f"{server}/", headers={"Host": "seller.example"})[0] == 421  # DNS rebinding
    assert events(db, ids["weak"]) == []


def test_a_batch_decision_is_a_lifecycle_event_with_its_maker(server: str, filled: tuple[Path, dict[str, int]]) -> None:
    db, ids = filled
    opener, token = session(server)
    status, _ = fetch(f"{server}/-/jiazheng/decide", opener, data={
        "csrftoken": token, "lead_id": [str(ids["seller"]), str(ids["lookalike"])],
        "decision": "确认", "note": "电话核实", "back": "https://evil.example/"})
    assert status == 200
    for lead_id in (ids["seller"], ids["lookalike"]):
        [event] = events(db, lead_id)
        assert (event["from_state"], event["to_state"], event["who"], event["note"],
                event["source"]) == ("new", "confirmed", "分析员甲", "电话核实", "workspace")
    # 待定 keeps the state and records the look; a move the lifecycle forbids writes nothing.
    fetch(f"{server}/-/jiazheng/decide", opener, data={
        "csrftoken": token, "lead_id": str(ids["weak"]), "decision": "待定"})
    [later] = events(db, ids["weak"])
    assert (later["from_state"], later["to_state"], later["note"]) == ("new", "new", "待定")
    _, html = fetch(f"{server}/-/jiazheng/leads/{ids['seller']}", opener)
    assert "电话核实" in html and "分析员甲" in html


def test_accounts_make_every_page_ask_for_a_login(filled: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    db, ids = filled
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps({"plugins": {"datasette-auth-passwords": {
        "wang_password_hash": hash_password("口令-2026")}}}), encoding="utf-8")
    with running_serve(db, "--metadata", str(metadata)) as base:
        status, html = fetch(f"{base}/-/jiazheng/leads")
        assert status == 200 and 'name="password"' in html and "data-lead-id" not in html
        for raw in ("/jiazheng/leads", "/jiazheng/leads.json", "/jiazheng.db"):
            assert 'name="password"' in fetch(f"{base}{raw}")[1], raw
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        _, login = fetch(f"{base}/-/login", opener)
        token = re.search(r'name="csrftoken" value="([^"]+)"', login)[1]
        fetch(f"{base}/-/login", opener, data={"csrftoken": token, "username": "wang",
                                               "password": "口令-2026"})
        _, html = fetch(f"{base}/-/jiazheng/leads", opener)
        assert ids["weak"] in listed_ids(html)
        token = re.search(r'name="csrftoken" value="([^"]+)"', html)[1]
        fetch(f"{base}/-/jiazheng/decide", opener, data={
            "csrftoken": token, "lead_id": str(ids["weak"]), "decision": "误报"})
    assert events(db, ids["weak"])[-1]["who"] == "wang"
    assert events(db, ids["weak"])[-1]["to_state"] == "false_positive"


def test_a_bind_beyond_loopback_without_login_refuses_to_start(filled: tuple[Path, dict[str, int]]) -> None:
    started = subprocess.run([sys.executable, "-m", "crawler", "serve", "--db", str(filled[0]),
                              "--host", "0.0.0.0", "--port", str(free_port())],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "COLUMNS": "200"})
    assert started.returncode == 2
    assert "拒绝启动" in started.stderr and "Refusing to start" in started.stderr
    with pytest.raises(ServeRefused):
        decide_access("192.168.1.20", 8001, {}, "someone")
    assert decide_access("192.168.1.20", 8001, {"plugins": {"datasette-auth-passwords": {
        "li_password_hash": "pbkdf2_sha256$..."}}}, "").login_required
    assert not decide_access("127.0.0.1", 8001, {}, "me").login_required
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")


def test_the_search_table_follows_the_leads(tmp_path: Path) -> None:
    """m014's triggers: a lead re-written with a new page is searched by its new text."""
    store = Store(tmp_path / "jiazheng.db")
    try:
        run = store.start_run("test", {})
        store.save_page(run, make_page("http://a.example.com/", text="第一版 焊工证包过"))
        store.save_page(run, make_page("http://a.example.com/", text="第二版 叉车证包过"))
        found = store.db.execute("SELECT rowid FROM lead_search WHERE lead_search MATCH "
                                 "'\"叉车证\"'").fetchall()
        assert found == [(store.lead_id("http://a.example.com/"),)]
        assert store.db.execute("SELECT count(*) FROM lead_search WHERE lead_search MATCH "
                                "'\"焊工证\"'").fetchone()[0] == 0
    finally:
        store.close()


def test_words_of_the_reasons_are_marked_and_text_stays_text() -> None:
    terms = reason_terms(["页面含办证推销用语：免考、包过等", "推销概念：保证通过 +25「包过」",
                          "含联系方式：phone:13812345678、wechat:abc_123",
                          "提及证书：焊工证（特种作业、特种设备）"])
    assert {"免考", "包过", "13812345678", "abc_123", "焊工证"} <= set(terms)
    assert all("：" not in term and "+" not in term for term in terms)
    pieces = marked_pieces("<b>免考</b>包过", terms)
    assert pieces == [("<b>", False), ("免考", True), ("</b>", False), ("包过", True)]
    assert "&lt;script&gt;" in bars("t", [("<script>", 3)])
