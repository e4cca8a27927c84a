"""The egress policy in the crawl, the renderer and capture: seller pages on the demo web reach for
a loopback canary (and for 10.0.0.1, 169.254.169.254, nip.io names) in every way a page can;
nothing is ever sent there, each refusal is recorded on its page, and the sellers stay leads.
One ``jiazheng check`` (crawl, then capture with Chromium) serves the module's tests."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.browser import CHROMIUM_ARGS, pac_url
from crawler.demoweb.engines import ENGINE_HOSTS
from crawler.demoweb.manifest import PACKAGE_DIR, load_sites
from crawler.demoweb.server import DemoWeb
from crawler.egress import EgressMiddleware, EgressRefused, GuardedResolver
from crawler.errors import classify_failure
from crawler.page_spider import PageSpider
from crawler.settings import METAREFRESH_MAXDELAY, TWISTED_DNS_RESOLVER
from leads.egress.browser import BrowserEgressGuard
from leads.egress.policy import NO_EXCEPTIONS, EgressPolicy
from leads.evidence.capture import CaptureSettings, capture_leads
from leads.judge.observations import PageObservation
from leads.judge.page_similarity import logo_hash
from leads.judge.page_text import page_text
from leads.store import Store
from tests.canary import Canary
from tests.conftest import make_page

SELLER = "http://www.tiaoban-zhengshu.com/"
NAVIGATES_AWAY = "http://www.houtai-tiaozhuan.com/"


@dataclass
class Checked:
    db: Path
    port: int
    canary_hits: list[str]
    hosts_asked: set[str]
    output: str
    evidence: Path

    def page(self, url: str) -> dict:
        with sqlite3.connect(self.db) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT p.*, l.category AS lead, l.contacts FROM pages p "
                               "LEFT JOIN leads l ON l.url IN (p.url, p.final_url) "
                               "WHERE p.url = ? ORDER BY p.id DESC", (url,)).fetchone()
        assert row is not None, f"{url} not stored"
        return dict(row)

    def signals(self, url: str) -> list[str]:
        return json.loads(self.page(url)["fetch_signals"])

    def capture_events(self, host: str) -> list[str]:
        records = [json.loads(p.read_text(encoding="utf-8"))
                   for p in self.evidence.glob("*/capture.json")]
        return [event for r in records if host in r["url"] for event in r["events"]]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    out = tmp_path_factory.mktemp("egress")
    with Canary() as canary, DemoWeb(canary_port=canary.port) as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "check", "--proxy", web.proxy_url, "--no-delay",
             "--db", str(out / "j.db"), "--evidence-dir", str(out / "evidence"),
             SELLER, NAVIGATES_AWAY],
            capture_output=True, text=True, timeout=600, check=False)
        hosts = {host for host, _ in web.requests_seen}
    assert result.returncode == 0, result.stderr[-3000:]
    yield Checked(out / "j.db", canary.port, canary.hits, hosts, result.stdout + result.stderr,
                  out / "evidence")


def test_the_canary_is_never_reached(checked: Checked) -> None:
    """Neither Scrapy nor Chromium (crawl render and capture: images, frames, fetches, the
    refresh, the navigation after load) ever connects to the loopback canary."""
    assert checked.canary_hits == []


def test_nothing_internal_is_even_asked_of_the_proxy(checked: Checked) -> None:
    simulated = {site.host for site in load_sites()} | set(ENGINE_HOSTS)
    assert checked.hosts_asked - simulated == set()
    assert "www.tiaoban-zhengshu.com" in checked.hosts_asked


def test_the_sellers_stay_leads_with_their_contacts(checked: Checked) -> None:
    seller = checked.page(SELLER)
    assert seller["final_url"] == SELLER and seller["lead"] == "fake_ad"
    assert {"phone:13620485517", "wechat:tbzs_5517", "qq:3184062975"} <= set(
        json.loads(seller["contacts"]))
    away = checked.page(NAVIGATES_AWAY)
    assert away["final_url"] == NAVIGATES_AWAY and away["rendered"] == 1
    assert away["lead"] == "fake_ad" and "phone:13920647381" in json.loads(away["contacts"])


def test_refused_links_and_written_domains_are_signals_on_the_page(checked: Checked) -> None:
    signals = "\n".join(checked.signals(SELLER))
    port = checked.port
    for url in (f"http://127.0.0.1:{port}/chaxun", f"http://2130706433:{port}/",
                f"http://0x7f.0.0.1:{port}/", f"http://127.1:{port}/", f"http://[::1]:{port}/",
                "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                "http://127.0.0.1.nip.io/", "http://10-0-0-1.sslip.io/"):
        assert f"拒绝访问内网地址：{url}（" in signals, url


def test_a_delayed_refresh_is_a_link_not_a_replacement(checked: Checked) -> None:
    """content="8;url=…": the page is judged as itself; its target is a (refused) link."""
    assert f"拒绝访问内网地址：http://127.0.0.1:{checked.port}/refresh（" in "\n".join(
        checked.signals(SELLER))


def test_a_redirect_to_an_internal_address_is_refused_at_that_hop(checked: Checked) -> None:
    contact = checked.page("http://www.tiaoban-zhengshu.com/lianxi.html")
    assert contact["error"] == "egress_refused"
    assert f"http://127.0.0.1:{checked.port}/lianxi" in contact["error_detail"]
    assert contact["body_sha256"] == "" and contact["status"] == 0


def test_the_renderer_does_not_follow_a_navigation_after_load(checked: Checked) -> None:
    signals = "\n".join(checked.signals(NAVIGATES_AWAY))
    assert f"拒绝访问内网地址：http://127.0.0.1:{checked.port}/admin（" in signals
    assert "内网管理后台" not in checked.page(NAVIGATES_AWAY)["title"]


def test_capture_refuses_the_pages_internal_requests_and_says_so(checked: Checked) -> None:
    events = "\n".join(checked.capture_events("www.tiaoban-zhengshu.com"))
    for path in ("/logo.png", "/frame", "/steal", "/ws"):
        assert f"127.0.0.1:{checked.port}{path}" in events, path
    assert f"127.0.0.1:{checked.port}/admin" in "\n".join(
        checked.capture_events("www.houtai-tiaozhuan.com"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/html,<h1>x</h1>",
                                 "javascript:alert(1)", "ftp://ftp.example.com/x",
                                 "http://127.0.0.1:8080/admin"])
def test_check_refuses_non_web_and_internal_urls_and_stores_nothing(
        url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "check", "--db", str(tmp_path / "j.db"),
         "--evidence-dir", str(tmp_path / "evidence"), url],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "拒绝访问" in result.stderr and "未保存任何内容" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- the pieces, without a crawl ------------------------------------------------------------
def test_every_redirect_hop_passes_the_egress_middleware() -> None:
    """Scrapy's redirect middleware makes a new request per hop; it comes back through ours."""
    crawler = get_crawler(Spider)
    spider = crawler._create_spider("s")
    crawler.spider = spider
    redirect = RedirectMiddleware.from_crawler(crawler)
    egress = EgressMiddleware(NO_EXCEPTIONS, crawler.stats)
    request = Request("http://www.example-banzheng.com/go")
    assert egress.process_request(request) is None
    response = HtmlResponse(request.url, status=302, request=request,
                            headers={"Location": "http://0x7f000001:8080/admin"})
    hop = redirect.process_response(request, response)
    assert isinstance(hop, Request)
    with pytest.raises(EgressRefused, match=r"127\.0\.0\.1 是回环地址") as refused:
        egress.process_request(hop)
    assert crawler.stats.get_value("jiazheng/egress/refused") == 1
    assert refused.value.args[0].startswith("拒绝访问内网地址：http://0x7f000001:8080/admin")


def test_an_egress_refusal_is_its_own_error_kind() -> None:
    failure = Failure(EgressRefused("拒绝访问内网地址：http://10.0.0.1/（…）"))
    assert classify_failure(failure) == ("egress_refused", "拒绝访问内网地址：http://10.0.0.1/（…）")


def test_only_an_immediate_meta_refresh_replaces_the_page() -> None:
    crawler = get_crawler(Spider, {"METAREFRESH_MAXDELAY": METAREFRESH_MAXDELAY})
    crawler.spider = crawler._create_spider("s")
    middleware = MetaRefreshMiddleware.from_crawler(crawler)

    def answer(content: str) -> object:
        request = Request("http://www.example-banzheng.com/")
        html = f'<html><head><meta http-equiv="refresh" content="{content}"></head>卖证</html>'
        response = HtmlResponse(request.url, body=html.encode(), encoding="utf-8",
                                request=request)
        return middleware.process_response(request, response)

    assert isinstance(answer("8;url=http://www.other.com/"), HtmlResponse)  # judged as itself
    assert isinstance(answer("0;url=http://www.other.com/"), Request)  # a redirect


def test_names_resolving_to_internal_addresses_are_refused_before_connecting() -> None:
    assert TWISTED_DNS_RESOLVER == "crawler.egress.GuardedResolver"
    resolver = GuardedResolver.__new__(GuardedResolver)
    resolver.policy, resolver.proxy_host = EgressPolicy.allowing(["127.0.0.1:8899"]), "proxy.lan"
    assert resolver._checked("93.184.216.34", "www.example.com") == "93.184.216.34"
    assert resolver._checked("10.0.0.7", "proxy.lan") == "10.0.0.7"  # the configured proxy
    assert resolver._checked("127.0.0.1", "127.0.0.1") == "127.0.0.1"  # an allowed endpoint
    with pytest.raises(Exception, match=r"解析为 10\.1\.2\.3"):
        resolver._checked("10.1.2.3", "rebind.example.com")
    # Twisted reports it as "no results"; the page's error still says what happened.
    failure = Failure(DNSLookupError("no results for hostname lookup: rebind.example.com"))
    failure.request = Request("http://rebind.example.com/admin")  # as Scrapy's errbacks get it
    kind, detail = classify_failure(failure)
    assert kind == "egress_refused" and "rebind.example.com 解析为 10.1.2.3" in detail


def _spider() -> PageSpider:
    """A page spider on the project's settings (quotas, logo limits), not Scrapy's defaults."""
    project = Settings()
    project.setmodule("crawler.settings")
    crawler = get_crawler(PageSpider, {name: project[name] for name in project
                                       if name.startswith("JIAZHENG_")})
    crawler.spider = crawler._create_spider("pages")
    return crawler.spider


def test_a_refused_start_url_is_not_requested() -> None:
    """``scrapy crawl check -a urls=…`` and recheck go through page_request: nothing leaves."""
    spider = _spider()
    for url in ("file:///etc/passwd", "http://[::1]/", "http://www.example-banzheng.com/"):
        requests = list(spider.page_request(url, "check"))
        assert [r.url for r in requests] == ([url] if "example" in url else [])
    assert spider.crawler.stats.get_value("jiazheng/egress/refused") == 2


def test_a_lookalikes_internal_logo_is_a_signal_and_an_inline_one_is_hashed() -> None:
    """Logo images of a page that resembles a platform: one at 127.0.0.1 is refused and noted
    on the page, an inline data: image is hashed without any request."""
    html = (PACKAGE_DIR / "sites" / "cx-mem-gov.cn.com" / "index.html").read_text(encoding="utf-8")
    emblem = (PACKAGE_DIR / "sites" / "cx-mem-gov.cn.com" / "images" / "logo.png").read_bytes()
    inline = "data:image/png;base64," + base64.b64encode(emblem).decode()
    html = html.replace('src="/images/logo.png"', 'src="http://127.0.0.1:9/logo.png"').replace(
        "</body>", f'<img src="{inline}" alt="logo"></body>')
    title, text = page_text(html)
    page = PageObservation(url="http://cx-mem-gov.cn.com/", final_url="http://cx-mem-gov.cn.com/",
                           role="result", status=200, title=title, text=text, html=html)
    spider = _spider()
    [done] = list(spider.with_logos(page))
    assert done.logo_hashes == (logo_hash(emblem),)
    assert any(s.startswith("拒绝访问内网地址：http://127.0.0.1:9/logo.png（")
               for s in done.fetch_signals)


def test_a_direct_browser_refuses_names_resolving_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a proxy Chromium resolves names itself: the guard resolves them first."""
    answers = {"intranet-shop.example.com": "10.1.2.3", "www.example-banzheng.com": "93.184.216.34"}
    asked: list[str] = []

    def fake_getaddrinfo(host: str, *args: object, **kwargs: object) -> list[tuple]:
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    direct = BrowserEgressGuard(NO_EXCEPTIONS, direct=True)
    assert "解析为 10.1.2.3" in asyncio.run(
        direct._resolved_refusal("http://intranet-shop.example.com/admin"))
    assert asyncio.run(direct._resolved_refusal("http://www.example-banzheng.com/")) is None
    assert asyncio.run(direct._resolved_refusal("http://8.8.8.8/")) is None
    assert asyncio.run(direct._resolved_refusal("http://intranet-shop.example.com/b")) is not None
    assert asked == ["intranet-shop.example.com", "www.example-banzheng.com"]  # once per name


# --- a site that redirects only browsers to an internal address -----------------------------
JS_ONLY_SELLER = """<html><head><meta charset="utf-8"><title>焊工证</title></head><body>
<div id="app"></div><script>document.getElementById("app").innerHTML =
"<h1>焊工证 免考办理</h1><p>特种作业操作证免考包过，不用本人到场。电话 13920647381</p>";</script>
</body></html>"""


@pytest.fixture()
def cloaking_site(canary: Canary) -> Iterator[str]:
    """Plain fetches get a JavaScript-only seller page; Chromium (which sends Sec-Fetch-*
    headers) is redirected to the canary."""
    target = f"http://127.0.0.1:{canary.port}/admin"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.headers.get("Sec-Fetch-Mode"):
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(JS_ONLY_SELLER.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    with Canary() as running:
        yield running


def test_the_renderer_refuses_a_redirect_only_the_browser_gets(
        cloaking_site: str, canary: Canary, tmp_path: Path) -> None:
    """Direct connection (no proxy), the site allowed explicitly, the canary not: the browser's
    redirect hop is stopped and the page is judged from its plain fetch (its own words only
    appear through script, so it is no lead here: what matters is what it is not)."""
    port = cloaking_site.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "check", "-a", f"urls={cloaking_site}",
         "-s", f"JIAZHENG_DB={tmp_path / 'j.db'}", "-s", "JIAZHENG_PROXY=",
         "-s", f"JIAZHENG_EGRESS_ALLOW=127.0.0.1:{port}", "-s", "DOWNLOAD_DELAY=0"],
        capture_output=True, text=True, timeout=300, check=False, cwd=Path(__file__).parents[1],
        env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()})
    assert result.returncode == 0, result.stderr[-2000:]
    assert canary.hits == []
    with sqlite3.connect(tmp_path / "j.db") as conn:
        [(final_url, signals, title)] = conn.execute(
            "SELECT final_url, fetch_signals, title FROM pages").fetchall()
    assert final_url == cloaking_site and "browser_failed:" in signals
    assert title == "焊工证"  # the plain fetch, not the internal page


def test_capture_refuses_a_redirect_inside_and_says_so(
        cloaking_site: str, canary: Canary, tmp_path: Path) -> None:
    port = cloaking_site.rsplit(":", 1)[1].strip("/")
    store = Store(tmp_path / "j.db")
    run = store.start_run("test", {})
    store.save_page(run, make_page(cloaking_site))
    lead = {"id": store.lead_id(cloaking_site), "url": cloaking_site}
    settings = CaptureSettings(browser_args=(*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url('')}"),
                               egress_allow=(f"127.0.0.1:{port}",), navigation_timeout=15.0)
    [captured] = capture_leads(store, [lead], tmp_path / "evidence", settings)
    store.close()
    assert canary.hits == []
    assert captured.outcome == "failed" and "出网策略" in captured.error
    record = json.loads((captured.folder / "capture.json").read_text(encoding="utf-8"))
    assert any(f"127.0.0.1:{canary.port}/admin" in event for event in record["events"])
