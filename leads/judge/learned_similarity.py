"""What analysts decided, as a signal in the verdict: how like a page is to the leads they
confirmed (已确认) and to those they rejected (误报).

Representation: character bigrams and trigrams of the folded text (``normalize.fold``: simplified,
half width, variants made canonical), weighted by TF-IDF over the decided examples and compared by
cosine. Chinese has no spaces and we ship no word segmenter; character n-grams need none, catch a
seller's reworded template (the same phrases in another order) and, after folding, the same text
in traditional script or with separators. Words holding digits (phones, ids, prices) count as one
placeholder: a template filled in with another phone is the same wording. IDF is counted over the
decided pages, so what every decided page says (证书, 联系电话) weighs little and what sets a kind
of page apart (a school's 报名咨询, a seller's new slang) weighs much — as if among UNRELATED_PAGES
more pages, so that while decisions are few a family's own wording, shared by all its decided
pages, is not discounted as "common". Cosine makes a long page and a short one comparable. It is
small, exact and explainable: "87% similar to L000123" is a fact anyone can re-compute, which a
trained classifier's probability is not.

Calibration (2026-12-04, the 1,859 dev texts of bench/detection_bench.py as decisions; these are
short texts, so similarities run lower than between pages of one template): on the 430 dev3 texts
the signal changes no verdict at SIMILAR_CUT 0.5, raises 1 innocent text at 0.4 and 4 (for 1
missed seller) at 0.3; leaving each dev text out in turn, 0.5 raises 2 missed sellers and 1
innocent text (a 考核培训班 ad sharing its certificate names with two confirmed sellers), 0.4
raises 2 and 2, 0.3 raises 4 and 11 and lowers 1 seller. Pages of one template
(tests/data/learning_pages.toml) sit at 0.5–0.9.

The signal (``with_learned_signal``), once the model is active (at least MIN_CONFIRMED confirmed
and MIN_FALSE_POSITIVES rejected examples):

- RAISE: a page the rules did not make a lead, like (cosine ≥ SIMILAR_CUT) at least MIN_AGREEING
  confirmed leads and liker to them than to any false positive, becomes a ``fake_ad`` lead at the
  threshold score (the rules do not vouch for it; the analysts' precedent does). Never an official
  or government host, never a page the rules read as news, a notice or a warning about fakes.
- LOWER: a ``fake_ad`` lead of the rules, like at least MIN_AGREEING false positives and liker to
  them than to any confirmed lead, drops below the threshold. A lookalike site is judged on its
  domain and its copy of a platform, which no wording changes, so it is never lowered.

Either way the learned reason comes first and every reason of the rules stays after it; the
similarities are named signals (``learned.confirmed``, ``learned.false_positive``) and the change
of score is ``learned``. A page is never its own precedent (its URL is left out). The model's
``version`` (a hash of its examples) enters the verdict fingerprint (``PageJudge``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from leads.judge.domains import host_parts, is_government_host, is_official_host
from leads.judge.normalize import CJK, fold
from leads.judge.verdict import (
    ABOUT_FAKES_CONTEXTS,
    LEAD_THRESHOLD,
    Verdict,
    route,
    sales_verdict,
)

CONFIRMED, FALSE_POSITIVE = "confirmed", "false_positive"
LABELS = {CONFIRMED: "已确认线索", FALSE_POSITIVE: "误报线索"}
MIN_CONFIRMED = 5  # decisions of each kind before the signal may change a verdict
MIN_FALSE_POSITIVES = 5
SIMILAR_CUT = 0.5  # cosine from which a decided page counts as "like" this one
MIN_AGREEING = 2  # one odd decision is not a precedent: two like pages of the same kind are
MAX_TEXT_CHARS = 20_000  # a page is compared on its first characters
NGRAM_SIZES = (2, 3)
UNRELATED_PAGES = 50  # IDF counts the decided pages as if among this many unrelated ones
SHOWN_PRECEDENTS = 3
WORD_RUNS = re.compile(f"[{CJK}a-z0-9]+")  # punctuation and spaces split runs; grams stay inside
# Phone numbers, ids, prices and dates say who and when, not how a page is worded: any ASCII word
# holding a digit counts as one placeholder, so a template filled in with another seller's phone
# is still the same template (who is behind a page is the seller networks' concern).
NUMBERED_WORDS = re.compile(r"[a-z0-9]*[0-9][a-z0-9]*")


def lead_label(lead_id: int) -> str:
    """How a lead is named to people: L000042 (as in evidence folders)."""
    return f"L{int(lead_id):06d}"


def page_text(title: str, text: str) -> str:
    """What is compared of a page: its title and text, as the verdict reads them, up to
    MAX_TEXT_CHARS (a criminal's page may be megabytes long; its offer is near the top)."""
    return f"{title}\n{text}"[:MAX_TEXT_CHARS]


def ngrams(text: str) -> Counter[str]:
    """Character bigrams and trigrams of the folded text, counted."""
    counts: Counter[str] = Counter()
    for run in WORD_RUNS.findall(NUMBERED_WORDS.sub("0", fold(text[:MAX_TEXT_CHARS]))):
        for size in NGRAM_SIZES:
            counts.update(run[i:i + size] for i in range(len(run) - size + 1))
    return counts


@dataclass(frozen=True)
class DecidedExample:
    """A lead an analyst decided, with the text of its page."""

    lead_id: int
    label: str  # CONFIRMED | FALSE_POSITIVE
    url: str
    text: str  # page_text(title, text)


@dataclass(frozen=True)
class Neighbour:
    """A decided lead and how like the compared page it is (cosine, 0–1)."""

    lead_id: int
    label: str
    url: str
    similarity: float

    @property
    def percent(self) -> int:
        return math.floor(self.similarity * 100)

    def describe(self) -> str:
        """``与已确认线索 L000123 相似 87%``."""
        return f"与{LABELS[self.label]} {lead_label(self.lead_id)} 相似 {self.percent}%"


class LearnedModel:
    """The decided examples as TF-IDF vectors, with an inverted index to compare a page with all
    of them at once. Built from examples alone (``LearnedModel(examples)``), so the same examples
    always make the same model and the same ``version``."""

    def __init__(self, examples: Iterable[DecidedExample]) -> None:
        self.examples = tuple(sorted(examples, key=lambda example: example.lead_id))
        counted = [ngrams(example.text) for example in self.examples]
        documents = Counter(gram for counts in counted for gram in counts)
        total = len(self.examples)
        total += UNRELATED_PAGES
        self.idf = {gram: math.log((1 + total) / (1 + df)) + 1 for gram, df in documents.items()}
        self.unseen_idf = math.log(1 + total) + 1
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for index, counts in enumerate(counted):
            for gram, weight in self._unit_vector(counts).items():
                examples, weights = postings.setdefault(gram, ([], []))
                examples.append(index)
                weights.append(weight)
        # gram → (examples holding it, its weight in each): a page is compared with every
        # example at once by summing its grams' postings (numpy: a page has thousands of grams).
        self.postings = {gram: (np.array(examples, dtype=np.int32), np.array(weights))
                         for gram, (examples, weights) in postings.items()}
        self.confirmed = sum(example.label == CONFIRMED for example in self.examples)
        self.false_positives = sum(example.label == FALSE_POSITIVE for example in self.examples)

    @property
    def active(self) -> bool:
        """Enough decisions of both kinds for the signal to change a verdict."""
        return self.confirmed >= MIN_CONFIRMED and self.false_positives >= MIN_FALSE_POSITIVES

    @cached_property
    def version(self) -> str:
        """A hash of the examples (lead, decision, URL, text): what a verdict given with it depends
        on. The empty model's version is ""."""
        if not self.examples:
            return ""
        digest = hashlib.sha256()
        for example in self.examples:
            text_hash = hashlib.sha256(example.text.encode()).hexdigest()
            digest.update(
                f"{example.lead_id}\t{example.label}\t{example.url}\t{text_hash}\n".encode())
        return digest.hexdigest()[:12]

    def _unit_vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {gram: (1 + math.log(n)) * self.idf.get(gram, self.unseen_idf)
                   for gram, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {gram: w / norm for gram, w in weights.items()}

    def neighbours(self, text: str, exclude_url: str = "",
                   exclude_lead: int | None = None) -> list[Neighbour]:
        """Every decided page sharing anything with ``text`` (title + text), most similar first;
        the page's own lead (by URL or id) left out."""
        shared = [(self.postings[gram], weight)
                  for gram, weight in self._unit_vector(ngrams(text)).items()
                  if gram in self.postings]
        if not shared:
            return []
        scores = np.bincount(np.concatenate([examples for (examples, _), _ in shared]),
                             np.concatenate([weights * weight for (_, weights), weight in shared]),
                             minlength=len(self.examples))
        found = []
        for index in np.flatnonzero(scores > 0):
            example = self.examples[index]
            if (exclude_url and example.url == exclude_url) or example.lead_id == exclude_lead:
                continue
            similarity = min(1.0, float(scores[index]))
            found.append(Neighbour(example.lead_id, example.label, example.url, similarity))
        return sorted(found, key=lambda n: (-n.similarity, n.lead_id))


def _best(neighbours: list[Neighbour], label: str) -> float:
    return next((n.similarity for n in neighbours if n.label == label), 0.0)


def _precedents(neighbours: list[Neighbour], label: str) -> list[Neighbour]:
    return [n for n in neighbours if n.label == label and n.similarity >= SIMILAR_CUT]


def _listed(precedents: list[Neighbour]) -> str:
    shown = "、".join(lead_label(n.lead_id) for n in precedents[:SHOWN_PRECEDENTS])
    return f"{shown}{'等' if len(precedents) > SHOWN_PRECEDENTS else ''}"


def raise_reason(precedents: list[Neighbour], rule_score: int) -> str:
    return (f"{precedents[0].describe()}：规则得分 {rule_score} 未达阈值 {LEAD_THRESHOLD}，"
            f"但与 {len(precedents)} 条已确认线索相似（{_listed(precedents)}），"
            f"按分析员以往的判定列为线索")


def lower_reason(precedents: list[Neighbour], rule_score: int) -> str:
    return (f"{precedents[0].describe()}，分析员已多次判为误报（{len(precedents)} 条相似误报："
            f"{_listed(precedents)}）：规则得分 {rule_score}，按以往的判定不作为线索")


ABOUT_FAKES_REASONS = frozenset(sales_verdict(context, 0)[1] for context in ABOUT_FAKES_CONTEXTS)


def may_raise(verdict: Verdict, final_url: str) -> bool:
    """Rules that no precedent overrides: official and government hosts, and pages about fakes
    (news, notices, warnings), never lead."""
    host = host_parts(final_url).host
    return (not verdict.is_lead and not is_official_host(host) and not is_government_host(host)
            and not ABOUT_FAKES_REASONS.intersection(verdict.reasons))


def with_learned_signal(verdict: Verdict, model: LearnedModel | None, text: str,
                        final_url: str) -> Verdict:
    """The rules' ``verdict`` on a page (``text``: title + text, at ``final_url``) with what the
    analysts' decisions say of pages like it; unchanged while the model is not active."""
    if model is None or not model.active:
        return verdict
    neighbours = model.neighbours(text, exclude_url=final_url)
    best_confirmed, best_rejected = _best(neighbours, CONFIRMED), _best(neighbours, FALSE_POSITIVE)
    signals = {**verdict.signals, "learned.confirmed": round(100 * best_confirmed, 1),
               "learned.false_positive": round(100 * best_rejected, 1), "learned": 0.0}
    confirmed = _precedents(neighbours, CONFIRMED)
    rejected = _precedents(neighbours, FALSE_POSITIVE)
    if (len(confirmed) >= MIN_AGREEING and best_confirmed > best_rejected
            and may_raise(verdict, final_url)):
        score = max(verdict.score, LEAD_THRESHOLD)
        return replace(
            verdict, category="fake_ad", score=score, target="",
            agencies=route("fake_ad", verdict.contacts, host_parts(final_url), ""),
            reasons=(raise_reason(confirmed, verdict.score), *verdict.reasons),
            signals={**signals, "learned": float(score - verdict.score)})
    if (len(rejected) >= MIN_AGREEING and best_rejected > best_confirmed
            and verdict.is_lead and verdict.category == "fake_ad"):
        score = min(verdict.score, LEAD_THRESHOLD - 1)
        return replace(
            verdict, category="none", score=score, target="", agencies=(),
            reasons=(lower_reason(rejected, verdict.score), *verdict.reasons),
            signals={**signals, "learned": float(score - verdict.score)})
    return replace(verdict, signals=signals)
