"""Evidence capture for leads: what the page showed, when, how, and hashes proving it since.

Each lead is opened in its own fresh browser context of the system Chromium (no downloads, no
permissions, popups closed, dialogs dismissed, scrolling and sizes capped, a deadline per lead)
and leaves one folder (``leads.evidence.folder``): a full-page screenshot with a caption band
(URL, Beijing time, lead id, SHA-256 of the raw response), a PDF print, a WARC file with the raw
response and the rendered DOM, the same WARC as WACZ, ``capture.json`` (headers, redirect chain,
connection address, TLS certificate, charsets, UTC and Beijing time, tool versions and settings,
steps), ``manifest.json`` with the SHA-256 of every file and, when a TSA is configured, an RFC 3161
timestamp of the manifest. A page whose charset label lies is rendered from its own bytes with the
charset the crawl found (``leads.evidence.rerender``). The screenshot's QR codes — drawn by canvas,
CSS or SVG, which the crawl's image chain never sees — become the lead's WeChat contacts and pages
for the next crawl (``leads.evidence.screenshot_codes``), and capture.json says which.
A site that is down still gets a folder that says so.

Nothing the egress policy refuses (``leads.egress.policy``: internal addresses, non-web schemes) is
asked for: a refused lead URL is not opened, and every request of the page — frames, images,
scripts' fetches and WebSockets, a navigation after load, and each redirect hop
(``leads.egress.browser``, at the browser level) — is aborted and noted in the record.

This module is the orchestration: one browser for all leads (started again after a lead that hung
it), one deadline per lead, each capture stored as soon as it is done. The page itself is
``leads.evidence.page`` and ``leads.evidence.snapshot``; the record, manifest and timestamp are
``leads.evidence.record``; the settings are ``leads.evidence.settings``.

The caller passes the browser's launch arguments (``crawler.browser`` builds them, with the proxy
script), so this library has no Scrapy import. Runs its own asyncio loop: call it outside one.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserType, async_playwright
from playwright.async_api import Error as PlaywrightError

from leads.egress.browser import BrowserEgressGuard
from leads.egress.chromium import BrowserSetupError, StepTimeout, close_browser, launch_options
from leads.egress.policy import EgressPolicy
from leads.evidence import folder as files
from leads.evidence.page import open_and_save
from leads.evidence.record import OUTCOMES, CaptureResult, Observed, finish, outcome, when_and_how
from leads.evidence.screenshot_codes import screenshot_findings
from leads.evidence.settings import CaptureSettings, EvidenceError
from leads.hosting.evidence import host_evidence
from leads.hosting.host_facts import refresh_host_facts
from leads.judge.verdict import LEAD_THRESHOLD
from leads.store import Store


def capture_pending(store: Store, out_dir: Path, settings: CaptureSettings,
                    min_score: int = LEAD_THRESHOLD) -> list[CaptureResult]:
    """Capture every lead scoring at least ``min_score`` that has no evidence yet."""
    return capture_leads(store, store.leads_without_capture(min_score), out_dir, settings)


def capture_leads(store: Store, leads: list[dict[str, Any]], out_dir: Path,
                  settings: CaptureSettings) -> list[CaptureResult]:
    """Capture ``leads`` (rows with ``id`` and ``url``), one browser for all, one context each;
    each capture is stored as soon as it is done."""
    if not leads:
        return []
    # Who is behind each host, as of now (or within the lookup TTL), before the pages are opened.
    refresh_host_facts(store, [lead["url"] for lead in leads],
                       replace(settings.hosting, proxy=settings.proxy))
    return asyncio.run(_capture_all(store, leads, out_dir, settings))


async def _capture_all(store: Store, leads: list[dict[str, Any]], out_dir: Path,
                       settings: CaptureSettings) -> list[CaptureResult]:
    try:
        options = launch_options(settings.chromium, settings.browser_args,
                                 no_sandbox=settings.no_sandbox, user=settings.browser_user)
    except BrowserSetupError as exc:
        raise EvidenceError(str(exc)) from exc
    async with async_playwright() as playwright:
        guard = BrowserEgressGuard(EgressPolicy.allowing(settings.egress_allow),
                                   direct=not settings.proxy)
        browser: Browser | None = None
        results = []
        try:
            for lead in leads:
                if browser is None:  # the first lead, or the last one hung the browser
                    browser = await _launch(playwright.chromium, options, settings)
                    await guard.attach(browser)
                observed = Observed()
                results.append(await _capture_and_store(store, browser, guard, lead, out_dir,
                                                        settings, observed))
                if observed.hung:
                    await close_browser(browser)
                    browser = None
        finally:
            if browser is not None:
                await close_browser(browser)
        return results


async def _launch(chromium: BrowserType, options: dict[str, Any],
                  settings: CaptureSettings) -> Browser:
    try:
        return await chromium.launch(**options, timeout=settings.step_timeout * 1000)
    except PlaywrightError as exc:
        raise EvidenceError(f"无法启动浏览器 {settings.chromium}：{exc.message}") from exc


async def _capture_and_store(store: Store, browser: Browser, guard: BrowserEgressGuard,
                             lead: dict[str, Any], out_dir: Path, settings: CaptureSettings,
                             observed: Observed) -> CaptureResult:
    started = datetime.now(UTC)
    folder = files.new_folder(out_dir, lead["id"], started)
    record = {"lead_id": lead["id"], "url": lead["url"], "final_url": "", "status": 0,
              "status_text": "", "error": "", "redirect_chain": [], "connection": None,
              "tls": None, "charset": None, "caption": "", "events": []}
    record |= when_and_how(started, browser.version, settings)  # the caption shows the time
    guard.on_refused = observed.note  # leads are captured one at a time
    try:
        await asyncio.wait_for(open_and_save(browser, lead["url"], folder, record, observed,
                                             settings), settings.capture_timeout)
    except TimeoutError:
        record["error"] = f"超过单条线索的提取时限 {settings.capture_timeout:g} 秒，已中止"
        observed.hung = True
    except StepTimeout as exc:
        record["error"] = record["error"] or str(exc)
        observed.hung = True
    record["events"] = observed.events
    record["host_facts"] = host_evidence(store, folder, lead["url"])
    record["outcome"] = outcome(record, folder)
    record["outcome_zh"] = OUTCOMES[record["outcome"]]
    if record["outcome"] == "captured" and (found := screenshot_findings(
            store, lead, folder / files.SCREENSHOT, settings)) is not None:
        record["screenshot_codes"] = found
    return finish(store, folder, record, settings)
