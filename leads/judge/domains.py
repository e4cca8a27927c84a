"""Recognise domains that imitate the official verification platforms.

Each kind of imitation is a small named signal function (embedded official host, suffix swap,
token combination, pinyin tokens, typosquat, homoglyph); a DomainScore lists the signals that
fired, by name, so an analyst can read *why* a host is a lookalike. Official platform hosts and
every *.gov.cn host score 0. Host parsing is offline (tldextract with its bundled suffix list) and
never raises; a host that cannot be a registrable name says why in ``HostParts.problem``.

Speed (``bench/score_domains_bench.py``): plain ASCII hosts skip URL parsing and each label passes
a cheap test before its facts are built (``leads.judge.domain_vocabulary``). The parts live in
their own modules: host parsing (``hostnames``), label pieces and typo keys (``label_pieces``), the
platform vocabulary (``domain_vocabulary``) and the signals (``domain_signals``); this module
combines them into a score, adds the look-alike letter reading and writes the domain CSV row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from keywords import load_library
from leads.judge.domain_signals import SIGNAL_NAMES, Finding, HostView, findings, host_view
from leads.judge.domain_vocabulary import Vocabulary
from leads.judge.hostnames import (
    GOVERNMENT_SUFFIX,
    MAX_HOST_LENGTH,
    HostParts,
    bare_host,
    host_parts,
    host_problem,
    ip_parts,
    is_under,
    split_host,
)

HOMOGLYPH_BONUS = 30  # look-alike letters spelling an official name are deliberate
HOMOGLYPH_MIN = 30  # …but only when the plain reading itself resembles a platform
MULTI_SIGNAL_BONUS = 10
HOST_CACHE_SIZE = 65_536


@dataclass(frozen=True)
class DomainScore:
    """How much a host looks like an official platform (0–100) and which one."""

    score: int
    target: str
    reasons: tuple[str, ...]
    signals: Mapping[str, float] = field(default_factory=dict)


NOT_SIMILAR = DomainScore(0, "", ())


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
    return ".".join(shown) + suffix, host_view(host, labels, parts.suffix, vocabulary)


def homoglyph(parts: HostParts, vocabulary: Vocabulary) -> Finding | None:
    """Look-alike letters (Cyrillic с, IDN, rn for m, 0 for o) that spell an imitation: сх-mem."""
    skeleton = _skeleton(parts, vocabulary)
    if skeleton is None:
        return None
    shown, view = skeleton
    found = findings(view, vocabulary)
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
    return is_under(name, GOVERNMENT_SUFFIX) or vocabulary.is_official(name)


def is_government_host(host: str) -> bool:
    """True for any *.gov.cn host and the official platforms (cnse.e-cqs.cn is not under gov.cn)."""
    return _is_government(host_parts(host).host, _vocabulary())


def score_domain(url_or_host: str) -> DomainScore:
    """Score a URL or host as a lookalike of an official platform; never raises on bad input."""
    return _score_host(bare_host(url_or_host))


@lru_cache(maxsize=HOST_CACHE_SIZE)
def _score_host(host: str) -> DomainScore:
    vocabulary = _vocabulary()
    if ip_parts(host):
        return DomainScore(0, "", ("IP 地址，无域名可比对",))
    problem = host_problem(host)
    if problem:
        return DomainScore(0, "", (problem,))
    if vocabulary.is_official(host):
        return DomainScore(0, "", ("官方查询平台域名",))
    if is_under(host, GOVERNMENT_SUFFIX):
        return DomainScore(0, "", ("政府网站域名（gov.cn）",))
    if not vocabulary.worth_splitting(host):
        return NOT_SIMILAR
    parts = split_host(host)
    view = host_view(parts.host, parts.labels, parts.suffix, vocabulary)
    fired = findings(view, vocabulary)
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
        host = bare_host(text)
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
