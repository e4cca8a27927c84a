"""What the crawler searches for: "certificate signal" queries composed from the library, and the
search intents people type after a certificate name (intents.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from keywords.load import DEFAULT_DIRECTORY, read_tsv_lines
from keywords.terms import CertificateTerm

if TYPE_CHECKING:  # keywords/__init__.py imports this module to offer compose_queries
    from keywords import KeywordLibrary

INTENT_KINDS = ("obtain", "verify")


def _round_robin_by_family(certificates: list[CertificateTerm]) -> list[CertificateTerm]:
    """Interleave certificates family by family so consecutive entries name different families."""
    by_family: dict[str, list[CertificateTerm]] = {}
    for certificate in certificates:
        by_family.setdefault(certificate.family, []).append(certificate)
    groups = list(by_family.values())
    return [
        group[rank]
        for rank in range(max(map(len, groups), default=0))
        for group in groups
        if rank < len(group)
    ]


def compose_queries(library: KeywordLibrary, limit: int | None = None) -> list[str]:
    """Search queries "certificate signal" over the query-flagged entries, most diverse first.

    Pairs are enumerated along diagonals (certificate i with signal i + shift), so the first
    ``len(certificates)`` queries already name every family and rotate through the signals.
    """
    certificates = _round_robin_by_family([c for c in library.certificates if c.query])
    signals = [s.term for s in library.fraud_signals if s.query]
    queries = [
        f"{certificate.term} {signals[(index + shift) % len(signals)]}"
        for shift in range(len(signals))
        for index, certificate in enumerate(certificates)
    ]
    return queries if limit is None else queries[: max(limit, 0)]


@dataclass(frozen=True)
class SearchIntent:
    """What people type after a certificate name to get one or to check one (intents.tsv)."""

    term: str
    intent: str
    meaning: str


def load_intents(directory: Path | None = None) -> tuple[SearchIntent, ...]:
    """intents.tsv from ``directory`` (default: this package), each intent kind checked."""
    path = Path(directory or DEFAULT_DIRECTORY) / "intents.tsv"
    intents = []
    for where, entry in read_tsv_lines(path, SearchIntent):
        if entry.intent not in INTENT_KINDS:
            raise ValueError(f"{where}: intent must be one of {', '.join(INTENT_KINDS)}")
        intents.append(entry)
    return tuple(intents)
