"""Evidence captures and referrals: which leads still need a capture, which go to an agency, the
packets sent and their 文号 (numbered per agency and year). The monthly figures are
statistics.py's."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from leads.store.database import Database
from leads.store.lifecycle import (
    NEVER_REFERRED,
    REFERRAL_SOURCE,
    VETTED_BY,
    StateChange,
    referred_by_packet,
)


class PacketNumber(NamedTuple):
    """A reserved packet: its row (the packet id's sequence) and its 发文字号 year and number."""

    row_id: int
    year: int
    number: int


class ReferralRecords(Database):
    """Captures, packets and referrals."""

    def leads_without_capture(self, min_score: int) -> list[dict[str, Any]]:
        """Leads at or above ``min_score`` with no evidence capture yet, best first. A WeChat
        account (``weixin:`` address) has no page to capture: what was seen of it is its search
        card (``account_cards``)."""
        return list(self.db.query(
            "SELECT id, url, score FROM leads WHERE score >= ? AND url NOT LIKE 'weixin:%' "
            "AND NOT EXISTS "
            "(SELECT 1 FROM captures WHERE captures.lead_id = leads.id) ORDER BY score DESC, id",
            [min_score]))

    def save_capture(self, capture: dict[str, Any], files: list[dict[str, Any]]) -> int:
        """One capture of a lead and every file in its evidence folder, atomically."""
        with self.transaction():
            capture_id = self.db["captures"].insert(capture).last_pk
            self.db["evidence_files"].insert_all(
                {"capture_id": capture_id, **row} for row in files)
        return capture_id

    def latest_captures(self, lead_ids: list[int]) -> dict[int, dict[str, Any]]:
        """The newest capture of each lead (with its ``files``), by lead id."""
        marks = ",".join("?" * len(lead_ids))
        captures = {row["lead_id"]: row for row in self.db.query(
            f"SELECT * FROM captures WHERE id IN (SELECT max(id) FROM captures "
            f"WHERE lead_id IN ({marks}) GROUP BY lead_id)", lead_ids)}
        for capture in captures.values():
            capture["files"] = list(self.db.query(
                "SELECT path, kind, format, sha256, size FROM evidence_files "
                "WHERE capture_id = ? ORDER BY id", [capture["id"]]))
        return captures

    def leads_to_refer(self, agency: str, since: str = "", min_score: int = 0,
                       include_unreviewed: bool = False) -> list[dict[str, Any]]:
        """Leads routed to ``agency``, seen since ``since``, never referred to it yet, that an
        analyst confirmed (``reviewed`` 1) — with ``include_unreviewed`` also those nobody has
        looked at (``reviewed`` 0); never a lead an analyst marked false_positive."""
        sql = """
            SELECT * FROM (
              SELECT leads.*, EXISTS (SELECT 1 FROM lead_events WHERE lead_id = leads.id
                                      AND to_state = :vetted_by) AS reviewed
              FROM leads WHERE score >= :min_score AND last_seen >= :since
                AND state NOT IN (SELECT value FROM json_each(:never))
                AND EXISTS (SELECT 1 FROM json_each(leads.agencies) WHERE value = :agency)
                AND NOT EXISTS (SELECT 1 FROM referrals
                                WHERE referrals.lead_id = leads.id AND referrals.agency = :agency)
            ) WHERE reviewed OR :include_unreviewed
            ORDER BY score DESC, id
        """
        rows = list(self.db.query(sql, {
            "vetted_by": VETTED_BY, "min_score": min_score, "since": since,
            "never": json.dumps(NEVER_REFERRED), "agency": agency,
            "include_unreviewed": int(include_unreviewed)}))
        for row in rows:
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
        return rows

    def record_packet(self, packet: dict[str, Any], lead_ids: list[int]) -> int:
        """A built packet and its referrals; the leads it carries move as the lifecycle's
        referral moves say (``leads.store.lifecycle.REFERRAL_TRANSITIONS``)."""
        at = packet["created_at"]
        with self.transaction():
            if "id" in packet:  # numbered by reserve_packet_number
                packet_pk = packet["id"]
                self.db["packets"].update(packet_pk, packet)
            else:
                packet_pk = self.db["packets"].insert(packet).last_pk
            for lead_id in lead_ids:
                self.db["referrals"].insert({"packet_id": packet_pk, "lead_id": lead_id,
                                             "agency": packet["agency"], "referred_at": at})
                if referred_by_packet(self.db["leads"].get(lead_id)["state"]):
                    self._apply_state_change(
                        StateChange(lead_id, "referred"), "jiazheng packet", REFERRAL_SOURCE, at,
                        event_note=f"移送{packet['agency']}，移送包 {packet['packet_id']}")
        return packet_pk

    def reserve_packet_number(self, agency: str, created_at: str, year: int) -> PacketNumber:
        """A packet row and the next 发文字号 number of ``agency`` in ``year``, taken under the
        write lock, so two packets built at once never share a folder or a number (a unique
        index stands behind it). A run killed before ``record_packet`` leaves its number
        unused, as a skipped 文号 is."""
        with self.transaction():
            [(last,)] = self.db.execute(
                "SELECT coalesce(max(doc_number), 0) FROM packets WHERE agency = ? AND "
                "doc_year = ?", [agency, year]).fetchall()
            row_id = self.db["packets"].insert(
                {"packet_id": "", "agency": agency, "created_at": created_at, "since": "",
                 "folder": "", "zip_path": "", "zip_sha256": "", "lead_count": 0,
                 "doc_year": year, "doc_number": last + 1}).last_pk
        return PacketNumber(int(row_id), year, last + 1)
