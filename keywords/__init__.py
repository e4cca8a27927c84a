"""Load the keyword library: the data files in this directory, checked and typed.

Behaviour changes by editing the data files (see README.md), not code. Terms are stored
NFKC-normalised and lower-cased, the way ``leads.judge.normalize.fold`` leaves page text. A bad line
fails with ``ValueError("file.tsv:LINE: …")`` so the editor knows where to look.

This module is the package's public face: callers import from ``keywords``; each data family is
read in its own module (``load`` holds the file rules they share).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from keywords.concepts import (
    SENTENCE_END,
    Concept,
    ConceptName,
    FraudSignal,
    load_concept_names,
    load_concepts,
    load_fraud_signals,
)
from keywords.load import DEFAULT_DIRECTORY, read_tsv
from keywords.platforms import GenericVocabulary, Platform, load_platforms, read_platform_tables
from keywords.queries import SearchIntent, compose_queries, load_intents
from keywords.review_words import UNCHANGED, ReviewWord, load_review_words
from keywords.routing import Routing, RoutingRule, load_routing
from keywords.terms import CertificateTerm, EvasionVariant, NegativeTerm

__all__ = [
    "DEFAULT_DIRECTORY",
    "SENTENCE_END",
    "UNCHANGED",
    "CertificateTerm",
    "Concept",
    "ConceptName",
    "EvasionVariant",
    "FraudSignal",
    "GenericVocabulary",
    "KeywordLibrary",
    "NegativeTerm",
    "Platform",
    "ReviewWord",
    "Routing",
    "RoutingRule",
    "SearchIntent",
    "compose_queries",
    "load_intents",
    "load_library",
    "load_review_words",
]

# jieba frequencies for the generated user dictionary: short words get a low one so jieba
# still prefers real surrounding words (打包/过来 over 打/包过/来), so a boundary check can
# reject them.
SHORT_WORD_FREQUENCY = 50
LONG_WORD_FREQUENCY = 2000
SHORT_WORD_LENGTH = 2


@dataclass(frozen=True)
class KeywordLibrary:
    """Everything in ``keywords/``, loaded and checked."""

    directory: Path
    certificates: tuple[CertificateTerm, ...]
    fraud_signals: tuple[FraudSignal, ...]
    negative_context: tuple[NegativeTerm, ...]
    evasion_variants: tuple[EvasionVariant, ...]
    concept_names: Mapping[str, ConceptName]
    concepts: tuple[Concept, ...]
    platforms: tuple[Platform, ...]
    generic: GenericVocabulary
    homoglyphs: Mapping[str, str]
    routing: Routing
    # platforms.toml as parsed, keys checked: for the keys Platform does not carry (distinctive
    # labels, synonym groups, typo glyphs, identity lines such as 主办单位 and 政府网站标识码)
    platform_tables: Mapping[str, Any]

    def user_dictionary_lines(self) -> list[str]:
        """jieba user-dictionary lines (``word freq``) for the terms jieba can keep whole."""
        words = dict.fromkeys(
            [entry.term for entry in self.certificates]
            + [entry.term for entry in self.fraud_signals]
            + [entry.term for entry in self.negative_context]
            + [entry.canonical for entry in self.evasion_variants]
        )
        return [
            f"{word} {_jieba_frequency(word)}"
            for word in words
            if all(char.isalnum() for char in word)
        ]


def _jieba_frequency(word: str) -> int:
    return SHORT_WORD_FREQUENCY if len(word) <= SHORT_WORD_LENGTH else LONG_WORD_FREQUENCY


def _load(directory: Path) -> KeywordLibrary:
    platform_tables = read_platform_tables(directory / "platforms.toml")
    platforms, generic, homoglyphs = load_platforms(platform_tables, "platforms.toml")
    certificates = read_tsv(directory / "certificates.tsv", CertificateTerm)
    names = load_concept_names(directory / "concept_names.tsv")
    return KeywordLibrary(
        directory=directory,
        certificates=certificates,
        fraud_signals=load_fraud_signals(directory / "fraud_signals.tsv", names),
        negative_context=read_tsv(directory / "negative_context.tsv", NegativeTerm),
        evasion_variants=read_tsv(directory / "evasion_variants.tsv", EvasionVariant),
        concept_names=names,
        concepts=load_concepts(directory, certificates, names),
        platforms=platforms,
        generic=generic,
        homoglyphs=homoglyphs,
        routing=load_routing(directory / "routing.toml"),
        platform_tables=platform_tables,
    )


@cache
def _load_default() -> KeywordLibrary:
    return _load(DEFAULT_DIRECTORY)


def load_library(directory: Path | None = None) -> KeywordLibrary:
    """Load the library from ``directory`` (default: this package, loaded once and cached)."""
    return _load_default() if directory is None else _load(Path(directory))
