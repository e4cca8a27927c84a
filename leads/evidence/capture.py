"""Evidence capture for leads: what the page showed, when, how, and hashes proving it since.

Each lead is opened in its own fresh browser context of the system Chromium (no downloads, no
permissions, popups closed, dialogs dismissed, scrolling and sizes capped, a deadline per lead)
and leaves one folder (``leads.evidence.folder``): a full-page screenshot, a WARC file with the
raw response and the rendered DOM, ``capture.json`` (headers, redirect chain, connection address,
TLS certificate, UTC and Beijing time, tool versions and settings, steps), ``manifest.json`` with
the SHA-256 of every file and, when a TSA is configured, an RFC 3161 timestamp of the manifest.
A site that is down still gets a folder that says so.

Nothing the egress policy refuses (``leads.egress.policy``: internal addresses, non-web schemes) is
asked for: a refused lead URL is not opened, and every request of the page — frames, images,
scripts' fetches and WebSockets, a navigation after load, and each redirect hop
(``leads.egress.browser``, at the browser level) — is aborted and noted in the record.

The caller passes the browser's launch arguments (``crawler.browser`` builds them, with the proxy
script), so this library has no Scrapy import. Runs its own asyncio loop: call it outside one.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from playwright.async_api import (
    Browser,
    BrowserContext,
    BrowserType,
    Dialog,
    Download,
    Page,
    Request,
    Route,
    WebSocketRoute,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response as BrowserResponse

from leads.egress.browser import BrowserEgressGuard, browser_refusal
from leads.egress.chromium import (
    BROWSER_USER,
    SCRIPT_PROBE_SECONDS,
    BrowserSetupError,
    StepTimeout,
    bounded,
    close_browser,
    context_proxy,
    launch_options,
    script_answers,
)
from leads.egress.policy import EgressPolicy
from leads.egress.raw_fetch import fetch_raw
from leads.egress.redact import redact_text, redact_url
from leads.evidence import folder as files
from leads.evidence.folder import HttpExchange
from leads.evidence.tsa import TimestampError, load_tsa_certificates, request_timestamp
from leads.judge.verdict import LEAD_THRESHOLD
from leads.store import Store

BEIJING = timezone(timedelta(hours=8), "北京时间")
OUTCOMES = {"captured": "已固定", "site_down": "网站已无法访问", "failed": "提取失败"}
MAX_EVENTS = 50  # a page firing alerts in a loop must not grow the record without end
MAX_EVENT_TEXT = 300
STEPS = (
    "新建独立的无痕浏览器上下文（不接受下载、不授予任何权限、忽略证书错误以便固定自签名网站）",
    "经与抓取相同的代理访问线索网址，记录跳转链、HTTP 头、连接地址和 TLS 证书",
    "关闭页面弹出的新窗口，关闭 alert/confirm/prompt 对话框，拦截下载",
    "滚动至页面底部以加载懒加载内容（滚动次数有上限），再回到顶部",
    "截取整页截图（高度有上限），保存渲染后的页面源代码",
    "将原始响应与渲染后页面写入 WARC 文件，计算每个文件的 SHA-256 写入 manifest.json",
    "（配置时）向可信时间戳服务申请 manifest.json 的 RFC 3161 时间戳",
)


class EvidenceError(RuntimeError):
    """Capture cannot run at all (e.g. the browser does not start); the message says why."""


@dataclass(frozen=True)
class CaptureSettings:
    """How captures run; every field is written into each capture.json."""

    chromium: str = "/usr/bin/chromium"
    browser_args: tuple[str, ...] = ()  # CHROMIUM_ARGS + --proxy-pac-url (crawler.browser)
    proxy: str = ""  # recorded only: the proxy script in browser_args does the routing
    user_agent: str = ""
    viewport_width: int = 1366
    viewport_height: int = 900
    navigation_timeout: float = 30.0  # seconds for the page to load
    capture_timeout: float = 90.0  # seconds for everything about one lead
    max_body_bytes: int = 10 * 1024 * 1024  # raw response kept in the WARC (the rest: truncated)
    max_dom_bytes: int = 10 * 1024 * 1024
    max_scrolls: int = 10  # endless-scrolling pages stop growing here
    scroll_pause: float = 0.3
    max_screenshot_height: int = 16000  # pixels
    load_timeout: float = 10.0  # seconds the load event is waited for (a busy page goes on without)
    step_timeout: float = 20.0  # seconds for any other browser step (context, scroll, DOM, body)
    no_sandbox: bool = False  # JIAZHENG_CHROMIUM_NO_SANDBOX (leads.egress.chromium: warned about)
    browser_user: str = BROWSER_USER  # who runs Chromium when we are root (leads.egress.chromium)
    tsa_url: str = ""  # RFC 3161 timestamp authority; empty: no timestamp
    # host:port or CIDR entries the egress policy lets through (JIAZHENG_EGRESS_ALLOW): only
    # for test and demo servers on 127.0.0.1
    egress_allow: tuple[str, ...] = ()
    tsa_cert: str = ""  # PEM: the TSA's certificate or its CA; answers are verified against it


@dataclass
class CaptureResult:
    lead_id: int
    url: str
    folder: Path
    outcome: str  # captured | site_down | failed
    capture_id: int = 0
    error: str = ""


@dataclass
class _Observed:
    """What happened while one page was open."""

    events: list[str] = field(default_factory=list)
    hung: bool = False  # the page or the browser stopped answering: recycle the browser

    def note(self, event: str) -> None:
        if len(self.events) < MAX_EVENTS:
            self.events.append(event[:MAX_EVENT_TEXT])


def tool_versions() -> dict[str, str]:
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "unknown"

    return {"jiazheng": installed("jiazheng"), "playwright": installed("playwright")}


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
                observed = _Observed()
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
                             observed: _Observed) -> CaptureResult:
    started = datetime.now(UTC)
    folder = files.new_folder(out_dir, lead["id"], started)
    record = {"lead_id": lead["id"], "url": lead["url"], "final_url": "", "status": 0,
              "status_text": "", "error": "", "redirect_chain": [], "connection": None,
              "tls": None, "events": []}
    guard.on_refused = observed.note  # leads are captured one at a time
    try:
        await asyncio.wait_for(_open_and_save(browser, lead["url"], folder, record, observed,
                                              settings), settings.capture_timeout)
    except TimeoutError:
        record["error"] = f"超过单条线索的提取时限 {settings.capture_timeout:g} 秒，已中止"
        observed.hung = True
    except StepTimeout as exc:
        record["error"] = record["error"] or str(exc)
        observed.hung = True
    record["events"] = observed.events
    record["outcome"] = _outcome(record, folder)
    record["outcome_zh"] = OUTCOMES[record["outcome"]]
    record |= _when_and_how(started, browser.version, settings)
    return _finish(store, folder, record, settings)


def _outcome(record: dict[str, Any], folder: Path) -> str:
    status = record["status"]
    if status and status < 400 and (folder / files.WARC).is_file():
        return "captured"
    if status >= 400 or "net::ERR_" in record["error"]:
        return "site_down"
    return "failed"


def _when_and_how(started: datetime, chromium: str, settings: CaptureSettings
                  ) -> dict[str, Any]:
    return {
        "captured_at_utc": started.isoformat(timespec="seconds"),
        "captured_at_beijing": started.astimezone(BEIJING).isoformat(timespec="seconds"),
        "tool": {**tool_versions(), "chromium": chromium},
        "settings": {**asdict(settings), "proxy": redact_url(settings.proxy)},
        "steps": list(STEPS),
    }


def _finish(store: Store, folder: Path, record: dict[str, Any],
            settings: CaptureSettings) -> CaptureResult:
    """capture.json, the manifest, the optional timestamp, then the store rows."""
    files.write_json(folder, files.CAPTURE_RECORD, record)
    manifest = {"lead_id": record["lead_id"], "url": record["url"],
                "captured_at_utc": record["captured_at_utc"], "algorithm": "SHA-256",
                "files": files.file_rows(folder)}
    manifest_path = files.write_json(folder, files.MANIFEST, manifest)
    timestamped = False
    if settings.tsa_url:
        try:
            reply, _granted = request_timestamp(manifest_path.read_bytes(), settings.tsa_url,
                                                load_tsa_certificates(settings.tsa_cert))
            files.write_file(folder, files.TIMESTAMP, reply)
            timestamped = True
        except TimestampError as exc:
            record["error"] = "；".join(x for x in (record["error"], str(exc)) if x)
    rows = files.file_rows(folder)
    manifest_sha256 = files.sha256_file(manifest_path)
    # Complete: the folder takes its real name only now, and only then is it in the store.
    folder = files.finish_folder(folder, record["lead_id"],
                                 datetime.fromisoformat(record["captured_at_utc"]))
    capture_id = store.save_capture({
        "lead_id": record["lead_id"], "url": record["url"], "final_url": record["final_url"],
        "folder": str(folder.resolve()), "outcome": record["outcome"],
        "status": record["status"], "error": record["error"],
        "captured_at": record["captured_at_utc"],
        "manifest_sha256": manifest_sha256, "timestamped": int(timestamped),
    }, rows)
    return CaptureResult(record["lead_id"], record["url"], folder, record["outcome"],
                         capture_id, record["error"])


async def _open_and_save(browser: Browser, url: str, folder: Path, record: dict[str, Any],
                         observed: _Observed, settings: CaptureSettings) -> None:
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
        if response is not None:
            await bounded(_describe(response, record, settings), settings.step_timeout,
                          "记录响应")
            if await _loaded(page, observed, settings):
                try:
                    await bounded(_settle(page, observed, settings), settings.step_timeout,
                                  "滚动页面")
                except StepTimeout as exc:
                    _hung(observed, str(exc))
        await _save_page(page, response, folder, record, observed, settings)
    finally:
        try:
            await bounded(context.close(), settings.step_timeout, "关闭浏览器上下文")
        except (PlaywrightError, StepTimeout):
            observed.hung = True


async def _loaded(page: Page, observed: _Observed, settings: CaptureSettings) -> bool:
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
        _hung(observed, f"页面脚本持续运行，{SCRIPT_PROBE_SECONDS:g} 秒内无响应")
    return answers


def _hung(observed: _Observed, why: str) -> None:
    observed.note(f"{why}：按服务器原始响应固定，未截图、未保存渲染后页面")
    observed.hung = True


def _guard(context: BrowserContext, page: Page, observed: _Observed) -> None:
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
                        observed: _Observed) -> None:
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
    request: Request | None = response.request
    while request is not None:
        hop = await request.response()
        chain.append({"url": request.url, "status": hop.status if hop else 0,
                      "location": (await hop.header_value("location") or "") if hop else ""})
        request = request.redirected_from
    record["redirect_chain"] = chain[::-1]
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


async def _settle(page: Page, observed: _Observed, settings: CaptureSettings) -> None:
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


async def _save_page(page: Page, response: BrowserResponse | None, folder: Path,
                     record: dict[str, Any], observed: _Observed,
                     settings: CaptureSettings) -> None:
    """Screenshot, then the WARC (raw response of each hop, rendered DOM); a page that stopped
    answering gets the raw response only."""
    if not observed.hung:
        await bounded(_screenshot(page, folder, record, observed, settings),
                      settings.step_timeout, "截图")
    if response is None:
        return
    try:
        if observed.hung:  # its renderer would not hand the body over either
            raise StepTimeout("读取原始响应", 0)
        exchanges = await bounded(_exchanges(response, settings), settings.step_timeout,
                                  "读取原始响应")
    except (StepTimeout, PlaywrightError) as exc:
        if not observed.hung:
            _hung(observed, str(exc))
        observed.note("原始响应由 jiazheng 在浏览器之外重新请求同一网址取得")
        try:
            exchanges = [await bounded(_refetch(response, settings), settings.step_timeout * 2,
                                       "重新请求原始响应")]
        except (OSError, EvidenceError) as error:
            record["error"] = record["error"] or f"无法取得原始响应：{redact_text(str(error))}"
            return
    dom = b"" if observed.hung else await bounded(
        _dom(page, settings.max_dom_bytes, record, observed), settings.step_timeout,
        "读取渲染后页面")
    info = {"software": f"jiazheng {tool_versions()['jiazheng']} (Playwright, Chromium)",
            "format": "WARC File Format 1.1",
            "description": "raw-response = 服务器原始响应（浏览器解码传输编码后）；"
                           "rendered-dom = 浏览器渲染后的页面源代码"}
    files.write_warc(folder, exchanges, dom, response.url, info)


async def _exchanges(response: BrowserResponse, settings: CaptureSettings
                     ) -> list[HttpExchange]:
    """Each hop's request and response headers; the body of the last one."""
    exchanges = []
    for hop_request in _chain(response.request):
        hop = await hop_request.response()
        if hop is None:
            continue
        body, truncated = b"", False
        if hop is response:
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


def _chain(request: Request) -> list[Request]:
    hops = []
    current: Request | None = request
    while current is not None:
        hops.append(current)
        current = current.redirected_from
    return hops[::-1]


async def _body(response: BrowserResponse, limit: int) -> tuple[bytes, bool]:
    try:
        body = await response.body()
    except PlaywrightError:
        return b"", False
    return body[:limit], len(body) > limit


async def _dom(page: Page, limit: int, record: dict[str, Any], observed: _Observed) -> bytes:
    try:
        dom = (await page.content()).encode("utf-8")
    except PlaywrightError as exc:
        record["error"] = record["error"] or f"无法读取渲染后页面：{exc.message}"
        return b""
    if len(dom) > limit:
        observed.note(f"渲染后页面超过 {limit} 字节，已截断")
    return dom[:limit]


async def _screenshot(page: Page, folder: Path, record: dict[str, Any], observed: _Observed,
                      settings: CaptureSettings) -> None:
    """The whole page up to ``max_screenshot_height``; a page too heavy to lay out in half the
    navigation time gets the visible part only, and the record says so."""
    timeout = settings.navigation_timeout * 500
    try:
        height = await page.evaluate(
            "Math.max(document.documentElement ? document.documentElement.scrollHeight : 0,"
            " window.innerHeight)")
        clip = {"x": 0, "y": 0, "width": settings.viewport_width,
                "height": min(int(height), settings.max_screenshot_height)}
        image = await page.screenshot(full_page=True, clip=clip, animations="disabled",
                                      timeout=timeout)
    except PlaywrightError:
        observed.note("整页截图超时，改为截取可见区域")
        try:
            image = await page.screenshot(animations="disabled", timeout=timeout)
        except PlaywrightError as exc:
            record["error"] = record["error"] or f"截图失败：{exc.message.splitlines()[0]}"
            return
    files.write_file(folder, files.SCREENSHOT, image)
