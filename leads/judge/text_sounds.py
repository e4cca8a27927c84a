"""Restore whole words a seller spelt with sound-alike characters: 店工正 is 电工证, 安泉员证 is
安全员证, 官往可茶 is 官网可查.

The homophone rules of ``leads.judge.text_respell`` fix one character where its neighbours say
which word is meant; a seller who swaps any character of a card's name for any other of the same
syllable needs a rule per character. Here the words themselves are the unit: every character is
read as its syllable (keywords/sound_groups.tsv), and where a run of syllables spells a word of
the library (every certificate name of three characters or more, every sales phrase of four or
more, and keywords/sound_alike_words.tsv), the run becomes that word. At most half of a word's
characters may differ, and real words that sound the same stay (``keep`` in
sound_alike_words.tsv), so 行车正常 stays "traffic is normal" and 家政 stays 家政. Each word is
restored character for character, so positions in the text do not move.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import ahocorasick

from keywords import load_library
from keywords.load import DEFAULT_DIRECTORY, read_tsv
from keywords.terms import SoundAlikeWord, SoundGroup
from leads.judge.normalize import fold

MIN_CERTIFICATE_CHARS = 3  # 电工证, 焊工证: distinctive from three syllables on
MIN_PHRASE_CHARS = 4  # 不考试 would catch 补考试题; 官网可查 is safe
# Two-character words (办证, 官网) are listed one by one in sound_alike_words.tsv, each with the
# real words of jieba's dictionary that sound the same as keep (tests/test_text_score.py checks).
USES = ("fold", "keep")
CARD = "证"
LONG_WORD = 4


class SoundFolder(NamedTuple):
    """The syllable table and the automata of words to restore and words to keep."""

    keys: dict[int, str]  # character → its group's key character (str.translate table)
    restore: ahocorasick.Automaton  # keyed word → the word
    keep: ahocorasick.Automaton | None  # real words that sound like one and stay

    def fold(self, text: str) -> str:
        """``text`` with sound-alike spellings of library words restored."""
        keyed = text.translate(self.keys)
        if keyed == text:
            return text
        found = []  # (start, end, word) of words spelt with at most half their sounds swapped
        for last, word in self.restore.iter(keyed):
            start, end = last - len(word) + 1, last + 1
            original = text[start:end]
            if original != word:
                differing = sum(a != b for a, b in zip(original, word, strict=True))
                if word.endswith(CARD) and original[-1] != CARD:
                    differing -= 1  # 正/政 for the card's 证 is every seller's swap, not a guess
                if differing <= _max_swaps(len(word)):
                    found.append((start, end, word))
        if not found:
            return text
        taken = _spans(self.keep, text) if self.keep is not None else []
        chars = list(text)
        for start, end, word in sorted(found, key=lambda item: item[0] - item[1]):  # longest first
            if not any(s < end and start < e for s, e in taken):
                chars[start:end] = word
                taken.append((start, end))
        return "".join(chars)


def _max_swaps(length: int) -> int:
    """How many of a word's characters may be sound-alikes: half of a short word (店垫正 is no
    电工证); all but one of a word of four syllables or more, which no everyday text spells by
    chance (特肿做页 is 特种作业, 宝正可茶 is 保证可查)."""
    return length // 2 if length < LONG_WORD else length - 1


def _spans(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int]]:
    return [(end - len(word) + 1, end + 1) for end, word in automaton.iter(text)]


def _automaton(words: dict[str, str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, word in words.items():
        automaton.add_word(key, word)
    automaton.make_automaton()
    return automaton


def load_sound_folder(
    groups: tuple[SoundGroup, ...], words: tuple[SoundAlikeWord, ...], library_words: list[str]
) -> SoundFolder:
    """A folder from the syllable groups, the listed words and the library's own words."""
    keys: dict[int, str] = {}
    seen: set[str] = set()
    for group in groups:
        if seen.intersection(group.characters) or len(set(group.characters)) < len(
            group.characters
        ):
            raise ValueError(f"sound_groups.tsv: {group.syllable}: a character stands twice")
        seen.update(group.characters)
        keys.update((ord(char), group.characters[0]) for char in group.characters[1:])
    for entry in words:
        if entry.use not in USES:
            raise ValueError(f"sound_alike_words.tsv: use must be fold or keep, not {entry.use!r}")
    restore = [fold(entry.term) for entry in words if entry.use == "fold"] + library_words
    keep = [fold(entry.term) for entry in words if entry.use == "keep"]
    restore_by_key: dict[str, str] = {}
    for word in restore:
        restore_by_key.setdefault(word.translate(keys), word)
    return SoundFolder(
        keys,
        _automaton(restore_by_key),
        _automaton({word: word for word in keep}) if keep else None,
    )


@cache
def default_sound_folder() -> SoundFolder:
    """The folder of the default keyword library."""
    library = load_library()
    library_words = [
        term
        for term in (fold(entry.term) for entry in library.certificates)
        if len(term) >= MIN_CERTIFICATE_CHARS
    ] + [
        term
        for term in (fold(entry.term) for entry in library.fraud_signals)
        if len(term) >= MIN_PHRASE_CHARS
    ]
    return load_sound_folder(
        read_tsv(DEFAULT_DIRECTORY / "sound_groups.tsv", SoundGroup),
        read_tsv(DEFAULT_DIRECTORY / "sound_alike_words.tsv", SoundAlikeWord),
        library_words,
    )


def restore_sound_alikes(folded: str) -> str:
    """Folded text with sound-alike spellings of the library's words restored."""
    return default_sound_folder().fold(folded)
