"""PDF documents with Chinese text (fpdf2, Noto Sans CJK embedded as a subset).

Text is placed as plain text, never as markup: ``<script>`` or ``=HYPERLINK(`` in a page title
prints as those characters. Control characters are dropped; characters the font lacks (emoji)
are left out by fpdf2 with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode

FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
SIMPLIFIED_CHINESE = 2  # index of Noto Sans CJK SC in the collection
FONT = "noto"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_CELL_CHARS = 2000  # a cell is a summary; the evidence files hold everything


@dataclass(frozen=True)
class Table:
    title: str
    headings: Sequence[str]
    widths: Sequence[float]  # relative column widths
    rows: Sequence[Sequence[object]]
    font_size: float = 7.5


def printable(value: object, limit: int = MAX_CELL_CHARS) -> str:
    text = CONTROL_CHARACTERS.sub("", "" if value is None else str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class ChineseDocument(FPDF):
    """A4 landscape with the CJK font and page numbers."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="L", format="A4")
        self.footer_text = printable(footer_text)
        for style, name in FONT_FILES.items():
            path = FONT_DIR / name
            if not path.is_file():
                raise FileNotFoundError(
                    f"缺少中文字体 {path}（Debian/Ubuntu：apt-get install fonts-noto-cjk）")
            self.add_font(FONT, style=style, fname=str(path),
                          collection_font_number=SIMPLIFIED_CHINESE)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 8, f"{self.footer_text}    第 {self.page_no()} 页", align="C")

    def heading(self, text: str, size: float = 18) -> None:
        self.set_font(FONT, style="B", size=size)
        self.multi_cell(0, size * 0.6, printable(text), align="C")
        self.ln(4)

    def paragraph(self, text: str, size: float = 12) -> None:
        self.set_font(FONT, size=size)
        # Chinese has no spaces to break at: break anywhere, not before the next Latin word.
        self.multi_cell(0, size * 0.6, printable(text), align="L", wrapmode=WrapMode.CHAR)
        self.ln(2)

    def add_table(self, spec: Table) -> None:
        self.set_font(FONT, style="B", size=12)
        self.multi_cell(0, 8, printable(spec.title))
        self.set_font(FONT, size=spec.font_size)
        with self.table(col_widths=tuple(spec.widths), text_align="LEFT",
                           line_height=spec.font_size * 0.5, repeat_headings=1) as grid:
            for row in [spec.headings, *spec.rows]:
                cells = grid.row()
                for value in row:
                    cells.cell(printable(value))
        self.ln(4)


def write_document(path: Path, title: str, paragraphs: Sequence[str], tables: Sequence[Table],
                   footer_text: str, signature: Sequence[str] = ()) -> None:
    """Page 1: ``title``, ``paragraphs`` and ``signature`` lines; then each table on new pages."""
    document = ChineseDocument(footer_text)
    document.add_page()
    document.heading(title)
    for text in paragraphs:
        document.paragraph(text)
    document.ln(6)
    for line in signature:
        document.paragraph(line)
    for spec in tables:
        document.add_page()
        document.add_table(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.output(str(path))
