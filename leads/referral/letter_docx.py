"""The 移送函 as DOCX (python-docx), for staff to edit, print and stamp in WPS or Word: the same
content as the PDF, on A4 portrait with the GB/T 9704-2012 margins (上 37 下 35 左 28 右 26 mm),
3号 text on a fixed 28.95-point line, 页码 “— N —” in the footer.

Chinese faces are set on the ``eastAsia`` font attribute — the one Word and WPS use for CJK
characters — to 宋体 for text and 黑体 for labels (fontconfig maps both to Noto CJK on Linux);
setting only the font name would leave Chinese in the application's default face.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from leads.outputs import atomic_file
from leads.referral.letter import Attachment, Letter
from leads.referral.pdf import (
    BODY_SIZE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_NUMBER_SIZE,
    RED,
    printable,
)

SONG = "宋体"
HEI = "黑体"
LATIN = "Times New Roman"
LINE = Pt(28.95)  # 22 lines on the 225 mm 版心
MARK_SIZE = 30
TITLE_SIZE = 22
TABLE_SIZE = 9
INDENT = Pt(BODY_SIZE * 2)  # 左空二字
RED_HEX = "".join(f"{part:02X}" for part in RED)


def write_letter_docx(letter: Letter, path: Path) -> None:
    document = Document()
    _page_setup(document)
    _letterhead(document, letter)
    _paragraph(document, letter.title, size=TITLE_SIZE, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "")
    _paragraph(document, letter.addressee)
    for text in letter.body:
        _paragraph(document, text, indent=True)
    _paragraph(document, "")
    for line in letter.attachment_note:
        _paragraph(document, line, indent=True)
    _paragraph(document, "")
    _paragraph(document, "（盖章处）", size=9, color=RED, align=WD_ALIGN_PARAGRAPH.RIGHT,
               right_indent=Pt(BODY_SIZE * 6))
    _paragraph(document, letter.signature, align=WD_ALIGN_PARAGRAPH.RIGHT,
               right_indent=Pt(BODY_SIZE * 4))
    _paragraph(document, letter.date, align=WD_ALIGN_PARAGRAPH.RIGHT,
               right_indent=Pt(BODY_SIZE * 4))
    _paragraph(document, letter.note, indent=True)
    for attachment in letter.attachments:
        _attachment(document, attachment)
    with atomic_file(path) as building:
        document.save(str(building))


def _font(run: Run, face: str, size: float, bold: bool = False,
          color: tuple[int, int, int] | None = None) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), face)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _paragraph(document: Document, text: str, *, size: float = BODY_SIZE, bold: bool = False,
               face: str = SONG, align: int = WD_ALIGN_PARAGRAPH.LEFT, indent: bool = False,
               right_indent: Pt | None = None,
               color: tuple[int, int, int] | None = None) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = LINE if size <= BODY_SIZE else Pt(size * 1.5)
    form.space_before = form.space_after = Pt(0)
    if indent:
        form.first_line_indent = INDENT
    if right_indent is not None:
        form.right_indent = right_indent
    _font(paragraph.add_run(printable(text)), face, size, bold, color)
    return paragraph


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.footer_distance = Mm(MARGIN_BOTTOM - 7 - 6)
    section.different_first_page_header_footer = True  # page 1 carries the 版头, no number
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONG)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), SONG, PAGE_NUMBER_SIZE)
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    _font(footer.add_run(" —"), SONG, PAGE_NUMBER_SIZE)


def _red_double_rule(paragraph: Paragraph) -> None:
    """The red double line under the 发文机关标志, as the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "thickThinSmallGap"), ("sz", "24"), ("space", "4"),
                       ("color", RED_HEX)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _letterhead(document: Document, letter: Letter) -> None:
    mark = _paragraph(document, letter.mark, size=MARK_SIZE, bold=True, color=RED,
                      align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_double_rule(mark)
    _paragraph(document, letter.reference, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "")


def _attachment(document: Document, attachment: Attachment) -> None:
    label = _paragraph(document, "", face=HEI)
    label.runs[0].add_break(WD_BREAK.PAGE)
    _font(label.add_run(f"附件{attachment.number}"), HEI, BODY_SIZE)
    _paragraph(document, attachment.title, size=TITLE_SIZE, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    if attachment.preface:
        _paragraph(document, attachment.preface, size=10)
    if attachment.as_cards:
        for row in attachment.rows:
            filled = [(h, v) for h, v in zip(attachment.headings, row, strict=True)
                      if v not in ("", None)]
            _table(document, filled, widths=(Mm(36), Mm(120)), label_column=True)
            _paragraph(document, "", size=TABLE_SIZE)
    else:
        _table(document, [tuple(attachment.headings), *attachment.rows], widths=None,
               label_column=False)


def _table(document: Document, rows: list[tuple[object, ...]], widths: tuple[Mm, Mm] | None,
           label_column: bool) -> None:
    """A bordered table; the first column (cards) or the first row (tables) in 黑体."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row_number, values in enumerate(rows):
        for column, value in enumerate(values):
            cell = table.cell(row_number, column)
            if widths:
                cell.width = widths[column]
            heading = (column == 0) if label_column else (row_number == 0)
            paragraph = cell.paragraphs[0]
            for number, line in enumerate(printable(value).split("\n")):
                run = paragraph.add_run()
                if number:  # each contact, each reason on its own line
                    run.add_break()
                run.add_text(line)
                _font(run, HEI if heading else SONG, TABLE_SIZE)
    if not label_column:  # the heading row repeats on every page
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(header)
