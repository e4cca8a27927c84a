"""Lookalike domains are found with the right target; official, government and innocent hosts are not."""

from pathlib import Path

import pytest

from leads.domains import host_parts, is_government_host, is_official_host, score_domain
from leads.verdict import LEAD_THRESHOLD

DATA = Path(__file__).parent / "data"
REAL_GOV_DOMAINS = Path("/work/shared/realdata/gov_domains.txt")


def _hosts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    "host",
    [
        "cx.mem.gov.cn",
        "zlaq.mohurd.gov.cn",
        "cnse.e-cqs.cn",
        "cnse.samr.gov.cn",
        "https://CX.MEM.GOV.CN:443/special?index=0",
    ],
)
def test_official_hosts(host: str):
    assert is_official_host(host)
    assert is_government_host(host)
    assert score_domain(host).score == 0


def test_own_government_host_list_scores_zero():
    hosts = _hosts(DATA / "gov_hosts.txt")
    assert len(hosts) >= 30
    for host in hosts:
        assert is_government_host(host), host
        assert score_domain(host).score == 0, host


@pytest.mark.skipif(not REAL_GOV_DOMAINS.exists(), reason="reference gov.cn list not present")
def test_reference_government_hosts_score_zero():
    for host in _hosts(REAL_GOV_DOMAINS):
        assert score_domain(host).score == 0, host


@pytest.mark.parametrize(
    ("host", "signal", "target"),
    [
        ("cx.mem.gov.cn.example.com", "embedded_official_host", "cx.mem.gov.cn"),
        (
            "http://zlaq.mohurd.gov.cn.check-cert.top/index",
            "embedded_official_host",
            "zlaq.mohurd.gov.cn",
        ),
        ("mem.gov.cn.com", "suffix_swap", "cx.mem.gov.cn"),
        ("mohurd.com.cn", "suffix_swap", "zlaq.mohurd.gov.cn"),
        ("cnse-e-cqs.top", "token_combination", "cnse.e-cqs.cn"),
        ("e-cqs.com", "suffix_swap", "cnse.e-cqs.cn"),
        ("cx-mem-gov.com", "token_combination", "cx.mem.gov.cn"),
        ("mohurd-zlaq.net", "token_combination", "zlaq.mohurd.gov.cn"),
        ("memgov-cx.cn", "token_combination", "cx.mem.gov.cn"),
        ("cnse-samr.com", "token_combination", "cnse.e-cqs.cn"),
        ("cx-rnem.com", "typosquat", "cx.mem.gov.cn"),
        ("zlaq-mohurb.com", "typosquat", "zlaq.mohurd.gov.cn"),
        ("сх-mem.com", "typosquat", "cx.mem.gov.cn"),  # Cyrillic с and х
        ("tzzycx.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("yjglb-cx.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("zhengshu-chaxun.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("tezhongzuoye-chaxun.cn", "pinyin_tokens", "cx.mem.gov.cn"),
        ("tzsb-cx.com", "pinyin_tokens", "cnse.e-cqs.cn"),
        ("zhujianbu-chaxun.com", "pinyin_tokens", "zlaq.mohurd.gov.cn"),
    ],
)
def test_lookalikes_found_with_target(host: str, signal: str, target: str):
    result = score_domain(host)
    assert result.score >= LEAD_THRESHOLD, result
    assert result.target == target
    assert signal in result.signals
    assert any(target in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "host",
    [
        "memory.com",
        "cxmotors.com",
        "members.example.org",
        "www.cqs.org",
        "memes.net",
        "cx.example.com",
        "chaxun.com",
        "baidu.com",
        "www.58.com",
        "samrat.in",
        "mohair.co.uk",
        "tezhongzuoye.com",
        "news.sina.com.cn",
        "www.163.com",
        "cnse.org",
    ],
)
def test_innocent_hosts_stay_low(host: str):
    assert score_domain(host).score < LEAD_THRESHOLD, score_domain(host)


@pytest.mark.parametrize(
    ("raw", "host", "registered"),
    [
        ("HTTPS://Cx.Mem.Gov.Cn./x", "cx.mem.gov.cn", "mem.gov.cn"),
        ("shop.example.co.uk:8080", "shop.example.co.uk", "example.co.uk"),
        ("http://user:pw@a.b.example.com/p?q=1", "a.b.example.com", "example.com"),
        ("证书查询.中国", "xn--1jq843d2lz3da.xn--fiqs8s", "xn--1jq843d2lz3da.xn--fiqs8s"),
    ],
)
def test_host_parts(raw: str, host: str, registered: str):
    parts = host_parts(raw)
    assert (parts.host, parts.registered_domain) == (host, registered)


def test_ip_hosts():
    assert host_parts("http://10.0.0.1:8080/").is_ip
    assert host_parts("[2001:db8::1]").is_ip
    assert score_domain("1.2.3.4").score == 0


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "http://", "http://[bad", "...", "a..b", "\x00", "🔥.com", "-" * 300, "xn--zz"],
)
def test_garbage_never_raises(garbage: str):
    assert score_domain(garbage).score >= 0
    assert is_government_host(garbage) in (True, False)
