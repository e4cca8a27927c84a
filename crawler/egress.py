"""The egress policy (``leads.egress.policy``) in the crawl: nothing a seller page points to
reaches an internal address, whichever way the crawl would fetch it.

- ``EgressMiddleware`` refuses every Scrapy request the policy refuses before it is sent: start
  URLs, links, logos and each redirect or meta-refresh hop (Scrapy's redirect middlewares make a
  new request per hop, which comes back through here).
- ``GuardedResolver`` refuses a name that resolves to an internal address. It matters when the
  crawl connects directly; through a proxy Scrapy resolves only the proxy (the configured proxy
  is not a page and is allowed), and the proxy resolves the sites.
- ``BrowserRequestFilter`` is PLAYWRIGHT_ABORT_REQUEST: the rendering browser aborts refused
  requests (remembered for the page that made them) and heavy resources; the renderer
  (``crawler.renderer``) puts each browser under ``leads.egress.browser.BrowserEgressGuard``
  before a page's first request, and the guard also stops redirect hops;
  ``refuse_websockets`` keeps rendered pages from opening WebSockets.

Refused requests become ``egress_refused`` errors (``crawler.errors``); refused links are
recorded on their page by the spider (``PageSpider.permitted``). Settings read:
JIAZHENG_EGRESS_ALLOW (``host:port`` or CIDR entries, for test and demo servers; empty by
default), JIAZHENG_PROXY (else the HTTP(S)_PROXY variables).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.browser import abort_heavy_request, proxy_from
from leads.egress.browser import BrowserEgressGuard, browser_refusal
from leads.egress.policy import EgressPolicy

logger = logging.getLogger(__name__)

REFUSED_STAT = "jiazheng/egress/refused"
MAX_NAMES_REMEMBERED = 1000  # names the resolver refused, kept to explain their failures
MAX_PAGES_REMEMBERED = 200  # pages whose browser refusals wait for the spider to collect them
MAX_REFUSALS_PER_PAGE = 20


def egress_policy(settings: BaseSettings) -> EgressPolicy:
    """The crawl's policy, with JIAZHENG_EGRESS_ALLOW's exceptions."""
    return EgressPolicy.allowing(settings.getlist("JIAZHENG_EGRESS_ALLOW"))


class EgressRefused(IgnoreRequest):
    """A request the egress policy refuses; never sent. The message is the reason."""


class EgressRefusedLookup(DNSLookupError):
    """A name that resolved to an internal address; no connection was made."""


class EgressMiddleware:
    """Refuse, before sending, any request the policy refuses (every redirect hop included)."""

    def __init__(self, policy: EgressPolicy, stats: StatsCollector) -> None:
        self.policy = policy
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EgressMiddleware:
        return cls(egress_policy(crawler.settings), crawler.stats)

    def process_request(self, request: Request) -> None:
        reason = self.policy.refusal(request.url)
        if reason is not None:
            self.stats.inc_value(REFUSED_STAT)
            logger.warning("%s", reason)
            raise EgressRefused(reason)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing names that resolve to an internal address (the configured
    proxy excepted: it is where the crawl is told to send its traffic).

    Twisted turns any resolver error into "no results", so the refusals are also kept by name
    (process-wide, like the resolver) for ``resolver_refusal`` to tell them from DNS failures."""

    policy = EgressPolicy()
    proxy_host = ""
    refusals: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.policy = egress_policy(crawler.settings)
        proxy = proxy_from(crawler.settings)
        resolver.proxy_host = (urlsplit(proxy if "://" in proxy else f"http://{proxy}").hostname
                               or "") if proxy else ""
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        if self.proxy_host and name.lower() == self.proxy_host:
            return address
        reason = self.policy.address_refusal(name, address)
        if reason is not None:
            logger.warning("%s", reason)
            if len(self.refusals) >= MAX_NAMES_REMEMBERED:
                self.refusals.clear()
            self.refusals[name.lower()] = reason
            raise EgressRefusedLookup(name, reason)
        return address


def resolver_refusal(url: str) -> str | None:
    """Why the resolver refused the URL's host: a "DNS failure" that was in fact a refusal."""
    return GuardedResolver.refusals.get((urlsplit(url).hostname or "").lower())


class BrowserRequestFilter:
    """PLAYWRIGHT_ABORT_REQUEST for the crawl's browser: refused requests and heavy resources
    are aborted; refusals are kept per page URL until ``take`` collects them. ``direct``: the
    browser has no proxy, so the guard judges resolved addresses too."""

    def __init__(self, policy: EgressPolicy, *, direct: bool = False,
                 skip: Callable[[Any], bool] = abort_heavy_request) -> None:
        self.policy = policy
        self.skip = skip
        self.refused: dict[str, list[str]] = {}
        self._guard = BrowserEgressGuard(policy, self._refused_hop, direct=direct)
        self._guarded: weakref.WeakSet[Any] = weakref.WeakSet()
        self._attaching = asyncio.Lock()

    async def __call__(self, request: Any) -> bool:
        page = _page_of(request)
        if page is not None:
            await self.guard_browser(page.context.browser)
        reason = browser_refusal(self.policy, request.url)
        if reason is None:
            return self.skip(request)
        self._remember(page.url if page is not None else "", reason)
        # The page's own navigation (after load) is left to the browser-level guard, which
        # cancels it: failed here, it would replace the page with Chromium's error page.
        return not (page is not None and request.is_navigation_request()
                    and request.frame is page.main_frame)

    def take(self, page_url: str) -> list[str]:
        """The refusals of the page now at ``page_url`` (forgotten once taken)."""
        return self.refused.pop(page_url, [])

    async def guard_browser(self, browser: Any) -> None:
        """Put ``browser`` under the browser-level guard (once). The renderer calls this when it
        opens a page: a request already under way when the guard attaches keeps its redirects
        out of its sight."""
        if browser is None or browser in self._guarded:
            return
        async with self._attaching:
            if browser not in self._guarded:
                await self._guard.attach(browser)
                self._guarded.add(browser)

    def _refused_hop(self, reason: str) -> None:
        """A redirect hop refused by the browser-level guard: its page is not known there."""
        logger.warning("browser: %s", reason)

    def _remember(self, page_url: str, reason: str) -> None:
        logger.warning("browser: %s", reason)
        if page_url not in self.refused and len(self.refused) >= MAX_PAGES_REMEMBERED:
            self.refused.pop(next(iter(self.refused)))
        reasons = self.refused.setdefault(page_url, [])
        if reason not in reasons and len(reasons) < MAX_REFUSALS_PER_PAGE:
            reasons.append(reason)


async def refuse_websockets(page: Any, request: Any) -> None:
    """playwright_page_init_callback of rendered pages: no WebSocket is opened (none carries
    text we judge, and neither routes nor the browser-level guard see them)."""

    async def close(socket: Any) -> None:
        await socket.close()

    await page.route_web_socket("**/*", close)


def _page_of(request: Any) -> Any:
    """The page a browser request belongs to (none for a service worker's)."""
    try:
        return request.frame.page
    except Exception:  # Playwright raises for requests outside any frame
        return None
