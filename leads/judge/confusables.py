"""Undo look-alike characters, so cx-rnem, m0hurd and Cyrillic сх-mem read as official names.

The table is data (``[homoglyphs]`` in keywords/platforms.toml). Single non-ASCII letters are mapped
after NFKD has dropped accents (mém → mem); multi-letter and digit swaps (rn → m, vv → w, 0 → o,
1 → l) are undone everywhere. The result is a *skeleton* used only for comparing spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping


class Confusables:
    """A homoglyph table, compiled: ``skeleton(label)`` gives the plain-letter reading."""

    def __init__(self, homoglyphs: Mapping[str, str]) -> None:
        letters = {key: value for key, value in homoglyphs.items() if not key.isascii()}
        self.letters = str.maketrans(letters)
        swaps = {key: value for key, value in homoglyphs.items() if key.isascii()}
        self.swaps = swaps
        self.swap_pattern = re.compile(
            "|".join(map(re.escape, sorted(swaps, key=len, reverse=True))) or "(?!)"
        )

    def has_swaps(self, text: str) -> bool:
        return self.swap_pattern.search(text) is not None

    def skeleton(self, text: str) -> str:
        """``text`` with look-alike letters replaced by the ASCII letters they imitate."""
        if not text.isascii():
            decomposed = unicodedata.normalize("NFKD", text.lower())
            text = "".join(c for c in decomposed if not unicodedata.combining(c))
            text = text.translate(self.letters)
        return self.swap_pattern.sub(lambda match: self.swaps[match.group(0)], text)
