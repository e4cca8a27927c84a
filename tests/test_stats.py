"""The monthly 附表: figures from referrals and lifecycle events, manual columns blank; Beijing
months, 累计 columns, breakdowns that add up, false positives counted nowhere, a chart."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crawler.cli import main
from leads.judge.observations import Sighting
from leads.referral.stats import (
    BREAKDOWNS,
    COLUMNS,
    CUMULATIVE,
    certificate_family,
    monthly_row,
    write_monthly_stats,
)
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
    assert book["填写说明"].max_row == len(COLUMNS) + len(BREAKDOWNS) + 1


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "11/2026", "", "2026-11-01"])
def test_a_bad_month_is_refused_clearly(store: Store, month: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        monthly_row(store, month)


FOUND = "监测发现涉假证违法违规信息数（条）"
# (url, first seen UTC, category, contacts, reasons, engine that showed it or "")
LEADS = [
    ("http://a.example.com/", "2026-11-30T17:00:00+00:00", "fake_ad", ("phone:075512345678",),
     ("提及证书：电工证（特种作业）",), "baidu"),  # 1 December in Beijing
    ("http://b.example.com/", "2026-12-10T03:00:00+00:00", "fake_ad", ("phone:13812345678",),
     ("提及证书：架子工证、电工证（建筑特种作业、特种作业）",), "so360"),
    ("http://c.example.com/", "2026-12-11T03:00:00+00:00", "fake_ad", ("wechat:abc123",),
     ("页面含办证推销用语：免考、包过",), ""),
    ("http://cx-mem-gov.example.com/", "2026-11-05T03:00:00+00:00", "lookalike_site",
     ("phone:4008001234",), ("页面仿冒 cx.mem.gov.cn（标题：特种作业操作证查询）",), "baidu"),
    ("http://d.example.com/", "2026-11-30T15:59:59+00:00", "fake_ad", ("phone:01012345678",),
     ("提及证书：叉车证（特种设备）",), "sogou"),  # 23:59:59 on 30 November in Beijing
]
FALSE_POSITIVE = ("http://school.example.com/", "2026-12-12T03:00:00+00:00")


def seeded(store: Store) -> None:
    """The LEADS, each sighted by its engine, and one lead an analyst marked false_positive."""
    run = store.start_run("test", {})
    for url, at, category, contacts, reasons, engine in LEADS:
        if engine:
            store.save_sighting(run, Sighting(engine, "电工证 包过", 0, 1, "", "", False, url, url,
                                              seen_at=at))
        store.save_page(run, make_page(url, fetched_at=at, verdict=make_verdict(
            category, contacts=contacts, reasons=reasons)))
    url, at = FALSE_POSITIVE
    store.save_sighting(run, Sighting("baidu", "电工证", 0, 2, "", "", False, url, url, at))
    store.save_page(run, make_page(url, fetched_at=at))
    store.set_state(store.lead_id(url), "false_positive", "分析员", "正规培训")


def sheet_rows(book, title: str) -> list[dict]:
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_months_are_beijing_months_and_false_positives_count_nowhere(store: Store) -> None:
    seeded(store)
    row = dict(zip([c.heading for c in COLUMNS], monthly_row(store, "2026-12"), strict=True))
    assert row[FOUND] == 3  # a (17:00Z on 30 Nov), b, c; not the false positive
    assert row[CUMULATIVE + FOUND] == 5  # and d, cx-mem-gov in November
    november = dict(zip([c.heading for c in COLUMNS], monthly_row(store, "2026-11"),
                        strict=True))
    assert november[FOUND] == november[CUMULATIVE + FOUND] == 2
    store.set_state(store.lead_id(FALSE_POSITIVE[0]), "confirmed", "分析员", "复核确为假证")
    assert monthly_row(store, "2026-12")[1] == 4  # corrected: counted again


def test_the_monthly_workbook_adds_up_with_typed_figures(store: Store, tmp_path: Path) -> None:
    seeded(store)
    xlsx, _ = write_monthly_stats(store, "2026-12", tmp_path)
    book = load_workbook(xlsx)
    figures = book["附表"][2]
    assert figures[1].data_type == "n" and figures[1].value == 3
    assert all(cell.data_type == "n" for cell in figures[1:7])
    [table] = sheet_rows(book, "附表")
    for breakdown in BREAKDOWNS:
        rows = sheet_rows(book, breakdown.title)
        assert sum(r["本月（条）"] for r in rows) == table[FOUND], breakdown.title
        assert sum(r["累计（条）"] for r in rows) == table[CUMULATIVE + FOUND], breakdown.title
        assert all(r["累计（条）"] >= r["本月（条）"] for r in rows), breakdown.title
    by = {title: {tuple(list(r.values())[:-2]): (r["本月（条）"], r["累计（条）"])
                  for r in sheet_rows(book, title)}
          for title in ("按类别", "按证书类别", "按搜索引擎", "按号码归属城市")}
    assert by["按类别"] == {("假证广告",): (3, 4), ("仿冒查询网站",): (0, 1)}
    assert by["按证书类别"] == {("特种作业",): (1, 2), ("建筑特种作业",): (1, 1),
                            ("未识别",): (1, 1), ("特种设备",): (0, 1)}
    assert by["按搜索引擎"] == {("baidu",): (1, 2), ("so360",): (1, 1), ("sogou",): (0, 1),
                            ("经页面链接发现",): (1, 1)}
    assert by["按号码归属城市"] == {("广东省", "深圳市"): (1, 1), ("江苏省", "连云港市"): (1, 1),
                              ("无电话", "无电话"): (1, 1), ("北京市", "北京市"): (0, 1),
                              ("未知归属地", "未知归属地"): (0, 1)}
    trend = sheet_rows(book, "月度趋势")
    assert [(r["月份"], r["新发现（条）"], r["累计发现（条）"]) for r in trend] == [
        ("2026-11", 2, 2), ("2026-12", 3, 5)]


def test_the_chart_sheet_holds_bar_charts_of_the_trend_and_the_categories(
        store: Store, tmp_path: Path) -> None:
    seeded(store)
    xlsx, _ = write_monthly_stats(store, "2026-12", tmp_path)
    assert "图表" in load_workbook(xlsx).sheetnames
    with zipfile.ZipFile(xlsx) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist()
                  if name.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert all("<barChart><barDir val=\"col\"/>" in chart for chart in charts)
    trend, categories = sorted(charts, key=lambda chart: "'按类别'" in chart)
    assert "'月度趋势'!$A$2:$A$3" in trend and "'月度趋势'!$B$2:$B$3" in trend  # two months
    assert "'按类别'!$A$2:$A$3" in categories
    assert "'按类别'!$B$2:$B$3" in categories and "'按类别'!$C$2:$C$3" in categories


@pytest.mark.parametrize(("reasons", "family"), [
    (["页面含办证推销用语：免考", "提及证书：叉车证、电工证（特种设备、特种作业）"], "特种设备"),
    (["提及证书：建筑施工特种作业（建筑特种作业）"], "建筑特种作业"),
    (["页面仿冒 cx.mem.gov.cn（标题：特种作业操作证查询）"], "特种作业"),
    (["页面含办证推销用语：免考、包过", "含联系方式：phone:13812345678"], "未识别"),
    ([], "未识别"),
])
def test_a_leads_certificate_family_comes_from_its_reasons(reasons: list[str],
                                                          family: str) -> None:
    assert certificate_family(reasons) == family


def test_the_stats_command_writes_a_workbook_whose_figures_are_numbers(
        store: Store, db_path: Path, tmp_path: Path) -> None:
    seeded(store)
    out = tmp_path / "reports"
    out.mkdir()
    result = CliRunner().invoke(main, ["stats", "--month", "2026-12", "--db", str(db_path),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out / "附表-2026-12.xlsx")
    [table] = sheet_rows(book, "附表")
    assert table[FOUND] == 3 and isinstance(table[CUMULATIVE + FOUND], int)
    assert "本月 3 条" in result.output and "累计 5 条" in result.output
    assert isinstance(sheet_rows(book, "按类别")[0]["本月（条）"], int)
