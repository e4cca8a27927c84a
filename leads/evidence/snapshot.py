"""What is kept of an opened page: the screenshot with its caption band, the PDF print, and the
WARC file with the raw response of each redirect hop and the rendered DOM.

Apart from opening the page (``leads.evidence.page``) because keeping it has its own fallbacks: a
page too heavy to lay out gets a screenshot of the visible part, and a page whose renderer stopped
answering keeps the raw response only — fetched once more outside the browser
(``leads.egress.raw_fetch``) when the browser cannot hand it over.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request
from playwright.async_api import Response as BrowserResponse

from leads.egress.chromium import StepTimeout, bounded
from leads.egress.policy import EgressPolicy
from leads.egress.raw_fetch import fetch_raw
from leads.egress.redact import redact_text
from leads.evidence import folder as files
from leads.evidence.caption import caption_text, with_caption
from leads.evidence.folder import HttpExchange
from leads.evidence.printing import print_pdf
from leads.evidence.record import Observed
from leads.evidence.settings import CaptureSettings, EvidenceError, tool_versions


async def save_page(page: Page, response: BrowserResponse | None, folder: Path,
                    record: dict[str, Any], observed: Observed, settings: CaptureSettings,
                    raw_body: bytes | None = None) -> None:
    """Screenshot, then the WARC (raw response of each hop, rendered DOM), the captioned
    screenshot and the PDF print; a page that stopped answering gets the raw response only.
    ``raw_body``: the final response's body when already read (``leads.evidence.rerender``)."""
    image = None
    if not observed.hung:
        image = await bounded(_screenshot(page, record, observed, settings),
                              settings.step_timeout, "截图")
    if response is None:
        _keep_screenshot(folder, image, record, observed, b"")
        return
    try:
        if observed.hung:  # its renderer would not hand the body over either
            raise StepTimeout("读取原始响应", 0)
        exchanges = await bounded(_exchanges(response, settings, raw_body),
                                  settings.step_timeout, "读取原始响应")
    except (StepTimeout, PlaywrightError) as exc:
        if not observed.hung:
            observed.stopped_answering(str(exc))
        observed.note("原始响应由 jiazheng 在浏览器之外重新请求同一网址取得")
        try:
            exchanges = [await bounded(_refetch(response, settings), settings.step_timeout * 2,
                                       "重新请求原始响应")]
        except (OSError, EvidenceError) as error:
            record["error"] = record["error"] or f"无法取得原始响应：{redact_text(str(error))}"
            _keep_screenshot(folder, image, record, observed, b"")
            return
    dom = b"" if observed.hung else await bounded(
        _dom(page, settings.max_dom_bytes, record, observed), settings.step_timeout,
        "读取渲染后页面")
    _keep_screenshot(folder, image, record, observed, exchanges[-1].body if exchanges else b"")
    if not observed.hung:
        await print_pdf(page, folder, record, observed, settings)
    info = {"software": f"jiazheng {tool_versions()['jiazheng']} (Playwright, Chromium)",
            "format": "WARC File Format 1.1",
            "description": "raw-response = 服务器原始响应（浏览器解码传输编码后）；"
                           "rendered-dom = 浏览器渲染后的页面源代码"}
    files.write_warc(folder, exchanges, dom, response.url, info)


def _keep_screenshot(folder: Path, image: bytes | None, record: dict[str, Any],
                     observed: Observed, raw_body: bytes) -> None:
    """The screenshot with its caption band (``leads.evidence.caption``); the caption text goes
    into the record. A band that cannot be drawn leaves the plain screenshot, noted."""
    record["caption"] = caption_text(record, hashlib.sha256(raw_body).hexdigest()
                                     if raw_body else "")
    if image is None:
        return
    try:
        captioned, band = with_caption(image, record["caption"])
    except (OSError, ValueError) as exc:
        observed.note(f"截图说明栏未能绘制（{exc}），保存无说明栏的截图")
        files.write_file(folder, files.SCREENSHOT, image)
        return
    record["screenshot"] = {"caption_band_height": band}
    files.write_file(folder, files.SCREENSHOT, captioned)


def redirect_hops(request: Request) -> list[Request]:
    """The requests of a redirect chain, first hop first, ending with ``request``."""
    hops = []
    current: Request | None = request
    while current is not None:
        hops.append(current)
        current = current.redirected_from
    return hops[::-1]


async def _exchanges(response: BrowserResponse, settings: CaptureSettings,
                     raw_body: bytes | None) -> list[HttpExchange]:
    """Each hop's request and response headers; the body of the last one."""
    exchanges = []
    for hop_request in redirect_hops(response.request):
        hop = await hop_request.response()
        if hop is None:
            continue
        body, truncated = b"", False
        if hop is response and raw_body is not None:
            body, truncated = raw_body[:settings.max_body_bytes], len(
                raw_body) > settings.max_body_bytes
        elif hop is response:
            body, truncated = await _body(response, settings.max_body_bytes)
        exchanges.append(HttpExchange(
            hop_request.url, hop.status, hop.status_text,
            [(h["name"], h["value"]) for h in await hop_request.headers_array()],
            [(h["name"], h["value"]) for h in await hop.headers_array()], body, truncated))
    return exchanges


async def _refetch(response: BrowserResponse, settings: CaptureSettings) -> HttpExchange:
    """The final URL fetched once more outside the browser (``leads.egress.raw_fetch``), when the
    page's renderer is too busy to hand over its response."""
    refusal = EgressPolicy.allowing(settings.egress_allow).refusal(response.url)
    if refusal is not None:
        raise EvidenceError(refusal)
    return await asyncio.to_thread(
        fetch_raw, response.url, proxy=settings.proxy, user_agent=settings.user_agent,
        timeout=settings.step_timeout, max_bytes=settings.max_body_bytes)


async def _body(response: BrowserResponse, limit: int) -> tuple[bytes, bool]:
    try:
        body = await response.body()
    except PlaywrightError:
        return b"", False
    return body[:limit], len(body) > limit


async def _dom(page: Page, limit: int, record: dict[str, Any], observed: Observed) -> bytes:
    try:
        dom = (await page.content()).encode("utf-8")
    except PlaywrightError as exc:
        record["error"] = record["error"] or f"无法读取渲染后页面：{exc.message}"
        return b""
    if len(dom) > limit:
        observed.note(f"渲染后页面超过 {limit} 字节，已截断")
    return dom[:limit]


async def _screenshot(page: Page, record: dict[str, Any], observed: Observed,
                      settings: CaptureSettings) -> bytes | None:
    """The whole page up to ``max_screenshot_height``; a page too heavy to lay out in half the
    navigation time gets the visible part only, and the record says so."""
    timeout = settings.navigation_timeout * 500
    try:
        height = await page.evaluate(
            "Math.max(document.documentElement ? document.documentElement.scrollHeight : 0,"
            " window.innerHeight)")
        clip = {"x": 0, "y": 0, "width": settings.viewport_width,
                "height": min(int(height), settings.max_screenshot_height)}
        return await page.screenshot(full_page=True, clip=clip, animations="disabled",
                                     timeout=timeout)
    except PlaywrightError:
        observed.note("整页截图超时，改为截取可见区域")
        try:
            return await page.screenshot(animations="disabled", timeout=timeout)
        except PlaywrightError as exc:
            record["error"] = record["error"] or f"截图失败：{exc.message.splitlines()[0]}"
            return None
