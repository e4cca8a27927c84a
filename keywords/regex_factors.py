"""Which strings every match of a concept pattern must contain: the prefilter that lets a text
skip the patterns it cannot match.

A pattern's *factor sets* are sets of strings such that every match holds at least one string of
each set as a substring. ``(代办|办理)(各类)?证件`` gives one set, {代办各类证件, 代办证件,
办理各类证件, 办理证件}: a text holding none of those four strings is not searched with it. This
is the idea of RE2's prefilter, worked out on the standard library's own parse tree: pieces with
a small finite language are multiplied out along a sequence; anything else (a gap
``[^。]{0,6}``, a wide class, an optional group of unknown content) ends the run, and what
must occur inside it is added as a set of its own. What a positive lookaround looks at is in the
text too, right before or after (``(?<=[拿办])证`` needs 拿证 or 办证); negative lookarounds
and anchors say nothing. The pattern matches the same or fewer texts than the sets admit,
never more.

``first_characters`` reads the same tree for the characters a match can start with: the
homophone stages of ``leads.judge.text_respell`` run only on texts holding one, behind a
lookahead that lets the regex engine skip every other position.
"""

from __future__ import annotations

import re
import re._constants as regex_ops  # the stdlib's own regex parser
import re._parser as regex_parser
from itertools import product
from typing import Any

MAX_LANGUAGE = 256  # strings a multiplied-out piece may have before it counts as "unknown"
MAX_CLASS_CHARACTERS = 64  # a character class wider than this says nothing useful
MAX_REPEAT_EXPANSION = 3  # x{2,3} is multiplied out; x{1,9} is not
ZERO_WIDTH = (regex_ops.AT, regex_ops.ASSERT, regex_ops.ASSERT_NOT)
LOOKBEHIND = -1  # direction of a parsed ASSERT

Language = frozenset[str]


def factor_sets(regex: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """The pattern's factor sets, most selective first (longest shortest string, then fewest
    strings); empty when nothing is known (the pattern is then tried on every text)."""
    found = {found for found in _sequence_factors(regex_parser.parse(regex.pattern)) if found}
    return tuple(sorted(found, key=lambda strings: (-min(map(len, strings)), len(strings))))


def _sequence_factors(sequence: Any) -> list[Language]:
    """Factor sets of a parsed sequence: runs of finite pieces multiplied out, plus the sets of
    the pieces that end a run."""
    sets: list[Language] = []
    run: Language = frozenset({""})

    def close(run: Language) -> None:
        if "" not in run:
            sets.append(run)

    for op, value in sequence:
        if op is regex_ops.ASSERT:
            direction, looked_at = value
            seen = _sequence_language(looked_at)
            if seen is None:
                sets.extend(_sequence_factors(looked_at))
            elif direction == LOOKBEHIND:  # the text before the next character ends with it
                close(run)
                run = seen
            else:  # the text after this point starts with it; what follows starts there too
                close(_concatenation(run, seen) or run)
                run = frozenset({""})
            continue
        if op in ZERO_WIDTH:
            continue
        language = _language(op, value)
        if language is not None:
            joined = _concatenation(run, language)
            if joined is None:  # too many strings: the run so far is one set, this starts anew
                close(run)
                run = language
            else:
                run = joined
            continue
        repeated = _repeated_language(op, value)
        if repeated is not None:  # x{1,} of a finite x: the run ends in its first copy, the next
            close(_concatenation(run, repeated) or run)  # run starts with its last
            run = repeated
            continue
        close(run)
        run = frozenset({""})
        sets.extend(_piece_factors(op, value))
    close(run)
    return sets


def _piece_factors(op: Any, value: Any) -> list[Language]:
    """Factor sets of one piece that has no small finite language."""
    if op is regex_ops.SUBPATTERN:
        return _sequence_factors(value[3])
    if op is regex_ops.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            best = _best(_sequence_factors(branch))
            if best is None:  # a branch that needs nothing: the alternation needs nothing
                return []
            union |= best
        return [frozenset(union)]
    if op in (regex_ops.MAX_REPEAT, regex_ops.MIN_REPEAT) and value[0] >= 1:
        return _sequence_factors(value[2])
    return []


def _best(sets: list[Language]) -> Language | None:
    return min(sets, key=lambda strings: (-min(map(len, strings)), len(strings)), default=None)


def _language(op: Any, value: Any) -> Language | None:
    """Every string the piece can match, when they are few; None otherwise."""
    if op is regex_ops.LITERAL:
        return frozenset({chr(value)})
    if op is regex_ops.IN:
        chars: set[str] = set()
        for kind, item in value:
            if kind is regex_ops.LITERAL:
                chars.add(chr(item))
            elif kind is regex_ops.RANGE and item[1] - item[0] < MAX_CLASS_CHARACTERS:
                chars.update(map(chr, range(item[0], item[1] + 1)))
            else:  # negated sets, categories (\s, \d), wide ranges
                return None
        return frozenset(chars)
    if op is regex_ops.SUBPATTERN:
        return _sequence_language(value[3])
    if op is regex_ops.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            language = _sequence_language(branch)
            if language is None:
                return None
            union |= language
            if len(union) > MAX_LANGUAGE:
                return None
        return frozenset(union)
    if op in (regex_ops.MAX_REPEAT, regex_ops.MIN_REPEAT):
        low, high, inner = value
        if high > MAX_REPEAT_EXPANSION:
            return None
        language = _sequence_language(inner)
        if language is None:
            return None
        strings: set[str] = set()
        for count in range(low, high + 1):
            if len(language) ** count > MAX_LANGUAGE:
                return None
            strings.update("".join(parts) for parts in product(language, repeat=count))
        return frozenset(strings) if len(strings) <= MAX_LANGUAGE else None
    if op in (regex_ops.AT, regex_ops.ASSERT_NOT):
        return frozenset({""})
    return None  # a positive lookaround: its piece is read by _sequence_factors


def _sequence_language(sequence: Any) -> Language | None:
    language: Language = frozenset({""})
    for op, value in sequence:
        piece = _language(op, value)
        if piece is None:
            return None
        joined = _concatenation(language, piece)
        if joined is None:
            return None
        language = joined
    return language


def _repeated_language(op: Any, value: Any) -> Language | None:
    """The finite language of x in an unbounded or long x{1,n}: each match starts and ends with
    one of its strings."""
    if op in (regex_ops.MAX_REPEAT, regex_ops.MIN_REPEAT) and value[0] >= 1:
        return _sequence_language(value[2])
    return None


def _concatenation(left: Language, right: Language) -> Language | None:
    if len(left) * len(right) > MAX_LANGUAGE:
        return None
    return frozenset(a + b for a in left for b in right)


def first_characters(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Every character a match can start with, or None when not known (a match may start
    anywhere, or may be empty). Put as a lookahead before the pattern (``(?=[…])``), it lets
    the regex engine skip the positions no match starts at, which it does not do by itself
    for a pattern that opens with a lookbehind or an alternation of groups."""
    firsts, may_be_empty = _sequence_firsts(regex_parser.parse(regex.pattern))
    return None if may_be_empty else firsts


def _sequence_firsts(sequence: Any) -> tuple[frozenset[str] | None, bool]:
    """(first characters of a parsed sequence or None, whether it can match the empty string)."""
    firsts: set[str] = set()
    for op, value in sequence:
        if op in ZERO_WIDTH:
            continue
        found, optional = _piece_firsts(op, value)
        if found is None:
            return None, False
        firsts |= found
        if not optional:
            return frozenset(firsts), False
    return frozenset(firsts), True


def _piece_firsts(op: Any, value: Any) -> tuple[frozenset[str] | None, bool]:
    if op is regex_ops.LITERAL or op is regex_ops.IN:
        return _language(op, value), False
    if op is regex_ops.SUBPATTERN:
        return _sequence_firsts(value[3])
    if op is regex_ops.BRANCH:
        firsts: set[str] = set()
        empty = False
        for branch in value[1]:
            found, optional = _sequence_firsts(branch)
            if found is None:
                return None, False
            firsts |= found
            empty |= optional
        return frozenset(firsts), empty
    if op in (regex_ops.MAX_REPEAT, regex_ops.MIN_REPEAT):
        found, optional = _sequence_firsts(value[2])
        return found, optional or value[0] == 0
    return None, False


def with_first_characters(regex: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern behind a lookahead for its first characters, where they are known."""
    firsts = first_characters(regex)
    if not firsts:
        return regex
    chars = "".join(re.escape(char) for char in sorted(firsts))
    return re.compile(f"(?=[{chars}])(?:{regex.pattern})", regex.flags)
