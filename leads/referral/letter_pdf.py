"""The 移送函 as PDF, laid out as GB/T 9704-2012's 信函格式 (the format of a 函): 发文机关标志 in
red 30 mm below the top edge, red double lines under it and 20 mm above the bottom edge, the
发文字号 at the right under the first, then 标题, 主送机关, 正文, 附件说明, 署名 and 成文日期 with
the seal area over them, 附注; each 附件 on new pages (“附件1” top left, its title centred).

附件1 prints one card per lead (label, value) so that a portrait page holds a lead's whole
record, each contact on its own line, never broken; 附件2 is a table repeating its headings.
"""

from __future__ import annotations

from pathlib import Path

from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from leads.referral.letter import Attachment, Letter
from leads.referral.pdf import (
    BODY_SIZE,
    CHAR,
    HEITI,
    LINE_PITCH,
    RED,
    SERIF,
    OfficialDocument,
    printable,
)

MARK_TOP = 30.0  # 信函格式: 发文机关标志上边缘至上页边 30 mm
MARK_SIZE = 30.0
DOUBLE_LINE_LENGTH = 170.0
BOTTOM_LINES_FROM_EDGE = 20.0
TITLE_SIZE = 22.0  # 2号
SEAL_DIAMETER = 42.0
CARD_SIZE = 10.0
CHECKLIST_SIZE = 7.0
CHECKLIST_WIDTHS = (8, 10, 10, 36, 14, 44, 14, 20)  # mm, the 版心's 156
FITTING_PITCHES = (LINE_PITCH, 9.4, 8.6, 7.8)  # the standard's 22 lines a page, then closer


def write_letter_pdf(letter: Letter, path: Path) -> None:
    """The letter on page 1 — lines drawn closer when it would not fit, as GB/T 9704 7.3.5.1
    asks rather than leaving the 署名 and seal alone on a page — then its attachments."""
    for pitch in FITTING_PITCHES:
        document = _letter(letter, pitch)
        if document.page_no() == 1:
            break
    for attachment in letter.attachments:
        _attachment(document, attachment)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.output(str(path))


def _letter(letter: Letter, pitch: float) -> OfficialDocument:
    document = OfficialDocument()
    document.set_title(letter.title)
    document.set_subject(letter.reference)
    document.add_page()
    _letterhead(document, letter, pitch)
    document.text_block(letter.title, size=TITLE_SIZE, align="C", style="B",
                        pitch=TITLE_SIZE * 0.5)
    document.ln(pitch * 0.5)
    document.text_block(letter.addressee, pitch=pitch)
    for paragraph in letter.body:
        document.text_block(paragraph, indent=True, pitch=pitch)
    document.ln(pitch)
    for line in letter.attachment_note:
        document.text_block(line, indent=True, pitch=pitch)
    _signature(document, letter, pitch)
    return document


def _double_line(document: OfficialDocument, y: float, thick_first: bool) -> None:
    """信函格式's red double line, 170 mm, centred: 上粗下细 at the top, 上细下粗 at the bottom."""
    left = (document.w - DOUBLE_LINE_LENGTH) / 2
    widths = (0.9, 0.3) if thick_first else (0.3, 0.9)
    document.set_draw_color(*RED)
    for offset, width in zip((0.0, 1.4), widths, strict=True):
        document.set_line_width(width)
        document.line(left, y + offset, left + DOUBLE_LINE_LENGTH, y + offset)
    document.set_draw_color(0)
    document.set_line_width(0.2)


def _letterhead(document: OfficialDocument, letter: Letter, pitch: float) -> None:
    size = MARK_SIZE
    document.set_font(SERIF, style="B", size=size)
    text_width = document.epw
    while document.get_string_width(printable(letter.mark)) > text_width and size > 12:
        size -= 1
        document.set_font(SERIF, style="B", size=size)
    height = size * 25.4 / 72 * 1.2
    document.set_y(MARK_TOP)
    document.set_text_color(*RED)
    document.cell(0, height, printable(letter.mark), align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(0)
    line_y = document.get_y() + 4
    _double_line(document, line_y, thick_first=True)
    _double_line(document, document.h - BOTTOM_LINES_FROM_EDGE, thick_first=False)
    document.set_y(line_y + 3)
    document.text_block(letter.reference, align="R", pitch=pitch)
    document.ln(pitch)


def _signature(document: OfficialDocument, letter: Letter, pitch: float) -> None:
    """署名 centred over 成文日期 (右空四字), the seal area over both, 附注 under them."""
    document.ln(pitch)
    if document.get_y() + 3 * pitch > document.page_break_trigger:
        document.add_page()
    document.set_font(SERIF, size=BODY_SIZE)
    right = document.w - document.r_margin - 4 * CHAR
    date_width = document.get_string_width(letter.date)
    centre = right - date_width / 2
    top = document.get_y()
    signature = printable(letter.signature)
    room = 2 * min(centre - document.l_margin, document.w - document.r_margin - centre)
    if document.get_string_width(signature) <= room:
        document.set_x(centre - room / 2)
        document.cell(room, pitch, signature, align="C", new_x="LMARGIN", new_y="NEXT")
    else:  # a long name (or the placeholder) ends at the 版心's right edge
        document.multi_cell(0, pitch, signature, align="R", wrapmode=WrapMode.CHAR,
                            new_x="LMARGIN", new_y="NEXT")
    document.set_x(right - date_width)
    document.cell(date_width, pitch, letter.date, new_x="LMARGIN", new_y="NEXT")
    _seal_area(document, centre, top + 2)
    document.text_block(letter.note, indent=True, pitch=pitch)


def _seal_area(document: OfficialDocument, x: float, y: float) -> None:
    """A dashed circle where the seal goes, over the 署名 and the date (印章居中下压)."""
    document.set_draw_color(*RED)
    document.set_line_width(0.3)
    with document.local_context():
        document.set_dash_pattern(dash=1.5, gap=1.5)
        document.circle(x, y, SEAL_DIAMETER / 2)
    document.set_dash_pattern()
    document.set_draw_color(0)
    document.set_text_color(*RED)
    document.set_font(SERIF, size=9)
    document.text(x - document.get_string_width("（盖章处）") / 2, y - SEAL_DIAMETER / 2 + 7,
                  "（盖章处）")
    document.set_text_color(0)
    document.set_line_width(0.2)


def _attachment(document: OfficialDocument, attachment: Attachment) -> None:
    document.add_page()
    document.text_block(f"附件{attachment.number}", family=HEITI)
    document.text_block(attachment.title, size=TITLE_SIZE, align="C", style="B",
                        pitch=TITLE_SIZE * 0.5)
    document.ln(4)
    if attachment.preface:
        document.text_block(attachment.preface, size=10, pitch=5.5)
        document.ln(2)
    if attachment.as_cards:
        for row in attachment.rows:
            _card(document, attachment.headings, row)
    else:
        _table(document, attachment)


def _card(document: OfficialDocument, headings: tuple[str, ...] | list[str],
          row: tuple[object, ...] | list[object]) -> None:
    """One lead: a two-column table of its non-empty fields."""
    label_style = FontFace(family=HEITI, size_pt=CARD_SIZE)
    document.set_font(SERIF, size=CARD_SIZE)
    with document.table(col_widths=(36, 120), first_row_as_headings=False, text_align="LEFT",
                        line_height=CARD_SIZE * 0.5, wrapmode=WrapMode.CHAR,
                        padding=1.2) as grid:
        for heading, value in zip(headings, row, strict=True):
            if value in ("", None):
                continue
            cells = grid.row()
            cells.cell(heading, style=label_style)
            cells.cell(printable(value))
    document.ln(5)


def _table(document: OfficialDocument, attachment: Attachment) -> None:
    document.set_font(SERIF, size=CHECKLIST_SIZE)
    headings = FontFace(family=HEITI, size_pt=CHECKLIST_SIZE, fill_color=(235, 235, 235))
    with document.table(col_widths=CHECKLIST_WIDTHS, text_align="LEFT", headings_style=headings,
                        line_height=CHECKLIST_SIZE * 0.5, wrapmode=WrapMode.CHAR,
                        repeat_headings=1) as grid:
        for row in [attachment.headings, *attachment.rows]:
            cells = grid.row()
            for value in row:
                cells.cell(printable(value))
