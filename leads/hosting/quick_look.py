"""What a host lookup says, in the Chinese lines an officer reads: ``jiazheng whois`` and
``check`` print them, the referral packet's lead table carries the short form
(``referral_text``: 接入服务商 / 域名注册商 with their abuse contacts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leads.hosting.answers import OUTCOMES, SOURCE_NAMES, SourceAnswer
from leads.hosting.host_facts import lead_fields
from leads.judge.observations import BEIJING

REFERRAL_HEADING = "接入服务商 / 域名注册商"
# The lead columns a lookup fills, with the label each is shown under.
FIELD_LABELS = (
    ("server_ips", "服务器 IP"),
    ("network_owner", "接入服务商（IP 所属网络）"),
    ("asn", "自治系统号（AS）"),
    ("registrar", "域名注册商"),
    ("domain_created", "域名注册日期"),
    ("domain_expires", "域名到期日期"),
    ("domain_status", "域名状态"),
    ("abuse_contacts", "滥用投诉联系方式"),
    ("host_signals", "查询提示"),
)
DNS_TYPES = ("A", "AAAA", "CNAME", "NS", "MX")


def beijing_clock(utc_text: str) -> str:
    """A stored UTC time as Beijing wall-clock time (2026-12-05 04:20:11)."""
    try:
        return datetime.fromisoformat(utc_text).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return utc_text


def quick_look(host: str, looked_up_at: str, answers: list[SourceAnswer]) -> list[str]:
    """The officer's quick look at one host: every field, then each source's outcome."""
    if not answers:
        return [f"主机：{host}", "尚未查询（未配置 DNS 解析服务器，或查询尚未完成）"]
    fields = lead_fields(answers)
    lines = [f"主机：{host}（查询时间：北京时间 {beijing_clock(looked_up_at)}）"]
    dns = next((a for a in answers if a.source == "dns"), None)
    if dns is not None:
        records = "；".join(f"{kind} {'、'.join(dns.fields[kind])}" for kind in DNS_TYPES
                           if dns.fields.get(kind))
        lines.append(f"DNS 记录：{records or '无'}")
    lines += [f"{label}：{fields[name].replace(';', '、')}" for name, label in FIELD_LABELS
              if fields[name]]
    for answer in answers:
        if answer.source == "rdap_ip" and answer.outcome == "ok":
            network = answer.fields
            lines.append(f"IP {answer.subject} 所属网络：{network.get('network', '')}"
                         f"（{network.get('range', '')}，{network.get('country', '')}）")
    lines.append("查询来源：")
    lines += [f"  {SOURCE_NAMES[a.source]} {a.subject}：{OUTCOMES[a.outcome]}"
              + (f"（{a.detail}）" if a.detail else "") + (f" ← {a.server}" if a.server else "")
              for a in answers]
    return lines


def referral_text(lead: dict[str, Any]) -> str:
    """The packet's 接入服务商 / 域名注册商 cell from a lead's columns ("" before any lookup)."""
    lines = []
    if lead.get("network_owner"):
        lines.append(f"接入服务商：{lead['network_owner']}"
                     f"（{lead.get('asn', '') or 'AS 未知'}，IP {lead.get('server_ips', '')}）")
    elif lead.get("server_ips"):
        lines.append(f"服务器 IP：{lead['server_ips']}（所属网络未查到）")
    if lead.get("registrar"):
        lines.append(f"域名注册商：{lead['registrar']}（注册 {lead.get('domain_created', '')}，"
                     f"到期 {lead.get('domain_expires', '')}）")
    if lead.get("abuse_contacts"):
        lines.append(f"滥用投诉：{lead['abuse_contacts']}")
    return "\n".join(lines)
