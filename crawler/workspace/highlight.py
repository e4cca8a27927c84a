"""The words to mark in a lead's page text: those its reasons name (the sales phrases, the
certificates, the contacts, the copied platform names — ``页面含办证推销用语：免考、包过`` and
``「官网可查」`` in the verdict's own reasons) and the words the analyst searched for. The text
is cut into plain and marked pieces; the template escapes both, so a seller's text stays text."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_SHOWN_CHARS = 30_000  # a page text longer than this is cut (the evidence folder has it all)
MIN_TERM, MAX_TERM = 2, 40
QUOTED = re.compile(r"「([^「」]+)」|“([^“”]+)”")
# A reason lists what it found after a label and a colon, separated by 、: ``提及证书：电工证、
# 焊工证（特种作业）``, ``页面仿冒 X（标题以平台名称自称：…；含查询表单：查询）``. A piece is a
# found word when it follows a colon or a 、 and is not itself a label (followed by a colon).
DELIMITERS = re.compile(r"([：；、（）])")
LISTING = ("：", "、")
WEIGHT_OR_ETC = re.compile(r"\s*\+\d+$|等$")
CONTACT_KIND = re.compile(r"^[a-z_]+:")


def reason_terms(reasons: Iterable[str]) -> list[str]:
    """The words the reasons say were found on the page, longest first."""
    terms: set[str] = set()
    for reason in reasons:
        terms.update(a or b for a, b in QUOTED.findall(reason))
        parts = DELIMITERS.split(QUOTED.sub("", reason))
        for index in range(2, len(parts), 2):
            after = parts[index + 1] if index + 1 < len(parts) else ""
            if parts[index - 1] not in LISTING or after == "：":
                continue
            item = parts[index].strip()
            while (shorter := WEIGHT_OR_ETC.sub("", item).strip()) != item:
                item = shorter
            item = CONTACT_KIND.sub("", item)
            if MIN_TERM <= len(item) <= MAX_TERM:
                terms.add(item)
    return sorted(terms, key=lambda term: (-len(term), term))


def marked_pieces(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` (cut to MAX_SHOWN_CHARS) as (piece, is_match) pairs; case is ignored."""
    shown = text[:MAX_SHOWN_CHARS]
    words = [term for term in terms if term.strip()]
    if not words:
        return [(shown, False)]
    pattern = re.compile("|".join(re.escape(word) for word in
                                  sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in pattern.finditer(shown):
        if match.start() > at:
            pieces.append((shown[at:match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(shown):
        pieces.append((shown[at:], False))
    return pieces
