"""What the 移送函 says, as a 公文 (GB/T 9704-2012): 版头, 发文字号, 标题, 主送机关, 正文, 附件说明,
署名, 成文日期 and 附注, then its two 附件 — once, for both renderings (letter_pdf, letter_docx).

The wording is for the receiving office: the count of leads of each kind, the office's legal
basis from jiazheng.toml, what is enclosed and how to verify it, and whatever an officer must know
before acting (sites already gone, leads without evidence, leads nobody has checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leads.hosting.quick_look import REFERRAL_HEADING
from leads.judge.observations import BEIJING
from leads.referral.checksums import CHECKSUMS_TXT
from leads.referral.office_config import OfficeConfig
from leads.store.lifecycle import UNREVIEWED_MARK

TITLE = "关于移送涉嫌假冒安全生产类资格证书网络线索的函"
# The agencies that act on 接入 and 注册 (order a host or registrar to act, or ask them for data).
HOSTING_AGENCIES = ("网信", "公安")
LEADS_ATTACHMENT = "线索表"
CHECKLIST_ATTACHMENT = "电子数据提取固定清单"
# 附件2 on paper: the columns an officer checks a file by; the rest are in the XLSX and CSV.
PRINTED_CHECKLIST_COLUMNS = ("序号", "线索编号", "核实", "文件名", "文件格式", "校验值(SHA-256)",
                             "大小(字节)", "提取时间(北京时间)")


@dataclass(frozen=True)
class Attachment:
    """One 附件: ``rows`` are cards (one per lead, label → value) or a table under headings."""

    number: int
    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[Any]]
    as_cards: bool  # one card per row (附件1) rather than one table (附件2)
    preface: str = ""


@dataclass(frozen=True)
class Letter:
    mark: str  # 发文机关标志 (red, in the 版头)
    reference: str  # 发文字号
    title: str
    addressee: str  # 主送机关
    body: tuple[str, ...]  # paragraphs, each indented two characters when printed
    attachment_note: tuple[str, ...]  # 附件说明 lines: "附件：1. 线索表", "      2. …"
    signature: str  # 发文机关署名
    date: str  # 成文日期
    note: str  # 附注: contact person and phone
    attachments: tuple[Attachment, ...]
    packet_id: str


@dataclass(frozen=True)
class PacketFacts:
    """What the packet holds, as the letter reports it."""

    packet_id: str
    agency: str
    created: datetime
    reference: str
    lead_headings: Sequence[str]
    lead_rows: Sequence[Sequence[Any]]
    checklist_headings: Sequence[str]
    checklist: Sequence[Sequence[Any]]
    categories: Sequence[str]  # each lead's category
    site_down: int
    without_evidence: int
    unreviewed: int


def chinese_date(moment: datetime) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros (2026年12月5日),
    the day in Beijing."""
    day = moment.astimezone(BEIJING)
    return f"{day.year}年{day.month}月{day.day}日"


def compose_letter(office: OfficeConfig, facts: PacketFacts) -> Letter:
    kinds = {"fake_ad": "涉嫌出售假冒证书", "lookalike_site": "涉嫌仿冒证书查询网站"}
    counted = "、".join(f"{label}{facts.categories.count(kind)}条"
                        for kind, label in kinds.items() if kind in facts.categories)
    body = (
        f"我单位在打击假冒安全生产类资格证书工作中，通过互联网监测发现涉嫌出售假证或仿冒证书"
        f"查询网站的网络线索{len(facts.lead_rows)}条（{counted}）。",
        f"{office.basis}现将上述线索移送你单位，请依法核查处理。",
        "线索明细见附件1。" + _hosting_note(facts) + (
            f"电子数据（整页截图、网页原始数据、提取记录）共{len(facts.checklist)}个文件，"
            f"随函以电子文件移送，文件清单及校验值（SHA-256）见附件2。" if facts.checklist
            else "") + f"移送包{facts.packet_id}内全部文件的校验值见“{CHECKSUMS_TXT}”。"
        + _cautions(facts),
        "请将核查处理结果反馈我单位。",
    )
    return Letter(
        mark=office.mark, reference=facts.reference, title=TITLE,
        addressee=office.addressee(facts.agency) + "：", body=body,
        attachment_note=(f"附件：1. {LEADS_ATTACHMENT}", f"　　　2. {CHECKLIST_ATTACHMENT}"),
        signature=office.name, date=chinese_date(facts.created),
        note=f"（联系人：{office.contact}，联系电话：{office.phone}）",
        attachments=(
            Attachment(1, LEADS_ATTACHMENT, facts.lead_headings, facts.lead_rows, True),
            Attachment(2, CHECKLIST_ATTACHMENT, PRINTED_CHECKLIST_COLUMNS,
                       _printed_checklist(facts), False,
                       preface="每个文件的网址、类别和提取方法/工具见线索表.xlsx 的“电子数据提取"
                               "固定清单”工作表和电子数据提取固定清单.csv。")),
        packet_id=facts.packet_id)


def _hosting_note(facts: PacketFacts) -> str:
    """For 网信 and 公安, when the lead table names who hosts or registered a site: say so."""
    if facts.agency not in HOSTING_AGENCIES or REFERRAL_HEADING not in facts.lead_headings:
        return ""
    column = list(facts.lead_headings).index(REFERRAL_HEADING)
    if not any(row[column] for row in facts.lead_rows):
        return ""
    return "附件1列明各网站的接入服务商、域名注册商及其滥用投诉联系方式，供调证及协调处置。"


def _cautions(facts: PacketFacts) -> str:
    """Sentences an officer must read before acting, or ""."""
    notes = []
    if facts.site_down:
        notes.append(f"其中{facts.site_down}条线索的网站在提取证据时已无法访问"
                     f"（证据记录中注明了返回状态）")
    if facts.without_evidence:
        notes.append(f"{facts.without_evidence}条线索未能提取证据，附件中注明“未提取证据”")
    if facts.unreviewed:
        notes.append(f"{facts.unreviewed}条线索尚未经人工核实，附件中注明“{UNREVIEWED_MARK}”，"
                     f"请注意甄别")
    return "；".join(notes) + "。" if notes else ""


def _printed_checklist(facts: PacketFacts) -> list[tuple[Any, ...]]:
    columns = [facts.checklist_headings.index(name) for name in PRINTED_CHECKLIST_COLUMNS]
    return [tuple(row[column] for column in columns) for row in facts.checklist]
