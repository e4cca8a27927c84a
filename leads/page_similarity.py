"""Compare a page with the fingerprint of each official verification platform.

A fake "verification" site can sit on any domain (zscx-center.com), so the page itself is
compared: copied titles (fuzzy, rapidfuzz), copied headings and cards, the query form's fields,
a query button, the real front end's ids/classes, claims of being the official platform, the
identity lines of a government site (主办单位, 政府网站标识码 bm + 8 digits, ICP and 公安备案
numbers, footer texts) and the logo: average hashes of the page's logo images (the crawler fetches
them) against the hashes platforms.toml lists and those seen on the official hosts themselves
(``official_logos``; the crawler learns them from the genuine pages). No network here. Pages of
official and gov.cn hosts never get here (``verdict.judge_page`` stops first).
A query form alone is not enough: without a claim or a copied title/heading (a training school's
own student lookup) or without an actual form in the HTML (a news article) the score stays below
the lead threshold.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from PIL import Image
from rapidfuzz import fuzz

from keywords import GenericVocabulary, KeywordLibrary, Platform, load_library
from leads.domains import platform_tables
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
SPONSOR_POINTS = 25  # "主办单位：应急管理部" on a host that is not the ministry's
IDENTIFIER_POINTS = 40  # the platform's own 标识码 / ICP / 公安备案 number copied
FOOTER_POINTS, FOOTER_CAP = 15, 30
LOGO_POINTS = 30
LOGO_MAX_DISTANCE = 6  # differing bits of 64 still counted as the same logo (rescaled, recoloured)
GOV_SITE_CODE_POINTS = 20  # any 政府网站标识码 on a page that is not on a gov.cn host
HASH_SIZE = 8  # 8 × 8 pixels: a 64-bit average hash
MAX_IMAGE_BYTES = 5_000_000
FORM_TAG = re.compile(r"<(?:input|select)\b", re.IGNORECASE)
SPONSOR_LINE = re.compile(r"主办(?:单位)?\s*[:：]?\s*([^\s,，。;；:|<>]{2,30})")
SITE_CODE = re.compile(r"(?<![a-z0-9])bm\d{8}(?!\d)")
ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]icp[备證证]\s*\d{6,10}号(?:-\d+)?")
POLICE_NUMBER = re.compile(r"[\u4e00-\u9fff]公网安备\s*\d{10,16}号?")
IDENTITY_COMPONENTS = frozenset({"sponsor", "identifier_copy", "logo", "footer_copy"})

COMPONENT_NAMES = {
    "title_copy": "标题近似",
    "heading_copy": "照搬栏目文字",
    "form_fields": "查询表单字段",
    "query_form": "含查询表单",
    "html_markers": "照搬官方页面代码",
    "claim": "自称官方查询平台",
    "topic": "涉及证书",
    "sponsor": "冒用主办单位",
    "identifier_copy": "照搬网站标识码/备案号",
    "footer_copy": "照搬页脚",
    "logo": "照搬标志图片",
    "gov_site_code": "非政府域名却标有政府网站标识码",
}


@dataclass(frozen=True)
class Identity:
    """The identity lines of one platform's pages (platforms.toml; empty = not known)."""

    footer_phrases: tuple[str, ...]
    sponsors: tuple[str, ...]
    identifiers: tuple[str, ...]  # 标识码, ICP and 公安备案 numbers, folded
    logo_hashes: tuple[int, ...]


def _identity(table: Mapping[str, object]) -> Identity:
    def strings(key: str) -> tuple[str, ...]:
        return tuple(fold(str(item)) for item in table.get(key, ()))  # type: ignore[attr-defined]

    return Identity(
        footer_phrases=strings("footer_phrases"),
        sponsors=strings("sponsors"),
        identifiers=strings("site_codes") + strings("icp_numbers") + strings("police_numbers"),
        logo_hashes=tuple(int(str(h), 16) for h in table.get("logo_hashes", ())),  # type: ignore[attr-defined]
    )


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
    sponsors: tuple[str, ...]  # what follows 主办单位：
    identifiers: tuple[str, ...]  # 标识码, ICP and 公安备案 numbers shown
    logos: tuple[int, ...]  # average hashes of the images given


def _identity_components(
    page: _Page, identity: Identity, official_logos: Collection[int]
) -> dict[str, tuple[float, str]]:
    """Who the page says runs it, its numbers, footer and logo, against one platform's."""
    components: dict[str, tuple[float, str]] = {}
    # Named as the platform's sponsor, not as captured: the footer runs on into 京ICP备….
    sponsors = [
        known for known in identity.sponsors if any(s.startswith(known) for s in page.sponsors)
    ]
    if sponsors:
        components["sponsor"] = (SPONSOR_POINTS, sponsors[0])
    copied = [number for number in page.identifiers if number in identity.identifiers]
    if copied:
        components["identifier_copy"] = (IDENTIFIER_POINTS, "、".join(copied))
    footers = _found(identity.footer_phrases, page.text)
    if footers:
        components["footer_copy"] = (
            min(FOOTER_CAP, FOOTER_POINTS * len(footers)),
            "、".join(footers),
        )
    distances = [
        (bin(logo ^ known).count("1"), logo)
        for logo in page.logos
        for known in (*identity.logo_hashes, *official_logos)
    ]
    if distances and min(distances)[0] <= LOGO_MAX_DISTANCE:
        distance, logo = min(distances)
        components["logo"] = (LOGO_POINTS, f"{logo:016x}（相差 {distance} 位）")
    return components


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
    phrases = tuple(dict.fromkeys((*platform.heading_phrases, fold(platform.name))))  # once each
    headings = _found(phrases, page.text)
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
    site_codes = [number for number in page.identifiers if SITE_CODE.fullmatch(number)]
    if site_codes:
        components["gov_site_code"] = (GOV_SITE_CODE_POINTS, "、".join(site_codes))
    return components


def _total(components: Mapping[str, tuple[float, str]], page: _Page) -> float:
    total = sum(points for points, _ in components.values())
    copied = {"claim", "title_copy", "heading_copy"} & components.keys()
    # A copied title with a copied identity (主办单位, numbers, logo) needs no form: a fake portal.
    poses = "title_copy" in components and IDENTITY_COMPONENTS & components.keys()
    if not poses and (not page.has_form or not copied):
        total = min(total, UNCONFIRMED_CAP)
    return min(100.0, total)


class PageComparer:
    """The platform fingerprints of one keyword library."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.platforms = library.platforms
        self.generic = library.generic
        tables = {table["key"]: table for table in platform_tables(library)["platform"]}
        self.identities = {p.key: _identity(tables[p.key]) for p in library.platforms}

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

    def compare(
        self, title: str, text: str, html: str, logos: Iterable[str] = (),
        official_logos: Mapping[str, Iterable[str]] | None = None,
    ) -> PageMatch:
        """``logos``: average hashes (``logo_hash``) of the page's logo images;
        ``official_logos``: official host → hashes of the logos seen on its own pages."""
        folded_title = fold(title[:MAX_TEXT_CHARS])
        folded_text = folded_title + "\n" + fold(text[:MAX_TEXT_CHARS])
        lowered_html = html[:MAX_HTML_CHARS].lower()
        shown = folded_text + "\n" + fold(lowered_html)
        page = _Page(
            title=folded_title,
            text=folded_text,
            html=lowered_html,
            has_form=bool(FORM_TAG.search(lowered_html)),
            claims=tuple(_found(self.generic.claim_phrases, folded_text)),
            sponsors=tuple(dict.fromkeys(SPONSOR_LINE.findall(folded_text))),
            identifiers=tuple(
                dict.fromkeys(
                    number.replace(" ", "")
                    for pattern in (SITE_CODE, ICP_NUMBER, POLICE_NUMBER)
                    for number in pattern.findall(shown)
                )
            ),
            logos=tuple(int(digest, 16) for digest in logos if digest),
        )
        learned = self.official_logos_by_platform(official_logos or {})
        shared = _page_components(page, self.generic)
        candidates = []
        for order, platform in enumerate(self.platforms):
            identity = _identity_components(
                page, self.identities[platform.key], learned.get(platform.key, frozenset())
            )
            components = {**_components(page, platform), **identity, **shared}
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
