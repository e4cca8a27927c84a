"""Lead list as CSV for analysts: UTF-8 with BOM (Excel shows Chinese), formula cells neutralised.

Page text is written by fraudsters: a title like ``=HYPERLINK(...)`` must stay text in Excel, so
every cell that starts with a formula trigger gets a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from leads.outputs import atomic_file
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
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> str:
    """A cell Excel will never evaluate: formula triggers get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# Leads no search or link led to: found by their name alone (the page's role when first judged).
FOUND_BY_NAME = {"probe": "probe:官方域名变体探测", "candidate": "watch:域名监测"}


def lead_row(lead: dict[str, Any]) -> dict[str, str]:
    """One store lead as the CSV's columns (lists joined with ';', reasons with '；')."""
    source = lead.get("sources") or ""
    if not source and lead.get("parent_url"):
        source = "link:" + lead["parent_url"]
    if not source and lead.get("found_as") in FOUND_BY_NAME:
        source = FOUND_BY_NAME[lead["found_as"]]
    row = {
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
    }
    return {key: neutralise(value) for key, value in row.items()}


def write_csv(rows: Iterable[dict[str, str]], out: Path) -> int:
    """Write rows under COLUMNS, whole or not at all; returns how many rows were written."""
    count = 0
    with atomic_file(out) as building, building.open("w", encoding="utf-8-sig",
                                                     newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def export_leads(store: Store, out: Path, min_score: int = 0) -> int:
    """Write every lead scoring at least ``min_score`` to ``out``; returns the row count."""
    return write_csv((lead_row(lead) for lead in store.leads(min_score)), out)


def export_leads_since(store: Store, out: Path, after_run: int) -> int:
    """Write the leads first seen after run ``after_run`` (the nightly "new since last run")."""
    return write_csv((lead_row(lead) for lead in store.leads(after_run=after_run)), out)
