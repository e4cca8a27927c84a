"""QR codes in the page screenshot (leads/evidence/screenshot_codes.py): the demo seller whose codes
are inline SVG, a canvas and a CSS background — never an <img> — captured with the real Chromium
through the demo web; its WeChat contact joins the lead, its lookalike link is queued for the next
crawl, its internal link is refused; a screenshot without codes records nothing, and a huge one
stays bounded."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from PIL import Image

from crawler.browser import CHROMIUM_ARGS, pac_url
from crawler.demoweb.server import DemoWeb
from leads.egress.policy import EgressPolicy
from leads.evidence import folder as evidence_folder
from leads.evidence.capture import CaptureSettings, capture_leads
from leads.evidence.screenshot_codes import (
    TILE_SIDE,
    ScreenshotCodes,
    read_screenshot_codes,
    record_screenshot_codes,
    tile_boxes,
)
from leads.judge.qr_codes import link_signal
from leads.store import Store
from tests.conftest import make_page
from tests.test_qr_codes import encoded, qr_image

SELLER = "http://www.huima-banzheng.com/"
WECHAT = "https://u.wechat.com/MHx7Qp2sLc9VtR4nZa8kEwB"
LOOKALIKE = "http://www.zhengshu-hecha.top/verify.html?no=T440305199107220036"
INTERNAL = "http://10.0.0.9/verify.html?no=T440305199107220036"


def add_lead(store: Store, url: str) -> dict[str, object]:
    run = store.start_run("test", {})
    store.save_page(run, make_page(url))
    return {"id": store.lead_id(url), "url": url}


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("screenshot-qr")
    store = Store(root / "j.db")
    lead = add_lead(store, SELLER)
    with DemoWeb() as web:
        settings = CaptureSettings(
            browser_args=(*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url(web.proxy_url)}"),
            proxy=web.proxy_url, navigation_timeout=15.0, capture_timeout=60.0,
            scroll_pause=0.1, max_scrolls=4, egress_allow=("127.0.0.0/8",))
        [result] = capture_leads(store, [lead], root / "evidence", settings)
        asked = web.requests_seen
    assert result.outcome == "captured", result.error
    row = store.db["leads"].get(lead["id"])
    candidates = store.domain_candidates()
    store.close()
    record = json.loads((result.folder / evidence_folder.CAPTURE_RECORD).read_text("utf-8"))
    return result.folder, {"lead": row, "record": record, "candidates": candidates}, asked


def test_the_wechat_code_drawn_as_svg_is_a_contact_of_the_lead(captured) -> None:
    _, found, _ = captured
    lead = found["lead"]
    assert f"wechat_qr:{WECHAT}" in json.loads(lead["contacts"])
    assert f"页面截图中的二维码为微信联系人：wechat_qr:{WECHAT}" in json.loads(lead["reasons"])
    codes = found["record"]["screenshot_codes"]
    assert codes["wechat_contacts"] == [f"wechat_qr:{WECHAT}"]
    assert codes["contacts_added"] == [f"wechat_qr:{WECHAT}"]
    assert codes["tiles_read"] >= 3 and codes["problem"] == ""  # the page is ~3,800 px tall


def test_the_canvas_link_is_queued_and_the_css_internal_one_refused(captured) -> None:
    folder, found, asked = captured
    links = {link["url"]: link for link in found["record"]["screenshot_codes"]["links"]}
    assert set(links) == {LOOKALIKE, INTERNAL}
    assert links[LOOKALIKE]["outcome"] == "queued"
    assert links[INTERNAL]["outcome"] == "refused" and links[INTERNAL]["detail"]
    [candidate] = found["candidates"]
    assert (candidate["url"], candidate["domain"], candidate["fetched_at"]) == (
        LOOKALIKE, "www.zhengshu-hecha.top", "")
    assert candidate["source"] == f"screenshot_qr:{SELLER}"
    assert not any(host == "10.0.0.9" for host, _ in asked)
    assert not any(host == "www.zhengshu-hecha.top" for host, _ in asked)  # next crawl's job
    manifest = json.loads((folder / evidence_folder.MANIFEST).read_text("utf-8"))
    assert evidence_folder.CAPTURE_RECORD in {row["path"] for row in manifest["files"]}


def test_a_screenshot_without_codes_records_nothing(tmp_path: Path) -> None:
    blank = Image.new("RGB", (1366, 5000), (250, 250, 245))
    codes = read_screenshot_codes(encoded(blank), max_tiles=20)
    assert codes == ScreenshotCodes(tiles=len(tile_boxes(1366, 5000)))
    store = Store(tmp_path / "j.db")
    lead = add_lead(store, "http://blank.example.com/")
    before = store.db["leads"].get(lead["id"])
    found = record_screenshot_codes(store, lead, codes, EgressPolicy())
    assert (found["codes"], found["contacts_added"], found["links"]) == ([], [], [])
    assert store.db["leads"].get(lead["id"]) == before
    assert store.domain_candidates() == []
    store.close()


def test_a_link_the_image_chain_found_is_not_queued_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db")
    run = store.start_run("test", {})
    page = make_page("http://seller.example.com/")
    page.fetch_signals.append(link_signal(LOOKALIKE, "http://seller.example.com/cert.jpg"))
    store.save_page(run, page)
    lead = {"id": store.lead_id(page.final_url), "url": page.final_url}
    found = record_screenshot_codes(store, lead, ScreenshotCodes((LOOKALIKE,), 1),
                                    EgressPolicy())
    assert found["links"][0]["outcome"] == "known"
    assert store.domain_candidates() == []
    store.close()


def test_the_next_crawl_keeps_the_contact_the_screenshot_gave(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db")
    lead = add_lead(store, "http://seller.example.com/")
    found = record_screenshot_codes(store, lead, ScreenshotCodes((WECHAT,), 1), EgressPolicy())
    assert found["contacts_added"] == [f"wechat_qr:{WECHAT}"]
    for _night in range(2):  # the page judged again, its own verdict without the QR contact
        store.save_page(store.start_run("test", {}), make_page("http://seller.example.com/"))
        row = store.db["leads"].get(lead["id"])
        assert f"wechat_qr:{WECHAT}" in json.loads(row["contacts"])
        assert sum(WECHAT in reason for reason in json.loads(row["reasons"])) == 1
    store.close()


def test_tiles_overlap_so_a_code_across_an_edge_is_read() -> None:
    boxes = tile_boxes(1366, 3800)
    assert all(b[1] < a[3] for a, b in itertools.pairwise(boxes))
    canvas = Image.new("L", (1366, 3800), 255)
    canvas.paste(qr_image(WECHAT), (300, TILE_SIDE - 120))  # cut by the first tile's bottom edge
    assert read_screenshot_codes(encoded(canvas), max_tiles=20).payloads == (WECHAT,)


def test_a_huge_screenshot_stays_bounded() -> None:
    tall = Image.new("L", (1366, 40_000), 255)
    tall.paste(qr_image(WECHAT), (300, 39_000))  # past the tiles read
    codes = read_screenshot_codes(encoded(tall), max_tiles=20)
    assert codes.tiles == 20 and codes.payloads == ()
    assert codes.problem.startswith("截图共 40 块，仅识别前 20 块")
    wide = Image.new("L", (8_000, 8_000), 255)
    refused = read_screenshot_codes(encoded(wide), max_tiles=20)
    assert refused.tiles == 0 and refused.problem.startswith("截图过大（8000×8000 像素）")
    bomb = read_screenshot_codes(encoded(Image.new("1", (12_000, 12_000), 1)), max_tiles=20)
    assert bomb.tiles == 0 and bomb.problem.startswith("截图过大")
    assert read_screenshot_codes(b"not a png", 20).problem.startswith("截图无法读取")
