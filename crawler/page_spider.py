"""Base spider for fetching pages: a page, its contact/about pages, and the "verification"
sites it points to; rendering with Chromium only the pages that need it; the logo images of pages
that resemble an official platform, and of the platforms' own pages (``official_requests``), so a
copied emblem can be recognised on any domain; the QR codes in the images of pages that may be
leads, on the same path (``crawler.qr_images``: a WeChat QR is a contact, a link a page to judge).

Nothing is requested that the egress policy refuses (``crawler.egress``): a refused link, written
domain, refresh target or logo is recorded on its page as a signal ("拒绝访问内网地址：…"), a
refused redirect hop is the page's error ``egress_refused``, and what the browser refused while
rendering joins the rendered page's signals.

The spider observes and never judges: it yields PageObservation items; the pipelines score
and store. Subclasses say where pages come from:
``SearchEngineSpider`` (search results) and ``spiders/check.py`` (URLs an analyst pastes).

Settings read: JIAZHENG_FOLLOW_DEPTH, JIAZHENG_MAX_PAGES_PER_HOST, JIAZHENG_MAX_FOLLOWS_PER_PAGE,
JIAZHENG_BROWSER, JIAZHENG_RENDER_MIN_TEXT, JIAZHENG_MAX_LOGOS_PER_PAGE, JIAZHENG_MAX_LOGO_BYTES,
JIAZHENG_MAX_QR_IMAGES, JIAZHENG_MAX_QR_IMAGE_BYTES, JIAZHENG_MAX_QR_PIXELS,
JIAZHENG_OFFICIAL_WAIT, JIAZHENG_EGRESS_ALLOW (and, through crawler.browser, JIAZHENG_CHROMIUM /
JIAZHENG_PROXY).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.browser import browser_meta, configure_browser, proxy_from
from crawler.egress import REFUSED_STAT, BrowserRequestFilter, egress_policy
from crawler.errors import EGRESS_REFUSED, classify_failure
from crawler.follow import (
    contact_links,
    logo_links,
    needs_browser,
    other_site_links,
    refresh_link,
    verification_links,
    written_domains,
)
from crawler.middlewares import ENCODING_META, TLS_META, UNCHANGED_META
from crawler.qr_images import QR_ORIGIN_META, QrImages
from crawler.serp import Engine
from keywords import load_library
from keywords.post_platforms import load_post_platforms
from leads.egress.policy import EgressPolicy
from leads.egress.proxy_errors import proxy_failure
from leads.judge.batch import judge_text
from leads.judge.domains import host_parts, is_government_host, is_official_host
from leads.judge.observations import LinkResolved, PageObservation, QueryOutcome, Sighting
from leads.judge.page_similarity import resembles_platform
from leads.judge.page_text import page_text
from leads.judge.qr_codes import QrReading

Output = QueryOutcome | Sighting | LinkResolved | PageObservation | scrapy.Request
# Error statuses reach the callbacks (a 404 or a 503 is an observation); redirects are still
# followed, which "handle_httpstatus_all" would stop.
ERROR_STATUSES = list(range(400, 600))
# Logo images and the official pages go first: a page waits for its logos before it is judged.
LOGO_PRIORITY = 10
MAX_REFUSED_SIGNALS = 20  # a page listing a thousand internal links records the first few
# Pages found by search, by a watched name or by a probe: the other sites such a seller's page
# links are fetched one hop (a contact page's or a linked site's links are not followed on).
ONE_HOP_ROLES = frozenset({"result", "candidate", "probe"})
POST_PLATFORMS = load_post_platforms()  # forums, Q&A, video, classified sites sellers post on


class PageSpider(QrImages, scrapy.Spider):
    """Fetch pages and what they point to; subclasses provide ``start()``."""

    # Search engines, whose hosts a page's links are never followed to.
    engines: tuple[Engine, ...] = ()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        configure_browser(settings)
        browser_filter = BrowserRequestFilter(egress_policy(settings),
                                              direct=not proxy_from(settings))
        settings.set("PLAYWRIGHT_ABORT_REQUEST", browser_filter, priority="spider")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages_per_host: Counter[str] = Counter()
        self.requested_pages: set[str] = set()
        self.logo_hashes: dict[str, str] = {}  # image URL → hash ("" when not an image)
        self.qr_readings: dict[str, QrReading] = {}  # image URL → what its QR codes say
        self.officials_waiting: set[str] = set()
        self.officials_done = asyncio.Event()

    @cached_property
    def egress(self) -> EgressPolicy:
        return egress_policy(self.settings)

    def permitted(self, page: PageObservation, urls: Iterable[str]) -> list[str]:
        """The URLs the egress policy allows; each refused one becomes a signal on ``page``
        (the page that points to it) and is never requested."""
        allowed: list[str] = []
        for url in urls:
            reason = self.egress.refusal(url)
            if reason is None:
                allowed.append(url)
            else:
                self.record_refusal(page, reason)
        return allowed

    def record_refusal(self, page: PageObservation, reason: str) -> None:
        self.crawler.stats.inc_value(REFUSED_STAT)
        if reason not in page.fetch_signals and len(page.fetch_signals) < MAX_REFUSED_SIGNALS:
            page.fetch_signals.append(reason)

    # --- pages ------------------------------------------------------------------------------
    def page_request(
        self, url: str, role: str, *, serp_text: str = "", via_link: str = "",
        parent_url: str = "", depth: int = 0, count_host: bool = True, retry: bool = True,
        **options: Any,
    ) -> Iterator[scrapy.Request]:
        # A cheap local check before the (possibly shared) dupefilter, so that a page seen again
        # does not use up its host's quota.
        key = canonicalize_url(url)
        if key in self.requested_pages:
            return
        self.requested_pages.add(key)
        reason = self.egress.refusal(url)
        if reason is not None:  # a start URL, search result or stored lead: nothing to record on
            self.crawler.stats.inc_value(REFUSED_STAT)
            self.logger.warning("%s", reason)
            return
        host = host_parts(url).host
        # Each post on a platform is its own seller's page: the platform host is not one site.
        if count_host and POST_PLATFORMS.post_of(url) is None:
            if self.pages_per_host[host] >= self.settings.getint("JIAZHENG_MAX_PAGES_PER_HOST"):
                return
            self.pages_per_host[host] += 1
        yield scrapy.Request(
            url, callback=self.parse_page, errback=self.page_failed,
            meta={"jz_role": role, "jz_serp_text": serp_text, "jz_via_link": via_link,
                  "jz_parent": parent_url, "jz_depth": depth, "dont_retry": not retry,
                  "handle_httpstatus_list": ERROR_STATUSES},
            **options,
        )

    def parse_page(self, response: Response) -> Iterator[Output]:
        meta = response.meta
        html = response.text if isinstance(response, TextResponse) else ""
        title, text = page_text(html)
        plain: PageObservation | None = meta.get("jz_plain")
        if plain is not None and response.url.startswith("chrome-error:"):
            # Chromium's own error page (e.g. the browser's redirect was refused): not the page.
            yield from self.judged_plain(plain, "error_page", "", response.url)
            return
        if plain is not None:
            page = self.rendered(plain, response.url, title, text, html)
            for reason in self.browser_refusals(response.url):
                self.record_refusal(page, reason)
        else:
            page = self.observe(response, title, text, html)
            # A proxy's error page reports that the host never answered: not a page to judge.
            if failure := proxy_failure(page.status, page.headers, f"{title}\n{text}"):
                self.crawler.stats.inc_value(f"jiazheng/errors/{failure.kind}")
                yield from self.page_done(
                    replace(page, error=failure.kind, error_detail=failure.reason))
                return
            # Rendered even when unchanged: the links it shows exist only in the browser.
            if (self.settings.getbool("JIAZHENG_BROWSER") and needs_browser(
                    text, html, self.settings.getint("JIAZHENG_RENDER_MIN_TEXT"))):
                yield self.render_request(page)
                return
        if page.status < 400:
            yield from self.follow(page)
        yield from self.with_logos(page)

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
            fetch_signals=[s for s in (meta.get(ENCODING_META), meta.get(QR_ORIGIN_META)) if s],
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
                  "jz_depth": plain.depth, "jz_plain": plain, **browser_meta(self.settings),
                  "playwright_page_init_callback": "crawler.egress.refuse_websockets"},
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

    def browser_refusals(self, url: str) -> list[str]:
        """What the browser refused to fetch for the page now at ``url``."""
        guard = self.settings.get("PLAYWRIGHT_ABORT_REQUEST")
        return guard.take(url) if isinstance(guard, BrowserRequestFilter) else []

    def follow(self, page: PageObservation) -> Iterator[scrapy.Request]:
        """Contact/about pages of the same site, then the verification sites it points to."""
        depth = page.depth + 1
        if depth > self.settings.getint("JIAZHENG_FOLLOW_DEPTH") or page.role == "official":
            return
        base = page.final_url
        selector = Selector(text=page.html) if page.html else Selector(text="<html/>")
        # A platform's 联系我们 is the platform's, not the poster's: never a seller's contacts.
        contacts = [] if POST_PLATFORMS.platform_of(base) else contact_links(selector, base)
        for url in self.permitted(page, contacts)[:3]:
            yield from self.page_request(url, "contact", parent_url=base, depth=depth)
        own_site = host_parts(base).registered_domain
        refresh = refresh_link(page.html, base)
        targets = [
            url for url in [*verification_links(selector, base), *written_domains(page.text)]
            if host_parts(url).registered_domain != own_site and not self.is_engine_host(url)
        ]
        # A delayed refresh's target is followed wherever it is, as the reader would be sent.
        targets = self.permitted(page, [*([refresh] if refresh else []), *targets])
        targets = list(dict.fromkeys(targets))[: self.settings.getint(
            "JIAZHENG_MAX_FOLLOWS_PER_PAGE")]
        for url in targets:
            yield from self.page_request(url, "verification", parent_url=base, depth=depth)
        yield from self.one_hop(page, selector, depth, set(targets))

    def one_hop(self, page: PageObservation, selector: Selector, depth: int,
                followed: set[str]) -> Iterator[scrapy.Request]:
        """One hop from a seller's page to the other sites it links, whatever the link says:
        its other shops, partners and the sites its cards "verify" on, which no engine may index.
        Only from a page found by search or by its name (ONE_HOP_ROLES) whose text alone is an
        ad (the rule ``score-text`` applies), only the first JIAZHENG_MAX_OTHER_SITES_PER_PAGE
        sites, never engines or official hosts."""
        limit = self.settings.getint("JIAZHENG_MAX_OTHER_SITES_PER_PAGE")
        if limit <= 0 or page.role not in ONE_HOP_ROLES or not judge_text(page.text).is_lead:
            return
        others = [
            url for url in other_site_links(selector, page.final_url)
            if url not in followed and not self.is_engine_host(url)
            and not is_government_host(host_parts(url).host)
        ]
        for url in self.permitted(page, others)[:limit]:
            yield from self.page_request(url, "linked", parent_url=page.final_url, depth=depth)

    def page_failed(self, failure: Failure) -> Iterator[PageObservation]:
        request = failure.request
        kind, detail = classify_failure(failure)
        self.crawler.stats.inc_value(f"jiazheng/errors/{kind}")
        yield from self.page_done(PageObservation(
            url=request.meta.get("redirect_urls", [request.url])[0], final_url=request.url,
            role=request.meta["jz_role"], error=kind, error_detail=detail,
            redirect_chain=[*request.meta.get("redirect_urls", []), request.url],
            fetch_signals=[detail] if kind == EGRESS_REFUSED else [],
            parent_url=request.meta["jz_parent"], via_link=request.meta["jz_via_link"],
            serp_text=request.meta["jz_serp_text"], depth=request.meta["jz_depth"],
        ))

    def render_failed(self, failure: Failure) -> Iterator[Output]:
        """The browser failed: judge the plain fetch we already have, and say so."""
        kind, detail = classify_failure(failure)
        yield from self.judged_plain(failure.request.meta["jz_plain"], kind, detail)

    def judged_plain(self, plain: PageObservation, kind: str, detail: str,
                     url: str = "") -> Iterator[Output]:
        """The plain fetch judged alone, saying why the browser's page is not used; what the
        browser refused meanwhile is kept on it."""
        self.logger.warning("browser failed on %s: %s %s", plain.final_url, kind, detail or url)
        page = replace(plain, fetch_signals=[*plain.fetch_signals, f"browser_failed:{kind}"])
        for reason in self.browser_refusals(url or plain.final_url):
            self.record_refusal(page, reason)
        yield from self.with_logos(page)

    def page_done(self, page: PageObservation) -> Iterator[PageObservation]:
        if page.role == "official":
            self.officials_waiting.discard(page.url)
            if not self.officials_waiting:
                self.officials_done.set()
        yield page

    # --- logos and QR codes ------------------------------------------------------------------
    def with_logos(self, page: PageObservation) -> Iterator[Output]:
        """The page, once the images it shows are read, each fetched once per crawl, one after
        another: its logos hashed (only for pages that resemble a platform, or are one) and the
        QR codes of the images ``qr_image_urls`` picks decoded."""
        yield from self.next_logo(page, self.logo_urls(page), self.qr_image_urls(page))

    def logo_urls(self, page: PageObservation) -> list[str]:
        if page.status >= 400 or not page.html:
            return []
        genuine = page.role == "official" or is_official_host(page.final_url)
        if not genuine and (is_government_host(page.final_url)
                            or not resembles_platform(page.title, page.text, page.html)):
            return []
        return self.allowed_images(page, logo_links(Selector(text=page.html), page.final_url),
                                   self.settings.getint("JIAZHENG_MAX_LOGOS_PER_PAGE"))

    def next_logo(self, page: PageObservation, logos: list[str],
                  qr_images: list[str]) -> Iterator[Output]:
        urls = list(dict.fromkeys([*logos, *qr_images]))
        for url in urls:
            if url.startswith("data:") and url not in self.logo_hashes:
                self.read_image(url, self.inline_image(url, logos))
            if url not in self.logo_hashes:
                yield scrapy.Request(
                    url, callback=self.parse_logo, errback=self.logo_failed, dont_filter=True,
                    priority=LOGO_PRIORITY,
                    meta={"jz_logo_page": page, "jz_image": url, "jz_logo_urls": logos,
                          "jz_qr_images": qr_images, "jz_images_read": self.images_read(urls),
                          "download_maxsize": self.image_byte_limit(url, logos)},
                )
                return
        hashes = tuple(dict.fromkeys(self.logo_hashes[url] for url in logos))
        page = replace(page, logo_hashes=tuple(h for h in hashes if h))
        yield from self.qr_findings(page, qr_images)
        yield from self.page_done(page)

    def parse_logo(self, response: Response) -> Iterator[Output]:
        self.read_image(response.meta["jz_image"], response.body)
        self.crawler.stats.inc_value("jiazheng/logos/fetched")
        yield from self.next_image(response.meta)

    def logo_failed(self, failure: Failure) -> Iterator[Output]:
        """A missing or oversized image: the page goes on without it."""
        self.read_image(failure.request.meta["jz_image"], None)
        self.crawler.stats.inc_value("jiazheng/logos/failed")
        yield from self.next_image(failure.request.meta)

    def images_read(self, urls: list[str]) -> dict[str, tuple[str, QrReading | None]]:
        """What this process has read of a page's images. It travels with the page's next image
        request, which another process of a scaled-out crawl may answer: that one reads none
        of them again."""
        return {url: (self.logo_hashes[url], self.qr_readings.get(url))
                for url in urls if url in self.logo_hashes}

    def next_image(self, meta: dict[str, Any]) -> Iterator[Output]:
        for url, (digest, reading) in meta.get("jz_images_read", {}).items():
            self.logo_hashes.setdefault(url, digest)
            if reading is not None:
                self.qr_readings.setdefault(url, reading)
        yield from self.next_logo(meta["jz_logo_page"], meta["jz_logo_urls"],
                                  meta["jz_qr_images"])

    # --- the official platforms' own pages --------------------------------------------------
    def official_requests(self) -> Iterator[scrapy.Request]:
        """Each protected platform's own front page, whose logos are the genuine ones a copy is
        compared with (every run: a platform may change its emblem). Never filtered as a
        duplicate, so that every process of a scaled-out crawl gets its answer."""
        for platform in load_library().platforms:
            url = f"https://{platform.main_host}/"
            for request in self.page_request(url, "official", count_host=False,
                                             dont_filter=True, priority=LOGO_PRIORITY):
                self.officials_waiting.add(url)
                yield request

    async def officials_fetched(self) -> None:
        """Wait (bounded) until every official page is in, so the pages judged after it are
        compared with the logos it showed."""
        wait = self.settings.getfloat("JIAZHENG_OFFICIAL_WAIT")
        if not self.officials_waiting or wait <= 0:
            return
        try:
            await asyncio.wait_for(self.officials_done.wait(), wait)
        except TimeoutError:
            self.logger.warning("official pages still missing: %s", sorted(self.officials_waiting))

    def is_engine_host(self, url: str) -> bool:
        host = host_parts(url).host
        return any(host in engine.hosts for engine in self.engines)
