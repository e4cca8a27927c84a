"""Fold text into one comparable form so a single keyword list catches every spelling.

Sellers dodge filters with full-width letters, traditional characters, zero-width characters,
emoji and separators inside words (办 证, 办-证, 办*证), homophones (半证, V信) and pinyin
(bz, mian kao, bàn zhèng). Some sites print traditional script with pinyin after the
characters, 電工證(zhèng)官網(wǎng)可查(chá): the bracketed syllables are dropped, and tone marks
become plain letters, so that text folds like any other spelling. ``fold`` undoes all of these
with precompiled tables and regexes (fast enough for 200k chars). Enclosed ideographs (🈚 = 無)
are decomposed by NFKC before emoji are removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import ahocorasick
import opencc

from keywords import EvasionVariant, load_library

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
INVISIBLE_AND_EMOJI = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f\u20e3"
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff"
    "\U0001f000-\U0001faff\U000e0000-\U000e007f\u0300-\u036f"
    "\u3105-\u312f\u31a0-\u31bf\u02c7\u02ca\u02cb\u02d9]"  # zhuyin annotations (電ㄉㄧㄢˋ工證)
)
# A short quotation in straight quotes ("包过") is given curly ones before separators go, so it
# stays a quotation (leads.judge.text_voice reads only curly ones) and its quote marks are not
# dropped as separators.
STRAIGHT_QUOTATION = re.compile(r'"([^"]{1,20})"')
# Also the symbols sellers put inside words (办※证, 免丨考, 电—工) and empty brackets (办()证).
SEPARATORS = r"(?:[\s\-_*·•・.|/\\~+#^=`'\"※丨—–―°〓ㄧ×〰‖¦╳∙‧⋅∷ˉ¯‐‑‒]|\(\)|\[\])+"
# A separator run is dropped between two CJK characters or between CJK and a Latin letter
# ("v 信"), never between digits, so phone numbers and dates keep their shape.
SEPARATOR_INSIDE_WORD = re.compile(
    rf"(?<=[{CJK}]){SEPARATORS}(?=[{CJK}a-z])|(?<=[a-z]){SEPARATORS}(?=[{CJK}])"
)
# A pinyin syllable in brackets right after a character (證(zhèng), 查(cha2)): an annotation.
# Only syllable-shaped contents go, so 联系(qq) and 电话(tel) keep their label.
PINYIN_SYLLABLE = "(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvü]{1,3}(?:ng|n|r)?[1-5]?"
# Jyutping (Cantonese romanisation) is printed the same way, each syllable with its tone digit
# (唔使(m4 sai2), 搞掂(gaau2 dim6)); syllables may stand apart (代辦(dài bàn)).
JYUTPING_SYLLABLE = "(?:(?:ng|gw|kw|[bpmfdtnlgkhwzcsj])?[aeiouy]{1,3}(?:ng|[ptkmniu])?|m|ng)[1-6]"
ANNOTATION_SYLLABLE = f"(?:{JYUTPING_SYLLABLE}|{PINYIN_SYLLABLE})"
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[{CJK}])\({ANNOTATION_SYLLABLE}(?: ?{ANNOTATION_SYLLABLE}){{0,5}}\)"
)
TONED, PLAIN = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ", "aaaaeeeeiiiioooouuuuvvvvvnnn"
TONE_MARKS = str.maketrans(TONED, PLAIN)
# OpenCC's own t2s character table, applied with str.translate: the phrase-level OpenCC
# converter takes ~0.7 s per 200k characters, the table a few milliseconds.
OPENCC_T2S_CHARACTERS = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in OPENCC_T2S_CHARACTERS.read_text(encoding="utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        if len(traditional) == 1 and simplified:
            table[ord(traditional)] = simplified.split()[0]
    return table


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _continues_id(char: str) -> bool:
    """Whether ``char`` continues a Latin word or id (bzip, dgz_2024, kz-v668)."""
    return char in ID_CHARACTERS


ID_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


class Folder:
    """Precompiled folding for one set of evasion variants."""

    def __init__(self, variants: Iterable[EvasionVariant]) -> None:
        t2s = _t2s_table()
        # One table for simplified script and plain vowels; upper-case toned vowels (Ā) are
        # mapped too, so that lower() after it leaves no tone mark behind.
        self._characters = {**t2s, **TONE_MARKS, **{
            ord(char.upper()): plain for char, plain in zip(TONED, PLAIN, strict=True)
            if char.upper() != char
        }}
        self._canonical = {self._fold_spelling(v.variant): v.canonical for v in variants}
        # Variants are found by one Aho–Corasick pass; where several start at one place the
        # longest whose Latin edges stand apart from a longer word wins (bzip ≠ bz).
        self._variants = ahocorasick.Automaton()
        for variant in self._canonical:
            self._variants.add_word(variant, variant)
        self._variants.make_automaton()

    def _fold_spelling(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        text = INVISIBLE_AND_EMOJI.sub("", text).translate(self._characters).lower()
        if "(" in text:
            text = PINYIN_ANNOTATION.sub("", text)
        if '"' in text:
            text = STRAIGHT_QUOTATION.sub(r"“\1”", text)
        return SEPARATOR_INSIDE_WORD.sub("", text)

    def _replace_variants(self, text: str) -> str:
        """``text`` with every variant spelled canonically, leftmost first, then longest."""
        found = sorted(
            ((end + 1 - len(variant), -len(variant), variant)
             for end, variant in self._variants.iter(text)),
        )
        pieces: list[str] = []
        done = 0
        for start, _, variant in found:
            end = start + len(variant)
            if start < done or not self._stands_apart(text, start, end):
                continue
            pieces += (text[done:start], self._canonical[variant])
            done = end
        return "".join(pieces) + text[done:] if pieces else text

    @staticmethod
    def _stands_apart(text: str, start: int, end: int) -> bool:
        """Whether a variant's Latin edges do not continue a longer Latin word or id."""
        if _is_ascii_word_char(text[start]) and start and _continues_id(text[start - 1]):
            return False
        return not (
            _is_ascii_word_char(text[end - 1]) and end < len(text) and _continues_id(text[end])
        )

    def __call__(self, text: str) -> str:
        folded = self._fold_spelling(text)
        canonical = self._replace_variants(folded)
        # Pinyin written as separate words ("buyong kaoshi") becomes CJK only now.
        return canonical if canonical == folded else SEPARATOR_INSIDE_WORD.sub("", canonical)


@cache
def _default_folder() -> Folder:
    return Folder(load_library().evasion_variants)


def fold(text: str) -> str:
    """Text in matching form (NFKC, simplified, lower case, no invisibles, canonical variants)."""
    return _default_folder()(text)
