"""Referral packets end to end over the demo web: crawl (subprocess), capture with one site gone,
a packet per agency; then the PDF's text, every SHA-256 of the 清单, the WARC files, a rendered
first page kept in tests/artifacts/, and hostile titles escaped in PDF and XLSX."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from warcio.archiveiterator import ArchiveIterator

from crawler.cli.packets import capture_settings
from crawler.demoweb.engines import ENGINE_HOSTS
from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from leads.evidence.capture import capture_pending
from leads.evidence.folder import sha256_file
from leads.referral.packets import (
    CHECKLIST_CSV,
    LETTER_PDF,
    TABLES_XLSX,
    Packet,
    PacketError,
    build_packet,
)
from leads.store import Store
from tests.conftest import make_page, make_verdict

ARTIFACTS = Path(__file__).parent / "artifacts"
AGENCIES = ("公安", "网信", "市场监管")
GONE_HOST = "www.yingji-zhengshu.com"  # a seeded fake-ad site, removed before capture


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=900, check=False)


def pdf_text(path: Path) -> str:
    """poppler's pdftotext in content order (a wrapped cell stays together); pypdf and
    pdfminer cannot read the embedded CID CMap fpdf2 writes for CFF (Noto CJK) fonts."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@dataclass
class Built:
    db: Path
    packets: dict[str, Packet | None]
    repeated: dict[str, Packet | None]
    hosts_asked_by_capture: set[str]
    unreviewed: int  # the one lead no analyst confirmed
    with_unreviewed: Packet | None  # the 公安 packet built after, with --include-unreviewed


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("packets")
    db = out / "jiazheng.db"
    with DemoWeb() as web:
        crawled = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                           "--max-queries", "4", "-s", "JIAZHENG_MAX_SERP_PAGES=3")
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    store = Store(db)
    with DemoWeb(removed_hosts=frozenset({GONE_HOST})) as web:
        capture_pending(store, out / "evidence", capture_settings(web.proxy_url))
        hosts = {host for host, _ in web.requests_seen}
    # Analysts confirm every lead but one (routed to 公安): packets refer confirmed leads only.
    leads = list(store.leads())
    unreviewed = next(lead["id"] for lead in reversed(leads)
                      if "公安" in lead["agencies"] and lead["host"] != GONE_HOST)
    for lead in leads:
        if lead["id"] != unreviewed:
            store.set_state(lead["id"], "confirmed", "分析员")
    packets = {agency: build_packet(store, agency, out / "packets") for agency in AGENCIES}
    repeated = {agency: build_packet(store, agency, out / "packets") for agency in AGENCIES}
    with_unreviewed = build_packet(store, "公安", out / "packets", include_unreviewed=True)
    store.close()
    return Built(db, packets, repeated, hosts, unreviewed, with_unreviewed)


def test_capture_only_asked_the_demo_web(built: Built) -> None:
    """Chromium (background requests included) went through the proxy to simulated hosts only."""
    simulated = {site.host for site in load_sites()} | set(ENGINE_HOSTS)
    assert built.hosts_asked_by_capture and built.hosts_asked_by_capture <= simulated


def test_a_packet_per_agency_and_none_repeats_a_lead(built: Built) -> None:
    assert all(built.packets[agency] for agency in AGENCIES), built.packets
    assert built.repeated == dict.fromkeys(AGENCIES)
    store = Store(built.db)
    try:
        for agency, packet in built.packets.items():
            assert packet and packet.lead_ids
            for lead in store.leads():
                if lead["id"] in packet.lead_ids:
                    assert agency in lead["agencies"] and lead["state"] == "referred"
    finally:
        store.close()


def test_packets_hold_only_confirmed_leads(built: Built) -> None:
    """The lead nobody confirmed stays out of every packet and stays new; every referred lead
    went through 已确认 first (a lead cannot skip the review)."""
    store = Store(built.db)
    try:
        referred = {lead_id for packet in built.packets.values() if packet
                    for lead_id in packet.lead_ids}
        assert referred and built.unreviewed not in referred
        for lead_id in referred:
            moves = [(e["from_state"], e["to_state"]) for e in store.lead_events(lead_id)]
            assert moves[:2] == [("new", "confirmed"), ("confirmed", "referred")], moves
        assert all(not packet.unreviewed for packet in built.packets.values() if packet)
    finally:
        store.close()


def test_include_unreviewed_refers_the_rest_marked_in_every_document(built: Built) -> None:
    packet = built.with_unreviewed
    assert packet and packet.lead_ids == packet.unreviewed == (built.unreviewed,)
    assert "未核实" in "".join(pdf_text(packet.folder / LETTER_PDF).split())
    sheet = load_workbook(packet.folder / TABLES_XLSX)["线索表"]
    headings = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headings.index("核实") + 1).value == "未核实"
    with (packet.folder / CHECKLIST_CSV).open(encoding="utf-8-sig", newline="") as handle:
        assert {row["核实"] for row in csv.DictReader(handle)} == {"未核实"}
    store = Store(built.db)
    try:
        [event] = store.lead_events(built.unreviewed)
        assert (event["from_state"], event["to_state"], event["source"]) == (
            "new", "referred", "referral")
    finally:
        store.close()


def test_pdf_has_headings_and_every_lead_url_and_page_one_renders(built: Built) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for agency, packet in built.packets.items():
        assert packet
        text = pdf_text(packet.folder / LETTER_PDF)
        flat = "".join(text.split())
        for heading in ("线索移送函", "附表一：线索表", "电子数据提取固定清单", f"{agency}：", "校验值"):
            assert heading in flat, heading
        store = Store(built.db)
        urls = [lead["url"] for lead in store.leads() if lead["id"] in packet.lead_ids]
        store.close()
        assert urls and all(url in flat for url in urls)
        png = ARTIFACTS / f"packet-{agency}"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(packet.folder / LETTER_PDF), str(png)], check=True)
        assert png.with_suffix(".png").stat().st_size > 10_000


def test_every_sha256_in_the_checklist_verifies(built: Built) -> None:
    for packet in built.packets.values():
        assert packet
        with (packet.folder / CHECKLIST_CSV).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows
        for row in rows:
            assert sha256_file(packet.folder / row["文件名"]) == row["校验值(SHA-256)"], row
            assert row["类别"] and row["文件格式"] and row["提取时间(北京时间)"] and row["提取方法/工具"]
        assert sha256_file(packet.zip_path) == packet.zip_sha256
        with zipfile.ZipFile(packet.zip_path) as archive:
            names = set(archive.namelist())
        assert {f"{packet.packet_id}/{row['文件名']}" for row in rows} <= names
        assert f"{packet.packet_id}/{LETTER_PDF}" in names


def test_warc_files_open_with_warcio(built: Built) -> None:
    packet = built.packets["公安"]
    assert packet
    warcs = list(packet.folder.rglob("page.warc.gz"))
    assert warcs
    rendered = 0
    for warc in warcs:
        with warc.open("rb") as handle:
            kinds = {r.rec_headers.get_header("Jiazheng-Evidence-Kind") for r in ArchiveIterator(handle)}
        assert "raw-response" in kinds, warc
        # A page whose script never yields is fixed from the raw response alone, and says so.
        events = json.loads((warc.parent / "capture.json").read_text(encoding="utf-8"))["events"]
        hung = any("未保存渲染后页面" in event for event in events)
        assert ("rendered-dom" in kinds) is not hung, (warc, events)
        assert (warc.parent / "screenshot.png").exists() is not hung, (warc, events)
        rendered += not hung
    assert rendered >= len(warcs) - 2


def test_a_lead_whose_site_is_gone_says_so_and_the_packet_still_builds(built: Built) -> None:
    packet = next(p for p in built.packets.values() if p and p.site_down)
    store = Store(built.db)
    gone = [lead["id"] for lead in store.leads() if lead["host"] == GONE_HOST]
    store.close()
    assert gone and set(gone) <= set(packet.site_down)
    records = [json.loads(p.read_text(encoding="utf-8")) for p in packet.folder.rglob("capture.json")]
    down = [r for r in records if r["lead_id"] in gone]
    assert down and all(r["outcome"] == "site_down" and "404" in r["error"] for r in down)
    assert "已无法访问" in "".join(pdf_text(packet.folder / LETTER_PDF).split())


HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","点我")<script>alert(1)</script><b>粗</b>'


def test_html_and_formulas_in_titles_are_text_in_pdf_and_xlsx(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db")
    run = store.start_run("test", {})
    store.save_page(run, make_page("http://ban-zheng.example.com/", title=HOSTILE_TITLE,
                                   verdict=make_verdict(reasons=("+cmd|' /C calc'!A0",))))
    store.set_state(store.lead_id("http://ban-zheng.example.com/"), "confirmed", "分析员")
    packet = build_packet(store, "公安", tmp_path / "packets")
    store.close()
    assert packet and packet.without_evidence == packet.lead_ids
    text = pdf_text(packet.folder / LETTER_PDF)
    assert "<script>alert(1)</script><b>粗</b>" in "".join(text.split())
    assert "未提取证据" in text
    sheet = load_workbook(packet.folder / TABLES_XLSX)["线索表"]
    headings = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=headings.index("页面标题") + 1)
    reason = sheet.cell(row=2, column=headings.index("判定理由") + 1)
    assert title.value == HOSTILE_TITLE and title.data_type == "s"
    assert reason.value == "+cmd|' /C calc'!A0" and reason.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_unknown_agency_and_changed_evidence_fail_clearly(tmp_path: Path, built: Built) -> None:
    db = tmp_path / "j.db"
    shutil.copy(built.db, db)
    store = Store(db)
    try:
        with pytest.raises(PacketError, match="未知的移送部门"):
            build_packet(store, "法院", tmp_path)
        run = store.start_run("test", {})
        store.save_page(run, make_page("http://new-lead.example.com/"))
        lead_id = store.lead_id("http://new-lead.example.com/")
        store.set_state(lead_id, "confirmed", "分析员")
        folder = tmp_path / "evidence"
        folder.mkdir()
        (folder / "capture.json").write_text("{}")
        store.save_capture({"lead_id": lead_id, "url": "x", "folder": str(folder),
                            "outcome": "captured", "status": 200, "error": ""},
                           [{"path": "capture.json", "kind": "k", "format": "JSON",
                             "sha256": "0" * 64, "size": 2}])
        with pytest.raises(PacketError, match="SHA-256"):
            build_packet(store, "公安", tmp_path / "packets")
    finally:
        store.close()


def test_check_command_fetches_scores_stores_and_captures(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with DemoWeb() as web:
        result = jiazheng("check", "http://www.tezhong-banzheng.com/", "https://www.mem.gov.cn/",
                          "--db", str(db), "--proxy", web.proxy_url, "--no-delay",
                          "--evidence-dir", str(tmp_path / "evidence"))
    assert result.returncode == 0, result.stderr[-3000:]
    store = Store(db)
    try:
        leads = list(store.leads())
        captures = store.latest_captures([lead["id"] for lead in leads])
    finally:
        store.close()
    checked = next(lead for lead in leads if lead["host"] == "www.tezhong-banzheng.com")
    assert checked["category"] == "fake_ad" and captures[checked["id"]]["outcome"] == "captured"
    assert not any(lead["host"].endswith("gov.cn") for lead in leads)
    assert set(captures) == {checked["id"]}  # sites it links to are leads, captured nightly
    assert "www.mem.gov.cn" in result.stderr  # reported as checked, not a lead
