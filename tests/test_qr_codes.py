"""QR codes in images: decoding generated images (leads/judge/qr_codes.py), their findings on a
verdict, and a real crawl of the demo web's QR seller (crawler/qr_images.py)."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter

from crawler.demoweb.server import DemoWeb
from leads.judge.contacts import has_direct_contact
from leads.judge.qr_codes import (
    QrReading,
    origin_reason,
    read_qr_codes,
    with_qr_findings,
)
from leads.judge.verdict import PageFacts, judge_page

ROOT = Path(__file__).resolve().parents[1]
WECHAT = "https://u.wechat.com/EKk3bY9sQpZtW2mX7dA4nRc"
LOOKALIKE = "http://www.zhengshu-hecha.top/verify.html?no=T320106198803150417"


def qr_image(payload: str, scale: int = 4, border: int = 16) -> Image.Image:
    view = memoryview(zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
                      .to_image(scale=scale))
    code = Image.frombytes("L", (view.shape[1], view.shape[0]), bytes(view))
    framed = Image.new("L", (code.width + 2 * border, code.height + 2 * border), 255)
    framed.paste(code, (border, border))
    return framed


def encoded(image: Image.Image, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def certificate_photo(payload: str) -> bytes:
    """A photo-like certificate: textured paper, a border, lines of 'text', a small QR in a
    corner, slightly rotated and blurred, saved as JPEG."""
    card = Image.new("RGB", (1200, 800), (240, 228, 200))
    draw = ImageDraw.Draw(card)
    for y in range(0, 800, 7):
        draw.line((0, y, 1200, y + 3), fill=(232, 220, 190))
    draw.rectangle((20, 20, 1179, 779), outline=(160, 30, 30), width=8)
    for row in range(6):
        draw.rectangle((90, 150 + 80 * row, 700, 175 + 80 * row), fill=(90, 80, 70))
    card.paste(qr_image(payload, 3, 8).convert("RGB"), (880, 480))
    photo = card.rotate(4, expand=True, fillcolor=(200, 200, 200)).filter(ImageFilter.GaussianBlur(1))
    return encoded(photo, "JPEG")


def test_a_wechat_contact_qr_is_a_direct_contact() -> None:
    reading = read_qr_codes(encoded(qr_image(WECHAT)))
    assert reading == QrReading(payloads=(WECHAT,))
    assert reading.wechat_contacts == (f"wechat_qr:{WECHAT}",)
    assert reading.web_links == ()  # WeChat's own link opens WeChat: not a page to judge
    assert has_direct_contact(reading.wechat_contacts)


@pytest.mark.parametrize("payload", ["https://weixin.qq.com/r/mp/Dx3aBcDeFg", "wxp://f2f0AbCdEf"])
def test_other_wechat_payloads_are_contacts_too(payload: str) -> None:
    assert read_qr_codes(encoded(qr_image(payload))).wechat_contacts == (f"wechat_qr:{payload}",)


def test_a_url_qr_is_a_page_to_fetch() -> None:
    reading = read_qr_codes(encoded(qr_image(LOOKALIKE)))
    assert reading.web_links == (LOOKALIKE,)
    assert reading.wechat_contacts == ()


def test_rotated_and_small_codes_are_read() -> None:
    rotated = qr_image(LOOKALIKE).rotate(90, expand=True)
    assert read_qr_codes(encoded(rotated)).web_links == (LOOKALIKE,)
    small = qr_image(WECHAT, scale=2, border=4)
    assert read_qr_codes(encoded(small)).wechat_contacts == (f"wechat_qr:{WECHAT}",)


def test_a_qr_in_a_photo_like_certificate_is_read() -> None:
    assert read_qr_codes(certificate_photo(LOOKALIKE)).web_links == (LOOKALIKE,)


def test_an_image_without_a_code_says_nothing() -> None:
    blank = Image.new("RGB", (400, 300), (250, 250, 250))
    ImageDraw.Draw(blank).ellipse((50, 50, 350, 250), fill=(200, 30, 30))
    assert read_qr_codes(encoded(blank)) == QrReading()


def test_big_images_are_downscaled_and_still_read() -> None:
    canvas = Image.new("L", (5000, 3000), 255)
    canvas.paste(qr_image(LOOKALIKE, scale=12), (3000, 1200))
    assert read_qr_codes(encoded(canvas)).web_links == (LOOKALIKE,)


def zip_named_png() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "not an image")
    return buffer.getvalue()


@pytest.mark.parametrize("data, problem", [
    (b"", "空文件"),
    (encoded(qr_image(WECHAT))[:150], "图片损坏"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>', "不是可识别"),
    (zip_named_png(), "不是可识别"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是可识别"),
], ids=["empty", "truncated", "svg", "zip", "bad-header"])
def test_hostile_bytes_are_a_problem_not_an_exception(data: bytes, problem: str) -> None:
    reading = read_qr_codes(data)
    assert reading.payloads == ()
    assert reading.problem.startswith(problem), reading


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = encoded(Image.new("1", (6000, 4000), 1))  # 24 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    reading = read_qr_codes(bomb)
    assert reading.payloads == () and "6000×4000" in reading.problem
    assert read_qr_codes(encoded(qr_image(WECHAT)), max_pixels=100).problem.startswith("图片过大")


def test_findings_join_the_verdict_contacts_routing_and_reasons() -> None:
    html = "<title>办证</title><p>电工证免考快速拿证，不用本人到场，官网可查，电话 13926084417</p>"
    facts = PageFacts(url="http://s.example.com/", final_url="http://s.example.com/",
                      title="办证", text="电工证免考快速拿证，不用本人到场，官网可查，电话 13926084417",
                      html=html)
    verdict = judge_page(facts)
    assert verdict.is_lead
    origin = origin_reason("http://s.example.com/cert.jpg", "http://s.example.com/")
    signals = [f"wechat_qr:{WECHAT}", origin, "encoding_undeclared"]
    found = with_qr_findings(verdict, signals, facts.final_url)
    assert found.contacts == (*verdict.contacts, f"wechat_qr:{WECHAT}")
    assert found.reasons[-1] == "二维码来自 http://s.example.com/cert.jpg（页面 http://s.example.com/）"
    assert found.agencies and found.category == verdict.category
    assert with_qr_findings(found, signals, facts.final_url) == found  # applied once
    assert with_qr_findings(verdict, ["encoding_undeclared"], facts.final_url) is verdict


def test_a_crawl_reads_the_qr_codes_of_the_demo_seller(tmp_path: Path) -> None:
    """The seller's WeChat is only a QR image and its certificate's QR points to a lookalike no
    link names: both are found; hostile images and a QR to 10.0.0.8 are signals; the training
    centre whose QR points to the official platform stays no lead."""
    db = tmp_path / "j.db"
    seller, negative = "http://www.saoma-banzheng.com/", "http://www.anquan-peixun-zhongxin.com/"
    with DemoWeb() as web:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "check", "-a", f"urls={seller} {negative}",
             "-s", f"JIAZHENG_DB={db}", "-s", f"JIAZHENG_PROXY={web.proxy_url}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "JIAZHENG_BROWSER=False"],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
        asked = set(web.requests_seen)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        leads = {host: (category, json.loads(contacts), json.loads(reasons), parent)
                 for host, category, contacts, reasons, parent in conn.execute(
                     "SELECT host, category, contacts, reasons, parent_url FROM leads")}
        signals = dict(conn.execute("SELECT final_url, fetch_signals FROM pages"))
    assert f"wechat_qr:{WECHAT}" in leads["www.saoma-banzheng.com"][1]
    category, _, reasons, parent = leads["www.zhengshu-hecha.top"]
    assert category == "lookalike_site"
    assert parent == seller
    assert ("二维码来自 http://www.saoma-banzheng.com/img/zhengshu.jpg"
            "（页面 http://www.saoma-banzheng.com/）") in reasons
    seller_signals = json.loads(signals[seller])
    assert any(s.startswith("拒绝访问内网地址：http://10.0.0.8/") for s in seller_signals)
    assert any("broken.png（图片损坏" in s for s in seller_signals)
    assert any("banner.png（不是可识别的图片" in s for s in seller_signals)
    assert not any(host == "10.0.0.8" for host, _ in asked)
    assert "www.anquan-peixun-zhongxin.com" not in leads
    assert "二维码链接：https://cx.mem.gov.cn/" in signals[negative]
