"""The page rendered from the bytes the crawl judged, decoded with the charset the crawl found.

Chromium believes a charset header that lies: a GBK page sent as ``charset=utf-8`` — common among
certificate sellers — shows as mojibake, while the crawl (``leads.evidence.charset``, the same
function ``crawler.encoding`` uses) read it right. So once the page has loaded, its raw body is
checked the crawl's way; when the browser decoded it to another text, the same bytes are served
to Chromium once more (a one-shot route on that URL) with a Content-Type naming the detected
charset, and the screenshot, PDF and rendered DOM are taken from that rendering. The network facts
(status, redirects, address, TLS) and the WARC's raw response stay those of the real answer.
"""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route
from playwright.async_api import Response as BrowserResponse

from leads.evidence.charset import canonical, choose_encoding, declared_charset
from leads.evidence.record import Observed, first_line
from leads.evidence.settings import CaptureSettings

# Python's codec names where the WHATWG encoding labels Chromium knows differ.
WEB_LABELS = {"big5hkscs": "big5", "cp1252": "windows-1252", "euc_kr": "euc-kr",
              "utf-16": "utf-16le", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be"}
# Not replayed: the body handed over is already decoded and whole; the charset is replaced.
NOT_REPLAYED = frozenset({"content-type", "content-encoding", "content-length",
                          "transfer-encoding"})


def web_label(encoding: str) -> str:
    return WEB_LABELS.get(encoding, encoding.replace("_", "-"))


def same_text(body: bytes, browser_charset: str, encoding: str) -> bool:
    """Whether the browser's charset reads ``body`` as the same text as ``encoding`` does."""
    browser = canonical(browser_charset)
    if browser is None:
        return False
    if browser == encoding:
        return True
    read = [body.decode(name, errors="replace").lstrip("\ufeff") for name in (browser, encoding)]
    return read[0] == read[1]


async def render_as_judged(page: Page, response: BrowserResponse, record: dict[str, Any],
                           observed: Observed, settings: CaptureSettings) -> bytes:
    """Record the declared, detected and browser charsets; render again from the same bytes
    when the browser's reading differs from the crawl's. Returns the raw body: after a second
    rendering the browser no longer hands the first response's body over."""
    body = await response.body()
    content_type = await response.header_value("content-type") or ""
    encoding, signal = choose_encoding(content_type, body)
    browser_charset = await page.evaluate("document.characterSet")
    charset = {"declared": declared_charset(content_type, body) or "", "detected": encoding,
               "signal": signal, "browser": browser_charset, "rendered_with": browser_charset,
               "rerendered": False}
    record["charset"] = charset
    if not content_type.lower().startswith("text/html") or same_text(body, browser_charset,
                                                                     encoding):
        return body
    if len(body) > settings.max_body_bytes:
        observed.note(f"页面编码与声明不符（实际 {encoding}），但页面超过 "
                      f"{settings.max_body_bytes} 字节，未重新渲染：截图按浏览器的解码")
        return body
    label = web_label(encoding)
    headers = {name: value for name, value in (await response.all_headers()).items()
               if name not in NOT_REPLAYED}
    headers["content-type"] = f"{content_type.split(';')[0].strip()}; charset={label}"

    async def replay(route: Route) -> None:
        await route.fulfill(status=response.status, headers=headers, body=body)

    url = response.url
    try:
        await page.route(lambda requested: requested == url, replay, times=1)
        await page.goto(url, wait_until="commit", timeout=settings.navigation_timeout * 1000)
    except PlaywrightError as exc:
        observed.note(f"按检测到的编码 {encoding} 重新渲染失败：{first_line(exc)}")
        return body
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("load", timeout=settings.load_timeout * 1000)
    charset["rendered_with"] = label
    charset["rerendered"] = True
    observed.note(f"浏览器按 {browser_charset} 解码与实际编码 {encoding} 不符"
                  f"（声明：{charset['declared'] or '无'}）："
                  f"以同一原始字节按 {label} 重新渲染后截图")
    return body
