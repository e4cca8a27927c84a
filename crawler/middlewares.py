"""Downloader middlewares: offline cookie handling, one proxy for all traffic, conditional
requests for pages fetched before, encoding repair, TLS problems as signals.
Settings read: JIAZHENG_PROXY, JIAZHENG_INCREMENTAL, JIAZHENG_DB."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached

from crawler.browser import proxy_from
from crawler.encoding import choose_encoding
from crawler.tls import certificate_problems
from leads.egress.proxy_errors import MAX_TEXT, PROXY_STATUSES, proxy_failure
from leads.judge.domains import host_parts

if TYPE_CHECKING:
    from http.cookiejar import Cookie

    from scrapy.http.cookies import CookieJar

logger = logging.getLogger(__name__)

TLS_META = "jz_tls_problems"
ENCODING_META = "jz_encoding_signal"
UNCHANGED_META = "jz_unchanged"
PREVIOUS_META = "jz_previous"


class OfflineCookiesMiddleware(CookiesMiddleware):
    """Scrapy's cookie handling with a public-suffix check that never goes online.

    Scrapy's module-level TLDExtract fetches the suffix list from the internet on first use
    (then falls back with a traceback); ours uses the list bundled with tldextract.
    """

    def _process_cookies(
        self, cookies: Iterable[Cookie], *, jar: CookieJar, request: Request
    ) -> None:
        hostname = urlparse_cached(request).hostname
        if hostname is None:
            return
        request_domain = hostname.lower()
        for cookie in cookies:
            cookie_domain = cookie.domain.removeprefix(".")
            # A cookie for a public suffix (".com.cn") may only go back to that exact host.
            if cookie_domain and not host_parts(cookie_domain).registered_domain:
                if cookie_domain != request_domain:
                    continue
                cookie.domain = request_domain
            jar.set_cookie_if_ok(cookie, request)


class ProxyMiddleware:
    """Send every plain request through JIAZHENG_PROXY (the browser gets it at launch)."""

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyMiddleware:
        return cls(proxy_from(crawler.settings))

    def process_request(self, request: Request) -> None:
        if self.proxy and "proxy" not in request.meta and not request.meta.get("playwright"):
            request.meta["proxy"] = self.proxy


class NoRetryOnDeadHostMiddleware:
    """A proxy's answer that the host does not exist (Squid's ERR_DNS_FAIL, Proxy-Status
    dns_error, a proxy's DNS error page) is final: retrying would only make the proxy look the
    name up again. Its process_response runs before Scrapy's RetryMiddleware sees the 502."""

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in PROXY_STATUSES:
            headers = {name.decode("latin-1"): b", ".join(values).decode("latin-1")
                       for name, values in response.headers.items()}
            # Only the head of the body is decoded: an error page is short, a hostile 502 is not.
            text = (response.body[: MAX_TEXT * 4].decode(response.encoding, "replace")
                    if isinstance(response, TextResponse) else "")
            failure = proxy_failure(response.status, headers, text)
            if failure is not None and failure.kind == "dns":
                request.meta["dont_retry"] = True
        return response


class ConditionalRequestMiddleware:
    """Ask with If-None-Match/If-Modified-Since for pages fetched before; a 304 becomes the
    stored page again, and that page (or an identical body) is marked unchanged."""

    def __init__(self, crawler: Crawler) -> None:
        self.store = crawler.jiazheng_store  # the crawl's store holder (crawler/crawl_store.py)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        if not crawler.settings.getbool("JIAZHENG_INCREMENTAL"):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if "jz_role" not in request.meta or request.meta.get("playwright"):
            return
        previous = self.store.previous_fetch(request.url)
        if previous is None:
            return
        request.meta[PREVIOUS_META] = previous
        if previous["etag"]:
            request.headers["If-None-Match"] = previous["etag"]
        if previous["last_modified"]:
            request.headers["If-Modified-Since"] = previous["last_modified"]

    def process_response(self, request: Request, response: Response) -> Response:
        previous = request.meta.get(PREVIOUS_META)
        if previous is None:
            return response
        if response.status == 304:
            request.meta[UNCHANGED_META] = True
            body = self.store.body(previous["sha256"])
            cls = responsetypes.from_args(headers=previous["headers"], url=response.url,
                                          body=body)
            return cls(response.url, status=200, headers=previous["headers"], body=body,
                       request=request, flags=["unchanged"])
        same_body = hashlib.sha256(response.body).hexdigest() == previous["sha256"]
        request.meta[UNCHANGED_META] = response.status == 200 and same_body
        return response


class EncodingMiddleware:
    """Re-decode HTML whose charset is missing or wrong, and note that as a fetch signal."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or request.meta.get("playwright"):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        encoding, signal = choose_encoding(content_type, response.body)
        request.meta[ENCODING_META] = signal  # per hop: a redirect's target starts clean
        return response.replace(encoding=encoding)


class TlsSignalMiddleware:
    """Record certificate problems of HTTPS responses in ``request.meta``."""

    def process_response(self, request: Request, response: Response) -> Response:
        certificate = getattr(response, "certificate", None)
        problems: tuple[str, ...] = ()
        if certificate is not None:
            host = urlparse_cached(response).hostname or ""
            problems = certificate_problems(certificate.original.to_cryptography(), host)
        request.meta[TLS_META] = problems
        return response
