"""One lead's page in Chromium: a fresh, guarded browser context, the navigation, what the answer
said (status, redirect chain, connection address, TLS certificate), the charset check
(``leads.evidence.rerender``), scrolling for lazy content.

Apart from the capture loop (``leads.evidence.capture``) because this is where the page is
untrusted and the browser can hang: no downloads, no permissions, popups closed, dialogs
dismissed, every step bounded in time, and every request the egress policy refuses — frames,
images, fetches, WebSockets, redirect hops (``leads.egress.browser``) — aborted and noted. What is
kept of the page is ``leads.evidence.snapshot``'s.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import (
    Browser,
    BrowserContext,
    Dialog,
    Download,
    Page,
    Request,
    Route,
    WebSocketRoute,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response as BrowserResponse

from leads.egress.browser import browser_refusal
from leads.egress.chromium import (
    SCRIPT_PROBE_SECONDS,
    StepTimeout,
    bounded,
    context_proxy,
    script_answers,
)
from leads.egress.policy import EgressPolicy
from leads.egress.redact import redact_url
from leads.evidence.record import Observed, first_line
from leads.evidence.rerender import render_as_judged
from leads.evidence.settings import CaptureSettings
from leads.evidence.snapshot import redirect_hops, save_page


async def open_and_save(browser: Browser, url: str, folder: Path, record: dict[str, Any],
                        observed: Observed, settings: CaptureSettings) -> None:
    context = await bounded(browser.new_context(
        ignore_https_errors=True, accept_downloads=False, permissions=[],
        service_workers="block", locale="zh-CN", timezone_id="Asia/Shanghai",
        user_agent=settings.user_agent or None, proxy=context_proxy(settings.proxy),
        viewport={"width": settings.viewport_width, "height": settings.viewport_height}),
        settings.step_timeout, "新建浏览器上下文")
    context.set_default_timeout(settings.navigation_timeout * 1000)
    try:
        policy = EgressPolicy.allowing(settings.egress_allow)
        await _route_egress(context, policy, observed)
        page = await bounded(context.new_page(), settings.step_timeout, "打开页面")
        _guard(context, page, observed)
        response = await _navigate(page, url, record, settings, policy)
        raw_body: bytes | None = None  # read once, when the charset is checked
        if response is not None:
            await bounded(_describe(response, record, settings), settings.step_timeout,
                          "记录响应")
            if await _loaded(page, observed, settings):
                try:
                    raw_body = await _render_as_judged(page, response, record, observed,
                                                       settings)
                    await bounded(_settle(page, observed, settings), settings.step_timeout,
                                  "滚动页面")
                except StepTimeout as exc:
                    observed.stopped_answering(str(exc))
        await save_page(page, response, folder, record, observed, settings, raw_body)
    finally:
        try:
            await bounded(context.close(), settings.step_timeout, "关闭浏览器上下文")
        except (PlaywrightError, StepTimeout):
            observed.hung = True


async def _render_as_judged(page: Page, response: BrowserResponse, record: dict[str, Any],
                            observed: Observed, settings: CaptureSettings) -> bytes | None:
    """The page again from its own bytes when Chromium decoded them otherwise than the crawl
    (``leads.evidence.rerender``); a failure leaves the first rendering, noted."""
    try:
        return await bounded(render_as_judged(page, response, record, observed, settings),
                             settings.navigation_timeout + settings.load_timeout,
                             "按实际编码重新渲染")
    except PlaywrightError as exc:
        observed.note(f"无法核对页面编码：{first_line(exc)}")
        return None


async def _loaded(page: Page, observed: Observed, settings: CaptureSettings) -> bool:
    """Wait (bounded) for the load event; then ask the page a trivial question. A page whose
    script never yields does not answer: it is captured from its raw response only."""
    try:
        await page.wait_for_load_state("load", timeout=settings.load_timeout * 1000)
    except PlaywrightError:
        observed.note(f"页面 {settings.load_timeout:g} 秒内未加载完成")
    try:
        answers = await script_answers(page)
    except PlaywrightError:
        answers = False
    if not answers:
        observed.stopped_answering(f"页面脚本持续运行，{SCRIPT_PROBE_SECONDS:g} 秒内无响应")
    return answers


def _guard(context: BrowserContext, page: Page, observed: Observed) -> None:
    """Popups closed, dialogs dismissed, downloads refused — each noted in the record."""

    async def close_popup(popup: Page) -> None:
        if popup is not page:
            observed.note(f"关闭弹出窗口：{popup.url}")
            with contextlib.suppress(PlaywrightError):
                await popup.close()

    async def dismiss(dialog: Dialog) -> None:
        observed.note(f"关闭对话框（{dialog.type}）：{dialog.message}")
        with contextlib.suppress(PlaywrightError):
            await dialog.dismiss()

    def refuse(download: Download) -> None:
        observed.note(f"拦截下载：{download.url}（建议文件名 {download.suggested_filename!r}）")

    context.on("page", close_popup)
    page.on("dialog", dismiss)
    page.on("download", refuse)


async def _route_egress(context: BrowserContext, policy: EgressPolicy,
                        observed: Observed) -> None:
    """Abort every request and WebSocket of the context that the policy refuses."""

    async def route(route: Route, request: Request) -> None:
        reason = browser_refusal(policy, request.url)
        if reason is None:
            await route.fallback()
            return
        observed.note(reason)
        await route.abort("aborted")  # cancelled: a failed navigation would show an error page

    async def route_socket(socket: WebSocketRoute) -> None:
        reason = policy.refusal(socket.url.replace("ws", "http", 1))  # wss: → https:
        if reason is None:
            socket.connect_to_server()
            return
        observed.note(reason)
        await socket.close()

    await context.route("**/*", route)
    await context.route_web_socket("**/*", route_socket)


async def _navigate(page: Page, url: str, record: dict[str, Any],
                    settings: CaptureSettings, policy: EgressPolicy) -> BrowserResponse | None:
    refusal = policy.refusal(url)
    if refusal is not None:
        record["error"] = f"{refusal}，未打开"
        return None
    try:
        # "commit": the answer has arrived; the load event is waited for apart (``_loaded``), so a
        # page that never finishes loading still yields its raw response.
        response = await page.goto(url, wait_until="commit",
                                   timeout=settings.navigation_timeout * 1000)
    except PlaywrightError as exc:
        message = exc.message.splitlines()[0] if exc.message else str(exc)
        if "Download is starting" in message:
            record["error"] = "网址直接触发文件下载，已拦截，未保存下载内容"
        elif "ERR_BLOCKED_BY_CLIENT" in message:  # only the egress guard blocks (browser_egress)
            record["error"] = "网址跳转到出网策略拒绝的地址（见 events），未打开"
        else:
            record["error"] = message
        return None
    if response is None:
        record["error"] = "浏览器未返回响应"
    return response


async def _describe(response: BrowserResponse, record: dict[str, Any],
                    settings: CaptureSettings) -> None:
    """Status, redirect chain, connection address and TLS certificate of the main document."""
    record["final_url"] = response.url
    record["status"] = response.status
    record["status_text"] = response.status_text
    if response.status >= 400:
        record["error"] = f"HTTP {response.status} {response.status_text}".strip()
    chain: list[dict[str, Any]] = []
    for request in redirect_hops(response.request):
        hop = await request.response()
        chain.append({"url": request.url, "status": hop.status if hop else 0,
                      "location": (await hop.header_value("location") or "") if hop else ""})
    record["redirect_chain"] = chain
    address = await response.server_addr()
    record["connection"] = {
        **(address or {}),
        "note": (f"经代理 {redact_url(settings.proxy)} 访问：此为代理服务器地址，"
                 "不是网站服务器的真实 IP" if settings.proxy else "浏览器直接连接的网站服务器地址"),
    }
    details = await response.security_details()
    if details:
        record["tls"] = {**details, **{
            key + "_utc": datetime.fromtimestamp(details[key], UTC).isoformat()
            for key in ("validFrom", "validTo") if details.get(key)}}
    elif response.url.startswith("https:"):
        record["tls"] = {"note": "浏览器未提供证书信息"}


async def _settle(page: Page, observed: Observed, settings: CaptureSettings) -> None:
    """Scroll to the bottom so lazy content loads; endless pages stop at ``max_scrolls``."""
    height_js = "document.documentElement ? document.documentElement.scrollHeight : 0"
    with contextlib.suppress(PlaywrightError):
        for _ in range(settings.max_scrolls):
            height = await page.evaluate(height_js)
            await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            await page.wait_for_timeout(settings.scroll_pause * 1000)
            if await page.evaluate(height_js) == height:
                break
        else:
            observed.note(f"页面持续加载新内容（无限滚动），滚动 {settings.max_scrolls} 次后停止")
        await page.evaluate("window.scrollTo(0, 0)")
