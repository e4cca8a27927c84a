"""Turn a site's manifest entry into HTTP replies: encoding (including undeclared or mislabelled
charsets), status codes, redirects, the generated hostile bodies (huge pages, single lines), and
images as they are."""

from __future__ import annotations

import functools
from http import HTTPStatus

from crawler.demoweb.engines import DemoResponse
from crawler.demoweb.manifest import Page, Site

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon"}
FILLER_PARAGRAPH = "<p>本站资讯持续更新中，敬请关注行业动态与政策解读。</p>"


def site_reply(site: Site, path: str) -> DemoResponse:
    """What ``site`` answers for ``path`` (query string ignored, as on a static web server)."""
    page = site.pages.get(path.split("?", 1)[0])
    if page is None:
        return status_reply(HTTPStatus.NOT_FOUND, "404 Not Found")
    if page.file is not None and page.file.suffix in IMAGE_TYPES:
        return DemoResponse(page.status, {"Content-Type": IMAGE_TYPES[page.file.suffix]},
                            page.file.read_bytes())
    headers = {"Content-Type": _content_type(site)}
    if page.redirect:
        headers["Location"] = page.redirect
    body = _page_body(page, site.encoding) if page.file else HTTPStatus(page.status).phrase.encode()
    return DemoResponse(page.status, headers, body)


def redirect_reply(location: str) -> DemoResponse:
    """A permanent redirect, e.g. an HTTPS-only site answering its plain-HTTP URL."""
    return DemoResponse(HTTPStatus.MOVED_PERMANENTLY, {"Location": location}, b"")


def status_reply(status: int, message: str) -> DemoResponse:
    """A small plain HTML page for statuses the demo web produces itself (404, 502, 500)."""
    body = f"<html><head><title>{status}</title></head><body><h1>{message}</h1></body></html>"
    return DemoResponse(status, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


def _content_type(site: Site) -> str:
    return f"text/html; charset={site.declared_as}" if site.declare_charset else "text/html"


@functools.lru_cache(maxsize=256)
def _page_body(page: Page, encoding: str) -> bytes:
    """The page file re-encoded for the wire, padded or flattened when the manifest asks."""
    html = page.file.read_text(encoding="utf-8")
    if page.one_line:
        html = " ".join(line.strip() for line in html.splitlines())
    if page.filler_bytes:
        separator = "" if page.one_line else "\n"
        unit = FILLER_PARAGRAPH + separator
        repeats = page.filler_bytes // len(unit.encode(encoding)) + 1
        head, tail = html.rsplit("</body>", 1) if "</body>" in html else (html, "")
        html = f"{head}{unit * repeats}</body>{tail}"
    return html.encode(encoding)
