"""Who a page says runs it, against who runs a platform: the identity half of page similarity.

A government site names its operator in the footer (主办单位), shows its numbers (政府网站标识码
bm + 8 digits, ICP and 公安备案 numbers, read by ``page_identifiers`` and compared as filings, the
site's "-1" dropped) and its logo. A copy keeps them, under any brand, so they are compared on
their own: what the page's footer and logos show (``ShownIdentity``) with one
platform's identity lines in platforms.toml and the logos seen on its official hosts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from leads.judge.normalize import fold
from leads.judge.page_identifiers import canonical_filings, identifiers_in

SPONSOR_POINTS = 25  # "主办单位：应急管理部" in the footer of a host that is not the ministry's
IDENTIFIER_POINTS = 40  # the platform's own 标识码 / ICP / 公安备案 number copied
FOOTER_POINTS, FOOTER_CAP = 15, 30
LOGO_POINTS = 30
LOGO_MAX_DISTANCE = 6  # differing bits of 64 still counted as the same logo (rescaled, recoloured)
SPONSOR_LINE = re.compile(r"主办(?:单位)?\s*[:：]?\s*([^\s,，。;；:|<>]{2,30})")
SITE_CODE = re.compile(r"(?<![a-z0-9])bm\d{8}(?!\d)")
IDENTITY_COMPONENTS = frozenset({"sponsor", "identifier_copy", "logo", "footer_copy"})


@dataclass(frozen=True)
class Identity:
    """The identity lines of one platform's pages (platforms.toml; empty = not known)."""

    footer_phrases: tuple[str, ...]
    sponsors: tuple[str, ...]
    identifiers: tuple[str, ...]  # 标识码 folded; ICP and 公安备案 filings (page_identifiers)
    logo_hashes: tuple[int, ...]


@dataclass(frozen=True)
class ShownIdentity:
    """What a page's footer and logo images show of who runs it."""

    footer: tuple[str, ...]  # footer lines: the footer region and lines with footer words
    sponsors: tuple[str, ...]  # what follows 主办单位： in the footer
    identifiers: tuple[str, ...]  # 标识码, ICP and 公安备案 filings shown in the footer
    logos: tuple[int, ...]  # average hashes of the images given


def platform_identity(table: Mapping[str, object]) -> Identity:
    """The identity lines of one ``[[platform]]`` table, folded like page text."""

    def strings(key: str) -> tuple[str, ...]:
        return tuple(fold(str(item)) for item in table.get(key, ()))  # type: ignore[attr-defined]

    where = f"platforms.toml: {table.get('key', 'platform')}"
    numbers = (*table.get("icp_numbers", ()), *table.get("police_numbers", ()))  # type: ignore[attr-defined]
    return Identity(
        footer_phrases=strings("footer_phrases"),
        sponsors=strings("sponsors"),
        identifiers=strings("site_codes") + canonical_filings(numbers, where),
        logo_hashes=tuple(int(str(h), 16) for h in table.get("logo_hashes", ())),  # type: ignore[attr-defined]
    )


def shown_identity(footer: tuple[str, ...], logos: Iterable[str]) -> ShownIdentity:
    """The sponsor and numbers in ``footer`` (folded lines) and the hashes of the page's logos."""
    shown = "\n".join(footer)
    return ShownIdentity(
        footer=footer,
        sponsors=tuple(dict.fromkeys(SPONSOR_LINE.findall(shown))),
        identifiers=tuple(
            dict.fromkeys(
                (*SITE_CODE.findall(shown), *(i.filing for i in identifiers_in(shown)))
            )
        ),
        logos=tuple(int(digest, 16) for digest in logos if digest),
    )


def identity_components(
    shown: ShownIdentity, identity: Identity, official_logos: Collection[int]
) -> dict[str, tuple[float, str]]:
    """Who the page's footer says runs it, its numbers and logo, against one platform's."""
    components: dict[str, tuple[float, str]] = {}
    # Named as the platform's sponsor, not as captured: the footer runs on into 京ICP备….
    sponsors = [
        known for known in identity.sponsors if any(s.startswith(known) for s in shown.sponsors)
    ]
    if sponsors:
        components["sponsor"] = (SPONSOR_POINTS, sponsors[0])
    copied = [number for number in shown.identifiers if number in identity.identifiers]
    if copied:
        components["identifier_copy"] = (IDENTIFIER_POINTS, "、".join(copied))
    footer_text = "\n".join(shown.footer)
    footers = [phrase for phrase in identity.footer_phrases if phrase in footer_text]
    if footers:
        components["footer_copy"] = (
            min(FOOTER_CAP, FOOTER_POINTS * len(footers)),
            "、".join(footers),
        )
    distances = [
        (bin(logo ^ known).count("1"), logo)
        for logo in shown.logos
        for known in (*identity.logo_hashes, *official_logos)
    ]
    if distances and min(distances)[0] <= LOGO_MAX_DISTANCE:
        distance, logo = min(distances)
        components["logo"] = (LOGO_POINTS, f"{logo:016x}（相差 {distance} 位）")
    return components
