"""Evidence capture with the real Chromium against hostile pages served on 127.0.0.1, and RFC 3161
timestamps from a real local TSA (``openssl ts`` behind a tiny HTTP server)."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from crawler.browser import CHROMIUM_ARGS, pac_url
from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from crawler.encoding import choose_encoding
from leads.evidence import folder as evidence_folder
from leads.evidence.capture import CaptureSettings, capture_leads
from leads.evidence.folder import sha256_file
from leads.judge.page_text import page_text
from leads.store import Store
from tests.conftest import make_page
from tests.local_tsa import Authority, make_authority, running_authority

PAGE = "<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
HOSTILE = {
    "/ad": ("电工证 包过", "<h1>电工证 免考 包过</h1><p>微信 zheng_ban88</p>"),
    "/download": ("下载", "<a id='d' href='/file.bin' download='../../escape.txt'>x</a>"
                          "<script>document.getElementById('d').click()</script>"),
    "/popup": ("弹窗", "<script>window.open('/ad?popped=1')</script><p>弹窗页</p>"),
    "/alerts": ("对话框", "<script>alert('恭喜中奖');confirm('继续?');prompt('手机号')</script>"
                          "<p>对话框页</p>"),
    "/endless": ("无限滚动", "<div style='height:3000px'>第一屏</div><script>"
                             "window.addEventListener('scroll', () => { const d ="
                             " document.createElement('div'); d.style.height = '3000px';"
                             " d.textContent = '更多'; document.body.appendChild(d); });</script>"),
}
ESCAPE_NAME = "escape.txt"


class HostileSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/file.bin":
            self._send(b"MZ not really a program", "application/octet-stream",
                       {"Content-Disposition": f'attachment; filename="../../{ESCAPE_NAME}"'})
            return
        title, body = HOSTILE.get(path, HOSTILE["/ad"])
        self._send(PAGE.format(title=title, body=body).encode(), "text/html; charset=utf-8",
                   {"X-Seller": "demo"})

    def _send(self, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    yield from serve(HostileSite)


def direct_settings(**fields: object) -> CaptureSettings:
    """No proxy: the proxy script says DIRECT, and only 127.0.0.1 is ever asked."""
    values: dict[str, object] = {"browser_args": (*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url('')}"),
                                 "navigation_timeout": 15.0, "capture_timeout": 60.0,
                                 "scroll_pause": 0.1, "max_scrolls": 4,
                                 "egress_allow": ("127.0.0.0/8",)}
    values.update(fields)
    return CaptureSettings(**values)  # type: ignore[arg-type]


def add_leads(store: Store, urls: list[str]) -> list[dict[str, object]]:
    run = store.start_run("test", {})
    for url in urls:
        store.save_page(run, make_page(url))
    return [{"id": store.lead_id(url), "url": url} for url in urls]


def record(folder: Path) -> dict:
    return json.loads((folder / evidence_folder.CAPTURE_RECORD).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile_captures(site: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    store = Store(root / "j.db")
    paths = ["/ad", "/download", "/popup", "/alerts", "/endless", "/file.bin"]
    leads = add_leads(store, [site + path for path in paths])
    results = capture_leads(store, leads, root / "evidence", direct_settings())
    store.close()
    return {path: result.folder for path, result in zip(paths, results, strict=True)}


def test_an_ordinary_page_is_captured_with_every_file_and_its_hash(
        hostile_captures: dict[str, Path], site: str) -> None:
    folder = hostile_captures["/ad"]
    names = {path.name for path in folder.iterdir()}
    assert names == {"screenshot.png", "page.pdf", "page.warc.gz", "evidence.wacz", "capture.json",
                     "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {row["path"] for row in manifest["files"]} == names - {"manifest.json"}
    for row in manifest["files"]:
        assert sha256_file(folder / row["path"]) == row["sha256"]
    facts = record(folder)
    assert facts["outcome"] == "captured" and facts["status"] == 200
    assert facts["captured_at_beijing"].endswith("+08:00")
    assert facts["captured_at_utc"].endswith("+00:00")
    assert facts["tool"]["chromium"] and facts["tool"]["playwright"]
    assert facts["connection"]["ipAddress"] == "127.0.0.1"
    assert (folder / "screenshot.png").read_bytes().startswith(b"\x89PNG")


def warc_records(folder: Path) -> dict[str, tuple[ArcWarcRecord, bytes]]:
    """The WARC's records by Jiazheng-Evidence-Kind (or record type), with their payloads."""
    with (folder / "page.warc.gz").open("rb") as handle:
        return {r.rec_headers.get_header("Jiazheng-Evidence-Kind") or r.rec_type:
                (r, r.content_stream().read()) for r in ArchiveIterator(handle)}


def test_warc_marks_raw_response_and_rendered_dom(hostile_captures: dict[str, Path]) -> None:
    records = warc_records(hostile_captures["/ad"])
    raw, raw_body = records["raw-response"]
    assert raw.rec_type == "response" and raw.http_headers.get_header("X-Seller") == "demo"
    assert "电工证 免考 包过" in raw_body.decode("utf-8")
    dom, dom_body = records["rendered-dom"]
    assert dom.rec_type == "resource" and b"<h1>" in dom_body
    assert "warcinfo" in records and "request" in records


def test_downloads_are_refused_and_nothing_is_written_outside_the_folder(
        hostile_captures: dict[str, Path]) -> None:
    root = hostile_captures["/download"].parent.parent
    assert not list(root.rglob(ESCAPE_NAME)) and not list(Path.cwd().rglob(ESCAPE_NAME))
    assert any("拦截下载" in event for event in record(hostile_captures["/download"])["events"])
    direct = record(hostile_captures["/file.bin"])
    assert "下载" in direct["error"] and direct["outcome"] == "failed"
    for folder in hostile_captures.values():
        assert {p.name for p in folder.iterdir()} <= set(evidence_folder.FILE_KINDS)


def test_popups_are_closed_and_dialogs_dismissed(hostile_captures: dict[str, Path]) -> None:
    assert any("关闭弹出窗口" in e for e in record(hostile_captures["/popup"])["events"])
    events = record(hostile_captures["/alerts"])["events"]
    assert any("alert" in e and "恭喜中奖" in e for e in events)
    assert any("confirm" in e for e in events) and any("prompt" in e for e in events)
    assert record(hostile_captures["/alerts"])["outcome"] == "captured"


def test_endless_scrolling_is_capped(hostile_captures: dict[str, Path]) -> None:
    facts = record(hostile_captures["/endless"])
    assert any("无限滚动" in event for event in facts["events"])
    assert facts["outcome"] == "captured"


def test_a_site_that_is_down_gets_a_record_saying_so(tmp_path: Path) -> None:
    with socket.socket() as closed:  # a port nobody listens on: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    store = Store(tmp_path / "j.db")
    leads = add_leads(store, [f"http://127.0.0.1:{port}/gone"])
    [result] = capture_leads(store, leads, tmp_path / "evidence", direct_settings())
    assert result.outcome == "site_down"
    facts = record(result.folder)
    assert "ERR_CONNECTION_REFUSED" in facts["error"] and facts["outcome_zh"] == "网站已无法访问"
    stored = store.latest_captures([result.lead_id])[result.lead_id]
    assert stored["outcome"] == "site_down" and stored["files"]
    store.close()


def test_a_url_cannot_steer_where_evidence_is_written(site: str, tmp_path: Path) -> None:
    url = site + "/..%2F..%2F..%2Fetc/passwd/../../../x?file=../../../../tmp/evil&name=..\\..\\y"
    store = Store(tmp_path / "j.db")
    leads = add_leads(store, [url])
    [result] = capture_leads(store, leads, tmp_path / "evidence", direct_settings())
    store.close()
    assert result.folder.parent == tmp_path / "evidence"
    assert result.folder.name.startswith(f"L{result.lead_id:06d}-")
    assert {p.name for p in tmp_path.iterdir()} - {"j.db-shm", "j.db-wal"} == {"evidence", "j.db"}
    assert list((tmp_path / "evidence").iterdir()) == [result.folder]
    assert record(result.folder)["url"] == url  # the URL is recorded, never used as a path
    with pytest.raises(ValueError):
        evidence_folder.write_file(result.folder, "../escape.json", b"{}")


# --- RFC 3161 (the verification itself: tests/test_tsa.py) -------------------------------------
@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Authority]:
    with running_authority(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


def test_manifest_gets_a_timestamp_openssl_verifies(site: str, tsa: Authority,
                                                    tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db")
    leads = add_leads(store, [site + "/ad"])
    [result] = capture_leads(store, leads, tmp_path / "evidence",
                             direct_settings(tsa_url=tsa.url, tsa_cert=str(tsa.ca)))
    stored = store.latest_captures([result.lead_id])[result.lead_id]
    store.close()
    assert stored["timestamped"] == 1
    assert "manifest.tsr" in {row["path"] for row in stored["files"]}
    verified = subprocess.run(
        ["openssl", "ts", "-verify", "-in", str(result.folder / "manifest.tsr"), "-data",
         str(result.folder / "manifest.json"), "-CAfile", str(tsa.ca), "-untrusted",
         str(tsa.signer)], capture_output=True, text=True, check=False)
    assert verified.returncode == 0 and "Verification: OK" in verified.stdout, verified.stderr


def test_an_answer_from_an_untrusted_tsa_is_no_timestamp(site: str, tsa: Authority,
                                                         tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    make_authority(other, name="someone else")
    store = Store(tmp_path / "j.db")
    leads = add_leads(store, [site + "/ad"])
    [result] = capture_leads(store, leads, tmp_path / "evidence",
                             direct_settings(tsa_url=tsa.url, tsa_cert=str(other / "ca.pem")))
    stored = store.latest_captures([result.lead_id])[result.lead_id]
    store.close()
    assert stored["timestamped"] == 0
    assert "manifest.tsr" not in {row["path"] for row in stored["files"]}
    assert "时间戳签名证书不是配置的" in stored["error"]


def test_warc_file_is_gzip_per_record(hostile_captures: dict[str, Path]) -> None:
    assert gzip.decompress((hostile_captures["/ad"] / "page.warc.gz").read_bytes()).startswith(
        b"WARC/1.1")


def test_a_capture_folder_is_hidden_until_complete_and_a_killed_ones_is_removed(
    tmp_path: Path,
) -> None:
    at = datetime(2026, 12, 4, 1, 30, tzinfo=UTC)
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    killed = tmp_path / f".L000007-20261204T013000Z.partial-{child.pid}.abc"
    killed.mkdir()
    (killed / evidence_folder.SCREENSHOT).write_bytes(b"half")
    building = evidence_folder.new_folder(tmp_path, 7, at)
    assert building.name.startswith(".L000007-") and not killed.exists()
    assert sorted(tmp_path.glob("L*")) == []  # nothing that looks finished yet
    (building / evidence_folder.MANIFEST).write_text("{}", encoding="utf-8")
    first = evidence_folder.finish_folder(building, 7, at)
    second = evidence_folder.finish_folder(evidence_folder.new_folder(tmp_path, 7, at), 7, at)
    assert [first.name, second.name] == ["L000007-20261204T013000Z", "L000007-20261204T013000Z-2"]
    assert (first / evidence_folder.MANIFEST).read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, second.name]


# --- evidence people can read (issue 14): charset, caption band, PDF print, WACZ --------------
MISLABELLED_HOST = "www.yingji-zhengshu.com"  # demo seller page in GBK, Content-Type says utf-8


@pytest.fixture(scope="module")
def mislabelled_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mislabelled")
    store = Store(root / "j.db")
    leads = add_leads(store, [f"http://{MISLABELLED_HOST}/"])
    with DemoWeb() as web:
        proxied = (*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url(web.proxy_url)}")
        [result] = capture_leads(store, leads, root / "evidence",
                                 direct_settings(browser_args=proxied, proxy=web.proxy_url))
    store.close()
    assert result.outcome == "captured", result.error
    return result.folder


def test_a_gbk_page_declared_utf8_renders_as_the_crawl_read_it(mislabelled_capture: Path) -> None:
    records = warc_records(mislabelled_capture)
    raw, raw_body = records["raw-response"]
    content_type = raw.http_headers.get_header("Content-Type")
    assert content_type == "text/html; charset=utf-8"  # the WARC keeps the answer as received
    with pytest.raises(UnicodeDecodeError):
        raw_body.decode("utf-8")
    encoding, signal = choose_encoding(content_type, raw_body)  # the crawl's decision
    crawl_title, crawl_text = page_text(raw_body.decode(encoding))
    site = next(s for s in load_sites() if s.host == MISLABELLED_HOST)
    assert (crawl_title, crawl_text) == page_text(site.pages["/"].file.read_text(encoding="utf-8"))
    dom_title, dom_text = page_text(records["rendered-dom"][1].decode("utf-8"))
    assert (dom_title, dom_text) == (crawl_title, crawl_text)
    assert "\ufffd" not in dom_text and "免考试，包过" in dom_text and "叉车证" in dom_title
    facts = record(mislabelled_capture)
    assert facts["charset"]["declared"] == "utf-8" and facts["charset"]["detected"] == encoding
    assert facts["charset"]["rerendered"] is True and signal == "encoding_mismatch:utf-8"
    assert any("重新渲染" in event for event in facts["events"])
    assert "免考试，包过" in pdf_text(mislabelled_capture / "page.pdf")


def test_a_page_the_browser_reads_right_is_rendered_once(hostile_captures: dict[str, Path]) -> None:
    charset = record(hostile_captures["/ad"])["charset"]
    assert charset["detected"] == "utf-8" and charset["rerendered"] is False


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_every_screenshot_carries_its_caption_band(hostile_captures: dict[str, Path],
                                                   mislabelled_capture: Path) -> None:
    short_pages = {hostile_captures["/ad"], mislabelled_capture}  # shorter than the viewport
    screenshots = [folder for folder in [*hostile_captures.values(), mislabelled_capture]
                   if (folder / "screenshot.png").exists()]
    assert len(screenshots) >= 5
    for folder in screenshots:
        facts = record(folder)
        band = facts["screenshot"]["caption_band_height"]
        image = Image.open(folder / "screenshot.png").convert("L")
        page_height = image.height - band
        if folder in short_pages:
            assert page_height == direct_settings().viewport_height
        strip = image.crop((0, page_height + 2, image.width, image.height))
        assert band > 0 and strip.getextrema()[0] < 100, folder  # dark text on the light band
        raw_sha256 = (hashlib.sha256(warc_records(folder)["raw-response"][1]).hexdigest()
                      if (folder / "page.warc.gz").exists() else "未取得原始响应")
        assert facts["caption"].split("\n") == [
            f"网址：{facts['final_url'] or facts['url']}",
            f"提取时间：{facts['captured_at_beijing'][:19].replace('T', ' ')}（北京时间）",
            f"线索编号：L{facts['lead_id']:06d}",
            f"原始响应 SHA-256：{raw_sha256}"], folder


def test_the_pdf_print_and_the_wacz_are_listed_and_the_wacz_validates(
        hostile_captures: dict[str, Path], site: str) -> None:
    folder = hostile_captures["/ad"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {row["path"]: row for row in manifest["files"]}
    assert {"page.pdf", "evidence.wacz"} <= set(listed)
    printed = pdf_text(folder / "page.pdf")
    assert "电工证 免考 包过" in printed and f"L{record(folder)['lead_id']:06d}" in printed
    validated = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f",
                                str(folder / "evidence.wacz")], capture_output=True, text=True,
                               check=False)
    assert validated.returncode == 0 and "valid" in validated.stdout, validated.stdout
    with zipfile.ZipFile(folder / "evidence.wacz") as wacz:
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        assert wacz.read("archive/page.warc.gz") == (folder / "page.warc.gz").read_bytes()
    assert pages[1]["url"] == site + "/ad"


def test_a_failing_new_step_is_an_event_and_the_capture_stays(site: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db")
    leads = add_leads(store, [site + "/ad"])
    [result] = capture_leads(store, leads, tmp_path / "evidence",
                             direct_settings(max_pdf_bytes=10, wacz_timeout=0.001))
    stored = store.latest_captures([result.lead_id])[result.lead_id]
    store.close()
    assert result.outcome == "captured" and not result.error
    assert {row["path"] for row in stored["files"]} == {"screenshot.png", "page.warc.gz",
                                                         "capture.json", "manifest.json"}
    events = record(result.folder)["events"]
    assert any("PDF" in event and "未保存" in event for event in events), events
    assert any("evidence.wacz" in event for event in events), events
