"""Lead CSV: opens in Excel (UTF-8 BOM), formula injection neutralised, contract columns kept,
byte for byte; XLSX: typed cells (numbers, dates, links), contacts as text, ready to filter/print."""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from crawler.cli import main
from leads.referral.export import COLUMNS, export_leads
from leads.referral.tables import neutralise, write_xlsx
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


def test_the_lead_csv_is_byte_for_byte_the_contract(store: Store, tmp_path: Path) -> None:
    """Only the XLSX gains types: the CSV analysts edit and import back keeps every byte."""
    run = store.start_run("test", {})
    store.save_page(run, make_page(title="=1+1 电工证", fetched_at="2026-11-30T17:00:00+00:00",
                                   verdict=make_verdict(contacts=("phone:13812345678",))))
    out = tmp_path / "leads.csv"
    export_leads(store, out)
    assert out.read_bytes() == (
        "\ufefflead_id,url,host,registered_domain,category,score,target,contacts,agencies,"
        "reasons,source,first_seen,last_seen,title,state,note,parent_url,"
        "province,phone_carrier,virtual_phone,page_identifiers,"
        "server_ips,network_owner,asn,registrar,domain_created,domain_expires,domain_status,"
        "abuse_contacts,host_signals,platform,poster,account_name,wechat_id,imitated_official\r\n"
        "1,http://ban-zheng.example.com/,ban-zheng.example.com,example.com,fake_ad,80,,"
        "phone:13812345678,公安;网信,页面含办证推销用语：免考、包过,,"
        "2026-11-30T17:00:00+00:00,2026-11-30T17:00:00+00:00,'=1+1 电工证,new,,,"
        "江苏省,中国移动,,,,,,,,,,,,,,,,\r\n"
    ).encode()


HEADINGS = ("序号", "网址", "评分", "联系方式", "QQ", "首次发现", "页面标题", "大小(字节)", "备注")


def typed_sheet(tmp_path: Path, rows: list[tuple]) -> Worksheet:
    path = tmp_path / "表.xlsx"
    write_xlsx([("线索表", HEADINGS, rows)], path)
    return load_workbook(path)["线索表"]


def test_xlsx_numbers_dates_and_links_are_typed(tmp_path: Path) -> None:
    sheet = typed_sheet(tmp_path, [
        (1, "http://a.example.com/办证?q=1", 80, "", "", "2026-11-30T17:00:00+00:00",
         "电工证", 2048, None),
        (2, "https://b.example.com/", 75.5, "", "", datetime(2026, 1, 1, 8, 30), "焊工证",
         10, ""),
    ])
    first, second = sheet[2], sheet[3]
    assert [(c.value, c.data_type) for c in (first[0], first[2], first[7])] == [
        (1, "n"), (80, "n"), (2048, "n")]
    assert (second[2].value, second[2].data_type) == (75.5, "n")
    assert first[5].value == datetime(2026, 12, 1, 1, 0)  # 17:00 UTC is 01:00 next day in Beijing
    assert first[5].is_date and first[5].number_format == "yyyy-mm-dd hh:mm:ss"
    assert second[5].value == datetime(2026, 1, 1, 8, 30)  # naive: Beijing time already
    assert first[1].hyperlink.target == first[1].value == "http://a.example.com/办证?q=1"
    assert second[1].hyperlink.target == "https://b.example.com/"
    assert first[8].value is None and second[8].value is None  # blank, not a text cell
    assert sheet[1][0].value == "序号" and sheet[1][0].font.b


def test_xlsx_contacts_and_long_numbers_stay_text_with_every_digit(tmp_path: Path) -> None:
    sheet = typed_sheet(tmp_path, [
        (1, "", 80, 13812345678, 909299940, "", "", 12345678901234567, ""),
        (2, "", 80, "phone:075512345678；qq:909299940", "0755123", "", "", 3, ""),
    ])
    first, second = sheet[2], sheet[3]
    assert (first[3].value, first[3].data_type, first[3].number_format) == (
        "13812345678", "s", "@")
    assert (first[4].value, first[4].data_type) == ("909299940", "s")
    assert (first[7].value, first[7].data_type) == ("12345678901234567", "s")  # > 15 digits
    assert second[3].value == "phone:075512345678；qq:909299940"
    assert second[4].value == "0755123"  # a leading zero kept


def test_xlsx_text_that_looks_like_a_formula_or_a_date_stays_text(tmp_path: Path) -> None:
    sheet = typed_sheet(tmp_path, [
        (1, "javascript:alert(1)", 80, "", "", "2026-13-45T10:00:00Z", "=HYPERLINK(\"x\")",
         "1024", "@SUM(A1)"),
        (2, "", "-1+1", "", "", "2026-11-30", "+86 138", float("nan"), "\x07坏字符"),
    ])
    first, second = sheet[2], sheet[3]
    assert (first[6].value, first[6].data_type) == ("=HYPERLINK(\"x\")", "s")
    assert (first[8].value, second[2].value, second[6].value) == ("@SUM(A1)", "-1+1", "+86 138")
    assert all(cell.data_type == "s" for cell in (first[8], second[2], second[6]))
    assert (first[5].value, second[5].value) == ("2026-13-45T10:00:00Z", "2026-11-30")
    assert first[1].hyperlink is None  # only http(s) links are clickable
    assert (first[7].value, first[7].data_type) == ("1024", "s")  # a string is never parsed
    assert (second[7].value, second[7].data_type) == ("nan", "s")
    assert second[8].value == "坏字符"
    with zipfile.ZipFile(tmp_path / "表.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_sheets_filter_freeze_and_print_their_header(tmp_path: Path) -> None:
    sheet = typed_sheet(tmp_path, [(n, "", n, "", "", "", "电工证" * 40, n, "") for n in range(30)])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I31"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    widths = {column: sheet.column_dimensions[column].width for column in "ABDG"}
    assert widths["A"] < widths["D"] < widths["G"] == 60  # 序号 narrow, long titles capped
    assert sheet["G2"].alignment.wrap_text


def test_the_seller_province_is_a_column_and_a_filter(store: Store, tmp_path: Path) -> None:
    """The phone's province, carrier and virtual-operator flag follow the contract columns;
    ``--province`` keeps the leads of one province (a bureau's own area)."""
    run = store.start_run("test", {})
    store.save_page(run, make_page("http://a.example.com/", verdict=make_verdict(
        contacts=("wechat:abc123", "phone:075512345678"))))
    store.save_page(run, make_page("http://b.example.com/", verdict=make_verdict(
        contacts=("phone:17112345678", "phone:13812345678"))))
    store.save_page(run, make_page("http://c.example.com/", verdict=make_verdict(
        contacts=("qq:909299940",))))
    out = tmp_path / "leads.csv"
    assert export_leads(store, out) == 3
    assert list(COLUMNS[COLUMNS.index("province"):][:4]) == ["province", "phone_carrier", "virtual_phone",
                                  "page_identifiers"]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["host"]: row for row in csv.DictReader(handle)}
    assert (rows["a.example.com"]["province"], rows["a.example.com"]["phone_carrier"]) == (
        "广东省", "固定电话")
    assert rows["a.example.com"]["virtual_phone"] == ""
    # The virtual number has no place: the province is the next phone's; the flag stays.
    assert rows["b.example.com"]["province"] == "江苏省"
    assert rows["b.example.com"]["phone_carrier"] == "虚拟运营商（中国联通网络）"
    assert rows["b.example.com"]["virtual_phone"] == "是"
    assert rows["c.example.com"]["province"] == ""
    assert export_leads(store, out, province="广东省") == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [row["host"] for row in csv.DictReader(handle)] == ["a.example.com"]
    assert export_leads(store, out, province="西藏自治区") == 0


def test_cli_export_filters_by_province(store: Store, db_path: Path, tmp_path: Path) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page("http://a.example.com/", verdict=make_verdict(
        contacts=("phone:02087654321",))))
    store.save_page(run, make_page("http://b.example.com/", verdict=make_verdict(
        contacts=("phone:01012345678",))))
    out = tmp_path / "gd.csv"
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--out", str(out),
                                       "--province", "广东省"])
    assert result.exit_code == 0, result.output
    assert "已导出 1 条线索（卖家电话属地：广东省）" in result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [(row["host"], row["province"]) for row in csv.DictReader(handle)] == [
            ("a.example.com", "广东省")]
