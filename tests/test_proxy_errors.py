"""Proxy error answers, read from saved answers (tests/fixtures/proxy/*.http): the failure they
report, never the site; a site's own error page and a live page are left to be judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from leads.egress.proxy_errors import proxy_failure
from leads.judge.observations import PageObservation
from leads.judge.page_text import page_text
from leads.judge.takedown import classify_recheck

FIXTURES = Path(__file__).parent / "fixtures" / "proxy"


def saved(name: str) -> tuple[int, dict[str, str], str]:
    """(status, headers, title and visible text) of a saved HTTP answer."""
    head, _, body = (FIXTURES / name).read_text(encoding="utf-8").partition("\n\n")
    status_line, *header_lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in header_lines)
    title, text = page_text(body)
    return int(status_line.split()[1]), headers, f"{title}\n{text}"


@pytest.mark.parametrize(("name", "kind", "said"), [
    ("squid-dns-fail.http", "dns", "ERR_DNS_FAIL"),
    ("squid-connect-fail.http", "refused", "ERR_CONNECT_FAIL"),
    ("proxy-status-dns.http", "dns", "dns_error"),
    ("privoxy-no-such-domain.http", "dns", "No such domain"),
    ("corporate-gateway-dns.http", "dns", "域名解析失败"),
])
def test_proxy_answers_report_the_failure_behind_them(name: str, kind: str, said: str) -> None:
    failure = proxy_failure(*saved(name))
    assert failure is not None and failure.kind == kind
    assert said.lower() in failure.reason.lower()


@pytest.mark.parametrize("name", ["site-own-502.http", "live-page-claiming-squid.http"])
def test_a_sites_own_answer_is_left_to_be_judged(name: str) -> None:
    assert proxy_failure(*saved(name)) is None


def test_proxy_status_list_with_several_members_and_quotes() -> None:
    headers = {"Proxy-Status": 'cdn; fwd-status=200, "corp gw"; error="connection_refused"'}
    failure = proxy_failure(502, headers, "")
    assert failure is not None and failure.kind == "refused"
    unknown = proxy_failure(502, {"Proxy-Status": "gw; error=http_protocol_error"}, "")
    assert unknown is not None and unknown.kind == "proxy_error"


def test_huge_error_page_is_read_only_at_its_start() -> None:
    text = "x" * 50_000 + " squid ERR_DNS_FAIL"
    assert proxy_failure(502, {}, text) is None


def test_recheck_behind_a_proxy_sees_the_takedown() -> None:
    status, headers, text = saved("squid-dns-fail.http")
    failure = proxy_failure(status, headers, text)
    assert failure is not None
    page = PageObservation(url="http://gone.example/", final_url="http://gone.example/",
                           role="recheck", status=status, error=failure.kind,
                           error_detail=failure.reason)
    assert classify_recheck(page, "old", "new").outcome == "gone"
