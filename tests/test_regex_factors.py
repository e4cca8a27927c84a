"""The concept prefilter: which strings every match of a pattern needs, and that skipping the
patterns a text cannot match never loses a match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keywords import load_library
from keywords.regex_factors import factor_sets, first_characters, with_first_characters
from leads.judge.normalize import fold
from leads.judge.text_matching import TextMatcher
from leads.judge.text_respell import respell

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # a sequence of small alternatives multiplies out, an optional piece included
        ("(代办|办理)(各类)?证件", [{"代办各类证件", "代办证件", "办理各类证件", "办理证件"}]),
        # what a lookbehind looks at stands right before the match
        ("(?<=[拿办])证(?![明据])", [{"拿证", "办证"}]),
        # what a lookahead looks at stands right after; what follows starts there too
        ("免(?=考)[^。]{0,3}", [{"免考"}]),
        # a gap ends a run: each side is a set of its own
        ("不用[^。!?]{0,6}考试", [{"不用"}, {"考试"}]),
        # an alternation needs one of its branches' needs
        ("(包[^。]{0,2}过|保证[^。]{0,2}通过)", [{"包", "保证"}]),
        # one repeated piece: its copy starts and ends a run
        ("办(证)+快", [{"办证"}, {"证快"}]),
        # nothing known: tried on every text
        ("[^。]{2,}", []),
        ("(a|[^b])", []),
    ],
)
def test_factor_sets(pattern: str, expected: list[set[str]]) -> None:
    assert sorted(map(set, factor_sets(re.compile(pattern))), key=sorted) == sorted(
        expected, key=sorted
    )


def test_most_selective_set_first() -> None:
    found = factor_sets(re.compile("[甲乙][^。]{0,4}丙丁戊"))
    assert found[0] == {"丙丁戊"}


def test_a_text_holding_no_needed_string_is_not_matched() -> None:
    regex = re.compile("(代办|办理)(各类)?证件")
    for text in ("代办各类证件", "我们办理证件", "代办的证件", "办理各种证件"):
        admitted = all(any(string in text for string in needed) for needed in factor_sets(regex))
        assert admitted == bool(regex.search(text)), text


def test_every_concept_pattern_needs_something() -> None:
    """A pattern without a needed string is tried on every text: the library has none."""
    assert all(concept.required for concept in load_library().concepts)


def test_prefilter_loses_no_match_on_the_labelled_and_real_texts() -> None:
    """The filtered matcher finds exactly what trying every pattern on every text finds."""
    matcher = TextMatcher(load_library())
    texts = []
    for path in [*sorted(DATA.glob("texts_*.tsv")), DATA / "labelled_texts.tsv"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                texts.extend(line.split("\t"))
    realdata = Path("/work/shared/realdata")  # the real lines, where this machine has them
    for path in sorted(realdata.glob("real_*lines*.txt")):
        texts.extend(path.read_text(encoding="utf-8").splitlines())
    assert len(texts) > 5_000
    lost = []
    for text in texts:
        folded = respell(fold(text))
        found = {(hit.start, hit.end, hit.concept.source) for hit in matcher.concept_hits(folded)}
        every = {
            (match.start(), match.end(), concept.source)
            for concept in matcher.library.concepts
            for match in concept.regex.finditer(folded)
        }
        if found != every:
            lost.append(text)
    assert not lost, lost[:5]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?<=[拿办])证", {"证"}),  # a lookbehind consumes nothing
        ("(代办|办理)(各类)?证件", {"代", "办"}),
        ("(各类)?证件", {"各", "证"}),  # an optional piece lets the next one start
        ("(?=证)[证正]书", {"证", "正"}),
        ("(a|)b", {"a", "b"}),  # an empty branch too
        ("[^。]{0,3}证", None),  # may start anywhere
        ("(各类)?", None),  # may be empty
    ],
)
def test_first_characters(pattern: str, expected: set[str] | None) -> None:
    found = first_characters(re.compile(pattern))
    assert (set(found) if found is not None else None) == expected


def test_a_pattern_behind_its_first_characters_matches_the_same() -> None:
    regex = re.compile("(?<=[拿办快])(证|正)(?![明据])|(?<![作以])为(?=证)")
    fast = with_first_characters(regex)
    assert fast.pattern != regex.pattern
    text = "快正 办证明 拿证 为证 作为证据 以为证 证"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in regex.finditer(text)]
