"""Title and visible text of an HTML page, for scoring: what a visitor reads, not scripts or styles.

Meta description/keywords are kept too: SEO spam stuffs its selling words there.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

MAX_TEXT = 500_000
INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
# Inline tags join their text ("免<b>考</b>" is one word); block tags end a line.
BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "form",
    "option",
    "button",
    "label",
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
BLANK_LINES = re.compile(r"\n\s*\n+")


def page_text(html: str) -> tuple[str, str]:
    """(title, visible text) of hostile HTML; never raises, returns ("", "") for non-HTML."""
    html = CONTROL_CHARS.sub(" ", html or "")
    if not html.strip():
        return "", ""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return "", ""
    title = " ".join(" ".join(root.xpath("//title//text()")).split())
    meta = root.xpath(
        "//meta[@name='description' or @name='keywords' or @name='Description' "
        "or @name='Keywords']/@content"
    )
    for element in list(root.iter(*INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*BLOCKS):
        element.tail = "\n" + (element.tail or "")
    text = "\n".join([*meta, "".join(root.itertext())])
    text = BLANK_LINES.sub("\n", SPACES.sub(" ", text)).strip()
    return title[:1000], text[:MAX_TEXT]
