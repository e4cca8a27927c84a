"""QR codes in the images of the pages a crawl fetches: which images are read, and what follows.

A seller's page shows a WeChat contact QR, and the certificate it sells carries a QR that
"verifies" it on a lookalike site. ``PageSpider`` fetches a page's images once per crawl, one
after another, on the same path as its logos (``PageSpider.next_logo``); this mixin says which
images are read for QR codes, reads the bytes (``leads.judge.qr_codes``) and, once the page's
images are in, records what they said on the page and requests the pages they point to:

- only on pages that may be leads: a candidate's page, a page whose text alone is an ad
  (``judge_text``) or one that resembles a platform, never an official or gov.cn host; at most
  JIAZHENG_MAX_QR_IMAGES images a page, each at most JIAZHENG_MAX_QR_IMAGE_BYTES (dropped while
  downloading) and JIAZHENG_MAX_QR_PIXELS pixels (refused from its header, before decoding);
- a WeChat contact QR becomes a signal ``wechat_qr:<payload>`` on the page, which
  the ``PageJudge`` adds to the page's verdict contacts;
- a web link becomes a page with role ``qr``, requested through ``page_request`` like any link
  (the egress policy refuses 127.0.0.1 or 10.x there and the refusal is a signal on the page
  showing the image); it carries the reason "二维码来自 <image>（页面 <page>）", which joins its
  verdict's reasons, and the page showing the image is its ``parent_url``;
- an image that is no image (truncated, an SVG, a zip named .png) or too big is a signal
  "二维码图片无法读取：…", never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import scrapy
from parsel import Selector
from w3lib.url import parse_data_uri

from crawler.follow import _http_url
from leads.judge.batch import judge_text
from leads.judge.domains import is_government_host, is_official_host
from leads.judge.observations import PageObservation
from leads.judge.page_similarity import logo_hash, resembles_platform
from leads.judge.qr_codes import (
    QrReading,
    link_signal,
    origin_reason,
    problem_signal,
    read_qr_codes,
)

QR_ORIGIN_META = "jz_qr_origin"  # on a request for a page a QR code points to: where it was seen
FETCH_FAILED = "下载失败或超过大小上限"
CAPTCHA_HINTS = re.compile(r"captcha|验证码|check_?code|verify_?code|vcode", re.IGNORECASE)


def image_links(selector: Selector, base_url: str) -> list[str]:
    """The images the page shows, in page order (inline data: images too), but its captcha: a
    new picture on every request, never a QR code."""
    found = [
        src for image in selector.xpath("//img")
        for src in (image.attrib.get("src", ""), image.attrib.get("data-src", ""))
        if src and not CAPTCHA_HINTS.search(f"{src} {image.attrib.get('alt', '')}")
    ]
    urls = [src.strip() if src.strip().startswith("data:image/") else _http_url(base_url, src)
            for src in found]
    return list(dict.fromkeys(url for url in urls if url))


class QrImages:
    """The QR-code half of ``PageSpider``'s image fetching (a mixin: it uses the spider's
    settings, stats, egress check and ``page_request``)."""

    qr_readings: dict[str, QrReading]
    logo_hashes: dict[str, str]

    def qr_image_urls(self, page: PageObservation) -> list[str]:
        """The images of ``page`` read for QR codes, at most JIAZHENG_MAX_QR_IMAGES."""
        limit = self.settings.getint("JIAZHENG_MAX_QR_IMAGES")
        if limit <= 0 or page.role == "official" or not self.may_carry_qr(page):
            return []
        if not (page.role == "candidate" or judge_text(page.text).is_lead
                or resembles_platform(page.title, page.text, page.html)):
            return []
        return self.allowed_images(
            page, image_links(Selector(text=page.html), page.final_url), limit)

    @staticmethod
    def may_carry_qr(page: PageObservation) -> bool:
        return (page.status < 400 and bool(page.html) and not is_official_host(page.final_url)
                and not is_government_host(page.final_url))

    def allowed_images(self, page: PageObservation, urls: list[str], limit: int) -> list[str]:
        """The first ``limit`` images the egress policy allows (inline ones need no request)."""
        inline = {url for url in urls if url.startswith("data:")}
        fetched = set(self.permitted(page, [url for url in urls if url not in inline]))
        return [url for url in urls if url in inline or url in fetched][:limit]

    def image_byte_limit(self, url: str, logos: list[str]) -> int:
        name = "JIAZHENG_MAX_LOGO_BYTES" if url in logos else "JIAZHENG_MAX_QR_IMAGE_BYTES"
        return self.settings.getint(name)

    def inline_image(self, url: str, logos: list[str]) -> bytes | None:
        """The bytes of a data: image read from the page itself (data: URLs are never fetched);
        None when it is malformed or over the byte limit."""
        try:
            data = parse_data_uri(url).data
        except ValueError:
            return None
        return data if len(data) <= self.image_byte_limit(url, logos) else None

    def read_image(self, url: str, data: bytes | None) -> None:
        """Hash the image as a logo and read its QR codes; None is an image that never came."""
        self.logo_hashes[url] = logo_hash(data) if data is not None else ""
        self.qr_readings[url] = (
            read_qr_codes(data, self.settings.getint("JIAZHENG_MAX_QR_PIXELS"))
            if data is not None else QrReading(problem=FETCH_FAILED))

    def qr_findings(self, page: PageObservation, images: Iterable[str]) -> Iterator[scrapy.Request]:
        """Record on ``page`` what its images' QR codes say, and request the pages they link
        (as deep as the contact and verification links are followed)."""
        if not self.may_carry_qr(page):
            return
        depth = page.depth + 1
        follow = depth <= self.settings.getint("JIAZHENG_FOLLOW_DEPTH")
        for image in images:
            reading = self.qr_readings.get(image, QrReading())
            if reading.problem:
                self.crawler.stats.inc_value("jiazheng/qr/unreadable")
                page.fetch_signals.append(problem_signal(image, reading.problem))
            self.crawler.stats.inc_value("jiazheng/qr/codes", len(reading.payloads))
            page.fetch_signals.extend(reading.wechat_contacts)
            for link in reading.web_links:
                page.fetch_signals.append(link_signal(link, image))
                for url in self.permitted(page, [link]) if follow else ():
                    for request in self.page_request(url, "qr", parent_url=page.final_url,
                                                     depth=depth):
                        request.meta[QR_ORIGIN_META] = origin_reason(image, page.final_url)
                        yield request
