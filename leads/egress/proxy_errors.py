"""A proxy's error answer is not the site: it reports that the site never answered.

Behind a Squid-style proxy (the way an office reaches the internet), a host that does not exist
answers ``502`` with the proxy's own error page; a host that refuses connections, ``503``; one
that never answers, ``504``. Judged as a page, such an answer turns every dead domain named
anywhere into a lead on its name alone, and hides every takedown. :func:`proxy_failure` reads the
answer — ``X-Squid-Error`` (ERR_DNS_FAIL, ERR_CONNECT_FAIL…), ``Proxy-Status`` (RFC 9209:
``Proxy-Status: squid; error=dns_error``), and the error pages of Squid, Privoxy and corporate
gateways — and names the failure it reports, with the same kinds the crawl gives a direct failure
(``dns``, ``refused``, ``timeout``; ``proxy_error`` for anything else the proxy reports).
Pure: status, headers and text in, (kind, reason) out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PROXY_STATUSES = (502, 503, 504)
MIN_ERROR_STATUS = 400  # proxies answer their errors with 4xx/5xx; a 200 is the site
MAX_TEXT = 20_000  # error pages are short; a long page is not read further

# Squid's error codes (errors/templates/ERR_*) by the failure they report.
SQUID_ERRORS = {
    "ERR_DNS_FAIL": "dns",
    "ERR_CONNECT_FAIL": "refused",
    "ERR_CANNOT_FORWARD": "refused",
    "ERR_CONNECT_TIMEOUT": "timeout",  # not a Squid name, but gateways copying it use it
    "ERR_READ_TIMEOUT": "timeout",
    "ERR_LIFETIME_EXP": "timeout",
}
# RFC 9209 §2.3 error types by the failure they report.
PROXY_STATUS_ERRORS = {
    "dns_timeout": "dns",
    "dns_error": "dns",
    "destination_not_found": "dns",
    "destination_unavailable": "refused",
    "destination_ip_unroutable": "refused",
    "connection_refused": "refused",
    "connection_terminated": "refused",
    "connection_timeout": "timeout",
    "connection_read_timeout": "timeout",
    "connection_write_timeout": "timeout",
}
# Error pages without those headers (older Squid, Privoxy, corporate gateways), read on the text
# of a 502/503/504 only.
PAGE_MARKERS = (
    (re.compile(r"ERR_DNS_FAIL|unable to determine ip address from host ?name|"
                r"privoxy was unable to resolve|no such domain|could not resolve host|"
                r"dns (?:lookup|resolution) (?:failed|error)|域名解析失败|无法解析(?:该)?域名|"
                r"找不到(?:该)?(?:服务器|主机)", re.IGNORECASE), "dns"),
    (re.compile(r"ERR_CONNECT_FAIL|connection (?:was )?refused|connect(?:ion)? failed|"
                r"privoxy was unable to connect|连接被拒绝|无法连接到", re.IGNORECASE), "refused"),
    (re.compile(r"ERR_READ_TIMEOUT|gateway time-?out|connection timed out|连接超时|网关超时",
                re.IGNORECASE), "timeout"),
)
PROXY_PAGE = re.compile(r"squid|privoxy|proxy|gateway|代理|网关", re.IGNORECASE)
KIND_WORDS = {"dns": "域名无法解析", "refused": "连接被拒绝", "timeout": "连接超时",
              "proxy_error": "代理报告错误"}


@dataclass(frozen=True)
class ProxyFailure:
    kind: str  # dns | refused | timeout | proxy_error
    reason: str  # in words, with what the proxy said


def proxy_failure(status: int, headers: Mapping[str, str], text: str) -> ProxyFailure | None:
    """The failure a proxy's answer reports, or None when the answer is the site's own."""
    if status < MIN_ERROR_STATUS:  # a page that answers is judged, whatever it claims
        return None
    lowered = {name.lower(): value for name, value in headers.items()}
    if squid := lowered.get("x-squid-error", "").strip():
        code = squid.split()[0].upper()
        kind = SQUID_ERRORS.get(code, "proxy_error")
        return ProxyFailure(kind, f"{KIND_WORDS[kind]}（代理报告 X-Squid-Error: {squid[:80]}）")
    if error := _proxy_status_error(lowered.get("proxy-status", "")):
        kind = PROXY_STATUS_ERRORS.get(error, "proxy_error")
        return ProxyFailure(kind, f"{KIND_WORDS[kind]}（代理报告 Proxy-Status error={error}）")
    if status not in PROXY_STATUSES:
        return None
    page = text[:MAX_TEXT]
    for pattern, kind in PAGE_MARKERS:
        match = pattern.search(page)
        if match and (PROXY_PAGE.search(page) or _via_proxy(lowered)):
            said = match.group(0)
            return ProxyFailure(kind, f"{KIND_WORDS[kind]}（代理错误页 {status}：{said}）")
    return None


def _proxy_status_error(value: str) -> str:
    """The first ``error=`` parameter of an RFC 9209 Proxy-Status list ("" when none)."""
    for member in value.split(",")[:8]:
        for parameter in member.split(";")[1:]:
            name, _, raw = parameter.strip().partition("=")
            if name.strip().lower() == "error" and raw:
                return raw.strip().strip('"').lower()[:40]
    return ""


def _via_proxy(headers: Mapping[str, str]) -> bool:
    server = headers.get("server", "").lower()
    return "via" in headers or any(name in server for name in ("squid", "privoxy", "proxy"))
