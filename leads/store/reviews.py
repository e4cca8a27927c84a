"""Leads as analysts see them, and every decision about one: state moves go through the lifecycle
table (leads/store/lifecycle.py) and are recorded with who, when, why and from where."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from leads.judge.observations import utc_now
from leads.store.database import Database
from leads.store.lifecycle import LifecycleError, StateChange, transition


class LeadReviews(Database):
    """Reading leads and moving them through their lifecycle."""

    def lead_id(self, url: str) -> int | None:
        row = self.db.execute("SELECT id FROM leads WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def leads(self, min_score: int = 0, after_run: int = 0) -> Iterator[dict[str, Any]]:
        """Leads with their search sources, best first; JSON columns decoded. ``after_run``:
        only leads first seen by a later run."""
        sql = """
            SELECT leads.*, (
                SELECT group_concat(src, ';') FROM (
                    SELECT DISTINCT engine || ':' || query AS src FROM sightings
                    WHERE sightings.url = leads.url
                       OR sightings.url IN (SELECT url FROM pages WHERE final_url = leads.url)
                    ORDER BY src)
            ) AS sources, (SELECT role FROM pages WHERE pages.id = leads.page_id) AS found_as
            FROM leads WHERE score >= ? AND first_run_id > ? ORDER BY score DESC, id
        """
        for row in self.db.query(sql, [min_score, after_run]):
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
            row["signals"] = json.loads(row["signals"] or "{}")
            yield row

    def count(self, table: str, where: str = "", params: list[Any] | None = None) -> int:
        return self.db[table].count_where(where or "1", params or [])

    def set_state(self, lead_id: int, state: str, who: str, note: str | None = None,
                  source: str = "manual") -> None:
        """Move one lead, if ``leads.store.lifecycle`` allows it, and record who, when and why."""
        self.apply_state_changes([StateChange(lead_id, state, note)], who, source)

    def apply_state_changes(self, changes: list[StateChange], who: str, source: str) -> int:
        """Apply every change or none, in one transaction. Each move is checked against the state
        stored now: a re-check or another analyst may have moved the lead since it was read."""
        at = utc_now()
        with self.transaction():
            for change in changes:
                self._apply_state_change(change, who, source, at)
        return len(changes)

    def _apply_state_change(self, change: StateChange, who: str, source: str, at: str,
                            event_note: str | None = None) -> None:
        """One move checked against the lifecycle table and recorded as a lead event (whose
        note is ``event_note`` when given, else the change's note)."""
        row = self.db.execute("SELECT state, note, state_changed_at FROM leads WHERE id = ?",
                              [change.lead_id]).fetchone()
        if row is None:
            raise LifecycleError(f"没有编号为 {change.lead_id} 的线索")
        current, note, changed_at = row
        transition(current, change.state, source)
        self.db.execute(
            "UPDATE leads SET state = ?, note = ?, state_changed_at = ? WHERE id = ?",
            [change.state, note if change.note is None else change.note,
             changed_at if change.state == current else at, change.lead_id])
        self.db.execute(
            "INSERT INTO lead_events (lead_id, at, who, from_state, to_state, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [change.lead_id, at, who, current, change.state,
             change.note or "" if event_note is None else event_note, source])

    def lead_events(self, lead_id: int) -> list[dict[str, Any]]:
        """Every move of one lead, oldest first."""
        return list(self.db["lead_events"].rows_where("lead_id = ?", [lead_id], order_by="id"))

    def lead_states(self) -> dict[int, dict[str, Any]]:
        """Each lead's state and note, with when and by whom the state was last set."""
        sql = """
            SELECT id, state, note, state_changed_at, (
                SELECT who FROM lead_events
                WHERE lead_id = leads.id AND from_state != to_state
                ORDER BY lead_events.id DESC LIMIT 1) AS state_changed_by
            FROM leads
        """
        return {row["id"]: row for row in self.db.query(sql)}

    def rechecks(self, lead_id: int) -> list[dict[str, Any]]:
        return list(self.db["rechecks"].rows_where("lead_id = ?", [lead_id], order_by="id"))

    def days_to_takedown(self) -> dict[str, float]:
        """Per agency, the mean days from referral to the first re-check that found it gone."""
        rows = self.db.execute("""
            SELECT referrals.agency, avg(julianday(gone.at) - julianday(referrals.referred_at))
            FROM referrals JOIN (
                SELECT lead_id, min(at) AS at FROM lead_events
                WHERE to_state = 'taken_down' GROUP BY lead_id
            ) AS gone ON gone.lead_id = referrals.lead_id
            GROUP BY referrals.agency ORDER BY referrals.agency""")
        return {agency: round(days, 2) for agency, days in rows}
