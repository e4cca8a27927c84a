"""Referral packets: everything one agency needs to act on the leads routed to it.

A packet folder ``JZ-YYYYMMDD-NNNN`` holds the 移送函 — a 公文 with its 发文字号, numbered per
agency and year, and the lead table and 电子数据提取固定清单 as its 附件 — as PDF
(``线索移送函.pdf``) and as DOCX to edit and stamp (``线索移送函.docx``), the same tables as XLSX
(``线索表.xlsx``), the 清单 as CSV, each lead's evidence folder (copied, every SHA-256 checked
against the store) and ``校验值清单.txt``, the SHA-256 of every one of those files;
``JZ-….zip`` next to it holds it all. The office's name, addressees, basis and contact come from
jiazheng.toml (``office_config``). Its leads are recorded as referred to that agency, so the
next packet for the agency does not repeat them. A lead without evidence is listed as such
(``jiazheng packet`` captures missing evidence first unless told not to).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from keywords import load_library
from leads.evidence.folder import CAPTURE_RECORD, sha256_file
from leads.evidence.record import OUTCOMES
from leads.hosting.quick_look import REFERRAL_HEADING, referral_text
from leads.judge.accounts import shown_address
from leads.judge.observations import BEIJING
from leads.judge.verdict import LEAD_THRESHOLD
from leads.networks import case_paragraph
from leads.outputs import atomic_file, atomic_folder, exclusive
from leads.referral.checksums import write_checksums
from leads.referral.export import platform_text
from leads.referral.letter import PacketFacts, compose_letter
from leads.referral.letter_docx import write_letter_docx
from leads.referral.letter_pdf import write_letter_pdf
from leads.referral.office_config import OfficeConfig
from leads.referral.plain_reasons import contact_text, plain_reasons, suspicion
from leads.referral.tables import beijing_time, write_csv, write_xlsx
from leads.store import Store
from leads.store.lifecycle import REVIEWED_MARK, UNREVIEWED_MARK

LETTER_PDF = "线索移送函.pdf"
LETTER_DOCX = "线索移送函.docx"
TABLES_XLSX = "线索表.xlsx"
CHECKLIST_CSV = "电子数据提取固定清单.csv"
EVIDENCE_DIR = "证据"
CATEGORY_NAMES = {"fake_ad": "假证广告", "lookalike_site": "仿冒查询网站",
                  "lookalike_account": "仿冒公众号"}
NO_EVIDENCE = "未提取证据"
PLATFORM_HEADING = "发布平台及发帖人"  # a post or answer on a platform (post_platforms.toml)
# How long a packet waits for another packet of the same agency being built, then fails clearly.
PACKET_LOCK_WAIT = 600.0
LEAD_HEADINGS = ("序号", "线索编号", "网址", "类别", "涉嫌情形", "核实", "评分", "仿冒对象",
                 "联系方式", "判定理由", "页面标题", "首次发现(北京时间)", "最近发现(北京时间)",
                 "证据状态", "证据目录", REFERRAL_HEADING, PLATFORM_HEADING)
CHECKLIST_HEADINGS = ("序号", "线索编号", "核实", "网址", "类别", "文件名", "文件格式",
                      "校验值(SHA-256)", "大小(字节)", "提取时间(北京时间)", "提取方法/工具")


class PacketError(RuntimeError):
    """The packet cannot be built (unknown agency, evidence changed since capture …)."""


@dataclass(frozen=True)
class Packet:
    packet_id: str
    agency: str
    folder: Path
    zip_path: Path
    zip_sha256: str
    lead_ids: tuple[int, ...]
    without_evidence: tuple[int, ...]  # leads listed with 未提取证据
    site_down: tuple[int, ...]  # leads whose capture found the site gone
    unreviewed: tuple[int, ...] = ()  # leads no analyst confirmed (--include-unreviewed): 未核实
    reference: str = ""  # the letter's 发文字号, e.g. ×应急函〔2026〕3号


def check_agency(agency: str) -> None:
    agencies = load_library().routing.agency_order
    if agency not in agencies:
        raise PacketError(f"未知的移送部门 {agency!r}，可选：{'、'.join(agencies)}")


def packet_leads(store: Store, agency: str, selection: tuple[str, int, bool],
               network: int | None) -> list[dict[str, Any]]:
    """The leads a packet takes: those routed to ``agency``, or one seller network's, all of
    them as one case (``Store.network_leads_to_refer``)."""
    if network is None:
        return store.leads_to_refer(agency, *selection)
    return store.network_leads_to_refer(network, agency, *selection)


def leads_without_evidence(store: Store, agency: str, since: str = "",
                           min_score: int = LEAD_THRESHOLD,
                           include_unreviewed: bool = False,
                           network: int | None = None) -> list[dict[str, Any]]:
    """Leads the next packet for ``agency`` would hold that have no capture yet."""
    leads = packet_leads(store, agency, (since, min_score, include_unreviewed), network)
    captured = store.latest_captures([lead["id"] for lead in leads])
    return [lead for lead in leads if lead["id"] not in captured]


def build_packet(store: Store, agency: str, out_dir: Path, since: str = "",
                 min_score: int = LEAD_THRESHOLD, now: datetime | None = None,
                 include_unreviewed: bool = False,
                 office: OfficeConfig | None = None,
                 network: int | None = None) -> Packet | None:
    """Build the next packet for ``agency`` from the leads analysts confirmed (and, with
    ``include_unreviewed``, those nobody looked at, marked 未核实) and mark them referred; None
    if no lead is left to refer. ``office``: jiazheng.toml's settings (placeholders if None).
    ``network``: refer that seller network's leads as one case (串案), its letter saying why."""
    check_agency(agency)
    # Two packets for one agency at once would pick the same leads: the second waits.
    busy = PacketError(f"另一个移送{agency}的移送包正在生成，请稍后重试")
    with exclusive(Path(f"{store.path}.packet-{agency}.lock"), busy, PACKET_LOCK_WAIT):
        return _build(store, agency, out_dir, (since, min_score, include_unreviewed),
                      now or datetime.now(UTC), office or OfficeConfig(), network)


def _build(store: Store, agency: str, out_dir: Path, selection: tuple[str, int, bool],
           now: datetime, office: OfficeConfig, network: int | None = None) -> Packet | None:
    leads = packet_leads(store, agency, selection, network)
    if not leads:
        return None
    case = "" if network is None else case_paragraph(store.network(network), len(leads))
    since = selection[0]
    created_at = now.isoformat(timespec="seconds")
    number = store.reserve_packet_number(agency, created_at, now.astimezone(BEIJING).year)
    packet_id = f"JZ-{now.astimezone(BEIJING):%Y%m%d}-{number.row_id:04d}"
    reference = office.reference(number.year, number.number)
    folder = out_dir / packet_id
    with atomic_folder(folder) as building:
        zip_path, down, missing = _fill(store, building, (packet_id, agency, now, reference),
                                        leads, office, case)
    zip_sha256 = sha256_file(zip_path)
    ids = tuple(lead["id"] for lead in leads)
    store.record_packet({
        "id": number.row_id, "packet_id": packet_id, "agency": agency,
        "created_at": created_at, "since": since, "folder": str(folder.resolve()),
        "zip_path": str(zip_path.resolve()), "zip_sha256": zip_sha256, "lead_count": len(ids),
        "reference": reference, "network_id": network or 0}, list(ids))
    unreviewed = tuple(lead["id"] for lead in leads if not lead["reviewed"])
    return Packet(packet_id, agency, folder, zip_path, zip_sha256, ids, missing, down,
                  unreviewed, reference)


def _fill(store: Store, folder: Path, header: tuple[str, str, datetime, str],
          leads: list[dict[str, Any]], office: OfficeConfig,
          case: str = "") -> tuple[Path, tuple[int, ...], tuple[int, ...]]:
    """Write the packet's files into ``folder`` (still under its building name), its hash list
    last, and its zip next to where the folder will be: (zip path, leads whose site was down,
    leads without evidence). ``header``: the packet's id, agency, time and 文号; ``case``: the
    串案 paragraph of a network's packet, said right after the count of leads."""
    captures = store.latest_captures([lead["id"] for lead in leads])
    evidence = {lead["id"]: _copy_evidence(captures.get(lead["id"]), folder)
                for lead in leads}
    checklist = [row for lead in leads for row in _checklist_rows(lead, evidence[lead["id"]])]
    checklist = [(index, *row) for index, row in enumerate(checklist, 1)]
    lead_rows = [_lead_row(index, lead, captures.get(lead["id"]), evidence[lead["id"]])
                 for index, lead in enumerate(leads, 1)]
    down = tuple(lead["id"] for lead in leads
                 if captures.get(lead["id"], {}).get("outcome") == "site_down")
    missing = tuple(lead["id"] for lead in leads if lead["id"] not in captures)
    packet_id, agency, now, reference = header
    letter = compose_letter(office, PacketFacts(
        packet_id, agency, now, reference, LEAD_HEADINGS, lead_rows, CHECKLIST_HEADINGS,
        checklist, [lead["category"] for lead in leads], site_down=len(down),
        without_evidence=len(missing), unreviewed=sum(not lead["reviewed"] for lead in leads)))
    if case:
        letter = replace(letter, body=(letter.body[0], case, *letter.body[1:]))
    write_letter_pdf(letter, folder / LETTER_PDF)
    write_letter_docx(letter, folder / LETTER_DOCX)
    write_xlsx([("线索表", LEAD_HEADINGS, lead_rows),
                ("电子数据提取固定清单", CHECKLIST_HEADINGS, checklist)], folder / TABLES_XLSX)
    write_csv(CHECKLIST_HEADINGS, checklist, folder / CHECKLIST_CSV)
    write_checksums(folder)
    return _zip(folder, packet_id), down, missing


@dataclass(frozen=True)
class _Evidence:
    folder: str  # relative to the packet, "" without evidence
    files: list[dict[str, Any]]
    record: dict[str, Any]  # capture.json


def _copy_evidence(capture: dict[str, Any] | None, packet: Path) -> _Evidence:
    """Copy a capture's folder into the packet; every copied file must match its stored hash."""
    if capture is None:
        return _Evidence("", [], {})
    source = Path(capture["folder"])
    target = packet / EVIDENCE_DIR / source.name
    if not source.is_dir():
        raise PacketError(f"线索 {capture['lead_id']} 的证据目录 {source} 不存在")
    target.mkdir(parents=True)
    for row in capture["files"]:
        copied = target / row["path"]
        shutil.copyfile(source / row["path"], copied)
        if sha256_file(copied) != row["sha256"]:
            raise PacketError(f"证据文件 {source / row['path']} 的 SHA-256 与提取时记录的不一致，"
                              f"可能已被改动，请核查后重新提取")
    record = json.loads((target / CAPTURE_RECORD).read_text(encoding="utf-8"))
    return _Evidence(f"{EVIDENCE_DIR}/{source.name}", capture["files"], record)


def review_mark(lead: dict[str, Any]) -> str:
    """已核实 for a lead an analyst confirmed, 未核实 for one referred with --include-unreviewed."""
    return REVIEWED_MARK if lead["reviewed"] else UNREVIEWED_MARK


def _method(record: dict[str, Any]) -> str:
    tool = record.get("tool", {})
    return (f"jiazheng {tool.get('jiazheng', '')} 以 Chromium {tool.get('chromium', '')}"
            f"（Playwright {tool.get('playwright', '')}）自动提取；步骤与参数见 {CAPTURE_RECORD}")


def _checklist_rows(lead: dict[str, Any], evidence: _Evidence) -> list[tuple[Any, ...]]:
    return [(lead["id"], review_mark(lead), shown_address(lead), row["kind"],
             f"{evidence.folder}/{row['path']}",
             row["format"], row["sha256"], row["size"],
             evidence.record.get("captured_at_beijing", ""), _method(evidence.record))
            for row in evidence.files]


def _lead_row(index: int, lead: dict[str, Any], capture: dict[str, Any] | None,
              evidence: _Evidence) -> tuple[Any, ...]:
    state = NO_EVIDENCE
    if capture is not None:
        state = OUTCOMES.get(capture["outcome"], capture["outcome"])
        if capture["error"]:
            state += f"（{capture['error']}）"
    return (index, lead["id"], shown_address(lead),
            CATEGORY_NAMES.get(lead["category"], lead["category"]),
            suspicion(lead["category"]), review_mark(lead), lead["score"], lead["target"],
            "\n".join(contact_text(contact) for contact in lead["contacts"]),
            "\n".join(plain_reasons(lead)), lead["title"],
            beijing_time(lead["first_seen"]) or "", beijing_time(lead["last_seen"]) or "", state,
            evidence.folder, referral_text(lead), platform_text(lead))


def _zip(folder: Path, packet_id: str) -> Path:
    """``<packet_id>.zip`` beside ``folder``, its entries under ``<packet_id>/``."""
    zip_path = folder.with_name(packet_id + ".zip")
    with atomic_file(zip_path) as building, zipfile.ZipFile(
            building, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, f"{packet_id}/{path.relative_to(folder).as_posix()}")
    return zip_path
