"""The words that say who a page is (keywords/page_roles.toml), folded like page text.

Kept apart from the platform fingerprints: these words are the same for every platform (filler
around a name, words naming another kind of site, self-reference, result-table labels, footer
markers), and they are folded with ``leads.judge.normalize.fold``, which the keyword loader cannot
use without importing the judge.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from leads.judge.normalize import fold

PAGE_ROLES_FILE = "page_roles.toml"


@dataclass(frozen=True)
class PageRoles:
    """The words that say who a page is (keywords/page_roles.toml), folded."""

    name_filler: tuple[str, ...]
    venue_words: tuple[str, ...]
    self_reference: tuple[str, ...]
    result_labels: frozenset[str]
    footer_markers: tuple[str, ...]


def load_page_roles(directory: Path) -> PageRoles:
    """page_roles.toml of a keyword library directory; a bad file fails naming itself."""
    path = directory / PAGE_ROLES_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        words = {key: tuple(fold(str(word)) for word in table[key]) for key in (
            "name_filler", "venue_words", "self_reference", "result_labels", "footer_markers")}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{PAGE_ROLES_FILE}: {error}") from error
    return PageRoles(
        name_filler=words["name_filler"],
        venue_words=words["venue_words"],
        self_reference=words["self_reference"],
        result_labels=frozenset(words["result_labels"]),
        footer_markers=words["footer_markers"],
    )
