"""Lead CSV: opens in Excel (UTF-8 BOM), formula injection neutralised, contract columns kept."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from leads.referral.export import COLUMNS, export_leads
from leads.referral.tables import neutralise
from leads.store import Store
from tests.conftest import make_page, make_verdict

CONTRACT = ("lead_id", "url", "host", "registered_domain", "category", "score", "target",
            "contacts", "agencies", "reasons", "source", "first_seen", "last_seen")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+86 138", "-1+1", "@SUM(A1)",
                                  "\tcmd", "\r=1"])
def test_formula_triggers_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_plain_cells_are_untouched() -> None:
    assert neutralise("电工证 包过") == "电工证 包过"
    assert neutralise(42) == "42"
    assert neutralise(None) == ""


def test_export_writes_bom_contract_columns_and_joined_lists(store: Store, tmp_path: Path) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page(title="=cmd|' /C calc'!A0", verdict=make_verdict(
        contacts=("phone:13812345678", "wechat:abc123"), agencies=("公安", "网信"),
        reasons=("含免考", "含包过"))))
    store.save_page(run, make_page("http://low.example.com/", verdict=make_verdict(score=30)))
    out = tmp_path / "leads.csv"
    assert export_leads(store, out, min_score=50) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert set(CONTRACT) <= set(COLUMNS) == set(rows[0])
    [row] = rows
    assert row["contacts"] == "phone:13812345678;wechat:abc123"
    assert row["agencies"] == "公安;网信"
    assert row["reasons"] == "含免考；含包过"
    assert row["title"].startswith("'=")
    assert row["registered_domain"] == "example.com"
    assert row["score"] == "80"
