"""The figures of the monthly statistics (``jiazheng stats``): leads found, referred and taken down
in a month or up to its end, and the leads a breakdown sorts.

Months are Beijing-time months (Asia/Shanghai, UTC+8 all year): the store's times are UTC, so a
lead first seen 2026-11-30T17:00Z was found on 1 December in Beijing and counts in 2026-12. A lead
an analyst marked false_positive was never found: it counts nowhere.
"""

from __future__ import annotations

import json
from typing import Any

from leads.store.database import Database

NOT_FOUND_STATES = ("false_positive",)


def beijing_month(column: str) -> str:
    """SQL for the Beijing-time month (YYYY-MM) of a stored UTC timestamp column."""
    return f"strftime('%Y-%m', {column}, '+8 hours')"


def in_month(column: str, cumulative: bool) -> str:
    """SQL: ``column`` falls in the month ``:month`` or, ``cumulative``, in or before it."""
    return f"{beijing_month(column)} {'<=' if cumulative else '='} :month"


class StoreStatistics(Database):
    """Counts per Beijing-time month, and up to a month's end (``cumulative``)."""

    def leads_found_in(self, month: str, cumulative: bool = False) -> int:
        """Leads first seen in ``month`` (YYYY-MM), false positives left out."""
        return self.db.execute(
            f"SELECT count(*) FROM leads WHERE {in_month('first_seen', cumulative)} "
            f"AND state NOT IN (SELECT value FROM json_each(:not_found))",
            {"month": month, "not_found": json.dumps(NOT_FOUND_STATES)}).fetchone()[0]

    def referrals_in(self, month: str, cumulative: bool = False) -> dict[str, int]:
        """Leads referred per agency in ``month`` (each lead once per agency)."""
        return {row["agency"]: row["n"] for row in self.db.query(
            f"SELECT agency, count(DISTINCT lead_id) AS n FROM referrals "
            f"WHERE {in_month('referred_at', cumulative)} GROUP BY agency", {"month": month})}

    def taken_down_in(self, month: str, cumulative: bool = False) -> dict[str, int]:
        """Leads that reached ``taken_down`` in ``month``, per category (lifecycle events)."""
        return {row["category"]: row["n"] for row in self.db.query(
            f"SELECT leads.category, count(DISTINCT leads.id) AS n FROM lead_events "
            f"JOIN leads ON leads.id = lead_events.lead_id "
            f"WHERE lead_events.to_state = 'taken_down' "
            f"AND {in_month('lead_events.at', cumulative)} GROUP BY leads.category",
            {"month": month})}

    def leads_found_through(self, month: str) -> list[dict[str, Any]]:
        """Every lead first seen up to the end of ``month`` (false positives left out), with what
        a breakdown sorts it by: ``month`` found (Beijing), category, agencies, contacts, reasons,
        ``engine`` (the search engine that showed it first, "" if none did) and ``found_as``
        (the role of its page: result, link, probe, candidate …), ``platform`` (the post
        platform it was published on, "" for the seller's own site)."""
        sql = f"""
            SELECT leads.id, {beijing_month('leads.first_seen')} AS month, leads.category,
              leads.agencies, leads.contacts, leads.reasons, leads.platform, (
                SELECT engine FROM sightings
                WHERE sightings.url = leads.url
                   OR sightings.url IN (SELECT url FROM pages WHERE final_url = leads.url)
                ORDER BY seen_at, id LIMIT 1
              ) AS engine, (SELECT role FROM pages WHERE pages.id = leads.page_id) AS found_as
            FROM leads WHERE {in_month('leads.first_seen', True)}
              AND state NOT IN (SELECT value FROM json_each(:not_found))
            ORDER BY leads.id
        """
        rows = list(self.db.query(sql, {"month": month,
                                        "not_found": json.dumps(NOT_FOUND_STATES)}))
        for row in rows:
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
            row["engine"] = row["engine"] or ""
        return rows
