"""Referral packets end to end over the demo web: crawl (subprocess), capture with one site gone,
a packet per agency; then the 移送函 (portrait A4 pages, its parts as text, placeholders without
jiazheng.toml, a rendered first page kept in tests/artifacts/), every SHA-256 of the 清单 and of
校验值清单.txt (sha256sum -c), the WARC files, and hostile titles escaped in PDF and XLSX.
Then the letter with a jiazheng.toml (init, --config, JIAZHENG_CONFIG, ./jiazheng.toml) and the
plain reasons of 附表一."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from crawler.cli.packets import capture_settings
from crawler.demoweb.engines import ENGINE_HOSTS
from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from leads.evidence.capture import capture_pending
from leads.evidence.folder import sha256_file
from leads.judge.accounts import shown_address
from leads.judge.observations import BEIJING
from leads.referral.checksums import CHECKSUMS_TXT
from leads.referral.letter import chinese_date
from leads.referral.office_config import (
    EXAMPLE_CONFIG,
    OfficeConfigError,
    config_path,
    load_office_config,
)
from leads.referral.packets import (
    CHECKLIST_CSV,
    LETTER_DOCX,
    LETTER_PDF,
    TABLES_XLSX,
    Packet,
    PacketError,
    build_packet,
)
from leads.referral.plain_reasons import plain_reasons
from leads.store import Store
from tests.conftest import make_page, make_verdict

ARTIFACTS = Path(__file__).parent / "artifacts"
AGENCIES = ("公安", "网信", "市场监管")
GONE_HOST = "www.yingji-zhengshu.com"  # a seeded fake-ad site, removed before capture


def jiazheng(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=900, check=False, env={**os.environ, **(env or {})})


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


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """Each page's size in points, as poppler's pdfinfo reads it."""
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout, re.M)[1])
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(pages), str(path)],
                          capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]


def render_page_one(pdf: Path, png: Path) -> bool:
    """Page 1 as PNG at 80 dpi (pdftoppm): is it portrait A4 (210 × 297 mm: 661 × 935 px,
    give or take poppler's rounding)?"""
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(png.with_suffix(""))], check=True)
    with Image.open(png) as image:
        width, height = image.size
    return abs(width - 661) <= 1 and abs(height - 935) <= 1


def test_pdf_is_portrait_a4_with_its_parts_and_every_lead_url(built: Built) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for agency, packet in built.packets.items():
        assert packet
        text = pdf_text(packet.folder / LETTER_PDF)
        flat = "".join(text.split())
        for part in ("关于移送涉嫌假冒安全生产类资格证书网络线索的函", "附件：1.线索表",
                     "2.电子数据提取固定清单", "附件1", "附件2", "校验值", "（盖章处）",
                     packet.reference):
            assert part in flat, part
        store = Store(built.db)
        # a lead's URL, or an account's name and 微信号 (it has no web address to print)
        urls = ["".join(shown_address(lead).split()) for lead in store.leads()
                if lead["id"] in packet.lead_ids]
        store.close()
        assert urls and all(url in flat for url in urls), [u for u in urls if u not in flat]
        pages = pdf_pages(packet.folder / LETTER_PDF)
        assert len(pages) >= 3 and all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1
                                       for w, h in pages), pages
        assert render_page_one(packet.folder / LETTER_PDF, ARTIFACTS / f"packet-{agency}.png")


def test_without_jiazheng_toml_the_letter_says_what_to_fill(built: Built) -> None:
    packet = built.packets["公安"]
    assert packet and packet.reference == f"〔{packet_year(built, packet)}〕1号"
    flat = "".join(pdf_text(packet.folder / LETTER_PDF).split())
    for placeholder in ("（移送单位：请在jiazheng.toml中填写[sender]name）",
                        "（公安的主送机关：请在jiazheng.toml中填写[addressees]\"公安\"）：",
                        "（联系人：请在jiazheng.toml中填写", "（移送依据：请在jiazheng.toml中填写"):
        assert placeholder in flat, placeholder
    docx = "\n".join(p.text for p in Document(str(packet.folder / LETTER_DOCX)).paragraphs)
    assert "（移送单位：请在 jiazheng.toml 中填写 [sender] name）" in docx


def packet_year(built: Built, packet: Packet) -> int:
    with sqlite3.connect(built.db) as conn:
        [(created,)] = conn.execute("SELECT created_at FROM packets WHERE packet_id = ?",
                                    [packet.packet_id]).fetchall()
    return datetime.fromisoformat(created).astimezone(BEIJING).year


def test_contacts_are_whole_and_times_are_beijing_in_the_lead_table(built: Built) -> None:
    packet = built.packets["公安"]
    assert packet
    store = Store(built.db)
    leads = [lead for lead in store.leads() if lead["id"] in packet.lead_ids]
    store.close()
    lines = pdf_text(packet.folder / LETTER_PDF).splitlines()
    phones = [c.partition(":")[2] for lead in leads for c in lead["contacts"]
              if c.startswith("phone:")]
    assert phones and all(any(phone in line for line in lines) for phone in phones)
    sheet = load_workbook(packet.folder / TABLES_XLSX)["线索表"]
    headings = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        lead = next(lead for lead in leads if lead["id"] == row[headings.index("线索编号")])
        beijing = datetime.fromisoformat(lead["first_seen"]).astimezone(BEIJING)
        assert str(row[headings.index("首次发现(北京时间)")])[:19] == f"{beijing:%Y-%m-%d %H:%M:%S}"
        reasons = row[headings.index("判定理由")]
        assert reasons and not re.search(r"[a-z]+_[a-z]+|扣减|[+＋]\d", reasons), reasons


def test_the_hash_list_covers_every_file_and_sha256sum_verifies_the_unpacked_zip(
        built: Built, tmp_path: Path) -> None:
    for packet in built.packets.values():
        assert packet
        with zipfile.ZipFile(packet.zip_path) as archive:
            archive.extractall(tmp_path)
        unpacked = tmp_path / packet.packet_id
        listed = (unpacked / CHECKSUMS_TXT).read_text(encoding="utf-8").splitlines()
        files = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
        assert {line.split("  ", 1)[1] for line in listed} == files - {CHECKSUMS_TXT}
        assert {LETTER_PDF, LETTER_DOCX, TABLES_XLSX, CHECKLIST_CSV} <= files
        checked = subprocess.run(["sha256sum", "-c", CHECKSUMS_TXT], cwd=unpacked,
                                 capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stdout.count(": OK") == len(listed)
        (unpacked / TABLES_XLSX).write_bytes(b"changed")
        assert subprocess.run(["sha256sum", "--quiet", "-c", CHECKSUMS_TXT], cwd=unpacked,
                              capture_output=True, check=False).returncode == 1


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


FILLED_CONFIG = """
[sender]
name = "测试市应急管理局"
mark = "测试市应急管理局"
code = "测应急函"
contact = "李四"
phone = "0571-87654321"

[addressees]
"公安" = "测试市公安局"

[basis]
text = "根据《中华人民共和国安全生产法》第七十四条的规定，"
"""


def seed_confirmed(db: Path, *urls: str) -> None:
    store = Store(db)
    run = store.start_run("seed", {})
    for url in urls:
        store.save_page(run, make_page(url, verdict=make_verdict(agencies=("公安",))))
        store.set_state(store.lead_id(url), "confirmed", "分析员")
    store.close()


def packet_created(db: Path, reference: str) -> datetime:
    with sqlite3.connect(db) as conn:
        [(created,)] = conn.execute("SELECT created_at FROM packets WHERE reference = ?",
                                    [reference]).fetchall()
    return datetime.fromisoformat(created)


def test_init_writes_the_documented_example_and_keeps_an_existing_file(tmp_path: Path) -> None:
    config = tmp_path / "jiazheng.toml"
    assert jiazheng("init", "--out", str(config)).returncode == 0
    assert config.read_text(encoding="utf-8") == EXAMPLE_CONFIG
    assert (Path(__file__).parents[1] / "jiazheng.example.toml").read_text(
        encoding="utf-8") == EXAMPLE_CONFIG
    assert load_office_config(config).addressee("公安") == "××市公安局"
    config.write_text(FILLED_CONFIG, encoding="utf-8")
    refused = jiazheng("init", "--out", str(config))
    assert refused.returncode == 2 and "已存在" in refused.stderr
    assert config.read_text(encoding="utf-8") == FILLED_CONFIG
    assert jiazheng("init", "--out", str(config), "--force").returncode == 0
    assert config.read_text(encoding="utf-8") == EXAMPLE_CONFIG


def test_the_letter_from_jiazheng_toml_in_pdf_and_docx(tmp_path: Path) -> None:
    db, config, out = tmp_path / "j.db", tmp_path / "office.toml", tmp_path / "packets"
    config.write_text(FILLED_CONFIG, encoding="utf-8")
    seed_confirmed(db, "http://seller-a.example.com/")
    built = jiazheng("packet", "--agency", "公安", "--no-capture", "--db", str(db), "--out",
                     str(out), "--config", str(config))
    assert built.returncode == 0, built.stderr
    created = packet_created(db, reference := f"测应急函〔{datetime.now(BEIJING).year}〕1号")
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    expected = (reference, "测试市公安局：", "测试市应急管理局", chinese_date(created),
                "联系人：李四", "联系电话：0571-87654321", "第七十四条")
    flat = "".join(pdf_text(folder / LETTER_PDF).split())
    assert all(part in flat for part in expected), flat[:400]
    assert "请在jiazheng.toml中填写" not in flat
    docx = Document(str(folder / LETTER_DOCX))
    paragraphs = "\n".join(p.text for p in docx.paragraphs)
    assert all(part in paragraphs for part in expected), paragraphs[:400]
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    body_font = docx.paragraphs[5].runs[0]._element.rPr.rFonts
    assert body_font.get(qn("w:eastAsia")) == "宋体"
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in pdf_pages(folder / LETTER_PDF))
    ARTIFACTS.mkdir(exist_ok=True)
    assert render_page_one(folder / LETTER_PDF, ARTIFACTS / "letter-page1.png")

    # The next packet for 公安 this year is number 2, found through JIAZHENG_CONFIG.
    seed_confirmed(db, "http://seller-b.example.com/")
    again = jiazheng("packet", "--agency", "公安", "--no-capture", "--db", str(db), "--out",
                     str(out), env={"JIAZHENG_CONFIG": str(config)})
    assert again.returncode == 0, again.stderr
    assert f"测应急函〔{datetime.now(BEIJING).year}〕2号" in "".join(again.stderr.split())
    missing = jiazheng("packet", "--agency", "公安", "--no-capture", "--db", str(db),
                       "--config", str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2 and "找不到配置文件" in missing.stderr


def test_the_config_is_found_in_the_working_folder_and_a_typo_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIAZHENG_CONFIG", raising=False)
    assert config_path(cwd=tmp_path) is None
    assert load_office_config(None).name == "（移送单位：请在 jiazheng.toml 中填写 [sender] name）"
    (tmp_path / "jiazheng.toml").write_text(FILLED_CONFIG, encoding="utf-8")
    assert config_path(cwd=tmp_path) == tmp_path / "jiazheng.toml"
    assert load_office_config(config_path(cwd=tmp_path)).reference(2026, 3) == "测应急函〔2026〕3号"
    typo = tmp_path / "typo.toml"
    typo.write_text(FILLED_CONFIG.replace("contact =", "contcat ="), encoding="utf-8")
    with pytest.raises(OfficeConfigError, match="contcat"):
        load_office_config(typo)
    typo.write_text('[numbering]\nformat = "〔{year}〕号"\n', encoding="utf-8")
    with pytest.raises(OfficeConfigError, match="number"):
        load_office_config(typo)


def test_plain_reasons_keep_the_facts_and_drop_the_scoring() -> None:
    lead = {"reasons": [
        "域名仿冒 cx.mem.gov.cn（官方域名片段组合 token_combination：cx+mem）",
        "域名仿冒 cx.mem.gov.cn（更换后缀 suffix_swap：mem 改用 .top）",
        "页面仿冒 cx.mem.gov.cn（含查询表单：查询；照搬官方页面代码：idcard、card-text1；"
        "照搬标志图片：e781813c188181e7（相差 0 位）；页脚冒用主办单位：中华人民共和国应急管理部）",
        "反向语境用语：诈骗（扣减 25 分）",
        "推销概念：保证通过 +25「包过」、不用考试 +25「免考」",
        "含联系方式：phone:13671820954、wechat:yjzs1820",
        "搜索结果摘要：推销概念：保证通过 +25「包过」",
        "TLS 证书问题：expired",
        "拟合权重（2026-12-05）：规则得分 +6.5、不用考试 +1.2；合计 +12.6 → 100 分",
        "页面截图中的二维码为微信联系人：wechat_qr:https://u.wechat.com/MHx7Qp2sLc9VtR4nZa8kEwB",
    ]}
    text = "\n".join(plain_reasons(lead))
    for internal in ("token_combination", "suffix_swap", "card-text1", "e781813c188181e7",
                     "扣减", "+25", "expired", "13671820954", "拟合权重", "wechat_qr"):
        assert internal not in text, internal
    for fact in ("cx.mem.gov.cn", "官方域名片段组合、更换后缀", "「包过」", "「免考」", "诈骗",
                 "中华人民共和国应急管理部", "标志图片", "电话、微信", "已过期", "搜索引擎",
                 "微信二维码 https://u.wechat.com/MHx7Qp2sLc9VtR4nZa8kEwB"):
        assert fact in text, fact
    assert plain_reasons({"reasons": ["+cmd|' /C calc'!A0"]}) == ["+cmd|' /C calc'!A0"]
