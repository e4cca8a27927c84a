"""Failed fetches as short, stable error kinds: stored with the page and counted in the summary."""

from __future__ import annotations

import re

from scrapy.core.downloader.handlers.http11 import TunnelError
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import defer, error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.egress import EgressRefused, EgressRefusedLookup, resolver_refusal
from leads.egress.proxy_errors import PROXY_STATUSES

EGRESS_REFUSED = "egress_refused"  # the egress policy refused it: never sent (crawler/egress.py)
DNS_ERRORS = (CannotResolveHostError, error.DNSLookupError)
FAILURE_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    (DNS_ERRORS, "dns"),
    ((DownloadConnectionRefusedError, error.ConnectionRefusedError), "refused"),
    ((DownloadTimeoutError, error.TimeoutError, error.TCPTimedOutError, defer.TimeoutError),
     "timeout"),
    # The only cancelling in our settings is DOWNLOAD_MAXSIZE.
    ((DownloadCancelledError, defer.CancelledError), "too_large"),
    ((ResponseDataLossError, ResponseNeverReceived, error.ConnectionLost,
      error.ConnectionDone), "connection_lost"),
    ((DownloadFailedError,), "download_failed"),
)


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(kind, detail) for a request's failure; a refused connection through a proxy is the proxy."""
    detail = failure.getErrorMessage()[:500]
    if failure.check(EgressRefused, EgressRefusedLookup):
        return EGRESS_REFUSED, str(failure.value.args[-1])[:500]
    request = getattr(failure, "request", None)
    if failure.check(*DNS_ERRORS) and request and (reason := resolver_refusal(request.url)):
        return EGRESS_REFUSED, reason[:500]
    if failure.check(TunnelError):
        return _refused_tunnel(detail), detail
    if failure.check(IgnoreRequest):
        return ("redirect_loop" if "redirect" in detail else "ignored"), detail
    for types, kind in FAILURE_KINDS:
        if failure.check(*types):
            proxied = bool(getattr(failure, "request", None) and failure.request.meta.get("proxy"))
            if kind == "refused" and proxied:
                return "proxy_unreachable", detail
            return kind, detail
    if "playwright" in type(failure.value).__module__ or "TargetClosed" in repr(failure.value):
        return "browser", detail
    return type(failure.value).__name__, detail


CONNECT_STATUS = re.compile(r"'status': (\d{3})")


def _refused_tunnel(detail: str) -> str:
    """A proxy that will not open a CONNECT tunnel to a host with 502/503/504 could not reach it
    (as its error page would say, which Scrapy does not keep): the host did not answer. Any
    other refusal (403: the proxy's own policy) says nothing about the host."""
    if "ERR_DNS_FAIL" in detail or "dns_error" in detail:
        return "dns"
    status = CONNECT_STATUS.search(detail)
    if status and int(status.group(1)) in PROXY_STATUSES:
        return "refused"
    return "proxy_refused"
