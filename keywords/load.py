"""Reading and checking the keyword files: one place that knows the TSV and TOML rules.

Every data family (concepts, platforms, routing, intents) reads its file through these helpers,
so a bad line fails the same way everywhere: ``ValueError("file.tsv:LINE: …")`` or
``ValueError("file.toml: where: …")``, naming what the editor has to fix.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

DEFAULT_DIRECTORY = Path(__file__).resolve().parent
# TSV columns holding matchable text: stored normalised like page text.
TERM_COLUMNS = frozenset({"term", "variant", "canonical"})

Entry = TypeVar("Entry")


def normalize_term(term: str) -> str:
    """The stored form of a term: NFKC (full width → half width) and lower case."""
    return unicodedata.normalize("NFKC", term).strip().lower()


def _parse_field(kind: type, raw: str, column: str, where: str) -> Any:
    if kind is int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{where}: {column} must be an integer, got {raw!r}") from None
        if not 0 <= value <= 100:
            raise ValueError(f"{where}: {column} must be between 0 and 100, got {value}")
        return value
    if kind is bool:
        if raw not in ("yes", "no"):
            raise ValueError(f"{where}: {column} must be yes or no, got {raw!r}")
        return raw == "yes"
    if not raw:
        raise ValueError(f"{where}: {column} is empty")
    return normalize_term(raw) if column in TERM_COLUMNS else raw


def read_tsv(path: Path, entry_type: type[Entry]) -> tuple[Entry, ...]:
    """Read a TSV whose header names the fields of ``entry_type``; ``#`` lines are comments."""
    return tuple(entry for _, entry in read_tsv_lines(path, entry_type))


def read_tsv_lines(
    path: Path, entry_type: type[Entry], unique: bool = True
) -> Iterator[tuple[str, Entry]]:
    """``read_tsv`` with each entry's "file:LINE"; ``unique=False`` allows a first column that
    repeats (several patterns of one concept)."""
    columns = [field.name for field in fields(entry_type)]  # type: ignore[arg-type]
    types = get_type_hints(entry_type)
    seen: set[str] = set()
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{number}"
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            if cells != columns:
                raise ValueError(f"{where}: header must be {' | '.join(columns)}")
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise ValueError(f"{where}: expected {len(columns)} tab-separated fields")
        values = [
            _parse_field(types[column], raw, column, where)
            for column, raw in zip(columns, cells, strict=True)
        ]
        if unique and values[0] in seen:
            raise ValueError(f"{where}: duplicate entry {values[0]!r}")
        seen.add(values[0])
        yield where, entry_type(*values)
    if not header_seen:
        raise ValueError(f"{path.name}:1: missing header line")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name}: {error}") from None


def required(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ValueError(f"{where}: missing {key!r}")
    return table[key]


def known_keys(table: Mapping[str, Any], keys: Collection[str], where: str) -> None:
    """Refuse a key the loader does not know: a misspelt key would otherwise read as absent."""
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ValueError(
            f"{where}: unknown key {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(sorted(keys))})"
        )


def phrases(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    return tuple(normalize_term(item) for item in required(table, key, where))


def token_weights(table: Mapping[str, Any], key: str) -> dict[str, int]:
    return {normalize_term(token): int(weight) for token, weight in table.get(key, {}).items()}
