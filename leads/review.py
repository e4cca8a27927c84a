"""Read back the lead CSV analysts edited in Excel and apply their decisions, all or nothing.

The file is the one ``leads.export`` writes; analysts change ``state`` (English or the Chinese
label, e.g. 已确认) and ``note``. Excel saves it as UTF-8 with BOM ("CSV UTF-8"), as GBK ("CSV"
on Chinese Windows; read as its superset GB18030) or UTF-16 with tabs ("Unicode 文本"), with CRLF
and quoted multi-line cells. Every row is checked before anything is written, and problems name
the row as Excel numbers it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leads.export import FORMULA_TRIGGERS
from leads.lifecycle import (
    InvalidTransition,
    LifecycleError,
    StateChange,
    label,
    parse_state,
    transition,
)
from leads.store import Store

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


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and a name for its encoding, as Excel may have saved it."""
    if raw.startswith(b"PK\x03\x04"):
        raise ReviewFileError("这是 Excel 工作簿（.xlsx）：请在 Excel 中“另存为”CSV 文件后再导入")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), "UTF-8（带 BOM）"
    for encoding, name in (("utf-8", "UTF-8"), ("gb18030", "GBK/GB18030")):
        try:
            return raw.decode(encoding), name
        except UnicodeDecodeError:
            continue
    raise ReviewFileError("无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


def restore(cell: str) -> str:
    """Undo ``leads.export.neutralise``: ``'=…`` was written for ``=…``."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def parse_rows(text: str) -> list[ReviewRow]:
    """The rows of an exported lead list; blank rows (Excel's trailing ones) are skipped."""
    first_line = text.partition("\n")[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lstrip("\ufeff").lower() for name in next(records, [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ReviewFileError(f"缺少列 {'、'.join(missing)}：请导入 jiazheng export 导出的线索表")
    rows = []
    for number, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(header, (restore(cell) for cell in cells), strict=False))
        note = values.get(NOTE_COLUMN, "") if NOTE_COLUMN in header else None
        rows.append(ReviewRow(number, values.get("lead_id", ""), values.get("state", ""), note))
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
            state = parse_state(row.state)
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


def import_review(store: Store, path: Path, who: str, dry_run: bool = False) -> ReviewPlan:
    """Plan the import of ``path`` and, when no row has a problem, apply it in one transaction.

    Raises ``ReviewFileError`` for an unreadable file, ``StoreLockedError`` when another process
    holds the database, ``LifecycleError`` when a lead moved between check and apply; in every
    case nothing is written.
    """
    text, encoding = decode(path.read_bytes())
    plan = plan_review(parse_rows(text), store.lead_states())
    plan.encoding = encoding
    if plan.changes and not plan.problems and not dry_run:
        store.apply_state_changes(plan.changes, who, EVENT_SOURCE)
    return plan
