"""Load the keyword library: the data files in this directory, checked and typed.

Behaviour changes by editing the data files (see README.md), not code. Terms are stored
NFKC-normalised and lower-cased, the way ``leads.judge.normalize.fold`` leaves page text. A bad line
fails with ``ValueError("file.tsv:LINE: …")`` so the editor knows where to look.
"""

from __future__ import annotations

import re
import re._constants as regex_ops  # the stdlib's own regex parser: which characters a match needs
import re._parser as regex_parser
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
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
# What the text scorer does with each role of concept (keywords/concept_names.tsv explains them).
CONCEPT_ROLES = ("claim", "offer", "certificate", "document", "reported")
# {NAME} in a concept pattern; {G12} is a gap of up to 12 characters inside one sentence.
CLASS_REFERENCE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
GAP_CLASS = re.compile(r"G([1-9][0-9]?)")
SENTENCE_END = "。!?;\n"
PLAIN_WORDS = re.compile(r"[^\\()\[\]{}.*+?^$|]+(?:\|[^\\()\[\]{}.*+?^$|]+)*")
MAX_RANGE_CHARACTERS = 64  # a character range wider than this is no use as a prefilter

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
class WordClass:
    """A named alternation concept patterns refer to as {NAME} (word_classes.tsv)."""

    name: str
    pattern: str
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
class Concept:
    """A concept pattern ready to match: classes expanded, compiled, example checked."""

    name: str
    role: str
    label: str
    weight: int
    regex: re.Pattern[str]
    source: str  # "concepts.tsv:LINE", for the editor who wants to change it
    # Sets of characters; every match holds at least one character of each set (none: not
    # known), smallest set first. A text missing a set is not searched with the pattern: most
    # texts skip most patterns this way.
    required: tuple[frozenset[str], ...]


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
    concept_names: Mapping[str, ConceptName]
    concepts: tuple[Concept, ...]
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
    return tuple(entry for _, entry in read_tsv_lines(path, entry_type))


def read_tsv_lines(
    path: Path, entry_type: type[Entry], unique: bool = True
) -> Iterator[tuple[str, Entry]]:
    """``read_tsv`` with each entry's "file:LINE"; ``unique=False`` allows a first column that
    repeats (several patterns of one concept)."""
    columns = [field.name for field in fields(entry_type)]  # type: ignore[arg-type]
    types = get_type_hints(entry_type)
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
        if unique and values[0] in seen:
            raise ValueError(f"{where}: duplicate entry {values[0]!r}")
        seen.add(values[0])
        yield where, entry_type(*values)
    if not header_seen:
        raise ValueError(f"{path.name}:1: missing header line")


def _concept_names(path: Path) -> dict[str, ConceptName]:
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

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return emit(trie)


def _expand(pattern: str, classes: Mapping[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        gap = GAP_CLASS.fullmatch(name)
        if gap:
            return f"[^{SENTENCE_END}]{{0,{gap.group(1)}}}"
        if name not in classes:
            raise ValueError(f"{where}: unknown class {{{name}}} (not in word_classes.tsv)")
        return f"(?:{classes[name]})"

    return CLASS_REFERENCE.sub(replace, pattern)


def _load_concepts(
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
        required = tuple(sorted(_required_sets(regex_parser.parse(regex.pattern)), key=len))
        concepts.append(
            Concept(name.concept, name.role, name.label, entry.weight, regex, where, required)
        )
    return tuple(concepts)


def _required_sets(parsed: Any) -> list[frozenset[str]]:
    """Every character set a match of a parsed sequence must draw from, element by element
    (a group in the sequence adds its own elements' sets)."""
    sets = []
    for op, value in parsed:
        if op is regex_ops.SUBPATTERN:
            sets.extend(_required_sets(value[3]))
            continue
        found = _element_characters(op, value)
        if found is not None:
            sets.append(found)
    return sets


def _required_characters(parsed: Any) -> frozenset[str] | None:
    """The smallest set of characters one of which every match of a parsed sequence contains,
    or None when no element of it needs a character from a small, known set."""
    best: frozenset[str] | None = None
    for op, value in parsed:
        found = _element_characters(op, value)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _element_characters(op: Any, value: Any) -> frozenset[str] | None:
    if op is regex_ops.LITERAL:
        return frozenset(chr(value))
    if op is regex_ops.IN:
        chars: set[str] = set()
        for kind, item in value:
            if kind is regex_ops.LITERAL:
                chars.add(chr(item))
            elif kind is regex_ops.RANGE and item[1] - item[0] < MAX_RANGE_CHARACTERS:
                chars.update(map(chr, range(item[0], item[1] + 1)))
            else:  # negated sets, categories (\s, \d), wide ranges
                return None
        return frozenset(chars)
    if op is regex_ops.SUBPATTERN:
        return _required_characters(value[3])
    if op is regex_ops.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            found = _required_characters(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (regex_ops.MAX_REPEAT, regex_ops.MIN_REPEAT) and value[0] >= 1:
        return _required_characters(value[2])
    return None


def _fraud_signals(path: Path, names: Mapping[str, ConceptName]) -> tuple[FraudSignal, ...]:
    signals = []
    for where, signal in read_tsv_lines(path, FraudSignal):
        _known_concept(signal.concept, names, where)
        if names[signal.concept].role not in ("claim", "offer"):
            raise ValueError(f"{where}: a sales phrase must stand for a claim or offer concept")
        signals.append(signal)
    return tuple(signals)


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
    certificates = read_tsv(directory / "certificates.tsv", CertificateTerm)
    names = _concept_names(directory / "concept_names.tsv")
    return KeywordLibrary(
        directory=directory,
        certificates=certificates,
        fraud_signals=_fraud_signals(directory / "fraud_signals.tsv", names),
        negative_context=read_tsv(directory / "negative_context.tsv", NegativeTerm),
        evasion_variants=read_tsv(directory / "evasion_variants.tsv", EvasionVariant),
        concept_names=names,
        concepts=_load_concepts(directory, certificates, names),
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


INTENT_KINDS = ("obtain", "verify")


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
