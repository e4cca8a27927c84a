"""The egress policy (leads/egress/policy.py): every spelling of an internal address is refused, public
sites pass, and exceptions exist only when configured."""

from __future__ import annotations

import pytest

from leads.egress.policy import NO_EXCEPTIONS, EgressPolicy

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short form
    "http://0x7f.0.0.1/",  # mixed
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[64:ff9b::7f00:1]/",  # NAT64
    "http://127.0.0.1./",  # trailing dot
    "http://%31%32%37.0.0.1/",  # percent-encoded
    "http://１２７．０．０．１/",  # full-width
    "http://127。0。0。1/",  # ideographic full stop
    "http://evil.example.com@127.0.0.1/",  # userinfo
    "http://evil.example.com\\@127.0.0.1/",  # browser reads \ as /, Python does not
    "http://127.0.0.1\\@evil.example.com/",
    "http://127.0.0.1\t:8080/",
    "HTTP://LOCALHOST/",
    "http://localhost./admin",
    "http://app.localhost/",
]
INTERNAL = [
    "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://[fc00::1]/",
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://0.0.0.0/", "http://240.0.0.1/", "http://255.255.255.255/",
    "http://printer.local/", "http://db.internal/", "http://nas.lan/", "http://wiki.intranet/",
    "http://erp.corp/", "http://router.home.arpa/", "http://router/",
    "http://10.0.0.1.nip.io/", "http://127-0-0-1.sslip.io/", "http://0a000001.nip.io/",
    "http://www.192.168.0.1.xip.io/", "http://--1.sslip.io/",
]
NOT_HTTP = ["file:///etc/passwd", "data:text/html,<h1>x</h1>", "javascript:alert(1)",
            "ftp://ftp.example.com/", "gopher://example.com/", "/relative/path"]
PUBLIC = ["http://www.baidu.com/s?wd=%E8%AF%81", "https://cx.mem.gov.cn/", "http://8.8.8.8/",
          "http://中国.cn/", "http://xn--fiqs8s.cn/", "https://www.example.com:8443/a?b#c",
          "http://1.2.3.4.nip.io/", "http://www.shop-2024.com/", "http://user:pw@example.com/"]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused(url: str) -> None:
    reason = NO_EXCEPTIONS.refusal(url)
    assert reason and reason.startswith("拒绝访问内网地址：")
    assert "回环地址" in reason or "localhost" in reason


@pytest.mark.parametrize("url", INTERNAL)
def test_private_link_local_reserved_and_internal_names_are_refused(url: str) -> None:
    reason = NO_EXCEPTIONS.refusal(url)
    assert reason and reason.startswith("拒绝访问内网地址："), reason


@pytest.mark.parametrize("url", NOT_HTTP)
def test_only_http_and_https(url: str) -> None:
    assert NO_EXCEPTIONS.refusal(url) == f"拒绝访问非 http/https 网址：{url}"


@pytest.mark.parametrize("url", PUBLIC)
def test_public_sites_pass(url: str) -> None:
    assert NO_EXCEPTIONS.refusal(url) is None


@pytest.mark.parametrize("url", ["http://256.1.1.1/", "http://0x100000000/",
                                 "http://192.168.1.1.5/", "http://a.com:99999/", "http://[::1/",
                                 "http://a.com%2540127.0.0.1/", "http:///127.0.0.1/"])
def test_urls_no_browser_accepts_are_refused_as_invalid(url: str) -> None:
    reason = NO_EXCEPTIONS.refusal(url)
    assert reason and reason.startswith("拒绝访问"), reason


def test_reasons_say_which_address_a_spelling_means() -> None:
    assert "127.0.0.1 是回环地址" in NO_EXCEPTIONS.refusal("http://2130706433/")
    assert "指向 10.0.0.1" in NO_EXCEPTIONS.refusal("http://10.0.0.1.nip.io/")
    assert "即 127.0.0.1" in NO_EXCEPTIONS.refusal("http://[::ffff:127.0.0.1]/")


def test_a_huge_url_gives_a_bounded_reason() -> None:
    reason = NO_EXCEPTIONS.refusal("http://127.0.0.1/" + "a" * 1_000_000)
    assert reason and len(reason) < 400


def test_exceptions_are_exactly_the_configured_endpoints_and_networks() -> None:
    policy = EgressPolicy.allowing(["127.0.0.1:8899", "[::1]:8080", "10.9.0.0/16", " "])
    assert policy.refusal("http://127.0.0.1:8899/x") is None
    assert policy.refusal("http://[::1]:8080/") is None
    assert policy.refusal("http://10.9.200.1/") is None
    assert policy.refusal("http://127.0.0.1:8898/x")
    assert policy.refusal("http://localhost:8899/")
    assert policy.refusal("http://10.8.0.1/")
    assert NO_EXCEPTIONS.refusal("http://127.0.0.1:8899/x")


@pytest.mark.parametrize("entry", ["127.0.0.1", "nonsense/99", "host:port", "[::1"])
def test_a_malformed_exception_is_an_error_naming_it(entry: str) -> None:
    with pytest.raises(ValueError, match="JIAZHENG_EGRESS_ALLOW"):
        EgressPolicy.allowing([entry])


def test_resolved_addresses_are_judged_too() -> None:
    assert "10.1.2.3" in NO_EXCEPTIONS.address_refusal("intranet-shop.com", "10.1.2.3")
    assert NO_EXCEPTIONS.address_refusal("rebind.example.com", "127.0.0.1")
    assert NO_EXCEPTIONS.address_refusal("www.baidu.com", "110.242.68.66") is None
    allowed = EgressPolicy.allowing(["127.0.0.0/8"])
    assert allowed.address_refusal("demo.test", "127.0.0.1") is None
