"""Who is behind the leads, end to end over the demo web with its DNS, RDAP and WHOIS servers:
a crawl looks every new lead's host up in the background (a timeout or garbage answer recorded,
the crawl unharmed), the export CSV carries the fields, capture and the re-check look the host
up again, each source's raw answers are in the evidence folder and capture.json, the 网信 and
公安 packets name the 接入服务商 / 域名注册商 with their abuse contacts, and ``check`` prints
the quick look."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from crawler.cli.packets import capture_settings
from crawler.demoweb.server import DemoWeb
from crawler.host_lookups import hosting_settings
from crawler.runner import crawl_settings
from leads.evidence.capture import capture_leads
from leads.evidence.folder import CAPTURE_RECORD, HOST_FILES, MANIFEST
from leads.hosting.quick_look import REFERRAL_HEADING
from leads.referral.export import COLUMNS
from leads.referral.packets import LETTER_DOCX, TABLES_XLSX, Packet, build_packet
from leads.store import Store

HOSTED = "www.tezhong-banzheng.com"  # RDAP for the domain and both addresses
CNNIC = "www.anquanyuan-kuaiban.cn"  # .cn: WHOIS, CNNIC's fields
DNS_TIMEOUT = "www.chache-zheng.net"
DNS_GARBAGE = "www.kaozheng-v.top"
CAPTURED = (HOSTED, CNNIC)


def jiazheng(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=900, check=False, env={**os.environ, **(env or {})})


@dataclass
class Crawled:
    db: Path
    csv_rows: dict[str, dict[str, str]]
    captures: dict[str, Path]
    packets: dict[str, Packet | None]
    check_output: str


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    out = tmp_path_factory.mktemp("hosting")
    db = out / "jiazheng.db"
    with DemoWeb() as web:
        overrides = [arg for setting in web.hosting.overrides for arg in ("-s", setting)]
        crawl = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                         "--no-browser", "--max-queries", "4", "-s", "JIAZHENG_MAX_SERP_PAGES=3",
                         *overrides)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        exported = jiazheng("export", "--db", str(db), "--out", str(out / "leads.csv"))
        assert exported.returncode == 0, exported.stderr
        with (out / "leads.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = {row["host"]: row for row in csv.DictReader(handle)}
        store = Store(db)
        # Capture asks again (a TTL of -1: nothing stored is fresh enough).
        hosting = hosting_settings(crawl_settings(overrides=web.hosting.overrides),
                                   with_proxy=False)
        settings = replace(capture_settings(web.proxy_url), hosting=replace(hosting, ttl=-1))
        leads = [lead for lead in store.leads() if lead["host"] in CAPTURED]
        results = capture_leads(store, leads, out / "evidence", settings)
        for lead in store.leads():
            store.set_state(lead["id"], "confirmed", "分析员")
        packets = {agency: build_packet(store, agency, out / "packets")
                   for agency in ("网信", "公安")}
        store.close()
        # The re-check of referred leads asks again (a TTL of 0).
        recheck = jiazheng("recheck", "--db", str(db), "--proxy", web.proxy_url, "--no-delay",
                           *overrides, "-s", "JIAZHENG_HOST_FACTS_TTL=0")
        assert recheck.returncode == 0, recheck.stderr[-3000:]
        checked = jiazheng("check", f"http://{HOSTED}/", "--db", str(out / "check.db"),
                           "--proxy", web.proxy_url, "--no-delay", "--evidence-dir",
                           str(out / "check-evidence"), env=web.hosting.settings)
        assert checked.returncode == 0, checked.stderr[-3000:]
    return Crawled(db, rows, {r.url.split("/")[2]: r.folder for r in results}, packets,
                   checked.stderr)


def test_leads_carry_who_is_behind_them(crawled: Crawled) -> None:
    store = Store(crawled.db)
    try:
        leads = {lead["host"]: lead for lead in store.leads()}
    finally:
        store.close()
    hosted = leads[HOSTED]
    assert hosted["server_ips"] == "203.0.113.10;2001:db8:1000::10"
    assert hosted["network_owner"] == "广州华夏云计算有限公司" and hosted["asn"] == "AS64500"
    assert hosted["registrar"] == "广东金域名网络有限公司"
    assert (hosted["domain_created"], hosted["domain_expires"]) == ("2026-09-18", "2027-09-18")
    assert "abuse@jinyuming.example" in hosted["abuse_contacts"]
    cnnic = leads[CNNIC]
    assert cnnic["registrar"] == "广东金域名网络有限公司" and cnnic["domain_created"] == "2026-09-12"
    # A resolver that never answered and one that answered garbage: signals, and the crawl went on.
    assert "超时未答" in leads[DNS_TIMEOUT]["host_signals"]
    assert "答复无法解析" in leads[DNS_GARBAGE]["host_signals"]
    assert all(leads[host]["host_facts_at"] for host in (HOSTED, CNNIC, DNS_TIMEOUT, DNS_GARBAGE))


def test_export_csv_has_the_host_columns(crawled: Crawled) -> None:
    row = crawled.csv_rows[HOSTED]
    assert list(row)[: len(COLUMNS)] == list(COLUMNS)
    assert row["network_owner"] == "广州华夏云计算有限公司" and row["asn"] == "AS64500"
    assert row["registrar"] == "广东金域名网络有限公司" and row["domain_expires"] == "2027-09-18"
    assert "接入服务商 广州华夏云计算有限公司：abuse@huaxiayun-idc.example" in row["abuse_contacts"]
    assert "DNS 解析" in crawled.csv_rows[DNS_TIMEOUT]["host_signals"]


def test_capture_and_recheck_ask_again_and_keep_each_raw_answer(crawled: Crawled) -> None:
    store = Store(crawled.db)
    try:
        lookups = {row["looked_up_at"] for row in store.db.query(
            "SELECT looked_up_at FROM host_facts WHERE host = ?", [HOSTED])}
    finally:
        store.close()
    assert len(lookups) == 3  # at first sight, again at capture, and at the re-check
    folder = crawled.captures[HOSTED]
    dns = (folder / HOST_FILES["dns"]).read_text(encoding="utf-8")
    assert "# 结果：已查到" in dns and "203.0.113.10" in dns and "NOERROR" in dns
    rdap_ip = (folder / HOST_FILES["rdap_ip"]).read_text(encoding="utf-8")
    assert '"arin_originas0_originautnums": [64500]' in rdap_ip.replace(" ", " ")
    assert "ldhName" in (folder / HOST_FILES["rdap_domain"]).read_text(encoding="utf-8")
    whois = (crawled.captures[CNNIC] / HOST_FILES["whois"]).read_text(encoding="utf-8")
    assert "Sponsoring Registrar: 广东金域名网络有限公司" in whois
    record = json.loads((folder / CAPTURE_RECORD).read_text(encoding="utf-8"))
    facts = record["host_facts"]
    assert facts["fields"]["network_owner"] == "广州华夏云计算有限公司"
    assert {a["source"] for a in facts["answers"]} == {"dns", "rdap_ip", "rdap_domain"}
    assert all(a["raw"] for a in facts["answers"])
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    named = {row["path"] for row in manifest["files"]}
    assert {HOST_FILES["dns"], HOST_FILES["rdap_ip"], HOST_FILES["rdap_domain"]} <= named


def test_packets_name_the_host_and_the_registrar(crawled: Crawled) -> None:
    for agency, packet in crawled.packets.items():
        assert packet is not None, agency
        sheet = load_workbook(packet.folder / TABLES_XLSX)["线索表"]
        headings = [cell.value for cell in sheet[1]]
        column = headings.index(REFERRAL_HEADING)
        cells = {row[headings.index("网址")]: row[column] or ""
                 for row in sheet.iter_rows(min_row=2, values_only=True)}
        hosted = cells[f"http://{HOSTED}/"]
        assert "接入服务商：广州华夏云计算有限公司（AS64500" in hosted, hosted
        assert "域名注册商：广东金域名网络有限公司（注册 2026-09-18，到期 2027-09-18）" in hosted
        assert "abuse@huaxiayun-idc.example" in hosted and "abuse@jinyuming.example" in hosted
        letter = "".join(p.text for p in Document(str(packet.folder / LETTER_DOCX)).paragraphs)
        assert "接入服务商、域名注册商及其滥用投诉联系方式" in letter


def test_check_prints_the_quick_look(crawled: Crawled) -> None:
    flat = "".join(crawled.check_output.split())
    assert f"主机：{HOSTED}" in flat
    assert "接入服务商（IP所属网络）：广州华夏云计算有限公司" in flat
    assert "域名注册商：广东金域名网络有限公司" in flat
