"""The demo web's search index: what the simulated search engines "know" about the simulated sites.

Deterministic on purpose (tests compare runs): a page matches when any query word, or its main part
(电工证 → 电工), occurs in its visible text or its site's ``search_terms``; hits are ranked by the
number of matched words, then by manifest order. Sites with ``indexed = false`` never appear.
``site:zhihu.com`` keeps a query to that domain; posts on platforms (keywords/post_platforms.toml)
come only to such queries and to the platforms' own search (crawler/demoweb/platforms.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from crawler.demoweb.engines import DemoHit
from crawler.demoweb.manifest import Page, Site
from keywords.post_platforms import load_post_platforms

POST_PLATFORMS = load_post_platforms()
GENERIC_SUFFIXES = ("证书", "证件", "证")  # 电工证书 / 电工证 → 电工
SNIPPET_BEFORE, SNIPPET_AFTER = 30, 50


@dataclass(frozen=True)
class _Document:
    title: str
    url: str
    text: str  # visible text, whitespace collapsed; snippets come from here
    haystack: str  # lower-cased text plus search terms; matching runs on this
    is_ad: bool


class SearchIndex:
    """Built once from the manifest; ``search`` is what the engines call for each query."""

    def __init__(self, sites: list[Site]) -> None:
        self._documents = [
            _document(site, page)
            for site in sites if site.indexed
            for page in site.pages.values() if page.indexed
        ]

    def search(self, query: str, *, all_words: bool = False) -> list[DemoHit]:
        """Pages matching any query word; ``all_words``: only pages matching every word (how
        real engines treat a short query — bench/plan_bench.py's stricter web)."""
        scored = []
        words = query.lower().split()
        # ``site:zhihu.com``: only that domain's pages, as the real engines read the operator.
        sites = tuple(word.removeprefix("site:") for word in words if word.startswith("site:"))
        forms = [_match_forms(word) for word in words if not word.startswith("site:")]
        for order, document in enumerate(self._documents):
            # A post on a platform is found through its site: or the platform's own search only,
            # so the demo's other sites keep their ranks in plain results.
            if (not _on_site(document.url, sites) if sites
                    else POST_PLATFORMS.platform_of(document.url)):
                continue
            matched = [next((f for f in word if f in document.haystack), None) for word in forms]
            score = sum(form is not None for form in matched)
            if score and (not all_words or score == len(forms)):
                first = next(form for form in matched if form is not None)
                scored.append((-score, order, document, first))
        scored.sort(key=lambda item: item[:2])
        return [
            DemoHit(document.title, document.url, _snippet(document.text, first), document.is_ad)
            for _, _, document, first in scored
        ]


def _document(site: Site, page: Page) -> _Document:
    title, text = _visible_text(page.file.read_text(encoding="utf-8")) if page.file else ("", "")
    return _Document(
        title=title or site.host,
        url=site.base_url + page.path,
        text=text,
        haystack=" ".join((text, title, *site.search_terms)).lower(),
        is_ad=site.ad,
    )


def _on_site(url: str, sites: tuple[str, ...]) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == site or host.endswith("." + site) for site in sites)


def _match_forms(word: str) -> tuple[str, ...]:
    """The word itself, then its main part when it ends in a generic suffix."""
    for suffix in GENERIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word, word[: -len(suffix)]
    return (word,)


def _snippet(text: str, form: str) -> str:
    position = text.lower().find(form)
    if position < 0:  # matched a search term only
        return text[: SNIPPET_BEFORE + SNIPPET_AFTER]
    return text[max(0, position - SNIPPET_BEFORE): position + SNIPPET_AFTER]


class _TextExtractor(HTMLParser):
    """Collects the title and the text a reader would see (no script or style contents)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.chunks: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip_depth += tag in ("script", "style")
        self._in_title = tag == "title" or self._in_title

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self.chunks.append(data)


def _visible_text(html: str) -> tuple[str, str]:
    parser = _TextExtractor()
    parser.feed(html.replace("\x00", ""))
    parser.close()
    return _collapse(parser.title), _collapse(" ".join(parser.chunks))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
