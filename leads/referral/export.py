"""Lead list as CSV for analysts, under the contract columns ``jiazheng review import`` reads back.

Written by ``leads.referral.tables.write_csv``: UTF-8 with BOM, formula cells neutralised (page
text is written by fraudsters: a title like ``=HYPERLINK(...)`` must stay text in Excel).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leads.referral.tables import write_csv
from leads.store import Store

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
)

# Leads no search or link led to: found by their name alone (the page's role when first judged).
FOUND_BY_NAME = {"probe": "probe:官方域名变体探测", "candidate": "watch:域名监测"}


def lead_row(lead: dict[str, Any]) -> list[Any]:
    """One store lead as the CSV's cells in COLUMNS order (lists joined with ';', reasons with
    '；'); ``write_csv`` neutralises them."""
    source = lead.get("sources") or ""
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
