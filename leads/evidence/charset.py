"""Decide a page's real encoding: fraud pages are GBK/GB18030/Big5, often undeclared or mislabelled.

Scrapy falls back to cp1252 for undeclared pages, which turns GBK Chinese into mojibake, and
Chromium believes a charset header that lies; this module checks the declared charset against the
bytes and detects when it is missing or wrong. Pure functions, here in ``leads/`` so that the crawl
(``crawler.encoding`` imports them) and the evidence capture (``leads.evidence.rerender``) decode
a page the same way; not in ``leads/judge/``, whose code is the scoring fingerprint.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# GB2312 and GBK pages routinely contain GB18030-only characters; the superset decodes both.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
             "ascii": "utf-8", "us-ascii": "utf-8", "iso-8859-1": "utf-8"}
CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "shift_jis", "euc_kr", "cp1252"]
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
SAMPLE = 256 * 1024
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


def canonical(name: str) -> str | None:
    """Python's name for an encoding label, widened to its superset; None if unknown."""
    try:
        python_name = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return SUPERSETS.get(python_name, python_name)


def declared_charset(content_type: str, body: bytes) -> str | None:
    """The charset the server or the page claims (header first, then <meta>)."""
    match = re.search(r"charset\s*=\s*[\"']?([\w-]+)", content_type or "", re.I)
    if match:
        return match.group(1)
    meta = META_CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii", "replace") if meta else None


def decodes_cleanly(body: bytes, encoding: str) -> bool:
    # A multibyte sequence cut at the sample's end is not an error of the page.
    try:
        codecs.getincrementaldecoder(encoding)().decode(body[:SAMPLE], final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect(body: bytes) -> str:
    """Best guess for undeclared bytes: strict UTF-8 first, then a Chinese-first detector."""
    if decodes_cleanly(body, "utf-8"):
        return "utf-8"
    best = from_bytes(body[:SAMPLE], cp_isolation=CANDIDATES).best()
    return canonical(best.encoding) if best else "gb18030"


def choose_encoding(content_type: str, body: bytes) -> tuple[str, str]:
    """(encoding, signal): signal is "" when the declaration held, else what went wrong."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return name, ""
    label = declared_charset(content_type, body)
    declared = canonical(label) if label else None
    if declared and decodes_cleanly(body, declared):
        return declared, ""
    found = detect(body)
    if label is None:
        return found, "encoding_undeclared"
    return found, f"encoding_mismatch:{label}"
