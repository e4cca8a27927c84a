"""The page printed to PDF by Chromium, beside the screenshot and the WARC.

A screenshot is one tall image; an office files paper. ``page.pdf()`` prints the rendered page
(the same rendering as the screenshot: after ``leads.evidence.rerender``) in A4 with backgrounds,
and every sheet's footer carries the caption of ``leads.evidence.caption`` and its page number, so
a loose sheet still says which page, when and for which lead. Bounded in time and size; a failure
is noted in the record and never costs the rest of the capture.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from leads.egress.chromium import StepTimeout, bounded
from leads.evidence import folder as files
from leads.evidence.record import Observed, first_line
from leads.evidence.settings import CaptureSettings

FOOTER = ("<div style='width:100%;margin:0 10mm;font-size:7px;font-family:\"Noto Sans CJK SC\","
          "sans-serif;color:#333;word-break:break-all'>{caption}"
          "<span style='float:right'>第 <span class='pageNumber'></span> 页 / 共 "
          "<span class='totalPages'></span> 页</span></div>")


def footer_html(caption: str) -> str:
    return FOOTER.format(caption="<br>".join(html.escape(line) for line in caption.split("\n")))


async def print_pdf(page: Page, folder: Path, record: dict[str, Any], observed: Observed,
                    settings: CaptureSettings) -> None:
    try:
        document = await bounded(page.pdf(
            format="A4", print_background=True, display_header_footer=True,
            header_template="<span></span>", footer_template=footer_html(record["caption"]),
            margin={"top": "10mm", "bottom": "28mm", "left": "10mm", "right": "10mm"}),
            settings.step_timeout, "打印 PDF")
    except StepTimeout as exc:
        observed.note(f"{exc}，未保存 PDF 打印版")
        observed.hung = True  # the renderer is stuck: the browser is started again after
        return
    except PlaywrightError as exc:
        observed.note(f"打印 PDF 失败，未保存 PDF 打印版：{first_line(exc)}")
        return
    if len(document) > settings.max_pdf_bytes:
        observed.note(f"PDF 打印版超过 {settings.max_pdf_bytes} 字节，未保存")
        return
    files.write_file(folder, files.PRINT, document)
