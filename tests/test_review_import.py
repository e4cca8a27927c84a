"""Review import: the exported lead CSV, edited and saved the ways Excel saves it, read back."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from keywords import load_review_words
from leads.referral.export import COLUMNS, export_leads
from leads.referral.review import (
    ReviewFileError,
    decode_spreadsheet,
    import_review,
    parse_rows,
    plan_review,
    restore,
)
from leads.store import Store, StoreLockedError
from leads.store.lifecycle import InvalidTransition
from tests.conftest import make_page

URLS = ("http://a.example.com/", "http://b.example.com/", "http://c.example.com/",
        "http://d.example.com/")
MULTI_LINE_NOTE = "电话核实：卖家自称“包过”\n微信 yjzs1820 已截图"


@pytest.fixture
def lead_ids(store: Store) -> list[int]:
    run = store.start_run("test", {})
    for url in URLS:
        store.save_page(run, make_page(url))
    return [store.lead_id(url) for url in URLS]  # type: ignore[misc]


def excel_save(store: Store, out: Path, edits: dict[int, dict[str, str]], encoding: str,
               delimiter: str = ",", added: tuple[dict[str, str], ...] = ()) -> Path:
    """Export, change cells and add rows as an analyst would, and save as Excel does: CRLF line
    ends, LF inside quoted cells, characters the encoding lacks replaced, a trailing empty line."""
    exported = out.with_suffix(".exported.csv")
    export_leads(store, exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(edits.get(int(row["lead_id"]), {}))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([*rows, *added])
    out.write_bytes((buffer.getvalue() + "\r\n").encode(encoding, errors="replace"))
    return out


def states(store: Store) -> dict[int, tuple[str, str]]:
    return {lead: (row["state"], row["note"]) for lead, row in store.lead_states().items()}


@pytest.mark.parametrize(("encoding", "delimiter", "name"), [
    ("gbk", ",", "GBK/GB18030"),            # Excel "CSV (逗号分隔)" on Chinese Windows
    ("gb18030", ",", "GBK/GB18030"),
    ("utf-8-sig", ",", "UTF-8（带 BOM）"),  # Excel "CSV UTF-8"
    ("utf-8", ",", "UTF-8"),
    ("utf-16", "\t", "UTF-16"),             # Excel "Unicode 文本"
])
def test_round_trip_as_excel_saves_it(store: Store, lead_ids: list[int], tmp_path: Path,
                                      encoding: str, delimiter: str, name: str) -> None:
    first, second, third, fourth = lead_ids
    edits = {first: {"state": "已确认", "note": MULTI_LINE_NOTE},
             second: {"state": "误报", "note": "正规培训机构"},
             third: {"note": "待复核"}}
    path = excel_save(store, tmp_path / "leads.csv", edits, encoding, delimiter)
    plan = import_review(store, path, "张三")
    assert plan.problems == []
    assert (plan.encoding, len(plan.changes), plan.state_changes, plan.unchanged) == (
        name, 3, 2, 1)
    assert states(store) == {first: ("confirmed", MULTI_LINE_NOTE),
                             second: ("false_positive", "正规培训机构"),
                             third: ("new", "待复核"), fourth: ("new", "")}
    [event] = store.lead_events(first)
    assert (event["who"], event["from_state"], event["to_state"], event["note"],
            event["source"]) == ("张三", "new", "confirmed", MULTI_LINE_NOTE, "review_import")
    assert store.lead_events(fourth) == []


def test_importing_again_and_a_fresh_export_change_nothing(store: Store, lead_ids: list[int],
                                                           tmp_path: Path) -> None:
    first = lead_ids[0]
    edits = {first: {"state": "confirmed", "note": MULTI_LINE_NOTE}}
    path = excel_save(store, tmp_path / "leads.csv", edits, "gbk")
    import_review(store, path, "张三")
    again = import_review(store, path, "张三")
    fresh = import_review(store, excel_save(store, tmp_path / "fresh.csv", {}, "utf-8-sig"), "李四")
    assert (len(again.changes), again.unchanged) == (0, len(URLS))
    assert (len(fresh.changes), fresh.unchanged) == (0, len(URLS))
    assert len(store.lead_events(first)) == 1


def test_formula_guarded_cells_are_read_back_as_written(store: Store, lead_ids: list[int],
                                                        tmp_path: Path) -> None:
    first, second = lead_ids[:2]
    store.set_state(first, "confirmed", "张三", "=HYPERLINK(\"http://x\") 页面原文")
    store.set_state(second, "confirmed", "张三", "-已电话核实")
    exported = tmp_path / "plain.csv"
    export_leads(store, exported)
    assert "'=HYPERLINK" in exported.read_text(encoding="utf-8-sig")
    untouched = import_review(store, exported, "李四")
    assert (len(untouched.changes), untouched.unchanged) == (0, len(URLS))
    path = excel_save(store, tmp_path / "leads.csv",
                      {second: {"state": "'=已移送", "note": "'+86 138 已联系"}}, "gbk")
    plan = import_review(store, path, "李四")
    [problem] = [str(problem) for problem in plan.problems]
    assert problem.startswith(f"第 3 行：线索 {second}：状态 “=已移送” 无法识别，可填：新线索/new、"
                              "已确认/confirmed/")
    assert "已移送/referred、已下架/taken_down、仍在线/still_online；留空或填 待定" in problem
    path = excel_save(store, tmp_path / "leads.csv",
                      {second: {"state": "已移送", "note": "'+86 138 已联系"}}, "gbk")
    assert import_review(store, path, "李四").problems == []
    assert states(store)[second] == ("referred", "+86 138 已联系")
    assert states(store)[first][1] == "=HYPERLINK(\"http://x\") 页面原文"


@pytest.mark.parametrize("cell", ["'=1", "'-", "'@SUM(A1)", "'\t"])
def test_restore_undoes_the_export_guard_only(cell: str) -> None:
    assert restore(cell) == cell[1:]
    assert restore("'abc") == "'abc"
    assert restore("abc'") == "abc'"


def test_one_bad_row_stops_every_change_and_all_problems_are_listed(
        store: Store, lead_ids: list[int], tmp_path: Path) -> None:
    first, second, third, fourth = lead_ids
    store.set_state(fourth, "confirmed", "王五")
    path = excel_save(store, tmp_path / "leads.csv", {
        first: {"state": "已确认", "note": MULTI_LINE_NOTE},   # fine, but on two lines
        second: {"state": "已下架"},                           # new → taken_down: refused
        third: {"state": "已处理"},                            # not a state
        fourth: {"state": "新线索"},                           # back to new: refused
    }, "gbk", added=({"lead_id": "999", "state": "confirmed"},
                     {"lead_id": str(first), "state": "confirmed"},
                     {"lead_id": "abc", "state": "confirmed"}))

    plan = import_review(store, path, "张三")

    messages = [str(problem) for problem in plan.problems]
    assert [message.split("：")[0] for message in messages] == [
        "第 3 行", "第 4 行", "第 5 行", "第 6 行", "第 7 行", "第 8 行"]
    assert "不能从 新线索（new） 改为 已下架（taken_down）" in messages[0]
    assert "已处理" in messages[1]
    assert "不能从 已确认（confirmed） 改为 新线索（new）" in messages[2]
    assert "由 王五 改为 已确认" in messages[2]
    assert "没有编号为 999 的线索" in messages[3]
    assert f"线索 {first} 与第 2 行重复" in messages[4]
    assert "“abc” 不是数字" in messages[5]
    assert states(store)[first] == ("new", "")
    assert store.lead_events(first) == []


def test_dry_run_checks_and_writes_nothing(store: Store, lead_ids: list[int],
                                           tmp_path: Path) -> None:
    path = excel_save(store, tmp_path / "leads.csv", {lead_ids[0]: {"state": "误报"}}, "gbk")
    plan = import_review(store, path, "张三", dry_run=True)
    assert (len(plan.changes), plan.problems) == (1, [])
    assert states(store)[lead_ids[0]] == ("new", "")


def test_a_file_without_the_note_column_keeps_notes(store: Store, lead_ids: list[int],
                                                    tmp_path: Path) -> None:
    store.set_state(lead_ids[0], "confirmed", "张三", "已核实")
    path = tmp_path / "old.csv"
    path.write_text(f"lead_id,state\r\n{lead_ids[0]},已移送\r\n", encoding="gbk")
    assert import_review(store, path, "张三").problems == []
    assert states(store)[lead_ids[0]] == ("referred", "已核实")


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04\x14\x00", "Excel 工作簿"),
    ("url,note\r\nhttp://a.example.com/,x\r\n".encode("gbk"), "缺少列 lead_id、state"),
    (b"", "缺少列"),
])
def test_a_file_that_is_not_a_lead_list_is_refused(store: Store, tmp_path: Path,
                                                   content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ReviewFileError, match=message):
        import_review(store, path, "张三")


def test_a_lead_moved_between_check_and_apply_stops_the_import(
        store: Store, lead_ids: list[int], tmp_path: Path) -> None:
    first, second = lead_ids[:2]
    store.set_state(second, "confirmed", "张三")
    path = excel_save(store, tmp_path / "leads.csv",
                      {first: {"state": "confirmed"}, second: {"state": "referred"}}, "gbk")
    plan = plan_review(parse_rows(decode_spreadsheet(path.read_bytes())[0]), store.lead_states())
    store.set_state(second, "false_positive", "李四")  # another analyst, meanwhile
    with pytest.raises(InvalidTransition):
        store.apply_state_changes(plan.changes, "张三", "review_import")
    assert states(store)[first] == ("new", "")


def test_a_locked_database_is_a_clear_error_and_changes_nothing(
        store: Store, lead_ids: list[int], tmp_path: Path, db_path: Path) -> None:
    path = excel_save(store, tmp_path / "leads.csv", {lead_ids[0]: {"state": "已确认"}}, "gbk")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match="锁定"):
            import_review(store, path, "张三")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert states(store)[lead_ids[0]] == ("new", "")
    assert import_review(store, path, "张三").problems == []
    assert states(store)[lead_ids[0]] == ("confirmed", "")


def test_cli_applies_reports_and_lists_events(store: Store, lead_ids: list[int], tmp_path: Path,
                                              db_path: Path) -> None:
    path = excel_save(store, tmp_path / "leads.csv",
                      {lead_ids[0]: {"state": "已确认", "note": "[red]卖家[/red]"}}, "gbk")
    runner = CliRunner()
    dry = runner.invoke(main, ["review", "import", str(path), "--db", str(db_path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "试运行" in dry.output and states(store)[lead_ids[0]] == ("new", "")
    done = runner.invoke(main, ["review", "import", str(path), "--db", str(db_path),
                                "--who", "张三"])
    assert done.exit_code == 0, done.output
    assert "已更新 1 条线索（改状态 1，仅改备注 0），未改动 3 条" in done.output
    events = runner.invoke(main, ["review", "list-events", str(lead_ids[0]), "--db", str(db_path)],
                           env={"COLUMNS": "200"})
    assert events.exit_code == 0
    assert "张三" in events.output and "[red]卖家[/red]" in events.output


def test_cli_lists_problems_and_exits_non_zero(store: Store, lead_ids: list[int], tmp_path: Path,
                                               db_path: Path) -> None:
    path = excel_save(store, tmp_path / "leads.csv", {lead_ids[1]: {"state": "已移送"}}, "gbk")
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db_path)])
    assert result.exit_code == 1
    assert f"第 3 行：线索 {lead_ids[1]}：不能从 新线索（new） 改为 已移送（referred）" in result.output
    assert "未作任何修改" in result.output
    unreadable = tmp_path / "leads.xlsx"
    unreadable.write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(main, ["review", "import", str(unreadable), "--db", str(db_path)])
    assert result.exit_code == 2
    assert "Excel 工作簿" in result.output


# --- bad input: encodings decoded strictly, sizes bounded, doubled columns refused --------------
BIG5_NOTES = {0: "對方承認賣證，電話已打通", 1: "網站已關閉，待複查", 2: "學校頁面，誤報"}


def test_a_big5_file_is_read_as_big5_not_as_garbled_gbk(store: Store, lead_ids: list[int],
                                                         tmp_path: Path) -> None:
    edits = {lead_ids[i]: {"note": note} for i, note in BIG5_NOTES.items()}
    path = excel_save(store, tmp_path / "big5.csv", edits, "big5")
    plan = import_review(store, path, "張三")
    assert (plan.encoding, plan.problems) == ("Big5", [])
    assert {states(store)[lead_ids[i]][1] for i in BIG5_NOTES} == set(BIG5_NOTES.values())


def test_a_gbk_file_with_traditional_notes_stays_gbk(store: Store, lead_ids: list[int],
                                                    tmp_path: Path) -> None:
    path = excel_save(store, tmp_path / "gbk.csv", {lead_ids[0]: {"note": BIG5_NOTES[0],
                                                                  "state": "误报"}}, "gbk")
    assert import_review(store, path, "张三").encoding == "GBK/GB18030"
    assert states(store)[lead_ids[0]] == ("false_positive", BIG5_NOTES[0])


def test_an_unreadable_encoding_asks_for_encoding_and_the_option_overrides(
        store: Store, lead_ids: list[int], tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"lead_id,state,note\r\n1,new,\x80\xff\xfe\xa1\r\n")
    with pytest.raises(ReviewFileError, match="--encoding"):
        import_review(store, path, "x")
    path = excel_save(store, tmp_path / "big5.csv", {lead_ids[0]: {"note": "電話"}}, "big5")
    with pytest.raises(ReviewFileError, match="不是 UTF-8"):
        import_review(store, path, "x", encoding="utf-8")
    store.close()
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db_path),
                                       "--encoding", "big5"])
    assert result.exit_code == 0, result.output
    assert "Big5" in result.output


def test_a_huge_cell_is_a_row_problem_and_a_huger_one_a_clear_error(
        store: Store, lead_ids: list[int], tmp_path: Path) -> None:
    path = excel_save(store, tmp_path / "long.csv", {lead_ids[0]: {"note": "长" * 5000}}, "utf-8")
    plan = import_review(store, path, "x")
    assert [p.row for p in plan.problems] == [2] and "超过 4000 字" in plan.problems[0].message
    path = excel_save(store, tmp_path / "huge.csv", {lead_ids[0]: {"note": "x" * 200_000}},
                      "utf-8")
    with pytest.raises(ReviewFileError, match="无法读取"):
        import_review(store, path, "x")


def test_a_huge_file_is_refused_unread(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ReviewFileError, match="200 MB"):
        import_review(store, path, "x")


def test_doubled_columns_are_refused(store: Store, lead_ids: list[int], tmp_path: Path) -> None:
    path = tmp_path / "doubled.csv"
    path.write_text(f"lead_id,state,note,state\r\n{lead_ids[0]},误报,x,已确认\r\n",
                    encoding="utf-8")
    with pytest.raises(ReviewFileError, match="列 state 出现不止一次"):
        import_review(store, path, "x")


def test_the_cli_prints_at_most_twenty_problems(store: Store, tmp_path: Path,
                                                db_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("lead_id,state\r\n" + "".join(f"{9000 + i},误报\r\n" for i in range(50)),
                    encoding="utf-8")
    store.close()
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.count("没有编号为") == 20
    assert "另有 30 处问题未列出" in result.output


# --- the words analysts write (keywords/review_words.tsv), and blank cells ---------------------
@pytest.mark.parametrize(("cell", "state"), [
    ("已核实", "confirmed"), ("核实", "confirmed"), ("确认", "confirmed"), ("属实", "confirmed"),
    ("假证", "confirmed"), ("是", "confirmed"), ("已核實", "confirmed"), ("屬實", "confirmed"),
    ("误报", "false_positive"), ("不属实", "false_positive"), ("非假证", "false_positive"),
    ("否", "false_positive"), ("不屬實", "false_positive"), ("非假證", "false_positive"),
])
@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_analysts_words_move_the_lead_to_their_state(store: Store, lead_ids: list[int],
                                                     tmp_path: Path, cell: str, state: str,
                                                     encoding: str) -> None:
    first, second = lead_ids[:2]
    path = excel_save(store, tmp_path / "leads.csv",
                      {first: {"state": cell, "note": "电话核实"}, second: {"note": "另一条"}},
                      encoding)
    plan = import_review(store, path, "张三")
    assert plan.problems == []
    assert (plan.state_changes, plan.unchanged) == (1, len(URLS) - 2)
    assert states(store)[first] == (state, "电话核实")
    assert states(store)[second] == ("new", "另一条")
    [event] = store.lead_events(first)
    assert (event["from_state"], event["to_state"]) == ("new", state)


@pytest.mark.parametrize("cell", ["", "待定", "未核实", "未核實"])
def test_a_blank_or_undecided_cell_keeps_every_state_and_reads_the_note(
        store: Store, lead_ids: list[int], tmp_path: Path, cell: str) -> None:
    second, third, fourth = lead_ids[1:]
    store.set_state(second, "confirmed", "王五", "已核实")
    store.set_state(third, "false_positive", "王五")
    for state in ("confirmed", "referred"):
        store.set_state(fourth, state, "王五")
    before = states(store)
    edits = {lead: {"state": cell} for lead in lead_ids}
    path = excel_save(store, tmp_path / "leads.csv", edits, "gbk")
    plan = import_review(store, path, "张三")
    assert (plan.problems, plan.changes, plan.unchanged) == ([], [], len(URLS))
    assert states(store) == before
    edits[second]["note"] = "补充：微信已封"
    path = excel_save(store, tmp_path / "leads.csv", edits, "gbk")
    plan = import_review(store, path, "张三")
    assert (plan.problems, plan.state_changes, len(plan.changes)) == ([], 0, 1)
    assert states(store)[second] == ("confirmed", "补充：微信已封")
    assert [event["to_state"] for event in store.lead_events(second)] == ["confirmed", "confirmed"]


def test_an_unknown_word_is_refused_listing_the_accepted_words(
        store: Store, lead_ids: list[int], tmp_path: Path, db_path: Path) -> None:
    path = excel_save(store, tmp_path / "leads.csv",
                      {lead_ids[0]: {"state": "已核实"}, lead_ids[1]: {"state": "差不多"}}, "gbk")
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db_path)],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert f"第 3 行：线索 {lead_ids[1]}：状态 “差不多” 无法识别，可填：" in result.output
    listed = result.output.split("可填：", 1)[1]
    for word in ("已确认", "已核实", "属实", "假证", "不属实", "非假证", "待定", "未核实"):
        assert word in listed
    assert states(store)[lead_ids[0]] == ("new", ""), "all or nothing"


def test_help_lists_every_accepted_word_from_the_words_file() -> None:
    result = CliRunner().invoke(main, ["review", "import", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    words = load_review_words(("new", "confirmed", "false_positive", "referred", "taken_down",
                               "still_online"))
    assert len(words) >= 10
    lines = result.output.splitlines()
    for entry in words:
        [line] = [line for line in lines if line.strip().startswith(f"{entry.state}:")]
        assert entry.word in line.split(":", 1)[1].replace(" ", "").split(",")
    assert any(line.strip().startswith("confirmed: 已确认, confirmed,") for line in lines)
    assert any(line.strip().startswith("unchanged: (blank cell)") for line in lines)
