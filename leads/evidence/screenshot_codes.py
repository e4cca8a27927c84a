"""QR codes in a lead's page screenshot: the codes that never pass through the image chain.

The crawl reads the QR codes of a page's ``<img>`` images (``crawler.qr_images``), but a code
drawn on a canvas, set as a CSS background image or written as inline SVG is no image it
fetches. The capture's full-page screenshot shows them all, so it is read too, with the crawl's
decoder (``leads.judge.qr_codes``: ``open_image`` checks the pixels from the header, each tile
goes to ``codes_in_image`` as it is, never re-encoded):

- the screenshot (our own Chromium's PNG, up to ``max_screenshot_height`` tall) is cut into
  overlapping tiles (``TILE_SIDE`` square, ``OVERLAP`` shared, so a code up to that size cut by
  one tile's edge is whole in the next), at most ``screenshot_qr_tiles`` of them and within
  ``DECODE_SECONDS``; a screenshot over ``MAX_PIXELS`` is refused from its header, unread;
- a WeChat contact code becomes a ``wechat_qr:`` contact of the lead (``add_lead_contacts``,
  the store's path for contacts found beside the page), with the reason
  "页面截图中的二维码为微信联系人：wechat_qr:…";
- a web link the page's own images did not already give is queued for the next crawl as a
  discovered page (``save_discovered_page``: the ``domain_candidates`` the crawl fetches first),
  unless the egress policy refuses it (an internal address: refused and recorded) or it is an
  official platform (a code to the real verification site makes nothing a lead).

What was read and what became of each code is the capture's ``screenshot_codes`` record, in
capture.json, whose SHA-256 the manifest holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leads.egress.policy import EgressPolicy
from leads.evidence.settings import CaptureSettings
from leads.judge.domains import is_government_host
from leads.judge.qr_codes import ImageProblem, QrReading, codes_in_image, open_image
from leads.store import Store
from leads.store.observations import SCREENSHOT_CONTACT_REASON

TILE_SIDE = 1400  # pixels; below the decoder's downscaling side, so a tile is read at full size
OVERLAP = 400  # pixels two neighbouring tiles share: a code this size is whole in one of them
MAX_PIXELS = 60_000_000  # a 1366 × 16000 screenshot is 22 million; more is no screenshot of ours
DECODE_SECONDS = 30.0  # tiles not begun by then are not read (and the record says so)
MAX_CODES = 8  # codes kept from one screenshot
SOURCE_PREFIX = "screenshot_qr:"  # domain_candidates.source: screenshot_qr:<lead URL>
# What became of a web link, as the record says it.
LINK_OUTCOMES = {
    "queued": "已记为下次抓取的待查页面",
    "known": "页面图片中已识别或已抓取，不重复记录",
    "domain_known": "该域名已在待查候选中",
    "refused": "出站策略拒绝，未记录",
    "official": "官方平台网址，不作为待查页面",
}


@dataclass(frozen=True)
class ScreenshotCodes:
    """The codes one screenshot showed, how many tiles were read and what stopped the reading."""

    payloads: tuple[str, ...] = ()
    tiles: int = 0
    problem: str = ""

    @property
    def reading(self) -> QrReading:
        return QrReading(payloads=self.payloads)


def tile_boxes(width: int, height: int, side: int = TILE_SIDE,
               overlap: int = OVERLAP) -> list[tuple[int, int, int, int]]:
    """Overlapping (left, top, right, bottom) tiles covering the image, row by row."""
    step = side - overlap
    lefts = range(0, max(width - overlap, 1), step)
    tops = range(0, max(height - overlap, 1), step)
    return [(left, top, min(left + side, width), min(top + side, height))
            for top in tops for left in lefts]


def read_screenshot_codes(png: bytes, max_tiles: int) -> ScreenshotCodes:
    """The QR codes in a screenshot, read tile by tile within the bounds; never raises."""
    image = open_image(png, MAX_PIXELS)
    if isinstance(image, ImageProblem):
        return ScreenshotCodes(problem={
            "too_big": f"截图过大（{image.detail} 像素），未识别二维码",
            "bomb": "截图过大（超过图片库的像素上限），未识别二维码",
        }.get(image.kind, f"截图无法读取（{image.words}）"))
    gray = image.convert("L")
    boxes = tile_boxes(*gray.size)
    problems = []
    if len(boxes) > max_tiles:
        problems.append(f"截图共 {len(boxes)} 块，仅识别前 {max_tiles} 块")
        boxes = boxes[:max(max_tiles, 0)]
    deadline = time.monotonic() + DECODE_SECONDS
    found: dict[str, None] = {}
    read = 0
    for box in boxes:
        if time.monotonic() > deadline:
            problems.append(f"识别超过 {DECODE_SECONDS:g} 秒，余下 {len(boxes) - read} 块未识别")
            break
        tile = codes_in_image(gray.crop(box))  # a tile is under DECODE_SIDE: read at full size
        read += 1
        if tile.problem:
            problems.append(f"第 {read} 块：{tile.problem}")
        found.update(dict.fromkeys(tile.payloads))
    return ScreenshotCodes(tuple(found)[:MAX_CODES], read, "；".join(problems))


def screenshot_findings(store: Store, lead: dict[str, Any], screenshot: Path,
                        settings: CaptureSettings) -> dict[str, Any] | None:
    """Read the capture's screenshot and record what its codes say; None when not read (no
    screenshot, or ``screenshot_qr_tiles`` is 0)."""
    if settings.screenshot_qr_tiles <= 0 or not screenshot.is_file():
        return None
    codes = read_screenshot_codes(screenshot.read_bytes(), settings.screenshot_qr_tiles)
    return record_screenshot_codes(store, lead, codes, EgressPolicy.allowing(settings.egress_allow))


def record_screenshot_codes(store: Store, lead: dict[str, Any], codes: ScreenshotCodes,
                            policy: EgressPolicy) -> dict[str, Any]:
    """Give the lead its WeChat contacts and queue its links; what was done, for capture.json."""
    reading = codes.reading
    contacts = store.add_lead_contacts(lead["id"], reading.wechat_contacts,
                                      SCREENSHOT_CONTACT_REASON)
    links = [_queue_link(store, lead, url, policy) for url in reading.web_links]
    return {"tiles_read": codes.tiles, "problem": codes.problem, "codes": list(codes.payloads),
            "wechat_contacts": list(reading.wechat_contacts), "contacts_added": list(contacts),
            "links": links}


def _queue_link(store: Store, lead: dict[str, Any], url: str,
                policy: EgressPolicy) -> dict[str, str]:
    if refusal := policy.refusal(url):
        outcome, detail = "refused", refusal
    elif is_government_host(url):
        outcome, detail = "official", ""
    elif store.qr_link_known(lead["id"], url):
        outcome, detail = "known", ""
    else:
        reason = f"二维码来自线索 {lead['url']} 的页面截图"
        new = store.save_discovered_page(url, SOURCE_PREFIX + lead["url"], reason)
        outcome, detail = ("queued" if new else "domain_known"), ""
    return {"url": url, "outcome": outcome, "outcome_zh": LINK_OUTCOMES[outcome],
            "detail": detail}
