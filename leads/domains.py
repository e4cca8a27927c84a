"""Recognise domains that imitate the official verification platforms.

Each kind of imitation is a small named signal function (embedded official host, suffix swap,
token combination, pinyin tokens, typosquat); a DomainScore lists the signals that fired, so an
analyst can read *why* a host is a lookalike. Official platform hosts and every *.gov.cn host
score 0. Host parsing is offline (tldextract with its bundled suffix list) and never raises.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from typing import NamedTuple
from urllib.parse import urlsplit

import tldextract
from rapidfuzz.distance import DamerauLevenshtein

from keywords import KeywordLibrary, Platform, load_library

EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
GOVERNMENT_SUFFIX = "gov.cn"

EMBEDDED_HOST_SCORE = 95  # cx.mem.gov.cn.example.com
EMBEDDED_DOMAIN_SCORE = 90  # mem.gov.cn.example.com
SWAPPED_SUFFIX_SCORE = 85  # mem.gov.cn.com, mohurd.gov.cn.cn.com
SWAPPED_LABEL_SCORE = 75  # mohurd.com.cn, e-cqs.top
SWAPPED_SHORT_LABEL_SCORE = 40  # mem.com: a short name proves little alone
SHORT_LABEL_LENGTH = 4
TOKEN_SCORE_CAP = 90
TYPOSQUAT_SCORE = 80
HOMOGLYPH_SCORE = 85  # cx-rnem: the same letters once look-alikes are undone
TYPO_KEY_MIN_LENGTH = 5
MULTI_SIGNAL_BONUS = 10

SIGNAL_NAMES = {
    "embedded_official_host": "嵌入官方域名",
    "suffix_swap": "更换后缀",
    "token_combination": "官方域名片段组合",
    "pinyin_tokens": "拼音缩写",
    "typosquat": "近似拼写",
}


@dataclass(frozen=True)
class HostParts:
    """A host split by the public suffix list; ``host`` is lower-case ASCII (punycode)."""

    host: str
    subdomain: str
    registered_domain: str
    suffix: str
    is_ip: bool = False

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
    text = unicodedata.normalize("NFKC", url_or_host.strip()).replace("。", ".")
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # e.g. an unbalanced "[" in a would-be IPv6 address
        host = re.split(r"[/?#:\[\]@\s]", text.split("//", 1)[-1], maxsplit=1)[0]
    return _to_ascii(host.strip().strip(".").lower())


def host_parts(url_or_host: str) -> HostParts:
    """Split a URL or host name: lower case, no port, no trailing dot, IDN as punycode."""
    host = _bare_host(url_or_host)
    try:
        ipaddress.ip_address(host)
        return HostParts(host=host, subdomain="", registered_domain="", suffix="", is_ip=True)
    except ValueError:
        pass
    extracted = EXTRACT(host)
    registered = (
        f"{extracted.domain}.{extracted.suffix}" if extracted.domain and extracted.suffix else ""
    )
    return HostParts(
        host=host,
        subdomain=extracted.subdomain,
        registered_domain=registered,
        suffix=extracted.suffix,
    )


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def is_official_host(host: str) -> bool:
    """True for the official platform hosts and anything under their registered domains."""
    name = host_parts(host).host
    return any(
        _under(name, official)
        for platform in load_library().platforms
        for official in platform.hosts + platform.registered_domains
    )


def is_government_host(host: str) -> bool:
    """True for any *.gov.cn host and the official platforms (cnse.e-cqs.cn is not under gov.cn)."""
    return _under(host_parts(host).host, GOVERNMENT_SUFFIX) or is_official_host(host)


class Vocabulary:
    """The domain knowledge from platforms.toml, arranged for the signal functions."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.platforms = library.platforms
        self.default_platform = next(p for p in library.platforms if p.default_target)
        self.generic_host_tokens = library.generic.host_tokens
        self.generic_pinyin_tokens = library.generic.pinyin_tokens
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
        self.homoglyphs = library.homoglyphs
        self.homoglyph_pattern = re.compile(
            "|".join(map(re.escape, sorted(library.homoglyphs, key=len, reverse=True)))
        )
        self.typo_keys = {key: host for p in library.platforms for key, host in _typo_keys(p)}

    def undo_homoglyphs(self, text: str) -> str:
        return self.homoglyph_pattern.sub(lambda m: self.homoglyphs[m.group(0)], text)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


def _typo_keys(platform: Platform) -> list[tuple[str, str]]:
    """Spellings a typosquat bends: each official host without gov/cn, and its long labels."""
    keys = []
    for host in platform.hosts:
        labels = [label for label in host.split(".") if label not in ("gov", "cn")]
        keys.append((_compact("".join(labels)), host))
        keys.extend((_compact(label), host) for label in labels)
    return [(key, host) for key, host in keys if len(key) >= TYPO_KEY_MIN_LENGTH]


def _segment(piece: str, words: frozenset[str]) -> list[str] | None:
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
    return best[-1]


def _tokens(parts: HostParts, words: frozenset[str]) -> set[str]:
    """Known words in the labels, from hyphen pieces and from each label with hyphens removed."""
    found: set[str] = set()
    for label in parts.labels:
        for piece in [*re.split(r"[-_]", label), _compact(label)]:
            found.update(_segment(piece, words) or ())
    return found


def _piece_runs(label: str) -> set[str]:
    """Every run of consecutive hyphen pieces, joined: cx-rnem-gov → cx, cxrnem, cxrnemgov, …"""
    pieces = [piece for piece in re.split(r"[-_]", label) if piece]
    return {"".join(pieces[start:end]) for start, end in combinations(range(len(pieces) + 1), 2)}


def embedded_official_host(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """An official host or domain followed by another registrable domain (x.gov.cn.example.com)."""
    dotted = f".{parts.host}."
    for platform in vocabulary.platforms:
        for official, score in [
            *((host, EMBEDDED_HOST_SCORE) for host in platform.hosts),
            *((domain, EMBEDDED_DOMAIN_SCORE) for domain in platform.registered_domains),
        ]:
            position = dotted.find(f".{official}.")
            rest = dotted[position + len(official) + 2 :].rstrip(".")
            if position >= 0 and rest and rest != parts.suffix:
                return Finding(score, platform.main_host, f"{official} 后接 {rest}")
    return None


def suffix_swap(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """The official name under another suffix: mem.gov.cn.com, mohurd.com.cn, cnse-e-cqs.top."""
    dotted = f".{parts.host}"
    domain_label = parts.registered_domain.removesuffix("." + parts.suffix)
    for platform in vocabulary.platforms:
        for official in platform.registered_domains:
            if dotted.endswith(f".{official}.{parts.suffix}"):
                return Finding(
                    SWAPPED_SUFFIX_SCORE, platform.main_host, f"{official}.{parts.suffix}"
                )
            name = official.removesuffix(".gov.cn").split(".")[0]
            if f"-{name}-" in f"-{domain_label}-" and not _under(parts.host, official):
                short = len(name) <= SHORT_LABEL_LENGTH
                score = SWAPPED_SHORT_LABEL_SCORE if short else SWAPPED_LABEL_SCORE
                return Finding(score, platform.main_host, f"{name} 改用 .{parts.suffix}")
    return None


def _best_platform(
    tokens: set[str], table: Callable[[Platform], Mapping[str, int]], vocabulary: Vocabulary
) -> tuple[Platform | None, float]:
    scored = [(sum(table(p).get(t, 0) for t in tokens), p) for p in vocabulary.platforms]
    weight, platform = max(scored, key=lambda pair: pair[0])
    return (platform, weight) if weight else (None, 0.0)


def token_combination(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """Two or more pieces of official host names, any order or separator: cx-mem-gov, memgov-cx."""
    tokens = _tokens(parts, vocabulary.words)
    platform, weight = _best_platform(tokens, lambda p: p.host_tokens, vocabulary)
    generic = [t for t in tokens if t in vocabulary.generic_host_tokens]
    used = [t for t in tokens if platform and t in platform.host_tokens] + generic
    if platform is None or len(used) < 2:
        return None
    score = min(TOKEN_SCORE_CAP, weight + sum(vocabulary.generic_host_tokens[t] for t in generic))
    return Finding(score, platform.main_host, "+".join(sorted(used)))


def pinyin_tokens(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """Pinyin or abbreviations of the agency or certificate: yjglb, tzzycx, zhengshu-chaxun."""
    tokens = _tokens(parts, vocabulary.words)
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
    score = (
        weight
        + sum(vocabulary.generic_pinyin_tokens[t] for t in generic)
        + sum(
            target.host_tokens.get(t, vocabulary.generic_host_tokens.get(t, 0)) for t in companions
        )
    )
    used = [t for t in tokens if t in target.pinyin_tokens] + generic + companions
    return Finding(min(TOKEN_SCORE_CAP, score), target.main_host, "+".join(sorted(used)))


def typosquat(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """A spelling one or two edits (or look-alike letters) away from an official name: cx-rnem."""
    candidates = {run for label in parts.unicode_labels for run in _piece_runs(label)}
    candidates.add(_compact("".join(parts.labels)))
    for candidate in sorted(candidates, key=len, reverse=True):
        if len(candidate) < SHORT_LABEL_LENGTH or candidate in vocabulary.typo_keys:
            continue
        unglyphed = vocabulary.undo_homoglyphs(candidate)
        for key, host in vocabulary.typo_keys.items():
            if unglyphed == key:
                return Finding(HOMOGLYPH_SCORE, host, f"{candidate}≈{key}（形近字符）")
            allowed = 1 if len(key) <= SHORT_LABEL_LENGTH + 2 else 2
            if DamerauLevenshtein.distance(candidate, key) <= allowed:
                return Finding(TYPOSQUAT_SCORE, host, f"{candidate}≈{key}")
    return None


SIGNALS: tuple[Callable[[HostParts, Vocabulary], Finding | None], ...] = (
    embedded_official_host,
    suffix_swap,
    token_combination,
    pinyin_tokens,
    typosquat,
)


@cache
def _vocabulary() -> Vocabulary:
    return Vocabulary(load_library())


def score_domain(url_or_host: str) -> DomainScore:
    """Score a URL or host as a lookalike of an official platform; never raises on bad input."""
    parts = host_parts(url_or_host)
    if not parts.host:
        return DomainScore(0, "", ("无法解析域名",))
    if parts.is_ip:
        return DomainScore(0, "", ("IP 地址，无域名可比对",))
    if is_official_host(parts.host):
        return DomainScore(0, "", ("官方查询平台域名",))
    if is_government_host(parts.host):
        return DomainScore(0, "", ("政府网站域名（gov.cn）",))
    vocabulary = _vocabulary()
    findings = {signal.__name__: signal(parts, vocabulary) for signal in SIGNALS}
    fired = {name: finding for name, finding in findings.items() if finding and finding.score}
    if not fired:
        return DomainScore(0, "", ())
    strongest = max(fired.values(), key=lambda finding: finding.score)
    bonus = MULTI_SIGNAL_BONUS if len(fired) > 1 else 0
    reasons = tuple(
        f"域名仿冒 {finding.target}（{SIGNAL_NAMES[name]}：{finding.detail}）"
        for name, finding in sorted(fired.items(), key=lambda item: -item[1].score)
    )
    return DomainScore(
        score=min(100, round(strongest.score + bonus)),
        target=strongest.target,
        reasons=reasons,
        signals={name: finding.score for name, finding in fired.items()},
    )
