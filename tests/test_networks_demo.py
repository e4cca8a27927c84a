"""Seller networks end to end over the demo web: ``jiazheng demo`` writes the demo database, and
``jiazheng networks`` shows one seller behind four sites — three sharing the phone 159 1873 6620,
the fourth a re-branded copy of one of their pages — and nothing else joined (the lookalikes
that copy one official emblem or one kit stay apart). Then the list as JSON and CSV, ``networks
show``, a ``nightly`` that rebuilds the networks, and ``jiazheng packet --network`` referring the
seller as one case (串案)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from crawler.nightly import NightlyConfig, run_nightly
from leads.networks.table import NETWORK_HEADINGS
from leads.referral.packets import LETTER_PDF, TABLES_XLSX
from leads.store import Store

PHONE = "15918736620"
SHARING_THE_PHONE = {"www.huaan-zhiye.com", "www.anquanyuan-baoban.net",
                     "www.tezhongshebei-ban.top"}
TEMPLATE_COPY = "www.chache-nazheng.cc"
SELLER_SITES = SHARING_THE_PHONE | {TEMPLATE_COPY}


def jiazheng(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=900, check=False,
                          env={**os.environ, "COLUMNS": "200"})


@dataclass
class Demo:
    out: Path
    db: Path
    listed: list[dict[str, Any]]
    output: str

    def seller(self) -> dict[str, Any]:
        [network] = [n for n in self.listed if f"共用电话 {PHONE}" in n["reasons"]]
        return network


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    out = tmp_path_factory.mktemp("networks")
    crawled = jiazheng("demo", "--out-dir", str(out))
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    db = out / "jiazheng.db"
    printed = jiazheng("networks", "--db", str(db), "--csv", str(out / "networks.csv"))
    assert printed.returncode == 0, printed.stderr[-3000:]
    listed = jiazheng("networks", "--db", str(db), "--json", "--no-rebuild")
    assert listed.returncode == 0, listed.stderr[-3000:]
    yield Demo(out, db, json.loads(listed.stdout), printed.stderr)


def test_the_demo_database_shows_one_seller_network_of_three_sites_sharing_a_phone(
        demo: Demo) -> None:
    network = demo.seller()
    assert set(network["sites"]) == SELLER_SITES and network["site_count"] == 4
    store = Store(demo.db)
    try:
        shown = store.network(network["id"])
        assert shown is not None
        host_of = {lead["id"]: lead["host"] for lead in shown["leads"]}
        phone_links = [link for link in shown["links"]
                       if link["kind"] == "phone" and link["value"] == PHONE]
        joined = {host_of[i] for link in phone_links
                  for i in (link["lead_id"], link["other_lead_id"])}
        assert joined == SHARING_THE_PHONE  # three sites on three hosts, one phone
        [template] = [link for link in shown["links"] if link["kind"] == "template"]
        assert {host_of[template["lead_id"]], host_of[template["other_lead_id"]]} == {
            "www.tezhongshebei-ban.top", TEMPLATE_COPY}
        assert template["strength"] >= 0.8 and template["reason"].startswith("页面模板相似 0.")
        copy = next(lead for lead in shown["leads"] if lead["host"] == TEMPLATE_COPY)
        assert f"phone:{PHONE}" not in copy["contacts"]  # joined by its template alone
        for lead_id in network["lead_ids"]:
            assert store.network_of_lead(lead_id)["id"] == network["id"]  # type: ignore[index]
    finally:
        store.close()
    assert network["label"] == f"共用电话 {PHONE} · 4 个网站"


def test_no_other_demo_sites_are_joined(demo: Demo) -> None:
    """Lookalikes showing the same official emblem, or built from one short kit, are not one
    seller; every network the demo database holds lies within the seller's four sites."""
    assert all(set(network["sites"]) <= SELLER_SITES for network in demo.listed), demo.listed
    lookalikes = {site.host for site in load_sites() if site.expect == "lookalike_site"}
    assert lookalikes and not lookalikes & {h for n in demo.listed for h in n["sites"]}
    store = Store(demo.db)
    try:  # what keeps them apart: the logo they share is the one cx.mem.gov.cn shows
        emblem = store.official_logos()["cx.mem.gov.cn"]
        showing = {row["host"] for row in store.db.query(
            "SELECT leads.host FROM leads JOIN pages ON pages.id = leads.page_id "
            "WHERE EXISTS (SELECT 1 FROM json_each(pages.logo_hashes) WHERE value IN "
            "(SELECT value FROM json_each(?)))", [json.dumps(emblem)])}
    finally:
        store.close()
    assert len(showing) >= 2 and showing <= lookalikes


def test_the_list_says_sites_contacts_and_when_and_the_csv_opens_in_excel(demo: Demo) -> None:
    network = demo.seller()
    assert f"网络 {network['id']}：共用电话 {PHONE} · 4 个网站" in demo.output
    assert all(host in demo.output for host in SELLER_SITES) and "首次发现" in demo.output
    raw = (demo.out / "networks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (demo.out / "networks.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == NETWORK_HEADINGS
    row = next(row for row in rows if row["网络编号"] == str(network["id"]))
    assert set(row["网站"].split("；")) == SELLER_SITES
    assert f"电话 {PHONE}" in row["联系方式"].split("；") and "微信 cczs_3018" in row["联系方式"]
    assert row["首次发现(北京时间)"][:4] == "2026" and "+" not in row["首次发现(北京时间)"]


def test_networks_show_and_stable_numbers(demo: Demo) -> None:
    network = demo.seller()
    again = jiazheng("networks", "--db", str(demo.db), "--json")
    assert again.returncode == 0 and [n["id"] for n in json.loads(again.stdout)] == [
        n["id"] for n in demo.listed]  # a rebuild of the same leads keeps every number
    shown = jiazheng("networks", "show", str(network["id"]), "--db", str(demo.db))
    assert shown.returncode == 0, shown.stderr
    assert f"共用电话 {PHONE}" in shown.stderr and "页面模板相似 0." in shown.stderr
    assert "http://www.chache-nazheng.cc/" in shown.stderr and "假证广告" in shown.stderr
    as_json = json.loads(jiazheng("networks", "show", str(network["id"]), "--db",
                                  str(demo.db), "--json").stdout)
    assert {lead["host"] for lead in as_json["leads"]} == SELLER_SITES
    missing = jiazheng("networks", "show", "9999", "--db", str(demo.db))
    assert missing.returncode == 2 and "没有编号为 9999 的卖家网络" in missing.stderr


def test_a_packet_refers_the_network_as_one_case(demo: Demo) -> None:
    network = demo.seller()
    args = ("packet", "--agency", "公安", "--network", str(network["id"]), "--no-capture",
            "--db", str(demo.db), "--out", str(demo.out / "packets"))
    waiting = jiazheng(*args)
    assert waiting.returncode == 0 and "另有 4 条线索尚未核实" in waiting.stderr
    store = Store(demo.db)
    try:
        for lead_id in network["lead_ids"]:
            store.set_state(lead_id, "confirmed", "分析员")
    finally:
        store.close()
    built = jiazheng(*args)
    assert built.returncode == 0, built.stderr
    assert "移送包 JZ-" in built.stderr and "4 条线索" in built.stderr
    [folder] = [path for path in (demo.out / "packets").iterdir() if path.is_dir()]
    letter = "".join(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8",
                                     str(folder / LETTER_PDF), "-"], capture_output=True,
                                    text=True, check=True).stdout.split())
    assert "串案" in letter and f"共用电话{PHONE}" in letter and "系同一卖家经营" in letter
    assert all(host in letter for host in SELLER_SITES)
    sheet = load_workbook(folder / TABLES_XLSX)["线索表"]
    headings = [cell.value for cell in sheet[1]]
    ids = {sheet.cell(row=r, column=headings.index("线索编号") + 1).value
           for r in range(2, sheet.max_row + 1)}
    assert ids == set(network["lead_ids"])
    unknown = jiazheng("packet", "--agency", "公安", "--network", "9999", "--no-capture",
                       "--db", str(demo.db), "--out", str(demo.out / "packets"))
    assert unknown.returncode == 2 and "没有编号为 9999 的卖家网络" in unknown.stderr


def test_nightly_rebuilds_the_networks(tmp_path: Path) -> None:
    with DemoWeb() as web:
        report = run_nightly(NightlyConfig(
            db=str(tmp_path / "j.db"), out_dir=tmp_path / "out", proxy=web.proxy_url,
            max_queries=12, no_delay=True, overrides=("JIAZHENG_MAX_SERP_PAGES=3",),
            capture=False))
    assert report.networks["networks"] >= 1 and report.networks["leads"] >= 4
    store = Store(tmp_path / "j.db")
    try:
        assert any(set(n["sites"]) == SELLER_SITES for n in store.seller_networks())
    finally:
        store.close()
    saved = json.loads(next((tmp_path / "out").glob("nightly-*.json")).read_text())
    assert saved["networks"] == report.networks
