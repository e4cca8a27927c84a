"""The plain word lists: certificate names, discussion words and filter-dodging spellings.

Each is one TSV read as it is (``keywords.load.read_tsv``); the sales phrases, which must stand
for a known concept, are in ``keywords.concepts``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CertificateTerm:
    """A certificate name sellers advertise (certificates.tsv)."""

    term: str
    family: str
    agency: str
    weight: int
    query: bool
    meaning: str


@dataclass(frozen=True)
class NegativeTerm:
    """A word of texts that discuss fakes without selling them (negative_context.tsv)."""

    term: str
    weight: int
    tag: str
    meaning: str


@dataclass(frozen=True)
class EvasionVariant:
    """A filter-dodging spelling and the canonical word it stands for (evasion_variants.tsv)."""

    variant: str
    canonical: str
    meaning: str


@dataclass(frozen=True)
class SoundGroup:
    """Characters of one syllable that sellers swap for each other (sound_groups.tsv); the first
    is the group's key."""

    syllable: str
    characters: str
    meaning: str


@dataclass(frozen=True)
class SoundAlikeWord:
    """A word restored when spelt with sound-alike characters (``use`` fold), or a real word
    that sounds like one and must stay as written (``use`` keep) (sound_alike_words.tsv)."""

    term: str
    use: str
    meaning: str
