"""Tables for officers and analysts: typed XLSX that sorts, filters, sums and prints in Excel/WPS,
and Excel-safe CSV.

An XLSX cell takes the type of its value: an int or float is a number (序号, 评分, 大小 sort as
numbers, SUM adds them), a datetime or an ISO timestamp with its offset (the store's UTC times) is
a real date shown in Beijing time, an http(s) URL is a hyperlink showing the URL, everything else
is text. Text stays text whatever it starts with: titles and reasons are written by fraudsters, so
``=HYPERLINK(...)`` is a string cell (never a formula), characters XML cannot hold are dropped and
cells are cut at Excel's limit. Contact columns are text even when given a number, and an integer
longer than Excel's 15 significant digits is text, so a phone or QQ number never loses a digit.
Each sheet has a frozen header, an AutoFilter over its table, the header repeated on every printed
page (landscape A4, columns fitted to the page width) and column widths from its content.

``write_csv`` is the one CSV writer for files (lead list, 附表, packet 清单): UTF-8 with BOM so
Excel shows Chinese, every cell that starts with a formula trigger given a leading apostrophe
(OWASP CSV injection), the file whole or not at all. CSV cells are text, byte for byte as before.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from leads.judge.observations import BEIJING
from leads.outputs import atomic_file

EXCEL_CELL_LIMIT = 32767
EXCEL_LINK_LIMIT = 2079  # longer hyperlink addresses make Excel "repair" the file
EXCEL_DIGITS = 15  # significant digits Excel keeps in a number
COLUMN_WIDTH_CAP = 60
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# An ISO timestamp that says its offset: the store's times (2026-11-30T17:00:00+00:00), Z or not.
ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")
URL = re.compile(r"https?://[^\s\"<>]+", re.IGNORECASE)
# Headings of columns that hold contacts: text whatever the value (13812345678 stays 11 digits).
CONTACT_HEADING = re.compile(r"联系|电话|手机|微信|QQ|contact|phone", re.IGNORECASE)

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def neutralise(value: Any) -> str:
    """A cell Excel will never evaluate: formula triggers get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_CELL_LIMIT]


def beijing_time(value: datetime | str) -> datetime | None:
    """A zone-aware datetime or ISO timestamp as Beijing wall-clock time, without its zone (Excel
    dates have none); a naive datetime is taken as Beijing time already; None for text that only
    looks like a timestamp (2026-13-45T…)."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(BEIJING).replace(tzinfo=None)
    return moment


def is_number(value: Any) -> bool:
    """A value Excel holds as a number without changing it (no NaN, no digits lost)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return abs(value) < 10**EXCEL_DIGITS


def excel_value(value: Any) -> tuple[Any, str] | None:
    """(value, number format) of a number, a date or a timestamp; None for text."""
    if is_number(value):
        return value, "General"
    if isinstance(value, datetime) or (isinstance(value, str) and ISO_TIMESTAMP.fullmatch(value)):
        moment = beijing_time(value)
        return (moment, DATETIME_FORMAT) if moment else None
    if isinstance(value, date):
        return value, DATE_FORMAT
    return None


def set_typed(cell: Cell, value: Any, as_text: bool = False) -> None:
    """Write ``value`` into ``cell`` with its type (see the module's docstring); ``as_text``
    forces text (contact columns)."""
    if value is None or value == "":
        return  # left blank and General: what someone types in later keeps its own type
    typed = None if as_text else excel_value(value)
    if typed:
        cell.value, cell.number_format = typed
        return
    text = cell_text(value)
    if not as_text and len(text) <= EXCEL_LINK_LIMIT and URL.fullmatch(text):
        cell.hyperlink = text
        cell.style = "Hyperlink"
    cell.value = text
    cell.data_type = "s"  # a string, whatever it starts with
    cell.number_format = TEXT_FORMAT  # and still text once edited in Excel


def display_width(cell: Cell) -> int:
    """Columns a cell's value needs: CJK characters are two wide; dates as formatted."""
    if isinstance(cell.value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(cell.value, date):
        return len(DATE_FORMAT)
    text = "" if cell.value is None else str(cell.value)
    line = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def add_sheet(workbook: Workbook, title: str, headings: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> Worksheet:
    """One typed table on a new worksheet, ready to filter and print."""
    sheet = workbook.create_sheet(title)
    text_columns = {column for column, heading in enumerate(headings, 1)
                    if CONTACT_HEADING.search(heading)}
    for column, heading in enumerate(headings, 1):
        set_typed(sheet.cell(row=1, column=column), heading, as_text=True)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for row_number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=row_number, column=column)
            set_typed(cell, value, as_text=column in text_columns)
            cell.alignment = Alignment(wrap_text=cell.data_type == "s", vertical="top")
    _lay_out(sheet, len(headings))
    return sheet


def _lay_out(sheet: Worksheet, columns: int) -> None:
    """Widths from the content, frozen header, AutoFilter, print titles, landscape A4."""
    last = get_column_letter(max(columns, 1))
    for index, cells in enumerate(sheet.iter_cols(max_col=columns), 1):
        widest = max(display_width(cell) for cell in cells)
        sheet.column_dimensions[get_column_letter(index)].width = min(COLUMN_WIDTH_CAP,
                                                                      widest + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{sheet.max_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    """One typed worksheet per (title, headings, rows), in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        add_sheet(workbook, title, headings, rows)
    return workbook


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Whole or not at all: a failure halfway leaves the previous file."""
    with atomic_file(path) as building:
        workbook.save(building)


def write_xlsx(sheets: Sequence[Sheet], path: Path) -> None:
    """One typed worksheet per (title, headings, rows), written atomically."""
    save_workbook(build_workbook(sheets), path)


def write_csv(headings: Sequence[str], rows: Iterable[Sequence[Any]], path: Path) -> int:
    """UTF-8 with BOM, every cell of ``rows`` neutralised (the headings are ours), whole or not at
    all (a failure halfway leaves the previous file); returns how many rows were written."""
    count = 0
    with atomic_file(path) as building, building.open("w", encoding="utf-8-sig",
                                                      newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
            count += 1
    return count
