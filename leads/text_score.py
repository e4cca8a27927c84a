"""Score how strongly a text sells fake certificates, with reasons an analyst can read.

One Aho-Corasick pass over the folded text finds every library term (certificates, fraud signals,
negative context). Short terms are kept only where jieba puts a word boundary (包过 yes, 打包过来
no). Sales phrases add up; words of news, notices, warnings, lawful training and job posts are
subtracted, so an article quoting “免考”“包过” to warn the public scores low, and a sales phrase
right after a denial (拒绝代考, 没有免考的渠道) does not count. Pure function.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import NamedTuple

import ahocorasick
import jieba

from keywords import KeywordLibrary, load_library
from leads.contacts import contacts_in_folded
from leads.normalize import CJK, fold

MAX_SCAN_CHARS = 200_000
FRAUD_CAP = 60  # sales phrases alone can reach 60 of 100
CERTIFICATE_CAP = 25
EXTRA_FAMILY_POINTS = 5  # per further certificate family named (price lists of many cards)
DIRECT_CONTACT_POINTS = 15  # phone, WeChat, QQ, Telegram: a seller can be reached
INDIRECT_CONTACT_POINTS = 8  # e-mail or a masked number only
NO_FRAUD_CAP = 35  # without any sales phrase a text never reaches the lead threshold
QUOTED_FACTOR = 0.5  # “包过” in quotation marks is usually reported speech
CONTEXT_MIN_WEIGHT = 30  # negative weight from which a text has a dominant context
SHORT_TERM_LENGTH = 2  # terms this short must sit on jieba word boundaries
BOUNDARY_WINDOW = 8
# A denial right before a sales phrase ("不"/"无" adjacent, or 拒绝/严禁/没有… up to two
# characters before) is a school or a warning speaking; phrases listed after a denied one
# ("拒绝代考、包过") are denied too.
DENIAL = re.compile(
    r"(?:(?:拒绝|严禁|禁止|杜绝|谢绝|没有|并非|不存在|不是|不可能).{0,2}|[不无非])$"
)
DENIAL_WINDOW = 8
DENIAL_LIST_JOINERS = frozenset("、和或及与/ ")
CJK_CHARACTER = re.compile(f"[{CJK}]")
# A short quotation (“免考包过”, “全国联网可查”): sales phrases inside it are reported speech.
QUOTATION = re.compile(
    r"“[^“”]{1,20}”|「[^「」]{1,20}」|『[^『』]{1,20}』|‘[^‘’]{1,20}’|\"[^\"]{1,20}\""
)
DIRECT_CONTACT_KINDS = ("phone:", "wechat:", "qq:", "telegram:")
SHOWN_ITEMS = 6

CONTEXT_NAMES = {
    "news": "新闻报道",
    "notice": "官方通报",
    "warning": "防骗提示",
    "training": "正规培训",
    "job": "招聘信息",
    "qa": "问答科普",
    "service": "政务服务",
}


class Hit(NamedTuple):
    start: int
    end: int
    kind: str  # "certificate" | "fraud" | "negative"
    index: int  # position of the entry in its library list


class Weights(NamedTuple):
    by_kind: dict[str, dict[int, float]]  # kind → entry index → weight counted
    quoted_sales: bool  # some sales phrase was only seen between quotation marks
    denied: tuple[str, ...]  # sales phrases seen only after a denial


@dataclass(frozen=True)
class TextScore:
    """A text's sales score (0–100) and what it rests on."""

    score: int
    matches: Mapping[str, tuple[str, ...]]  # kind → distinct terms in order found
    families: tuple[str, ...]
    contacts: tuple[str, ...]
    context: str  # dominant negative-context tag ("news", "training", …) or ""
    reasons: tuple[str, ...]
    signals: Mapping[str, float]

    def terms(self, kind: str) -> tuple[str, ...]:
        return self.matches.get(kind, ())


def _shown(items: tuple[str, ...] | list[str]) -> str:
    return "、".join(items[:SHOWN_ITEMS]) + ("等" if len(items) > SHOWN_ITEMS else "")


class TextScorer:
    """The automaton and tokenizer for one keyword library, built once."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.library = library
        self._entries = {
            "certificate": library.certificates,
            "fraud": library.fraud_signals,
            "negative": library.negative_context,
        }
        # folded term → (kind, entry index); a term listed twice counts for its first entry.
        first_entry: dict[str, tuple[str, int]] = {}
        for kind, entries in self._entries.items():
            for index, entry in enumerate(entries):
                first_entry.setdefault(fold(entry.term), (kind, index))
        self.terms = tuple((term, kind, index) for term, (kind, index) in first_entry.items())
        self._automaton = ahocorasick.Automaton()
        for term, kind, index in self.terms:
            self._automaton.add_word(term, (kind, index, len(term)))
        self._automaton.make_automaton()

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        """A dedicated jieba tokenizer with the library's words (the global one stays untouched)."""
        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO level
        tokenizer = jieba.Tokenizer()
        tokenizer.load_userdict(io.StringIO("\n".join(self.library.user_dictionary_lines())))
        return tokenizer

    def occurrences(self, folded: str) -> list[Hit]:
        """Every occurrence of every library term, in one Aho–Corasick pass."""
        return [
            Hit(end - length + 1, end + 1, kind, index)
            for end, (kind, index, length) in self._automaton.iter(folded)
        ]

    def _hits(self, folded: str) -> list[Hit]:
        """All term occurrences, minus those inside a longer one (办证 inside 办证大厅)."""
        found = sorted(self.occurrences(folded), key=lambda hit: (hit.start, -hit.end))
        kept: list[Hit] = []
        for hit in found:
            if not kept or hit.end > kept[-1].end:  # else inside an earlier, longer hit
                kept.append(hit)
        return kept

    def _word_edges(self, folded: str, hits: list[Hit]) -> set[int]:
        """Positions where jieba puts a word boundary, around the short hits only.

        Overlapping windows are merged, so a line with several short terms is cut once.
        """
        regions: list[list[int]] = []
        for hit in hits:
            if not _short_and_embedded(folded, hit):
                continue
            left, right = max(0, hit.start - BOUNDARY_WINDOW), hit.end + BOUNDARY_WINDOW
            if regions and left <= regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], right)
            else:
                regions.append([left, right])
        edges: set[int] = set()
        for left, right in regions:
            edge = left
            edges.add(edge)
            for word in self._tokenizer.cut(folded[left:right], HMM=False):
                edge += len(word)
                edges.add(edge)
        return edges

    def _weights(self, folded: str, hits: list[Hit]) -> Weights:
        """Per kind, entry index → weight of its best occurrence.

        Quoted occurrences count half; a short term counts only where jieba puts word
        boundaries around it; a denied sales phrase does not count.
        """
        weights: dict[str, dict[int, float]] = {kind: {} for kind in self._entries}
        denied: dict[str, None] = {}
        last_denied_end = -1
        quotations = [match.span() for match in QUOTATION.finditer(folded)]
        edges = self._word_edges(folded, hits)
        for hit in hits:
            chosen = weights[hit.kind]
            entry = self._entries[hit.kind][hit.index]
            if chosen.get(hit.index) == entry.weight:
                continue
            if _short_and_embedded(folded, hit) and not {hit.start, hit.end} <= edges:
                continue
            if hit.kind == "fraud" and _is_denied(folded, hit, last_denied_end):
                denied[entry.term] = None
                last_denied_end = hit.end
                continue
            quoted = any(start <= hit.start and hit.end <= end for start, end in quotations)
            weight = entry.weight * (QUOTED_FACTOR if quoted else 1.0)
            chosen[hit.index] = max(chosen.get(hit.index, 0.0), weight)
        quoted_sales = any(
            weight < self.library.fraud_signals[index].weight
            for index, weight in weights["fraud"].items()
        )
        counted = {self.library.fraud_signals[index].term for index in weights["fraud"]}
        return Weights(weights, quoted_sales, tuple(t for t in denied if t not in counted))

    def score(self, text: str) -> TextScore:
        """Score ``text`` (only its first MAX_SCAN_CHARS characters are read)."""
        text = text[:MAX_SCAN_CHARS]
        folded = fold(text)
        weights, quoted_sales, denied = self._weights(folded, self._hits(folded))
        contacts = tuple(contacts_in_folded(folded))
        terms = {
            kind: tuple(self._entries[kind][index].term for index in chosen)
            for kind, chosen in weights.items()
            if chosen
        }
        families = tuple(
            dict.fromkeys(
                self.library.certificates[index].family for index in weights["certificate"]
            )
        )
        fraud = min(FRAUD_CAP, sum(weights["fraud"].values()))
        certificate = min(
            CERTIFICATE_CAP,
            max(weights["certificate"].values(), default=0)
            + EXTRA_FAMILY_POINTS * max(len(families) - 1, 0),
        )
        contact = _contact_points(contacts)
        negative = sum(weights["negative"].values())
        positive = (
            fraud + certificate + contact if fraud else min(certificate + contact, NO_FRAUD_CAP)
        )
        context = self._context(weights["negative"])
        reasons = _reasons(terms, families, contacts, context, negative)
        if quoted_sales:
            reasons += ("部分推销用语只出现在引号中（多为转述），按半数计分",)
        if denied:
            reasons += (f"否定说法中的推销用语不计分：{_shown(denied)}",)
        return TextScore(
            score=max(0, min(100, round(positive - negative))),
            matches=terms,
            families=families,
            contacts=contacts,
            context=context,
            reasons=reasons,
            signals={
                "fraud_terms": fraud,
                "certificates": certificate,
                "contacts": contact,
                "negative_context": -negative,
            },
        )

    def _context(self, negative: Mapping[int, float]) -> str:
        by_tag: dict[str, float] = {}
        for index, weight in negative.items():
            tag = self.library.negative_context[index].tag
            by_tag[tag] = by_tag.get(tag, 0.0) + weight
        if sum(by_tag.values()) < CONTEXT_MIN_WEIGHT:
            return ""
        return max(by_tag, key=by_tag.__getitem__)


def _short_and_embedded(folded: str, hit: Hit) -> bool:
    """A short term touching a CJK character: only jieba can tell whether it is a word there.

    With no CJK neighbour ("，包过。", "100%包过") it is on word boundaries already.
    """
    if hit.end - hit.start > SHORT_TERM_LENGTH:
        return False
    before = folded[hit.start - 1] if hit.start else ""
    after = folded[hit.end : hit.end + 1]
    return bool(CJK_CHARACTER.match(before) or CJK_CHARACTER.match(after))


def _is_denied(folded: str, hit: Hit, last_denied_end: int) -> bool:
    between = folded[last_denied_end : hit.start] if last_denied_end >= 0 else None
    if between is not None and len(between) <= 1 and set(between) <= DENIAL_LIST_JOINERS:
        return True
    return bool(DENIAL.search(folded[max(0, hit.start - DENIAL_WINDOW) : hit.start]))


def _contact_points(contacts: tuple[str, ...]) -> int:
    if any(contact.startswith(DIRECT_CONTACT_KINDS) for contact in contacts):
        return DIRECT_CONTACT_POINTS
    return INDIRECT_CONTACT_POINTS if contacts else 0


def _reasons(
    terms: Mapping[str, tuple[str, ...]],
    families: tuple[str, ...],
    contacts: tuple[str, ...],
    context: str,
    negative: float,
) -> tuple[str, ...]:
    reasons = []
    if terms.get("fraud"):
        reasons.append(f"页面含办证推销用语：{_shown(terms['fraud'])}")
    if terms.get("certificate"):
        reasons.append(f"提及证书：{_shown(terms['certificate'])}（{'、'.join(families)}）")
    if contacts:
        reasons.append(f"含联系方式：{_shown(contacts)}")
    if terms.get("negative"):
        label = f"{CONTEXT_NAMES.get(context, context)}语境" if context else "反向语境"
        reasons.append(f"{label}用语：{_shown(terms['negative'])}（扣减 {round(negative)} 分）")
    return tuple(reasons)


@cache
def _default_scorer() -> TextScorer:
    return TextScorer(load_library())


def score_text(text: str) -> TextScore:
    """Score a text against the default keyword library."""
    return _default_scorer().score(text)
