"""Where on a page its words stand: the parts that say who the page is, read from its HTML.

A fake verification site presents itself *as* a platform: the platform's name is its own title
and header, it has the platform's query form, result table and footer. A news article, a Q&A
answer or a 百科 entry talks *about* the platform: it names it in a headline or in running text,
quotes its column names and links it. Words alone cannot tell the two apart; their place can.
``page_layout`` reads that place (title segments, header and footer lines, standalone blocks,
query forms, label cells) and ``page_similarity`` judges on it. Pure; never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from leads.judge.normalize import fold

MAX_HTML_CHARS = 300_000
MAX_LINE_CHARS = 2_000  # a longer block is running text whatever it holds
MAX_ELEMENTS = 20_000  # a page with more elements is read up to here
MAX_CONTROLS = 200  # form controls looked at (a real query page has a handful)
MAX_BODY_CHARS = 100_000  # visible text split into lines
MAX_REGION_CHARS = 2_000  # the text around a form control, read for its labels
MAX_LABEL_CHARS = 12  # a label cell (姓名, 发证机关) is short
# "标题 - 站名", "标题_栏目_站名", "标题 | 站名": the parts of a <title>.
TITLE_SEPARATORS = re.compile(
    r"\s+[-–—|｜·]+\s+|[_｜|—–]+|\s-|-\s|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])"
)
# Containers of a site's own identity, by tag or by class/id.
HEADER_HINTS = re.compile(r"header|logo|banner|masthead|brand|site-?name|top-?title|^top$|^title$")
FOOTER_HINTS = re.compile(r"footer|foot|bottom|copyright|copy-?right|banquan")
FORM_CONTROLS = ("input", "select", "textarea")
HIDDEN_INPUTS = frozenset({"hidden", "submit", "button", "image", "reset", "checkbox", "radio"})
BUTTON_TAGS = ("button", "a")
ATTRIBUTE_LABELS = ("placeholder", "title", "aria-label", "value")
LABEL_TAGS = ("th", "dt", "label", "td", "span", "em", "strong", "b")
LABEL_PREFIX = re.compile(r"^([^:：\s]{2,8})\s*[:：]")  # "发证机关：济南市应急管理局"
BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "table", "ul", "ol", "dd", "dt", "form", "option", "button",
    "label", "a", "span",
)
INVISIBLE = ("script", "style", "noscript", "template", "svg")


@dataclass(frozen=True)
class QueryRegion:
    """A form, or the box around inputs outside any form: what a visitor fills in."""

    text: str  # folded labels, placeholders, options and button labels of the region
    buttons: tuple[str, ...]  # folded labels of its buttons, submit inputs and button-like links
    inputs: int  # text inputs, selects and text areas in it


@dataclass(frozen=True)
class PageLayout:
    """The parts of one page, folded (``leads.judge.normalize.fold``) for matching. Without
    HTML only the title and the text's lines are known."""

    title_segments: tuple[str, ...]  # "特种作业操作证查询 - 全国…中心" → both parts
    header_lines: tuple[str, ...]  # lines of the header/logo/banner region and of <h1>
    lines: tuple[str, ...]  # every visible line of the body, one per block element
    footer_lines: tuple[str, ...]  # lines of the footer region
    forms: tuple[QueryRegion, ...]
    labels: tuple[str, ...]  # label cells: th, dt, short cells, "标签：值" prefixes


def title_segments(title: str) -> tuple[str, ...]:
    """The folded parts of a <title>, split at the separators sites put between headline,
    column and site name."""
    parts = (fold(part) for part in TITLE_SEPARATORS.split(title[:MAX_LINE_CHARS]))
    return tuple(part for part in parts if part)


def _marks(element: etree._Element, tag: str, hints: re.Pattern[str]) -> bool:
    """Is the element a <tag>, or has it a class/id token matching ``hints``?"""
    tokens = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return element.tag == tag or any(hints.search(token) for token in tokens)


def _containers(elements: list[etree._Element], tag: str, hints: re.Pattern[str]) -> list:
    """The outermost elements of a region (nested ones are read with their container)."""
    found = [e for e in elements if _marks(e, tag, hints)]
    inside = set()
    for element in found:
        inside.update(element.iterdescendants())
    return [e for e in found if e not in inside]


def _text(element: etree._Element) -> str:
    return " ".join(element.itertext())[:MAX_REGION_CHARS]


def _split(element: etree._Element, limit: int = MAX_REGION_CHARS) -> list[str]:
    """The folded lines of an element whose blocks already end in line breaks."""
    raw = "".join(element.itertext())[:limit].split("\n")
    return [line for line in (fold(piece[:MAX_LINE_CHARS]).strip() for piece in raw) if line]


def _region(control: etree._Element) -> etree._Element:
    """The form around a control, else the nearest box that also holds a button, else its parent."""
    form = next((a for a in control.iterancestors("form")), None)
    if form is not None:
        return form
    box = control.getparent()
    for _ in range(3):
        if box is None or box.getparent() is None:
            break
        if box.xpath(".//button|.//a|.//input[@type='submit' or @type='button']"):
            return box
        box = box.getparent()
    return control.getparent() if control.getparent() is not None else control


def _query_region(region: etree._Element) -> QueryRegion:
    controls = [
        c for c in region.iter(*FORM_CONTROLS)
        if c.tag != "input" or (c.get("type") or "text").lower() not in HIDDEN_INPUTS
    ]
    attributes = [
        value
        for element in region.iter(*FORM_CONTROLS, "button")
        for name in ATTRIBUTE_LABELS
        if (value := element.get(name))
    ]
    buttons = [fold(_text(b)) for b in region.iter(*BUTTON_TAGS)]
    buttons += [
        fold(b.get("value") or "")
        for b in region.iter("input")
        if (b.get("type") or "").lower() in ("submit", "button")
    ]
    return QueryRegion(
        text=fold(" ".join([_text(region), *attributes])[:MAX_REGION_CHARS]),
        buttons=tuple(b for b in dict.fromkeys(buttons) if b),
        inputs=len(controls),
    )


def _break_blocks(body: etree._Element) -> None:
    """End every block element in a line break, so its text reads as its own line."""
    for element in body.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")


def _from_text(title: str, text: str) -> PageLayout:
    folded = (fold(raw[:MAX_LINE_CHARS]).strip() for raw in text.split("\n"))
    lines = tuple(line for line in folded if line)
    return PageLayout(title_segments(title), (), lines, (), (), ())


def page_layout(title: str, text: str, html: str) -> PageLayout:
    """The layout of a page; from its visible text alone when there is no usable HTML."""
    html = (html or "")[:MAX_HTML_CHARS].replace("\x00", " ")
    if not html.strip():
        return _from_text(title, text)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return _from_text(title, text)
    for element in list(root.iter(*INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    body = root.find("body")
    if body is None:
        return _from_text(title, text)
    elements = [e for _, e in zip(range(MAX_ELEMENTS), body.iter(), strict=False)
                if isinstance(e.tag, str)]
    controls = zip(range(MAX_CONTROLS), body.iter(*FORM_CONTROLS), strict=False)
    regions = list(dict.fromkeys(_region(control) for _, control in controls))
    forms = tuple(_query_region(region) for region in regions)
    cells = (_text(e).strip() for e in elements if e.tag in LABEL_TAGS)
    labels = [fold(cell) for cell in cells if 0 < len(cell) <= MAX_LABEL_CHARS]
    _break_blocks(body)
    header_containers = _containers(elements, "header", HEADER_HINTS) + [
        e for e in elements if e.tag == "h1"
    ]
    header = [line for e in header_containers for line in _split(e)]
    footer = [line for e in _containers(elements, "footer", FOOTER_HINTS) for line in _split(e)]
    lines = _split(body, MAX_BODY_CHARS)
    labels += [match.group(1) for line in lines if (match := LABEL_PREFIX.match(line))]
    return PageLayout(
        title_segments=title_segments(title),
        header_lines=tuple(line for line in dict.fromkeys(header) if line),
        lines=tuple(lines),
        footer_lines=tuple(line for line in dict.fromkeys(footer) if line),
        forms=forms,
        labels=tuple(label for label in dict.fromkeys(labels) if label),
    )
