"""The monthly 附表: figures from referrals and lifecycle events, manual columns blank."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from leads.referral.stats import COLUMNS, monthly_row, write_monthly_stats
from leads.store import Store
from tests.conftest import make_page, make_verdict

MONTH = "2026-11"


def referred_and_taken_down(store: Store, month_of_events: str) -> list[int]:
    """Three leads (two fake ads, one lookalike) referred to 公安 and 网信; two taken down."""
    run = store.start_run("test", {})
    urls = ["http://a.example.com/", "http://b.example.com/", "http://cx-mem-gov.example.com/"]
    for url in urls[:2]:
        store.save_page(run, make_page(url, fetched_at=f"{MONTH}-03T01:00:00+00:00"))
    store.save_page(run, make_page(urls[2], fetched_at=f"{MONTH}-04T01:00:00+00:00",
                                   verdict=make_verdict("lookalike_site", 90)))
    ids = [store.lead_id(url) for url in urls]
    for number, agency in enumerate(("公安", "网信"), 1):
        store.record_packet({"packet_id": f"JZ-{number}", "agency": agency,
                             "created_at": f"{month_of_events}-20T02:00:00+00:00", "since": "",
                             "folder": "", "zip_path": "", "zip_sha256": "",
                             "lead_count": len(ids)}, ids)
    for lead_id in ids[1:]:
        store.set_state(lead_id, "taken_down", "测试员", "复查已删除", "recheck")
        store.db.execute("UPDATE lead_events SET at = ? WHERE lead_id = ? AND to_state = ?",
                         [f"{month_of_events}-25T00:00:00+00:00", lead_id, "taken_down"])
    return ids


def test_known_columns_are_filled_from_the_store_and_the_rest_left_blank(store: Store) -> None:
    referred_and_taken_down(store, MONTH)
    row = dict(zip([c.heading for c in COLUMNS], monthly_row(store, MONTH), strict=True))
    assert row["统计月份"] == MONTH
    assert row["监测发现涉假证违法违规信息数（条）"] == 3
    assert row["涉嫌犯罪的线索移交数量（条）"] == 3
    assert row["移送网信部门处置线索数（条）"] == 3
    assert row["移送市场监管部门处置线索数（条）"] == 0
    assert row["清理涉安全生产资格证书违法违规信息量（条）"] == 2
    assert row["其中关停仿冒查询网站数（个）"] == 1
    for column in COLUMNS:
        if column.figure is None:
            assert row[column.heading] == ""


def test_other_months_count_nothing(store: Store) -> None:
    referred_and_taken_down(store, "2026-12")
    row = monthly_row(store, MONTH)
    assert row[1] == 3  # found in November
    assert row[2:7] == [0, 0, 0, 0, 0]  # referred and taken down in December


def test_xlsx_and_csv_carry_the_notice_headings(store: Store, tmp_path: Path) -> None:
    referred_and_taken_down(store, MONTH)
    xlsx, csv_path = write_monthly_stats(store, MONTH, tmp_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        header, values = list(csv.reader(handle))
    assert header == [column.heading for column in COLUMNS]
    assert values[header.index("涉嫌犯罪的线索移交数量（条）")] == "3"
    book = load_workbook(xlsx)
    assert [c.value for c in book["附表"][1]] == header
    assert book["填写说明"].max_row == len(COLUMNS) + 1


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "11/2026", "", "2026-11-01"])
def test_a_bad_month_is_refused_clearly(store: Store, month: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        monthly_row(store, month)
