"""Compare a page with the fingerprint of each official verification platform.

A fake "verification" site can sit on any domain (zscx-center.com), so the page itself is
compared. Imitation is a page presenting itself AS the platform: the platform's name as its own
title or header, the platform's headings and cards as its own blocks, its query form (fields and a
查询 button in one form), a result table (证号, 发证机关, 有效期…), the real front end's ids and
classes, the identity lines of a government site in its footer (主办单位, 政府网站标识码 bm + 8
digits, ICP and 公安备案 numbers) and the logo: average hashes of the page's logo images (the
crawler fetches them) against the hashes platforms.toml lists and those seen on the official hosts
themselves (``official_logos``; the crawler learns them from the genuine pages).
A page that talks ABOUT a platform — a news article, a Q&A answer, a 百科 entry, a school
explaining how to verify — names it in a headline or in running text, quotes its column names and
links it: those are mentions (``PageMatch.mentions``), worth nothing. Where a line stands comes
from ``leads.judge.page_layout``; the words that say who a page is are in keywords/page_roles.toml.
A query form alone is not enough either: without a claim or a copied title/heading (a training
school's own student lookup) the score stays below the lead threshold. No network here. Pages of
official and gov.cn hosts never get here (``verdict.judge_page`` stops first). The footer and logo
comparison is ``leads.judge.page_identity``; whether a name is the page's own, ``page_naming``.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from PIL import Image

from keywords import KeywordLibrary, Platform, load_library
from leads.judge.normalize import fold
from leads.judge.page_identifiers import kind_name
from leads.judge.page_identity import (
    IDENTITY_COMPONENTS,
    SITE_CODE,
    ShownIdentity,
    identity_components,
    platform_identity,
    shown_identity,
)
from leads.judge.page_layout import PageLayout, page_layout
from leads.judge.page_naming import own_name, platform_names, self_naming, stands_alone
from leads.judge.page_roles import load_page_roles

MAX_TEXT_CHARS = 50_000
MAX_HTML_CHARS = 300_000
HEADING_POINTS, HEADING_CAP = 15, 30
FIELD_POINTS, FIELD_CAP, MIN_FIELDS = 10, 30, 2
BUTTON_SLACK = 4  # a query button's label: "查询" and at most this many characters more
QUERY_FORM_POINTS = 15
RESULT_POINTS, MIN_RESULT_LABELS = 25, 3
MARKER_POINTS, MARKER_CAP = 10, 30
CLAIM_POINTS = 10
TOPIC_POINTS = 5
UNCONFIRMED_CAP = 45  # no query form, or neither a claim nor a copied title/heading
GOV_SITE_CODE_POINTS = 20  # any 政府网站标识码 on a page that is not on a gov.cn host
HASH_SIZE = 8  # 8 × 8 pixels: a 64-bit average hash
MAX_IMAGE_BYTES = 5_000_000
OWN_NAME_COMPONENTS = frozenset({"title_copy", "heading_copy"})

COMPONENT_NAMES = {
    "title_copy": "标题以平台名称自称",
    "heading_copy": "页头/栏目照搬平台文字",
    "form_fields": "查询表单字段",
    "query_form": "含查询表单",
    "result_table": "含证书查询结果表",
    "html_markers": "照搬官方页面代码",
    "claim": "自称官方查询平台",
    "topic": "涉及证书",
    "sponsor": "页脚冒用主办单位",
    "identifier_copy": "照搬网站标识码/备案号",
    "footer_copy": "照搬页脚",
    "logo": "照搬标志图片",
    "gov_site_code": "非政府域名却标有政府网站标识码",
}


def logo_hash(image: bytes) -> str:
    """64-bit average hash of an image as 16 hex digits, or "" when the bytes are not an image.

    Robust to rescaling and recompression, which is what a copied logo goes through.
    """
    if not image or len(image) > MAX_IMAGE_BYTES:
        return ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(image)) as opened:
                small = opened.convert("L").resize((HASH_SIZE, HASH_SIZE), Image.Resampling.BOX)
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return ""
    pixels = list(small.tobytes())
    mean = sum(pixels) / len(pixels)
    bits = "".join("1" if pixel > mean else "0" for pixel in pixels)
    return f"{int(bits, 2):016x}"


@dataclass(frozen=True)
class PageMatch:
    """How closely a page copies an official platform (0–100) and which one.

    ``mentions``: the platform's name, headings and fields the page only names in running text
    (a headline, an article, an answer) — talking about the platform, not posing as it.
    """

    score: int
    target: str
    reasons: tuple[str, ...]
    signals: Mapping[str, float] = field(default_factory=dict)
    mentions: tuple[str, ...] = ()
    mentioned: str = ""  # main host of the platform the mentions belong to
    venue: str = ""  # the <title> part naming the page as another kind of site (百科, 新闻, 学校…)


@dataclass(frozen=True)
class _Page:
    layout: PageLayout
    text: str  # folded title + visible text
    html: str  # lower-case HTML without the official hosts' URLs (links are not copied code)
    venue: str  # the <title> part naming another kind of site ("安全知识百科"), or ""
    query_forms: tuple[str, ...]  # folded texts of the forms that have a query button
    claims: tuple[str, ...]
    results: tuple[str, ...]  # result-table labels shown as label cells
    shown: ShownIdentity  # the footer, its sponsor and numbers, the logos


def _found(phrases: Iterable[str], haystack: str) -> list[str]:
    return [phrase for phrase in phrases if phrase in haystack]


def _components(
    page: _Page, platform: Platform, filler: tuple[str, ...]
) -> dict[str, tuple[float, str]]:
    """Component name → (points, evidence) for one platform; absent components are left out.

    On a page that names itself as another site (``venue``) the platform's name and headings
    are its subject: they do not count as the page's own.
    """
    components: dict[str, tuple[float, str]] = {}
    layout = page.layout
    if not page.venue:
        own = own_name(layout.title_segments, platform.title_phrases, filler)
        if own:
            components["title_copy"] = (own[0], own[1])
        phrases = tuple(dict.fromkeys((*platform.heading_phrases, fold(platform.name))))
        standalone = [phrase for phrase in phrases if stands_alone(phrase, layout.lines)]
        # A heading inside a longer one standing on the same line is that line, counted once.
        headings = [h for h in standalone if not any(h != o and h in o for o in standalone)]
        if headings:
            components["heading_copy"] = (
                min(HEADING_CAP, HEADING_POINTS * len(headings)),
                "、".join(headings),
            )
    # A query form asks for what the platform asks for: a site's keyword search box does not.
    forms = [form for form in page.query_forms if _found(platform.form_fields, form)]
    if forms:
        components["query_form"] = (QUERY_FORM_POINTS, "查询")
    fields = _found(platform.form_fields, "\n".join(forms))
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


def _mentions(page: _Page, platform: Platform, components: Mapping[str, object]) -> list[str]:
    """The platform's names, headings and fields the page names without posing as it."""
    counted = OWN_NAME_COMPONENTS & components.keys()
    words = (*platform_names(platform), *platform.heading_phrases) if not counted else ()
    if "form_fields" not in components:
        words += tuple(platform.form_fields)
    return list(dict.fromkeys(word for word in words if word in page.text))


def _page_components(page: _Page) -> dict[str, tuple[float, str]]:
    """Components that are the same for every platform: the results, the claim, a 标识码."""
    components: dict[str, tuple[float, str]] = {}
    if len(page.results) >= MIN_RESULT_LABELS:
        components["result_table"] = (RESULT_POINTS, "、".join(page.results))
    if page.claims:
        components["claim"] = (CLAIM_POINTS, "、".join(page.claims))
    site_codes = [number for number in page.shown.identifiers if SITE_CODE.fullmatch(number)]
    if site_codes:
        components["gov_site_code"] = (GOV_SITE_CODE_POINTS, "、".join(site_codes))
    return components


def _total(components: Mapping[str, tuple[float, str]]) -> float:
    total = sum(points for points, _ in components.values())
    keys = components.keys()
    # The platform's query form counts on a page that names itself as the platform or shows its
    # identity (主办单位, numbers, logo) under any brand; a school's own student lookup does not.
    copied = {"claim", "title_copy", "heading_copy"} & keys or IDENTITY_COMPONENTS & keys
    # The platform's title with a copied identity or its result table needs no form: a fake
    # portal, or the page a fake card's QR code opens.
    poses = "title_copy" in keys and (IDENTITY_COMPONENTS & keys or "result_table" in keys)
    if not poses and ("query_form" not in keys or not copied):
        total = min(total, UNCONFIRMED_CAP)
    return min(100.0, total)


class PageComparer:
    """The platform fingerprints of one keyword library."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.platforms = library.platforms
        self.generic = library.generic
        self.roles = load_page_roles(library.directory)
        tables = {table["key"]: table for table in library.platform_tables["platform"]}
        self.identities = {p.key: platform_identity(tables[p.key]) for p in library.platforms}
        domains = sorted({d for p in library.platforms for d in p.registered_domains}, key=len)
        self.official_urls = re.compile(
            r"(?:https?:)?(?://)?(?:[a-z0-9-]+\.)*(?:"
            + "|".join(re.escape(domain) for domain in reversed(domains))
            + r")(?:/[^\s\"'<>]*)?"
        )
        self.sponsor_names = tuple(
            fold(sponsor) for table in tables.values() for sponsor in table.get("sponsors", ())
        )

    def official_logos_by_platform(
        self, official_logos: Mapping[str, Iterable[str]]
    ) -> dict[str, frozenset[int]]:
        """Logo hashes seen on official hosts (host → hex hashes), by platform key."""
        found: dict[str, set[int]] = {}
        for host, hashes in official_logos.items():
            # www.mohurd.gov.cn is the ministry's own host before it is a host under mohurd.gov.cn
            platform = next((p for p in self.platforms if host in p.hosts), None) or next(
                (p for p in self.platforms
                 if host.endswith(tuple("." + d for d in p.registered_domains))),
                None,
            )
            if platform is not None:
                found.setdefault(platform.key, set()).update(int(h, 16) for h in hashes)
        return {key: frozenset(hashes) for key, hashes in found.items()}

    def _venue(self, layout: PageLayout) -> str:
        """The <title> part that names the page as another kind of site (百科, 新闻, 问答, 学校),
        unless it names a platform's own sponsor (应急管理部干部培训学院)."""
        return next(
            (
                segment for segment in layout.title_segments
                if _found(self.roles.venue_words, segment)
                and not _found(self.sponsor_names, segment)
            ),
            "",
        )

    def _page(self, title: str, text: str, html: str, logos: Iterable[str]) -> _Page:
        layout = page_layout(title[:MAX_TEXT_CHARS], text[:MAX_TEXT_CHARS], html)
        folded_text = fold(title[:MAX_TEXT_CHARS]) + "\n" + fold(text[:MAX_TEXT_CHARS])
        roles = self.roles
        footer = tuple(dict.fromkeys((
            *layout.footer_lines,
            *(line for line in layout.lines if _found(roles.footer_markers, line)),
        )))
        venue = self._venue(layout)
        speaking = [line for line in layout.lines if _found(roles.self_reference, line)]
        if not venue and any(
            own_name(layout.title_segments, p.title_phrases, roles.name_filler)
            for p in self.platforms
        ):  # a title that is a platform's name speaks for the page; a headline does not
            speaking += layout.title_segments
        buttons = self.generic.query_buttons
        query_forms = tuple(
            form.text for form in layout.forms
            if form.inputs and any(
                q in b and len(b) <= len(q) + BUTTON_SLACK for b in form.buttons for q in buttons
            )
        )
        return _Page(
            layout=layout,
            text=folded_text,
            html=self.official_urls.sub(" ", html[:MAX_HTML_CHARS].lower()),
            venue=venue,
            query_forms=query_forms,
            claims=tuple(_found(self.generic.claim_phrases, "\n".join(speaking))),
            results=tuple(label for label in layout.labels if label in roles.result_labels),
            shown=shown_identity(footer, logos),
        )

    def compare(
        self, title: str, text: str, html: str, logos: Iterable[str] = (),
        official_logos: Mapping[str, Iterable[str]] | None = None,
    ) -> PageMatch:
        """``logos``: average hashes (``logo_hash``) of the page's logo images;
        ``official_logos``: official host → hashes of the logos seen on its own pages."""
        page = self._page(title, text, html, logos)
        learned = self.official_logos_by_platform(official_logos or {})
        shared = _page_components(page)
        candidates = []
        for order, platform in enumerate(self.platforms):
            identity = identity_components(
                page.shown, self.identities[platform.key], learned.get(platform.key, frozenset())
            )
            components = {
                **_components(page, platform, self.roles.name_filler), **identity, **shared
            }
            # Ties go to the platform whose certificates the page names, then to the default.
            rank = (
                _total(components),
                "topic" in components,
                len(_mentions(page, platform, components)),
                platform.default_target,
                -order,
            )
            candidates.append((rank, platform, components))
        (score, *_), platform, components = max(candidates, key=lambda item: item[0])
        mentions = tuple(_mentions(page, platform, components))
        signals = {name: points for name, (points, _) in components.items()}
        # Naming a certificate imitates nothing: no target, no reason.
        imitates = bool(score) and components.keys() != {"topic"}
        evidence = "；".join(
            f"{COMPONENT_NAMES[name]}：{detail}" for name, (_, detail) in components.items()
        )
        naming = self_naming(components, page.layout, platform)
        copied = components.get("identifier_copy", (0, ""))[1]
        borrowed = tuple(
            f"页面底部使用 {platform.agency} 的 {kind_name(number)} {number}，但网址不是其官方域名"
            for number in copied.split("、") if number
        )
        return PageMatch(
            score=round(score),
            target=platform.main_host if imitates else "",
            reasons=(
                (f"页面仿冒 {platform.main_host}（{evidence}）", *borrowed,
                 *([naming] if naming else []))
                if imitates else ()
            ),
            signals=signals,
            mentions=mentions,
            mentioned=platform.main_host if mentions else "",
            venue=page.venue,
        )


@cache
def _default_comparer() -> PageComparer:
    return PageComparer(load_library())


def compare_page(
    title: str, text: str, html: str = "", logos: Iterable[str] = (),
    official_logos: Mapping[str, Iterable[str]] | None = None,
) -> PageMatch:
    """Compare a page (title, visible text, HTML, hashes of its logo images) with every
    platform; the closest one wins."""
    return _default_comparer().compare(title, text, html, logos, official_logos)


def resembles_platform(title: str, text: str, html: str) -> bool:
    """Does the page copy anything of a platform beyond naming its certificates? Then its logo
    is worth fetching (most pages that mention a certificate are not worth the requests)."""
    return _default_comparer().compare(title, text, html).score > TOPIC_POINTS
