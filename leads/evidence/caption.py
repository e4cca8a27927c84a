"""The caption band under each screenshot: which page, when, for which lead, and which bytes.

A screenshot printed or pasted into a report loses its folder; the band keeps with the image what
an officer checks it against — the URL, the capture time in Beijing time, the lead id (L000042) and
the SHA-256 of the page's raw response (the body in the WARC). The same text is in capture.json.
Drawn with Pillow in Noto Sans CJK (packaged by the OS) so Chinese in a URL or a note shows.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from leads.evidence.folder import lead_label

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX = 2  # Noto Sans CJK SC in the collection
FONT_SIZE = 18
LINE_HEIGHT = 28
PADDING = 12
MAX_URL_LINES = 3  # a hostile URL of any length keeps the band bounded
MIN_WIDTH = 640  # a narrow viewport still gets a readable band
BAND_COLOUR = (245, 245, 245)
RULE_COLOUR = (160, 160, 160)
TEXT_COLOUR = (0, 0, 0)


def caption_text(record: dict[str, Any], raw_sha256: str) -> str:
    """Four lines: URL, Beijing time, lead id, SHA-256 of the raw response."""
    url = record["final_url"] or record["url"]
    if record["final_url"] and record["final_url"] != record["url"]:
        url = f"{record['final_url']}（由 {record['url']} 跳转）"
    when = datetime.fromisoformat(record["captured_at_beijing"]).strftime("%Y-%m-%d %H:%M:%S")
    return "\n".join((
        f"网址：{url}",
        f"提取时间：{when}（北京时间）",
        f"线索编号：{lead_label(record['lead_id'])}",
        f"原始响应 SHA-256：{raw_sha256 or '未取得原始响应'}",
    ))


@cache
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, FONT_SIZE, index=FONT_INDEX)


def _wrap(text: str, width: float, font: ImageFont.FreeTypeFont) -> list[str]:
    """Break ``text`` where it reaches ``width`` (URLs have no spaces to break at)."""
    lines, current = [], ""
    for char in text:
        if current and font.getlength(current + char) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current]


def band_lines(caption: str, width: float) -> list[str]:
    font = _font()
    url, *rest = caption.split("\n")
    url_lines = _wrap(url, width, font)
    if len(url_lines) > MAX_URL_LINES:
        url_lines = [*url_lines[:MAX_URL_LINES - 1], url_lines[MAX_URL_LINES - 1][:-1] + "…"]
    return url_lines + [line for text in rest for line in _wrap(text, width, font)]


def with_caption(screenshot: bytes, caption: str) -> tuple[bytes, int]:
    """The screenshot with the band drawn below it, and the band's height in pixels."""
    page = Image.open(io.BytesIO(screenshot)).convert("RGB")
    width = max(page.width, MIN_WIDTH)
    lines = band_lines(caption, width - 2 * PADDING)
    band = 2 * PADDING + LINE_HEIGHT * len(lines)
    image = Image.new("RGB", (width, page.height + band), BAND_COLOUR)
    image.paste(page, (0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(0, page.height), (width, page.height)], fill=RULE_COLOUR, width=2)
    for index, line in enumerate(lines):
        draw.text((PADDING, page.height + PADDING + index * LINE_HEIGHT), line, font=_font(),
                  fill=TEXT_COLOUR)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), band
