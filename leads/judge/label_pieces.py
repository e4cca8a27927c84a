"""Labels cut into pieces, runs and known words, and the official spellings a typosquat bends.

The lookalike signals never compare whole host names: they read a label's hyphen pieces, the runs
of consecutive pieces (cx-rnem-gov → cxrnem), the known words a piece is made of, and, for the
edit distance, the pigeonhole pieces of each official spelling (a spelling within k edits of one
holds one of its k + 1 pieces whole), which keep the distance for the few labels that can be near.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import NamedTuple

from keywords import Platform

PIECE_SEPARATOR = re.compile(r"[-_]")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")
ALPHANUMERIC = re.compile(r"[a-z0-9]*")
TYPO_KEY_MIN_LENGTH = 5


class TypoKey(NamedTuple):
    spelling: str
    host: str
    allowed: int  # edits tolerated


def any_piece(pieces: list[str], between: str = "") -> re.Pattern[str]:
    """Finds any of ``pieces`` (``between`` its letters); finds everywhere if one is empty."""
    spread = sorted({between.join(piece) for piece in pieces})
    return re.compile("|".join(spread) if all(pieces) else "")


def key_pieces(key: str, typo: TypoKey) -> list[str]:
    """``typo.allowed`` + 1 pieces of ``key``, of near-equal length, a letter apart from each other.

    One edit (even a transposition, which spans a gap only by also deleting it) spoils at most
    one piece, so a spelling within ``typo.allowed`` edits of ``key`` holds at least one whole.
    An empty piece (a key too short for the filter) is returned as such.
    """
    size, longer = divmod(len(key) - typo.allowed, typo.allowed + 1)
    starts = [index * (size + 1) + min(index, longer) for index in range(typo.allowed + 1)]
    return [key[start : start + size + (index < longer)] for index, start in enumerate(starts)]


def compact_form(text: str) -> str:
    plain = text.replace("-", "").replace("_", "").replace(".", "")  # 5× faster than the regex
    return plain if ALPHANUMERIC.fullmatch(plain) else NOT_ALPHANUMERIC.sub("", plain)


def typo_spellings(platform: Platform, fillers: frozenset[str]) -> list[tuple[str, str]]:
    """Spellings a typosquat bends: each official host without gov/cn/www, and its long labels."""
    keys = []
    for host in platform.hosts:
        labels = [label for label in host.split(".") if label not in {"gov", *fillers}]
        keys.append((compact_form("".join(labels)), platform.main_host))
        keys.extend((compact_form(label), platform.main_host) for label in labels)
    return [(key, host) for key, host in keys if len(key) >= TYPO_KEY_MIN_LENGTH]


def segment(piece: str, words: frozenset[str], longest: int) -> list[str] | None:
    """Split ``piece`` wholly into known words and digit runs (fewest parts), or None.

    Whole-piece segmentation keeps "memory" and "cxmotors" from yielding "mem" or "cx".
    """
    best: list[list[str] | None] = [[]] + [None] * len(piece)
    for start in range(len(piece)):
        prefix = best[start]
        if prefix is None:
            continue
        for end in range(start + 1, len(piece) + 1):
            part = piece[start:end]
            if part in words or part.isdigit():
                candidate = [*prefix, part]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
            elif end - start >= longest and not part[0].isdigit():
                break
    return best[-1]


def piece_runs(label: str) -> set[str]:
    """Every run of consecutive hyphen pieces, joined: cx-rnem-gov → cx, cxrnem, cxrnemgov, …"""
    return set(piece_runs_of([piece for piece in PIECE_SEPARATOR.split(label) if piece]))


def hyphen_runs(pieces: list[str]) -> list[str]:
    """Every run of consecutive pieces, hyphen-joined: cnse, cnse-e, cnse-e-cq5, e, e-cq5, cq5."""
    if len(pieces) == 1:
        return pieces
    return ["-".join(pieces[start:end]) for start, end in combinations(range(len(pieces) + 1), 2)]


def piece_runs_of(pieces: list[str]) -> list[str]:
    if len(pieces) == 1:
        return pieces
    return ["".join(pieces[start:end]) for start, end in combinations(range(len(pieces) + 1), 2)]
