"""The domain knowledge of platforms.toml, arranged for the lookalike signals and cached.

Built once per keyword library: official hosts and names, known words, typo keys with their
pigeonhole filters, distinctive labels and every spelling they bend into, campaign words and the
context a short official name needs. It answers per label (``label_facts``, cached) and per host
(``worth_splitting``) with cheap tests first (official name, made of known words, a run of near
length within a few edits of an official spelling, which it only can be if it holds a piece of
it): only labels that pass get their facts built and cached, so the caches hold the few labels
that matter, not every name a certificate feed shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz.distance import DamerauLevenshtein

from keywords import KeywordLibrary
from leads.judge.confusables import Confusables
from leads.judge.label_pieces import (
    PIECE_SEPARATOR,
    TypoKey,
    any_piece,
    compact_form,
    hyphen_runs,
    key_pieces,
    piece_runs,
    piece_runs_of,
    segment,
    typo_spellings,
)
from leads.judge.label_variants import Variant, build_variants

EMBEDDED_HOST_SCORE = 95  # cx.mem.gov.cn.example.com
EMBEDDED_DOMAIN_SCORE = 90  # mem.gov.cn.example.com
SHORT_LABEL_LENGTH = 4
CONTAINED_LABEL_LENGTH = 6  # a distinctive label this long counts anywhere inside a label
LABEL_CACHE_SIZE = 100_000
NOTABLE_CACHE_SIZE = 1 << 18


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
        tables = library.platform_tables
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
            for spelling, host in typo_spellings(platform, self.fillers):
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
        # text as is, punctuation (which compact_form drops) allowed between its letters.
        pieces = {key: key_pieces(key, typo) for key, typo in self.typo_keys.items()}
        self.near_pieces = {
            length: any_piece([piece for key in keys for piece in pieces[key.spelling]])
            for length, keys in self.keys_by_length.items()
        }
        self.key_piece = any_piece([p for key in pieces.values() for p in key], "[^a-z0-9]*")
        self._learn_distinctive(tables)
        self.label_facts = lru_cache(maxsize=LABEL_CACHE_SIZE)(self._label_facts)
        self.near_spelling = lru_cache(maxsize=LABEL_CACHE_SIZE)(self._near_spelling)
        self.label_notable = lru_cache(maxsize=NOTABLE_CACHE_SIZE)(self._label_notable)

    def _learn_distinctive(self, tables: Mapping[str, Any]) -> None:
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
        for piece in {*PIECE_SEPARATOR.split(label), compact_form(label)}:
            if piece[:2] in self.word_starts and self.only_words.fullmatch(piece):
                found.update(segment(piece, self.words, self.longest_word) or ())
        if self.glued_context.search(label):  # memanquan: mem glued to its context
            found.update(self.campaign_tokens(label) & self.context_tokens)
        near = None
        pieces = PIECE_SEPARATOR.split(label)
        # Longest first, then alphabetical: a set's order would make the result hash-dependent.
        for run in sorted(
            piece_runs(label) if self.may_be_near(label) else (), key=lambda r: (-len(r), r)
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
        for run in sorted(hyphen_runs(pieces), key=lambda r: (-len(r), r)):
            if run in self.distinctive:
                exact = exact or run
            elif bent is None and (variant := self._variant(run)):
                bent = (run, variant)
        return exact, bent

    def campaign_tokens(self, label: str) -> frozenset[str]:
        """The known and campaign words a label is made of, piece by piece (mem-anquan)."""
        words, longest = self.campaign_words, self.longest_campaign_word
        pieces = {*PIECE_SEPARATOR.split(label), compact_form(label)}
        return frozenset().union(*(segment(piece, words, longest) or () for piece in pieces))

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
        compact = compact_form(label)
        if self.distinctive_inside.search(compact) is None:
            return ()
        for piece in (compact, *pieces):
            parts = segment(piece, self.campaign_words, self.longest_campaign_word) or ()
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
            for run in hyphen_runs(pieces)  # e-cq5, cnse-e-cq
        ):
            return True
        if self.key_piece.search(compact) is None:  # may_be_near
            return False
        lengths = self.keys_by_length
        return any(
            run not in pieces if run in self.typo_keys else self._near_spelling(run) is not None
            for run in piece_runs_of(pieces)
            if len(run) in lengths
        )

    def may_be_near(self, text: str) -> bool:
        """Cheap reject: no piece (``key_pieces``) of any official spelling, so no near spelling."""
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
        joined = compact_form(labels[0])
        for label in labels[1:-1]:
            if not near and joined not in self.joined_prefixes:
                return False
            joined += compact_form(label)
            if joined in self.joined_spellings:
                return True
            if len(joined) > self.longest_key:
                return False
            if near and len(joined) in self.keys_by_length and self.near_spelling(joined):
                return True
        return False
