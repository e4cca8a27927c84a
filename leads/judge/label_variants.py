"""Every spelling one typo, one or two look-alike glyphs, or one hyphen away from an official label.

dnstwist in reverse: instead of generating names and resolving them, the domain scorer builds, once,
each spelling a distinctive official label (e-cqs, zlaq, mohurd, cnse, cx-mem) bends into, tagged
with the kind of bend as dnstwist tags its fuzzers, and looks a host's labels up in that table — a
dict hit per label, so a feed of millions costs nothing extra.

Which bends count depends on the label's length. A label of 5+ letters (mohurd, cx-mem) takes any
single edit. A 4-letter one (zlaq, cnse, ecqs) takes only the edits a hand or a machine makes by
mistake — a key's neighbour on a QWERTY, QWERTZ or AZERTY keyboard, a flipped bit, a vowel for a
vowel, a doubled letter, swapped neighbours, any character appended, a look-alike glyph — because an
arbitrary letter for a letter turns "cnse" into the word "case", and a dropped letter leaves a
three-letter name (cns, zla) that is someone else's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
VOWELS = "aeiou"
SHORT_LABEL = 4  # letters (hyphens not counted) up to which only typing mistakes count
MIN_VARIANT_LENGTH = 4  # characters: shorter spellings are other people's names
# Keyboard rows, top to bottom, of the three layouts dnstwist models; each row sits half a key to
# the right of the one above, so a key's neighbours are beside it, above it and above-right, below
# it and below-left.
KEYBOARDS = (
    ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"),  # QWERTY
    ("1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"),  # QWERTZ (German)
    ("1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"),  # AZERTY (French)
)
VARIANT_KINDS = {  # dnstwist's fuzzer names, and what each means to an analyst
    "homoglyph": "形近字符",
    "hyphenation": "连字符增删",
    "repetition": "重复一个字母",
    "transposition": "相邻字母对调",
    "omission": "漏一个字母",
    "insertion": "多一个字符",
    "replacement": "换一个字符",
    "subdomain": "用点拆开",  # only for a host's labels read joined, never generated here
}


class Variant(NamedTuple):
    """A bent spelling of ``official`` (a label of ``target``), and how it was bent."""

    official: str
    target: str
    kind: str  # a key of VARIANT_KINDS
    change: str  # what changed, e.g. "s→5"

    @property
    def detail(self) -> str:
        change = f" {self.change}" if self.change else ""
        return f"{VARIANT_KINDS[self.kind]}{change}（{self.kind}）"


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    """Each key of a keyboard and the keys a finger aiming at it may hit instead."""
    around = ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0))
    return {
        key: "".join(
            rows[row + down][column + right]
            for down, right in around
            if 0 <= row + down < len(rows) and 0 <= column + right < len(rows[row + down])
        )
        for row, keys in enumerate(rows)
        for column, key in enumerate(keys)
    }


NEIGHBOURS = tuple(map(_neighbours, KEYBOARDS))


def _typo_letters(char: str, short: bool) -> str:
    """Characters a mistyped ``char`` becomes: any, or for a short label only a neighbouring key,
    a one-bit flip (as in memory or on the wire) or another vowel."""
    if not short:
        return ALPHABET
    neighbours = "".join(keyboard.get(char, "") for keyboard in NEIGHBOURS)
    flips = "".join(chr(ord(char) ^ (1 << bit)) for bit in range(8))
    vowels = VOWELS if char in VOWELS else ""
    return "".join(dict.fromkeys(c for c in neighbours + flips + vowels if c in ALPHABET))


def _edits(label: str) -> Iterator[tuple[str, str, str]]:
    """(spelling, kind, change) for every single edit of ``label`` the length rule allows."""
    short = len(label.replace("-", "")) <= SHORT_LABEL
    for index, char in enumerate(label):
        before, after = label[:index], label[index + 1 :]
        if char == "-":
            yield before + after, "hyphenation", "去掉 -"
        else:
            yield before + char + char + after, "repetition", f"{char}{char}"
            yield before + after, "omission", f"少 {char}"
        if index + 1 < len(label):
            swapped = before + label[index + 1] + char + label[index + 2 :]
            yield swapped, "transposition", f"{char}{label[index + 1]}→{label[index + 1]}{char}"
        for letter in _typo_letters(char, short):
            yield before + letter + after, "replacement", f"{char}→{letter}"
    for index in range(1, len(label)):
        yield label[:index] + "-" + label[index:], "hyphenation", "加 -"
    for index in range(len(label) + 1):
        around = label[max(0, index - 1) : index + 1]
        at_end = index == len(label) or label[index] == "-"  # dnstwist's "addition"
        letters = (
            ALPHABET
            if not short or at_end
            else "".join(_typo_letters(char, True) for char in around)
        )
        for letter in dict.fromkeys(letters):
            yield label[:index] + letter + label[index:], "insertion", f"加 {letter}"


def _glyph_swaps(label: str, glyphs: Mapping[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
    """(spelling, change) with one letter replaced by a look-alike (m→rn, s→5, z→2)."""
    for index, char in enumerate(label):
        for glyph in glyphs.get(char, ()):
            yield label[:index] + glyph + label[index + 1 :], f"{char}→{glyph}"


def _is_label(text: str) -> bool:
    return (
        len(text) >= MIN_VARIANT_LENGTH
        and not text.startswith("-")
        and not text.endswith("-")
        and all(char in ALPHABET or char == "-" for char in text)
    )


def build_variants(
    labels: Iterable[tuple[str, str]], glyphs: Mapping[str, Iterable[str]]
) -> dict[str, Variant]:
    """spelling → Variant for every official ``(label, target)``; the first label listed keeps a
    spelling two labels share, and official spellings themselves are never variants."""
    labels = list(labels)
    official = {label for label, _ in labels}
    table: dict[str, Variant] = {}
    for label, target in labels:
        once = list(_glyph_swaps(label, glyphs))
        twice = [
            (spelling, f"{first}，{second}")
            for swapped, first in once
            for spelling, second in _glyph_swaps(swapped, glyphs)
        ]
        bends = [(s, "homoglyph", c) for s, c in once + twice]
        bends += sorted(_edits(label), key=lambda bend: list(VARIANT_KINDS).index(bend[1]))
        for spelling, kind, change in bends:
            if spelling not in official and _is_label(spelling):
                table.setdefault(spelling, Variant(label, target, kind, change))
    return table
