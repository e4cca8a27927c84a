"""PDF pages for official documents (fpdf2): portrait A4 with the GB/T 9704-2012 版心, Noto Serif
CJK for the text and Noto Sans CJK Bold (a 黑体 face) for labels, both embedded as subsets.

Text is placed as plain text, never as markup: ``<script>`` or ``=HYPERLINK(`` in a page title
prints as those characters. Control characters are dropped; characters the font lacks (emoji)
are left out by fpdf2 with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode

FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
SIMPLIFIED_CHINESE = 2  # index of the SC face in each Noto CJK collection
SERIF = "serif"
HEITI = "heiti"
FONT_FILES = {(SERIF, ""): "NotoSerifCJK-Regular.ttc", (SERIF, "B"): "NotoSerifCJK-Bold.ttc",
              (HEITI, ""): "NotoSansCJK-Bold.ttc"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_CELL_CHARS = 2000  # a cell is a summary; the evidence files hold everything
# GB/T 9704-2012 5.2.1: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so 下 35 mm, 右 26 mm).
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37.0, 35.0, 28.0, 26.0
BODY_SIZE = 16.0  # 3号
LINE_PITCH = 225 / 22  # 22 lines on a page (7.1)
CHAR = BODY_SIZE * 25.4 / 72  # one character's width in mm
PAGE_NUMBER_SIZE = 14.0  # 4号
RED = (230, 0, 18)


def printable(value: object, limit: int = MAX_CELL_CHARS) -> str:
    text = CONTROL_CHARACTERS.sub("", "" if value is None else str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class OfficialDocument(FPDF):
    """Portrait A4 with the GB/T 9704 版心 and 页码 (“— 2 —”, odd pages right, even left, none
    on page 1, which carries the 版头)."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for (family, style), name in FONT_FILES.items():
            path = FONT_DIR / name
            if not path.is_file():
                raise FileNotFoundError(
                    f"缺少中文字体 {path}（Debian/Ubuntu：apt-get install fonts-noto-cjk）")
            self.add_font(family, style=style, fname=str(path),
                          collection_font_number=SIMPLIFIED_CHINESE)
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-MARGIN_BOTTOM + 7)  # 一字线上距版心下边缘 7 mm
        self.set_font(SERIF, size=PAGE_NUMBER_SIZE)
        self.cell(0, 6, f"— {self.page_no()} —", align="R" if self.page_no() % 2 else "L")

    def text_block(self, text: str, *, size: float = BODY_SIZE, indent: bool = False,
                   align: str = "L", family: str = SERIF, style: str = "",
                   pitch: float = LINE_PITCH) -> None:
        """A paragraph on the 版心's lines; ``indent``: 左空二字, 回行顶格."""
        self.set_font(family, style=style, size=size)
        self.set_x(self.l_margin)
        self.multi_cell(0, pitch, ("　　" if indent else "") + printable(text), align=align,
                        wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
