"""Compare a page with the fingerprint of each official verification platform.

A fake "verification" site can sit on any domain (zscx-center.com), so the page itself is
compared: copied titles (fuzzy, rapidfuzz), copied headings and cards, the query form's fields,
a query button, the real front end's ids/classes, and claims of being the official platform.
A query form alone is not enough: without a claim or a copied title/heading (a training school's
own student lookup) or without an actual form in the HTML (a news article) the score stays below
the lead threshold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from keywords import GenericVocabulary, KeywordLibrary, Platform, load_library
from leads.normalize import fold

MAX_TEXT_CHARS = 50_000
MAX_HTML_CHARS = 300_000
MIN_FUZZY_LENGTH = 6  # shorter titles match everything inside a long platform name
TITLE_COPY_POINTS = 40  # title at least TITLE_COPY_RATIO similar to a platform title
TITLE_NEAR_POINTS = 25  # title at least TITLE_NEAR_RATIO similar
TITLE_COPY_RATIO = 90
TITLE_NEAR_RATIO = 80
HEADING_POINTS, HEADING_CAP = 15, 30
FIELD_POINTS, FIELD_CAP, MIN_FIELDS = 10, 30, 2
QUERY_FORM_POINTS = 15
MARKER_POINTS, MARKER_CAP = 10, 30
CLAIM_POINTS = 10
TOPIC_POINTS = 5
UNCONFIRMED_CAP = 45  # no form in the HTML, or neither a claim nor a copied title/heading
FORM_TAG = re.compile(r"<(?:input|select)\b", re.IGNORECASE)

COMPONENT_NAMES = {
    "title_copy": "标题近似",
    "heading_copy": "照搬栏目文字",
    "form_fields": "查询表单字段",
    "query_form": "含查询表单",
    "html_markers": "照搬官方页面代码",
    "claim": "自称官方查询平台",
    "topic": "涉及证书",
}


@dataclass(frozen=True)
class PageMatch:
    """How closely a page copies an official platform (0–100) and which one."""

    score: int
    target: str
    reasons: tuple[str, ...]
    signals: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Page:
    title: str
    text: str  # folded title + visible text
    html: str  # lower-case HTML
    has_form: bool
    claims: tuple[str, ...]


def _found(phrases: tuple[str, ...], haystack: str) -> list[str]:
    return [phrase for phrase in phrases if phrase in haystack]


def _components(page: _Page, platform: Platform) -> dict[str, tuple[float, str]]:
    """Component name → (points, evidence) for one platform; absent components are left out."""
    components: dict[str, tuple[float, str]] = {}
    if len(page.title) >= MIN_FUZZY_LENGTH:
        ratio, phrase = max((fuzz.partial_ratio(p, page.title), p) for p in platform.title_phrases)
        if ratio >= TITLE_NEAR_RATIO:
            points = TITLE_COPY_POINTS if ratio >= TITLE_COPY_RATIO else TITLE_NEAR_POINTS
            components["title_copy"] = (points, f"{phrase}（{round(ratio)}%）")
    headings = _found((*platform.heading_phrases, fold(platform.name)), page.text)
    if headings:
        components["heading_copy"] = (
            min(HEADING_CAP, HEADING_POINTS * len(headings)),
            "、".join(headings),
        )
    fields = _found(platform.form_fields, page.text + page.html)
    if len(fields) >= MIN_FIELDS:
        components["form_fields"] = (min(FIELD_CAP, FIELD_POINTS * len(fields)), "、".join(fields))
    markers = _found(platform.html_markers, page.html)
    if markers:
        components["html_markers"] = (
            min(MARKER_CAP, MARKER_POINTS * len(markers)),
            "、".join(markers),
        )
    topics = _found(platform.topic_phrases, page.text)
    if topics:
        components["topic"] = (TOPIC_POINTS, "、".join(topics[:3]))
    return components


def _page_components(page: _Page, generic: GenericVocabulary) -> dict[str, tuple[float, str]]:
    """Components that are the same for every platform: the form itself and the claim."""
    components: dict[str, tuple[float, str]] = {}
    buttons = _found(generic.query_buttons, page.text + page.html)
    if page.has_form and buttons:
        components["query_form"] = (QUERY_FORM_POINTS, buttons[0])
    if page.claims:
        components["claim"] = (CLAIM_POINTS, "、".join(page.claims))
    return components


def _total(components: Mapping[str, tuple[float, str]], page: _Page) -> float:
    total = sum(points for points, _ in components.values())
    copied = {"claim", "title_copy", "heading_copy"} & components.keys()
    if not page.has_form or not copied:
        total = min(total, UNCONFIRMED_CAP)
    return min(100.0, total)


class PageComparer:
    """The platform fingerprints of one keyword library."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.platforms = library.platforms
        self.generic = library.generic

    def compare(self, title: str, text: str, html: str) -> PageMatch:
        folded_title = fold(title[:MAX_TEXT_CHARS])
        folded_text = folded_title + "\n" + fold(text[:MAX_TEXT_CHARS])
        lowered_html = html[:MAX_HTML_CHARS].lower()
        page = _Page(
            title=folded_title,
            text=folded_text,
            html=lowered_html,
            has_form=bool(FORM_TAG.search(lowered_html)),
            claims=tuple(_found(self.generic.claim_phrases, folded_text)),
        )
        shared = _page_components(page, self.generic)
        candidates = []
        for order, platform in enumerate(self.platforms):
            components = {**_components(page, platform), **shared}
            # Ties go to the platform whose certificates the page names, then to the default.
            rank = (
                _total(components, page),
                "topic" in components,
                platform.default_target,
                -order,
            )
            candidates.append((rank, platform, components))
        (score, *_), platform, components = max(candidates, key=lambda item: item[0])
        if not score:
            return PageMatch(0, "", ())
        evidence = "；".join(
            f"{COMPONENT_NAMES[name]}：{detail}" for name, (_, detail) in components.items()
        )
        return PageMatch(
            score=round(score),
            target=platform.main_host,
            reasons=(f"页面仿冒 {platform.main_host}（{evidence}）",),
            signals={name: points for name, (points, _) in components.items()},
        )


@cache
def _default_comparer() -> PageComparer:
    return PageComparer(load_library())


def compare_page(title: str, text: str, html: str = "") -> PageMatch:
    """Compare a page (title, visible text, HTML) with every platform; the closest one wins."""
    return _default_comparer().compare(title, text, html)
