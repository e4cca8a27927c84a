"""Lead list as CSV for analysts, under the contract columns ``jiazheng review import`` reads back.

Written by ``leads.referral.tables.write_csv``: UTF-8 with BOM, formula cells neutralised (page
text is written by fraudsters: a title like ``=HYPERLINK(...)`` must stay text in Excel).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keywords.post_platforms import load_post_platforms
from leads.referral.tables import write_csv
from leads.store import Store

HOST_COLUMNS = ("server_ips", "network_owner", "asn", "registrar", "domain_created",
                "domain_expires", "domain_status", "abuse_contacts", "host_signals")

COLUMNS = (
    "lead_id",
    "url",
    "host",
    "registered_domain",
    "category",
    "score",
    "target",
    "contacts",
    "agencies",
    "reasons",
    "source",
    "first_seen",
    "last_seen",
    "title",
    "state",
    "note",
    "parent_url",
    # Added after the contract (review import ignores them): what the seller's phones say, and the
    # filing numbers the page shows (leads/store/migrations.py m010).
    "province",
    "phone_carrier",
    "virtual_phone",
    "page_identifiers",
    # Who is behind the host (leads/hosting/, m011): its addresses, their network's owner and AS,
    # the domain's registrar, dates and status, the abuse contacts, and what the lookup noticed.
    *HOST_COLUMNS,
    # A post or answer on a platform (keywords/post_platforms.toml, m012): the platform's Chinese
    # name and the poster as the page shows them; empty for a page of the seller's own site.
    "platform",
    "poster",
    # A lookalike WeChat account (leads/judge/accounts.py, m013): its name, 微信号 and the official
    # account it imitates; its url is weixin://account/<微信号>. Empty for every other lead.
    "account_name",
    "wechat_id",
    "imitated_official",
)

# Leads no search or link led to: found by their name alone (the page's role when first judged).
FOUND_BY_NAME = {"probe": "probe:官方域名变体探测", "candidate": "watch:域名监测"}


def source_label(source: str) -> str:
    """One ``engine:query`` source as analysts read it: a ``site:`` query names its platform's
    domain first (``site:zhihu.com via baidu:电工证 包过``); a platform's own search is its engine
    (``tieba:电工证 包过``)."""
    engine, _, query = source.partition(":")
    site, _, words = query.partition(" ")
    if site.startswith("site:") and words:
        return f"{site} via {engine}:{words}"
    return source


def platform_name(key: str) -> str:
    """A platform's Chinese name (百度贴吧) from its key in the store; "" for none."""
    if not key:
        return ""
    try:
        return load_post_platforms().named(key).name_zh
    except ValueError:  # a platform since removed from the file: its key says enough
        return key


def platform_text(lead: dict[str, Any]) -> str:
    """Where a post or answer was published, for an officer: "百度贴吧，发帖人 快办老张（ID：…）";
    "" for a page of the seller's own site."""
    name = platform_name(lead.get("platform", ""))
    poster = lead.get("poster", "")
    return f"{name}，发帖人 {poster}" if name and poster else name


def lead_row(lead: dict[str, Any]) -> list[Any]:
    """One store lead as the CSV's cells in COLUMNS order (lists joined with ';', reasons with
    '；'); ``write_csv`` neutralises them."""
    source = ";".join(map(source_label, (lead.get("sources") or "").split(";"))).strip(";")
    if not source and lead.get("parent_url"):
        source = "link:" + lead["parent_url"]
    if not source and lead.get("found_as") in FOUND_BY_NAME:
        source = FOUND_BY_NAME[lead["found_as"]]
    cells = {
        "lead_id": lead["id"],
        "url": lead["url"],
        "host": lead["host"],
        "registered_domain": lead["registered_domain"],
        "category": lead["category"],
        "score": lead["score"],
        "target": lead["target"],
        "contacts": ";".join(lead["contacts"]),
        "agencies": ";".join(lead["agencies"]),
        "reasons": "；".join(lead["reasons"]),
        "source": source,
        "first_seen": lead["first_seen"],
        "last_seen": lead["last_seen"],
        "title": lead["title"],
        "state": lead["state"],
        "note": lead["note"],
        "parent_url": lead["parent_url"],
        "province": lead.get("province", ""),
        "phone_carrier": lead.get("phone_carrier", ""),
        "virtual_phone": "是" if lead.get("virtual_phone") else "",
        "page_identifiers": lead.get("page_identifiers", ""),
        **{column: lead.get(column, "") for column in HOST_COLUMNS},
        "platform": platform_name(lead.get("platform", "")),
        "poster": lead.get("poster", ""),
        **{column: lead.get(column, "") for column in ("account_name", "wechat_id",
                                                        "imitated_official")},
    }
    return [cells[column] for column in COLUMNS]


def export_leads(store: Store, out: Path, min_score: int = 0, province: str = "") -> int:
    """Write every lead scoring at least ``min_score`` to ``out`` — only those whose seller's
    phone is in ``province`` (广东省) when given; returns the row count."""
    leads = (
        lead for lead in store.leads(min_score)
        if not province or lead.get("province") == province
    )
    return write_csv(COLUMNS, (lead_row(lead) for lead in leads), out)


def export_leads_since(store: Store, out: Path, after_run: int) -> int:
    """Write the leads first seen after run ``after_run`` (the nightly "new since last run")."""
    return write_csv(COLUMNS, (lead_row(lead) for lead in store.leads(after_run=after_run)), out)
