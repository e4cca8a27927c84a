"""Find a keyword library's terms and concepts in a folded text, and weigh each occurrence.

Two matchers read the folded, respelled text: one Aho-Corasick pass finds the library's finished
phrases (certificates, fraud signals, negative context; short terms only where jieba puts a word
boundary: 包过 yes, 打包过来 no), and the small grammars of keywords/concepts.tsv find the
paraphrases. Each occurrence is weighed by the voice it is in (``leads.judge.text_voice``) and
each concept keeps its best one. This is the matching half of the text scorer, apart from the
scoring (``leads.judge.text_score``) that adds the weights up, so that a benchmark can swap the
phrase finder (``occurrences``) and keep everything else.
"""

from __future__ import annotations

import io
import logging
import re
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple

import ahocorasick
import jieba

from keywords import Concept, KeywordLibrary
from leads.judge.normalize import fold
from leads.judge.text_respell import CJK_CHARACTER
from leads.judge.text_voice import (
    QUOTED_FACTOR,
    REPORTED_FACTOR,
    is_denied,
    is_dismissed,
    is_inside,
    is_reported,
    sentence_end_positions,
)

SHORT_TERM_LENGTH = 2  # terms this short must sit on jieba word boundaries
BOUNDARY_WINDOW = 8
ASCII_WORD = re.compile(r"[a-zA-Z0-9]{2}")  # two letters or digits jieba keeps in one word
NEVER_FOLDED = "\x00"  # a placeholder word, so the automaton is never empty (harmless if found)
SALES_ROLES = ("claim", "offer")
BARE_NOUNS = frozenset({"CARD"})  # 证 said bare: a noun for frames, no kind of paper of its own
# A claim a lawful school or a holder makes too ("考试合格后证书官网可查"): it counts,
# but do not make a seller's sentence of their own.
NOT_FRAMING_CLAIMS = frozenset({"VERIFIABLE_ONLINE"})


class Hit(NamedTuple):
    start: int
    end: int
    kind: str  # "certificate" | "fraud" | "negative"
    index: int  # position of the entry in its library list


class Weights(NamedTuple):
    by_kind: dict[str, dict[int, float]]  # kind → entry index → weight counted
    quoted_sales: bool  # some sales phrase was only seen between quotation marks
    denied: tuple[str, ...]  # sales phrases seen only after a denial
    denied_spans: tuple[tuple[int, int], ...]  # where they stand
    positions: dict[str, list[tuple[int, int]]]  # kind → (start, entry index) of counted hits


class ConceptHit(NamedTuple):
    start: int
    end: int
    concept: Concept


class Evidence(NamedTuple):
    """A concept's best occurrence: its points and the words that said it."""

    points: float
    words: str
    full_voice: bool = True  # said in the text's own voice (not quoted, not reported)


class ConceptEvidence(NamedTuple):
    """What the concepts of a text rest on (``TextMatcher.concept_evidence``)."""

    best: dict[str, Evidence]  # concept → its best occurrence
    positions: dict[str, list[int]]  # frame role → starts of its counted hits
    denied: list[str]  # the words of denied claims
    documents: set[str]  # the distinct papers named (document role)


class TextMatcher:
    """The automaton, tokenizer and concept prefilter for one keyword library, built once."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.library = library
        self.entries_by_kind = {
            "certificate": library.certificates,
            "fraud": library.fraud_signals,
            "negative": library.negative_context,
        }
        # folded term → (kind, entry index); a term listed twice counts for its first entry.
        first_entry: dict[str, tuple[str, int]] = {}
        for kind, entries in self.entries_by_kind.items():
            for index, entry in enumerate(entries):
                first_entry.setdefault(fold(entry.term), (kind, index))
        self.terms = tuple((term, kind, index) for term, (kind, index) in first_entry.items())
        self._fraud_lengths = [len(fold(entry.term)) for entry in library.fraud_signals]
        self._automaton = ahocorasick.Automaton()
        for term, kind, index in self.terms:
            self._automaton.add_word(term, (kind, index, len(term)))
        self._automaton.make_automaton()
        # Prefilter (Concept.required, keywords.regex_factors): each distinct factor set gets a
        # bit. A text's one-character strings are its characters; longer strings are found by
        # a second automaton. A pattern is tried only on a text that holds a string of each of
        # its sets, and is filed under the strings of its most selective set, so a text looks
        # only at the patterns one of its strings can start to satisfy.
        set_ids: dict[frozenset[str], int] = {}
        self._concept_needs: list[tuple[Concept, int]] = []
        for concept in library.concepts:
            needed = 0
            for required in concept.required:
                needed |= 1 << set_ids.setdefault(required, len(set_ids))
            self._concept_needs.append((concept, needed))
        bits: dict[str, int] = {}
        for required, bit in set_ids.items():
            for string in required:
                bits[string] = bits.get(string, 0) | 1 << bit
        filed: dict[str, list[int]] = {}
        self._unfiltered: list[int] = []
        for position, concept in enumerate(library.concepts):
            if not concept.required:
                self._unfiltered.append(position)
                continue
            for string in concept.required[0]:
                filed.setdefault(string, []).append(position)
        # needed string → (bits of the sets holding it, patterns filed under it); a text's
        # characters are looked up here directly, its longer strings found by an automaton
        self._needed = {string: (bit, tuple(filed.get(string, ()))) for string, bit in bits.items()}
        self._needed[NEVER_FOLDED] = (0, ())
        self._factors = ahocorasick.Automaton()
        self._factors.add_word(NEVER_FOLDED, NEVER_FOLDED)  # so it is never empty
        for string in bits:
            if len(string) > 1:
                self._factors.add_word(string, string)
        self._factors.make_automaton()

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        """A dedicated jieba tokenizer with the library's words (the global one stays untouched)."""
        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO level
        tokenizer = jieba.Tokenizer()
        tokenizer.load_userdict(io.StringIO("\n".join(self.library.user_dictionary_lines())))
        return tokenizer

    def occurrences(self, folded: str) -> list[Hit]:
        """Every occurrence of every library term, in one Aho–Corasick pass (a benchmark swaps
        this for a naive search and expects the same scores)."""
        return [
            Hit(end - length + 1, end + 1, kind, index)
            for end, (kind, index, length) in self._automaton.iter(folded)
        ]

    def outermost_hits(self, folded: str) -> list[Hit]:
        """All term occurrences, minus those inside a longer one (办证 inside 办证大厅)."""
        found = sorted(self.occurrences(folded), key=lambda hit: (hit.start, -hit.end))
        kept: list[Hit] = []
        for hit in found:
            if not kept or hit.end > kept[-1].end:  # else inside an earlier, longer hit
                kept.append(hit)
        return kept

    @cached_property
    def _dictionary(self) -> tuple[dict[str, int], int]:
        """jieba's words with their counts (a prefix of a word is there with count 0), and the
        longest word's length."""
        self._tokenizer.check_initialized()
        return self._tokenizer.FREQ, max(map(len, self._tokenizer.FREQ))

    def _word_edges(self, folded: str, hits: list[Hit]) -> set[int]:
        """Positions where jieba puts a word boundary, around the short hits only.

        Overlapping windows are merged, so a line with several short terms is cut once; a window
        where no dictionary word crosses a short term's edges is not cut at all (``_crossed``).
        """
        regions: list[tuple[int, int, list[int]]] = []  # left, right, the short terms' edges
        for hit in hits:
            if not short_and_embedded(folded, hit):
                continue
            left, right = max(0, hit.start - BOUNDARY_WINDOW), hit.end + BOUNDARY_WINDOW
            if regions and left <= regions[-1][1]:
                regions[-1] = (regions[-1][0], max(regions[-1][1], right), regions[-1][2])
            else:
                regions.append((left, right, []))
            regions[-1][2].extend((hit.start, hit.end))
        edges: set[int] = set()
        for left, right, needed in regions:
            if not any(self._crossed(folded, edge, left, right) for edge in needed):
                edges.update(needed)
                continue
            edge = left
            edges.add(edge)
            for word in self._tokenizer.cut(folded[left:right], HMM=False):
                edge += len(word)
                edges.add(edge)
        return edges

    def _crossed(self, folded: str, edge: int, left: int, right: int) -> bool:
        """Whether jieba could cut ``folded[left:right]`` across ``edge``: some dictionary word
        spans it, or it lies between two letters or digits (jieba runs those together).

        Where neither holds, every cut passes through ``edge`` (all of jieba's candidate words
        end before it or start after it), so the cut need not be made: about one short term in
        seventy needs it, and cutting was a tenth of the scoring time.
        """
        if 0 < edge < len(folded) and ASCII_WORD.match(folded, edge - 1, edge + 1):
            return True
        words, longest = self._dictionary
        right = min(right, len(folded))
        for start in range(max(left, edge - longest + 1), edge):
            if folded[start:edge] not in words:
                continue
            for end in range(edge + 1, min(right, start + longest) + 1):
                word = folded[start:end]
                if word not in words:
                    break
                if words[word]:
                    return True
        return False

    def term_weights(
        self, folded: str, hits: list[Hit], quotations: list[tuple[int, int]]
    ) -> Weights:
        """Per kind, entry index → weight of its best occurrence.

        Quoted occurrences count half; a short term counts only where jieba puts word
        boundaries around it; a denied sales phrase does not count, nor a lawful word a seller
        waves aside (不用去培训学校).
        """
        weights: dict[str, dict[int, float]] = {kind: {} for kind in self.entries_by_kind}
        positions: dict[str, list[tuple[int, int]]] = {kind: [] for kind in self.entries_by_kind}
        denied: dict[str, None] = {}
        denied_spans: list[tuple[int, int]] = []
        last_denied_end = -1
        edges = self._word_edges(folded, hits)
        for hit in hits:
            chosen = weights[hit.kind]
            entry = self.entries_by_kind[hit.kind][hit.index]
            if short_and_embedded(folded, hit) and not {hit.start, hit.end} <= edges:
                continue
            if hit.kind == "fraud" and is_denied(folded, hit.start, last_denied_end, hit.end):
                denied[entry.term] = None
                denied_spans.append((hit.start, hit.end))
                last_denied_end = hit.end
                continue
            if hit.kind == "negative" and is_dismissed(folded, hit.start):
                continue
            positions[hit.kind].append((hit.start, hit.index))
            quoted = is_inside(hit.start, hit.end, quotations)
            weight = entry.weight * (QUOTED_FACTOR if quoted else 1.0)
            chosen[hit.index] = max(chosen.get(hit.index, 0.0), weight)
        quoted_sales = any(
            weight < self.library.fraud_signals[index].weight
            for index, weight in weights["fraud"].items()
        )
        counted = {self.library.fraud_signals[index].term for index in weights["fraud"]}
        return Weights(
            weights,
            quoted_sales,
            tuple(t for t in denied if t not in counted),
            tuple(denied_spans),
            positions,
        )

    def concept_hits(self, folded: str) -> list[ConceptHit]:
        """Every match of every concept pattern (concepts.tsv), pattern by pattern."""
        present = 0  # bit i: the text holds a string of factor set i
        candidates = set(self._unfiltered)
        needed = self._needed
        strings = needed.keys() & set(folded)  # the text's characters that some pattern needs
        strings.update(map(itemgetter(1), self._factors.iter(folded)))
        for string in strings:
            bit, filed = needed[string]
            present |= bit
            if filed:
                candidates.update(filed)
        needs = self._concept_needs
        return [
            ConceptHit(*match.span(), needs[position][0])
            for position in sorted(candidates)
            if needs[position][1] & present == needs[position][1]
            for match in needs[position][0].regex.finditer(folded)
        ]

    def concept_evidence(
        self,
        folded: str,
        hits: list[ConceptHit],
        weights: Weights,
        quotations: list[tuple[int, int]],
    ) -> ConceptEvidence:
        """Concept → best evidence (phrases and patterns), positions of counted hits by role,
        the words of denied claims, and the distinct papers named (document role).

        A claim after a denial counts nothing; in a quotation, or after a reporter's words in
        its sentence (对方称…), half.
        """
        best: dict[str, Evidence] = {}
        reported = [hit.start for hit in hits if hit.concept.role == "reported"]
        sentence_ends = sentence_end_positions(folded) if reported else []
        phrase_weights = dict(weights.by_kind["fraud"])
        if reported:
            # A finished phrase in a reporter's sentence (对方称“不用考试，官网可查…”) is reported
            # speech too: each occurrence is weighed on its own, the best counts.
            phrase_weights = {}
            for start, index in weights.positions["fraud"]:
                signal = self.library.fraud_signals[index]
                end = start + self._fraud_lengths[index]
                quoted = is_inside(start, end, quotations)
                weight = signal.weight * (QUOTED_FACTOR if quoted else 1.0)
                if is_reported(start, reported, sentence_ends):
                    weight = min(weight, signal.weight * REPORTED_FACTOR)
                phrase_weights[index] = max(phrase_weights.get(index, 0.0), weight)
        for index, weight in phrase_weights.items():
            signal = self.library.fraud_signals[index]
            full = weight >= signal.weight
            keep_best(best, signal.concept, Evidence(weight, signal.term, full))
        by_role: dict[str, list[int]] = {}
        denied: list[str] = []
        documents: set[str] = set()
        for hit in hits:
            concept, words = hit.concept, folded[hit.start : hit.end]
            if concept.role == "reported":
                continue
            if concept.role in SALES_ROLES and (
                is_denied(folded, hit.start, -1, hit.end)
                or any(hit.start < end and start < hit.end for start, end in weights.denied_spans)
            ):
                denied.append(words)
                continue
            factor = 1.0
            if concept.role in SALES_ROLES and (
                is_inside(hit.start, hit.end, quotations)
                or is_reported(hit.start, reported, sentence_ends)
            ):
                factor = min(QUOTED_FACTOR, REPORTED_FACTOR)
            by_role.setdefault(frame_role(concept.name, concept.role), []).append(hit.start)
            if concept.role == "document" and concept.name not in BARE_NOUNS:
                documents.add(words)
            keep_best(best, concept.name, Evidence(concept.weight * factor, words, factor == 1.0))
        for start, index in weights.positions["fraud"]:
            name = self.library.fraud_signals[index].concept
            role = frame_role(name, self.library.concept_names[name].role)
            by_role.setdefault(role, []).append(start)
        by_role.setdefault("certificate", []).extend(s for s, _ in weights.positions["certificate"])
        return ConceptEvidence(best, by_role, denied, documents)


def short_and_embedded(folded: str, hit: Hit) -> bool:
    """A short term touching a CJK character: only jieba can tell whether it is a word there.

    With no CJK neighbour ("，包过。", "100%包过") it is on word boundaries already.
    """
    if hit.end - hit.start > SHORT_TERM_LENGTH:
        return False
    before = folded[hit.start - 1] if hit.start else ""
    after = folded[hit.end : hit.end + 1]
    return bool(CJK_CHARACTER.match(before) or CJK_CHARACTER.match(after))


def frame_role(concept: str, role: str) -> str:
    """The role a hit plays in frames: claims lawful texts make too play none."""
    return "lawful_claim" if concept in NOT_FRAMING_CLAIMS else role


def keep_best(best: dict[str, Evidence], concept: str, found: Evidence) -> None:
    """Keep ``found`` as the evidence of ``concept`` if it earns more points than what is kept."""
    if found.points > best.get(concept, Evidence(-1.0, "")).points:
        best[concept] = found
