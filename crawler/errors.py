"""Failed fetches as short, stable error kinds: stored with the page and counted in the summary."""

from __future__ import annotations

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

from crawler.egress import EgressRefused, EgressRefusedLookup

EGRESS_REFUSED = "egress_refused"  # the egress policy refused it: never sent (crawler/egress.py)
KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, error.DNSLookupError), "dns"),
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
    if failure.check(IgnoreRequest):
        return ("redirect_loop" if "redirect" in detail else "ignored"), detail
    for types, kind in KINDS:
        if failure.check(*types):
            proxied = bool(getattr(failure, "request", None) and failure.request.meta.get("proxy"))
            if kind == "refused" and proxied:
                return "proxy_unreachable", detail
            return kind, detail
    if "playwright" in type(failure.value).__module__ or "TargetClosed" in repr(failure.value):
        return "browser", detail
    return type(failure.value).__name__, detail
