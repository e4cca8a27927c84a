"""Concepts: what the text scorer looks for, their patterns and the sales phrases naming them.

concept_names.tsv names each concept and its role; concepts.tsv gives its patterns, which refer to
word_classes.tsv as {NAME} and to gaps as {Gn}; fraud_signals.tsv gives finished wordings. Every
pattern is expanded, compiled and checked against its own example here, at load time, and comes
with the characters any match needs, so the scorer can skip patterns a text cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keywords.load import normalize_term, read_tsv_lines
from keywords.regex_factors import factor_sets
from keywords.terms import CertificateTerm

# What the text scorer does with each role of concept (keywords/concept_names.tsv explains them).
CONCEPT_ROLES = ("claim", "offer", "certificate", "document", "reported")
# {NAME} in a concept pattern; {G12} is a gap of up to 12 characters inside one sentence.
CLASS_REFERENCE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
GAP_CLASS = re.compile(r"G([1-9][0-9]?)")
SENTENCE_END = "。!?;\n"
PLAIN_WORDS = re.compile(r"[^\\()\[\]{}.*+?^$|]+(?:\|[^\\()\[\]{}.*+?^$|]+)*")


@dataclass(frozen=True)
class FraudSignal:
    """A sales phrase only a fake-certificate seller can promise (fraud_signals.tsv): one finished
    wording of a concept."""

    term: str
    weight: int
    concept: str
    query: bool
    meaning: str


@dataclass(frozen=True)
class ConceptName:
    """A concept the text scorer knows, its role and the label reasons show (concept_names.tsv)."""

    concept: str
    role: str
    label: str
    meaning: str


@dataclass(frozen=True)
class ConceptPattern:
    """One way of saying a concept, as written in concepts.tsv."""

    concept: str
    pattern: str
    weight: int
    meaning: str
    example: str


@dataclass(frozen=True)
class WordClass:
    """A named alternation concept patterns refer to as {NAME} (word_classes.tsv)."""

    name: str
    pattern: str
    meaning: str


@dataclass(frozen=True)
class Concept:
    """A concept pattern ready to match: classes expanded, compiled, example checked."""

    name: str
    role: str
    label: str
    weight: int
    regex: re.Pattern[str]
    source: str  # "concepts.tsv:LINE", for the editor who wants to change it
    # Sets of strings; every match holds at least one string of each set (none: not known),
    # most selective first (keywords.regex_factors). A text missing a set is not searched with
    # the pattern: most texts skip most patterns this way.
    required: tuple[frozenset[str], ...]


def load_concept_names(path: Path) -> dict[str, ConceptName]:
    names = {}
    for where, name in read_tsv_lines(path, ConceptName):
        if name.role not in CONCEPT_ROLES:
            raise ValueError(f"{where}: role must be one of {', '.join(CONCEPT_ROLES)}")
        names[name.concept] = name
    return names


def _known_concept(concept: str, names: Mapping[str, ConceptName], where: str) -> None:
    if concept not in names:
        raise ValueError(f"{where}: unknown concept {concept!r} (not in concept_names.tsv)")


def _compiled(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(f"{where}: bad regular expression: {error}") from None


def _word_classes(path: Path, certificates: tuple[CertificateTerm, ...]) -> dict[str, str]:
    """Class name → pattern; CERT also names every certificate term. A class that is a plain
    list of words becomes a trie (电(?:工证|梯证)…): the regex engine then tries a few
    characters at each position instead of every word."""
    classes = {}
    for where, word_class in read_tsv_lines(path, WordClass):
        if GAP_CLASS.fullmatch(word_class.name):
            raise ValueError(f"{where}: {word_class.name} is reserved for gaps ({{Gn}})")
        classes[word_class.name] = _compiled(word_class.pattern, where).pattern
    if "CERT" not in classes:
        raise ValueError(f"{path.name}: missing class CERT")
    terms = [re.escape(entry.term) for entry in certificates]
    classes["CERT"] = "|".join([*terms, classes["CERT"]])
    return {
        name: _trie_pattern(pattern.split("|")) if PLAIN_WORDS.fullmatch(pattern) else pattern
        for name, pattern in classes.items()
    }


def _trie_pattern(words: list[str]) -> str:
    """One regex matching exactly the given words, common prefixes shared."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word.replace("\\", ""):
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a word

    def branches(node: dict[str, Any]) -> list[str]:
        return [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]

    def emit(node: dict[str, Any]) -> str:
        found = branches(node)
        if not found:
            return ""
        body = found[0] if len(found) == 1 else f"(?:{'|'.join(found)})"
        if "" in node:
            return f"(?:{body})?" if len(found) == 1 else f"{body}?"
        return body

    return "|".join(branches(trie))  # the root's words need no group of their own


def _expand(pattern: str, classes: Mapping[str, str], where: str) -> str:
    """``pattern`` with its {NAME} classes and {Gn} gaps spelled out.

    A class that is a whole alternative of a group, as in ``({CERT}|证)``, is spliced in as
    more alternatives of that group rather than nested in a group of its own: a pattern that
    starts with a group whose alternatives all start with a character lets the regex engine
    skip every position holding none of those characters, instead of trying each one.
    """
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        gap = GAP_CLASS.fullmatch(name)
        if gap:
            return f"[^{SENTENCE_END}]{{0,{gap.group(1)}}}"
        if name not in classes:
            raise ValueError(f"{where}: unknown class {{{name}}} (not in word_classes.tsv)")
        before, after = pattern[match.start() - 1 : match.start()], pattern[match.end() :][:1]
        alternative = before in ("(", "|") and after in ("|", ")") and not _escaped(pattern, match)
        return classes[name] if alternative else f"(?:{classes[name]})"

    return CLASS_REFERENCE.sub(replace, pattern)


def _escaped(pattern: str, match: re.Match[str]) -> bool:
    """Whether the character before ``match`` is escaped (\\( is a bracket, not a group)."""
    backslashes = len(pattern[: match.start() - 1]) - len(pattern[: match.start() - 1].rstrip("\\"))
    return backslashes % 2 == 1


def load_concepts(
    directory: Path, certificates: tuple[CertificateTerm, ...], names: Mapping[str, ConceptName]
) -> tuple[Concept, ...]:
    """concepts.tsv, each pattern expanded, compiled and checked against its own example."""
    classes = _word_classes(directory / "word_classes.tsv", certificates)
    concepts = []
    for where, entry in read_tsv_lines(directory / "concepts.tsv", ConceptPattern, unique=False):
        _known_concept(entry.concept, names, where)
        regex = _compiled(_expand(entry.pattern, classes, where), where)
        if not regex.search(normalize_term(entry.example)):
            raise ValueError(f"{where}: the example {entry.example!r} does not match the pattern")
        name = names[entry.concept]
        concepts.append(
            Concept(
                name.concept, name.role, name.label, entry.weight, regex, where, factor_sets(regex)
            )
        )
    return tuple(concepts)


def load_fraud_signals(path: Path, names: Mapping[str, ConceptName]) -> tuple[FraudSignal, ...]:
    signals = []
    for where, signal in read_tsv_lines(path, FraudSignal):
        _known_concept(signal.concept, names, where)
        if names[signal.concept].role not in ("claim", "offer"):
            raise ValueError(f"{where}: a sales phrase must stand for a claim or offer concept")
        signals.append(signal)
    return tuple(signals)
