"""Base spider for fetching pages: a page, its contact/about pages, and the "verification"
sites it points to; rendering with Chromium only the pages that need it.

The spider observes and never judges: it yields PageObservation items; the pipelines score
and store. Subclasses say where pages come from:
``SearchEngineSpider`` (search results) and ``spiders/check.py`` (URLs an analyst pastes).

Settings read: JIAZHENG_FOLLOW_DEPTH, JIAZHENG_MAX_PAGES_PER_HOST, JIAZHENG_MAX_FOLLOWS_PER_PAGE,
JIAZHENG_BROWSER, JIAZHENG_RENDER_MIN_TEXT (and, through crawler.browser, JIAZHENG_CHROMIUM /
JIAZHENG_PROXY).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.browser import browser_meta, configure_browser
from crawler.errors import classify_failure
from crawler.follow import contact_links, needs_browser, verification_links, written_domains
from crawler.middlewares import ENCODING_META, TLS_META, UNCHANGED_META
from crawler.serp import Engine
from leads.domains import host_parts
from leads.observations import LinkResolved, PageObservation, QueryOutcome, Sighting
from leads.page_text import page_text

Output = QueryOutcome | Sighting | LinkResolved | PageObservation | scrapy.Request
# Error statuses reach the callbacks (a 404 or a 503 is an observation); redirects are still
# followed, which "handle_httpstatus_all" would stop.
ERROR_STATUSES = list(range(400, 600))


class PageSpider(scrapy.Spider):
    """Fetch pages and what they point to; subclasses provide ``start()``."""

    # Search engines, whose hosts a page's links are never followed to.
    engines: tuple[Engine, ...] = ()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        configure_browser(settings)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages_per_host: Counter[str] = Counter()
        self.requested_pages: set[str] = set()

    # --- pages ------------------------------------------------------------------------------
    def page_request(
        self, url: str, role: str, *, serp_text: str = "", via_link: str = "",
        parent_url: str = "", depth: int = 0, count_host: bool = True,
    ) -> Iterator[scrapy.Request]:
        # A cheap local check before the (possibly shared) dupefilter, so that a page seen again
        # does not use up its host's quota.
        key = canonicalize_url(url)
        if key in self.requested_pages:
            return
        self.requested_pages.add(key)
        host = host_parts(url).host
        if count_host:
            if self.pages_per_host[host] >= self.settings.getint("JIAZHENG_MAX_PAGES_PER_HOST"):
                return
            self.pages_per_host[host] += 1
        yield scrapy.Request(
            url, callback=self.parse_page, errback=self.page_failed,
            meta={"jz_role": role, "jz_serp_text": serp_text, "jz_via_link": via_link,
                  "jz_parent": parent_url, "jz_depth": depth,
                  "handle_httpstatus_list": ERROR_STATUSES},
        )

    def parse_page(self, response: Response) -> Iterator[Output]:
        meta = response.meta
        html = response.text if isinstance(response, TextResponse) else ""
        title, text = page_text(html)
        plain: PageObservation | None = meta.get("jz_plain")
        if plain is not None:
            page = self.rendered(plain, response.url, title, text, html)
        else:
            page = self.observe(response, title, text, html)
            # Rendered even when unchanged: the links it shows exist only in the browser.
            if (self.settings.getbool("JIAZHENG_BROWSER") and needs_browser(
                    text, html, self.settings.getint("JIAZHENG_RENDER_MIN_TEXT"))):
                yield self.render_request(page)
                return
        yield page
        if page.status < 400:
            yield from self.follow(page)

    def observe(self, response: Response, title: str, text: str, html: str) -> PageObservation:
        """The plain fetch as an observation: raw bytes and headers are the evidence."""
        meta = response.meta
        chain = [*meta.get("redirect_urls", []), response.url]
        return PageObservation(
            url=chain[0], final_url=response.url, role=meta["jz_role"], status=response.status,
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1")
                     for k, v in response.headers.items()},
            body=response.body, encoding=getattr(response, "encoding", "") or "",
            title=title, text=text, html=html, redirect_chain=chain,
            tls_problems=tuple(meta.get(TLS_META, ())),
            fetch_signals=[s for s in (meta.get(ENCODING_META),) if s],
            parent_url=meta["jz_parent"], via_link=meta["jz_via_link"],
            serp_text=meta["jz_serp_text"], depth=meta["jz_depth"],
            unchanged=bool(meta.get(UNCHANGED_META)),
        )

    def render_request(self, plain: PageObservation) -> scrapy.Request:
        """Fetch the page again in Chromium; the plain observation travels along (it is kept
        as evidence, and judged alone if the browser fails)."""
        self.crawler.stats.inc_value("jiazheng/pages/browser")
        return scrapy.Request(
            plain.final_url, callback=self.parse_page, errback=self.render_failed,
            dont_filter=True,
            meta={"jz_role": plain.role, "jz_serp_text": plain.serp_text,
                  "jz_via_link": plain.via_link, "jz_parent": plain.parent_url,
                  "jz_depth": plain.depth, "jz_plain": plain, **browser_meta(self.settings)},
        )

    @staticmethod
    def rendered(
        plain: PageObservation, url: str, title: str, text: str, html: str
    ) -> PageObservation:
        """What the browser showed, with the plain fetch's bytes, headers and signals."""
        chain = plain.redirect_chain if url == plain.final_url else [*plain.redirect_chain, url]
        return replace(plain, final_url=url, title=title, text=text, html=html, rendered=True,
                       redirect_chain=chain,
                       fetch_signals=[*plain.fetch_signals, "rendered_by_browser"])

    def follow(self, page: PageObservation) -> Iterator[scrapy.Request]:
        """Contact/about pages of the same site, then the verification sites it points to."""
        depth = page.depth + 1
        if depth > self.settings.getint("JIAZHENG_FOLLOW_DEPTH"):
            return
        base = page.final_url
        selector = Selector(text=page.html) if page.html else Selector(text="<html/>")
        for url in contact_links(selector, base)[:3]:
            yield from self.page_request(url, "contact", parent_url=base, depth=depth)
        own_site = host_parts(base).registered_domain
        targets = [
            url for url in [*verification_links(selector, base), *written_domains(page.text)]
            if host_parts(url).registered_domain != own_site and not self.is_engine_host(url)
        ]
        for url in list(dict.fromkeys(targets))[: self.settings.getint(
                "JIAZHENG_MAX_FOLLOWS_PER_PAGE")]:
            yield from self.page_request(url, "verification", parent_url=base, depth=depth)

    def page_failed(self, failure: Failure) -> Iterator[PageObservation]:
        request = failure.request
        kind, detail = classify_failure(failure)
        self.crawler.stats.inc_value(f"jiazheng/errors/{kind}")
        yield PageObservation(
            url=request.url, final_url=request.url, role=request.meta["jz_role"], error=kind,
            error_detail=detail, parent_url=request.meta["jz_parent"],
            via_link=request.meta["jz_via_link"], serp_text=request.meta["jz_serp_text"],
            depth=request.meta["jz_depth"],
        )

    def render_failed(self, failure: Failure) -> Iterator[Output]:
        """The browser failed: judge the plain fetch we already have, and say so."""
        plain: PageObservation = failure.request.meta["jz_plain"]
        kind, detail = classify_failure(failure)
        self.logger.warning("browser failed on %s: %s %s", plain.final_url, kind, detail)
        yield replace(plain, fetch_signals=[*plain.fetch_signals, f"browser_failed:{kind}"])

    def is_engine_host(self, url: str) -> bool:
        host = host_parts(url).host
        return any(host in engine.hosts for engine in self.engines)
