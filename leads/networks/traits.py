"""What one lead shows that another lead may share, and which of it may never join two leads.

A lead is read as ``LeadTraits``: its host, when it was seen, its page text (compared as a page
template, ``leads.networks.templates``) and its *shared values* — ``(kind, value)`` pairs that,
found on two leads, say one seller runs both:

- a contact (``leads.judge.contacts``): ``phone``, ``wechat``, ``qq``, ``email``, ``telegram`` and
  ``wechat_qr`` (the QR payload whole). A number is one value whatever it is labelled: 138… as a
  phone on one site and as a WeChat (微信同号) on another is the same seller. Masked numbers
  (``phone_masked:138****5678``) never join — the hidden digits may differ — and neither do ids
  inferred without a label (``wechat_bare:``), which may be a product code. Public contacts never
  join: a number or address on an official platform's own page is a hotline that every copy of
  that page repeats (``PublicTraits.contacts``; not any government page: a ministry's notice may
  quote a seller's number to warn people, and that number must still join the seller's sites).
- a logo (``logo``): the 64-bit average hash of one of the page's logo images (m006, computed by
  ``leads.judge.page_similarity.logo_hash``), the same hash on both leads. An official emblem never
  joins (within ``LOGO_MAX_DISTANCE`` bits of a logo seen on an official host or listed in
  platforms.toml: every lookalike copies it), nor a nearly blank image (fewer than
  ``MIN_LOGO_BITS`` set or unset bits say nothing of who drew it). The crawler hashes the logos
  of pages that resemble a platform (crawler/page_spider.py), so logos join lookalike sites.

Each kind says how it reads (``LINK_KINDS``) and how many sites may share one value before the
value is taken for a common one (``max_sites``): a stock image or a CMS's default icon is on
sites of many sellers; a phone number is never common in that way, however many sites show it.
A server address or a registrant (host facts, leads/hosting) is one more kind here: its values
go in ``LeadTraits.shared`` and its wording and cap in ``LINK_KINDS``; grouping needs no change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from leads.judge.page_identity import LOGO_MAX_DISTANCE

CONTACT_KINDS = ("phone", "wechat", "qq", "email", "telegram", "wechat_qr")
NUMBER_KINDS = ("phone", "wechat", "qq")  # a number under any of these labels is one value
LOGO_KIND = "logo"
TEMPLATE_KIND = "template"
LOGO_BITS = 64
MIN_LOGO_BITS = 6  # an average hash with fewer set (or unset) bits is a blank or a flat colour
MAX_LOGO_SITES = 12  # a logo on more sites than this is a stock image or a CMS icon


@dataclass(frozen=True)
class LinkKind:
    """How a kind of link reads on a network page (``{}`` is the shared value) and its cap."""

    label: str
    reason: str
    max_sites: int | None = None  # None: a value of this kind is never too common to join


LINK_KINDS = {
    "phone": LinkKind("电话", "共用电话 {}"),
    "wechat": LinkKind("微信", "共用微信 {}"),
    "qq": LinkKind("QQ", "共用QQ {}"),
    "email": LinkKind("邮箱", "共用邮箱 {}"),
    "telegram": LinkKind("Telegram", "共用Telegram {}"),
    "wechat_qr": LinkKind("微信二维码", "共用微信二维码 {}"),
    LOGO_KIND: LinkKind("标识图片", "共用标识图片（图像指纹 {}）", MAX_LOGO_SITES),
    TEMPLATE_KIND: LinkKind("页面模板", "页面模板相似 {}"),
}


@dataclass(frozen=True)
class LeadTraits:
    """One lead as grouping reads it."""

    lead_id: int
    host: str
    first_seen: str
    last_seen: str
    shared: tuple[tuple[str, str], ...]  # (kind, value) pairs another lead may show too
    text: str = ""  # the page's visible text, compared as a template


@dataclass(frozen=True)
class PublicTraits:
    """What the official platforms' pages show: never evidence that two leads are one seller."""

    contacts: frozenset[str] = frozenset()  # kind:value, as leads.judge.contacts writes them
    logos: frozenset[int] = frozenset()  # average hashes of official logos
    texts: tuple[str, ...] = ()  # official pages' texts: a copy of one is no seller's template


def contact_key(contact: str) -> tuple[str, str] | None:
    """``phone:138…`` → ``("phone", "138…")``; a number under a WeChat or QQ label keeps its kind
    but joins on its digits (see ``join_key``); None for a kind that never joins."""
    kind, _, value = contact.partition(":")
    return (kind, value) if kind in CONTACT_KINDS and value else None


def join_key(kind: str, value: str) -> tuple[str, str]:
    """What two shared values must both have to join: a number's digits, whatever its label."""
    if kind in NUMBER_KINDS and value.isdigit():
        return ("number", value)
    return (kind, value)


def shared_contacts(contacts: Iterable[str], public: Collection[str]) -> list[tuple[str, str]]:
    """The lead's contacts that may join it to another lead: no masked or inferred ones, none that
    an official page shows (compared on the join key, so an official phone is no WeChat either)."""
    public_keys = {join_key(*key) for contact in public if (key := contact_key(contact))}
    found = [key for contact in contacts if (key := contact_key(contact))]
    return [key for key in dict.fromkeys(found) if join_key(*key) not in public_keys]


def is_official_logo(logo: int, official: Collection[int]) -> bool:
    return any(bin(logo ^ known).count("1") <= LOGO_MAX_DISTANCE for known in official)


def parse_logo(digest: object) -> int | None:
    """A stored average hash (16 hex digits) as a number; None for anything else."""
    text = str(digest)
    if len(text) != LOGO_BITS // 4:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


def shared_logos(hashes: Iterable[str], official: Collection[int]) -> list[tuple[str, str]]:
    """The lead's logo hashes that may join it: not an official emblem, not blank; a value that
    does not read as a hash is skipped (the page is hostile, the lead stays)."""
    found = []
    for digest in dict.fromkeys(hashes):
        logo = parse_logo(digest)
        if logo is None:
            continue
        bits = bin(logo).count("1")
        if (MIN_LOGO_BITS <= bits <= LOGO_BITS - MIN_LOGO_BITS
                and not is_official_logo(logo, official)):
            found.append((LOGO_KIND, str(digest).lower()))
    return found
