"""Read back the lead CSV analysts edited in Excel and apply their decisions, all or nothing.

The file is the one ``leads.referral.export`` writes; analysts change ``state`` (English, the
Chinese label such as 已确认, or a word of keywords/review_words.tsv such as 已核实 or 否; blank
or 待定 keeps the state) and ``note``. Excel saves it as UTF-8 with BOM ("CSV UTF-8"), as GBK
("CSV" on Chinese Windows; read as its superset GB18030), as Big5 (traditional Windows) or UTF-16
with tabs ("Unicode 文本"), with CRLF and quoted multi-line cells. Decoding is strict, sizes are
bounded and a doubled column is refused: a wrong guess would overwrite notes with garbled text.
Every row is checked before anything is written, and problems name the row as Excel numbers it (the
header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jieba

from leads.referral.tables import FORMULA_TRIGGERS
from leads.store import Store
from leads.store.lifecycle import (
    InvalidTransition,
    LifecycleError,
    StateChange,
    label,
    parse_state,
    transition,
)

REQUIRED_COLUMNS = ("lead_id", "state")
NOTE_COLUMN = "note"
DELIMITERS = (",", "\t", ";")
EVENT_SOURCE = "review_import"


class ReviewFileError(ValueError):
    """The file as a whole cannot be read as a lead list; the message says what to do."""


@dataclass(frozen=True)
class ReviewRow:
    """One edited row, cells as Excel saved them (formula guards already removed)."""

    row: int
    lead_id: str
    state: str
    note: str | None  # None: the file has no note column, so notes stay as they are


@dataclass(frozen=True)
class Problem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}"


@dataclass
class ReviewPlan:
    """What an import would do: the changes, how many rows need none, and what is wrong."""

    encoding: str = ""
    changes: list[StateChange] = field(default_factory=list)
    state_changes: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


ENCODINGS = {  # what --encoding accepts → (codec, name shown to the analyst)
    "utf-8": ("utf-8-sig", "UTF-8"), "gbk": ("gb18030", "GBK/GB18030"),
    "gb18030": ("gb18030", "GBK/GB18030"), "big5": ("big5hkscs", "Big5"),
    "utf-16": ("utf-16", "UTF-16"),
}
MAX_FILE_BYTES = 20 * 1024 * 1024  # a lead list of 100,000 rows is a few MB
MAX_CELL_CHARS = 4000  # a note longer than this is not an analyst's note
MAX_ROWS = 200_000
SHOWN_PROBLEMS = 20  # the rest are counted, not printed
PLAUSIBLE_SHARE = 0.95  # of non-ASCII characters that must be Chinese text in a guessed encoding
COMMON_CHARACTERS = 800  # everyday characters, to tell a GBK reading from a Big5 one
DECISIVE_MARGIN = 0.2  # difference in everyday-character share that decides between them


def _looks_chinese(text: str) -> bool:
    """Text decoded with the right legacy code page is Chinese; decoded with the wrong one it is
    kana, Greek, box drawing and private-use characters (Big5 read as GBK) or fails outright."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return True
    chinese = sum(
        "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or c in "“”‘’…—·" for c in wide)
    return chinese >= PLAUSIBLE_SHARE * len(wide)


def decode_spreadsheet(raw: bytes, encoding: str = "") -> tuple[str, str]:
    """The file's text and a name for its encoding, as Excel may have saved it.

    Decoding is strict: a file that is neither UTF-8 nor plausible Chinese in GBK or Big5 (or
    that both read as Chinese) is refused with a request for ``--encoding``, never guessed into
    garbled notes.
    """
    if raw.startswith(b"PK\x03\x04"):
        raise ReviewFileError("这是 Excel 工作簿（.xlsx）：请在 Excel 中“另存为”CSV 文件后再导入")
    if encoding:
        if encoding.lower() not in ENCODINGS:
            raise ReviewFileError(f"不支持的编码 {encoding}，可选：{'、'.join(ENCODINGS)}")
        codec, name = ENCODINGS[encoding.lower()]
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError as exc:
            raise ReviewFileError(f"文件不是 {name} 编码（第 {exc.start} 字节起无法解码）") from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="strict"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8（带 BOM）" if raw.startswith(
            codecs.BOM_UTF8) else "UTF-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for codec, name in (ENCODINGS["gbk"], ENCODINGS["big5"]):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            readings.append((text, name))
    if len(readings) == 2:  # GBK bytes mostly read as rare traditional characters in Big5
        shares = [_common_share(text) for text, _ in readings]
        if abs(shares[0] - shares[1]) >= DECISIVE_MARGIN:
            readings = [readings[shares.index(max(shares))]]
    if len(readings) == 1:
        return readings[0]
    why = "既可按 GBK 也可按 Big5 读出中文" if readings else "无法识别文件编码"
    raise ReviewFileError(f"{why}：请用 --encoding 指明（utf-8、gbk、big5、utf-16），"
                          f"或在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


@cache
def _common_characters() -> frozenset[str]:
    """The most frequent Chinese characters, counted from jieba's word frequencies."""
    counts: Counter[str] = Counter()
    with jieba.get_dict_file() as handle:
        for line in handle:
            word, frequency, *_ = line.decode("utf-8").split()
            for character in word:
                counts[character] += int(frequency)
    return frozenset(character for character, _ in counts.most_common(COMMON_CHARACTERS))


def _common_share(text: str) -> float:
    """How much of the text's Chinese is everyday characters (high for the right reading)."""
    chinese = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    common = _common_characters()
    return sum(c in common for c in chinese) / len(chinese) if chinese else 0.0


def restore(cell: str) -> str:
    """Undo ``leads.referral.export.neutralise``: ``'=…`` was written for ``=…``."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def parse_rows(text: str) -> list[ReviewRow]:
    """The rows of an exported lead list; blank rows (Excel's trailing ones) are skipped."""
    first_line = text.partition("\n")[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lstrip("\ufeff").lower() for name in next(records, [])]
        doubled = sorted({name for name in header if name and header.count(name) > 1})
        if doubled:
            raise ReviewFileError(f"列 {'、'.join(doubled)} 出现不止一次：无法确定以哪一列为准")
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ReviewFileError(
                f"缺少列 {'、'.join(missing)}：请导入 jiazheng export 导出的线索表")
        rows = []
        for number, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ReviewFileError(f"行数超过 {MAX_ROWS}：这不像一份线索表")
            values = dict(zip(header, (restore(cell) for cell in cells), strict=False))
            note = values.get(NOTE_COLUMN, "") if NOTE_COLUMN in header else None
            rows.append(ReviewRow(number, values.get("lead_id", ""), values.get("state", ""),
                                  note))
    except csv.Error as exc:  # e.g. a cell over the csv module's field limit
        raise ReviewFileError(f"第 {records.line_num} 行无法读取：{exc}") from exc
    return rows


def parse_lead_id(cell: str) -> int:
    text = unicodedata.normalize("NFKC", cell).strip()
    if not text.isdigit():
        raise ValueError(f"线索编号 “{cell.strip()}” 不是数字" if text else "缺少线索编号")
    return int(text)


def _stale_hint(current: dict[str, Any]) -> str:
    if not current["state_changed_at"]:
        return ""
    return (f"（{current['state_changed_at']} 已由 {current['state_changed_by']} 改为 "
            f"{label(current['state'])}；表格若是在那之前导出的，请重新导出后再修改）")


def plan_review(rows: list[ReviewRow], states: dict[int, dict[str, Any]]) -> ReviewPlan:
    """Check every row against the leads' current ``states`` (``Store.lead_states``)."""
    plan = ReviewPlan()
    first_row: dict[int, int] = {}
    for row in rows:
        longest = max(len(row.lead_id), len(row.state), len(row.note or ""))
        if longest > MAX_CELL_CHARS:
            too_long = f"单元格超过 {MAX_CELL_CHARS} 字（{longest} 字）"
            plan.problems.append(Problem(row.row, too_long))
            continue
        try:
            lead_id = parse_lead_id(row.lead_id)
        except ValueError as exc:
            plan.problems.append(Problem(row.row, str(exc)))
            continue
        if lead_id in first_row:
            duplicate = f"线索 {lead_id} 与第 {first_row[lead_id]} 行重复"
            plan.problems.append(Problem(row.row, duplicate))
            continue
        first_row[lead_id] = row.row
        current = states.get(lead_id)
        if current is None:
            plan.problems.append(Problem(row.row, f"没有编号为 {lead_id} 的线索"))
            continue
        try:
            state = parse_state(row.state, current["state"])
            transition(current["state"], state)
        except InvalidTransition as exc:
            plan.problems.append(Problem(row.row, f"线索 {lead_id}：{exc}{_stale_hint(current)}"))
            continue
        except LifecycleError as exc:
            plan.problems.append(Problem(row.row, f"线索 {lead_id}：{exc}"))
            continue
        note = None if row.note is None or row.note == current["note"] else row.note
        if state == current["state"] and note is None:
            plan.unchanged += 1
            continue
        plan.changes.append(StateChange(lead_id, state, note))
        plan.state_changes += state != current["state"]
    return plan


def read_review_file(path: Path, encoding: str = "") -> tuple[str, str]:
    """The file's text and encoding name; files over MAX_FILE_BYTES are refused unread."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReviewFileError(f"文件有 {size // (1024 * 1024)} MB，超过 "
                              f"{MAX_FILE_BYTES // (1024 * 1024)} MB：这不像一份线索表")
    return decode_spreadsheet(path.read_bytes(), encoding)


def import_review(store: Store, path: Path, who: str, dry_run: bool = False,
                  encoding: str = "") -> ReviewPlan:
    """Plan the import of ``path`` and, when no row has a problem, apply it in one transaction.

    Raises ``ReviewFileError`` for an unreadable file, ``StoreLockedError`` when another process
    holds the database, ``LifecycleError`` when a lead moved between check and apply; in every
    case nothing is written.
    """
    text, encoding_name = read_review_file(path, encoding)
    plan = plan_review(parse_rows(text), store.lead_states())
    plan.encoding = encoding_name
    if plan.changes and not plan.problems and not dry_run:
        store.apply_state_changes(plan.changes, who, EVENT_SOURCE)
    return plan
