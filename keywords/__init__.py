"""Load the keyword library: the data files in this directory, checked and typed.

Behaviour changes by editing the data files (see README.md), not code. Terms are stored
NFKC-normalised and lower-cased, the way ``leads.normalize.fold`` leaves page text. A bad line
fails with ``ValueError("file.tsv:LINE: …")`` so the editor knows where to look.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

DEFAULT_DIRECTORY = Path(__file__).resolve().parent

# jieba frequencies for the generated user dictionary: short words get a low one so jieba
# still prefers real surrounding words (打包/过来 over 打/包过/来), so a boundary check can
# reject them.
SHORT_WORD_FREQUENCY = 50
LONG_WORD_FREQUENCY = 2000
SHORT_WORD_LENGTH = 2
# TSV columns holding matchable text: stored normalised like page text.
TERM_COLUMNS = frozenset({"term", "variant", "canonical"})

Entry = TypeVar("Entry")


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
class FraudSignal:
    """A sales phrase only a fake-certificate seller can promise (fraud_signals.tsv)."""

    term: str
    weight: int
    tag: str
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
class Platform:
    """An official verification platform and the fingerprint of its domain and pages."""

    key: str
    name: str
    agency: str
    hosts: tuple[str, ...]
    registered_domains: tuple[str, ...]
    default_target: bool
    title_phrases: tuple[str, ...]
    heading_phrases: tuple[str, ...]
    form_fields: tuple[str, ...]
    html_markers: tuple[str, ...]
    topic_phrases: tuple[str, ...]
    host_tokens: Mapping[str, int]
    pinyin_tokens: Mapping[str, int]

    @property
    def main_host(self) -> str:
        return self.hosts[0]


@dataclass(frozen=True)
class GenericVocabulary:
    """Domain tokens and page phrases shared by all platforms (platforms.toml ``[generic]``)."""

    filler_tokens: tuple[str, ...]
    claim_phrases: tuple[str, ...]
    query_buttons: tuple[str, ...]
    host_tokens: Mapping[str, int]
    pinyin_tokens: Mapping[str, int]


@dataclass(frozen=True)
class RoutingRule:
    """One routing rule: when all its conditions hold, the lead goes to its agencies."""

    name: str
    agencies: tuple[str, ...]
    why: str
    category: tuple[str, ...]
    contacts: bool | None
    marketplace: bool | None
    targets: tuple[str, ...]

    def applies(self, category: str, has_contacts: bool, on_marketplace: bool, target: str) -> bool:
        return (
            category in self.category
            and self.contacts in (None, has_contacts)
            and self.marketplace in (None, on_marketplace)
            and (not self.targets or target in self.targets)
        )


@dataclass(frozen=True)
class Routing:
    """Agencies in display order, marketplace domains and the rules (routing.toml)."""

    agency_order: tuple[str, ...]
    marketplace_domains: tuple[str, ...]
    rules: tuple[RoutingRule, ...]


@dataclass(frozen=True)
class KeywordLibrary:
    """Everything in ``keywords/``, loaded and checked."""

    directory: Path
    certificates: tuple[CertificateTerm, ...]
    fraud_signals: tuple[FraudSignal, ...]
    negative_context: tuple[NegativeTerm, ...]
    evasion_variants: tuple[EvasionVariant, ...]
    platforms: tuple[Platform, ...]
    generic: GenericVocabulary
    homoglyphs: Mapping[str, str]
    routing: Routing

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


def normalize_term(term: str) -> str:
    """The stored form of a term: NFKC (full width → half width) and lower case."""
    return unicodedata.normalize("NFKC", term).strip().lower()


def _parse_field(kind: type, raw: str, column: str, where: str) -> Any:
    if kind is int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{where}: {column} must be an integer, got {raw!r}") from None
        if not 0 <= value <= 100:
            raise ValueError(f"{where}: {column} must be between 0 and 100, got {value}")
        return value
    if kind is bool:
        if raw not in ("yes", "no"):
            raise ValueError(f"{where}: {column} must be yes or no, got {raw!r}")
        return raw == "yes"
    if not raw:
        raise ValueError(f"{where}: {column} is empty")
    return normalize_term(raw) if column in TERM_COLUMNS else raw


def read_tsv(path: Path, entry_type: type[Entry]) -> tuple[Entry, ...]:
    """Read a TSV whose header names the fields of ``entry_type``; ``#`` lines are comments."""
    columns = [field.name for field in fields(entry_type)]  # type: ignore[arg-type]
    types = get_type_hints(entry_type)
    entries: list[Entry] = []
    seen: set[str] = set()
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{number}"
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            if cells != columns:
                raise ValueError(f"{where}: header must be {' | '.join(columns)}")
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise ValueError(f"{where}: expected {len(columns)} tab-separated fields")
        values = [
            _parse_field(types[column], raw, column, where)
            for column, raw in zip(columns, cells, strict=True)
        ]
        if values[0] in seen:
            raise ValueError(f"{where}: duplicate entry {values[0]!r}")
        seen.add(values[0])
        entries.append(entry_type(*values))
    if not header_seen:
        raise ValueError(f"{path.name}:1: missing header line")
    return tuple(entries)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name}: {error}") from None


def _required(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ValueError(f"{where}: missing {key!r}")
    return table[key]


def _phrases(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    return tuple(normalize_term(item) for item in _required(table, key, where))


def _token_weights(table: Mapping[str, Any], key: str) -> dict[str, int]:
    return {normalize_term(token): int(weight) for token, weight in table.get(key, {}).items()}


def _load_platforms(path: Path) -> tuple[tuple[Platform, ...], GenericVocabulary, dict[str, str]]:
    data = _read_toml(path)
    platforms = []
    for index, table in enumerate(_required(data, "platform", path.name), 1):
        where = f"{path.name}: platform #{index}"
        platforms.append(
            Platform(
                key=_required(table, "key", where),
                name=_required(table, "name", where),
                agency=_required(table, "agency", where),
                hosts=_phrases(table, "hosts", where),
                registered_domains=_phrases(table, "registered_domains", where),
                default_target=bool(table.get("default_target", False)),
                title_phrases=_phrases(table, "title_phrases", where),
                heading_phrases=_phrases(table, "heading_phrases", where),
                form_fields=_phrases(table, "form_fields", where),
                html_markers=_phrases(table, "html_markers", where),
                topic_phrases=_phrases(table, "topic_phrases", where),
                host_tokens=_token_weights(table, "host_tokens"),
                pinyin_tokens=_token_weights(table, "pinyin_tokens"),
            )
        )
    if sum(platform.default_target for platform in platforms) != 1:
        raise ValueError(f"{path.name}: exactly one platform must set default_target = true")
    generic_table = _required(data, "generic", path.name)
    where = f"{path.name}: [generic]"
    generic = GenericVocabulary(
        filler_tokens=_phrases(generic_table, "filler_tokens", where),
        claim_phrases=_phrases(generic_table, "claim_phrases", where),
        query_buttons=_phrases(generic_table, "query_buttons", where),
        host_tokens=_token_weights(generic_table, "host_tokens"),
        pinyin_tokens=_token_weights(generic_table, "pinyin_tokens"),
    )
    homoglyphs = {str(key): str(value) for key, value in data.get("homoglyphs", {}).items()}
    return tuple(platforms), generic, homoglyphs


def _optional_flag(table: Mapping[str, Any], key: str) -> bool | None:
    return bool(table[key]) if key in table else None


def _load_routing(path: Path) -> Routing:
    data = _read_toml(path)
    agency_order = tuple(_required(data, "agency_order", path.name))
    rules = []
    for index, table in enumerate(_required(data, "rule", path.name), 1):
        where = f"{path.name}: rule #{index}"
        agencies = tuple(_required(table, "agencies", where))
        unknown = set(agencies) - set(agency_order)
        if unknown:
            raise ValueError(f"{where}: agencies not in agency_order: {sorted(unknown)}")
        rules.append(
            RoutingRule(
                name=_required(table, "name", where),
                agencies=agencies,
                why=_required(table, "why", where),
                category=tuple(_required(table, "category", where)),
                contacts=_optional_flag(table, "contacts"),
                marketplace=_optional_flag(table, "marketplace"),
                targets=tuple(table.get("targets", ())),
            )
        )
    marketplaces = _required(data, "marketplaces", path.name)
    domains = _phrases(marketplaces, "domains", f"{path.name}: [marketplaces]")
    return Routing(agency_order=agency_order, marketplace_domains=domains, rules=tuple(rules))


def _load(directory: Path) -> KeywordLibrary:
    platforms, generic, homoglyphs = _load_platforms(directory / "platforms.toml")
    return KeywordLibrary(
        directory=directory,
        certificates=read_tsv(directory / "certificates.tsv", CertificateTerm),
        fraud_signals=read_tsv(directory / "fraud_signals.tsv", FraudSignal),
        negative_context=read_tsv(directory / "negative_context.tsv", NegativeTerm),
        evasion_variants=read_tsv(directory / "evasion_variants.tsv", EvasionVariant),
        platforms=platforms,
        generic=generic,
        homoglyphs=homoglyphs,
        routing=_load_routing(directory / "routing.toml"),
    )


@cache
def _load_default() -> KeywordLibrary:
    return _load(DEFAULT_DIRECTORY)


def load_library(directory: Path | None = None) -> KeywordLibrary:
    """Load the library from ``directory`` (default: this package, loaded once and cached)."""
    return _load_default() if directory is None else _load(Path(directory))


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
