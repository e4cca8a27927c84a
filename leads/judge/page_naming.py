"""Whether a page takes a platform's name as its own, rather than naming it in running text.

A lookalike calls itself by the platform's name: a part of its <title> is the name (filler words
such as 首页 or 官网 aside, a few edits allowed for a long one), or the name stands as a line of
its own (a heading, card or nav item). A page that only talks about the platform has the name
inside longer lines. Page similarity counts the first and keeps the second as a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz.distance import Levenshtein

from keywords import Platform
from leads.judge.normalize import fold
from leads.judge.page_layout import PageLayout

MIN_FUZZY_LENGTH = 6  # a shorter name must be copied exactly to count as the page's own
NEAR_EDIT_SHARE = 10  # one edit per this many characters of the name is still a near copy
TITLE_COPY_POINTS = 40  # a part of the <title> is the platform's name (filler words aside)
TITLE_NEAR_POINTS = 25  # … within a few edits of it
STANDALONE_SHARE = 0.6  # a phrase filling this much of its line is a heading, not running text


def _without_filler(text: str, filler: tuple[str, ...]) -> str:
    for word in filler:
        text = text.replace(word, "")
    return re.sub(r"[\W_]+", "", text)


def own_name(
    parts: Iterable[str], phrases: Iterable[str], filler: tuple[str, ...]
) -> tuple[float, str] | None:
    """(points, phrase) when one of ``parts`` is one of the platform's names, filler aside."""
    best: tuple[float, str] | None = None
    for part in parts:
        bare = _without_filler(part, filler)
        for phrase in phrases:
            name = _without_filler(phrase, filler)
            if not bare or not name:
                continue
            if bare == name:
                return TITLE_COPY_POINTS, phrase
            limit = max(1, len(name) // NEAR_EDIT_SHARE)
            if len(name) >= MIN_FUZZY_LENGTH and Levenshtein.distance(bare, name) <= limit:
                best = best or (TITLE_NEAR_POINTS, phrase)
    return best


def stands_alone(phrase: str, lines: Iterable[str]) -> bool:
    """Is the phrase a line of its own (a heading, card, button, nav item), not running text?"""
    return any(
        phrase in line and len(phrase) >= STANDALONE_SHARE * len(line.strip()) for line in lines
    )


def platform_names(platform: Platform) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*platform.title_phrases, fold(platform.name))))


def self_naming(
    components: Mapping[str, tuple[float, str]], layout: PageLayout, platform: Platform
) -> str:
    """'页面以“…”自称（标题、页头）' when the page takes the platform's name as its own."""
    if "title_copy" not in components:
        return ""
    in_header = any(stands_alone(name, layout.header_lines) for name in platform_names(platform))
    return f"页面以“{components['title_copy'][1]}”自称（{'标题、页头' if in_header else '标题'}）"
