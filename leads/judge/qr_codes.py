"""QR codes in a page's images: image bytes → what the codes say, bounded and never raising.

Sellers put a WeChat contact QR beside their ad, and a fake certificate carries a QR that
"verifies" it on a lookalike site. Both are read here with zxing-cpp, from bytes a crawl
fetched; what the codes say becomes a contact (``wechat_qr:<payload>``, the kind declared in
``leads.judge.contacts``) or a URL the crawl fetches and judges (``crawler.qr_images``).

Limits, so a hostile image costs little: the bytes are capped by the download (the crawl's
JIAZHENG_MAX_QR_IMAGE_BYTES), the pixels are checked from the header before anything is decoded
(``max_pixels``: a decompression bomb is refused unread), and decode time is capped by
downscaling: an image wider or taller than ``DECODE_SIDE`` pixels is shrunk to fit before
zxing-cpp reads it (a QR code on an ad or a certificate photo stays readable at that size).
A truncated file, an SVG, a zip named .png or any other non-image is a ``problem`` (Chinese, for
the page's signals), never an exception.

The reasons and signals a crawl records about QR codes are written here, once, so the crawl and
what reads its observations agree on their form.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, replace

import zxingcpp
from PIL import Image, UnidentifiedImageError

from leads.judge.contacts import WECHAT_QR_KIND
from leads.judge.domains import host_parts
from leads.judge.verdict import Verdict, route

DEFAULT_MAX_PIXELS = 20_000_000  # a certificate photo is a few megapixels; more is a bomb
DECODE_SIDE = 2000  # longest side zxing-cpp reads; bigger images are downscaled first
MAX_CODES = 4  # codes kept from one image
# The payloads of a WeChat contact (personal card, group or official-account QR) and of a WeChat
# Pay code: scanning them opens the seller in WeChat.
WECHAT_PAYLOAD = re.compile(
    r"^(?:https?://(?:u\.wechat\.com/|weixin\.qq\.com/[rgq]/|open\.weixin\.qq\.com/qr/)"
    r"|wxp://)\S+$",
    re.IGNORECASE,
)
WEB_PAYLOAD = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
ORIGIN_PREFIX = "二维码来自 "
LINK_PREFIX = "二维码链接："
PROBLEM_PREFIX = "二维码图片无法读取："


@dataclass(frozen=True)
class QrReading:
    """What one image's QR codes say; ``problem`` when the image could not be read at all."""

    payloads: tuple[str, ...] = ()
    problem: str = ""

    @property
    def wechat_contacts(self) -> tuple[str, ...]:
        return tuple(f"{WECHAT_QR_KIND}{p}" for p in self.payloads if WECHAT_PAYLOAD.match(p))

    @property
    def web_links(self) -> tuple[str, ...]:
        """Payloads that are web pages (not WeChat's own links): pages to fetch and judge."""
        return tuple(p for p in self.payloads
                     if WEB_PAYLOAD.match(p) and not WECHAT_PAYLOAD.match(p))


@dataclass(frozen=True)
class ImageProblem:
    """Why image bytes were not decoded: ``empty``, ``too_big`` (``detail`` W×H, from the
    header), ``bomb`` (over Pillow's own pixel limit), ``not_image`` or ``broken`` (``detail``
    the error's type); each reader words it for its own record."""

    kind: str
    detail: str = ""

    @property
    def words(self) -> str:
        """The problem as a page's signals say it."""
        return {"empty": "空文件", "too_big": f"图片过大（{self.detail} 像素），未解码",
                "broken": f"图片损坏（{self.detail}）"}.get(self.kind, "不是可识别的图片")


def open_image(data: bytes, max_pixels: int) -> Image.Image | ImageProblem:
    """The decoded image, its pixels checked from the header before anything is decoded; never
    raises."""
    if not data:
        return ImageProblem("empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height = image.size
            if width * height > max_pixels:
                return ImageProblem("too_big", f"{width}×{height}")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ImageProblem("bomb")
    except UnidentifiedImageError:
        return ImageProblem("not_image")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        return ImageProblem("broken", type(error).__name__)
    return image


def codes_in_image(image: Image.Image) -> QrReading:
    """The QR codes in a decoded image, downscaled first when larger than ``DECODE_SIDE``."""
    gray = image.convert("L")  # a copy: the caller's image is left as it was
    if max(gray.size) > DECODE_SIDE:
        gray.thumbnail((DECODE_SIDE, DECODE_SIDE))
    try:
        codes = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    except (ValueError, RuntimeError) as error:
        return QrReading(problem=f"解码失败（{type(error).__name__}）")
    payloads = tuple(dict.fromkeys(code.text.strip() for code in codes if code.text.strip()))
    return QrReading(payloads=payloads[:MAX_CODES])


def read_qr_codes(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> QrReading:
    """The QR codes in an image's bytes; never raises."""
    image = open_image(data, max_pixels)
    if isinstance(image, ImageProblem):
        return QrReading(problem=image.words)
    return codes_in_image(image)


def origin_reason(image_url: str, page_url: str) -> str:
    """The reason a page reached through a QR code carries: which image on which page."""
    return f"{ORIGIN_PREFIX}{image_url}（页面 {page_url}）"


def link_signal(payload: str, image_url: str) -> str:
    return f"{LINK_PREFIX}{payload}（图片 {image_url}）"


def problem_signal(image_url: str, problem: str) -> str:
    return f"{PROBLEM_PREFIX}{image_url}（{problem}）"


def qr_contacts(signals: list[str]) -> tuple[str, ...]:
    """The WeChat QR contacts a page's signals record."""
    return tuple(dict.fromkeys(s for s in signals if s.startswith(WECHAT_QR_KIND)))


def qr_origins(signals: list[str]) -> tuple[str, ...]:
    """The reasons naming the image (and page) whose QR code led to this page."""
    return tuple(dict.fromkeys(s for s in signals if s.startswith(ORIGIN_PREFIX)))


def with_qr_findings(verdict: Verdict, signals: list[str], url: str) -> Verdict:
    """The page's verdict with what its QR codes said: the WeChat QR contacts join its contacts
    (and its routing), and a page reached through a QR code names the image in its reasons."""
    contacts = tuple(dict.fromkeys((*verdict.contacts, *qr_contacts(signals))))
    reasons = tuple(dict.fromkeys((*verdict.reasons, *qr_origins(signals))))
    if contacts == verdict.contacts and reasons == verdict.reasons:
        return verdict
    agencies = (route(verdict.category, contacts, host_parts(url), verdict.target)
                if verdict.is_lead else verdict.agencies)
    return replace(verdict, contacts=contacts, reasons=reasons, agencies=agencies)
