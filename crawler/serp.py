"""Search-engine result pages (SERPs): declarative engine descriptions and one generic parser.

Every engine is an :class:`Engine` value (URL template, XPath expressions, markers); the
differences between Baidu, Sogou, Bing and 360 live in those values, not in code. The
engine constants themselves are declared next to their spiders in ``spiders/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urljoin, urlsplit

from parsel import Selector

#: Exact texts of the labels Chinese engines must put on paid results (广告法 / 互联网广告管理办法).
AD_LABEL_XPATH = ".//*[normalize-space()='广告' or normalize-space()='推广']"

#: HTTP statuses at or above this mean the engine did not serve a result page to us.
_FIRST_ERROR_STATUS = 400

_WEB_SCHEMES = ("http://", "https://")


def has_class(name: str) -> str:
    """XPath predicate for one whole CSS class token; bare ``contains(@class)`` over-matches."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True)
class SerpResult:
    """One result as the engine listed it."""

    rank: int  # 1-based position on this page, ads included
    title: str
    link: str  # absolute href as on the page (may be an engine redirect link)
    target_url: str | None  # real landing URL when the markup reveals it, else None
    snippet: str
    is_ad: bool  # paid / 推广 / 广告 result
    fields: tuple[tuple[str, str], ...] = ()  # (name, text) read by the engine's field_xpaths


@dataclass(frozen=True)
class SerpPage:
    """What one SERP request yielded; ``block`` tells a captcha/ban apart from "no results"."""

    results: tuple[SerpResult, ...]
    next_url: str | None  # absolute URL of the next result page, None on the last page
    block: str | None  # None, "captcha" or "blocked"


CAPTCHA_PAGE = SerpPage(results=(), next_url=None, block="captcha")
BLOCKED_PAGE = SerpPage(results=(), next_url=None, block="blocked")


@dataclass(frozen=True)
class Engine:
    """Declarative description of one engine: URL template, XPath expressions, markers.

    XPath fields named ``*_xpath`` that describe a result are evaluated relative to the
    result node; ``result_xpath``, ``next_xpath``, ``captcha_xpath`` and ``serp_xpath``
    against the whole document.
    """

    name: str  # "baidu" | "sogou" | "bing" | "so360"
    search_url: str  # template with {query} (UTF-8, URL-encoded) and {offset}
    first_offset: int  # value of the paging parameter on the first page
    offset_step: int  # how much the paging parameter grows per page
    result_xpath: str  # every result container on the page, ads included, in page order
    title_xpath: str  # the title <a> inside a result
    snippet_xpath: str  # candidates for the snippet element; the first one in page order wins
    ad_xpath: str  # boolean expression: is this result paid?
    next_xpath: str  # href of the "next page" link
    serp_xpath: str  # boolean: the page is this engine's result page (search box present)
    captcha_xpath: str  # boolean: the page is the engine's verification page
    captcha_url_markers: tuple[str, ...]  # substrings of a response URL that is a captcha page
    redirect_paths: tuple[str, ...]  # exact paths of the engine's click-redirect links
    # Seconds between two requests to the search host (its own download slot, one at a time):
    # engines answer quick askers with captchas.
    slot_delay: float
    target_xpath: str | None = None  # attribute(s) holding the real landing URL
    target_from_link: Callable[[str], str | None] | None = None  # decodes a link that embeds it
    extra_hosts: tuple[str, ...] = ()  # hosts besides the search host (captcha, redirects)
    # (name, XPath) of further texts of a result, relative to it: an account's 微信号, its 认证
    # line. An XPath ending in an attribute gives the attribute's value, "." the result's text.
    field_xpaths: tuple[tuple[str, str], ...] = ()
    # Results that are not web pages (WeChat accounts): each becomes this record, with the
    # address it is known by as ``url``, judged from the result itself and never fetched.
    # Called as (engine name, query, result page, result); None: results are pages to fetch.
    result_record: Callable[[str, str, int, SerpResult], Any] | None = None
    # The results are pages of the search host itself (a platform's own search: Tieba posts on
    # tieba.baidu.com); other engines' links to their own host are never landing pages.
    own_host_results: bool = False

    @property
    def hosts(self) -> tuple[str, ...]:
        """Hosts this engine uses: its search host first."""
        return (urlsplit(self.search_url).hostname or "", *self.extra_hosts)

    def url_for(self, query: str, page: int) -> str:
        """URL of result page ``page`` (0-based) for ``query``."""
        offset = self.first_offset + page * self.offset_step
        return self.search_url.format(query=quote_plus(query, encoding="utf-8"), offset=offset)

    def is_redirect_link(self, url: str) -> bool:
        """Whether ``url`` is one of this engine's click-redirect links (``/link?url=`` etc.)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        return parts.hostname in self.hosts and parts.path in self.redirect_paths

    def parse(self, html: str, url: str, status: int = 200) -> SerpPage:
        """Parse one response of this engine; never raises, whatever the input."""
        if any(marker in url for marker in self.captcha_url_markers):
            return CAPTCHA_PAGE
        if not html or not html.strip():
            return BLOCKED_PAGE
        try:
            return self._parse_document(Selector(text=html.replace("\x00", "")), url, status)
        except Exception:  # hostile markup must never stop a crawl
            return BLOCKED_PAGE  # unreadable, so certainly not a result page

    def _parse_document(self, document: Selector, url: str, status: int) -> SerpPage:
        if document.xpath(f"boolean({self.captcha_xpath})").get() == "1":
            return CAPTCHA_PAGE
        if status >= _FIRST_ERROR_STATUS:
            return BLOCKED_PAGE
        results = self._results(document, url)
        if not results and document.xpath(f"boolean({self.serp_xpath})").get() != "1":
            return BLOCKED_PAGE  # not a result page at all: an error or "access denied" page
        next_href = document.xpath(self.next_xpath).get()
        next_url = _absolute_web_url(url, next_href) if next_href else None
        return SerpPage(results=results, next_url=next_url, block=None)

    def _results(self, document: Selector, url: str) -> tuple[SerpResult, ...]:
        results: list[SerpResult] = []
        for node in document.xpath(self.result_xpath):
            anchor = node.xpath(self.title_xpath)
            if not anchor:
                continue
            title = element_text(anchor[0])
            link = _absolute_web_url(url, anchor[0].attrib.get("href", ""))
            if not title or not link:
                continue
            snippet_nodes = node.xpath(self.snippet_xpath)
            results.append(
                SerpResult(
                    rank=len(results) + 1,
                    title=title,
                    link=link,
                    target_url=self._target_url(node, link),
                    snippet=element_text(snippet_nodes[0]) if snippet_nodes else "",
                    is_ad=node.xpath(f"boolean({self.ad_xpath})").get() == "1",
                    fields=tuple((name, _first_text(node, xpath))
                                 for name, xpath in self.field_xpaths),
                )
            )
        return tuple(results)

    def _target_url(self, node: Selector, link: str) -> str | None:
        """Landing URL of a result: from its markup, from its decoded link, or the link itself."""
        candidates = node.xpath(self.target_xpath).getall() if self.target_xpath else []
        if self.target_from_link:
            candidates.append(self.target_from_link(link) or "")
        for candidate in candidates:
            candidate = candidate.strip()
            if candidate.startswith(_WEB_SCHEMES) and (
                    self.own_host_results or not self._is_own_url(candidate)):
                return candidate
        return None if self._is_own_url(link) and not self.own_host_results else link

    def _is_own_url(self, url: str) -> bool:
        try:
            return urlsplit(url).hostname in self.hosts
        except ValueError:
            return True


def element_text(element: Selector) -> str:
    """Visible text of an element, highlight tags (<em>, <strong>) joined, whitespace collapsed."""
    pieces = element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    return " ".join("".join(pieces).split())


def _first_text(node: Selector, xpath: str) -> str:
    """Text of the first match of ``xpath`` under ``node`` (an attribute's value as it is)."""
    found = node.xpath(xpath)
    if not found:
        return ""
    first = found[0]
    return " ".join(first.root.split()) if isinstance(first.root, str) else element_text(first)


def _absolute_web_url(base_url: str, href: str) -> str | None:
    """``href`` resolved against the page URL, or None when it is not an http(s) link."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:")):
        return None
    try:
        absolute = urljoin(base_url, href)
    except ValueError:
        return None
    return absolute if absolute.startswith(_WEB_SCHEMES) else None


_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", re.IGNORECASE)
_JS_LOCATION = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*(['"])(.+?)\1"""
    r"""|(?:window\.|document\.|top\.|self\.)?location\.(?:replace|assign)\(\s*(['"])(.+?)\3\s*\)"""
)
# A location set from a variable the script builds piece by piece, as Sogou WeChat's /link page
# does against scrapers: var url = ''; url += 'https://mp.'; url += 'weixin.qq.c'; …
_JS_LOCATION_VARIABLE = re.compile(
    r"location(?:\.href)?\s*=\s*([A-Za-z_$][\w$]*)\s*[;\n}]"
    r"|location\.(?:replace|assign)\(\s*([A-Za-z_$][\w$]*)\s*\)"
)
_JS_STRING_PIECE = r"""(?<![\w$.]){name}\s*(?:\+=|=)\s*(['"])(.*?)\1"""


def redirect_target(html: str, base_url: str) -> str | None:
    """Target of an HTML/JS redirect page, as engines like Sogou serve for ``/link?url=``.

    Looks at ``<meta http-equiv="refresh">`` and at ``location`` assignments inside
    ``<script>``; returns None if the page does not redirect.
    """
    if not html or not html.strip():
        return None
    try:
        document = Selector(text=html.replace("\x00", ""))
        refresh = document.xpath(
            "//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']/@content"
        ).getall()
        scripts = document.xpath("//script[not(@src)]/text()").getall()
    except Exception:  # hostile markup must never stop a crawl
        return None
    for content in refresh:
        match = _META_REFRESH_URL.search(content)
        if match and (target := _absolute_web_url(base_url, match.group(1))):
            return target
    for script in scripts:
        for match in _JS_LOCATION.finditer(script):
            raw = match.group(2) or match.group(4)
            target = _absolute_web_url(base_url, _unescape_js(raw))
            if target:
                return target
        for match in _JS_LOCATION_VARIABLE.finditer(script):
            if target := _built_string_target(script, match.group(1) or match.group(2), base_url):
                return target
    return None


def _built_string_target(script: str, name: str, base_url: str) -> str | None:
    """The URL a script assembles in variable ``name`` from string pieces, in script order."""
    pieces = re.finditer(_JS_STRING_PIECE.format(name=re.escape(name)), script)
    built = "".join(_unescape_js(piece.group(2)) for piece in pieces)
    return _absolute_web_url(base_url, built) if built else None


def _unescape_js(literal: str) -> str:
    """Undo the escapes engines use inside JS string literals (``\\/``, ``\\x3a``, ``\\u002f``)."""
    literal = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), literal)
    literal = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), literal)
    return literal.replace("\\/", "/")
