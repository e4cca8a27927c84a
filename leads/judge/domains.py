"""Recognise domains that imitate the official verification platforms.

Each kind of imitation is a small named signal function (embedded official host, suffix swap,
token combination, pinyin tokens, typosquat, homoglyph); a DomainScore lists the signals that
fired, by name, so an analyst can read *why* a host is a lookalike. Official platform hosts and
every *.gov.cn host score 0. Host parsing is offline (tldextract with its bundled suffix list) and
never raises; a host that cannot be a registrable name says why in ``HostParts.problem``.

Speed (``bench/score_domains_bench.py``): plain ASCII hosts skip URL parsing; before any suffix
split, each label passes a cheap test (official name, made of known words, a run of near length
within a few edits of an official spelling, which it only can be if it holds a piece of it) and
only labels that pass get their facts built and cached, so the caches hold the few labels that
matter, not every name a certificate feed shows.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations, repeat
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import tldextract
from rapidfuzz.distance import DamerauLevenshtein

from keywords import KeywordLibrary, Platform, load_library
from leads.judge.confusables import Confusables
from leads.judge.label_variants import Variant, build_variants

# Private suffixes count (cn.com, github.io): a seller registers cx-mem-gov.cn.com, not cn.com.
EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
GOVERNMENT_SUFFIX = "gov.cn"
MAX_HOST_LENGTH, MAX_LABEL_LENGTH = 253, 63  # RFC 1035
PLAIN_HOST = re.compile(r"[a-z0-9_.-]+")  # already normalised: no URL parsing needed
PIECE_SEPARATOR = re.compile(r"[-_]")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")
ALPHANUMERIC = re.compile(r"[a-z0-9]*")
# labels of 1-63 characters, no hyphen at either end; possessive (*+): no backtracking needed
VALID_HOST = re.compile(r"(?:(?!-)[a-z0-9_-]{1,63}+(?<!-)\.)*+[a-z0-9_]{1,63}")
HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")

EMBEDDED_HOST_SCORE = 95  # cx.mem.gov.cn.example.com
EMBEDDED_DOMAIN_SCORE = 90  # mem.gov.cn.example.com
SWAPPED_SUFFIX_SCORE = 85  # mem.gov.cn.com, mohurd.gov.cn.cn.com
SWAPPED_LABEL_SCORE = 75  # mohurd.com.cn, e-cqs.top
SWAPPED_SHORT_LABEL_SCORE = 40  # mem.com: a short name proves little alone
SHORT_LABEL_LENGTH = 4
TOKEN_SCORE_CAP = 90
TYPOSQUAT_SCORE = 80
OFFICIAL_LABEL_SCORE = 75  # zlaq.com, www.cnse.top: a distinctive official label as it is
CAMPAIGN_WORDS_SCORE = 80  # mohurdsanlei.vip, zlaq-chaxun2024.com
NAME_CONTEXT_SCORE = 60  # mem.cn, mem-anquan.com: a short official name beside its context
CONTAINED_LABEL_LENGTH = 6  # a distinctive label this long counts anywhere inside a label
TYPO_KEY_MIN_LENGTH = 5
HOMOGLYPH_BONUS = 30  # look-alike letters spelling an official name are deliberate
HOMOGLYPH_MIN = 30  # …but only when the plain reading itself resembles a platform
MULTI_SIGNAL_BONUS = 10
PSEUDO_SUFFIXES = frozenset({"cn", "com", "net", "org", "gov"})  # x.cn.com, x.com.de: still "x"
LABEL_CACHE_SIZE = 100_000
NOTABLE_CACHE_SIZE = 1 << 18
HOST_CACHE_SIZE = 65_536

SIGNAL_NAMES = {
    "embedded_official_host": "嵌入官方域名",
    "suffix_swap": "更换后缀",
    "token_combination": "官方域名片段组合",
    "pinyin_tokens": "拼音缩写",
    "typosquat": "近似拼写",
    "official_label": "官方域名标签",
    "campaign_words": "官方名称加推广词",
    "name_context": "短官方名称加语境",
    "homoglyph": "形近字符",
}


def platform_tables(library: KeywordLibrary) -> dict[str, Any]:
    """platforms.toml as parsed TOML, for the keys keywords.Platform does not carry (synonym
    groups, page identifiers such as 主办单位 and 政府网站标识码)."""
    return tomllib.loads((library.directory / "platforms.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class HostParts:
    """A host split by the public suffix list; ``host`` is lower-case ASCII (punycode).

    ``problem`` says, in Chinese, why the host cannot be a registrable name (empty when fine).
    """

    host: str
    subdomain: str
    registered_domain: str
    suffix: str
    is_ip: bool = False
    problem: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels left of the public suffix (subdomain and registrable name)."""
        name = self.host.removesuffix(self.suffix).rstrip(".") if self.suffix else self.host
        return tuple(label for label in name.split(".") if label)

    @property
    def unicode_labels(self) -> tuple[str, ...]:
        """``labels`` with punycode decoded, to see Cyrillic look-alike letters (сх-mem)."""
        return tuple(_to_unicode(label) for label in self.labels)


@dataclass(frozen=True)
class DomainScore:
    """How much a host looks like an official platform (0–100) and which one."""

    score: int
    target: str
    reasons: tuple[str, ...]
    signals: Mapping[str, float] = field(default_factory=dict)


NOT_SIMILAR = DomainScore(0, "", ())


class Finding(NamedTuple):
    score: float
    target: str
    detail: str


def _to_ascii(host: str) -> str:
    """Punycode form of an IDN host, label by label; undecodable labels are kept as they are."""
    labels = []
    for label in host.split("."):
        try:
            labels.append(label.encode("idna").decode("ascii") if not label.isascii() else label)
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


def _to_unicode(label: str) -> str:
    try:
        return label.encode("ascii").decode("idna") if label.startswith("xn--") else label
    except UnicodeError:
        return label


def _bare_host(url_or_host: str) -> str:
    if PLAIN_HOST.fullmatch(url_or_host):
        return url_or_host.strip(".")
    text = unicodedata.normalize("NFKC", url_or_host.strip()).replace("。", ".")
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # e.g. an unbalanced "[" in a would-be IPv6 address
        host = re.split(r"[/?#:\[\]@\s]", text.split("//", 1)[-1], maxsplit=1)[0]
    return _to_ascii(host.strip().strip(".").lower())


def _problem(host: str) -> str:
    """Why ``host`` (ASCII form) cannot be a registrable host name, or ""."""
    if not host:
        return "无法解析域名"
    if len(host) <= MAX_HOST_LENGTH and "xn--" not in host and VALID_HOST.fullmatch(host):
        return ""
    if len(host) > MAX_HOST_LENGTH:
        return f"域名超过 {MAX_HOST_LENGTH} 个字符"
    for label in host.split("."):
        if not label:
            return "域名含空标签（连续的点）"
        if len(label) > MAX_LABEL_LENGTH:
            return f"域名标签超过 {MAX_LABEL_LENGTH} 个字符"
        if not HOST_LABEL.fullmatch(label):
            return f"域名标签含非法字符：{label[:MAX_LABEL_LENGTH]}"
        if label.startswith("xn--") and _to_unicode(label) == label:
            return f"国际化域名（IDN）编码无效：{label}"
    return ""


def _ip_parts(host: str) -> HostParts | None:
    if not (host[-1:].isdigit() or ":" in host):  # a host name's last label is never numeric
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    return HostParts(host=host, subdomain="", registered_domain="", suffix="", is_ip=True)


def host_parts(url_or_host: str) -> HostParts:
    """Split a URL or host name: lower case, no port, no trailing dot, IDN as punycode."""
    host = _bare_host(url_or_host)
    ip = _ip_parts(host)
    if ip is not None:
        return ip
    problem = _problem(host)
    if not host or len(host) > MAX_HOST_LENGTH:
        return HostParts(host=host, subdomain="", registered_domain="", suffix="", problem=problem)
    return _split_host(host, problem)


def _split_host(host: str, problem: str = "") -> HostParts:
    """The suffix split of ``host_parts``, for a bare host already checked (no IP address)."""
    extracted = EXTRACT.extract_str(host)
    registered = (
        f"{extracted.domain}.{extracted.suffix}" if extracted.domain and extracted.suffix else ""
    )
    return HostParts(
        host=host,
        subdomain=extracted.subdomain,
        registered_domain=registered,
        suffix=extracted.suffix,
        problem=problem,
    )


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


class TypoKey(NamedTuple):
    spelling: str
    host: str
    allowed: int  # edits tolerated


class LabelFacts(NamedTuple):
    tokens: frozenset[str]  # known words (empty unless the whole piece is made of them)
    near: tuple[str, TypoKey] | None  # a run of pieces spelled near an official name
    official_name: str  # an official name as a whole hyphen piece (mohurd in zlaq-mohurd)
    distinctive: str  # a distinctive official label as a run of whole pieces (zlaq in zlaq-cx)
    bent: tuple[str, Variant] | None  # a run of pieces one typo or glyph from a distinctive label
    joined: tuple[str, ...]  # a distinctive label glued to campaign words: (mohurd, sanlei)
    notable: bool  # any of the above besides filler words: worth scoring


class Vocabulary:
    """The domain knowledge from platforms.toml, arranged (and cached) for the signal functions."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.platforms = library.platforms
        self.default_platform = next(p for p in library.platforms if p.default_target)
        self.generic_host_tokens = library.generic.host_tokens
        self.generic_pinyin_tokens = library.generic.pinyin_tokens
        self.fillers = frozenset(library.generic.filler_tokens)
        tables = platform_tables(library)
        self.synonyms = {
            token: index
            for index, group in enumerate(tables["generic"]["synonym_groups"])
            for token in group
        }
        self.words = frozenset(
            token
            for tokens in (
                library.generic.filler_tokens,
                *(library.generic.host_tokens, library.generic.pinyin_tokens),
                *(p.host_tokens for p in library.platforms),
                *(p.pinyin_tokens for p in library.platforms),
            )
            for token in tokens
        )
        self.longest_word = max(map(len, self.words))
        # cheap reject: a piece made of known words and digits starts like one of them
        starters = [word for word in self.words if len(word) == 1] + list("0123456789")
        self.word_starts = {word[:2] for word in self.words} | {
            first + char for first in starters for char in "0123456789abcdefghijklmnopqrstuvwxyz"
        }
        alternatives = "|".join(sorted(map(re.escape, self.words), key=len, reverse=True))
        self.only_words = re.compile(rf"(?:{alternatives}|[0-9]+)+")
        self.confusables = Confusables(library.homoglyphs)
        official = [d for p in library.platforms for d in p.hosts + p.registered_domains]
        self.official = frozenset(official)
        self.official_suffixes = tuple("." + domain for domain in official)
        self.embedded = [  # hosts before registered domains: the most specific target wins
            *((host, EMBEDDED_HOST_SCORE, p.main_host) for p in self.platforms for host in p.hosts),
            *(
                (domain, EMBEDDED_DOMAIN_SCORE, p.main_host)
                for p in self.platforms
                for domain in p.registered_domains
            ),
        ]
        typo_keys: dict[str, str] = {}
        for platform in self.platforms:
            for spelling, host in _typo_keys(platform, self.fillers):
                typo_keys.setdefault(spelling, host)  # the platform listed first keeps a spelling
        self.typo_keys = {
            key: TypoKey(key, host, 1 if len(key) <= SHORT_LABEL_LENGTH + 2 else 2)
            for key, host in typo_keys.items()
        }
        self.keys_by_length: dict[int, list[TypoKey]] = {}  # only these reach the edit distance
        self.longest_key = max(len(key) + typo.allowed for key, typo in self.typo_keys.items())
        for key in self.typo_keys.values():
            size = len(key.spelling)
            for length in range(size - key.allowed, size + key.allowed + 1):
                self.keys_by_length.setdefault(length, []).append(key)
        self.names = names = frozenset(
            domain.removesuffix(".gov.cn").split(".")[0]
            for platform in library.platforms
            for domain in platform.registered_domains
        )
        self.official_text = re.compile("|".join(map(re.escape, sorted(self.official))))
        # the suffix every official host shares (".cn"), if any: most hosts lack it, a cheap reject
        endings = {"." + domain.rsplit(".", 1)[-1] for domain in official}
        self.official_ending = endings.pop() if len(endings) == 1 else ""
        name_alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
        self.official_name = re.compile(rf"(?:^|-)({name_alternatives})(?=-|$)")
        # Searched in "-" + label, one pass for both: an official name as a hyphen piece, or a
        # piece made of known words and digits (but not a lone digit, which word_starts lacks).
        self.notable_piece = re.compile(
            rf"-(?:{name_alternatives})(?=-|$)"
            rf"|[-_](?!\d(?:[-_]|$))(?:{alternatives}|[0-9]+)+(?=[-_]|$)"
        )
        # Pigeonhole filter: a spelling within k edits of a key holds one of k + 1 of its pieces.
        # near_pieces: per length, the pieces of the keys within reach; key_piece: any piece, in
        # text as is, punctuation (which _compact drops) allowed between its letters.
        pieces = {key: _pieces(key, typo) for key, typo in self.typo_keys.items()}
        self.near_pieces = {
            length: _any_piece([piece for key in keys for piece in pieces[key.spelling]])
            for length, keys in self.keys_by_length.items()
        }
        self.key_piece = _any_piece([p for key in pieces.values() for p in key], "[^a-z0-9]*")
        self._learn_distinctive(tables)
        self.label_facts = lru_cache(maxsize=LABEL_CACHE_SIZE)(self._label_facts)
        self.near_spelling = lru_cache(maxsize=LABEL_CACHE_SIZE)(self._near_spelling)
        self.label_notable = lru_cache(maxsize=NOTABLE_CACHE_SIZE)(self._label_notable)

    def _learn_distinctive(self, tables: dict[str, Any]) -> None:
        """Distinctive labels (zlaq, e-cqs …), every spelling they bend into, the campaign words
        glued to them, and the context a short official name (mem) needs."""
        main_host = {platform.key: platform.main_host for platform in self.platforms}
        labels = [
            (label, main_host[table["key"]])
            for table in tables["platform"]
            for label in table.get("distinctive_labels", ())
        ]
        self.distinctive: dict[str, str] = {}  # label → target host
        self.distinctive_compact: dict[str, str] = {}  # without hyphens (ecqs) → label (e-cqs)
        for label, target in labels:
            self.distinctive.setdefault(label, target)
            self.distinctive_compact.setdefault(label.replace("-", ""), label)
        self.variants = build_variants(labels, tables["typo_glyphs"])
        self.spellings = frozenset(self.variants) | frozenset(self.distinctive)
        self.joined_spellings = frozenset(
            spelling
            for spelling in (*self.variants, *self.distinctive_compact)
            if "-" not in spelling
        )
        self.joined_prefixes = frozenset(
            spelling[:end] for spelling in self.joined_spellings for end in range(1, len(spelling))
        )
        campaign_words = tables["generic"]["campaign_words"]
        self.campaign_words = self.words.union(campaign_words, self.distinctive_compact)
        self.longest_campaign_word = max(map(len, self.campaign_words))
        self.distinctive_inside = re.compile(
            "|".join(sorted(map(re.escape, self.distinctive_compact), key=len, reverse=True))
        )
        self.contained = tuple(
            label for label in self.distinctive_compact if len(label) >= CONTAINED_LABEL_LENGTH
        )
        self.name_context = {  # mem → (cx.mem.gov.cn, {gov, cn, cx, yjglb, anquan})
            name: (main_host[table["key"]], frozenset(table["name_context"]))
            for table in tables["platform"]
            if "name_context" in table
            for domain in table["registered_domains"]
            if len(name := domain.removesuffix(".gov.cn").split(".")[0]) <= SHORT_LABEL_LENGTH
        }
        context_words = frozenset().union(*(words for _, words in self.name_context.values()))
        self.context_tokens = context_words | set(self.name_context)
        # mem glued to its context (memanquan, cnmem): both show in the label as they are
        names, context = (
            "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"
            for words in (self.name_context, context_words)
        )
        glued = rf"(?:{names}).*(?:{context})|(?:{context}).*(?:{names})"
        self.glued_context = re.compile(glued)
        # either of the two above: one search in the cheap label test
        self.inside = re.compile(f"{self.distinctive_inside.pattern}|{glued}")
        self.spelling_pieces = frozenset(piece for s in self.spellings for piece in s.split("-"))

    def is_official(self, host: str) -> bool:
        return host in self.official or host.endswith(self.official_suffixes)

    def _label_facts(self, label: str) -> LabelFacts:
        """What one label holds: known words, an official name, a near spelling of one.

        A punycode label holds none (its letters are an encoding): ``homoglyph`` reads it decoded.
        """
        if label.startswith("xn--"):
            return LabelFacts(frozenset(), None, "", "", None, (), notable=False)
        found: set[str] = set()
        for piece in {*PIECE_SEPARATOR.split(label), _compact(label)}:
            if piece[:2] in self.word_starts and self.only_words.fullmatch(piece):
                found.update(_segment(piece, self.words, self.longest_word) or ())
        if self.glued_context.search(label):  # memanquan: mem glued to its context
            found.update(self.campaign_tokens(label) & self.context_tokens)
        near = None
        pieces = PIECE_SEPARATOR.split(label)
        # Longest first, then alphabetical: a set's order would make the result hash-dependent.
        for run in sorted(
            _piece_runs(label) if self.may_be_near(label) else (), key=lambda r: (-len(r), r)
        ):
            if run in self.typo_keys and run not in pieces:  # mo-hurd: the name cut by hyphens
                key: TypoKey | None = self.typo_keys[run]
            else:
                key = self.near_spelling(run) if len(run) >= SHORT_LABEL_LENGTH else None
            if key is not None:
                near = (label if run == key.spelling else run, key)
                break
        name = self.official_name.search(label)
        tokens = frozenset(found)
        distinctive, bent = self._bends([piece for piece in pieces if piece])
        joined = self._joined(label, pieces)
        return LabelFacts(
            tokens=tokens,
            near=near,
            official_name=name.group(1) if name else "",
            distinctive=distinctive,
            bent=bent,
            joined=joined,
            notable=bool(tokens - self.fillers)
            or near is not None
            or name is not None
            or bool(distinctive or bent or joined),
        )

    def _bends(self, pieces: list[str]) -> tuple[str, tuple[str, Variant] | None]:
        """The distinctive label a run of whole pieces is (zlaq in zlaq-cx), and the run that is
        one bend away from one (e-cq5 in cnse-e-cq5); longest run first, then alphabetical."""
        exact, bent = "", None
        for run in sorted(_hyphen_runs(pieces), key=lambda r: (-len(r), r)):
            if run in self.distinctive:
                exact = exact or run
            elif bent is None and (variant := self._variant(run)):
                bent = (run, variant)
        return exact, bent

    def campaign_tokens(self, label: str) -> frozenset[str]:
        """The known and campaign words a label is made of, piece by piece (mem-anquan)."""
        words, longest = self.campaign_words, self.longest_campaign_word
        pieces = {*PIECE_SEPARATOR.split(label), _compact(label)}
        return frozenset().union(*(_segment(piece, words, longest) or () for piece in pieces))

    def _variant(self, run: str) -> Variant | None:
        """``run`` as a bent spelling, or a distinctive label with hyphens moved (z-la-q)."""
        if run in self.variants:
            return self.variants[run]
        official = self.distinctive_compact.get(run.replace("-", ""))
        if official is None:
            return None
        return Variant(official, self.distinctive[official], "hyphenation", "连字符位置不同")

    def _joined(self, label: str, pieces: list[str]) -> tuple[str, ...]:
        """A distinctive label glued to campaign words or digits, as its parts (mohurd, sanlei);
        a long one (mohurd) glued to anything at all (xyz, mohurd, abc)."""
        compact = _compact(label)
        if self.distinctive_inside.search(compact) is None:
            return ()
        for piece in (compact, *pieces):
            parts = _segment(piece, self.campaign_words, self.longest_campaign_word) or ()
            if len(parts) > 1 and any(part in self.distinctive_compact for part in parts):
                return tuple(parts)
        for official in self.contained:
            before, found, after = compact.partition(official)
            if found and (before or after):
                return tuple(part for part in (before, official, after) if part)
        return ()

    def _label_notable(self, label: str) -> bool:
        """``label_facts(label).notable`` without building the facts of a plain label.

        Nearly every label in a certificate feed is a plain name; rejecting it here, with the
        three cheap tests the facts are made of, keeps the facts cache for labels that matter.
        """
        return self._may_be_notable(label) and self.label_facts(label).notable

    def _may_be_notable(self, label: str) -> bool:
        if label.startswith("xn--"):
            return False
        if "-" not in label and "_" not in label:  # one piece (most labels), its own one run
            return (
                label in self.names
                or label in self.spellings
                or self.inside.search(label) is not None
                or (label[:2] in self.word_starts and self.only_words.fullmatch(label) is not None)
                or self._near_spelling(label) is not None
            )
        if self.notable_piece.search("-" + label):  # labels here are [a-z0-9_-] only
            return True
        compact = label.replace("-", "").replace("_", "")
        if compact[:2] in self.word_starts and self.only_words.fullmatch(compact):  # mo-hurd
            return True
        if self.inside.search(compact):
            return True
        pieces = [piece for piece in PIECE_SEPARATOR.split(label) if piece]
        if any(piece in self.spelling_pieces for piece in pieces) and any(
            run in self.spellings
            for run in _hyphen_runs(pieces)  # e-cq5, cnse-e-cq
        ):
            return True
        if self.key_piece.search(compact) is None:  # may_be_near
            return False
        lengths = self.keys_by_length
        return any(
            run not in pieces if run in self.typo_keys else self._near_spelling(run) is not None
            for run in _piece_runs_of(pieces)
            if len(run) in lengths
        )

    def may_be_near(self, text: str) -> bool:
        """Cheap reject: no piece (``_pieces``) of any official spelling, so no near spelling."""
        return self.key_piece.search(text) is not None

    def _near_spelling(self, candidate: str) -> TypoKey | None:
        """The official spelling ``candidate`` is one or two edits from (not equal to), if any."""
        pieces = self.near_pieces.get(len(candidate))
        if pieces is None or pieces.search(candidate) is None or candidate in self.typo_keys:
            return None
        for key in self.keys_by_length[len(candidate)]:
            edits = DamerauLevenshtein.distance(candidate, key.spelling, score_cutoff=key.allowed)
            if edits <= key.allowed:
                return key
        return None

    def worth_splitting(self, host: str) -> bool:
        """Cheap reject before the suffix split: could any signal fire on any split of ``host``
        or of its plain-letter reading?"""
        if "xn--" in host:
            return True
        if self.confusables.has_swaps(host):
            return self._worth(host) or self._worth(self.confusables.skeleton(host))
        return self._worth(host)

    def _worth(self, host: str) -> bool:
        if self.official_ending in host and self.official_text.search(host):
            return True
        labels = host.split(".")
        if any(map(self.label_notable, labels)):
            return True
        if len(labels) < 3:
            return False
        # Leading labels joined (www.cx.rnem.com → wwwcx, wwwcxrnem; z.laq.cn → zlaq) may spell an
        # official name; each such join is made of the leading labels, so a key piece shows there
        # first (the edit distance is run only then).
        near = self.key_piece.search(host, 0, host.rindex(".")) is not None
        if not near and labels[0] not in self.joined_prefixes and "-" not in labels[0]:
            return False  # www.… starts no spelling
        joined = _compact(labels[0])
        for label in labels[1:-1]:
            if not near and joined not in self.joined_prefixes:
                return False
            joined += _compact(label)
            if joined in self.joined_spellings:
                return True
            if len(joined) > self.longest_key:
                return False
            if near and len(joined) in self.keys_by_length and self.near_spelling(joined):
                return True
        return False


def _any_piece(pieces: list[str], between: str = "") -> re.Pattern[str]:
    """Finds any of ``pieces`` (``between`` its letters); finds everywhere if one is empty."""
    spread = sorted({between.join(piece) for piece in pieces})
    return re.compile("|".join(spread) if all(pieces) else "")


def _pieces(key: str, typo: TypoKey) -> list[str]:
    """``typo.allowed`` + 1 pieces of ``key``, of near-equal length, a letter apart from each other.

    One edit (even a transposition, which spans a gap only by also deleting it) spoils at most
    one piece, so a spelling within ``typo.allowed`` edits of ``key`` holds at least one whole.
    An empty piece (a key too short for the filter) is returned as such.
    """
    size, longer = divmod(len(key) - typo.allowed, typo.allowed + 1)
    starts = [index * (size + 1) + min(index, longer) for index in range(typo.allowed + 1)]
    return [key[start : start + size + (index < longer)] for index, start in enumerate(starts)]


def _compact(text: str) -> str:
    plain = text.replace("-", "").replace("_", "").replace(".", "")  # 5× faster than the regex
    return plain if ALPHANUMERIC.fullmatch(plain) else NOT_ALPHANUMERIC.sub("", plain)


def _typo_keys(platform: Platform, fillers: frozenset[str]) -> list[tuple[str, str]]:
    """Spellings a typosquat bends: each official host without gov/cn/www, and its long labels."""
    keys = []
    for host in platform.hosts:
        labels = [label for label in host.split(".") if label not in {"gov", *fillers}]
        keys.append((_compact("".join(labels)), platform.main_host))
        keys.extend((_compact(label), platform.main_host) for label in labels)
    return [(key, host) for key, host in keys if len(key) >= TYPO_KEY_MIN_LENGTH]


def _segment(piece: str, words: frozenset[str], longest: int) -> list[str] | None:
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


def _piece_runs(label: str) -> set[str]:
    """Every run of consecutive hyphen pieces, joined: cx-rnem-gov → cx, cxrnem, cxrnemgov, …"""
    return set(_piece_runs_of([piece for piece in PIECE_SEPARATOR.split(label) if piece]))


def _hyphen_runs(pieces: list[str]) -> list[str]:
    """Every run of consecutive pieces, hyphen-joined: cnse, cnse-e, cnse-e-cq5, e, e-cq5, cq5."""
    if len(pieces) == 1:
        return pieces
    return ["-".join(pieces[start:end]) for start, end in combinations(range(len(pieces) + 1), 2)]


def _piece_runs_of(pieces: list[str]) -> list[str]:
    if len(pieces) == 1:
        return pieces
    return ["".join(pieces[start:end]) for start, end in combinations(range(len(pieces) + 1), 2)]


@dataclass(frozen=True)
class HostView:
    """What the signals read of one host (or of its plain-letter skeleton)."""

    host: str
    labels: tuple[str, ...]  # left of the public suffix
    suffix: str
    facts: tuple[LabelFacts, ...]  # one per label
    tokens: frozenset[str]

    @property
    def name_labels(self) -> tuple[str, ...]:
        """``labels`` without trailing filler labels: mohurd.cn.com (a CentralNic name) → mohurd."""
        labels = list(self.labels)
        while len(labels) > 1 and labels[-1] in PSEUDO_SUFFIXES:
            labels.pop()
        return tuple(labels)

    @property
    def domain_label(self) -> str:
        return self.name_labels[-1] if self.labels else ""


def _view(host: str, labels: tuple[str, ...], suffix: str, vocabulary: Vocabulary) -> HostView:
    facts = tuple(map(vocabulary.label_facts, labels))
    tokens = frozenset().union(*(fact.tokens for fact in facts))
    return HostView(host=host, labels=labels, suffix=suffix, facts=facts, tokens=tokens)


def _notable(view: HostView, vocabulary: Vocabulary) -> bool:
    """Cheap reject: can any signal fire? (no official text, name, word or near spelling)."""
    return (
        any(fact.notable for fact in view.facts)
        or vocabulary.official_text.search(view.host) is not None
        or (
            len(view.labels) > 1
            and (
                _joined_near(view, vocabulary) is not None
                or _split_bend(view, vocabulary) is not None
            )
        )
    )


def _joined_near(view: HostView, vocabulary: Vocabulary) -> TypoKey | None:
    return vocabulary.near_spelling(_compact("".join(view.name_labels)))


def _split_bend(view: HostView, vocabulary: Vocabulary) -> tuple[str, Variant] | None:
    """The labels, joined, as a distinctive label or one bend of it: z.laq.cn, e-c.qs.cn."""
    joined = _compact("".join(view.name_labels))
    if joined not in vocabulary.joined_spellings:
        return None
    shown = ".".join(view.name_labels)
    official = vocabulary.distinctive_compact.get(joined)
    if official:
        return shown, Variant(official, vocabulary.distinctive[official], "subdomain", "")
    variant = vocabulary.variants[joined]
    return shown, variant._replace(change=f"{variant.change}，且用点拆开")


def embedded_official_host(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """An official host or domain followed by another registrable domain (x.gov.cn.example.com)."""
    if vocabulary.official_text.search(view.host) is None:  # cheap reject: none embedded
        return None
    dotted = f".{view.host}."
    for official, score, target in vocabulary.embedded:
        position = dotted.find(f".{official}.")
        if position < 0:
            continue
        rest = dotted[position + len(official) + 2 :].rstrip(".")
        if rest and rest != view.suffix:
            return Finding(score, target, f"{official} 后接 {rest}")
    return None


def suffix_swap(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """The official name under another suffix: mem.gov.cn.com, mohurd.com.cn, cnse-e-cqs.top."""
    dotted = f".{view.host}"
    label = view.domain_label
    official_name = vocabulary.label_facts(label).official_name if label else ""
    if not official_name and vocabulary.official_text.search(view.host) is None:  # cheap reject
        return None
    for platform in vocabulary.platforms:
        for official in platform.registered_domains:
            if dotted.endswith(f".{official}.{view.suffix}"):
                return Finding(
                    SWAPPED_SUFFIX_SCORE, platform.main_host, f"{official}.{view.suffix}"
                )
            name = official.removesuffix(".gov.cn").split(".")[0]
            if official_name == name:
                short = len(name) <= SHORT_LABEL_LENGTH
                score = SWAPPED_SHORT_LABEL_SCORE if short else SWAPPED_LABEL_SCORE
                return Finding(score, platform.main_host, f"{name} 改用 .{view.suffix}")
    return None


def _best_platform(
    tokens: frozenset[str], table: Callable[[Platform], Mapping[str, int]], vocabulary: Vocabulary
) -> tuple[Platform | None, float]:
    weights = [sum(map(table(p).get, tokens, repeat(0))) for p in vocabulary.platforms]
    weight = max(weights)  # the first platform listed wins a tie
    return (vocabulary.platforms[weights.index(weight)], weight) if weight else (None, 0.0)


def token_combination(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """Two or more pieces of official host names, any order or separator: cx-mem-gov, memgov-cx."""
    tokens = view.tokens
    platform, weight = _best_platform(tokens, lambda p: p.host_tokens, vocabulary)
    generic = [t for t in tokens if t in vocabulary.generic_host_tokens]
    used = [t for t in tokens if platform and t in platform.host_tokens] + generic
    if platform is None or len(used) < 2:
        return None
    score = min(TOKEN_SCORE_CAP, weight + sum(vocabulary.generic_host_tokens[t] for t in generic))
    return Finding(score, platform.main_host, "+".join(sorted(used)))


def pinyin_tokens(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """Pinyin or abbreviations of the agency or certificate: yjglb, tzzycx, zhengshu-chaxun."""
    tokens = view.tokens
    generic = [t for t in tokens if t in vocabulary.generic_pinyin_tokens]
    platform, weight = _best_platform(tokens, lambda p: p.pinyin_tokens, vocabulary)
    if platform is None and not generic:
        return None
    target = platform or vocabulary.default_platform
    companions = [
        t
        for t in tokens
        if t not in generic and (t in target.host_tokens or t in vocabulary.generic_host_tokens)
    ]
    strongest: dict[object, int] = {}  # synonyms (cx, chaxun) count once
    for token in generic:
        group = vocabulary.synonyms.get(token, token)
        strongest[group] = max(strongest.get(group, 0), vocabulary.generic_pinyin_tokens[token])
    score = (
        weight
        + sum(strongest.values())
        + sum(
            target.host_tokens.get(t, vocabulary.generic_host_tokens.get(t, 0)) for t in companions
        )
    )
    used = [t for t in tokens if t in target.pinyin_tokens] + generic + companions
    return Finding(min(TOKEN_SCORE_CAP, score), target.main_host, "+".join(sorted(used)))


def typosquat(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """A spelling one or two edits away from an official name: zlaq-mohurb, cxmen, cnse-ecps;
    a distinctive label bent once, named by the kind of bend: e-cqs8, e-cq5, 2laq, z.laq."""
    bent = [fact.bent for fact in view.facts if fact.bent]
    if len(view.name_labels) > 1 and (split := _split_bend(view, vocabulary)):
        bent.append(split)
    if bent:
        run, variant = max(bent, key=lambda pair: len(pair[0]))
        detail = f"{run} 仿 {variant.official}，{variant.detail}"
        return Finding(TYPOSQUAT_SCORE, variant.target, detail)
    joined = _compact("".join(view.name_labels))
    near = [fact.near for fact in view.facts if fact.near]
    if len(view.name_labels) > 1 and (key := _joined_near(view, vocabulary)):
        near.append((joined, key))
    if not near:
        return None
    candidate, key = max(near, key=lambda pair: len(pair[0]))
    return Finding(TYPOSQUAT_SCORE, key.host, f"{candidate}≈{key.spelling}")


def official_label(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """A distinctive official label as it is, on any suffix or under any name: zlaq.com,
    www.cnse.top, zlaq-cx.net (the registrable e-cqs.top and mohurd.vip are ``suffix_swap``)."""
    for label, fact in zip(view.labels, view.facts, strict=True):
        swapped = label == view.domain_label and fact.distinctive == fact.official_name
        if fact.distinctive and not swapped:
            target = vocabulary.distinctive[fact.distinctive]
            detail = f"{label} 含 {target} 的标签 {fact.distinctive}"
            return Finding(OFFICIAL_LABEL_SCORE, target, detail)
    return None


def campaign_words(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """A distinctive label glued to campaign words or digits: mohurdsanlei, zlaq-chaxun2024."""
    for fact in view.facts:
        if fact.joined:
            official = next(part for part in fact.joined if part in vocabulary.distinctive_compact)
            target = vocabulary.distinctive[vocabulary.distinctive_compact[official]]
            return Finding(CAMPAIGN_WORDS_SCORE, target, "+".join(fact.joined))
    return None


def name_context(view: HostView, vocabulary: Vocabulary) -> Finding | None:
    """A short, generic official name beside the words that make it the platform's: mem with
    gov, cn, cx, yjglb or anquan (memgov-cx.com, mem-anquan.net), or alone under .cn (mem.cn)."""
    for name, (target, context) in vocabulary.name_context.items():
        if name not in view.tokens:
            continue
        words = view.tokens.union(*map(vocabulary.campaign_tokens, view.labels))
        found = sorted(words & context)
        if view.domain_label == name and "cn" in view.suffix.split("."):
            found.append(f".{view.suffix}")
        if found:
            return Finding(NAME_CONTEXT_SCORE, target, "+".join([name, *found]))
    return None


BASE_SIGNALS: tuple[Callable[[HostView, Vocabulary], Finding | None], ...] = (
    embedded_official_host,
    suffix_swap,
    official_label,
    token_combination,
    campaign_words,
    name_context,
    pinyin_tokens,
    typosquat,
)


def _findings(view: HostView, vocabulary: Vocabulary) -> dict[str, Finding]:
    if not _notable(view, vocabulary):
        return {}
    found = {signal.__name__: signal(view, vocabulary) for signal in BASE_SIGNALS}
    return {name: finding for name, finding in found.items() if finding and finding.score}


def _skeleton(parts: HostParts, vocabulary: Vocabulary) -> tuple[str, HostView] | None:
    """The host as shown (Unicode) and the view of its plain-letter reading, if it differs."""
    if "xn--" not in parts.host and not vocabulary.confusables.has_swaps(parts.host):
        return None
    shown = parts.unicode_labels
    labels = tuple(vocabulary.confusables.skeleton(label) for label in shown)
    if labels == parts.labels:
        return None
    suffix = f".{parts.suffix}" if parts.suffix else ""
    host = ".".join(labels) + suffix
    return ".".join(shown) + suffix, _view(host, labels, parts.suffix, vocabulary)


def homoglyph(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """Look-alike letters (Cyrillic с, IDN, rn for m, 0 for o) that spell an imitation: сх-mem."""
    skeleton = _skeleton(parts, vocabulary)
    if skeleton is None:
        return None
    shown, view = skeleton
    found = _findings(view, vocabulary)
    if not found:
        return None
    best = max(found.values(), key=lambda finding: finding.score)
    if best.score < HOMOGLYPH_MIN:
        return None
    detail = f"{shown} 读作 {view.host}，{best.detail}"
    return Finding(min(100.0, best.score + HOMOGLYPH_BONUS), best.target, detail)


@cache
def _vocabulary() -> Vocabulary:
    return Vocabulary(load_library())


def is_official_host(host: str) -> bool:
    """True for the official platform hosts and anything under their registered domains."""
    return _vocabulary().is_official(host_parts(host).host)


def _is_government(name: str, vocabulary: Vocabulary) -> bool:
    return _under(name, GOVERNMENT_SUFFIX) or vocabulary.is_official(name)


def is_government_host(host: str) -> bool:
    """True for any *.gov.cn host and the official platforms (cnse.e-cqs.cn is not under gov.cn)."""
    return _is_government(host_parts(host).host, _vocabulary())


def score_domain(url_or_host: str) -> DomainScore:
    """Score a URL or host as a lookalike of an official platform; never raises on bad input."""
    return _score_host(_bare_host(url_or_host))


@lru_cache(maxsize=HOST_CACHE_SIZE)
def _score_host(host: str) -> DomainScore:
    vocabulary = _vocabulary()
    if _ip_parts(host):
        return DomainScore(0, "", ("IP 地址，无域名可比对",))
    problem = _problem(host)
    if problem:
        return DomainScore(0, "", (problem,))
    if vocabulary.is_official(host):
        return DomainScore(0, "", ("官方查询平台域名",))
    if _under(host, GOVERNMENT_SUFFIX):
        return DomainScore(0, "", ("政府网站域名（gov.cn）",))
    if not vocabulary.worth_splitting(host):
        return NOT_SIMILAR
    parts = _split_host(host)
    view = _view(parts.host, parts.labels, parts.suffix, vocabulary)
    fired = _findings(view, vocabulary)
    look_alike = homoglyph(parts, vocabulary)
    if look_alike:
        fired["homoglyph"] = look_alike
    if not fired:
        return NOT_SIMILAR
    strongest = max(fired.values(), key=lambda finding: finding.score)
    bonus = MULTI_SIGNAL_BONUS if len(fired) > 1 else 0
    reasons = tuple(
        f"域名仿冒 {finding.target}（{SIGNAL_NAMES[name]} {name}：{finding.detail}）"
        for name, finding in sorted(fired.items(), key=lambda item: -item[1].score)
    )
    return DomainScore(
        score=min(100, round(strongest.score + bonus)),
        target=strongest.target,
        reasons=reasons,
        signals={name: finding.score for name, finding in fired.items()},
    )


DOMAIN_CSV_COLUMNS = ("line", "input", "domain", "score", "is_lookalike", "target", "reasons")
MAX_INPUT_LINE = 2_000


def domain_row(number: int, line: str, threshold: int) -> dict[str, str | int]:
    """One line of a domain list, scored: the CSV row of ``jiazheng score-domains``.

    Empty lines, URLs, upper case, trailing dots, IDN and IP addresses are normalised or
    reported in ``reasons``; nothing raises.
    """
    text = line.strip()
    if not text:
        result, host = DomainScore(0, "", ("空行",)), ""
    elif len(text) > MAX_INPUT_LINE:
        result, host = DomainScore(0, "", (f"输入行超过 {MAX_INPUT_LINE} 个字符",)), ""
    else:
        host = _bare_host(text)
        result = _score_host(host)
    return {
        "line": number,
        "input": text[:MAX_HOST_LENGTH],
        "domain": host[: MAX_HOST_LENGTH + 1],
        "score": result.score,
        "is_lookalike": "yes" if result.score >= threshold else "no",
        "target": result.target,
        "reasons": "；".join(result.reasons),
    }
