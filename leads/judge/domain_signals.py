"""The lookalike signals: each kind of imitation of an official host as one small function.

Each signal reads a ``HostView`` (a host's labels and their facts) and returns a ``Finding``
(points, target, detail) or None: embedded official host, suffix swap, official label, token
combination, campaign words, name context, pinyin tokens, typosquat. ``findings`` runs them all
on one view, after a cheap test that any of them can fire; the look-alike letter reading
(``homoglyph``) runs them again on the host's plain-letter skeleton in ``leads.judge.domains``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from keywords import Platform
from leads.judge.domain_vocabulary import SHORT_LABEL_LENGTH, LabelFacts, Vocabulary
from leads.judge.label_pieces import TypoKey, compact_form
from leads.judge.label_variants import Variant

SWAPPED_SUFFIX_SCORE = 85  # mem.gov.cn.com, mohurd.gov.cn.cn.com
SWAPPED_LABEL_SCORE = 75  # mohurd.com.cn, e-cqs.top
SWAPPED_SHORT_LABEL_SCORE = 40  # mem.com: a short name proves little alone
TOKEN_SCORE_CAP = 90
TYPOSQUAT_SCORE = 80
OFFICIAL_LABEL_SCORE = 75  # zlaq.com, www.cnse.top: a distinctive official label as it is
CAMPAIGN_WORDS_SCORE = 80  # mohurdsanlei.vip, zlaq-chaxun2024.com
NAME_CONTEXT_SCORE = 60  # mem.cn, mem-anquan.com: a short official name beside its context
PSEUDO_SUFFIXES = frozenset({"cn", "com", "net", "org", "gov"})  # x.cn.com, x.com.de: still "x"

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


class Finding(NamedTuple):
    score: float
    target: str
    detail: str


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


def host_view(host: str, labels: tuple[str, ...], suffix: str, vocabulary: Vocabulary) -> HostView:
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
    return vocabulary.near_spelling(compact_form("".join(view.name_labels)))


def _split_bend(view: HostView, vocabulary: Vocabulary) -> tuple[str, Variant] | None:
    """The labels, joined, as a distinctive label or one bend of it: z.laq.cn, e-c.qs.cn."""
    joined = compact_form("".join(view.name_labels))
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
    joined = compact_form("".join(view.name_labels))
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


def findings(view: HostView, vocabulary: Vocabulary) -> dict[str, Finding]:
    if not _notable(view, vocabulary):
        return {}
    found = {signal.__name__: signal(view, vocabulary) for signal in BASE_SIGNALS}
    return {name: finding for name, finding in found.items() if finding and finding.score}
