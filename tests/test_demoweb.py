"""The demo web as the crawler sees it: a proxy on 127.0.0.1 that never forwards, serving the
simulated sites over plain HTTP and CONNECT+TLS, with the quirks the manifest promises."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from cryptography import x509

from crawler.demoweb import server
from crawler.demoweb.index import SearchIndex
from crawler.demoweb.manifest import EXPECTATIONS, ManifestError, load_sites
from crawler.demoweb.server import DemoWeb

REMOVED = frozenset({"www.fuzeren-kaohe.com", "cnse-ecqs.com.cn"})
OFFICIAL = {"cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"}


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    cert: x509.Certificate | None  # the leaf presented for https URLs


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with DemoWeb(captcha_engines=frozenset({"sogou"}), removed_hosts=REMOVED) as running:
        yield running


def fetch(web: DemoWeb, url: str, method: str = "GET",
          headers: dict[str, str] | None = None) -> Fetched:
    """Fetch ``url`` the way Scrapy does through a proxy: absolute form, or CONNECT then TLS."""
    parts = urlsplit(url)
    port = int(web.proxy_url.rsplit(":", 1)[1])
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=10, context=ssl._create_unverified_context())
        conn.set_tunnel(parts.hostname, 443)
        target = path
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        target = url
    try:
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        der = conn.sock.getpeercert(binary_form=True) if parts.scheme == "https" else None
        cert = x509.load_der_x509_certificate(der) if der else None
        return Fetched(response.status, response.headers, body, cert)
    finally:
        conn.close()


def test_absolute_form_request_serves_a_site_page(web: DemoWeb) -> None:
    page = fetch(web, "http://www.tezhong-banzheng.com/contact.html")
    assert page.status == 200
    assert "13812347701" in page.body.decode("utf-8")
    assert ("www.tezhong-banzheng.com", "/contact.html") in web.requests_seen


def test_connect_tunnel_serves_https_with_a_ca_issued_leaf_for_the_host(web: DemoWeb) -> None:
    page = fetch(web, "https://cx.mem.gov.cn/special?index=0")
    assert page.status == 200 and "queryBtn" in page.body.decode("utf-8")
    san = page.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["cx.mem.gov.cn"]
    assert page.cert.issuer != page.cert.subject


def test_ca_issued_leaf_verifies_against_the_demo_ca(web: DemoWeb) -> None:
    context = ssl.create_default_context(cadata=web.ca_cert_pem.decode())
    port = int(web.proxy_url.rsplit(":", 1)[1])
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    conn.set_tunnel("zlaq-mohurd.com", 443)
    conn.request("GET", "/")
    assert conn.getresponse().status == 200
    conn.close()


def test_self_signed_site_presents_a_self_signed_leaf(web: DemoWeb) -> None:
    cert = fetch(web, "https://cx.mem.gov.cn.zscx.top/").cert
    assert cert.issuer == cert.subject


def test_expired_site_presents_an_expired_leaf(web: DemoWeb) -> None:
    cert = fetch(web, "https://zhengshu-chaxun-center.com/").cert
    assert cert.not_valid_after_utc < datetime.now(UTC)


def test_undeclared_gbk_page_is_gbk_without_any_charset(web: DemoWeb) -> None:
    page = fetch(web, "http://www.dg-zhengjian.com/")
    assert page.headers["Content-Type"] == "text/html"
    assert b"charset" not in page.body.lower()
    assert "包过" in page.body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")


def test_mislabelled_page_claims_utf8_but_sends_gbk(web: DemoWeb) -> None:
    page = fetch(web, "http://www.yingji-zhengshu.com/")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "叉车证" in page.body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")


def test_big5_page_is_sent_in_big5(web: DemoWeb) -> None:
    page = fetch(web, "https://www.gangao-zhengshu.com/")
    assert "charset=big5" in page.headers["Content-Type"]
    assert "特種作業操作證" in page.body.decode("big5")


def test_javascript_only_page_has_no_ad_text_in_its_html(web: DemoWeb) -> None:
    html = fetch(web, "https://www.dianhan-zheng.com/").body.decode("utf-8")
    assert "免考" not in html and "15066328417" not in html
    assert "innerHTML" in html


def test_unknown_host_gets_502_and_nothing_is_forwarded(
    web: DemoWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbound: list[object] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock: socket.socket, address: object) -> None:
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            outbound.append(address)
        real_connect(sock, address)

    def getaddrinfo(host: str, *args: object, **kwargs: object) -> list:
        if host != "127.0.0.1":
            outbound.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert fetch(web, "http://unknown-host.invalid/x").status == 502
    assert fetch(web, "https://unknown-host.invalid/y").status == 502
    assert outbound == []


def test_plain_http_site_refuses_connect_and_https_site_upgrades_http(web: DemoWeb) -> None:
    with pytest.raises(OSError, match="502"):
        fetch(web, "https://www.tezhong-banzheng.com/")
    upgraded = fetch(web, "http://cx.mem.gov.cn/special")
    assert upgraded.status == 301
    assert upgraded.headers["Location"] == "https://cx.mem.gov.cn/special"


def test_redirect_loop_loops(web: DemoWeb) -> None:
    locations = []
    url = "http://www.tiaozhuan-xunhuan.com/"
    for _ in range(4):
        page = fetch(web, url)
        assert page.status == 302
        url = "http://www.tiaozhuan-xunhuan.com" + page.headers["Location"]
        locations.append(page.headers["Location"])
    assert locations == ["/a.html", "/b.html", "/a.html", "/b.html"]


def test_error_status_and_unknown_path(web: DemoWeb) -> None:
    assert fetch(web, "https://www.fuwu-cuowu.com/").status == 503
    assert fetch(web, "http://www.hengan-peixun.com/no-such-page").status == 404


def test_removed_hosts_answer_404(web: DemoWeb) -> None:
    assert fetch(web, "https://www.fuzeren-kaohe.com/").status == 404
    assert fetch(web, "http://cnse-ecqs.com.cn/").status == 404


def test_hostile_bodies_are_generated_to_size(web: DemoWeb) -> None:
    huge = fetch(web, "http://www.chaoda-yemian.com/").body
    assert len(huge) >= 20_000_000
    one_line = fetch(web, "http://www.zhengshu-daiban.xyz/").body
    assert len(one_line) >= 3_000_000 and b"\n" not in one_line
    assert b"\x00" in fetch(web, "http://www.baoguo-zhengshu.cc/").body


def test_head_keep_alive_and_connection_close(web: DemoWeb) -> None:
    port = int(web.proxy_url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("HEAD", "http://www.hengan-peixun.com/")
    head = conn.getresponse()
    assert head.read() == b"" and int(head.headers["Content-Length"]) > 0
    conn.request("GET", "http://www.hengan-peixun.com/", headers={"Connection": "close"})
    closing = conn.getresponse()
    assert closing.headers["Connection"] == "close" and b"cx.mem.gov.cn" in closing.read()
    assert conn.sock is None or conn.sock.recv(1) == b""
    conn.close()


def test_posted_forms_are_answered(web: DemoWeb) -> None:
    port = int(web.proxy_url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "http://cx-mem-gov.cn.com/query.html", body="idCard=330102&captcha=1234",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "有效" in conn.getresponse().read().decode("utf-8")
    conn.close()


def test_server_survives_clients_that_vanish(web: DemoWeb) -> None:
    port = int(web.proxy_url.rsplit(":", 1)[1])
    vanishing = (b"GET http://www.hengan", b"NONSENSE\r\n\r\n",
                 b"CONNECT zlaq-mohurd.com:443 HTTP/1.1\r\n\r\n\x16\x03")
    for garbage in vanishing:
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(garbage)
    assert fetch(web, "http://www.hengan-peixun.com/").status == 200


def test_twenty_parallel_clients(web: DemoWeb) -> None:
    urls = ["http://www.hengan-peixun.com/", "https://zlaq-mohurd.com/",
            "https://www.anjian-xinwen.com/news/2024/0611/2231.html", "http://bj.fenlei-demo.com/"]
    barrier = threading.Barrier(20)

    def client(number: int) -> list[int]:
        barrier.wait()
        return [fetch(web, urls[(number + i) % len(urls)]).status for i in range(3)]

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = [status for result in pool.map(client, range(20)) for status in result]
    assert statuses == [200] * 60


def test_engine_hosts_get_captcha_only_when_asked(
    web: DemoWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spies on the call into engines.py, whose captcha page format is its own business.
    calls: dict[str, bool] = {}
    real = server.engine_response

    def spy(host: str, path: str, search: object, *, captcha: bool = False) -> object:
        calls[host] = captcha
        return real(host, path, search, captcha=captcha)

    monkeypatch.setattr(server, "engine_response", spy)
    query = quote("电工证 免考")
    baidu = fetch(web, f"https://www.baidu.com/s?wd={query}")
    fetch(web, f"https://www.sogou.com/web?query={query}")
    assert calls == {"www.baidu.com": False, "www.sogou.com": True}
    assert baidu.status == 200 and b"www.tezhong-banzheng.com" in baidu.body


def test_manifest_loads_with_valid_expectations() -> None:
    sites = load_sites()
    assert len(sites) >= 30
    for site in sites:
        assert site.expect in EXPECTATIONS and site.why
        for page in site.pages.values():
            assert page.file is None or page.file.is_file()
        if site.expect == "lookalike_site":
            assert site.expect_target in OFFICIAL and site.host not in OFFICIAL
    contacts = [contact for site in sites for contact in set(site.expect_contacts)]
    assert len(contacts) == len(set(contacts)), "contacts must tell sites apart"


def test_manifest_rejects_unknown_keys_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    manifest = tmp_path / "sites.toml"
    manifest.write_text('[[site]]\nhost = "a.test"\nexpect = "none"\nwhy = "x"\ncolour = 1\n'
                        '[site.pages]\n"/" = "index.html"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="colour"):
        load_sites(tmp_path)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("colour = 1\n", ""),
                        encoding="utf-8")
    with pytest.raises(ManifestError, match="does not exist"):
        load_sites(tmp_path)


def _write_sites(root: Path, sites: dict[str, tuple[str, str]]) -> None:
    """A tiny manifest: host → (extra TOML lines, page HTML)."""
    entries = []
    for host, (extra, html) in sites.items():
        (root / "sites" / host).mkdir(parents=True)
        (root / "sites" / host / "index.html").write_text(html, encoding="utf-8")
        entries.append(f'[[site]]\nhost = "{host}"\nexpect = "none"\nwhy = "test"\n{extra}\n'
                       '[site.pages]\n"/" = "index.html"\n')
    (root / "sites.toml").write_text("\n".join(entries), encoding="utf-8")


def test_search_index_ranks_matches_and_hides_unindexed_sites(tmp_path: Path) -> None:
    _write_sites(tmp_path, {
        "one-word.test": ("", "<title>电工培训</title><p>低压电工培训报名</p>"),
        "two-words.test": ("ad = true", "<title>办证</title><p>电工 免考 包过</p>"),
        "hidden.test": ("indexed = false", "<p>电工证 免考</p>"),
        "unrelated.test": ("", "<p>证件照拍摄</p>"),
    })
    hits = SearchIndex(load_sites(tmp_path)).search("电工证 免考")
    assert [hit.url for hit in hits] == ["http://two-words.test/", "http://one-word.test/"]
    assert [hit.is_ad for hit in hits] == [True, False]
    assert hits[1].title == "电工培训" and "电工" in hits[1].snippet
    assert SearchIndex(load_sites(tmp_path)).search("电工证 免考") == hits


def test_search_terms_make_javascript_pages_findable() -> None:
    hosts = [urlsplit(hit.url).hostname for hit in SearchIndex(load_sites()).search("焊工证")]
    assert "www.dianhan-zheng.com" in hosts
    assert not {"cx-mem-gov.cn.com", "cx.mem.gov.cn.zscx.top"} & set(hosts)
