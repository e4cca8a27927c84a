"""Who is behind each lead host, as looked up (leads/hosting/): every source's answer kept raw in
``host_facts``, one lookup a ``looked_up_at``, and the lead columns its latest lookup fills.

A host asked again within the lookup TTL is answered from here (``host_facts_fresh``), so a host
seen again, captured or re-checked within it does not ask the registries twice; and a lead
written after its host was looked up takes the host's fields (``share_host_facts``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from leads.store.database import Database, json_text

# The lead columns a host lookup fills (m011), host_facts_at last.
HOST_LEAD_COLUMNS = ("server_ips", "network_owner", "asn", "registrar", "domain_created",
                     "domain_expires", "domain_status", "abuse_contacts", "host_signals",
                     "host_facts_at")


class HostFactsRecords(Database):
    """Host lookups: their answers, freshness, and the lead columns they fill."""

    def host_facts_fresh(self, host: str, ttl_seconds: float) -> bool:
        """Whether ``host`` was looked up within the last ``ttl_seconds``."""
        since = (datetime.now(UTC) - timedelta(seconds=ttl_seconds)).isoformat(timespec="seconds")
        return bool(list(self.db.query(
            "SELECT 1 FROM host_facts WHERE host = ? AND looked_up_at >= ? LIMIT 1",
            [host, since])))

    def save_host_facts(self, host: str, looked_up_at: str, answers: list[dict[str, Any]],
                        lead_fields: dict[str, str]) -> None:
        """One lookup's answers, and its fields on every lead of ``host``, atomically."""
        with self.transaction():
            self.db["host_facts"].insert_all(
                {"host": host, "looked_up_at": looked_up_at, **answer,
                 "fields": json_text(answer["fields"])} for answer in answers)
            self.db.execute(
                "UPDATE leads SET " + ", ".join(f"{name} = ?" for name in lead_fields)
                + ", host_facts_at = ? WHERE host = ?",
                [*lead_fields.values(), looked_up_at, host])

    def share_host_facts(self) -> int:
        """Leads written after their host's lookup (another page of a host already looked up)
        take the fields of the host's latest looked-up lead; the number of leads filled."""
        columns = ", ".join(HOST_LEAD_COLUMNS)
        with self.transaction():
            return self.db.execute(f"""
                UPDATE leads SET ({columns}) = (
                    SELECT {columns} FROM leads AS done WHERE done.host = leads.host
                      AND done.host_facts_at != '' ORDER BY done.host_facts_at DESC LIMIT 1)
                WHERE host_facts_at = '' AND host != '' AND EXISTS (
                    SELECT 1 FROM leads AS done WHERE done.host = leads.host
                      AND done.host_facts_at != '')""").rowcount

    def latest_host_facts(self, host: str) -> list[dict[str, Any]]:
        """The answers of the latest lookup of ``host`` (``fields`` as a dict); [] if never."""
        rows = list(self.db.query(
            "SELECT * FROM host_facts WHERE host = ? AND looked_up_at = (SELECT max(looked_up_at)"
            " FROM host_facts WHERE host = ?) ORDER BY id", [host, host]))
        for row in rows:
            row["fields"] = json.loads(row["fields"] or "{}")
        return rows
