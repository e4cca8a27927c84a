"""The held-out test texts (tests/data/texts_heldout.tsv) stay a fair measure: whole, balanced, new.

Only the file's integrity is checked here, never how the scorer does on it — the figures are
bench/detection_bench.py's job, and a test on them would invite tuning on the held-out set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
HELDOUT = DATA / "texts_heldout.tsv"
COLUMNS = ["id", "label", "kind", "evasion", "seen", "text"]
POSITIVE_KINDS = {"listing", "chat", "forum", "comment", "marketplace", "sms", "qa", "moments",
                  "classified", "web", "fake_verify", "street"}
NEGATIVE_KINDS = {"news", "notice", "warning", "training", "job", "qa_neg", "chat_neg", "other"}
EVASIONS = {"homophone", "pinyin", "emoji", "separator", "fullwidth", "traditional", "trad_pinyin",
            "contact_alias", "numeral_phone"}
MIN_ROWS = 600
MIN_NEGATIVES = 250
MIN_POSITIVES_EACH = 30  # per positive kind and per evasion


def data_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a TSV whose ``#`` lines are comments."""
    lines = [line.rstrip("\n") for line in path.open(encoding="utf-8")
             if not line.startswith("#") and line.strip()]
    header, *rows = (line.split("\t") for line in lines)
    return header, rows


def texts_of(path: Path) -> set[str]:
    header, rows = data_rows(path)
    column = header.index("text")
    return {row[column] for row in rows}


@pytest.fixture(scope="module")
def heldout() -> list[dict[str, str]]:
    header, rows = data_rows(HELDOUT)
    assert header == COLUMNS
    bad = [row[:1] for row in rows if len(row) != len(COLUMNS)]
    assert not bad, f"rows with the wrong number of cells: {bad[:5]}"
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def test_header_says_the_set_is_held_out() -> None:
    comments = "".join(line for line in HELDOUT.open(encoding="utf-8") if line.startswith("#"))
    assert "measured" in comments and "tune" in comments


def test_size_labels_and_ids(heldout: list[dict[str, str]]) -> None:
    assert len(heldout) >= MIN_ROWS
    assert {row["label"] for row in heldout} == {"0", "1"}
    assert sum(row["label"] == "0" for row in heldout) >= MIN_NEGATIVES
    ids = [row["id"] for row in heldout]
    assert len(set(ids)) == len(ids)
    assert all(row["text"].strip() and row["seen"].strip() for row in heldout)


def test_kinds_and_evasions_are_known_and_each_well_covered(heldout: list[dict[str, str]]) -> None:
    positives = [row for row in heldout if row["label"] == "1"]
    negatives = [row for row in heldout if row["label"] == "0"]
    by_kind = Counter(row["kind"] for row in positives)
    by_evasion = Counter(row["evasion"] for row in positives)
    assert set(by_kind) == POSITIVE_KINDS
    assert {row["kind"] for row in negatives} <= NEGATIVE_KINDS
    assert set(by_evasion) == EVASIONS | {"none"}
    thin = {name: n for name, n in (by_kind + by_evasion).items() if n < MIN_POSITIVES_EACH}
    assert not thin, f"fewer than {MIN_POSITIVES_EACH} positives: {thin}"
    assert {row["evasion"] for row in negatives} <= EVASIONS | {"none"}


def test_no_duplicate_texts(heldout: list[dict[str, str]]) -> None:
    repeated = [text for text, n in Counter(row["text"] for row in heldout).items() if n > 1]
    assert not repeated, repeated[:5]


@pytest.mark.parametrize("tuning_set", ["labelled_texts.tsv", "texts_dev.tsv", "texts_dev2.tsv",
                                        "texts_dev3.tsv"])
def test_no_text_shared_with_a_tuning_set(heldout: list[dict[str, str]], tuning_set: str) -> None:
    path = DATA / tuning_set
    if not path.exists():
        pytest.skip(f"{tuning_set} is not in the repository")
    shared = {row["text"] for row in heldout} & texts_of(path)
    # Only the count: printing a shared text would show a held-out text to whoever tunes.
    assert not shared, f"{len(shared)} held-out texts also in {tuning_set}"


def test_dev3_probe_is_large_and_has_hard_negatives() -> None:
    """texts_dev3.tsv, the blind probe of the weak kinds, keeps its size and its hard negatives."""
    header, rows = data_rows(DATA / "texts_dev3.tsv")
    assert header == COLUMNS
    assert len(rows) >= 400
    assert sum(row[1] == "0" for row in rows) >= 150
    assert len({row[0] for row in rows}) == len(rows)
    assert len({row[-1] for row in rows}) == len(rows)
