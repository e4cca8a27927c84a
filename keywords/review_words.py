"""The words analysts write in a reviewed lead list's state column (review_words.tsv): each names
the lifecycle state it means, or ``unchanged`` (no decision yet).

The keyword library imports nothing of jiazheng, so it does not know the lifecycle: the caller
(``leads.store.lifecycle``) passes the states a word may name, and folds the words the way it
folds a cell.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from keywords.load import DEFAULT_DIRECTORY, read_tsv_lines

UNCHANGED = "unchanged"  # the word says "no decision yet": the lead keeps its state


@dataclass(frozen=True)
class ReviewWord:
    """A word written in the state column, and the state it moves a lead to."""

    word: str
    state: str
    meaning: str


def load_review_words(states: Collection[str],
                      directory: Path | None = None) -> tuple[ReviewWord, ...]:
    """review_words.tsv from ``directory`` (default: this package); each line's state must be
    one of ``states`` or ``unchanged``."""
    path = Path(directory or DEFAULT_DIRECTORY) / "review_words.tsv"
    allowed = (*states, UNCHANGED)
    words = []
    for where, entry in read_tsv_lines(path, ReviewWord):
        if entry.state not in allowed:
            raise ValueError(f"{where}: state must be one of {', '.join(allowed)}, "
                             f"got {entry.state!r}")
        words.append(entry)
    return tuple(words)
