"""Tables for officers and analysts: XLSX whose every cell is text, and Excel-safe CSV.

Titles and reasons are written by fraudsters: in the XLSX a value like ``=HYPERLINK(...)`` is
stored as a string cell (never a formula), characters XML cannot hold are dropped and cells are
cut at Excel's limit. ``write_csv`` is the one CSV writer for files (lead list, 附表, packet
清单): UTF-8 with BOM so Excel shows Chinese, every cell that starts with a formula trigger given
a leading apostrophe (OWASP CSV injection), the file whole or not at all.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from leads.outputs import atomic_file

EXCEL_CELL_LIMIT = 32767
COLUMN_WIDTH_CAP = 60
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> str:
    """A cell Excel will never evaluate: formula triggers get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_CELL_LIMIT]


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
               path: Path) -> None:
    """One worksheet per (title, headings, rows); every cell a text cell."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title)
        widths = [len(heading) * 2 + 2 for heading in headings]
        for row_number, row in enumerate([headings, *rows], 1):
            for column, value in enumerate(row, 1):
                cell = sheet.cell(row=row_number, column=column)
                cell.value = cell_text(value)
                cell.data_type = "s"  # a string, whatever it starts with
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if row_number == 1:
                    cell.font = Font(bold=True)
                widths[column - 1] = max(widths[column - 1], min(COLUMN_WIDTH_CAP,
                                                                 len(cell.value) + 2))
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
        sheet.freeze_panes = "A2"
    with atomic_file(path) as building:
        workbook.save(building)


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
