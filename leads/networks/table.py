"""A network as a row for people: the columns of ``jiazheng networks`` (its table and its CSV for
Excel/WPS), times in Beijing time, contacts as an officer reads them (电话 138…)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from leads.judge.observations import BEIJING
from leads.networks.traits import LINK_KINDS

NETWORK_HEADINGS = ("网络编号", "名称", "网站数", "线索数", "网站", "线索编号", "联系方式",
                    "关联依据", "首次发现(北京时间)", "最近发现(北京时间)", "最近变化(北京时间)")
LEAD_HEADINGS = ("线索编号", "网址", "状态", "类别", "评分", "联系方式", "首次发现(北京时间)",
                 "最近发现(北京时间)")
SEPARATOR = "；"


def beijing(timestamp: str) -> str:
    """A stored UTC timestamp as Beijing wall-clock time (``2026-12-05 04:30:00``); "" stays ""."""
    if not timestamp:
        return ""
    return datetime.fromisoformat(timestamp).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def contact_label(contact: str) -> str:
    """``phone:13812345678`` → ``电话 13812345678``; a kind without a label stays as stored."""
    kind, _, value = contact.partition(":")
    return f"{LINK_KINDS[kind].label} {value}" if kind in LINK_KINDS and value else contact


def network_row(network: Mapping[str, Any]) -> tuple[Any, ...]:
    """One network (as ``Store.seller_networks`` gives it) under ``NETWORK_HEADINGS``."""
    return (network["id"], network["label"], network["site_count"], network["lead_count"],
            SEPARATOR.join(network["sites"]),
            SEPARATOR.join(str(lead_id) for lead_id in network["lead_ids"]),
            SEPARATOR.join(contact_label(contact) for contact in network["contacts"]),
            SEPARATOR.join(network["reasons"]), beijing(network["first_seen"]),
            beijing(network["last_seen"]), beijing(network["updated_at"]))


def lead_row(lead: Mapping[str, Any], labels: Mapping[str, str]) -> tuple[Any, ...]:
    """One of a network's leads (``Store.network(...)["leads"]``) under ``LEAD_HEADINGS``; its
    state and category as ``labels`` name them (已确认, 假证广告)."""
    return (lead["id"], lead["url"], labels.get(lead["state"], lead["state"]),
            labels.get(lead["category"], lead["category"]), lead["score"],
            SEPARATOR.join(contact_label(contact) for contact in lead["contacts"]),
            beijing(lead["first_seen"]), beijing(lead["last_seen"]))
