"""The crawl's renderer: scrapy-playwright's download handler with a deadline and one browser.

scrapy-playwright waits without limit on some steps (``page.content()``, closing a page whose
script never yields), and builds one handler — so one browser — per URL scheme. Here:

- one handler (one Playwright driver, one browser) serves both http and https;
- every rendering (navigation, waiting for load, reading the DOM, closing the page) runs under
  JIAZHENG_RENDER_TIMEOUT; a page that overruns is closed, and when even that does not finish,
  the browser is closed or killed and the next page starts a new one;
- while it renders, the page is asked a trivial question every JIAZHENG_RENDER_PROBE_INTERVAL
  seconds (the probe capture uses); a page whose script never yields does not answer within
  SCRIPT_PROBE_SECONDS and is given up at once, not after the whole deadline;
- every context gets the proxy with its password (Playwright's per-context ``proxy``; not in
  request meta, which a shared Redis queue would store);
- popups are closed as they open; downloads are refused by the context (``accept_downloads``),
  dialogs are dismissed by Playwright (no listener);
- the page's failure reaches ``PageSpider.render_failed``, which judges the plain fetch.

Plain (non-browser) requests go through Scrapy's HTTP handler as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from weakref import WeakKeyDictionary

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy_playwright.handler import BrowserContextWrapper, ScrapyPlaywrightDownloadHandler

from crawler.browser import proxy_from
from crawler.egress import BrowserRequestFilter
from leads.egress.chromium import (
    SCRIPT_PROBE_SECONDS,
    StepTimeout,
    close_browser,
    context_proxy,
    script_answers,
)

PAGE_CLOSE_SECONDS = 5.0  # a page that does not close in this time takes the browser with it
logger = logging.getLogger(__name__)
_HANDLERS: WeakKeyDictionary[Crawler, BoundedPlaywrightHandler] = WeakKeyDictionary()


class ScriptNeverYields(StepTimeout):
    """The page's script keeps its main thread busy: it will not render in any time."""


class BoundedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright with a deadline per page and one browser per crawl."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.deadline = crawler.settings.getfloat("JIAZHENG_RENDER_TIMEOUT")
        self.probe_interval = crawler.settings.getfloat("JIAZHENG_RENDER_PROBE_INTERVAL")
        self.proxy = context_proxy(proxy_from(crawler.settings))
        self.pages: dict[Request, Page] = {}
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedPlaywrightHandler:
        """The same handler for every scheme of one crawl: one browser, not one per scheme."""
        if crawler not in _HANDLERS:
            _HANDLERS[crawler] = cls(crawler)
        return _HANDLERS[crawler]

    async def close(self) -> None:
        """Called once per scheme; closes the shared browser once."""
        if not self.closed:
            self.closed = True
            await super().close()

    async def _download_request_with_retry(self, request: Request, spider: Spider) -> Response:
        download = asyncio.ensure_future(super()._download_request_with_retry(request, spider))
        try:
            return await asyncio.wait_for(self._while_answering(request, download),
                                          self.deadline)
        except TimeoutError as exc:
            self.stats.inc_value("jiazheng/browser/timeouts")
            logger.warning("渲染 %s 超过 %g 秒，页面已关闭", request.url, self.deadline)
            await self.discard(self.pages.get(request))
            raise StepTimeout("渲染页面", self.deadline) from exc
        except ScriptNeverYields:
            self.stats.inc_value("jiazheng/browser/scripts_hung")
            logger.warning("渲染 %s：页面脚本持续运行，%g 秒内无响应，页面已关闭", request.url,
                           SCRIPT_PROBE_SECONDS)
            await self.discard(self.pages.get(request))
            raise
        finally:
            download.cancel()
            self.pages.pop(request, None)

    async def _while_answering(self, request: Request, download: asyncio.Future) -> Response:
        """The download's result, probing the page between waits; ScriptNeverYields as soon as
        the page stops answering."""
        while True:
            done, _ = await asyncio.wait({download}, timeout=self.probe_interval)
            if done:
                return download.result()
            page = self.pages.get(request)
            if page is None or page.is_closed():
                continue
            try:
                answers = await script_answers(page)
            except PlaywrightError:
                answers = True  # between two documents: ask again at the next interval
            if not answers:
                raise ScriptNeverYields("页面脚本持续运行", SCRIPT_PROBE_SECONDS)

    async def _create_browser_context(self, name: str, context_kwargs: dict | None,
                                      spider: Spider | None = None) -> BrowserContextWrapper:
        if self.proxy:
            context_kwargs = {**(context_kwargs or {}), "proxy": self.proxy}
        return await super()._create_browser_context(name, context_kwargs, spider)

    async def _create_page(self, request: Request, spider: Spider) -> Page:
        page = await super()._create_page(request, spider)
        self.pages[request] = page
        if isinstance(self.abort_request, BrowserRequestFilter):  # before the first request,
            await self.abort_request.guard_browser(page.context.browser)  # redirects included
        page.on("popup", self.close_popup)
        return page

    async def close_popup(self, popup: Page) -> None:
        self.stats.inc_value("jiazheng/browser/popups_closed")
        with contextlib.suppress(PlaywrightError):
            await asyncio.wait_for(popup.close(), PAGE_CLOSE_SECONDS)

    async def discard(self, page: Page | None) -> None:
        """Close a hung page; if it will not close, recycle the browser (close or kill it; the
        next page launches a new one)."""
        if page is not None and not page.is_closed():
            try:
                await asyncio.wait_for(page.close(), PAGE_CLOSE_SECONDS)
                self.stats.inc_value("playwright/page_count/closed")
                return
            except (TimeoutError, PlaywrightError):
                pass
        browser: Any = getattr(self, "browser", None)
        if browser is not None:
            self.stats.inc_value("jiazheng/browser/recycled")
            logger.warning("浏览器无响应，关闭后重新启动")
            await close_browser(browser)
