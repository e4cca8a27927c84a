"""Downloader middlewares: offline cookie handling, one proxy for all traffic, encoding repair,
TLS problems as signals. Settings read: JIAZHENG_PROXY."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import Response, TextResponse
from scrapy.utils.httpobj import urlparse_cached

from crawler.browser import proxy_from
from crawler.encoding import choose_encoding
from crawler.tls import certificate_problems
from leads.domains import host_parts

if TYPE_CHECKING:
    from http.cookiejar import Cookie

    from scrapy.crawler import Crawler
    from scrapy.http.cookies import CookieJar

logger = logging.getLogger(__name__)

TLS_META = "jz_tls_problems"
ENCODING_META = "jz_encoding_signal"


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
