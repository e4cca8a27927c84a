"""Seller networks in the store: reading what grouping needs, writing what it found, and the
queries the CLI, the review pages and packets read (``networks``, ``network_links``, m015).

``rebuild_networks`` reads every lead an analyst has not marked 误报 (its contacts, its page's
text and logo hashes) and what the official platforms' own pages show (their contacts, logos and
texts: never a seller's), groups them with ``leads.networks`` (pure), keeps each network's number
by ``leads.networks.stable_ids`` and replaces both tables in one transaction. It runs at the end
of ``nightly`` and with ``jiazheng networks``; a reader never sees half a rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from keywords import load_library
from leads.judge.contacts import extract_contacts
from leads.judge.domains import is_official_host
from leads.judge.observations import utc_now
from leads.networks import (
    LeadTraits,
    Network,
    PublicTraits,
    carried_numbers,
    group_networks,
    parse_logo,
    shared_contacts,
    shared_logos,
)
from leads.store.database import Database, json_text
from leads.store.lifecycle import NEVER_REFERRED, VETTED_BY

JSON_COLUMNS = ("lead_ids", "sites", "contacts", "reasons")


@dataclass(frozen=True)
class NetworksRebuilt:
    """What one rebuild found: networks, the leads in them, numbers new and retired."""

    networks: int
    leads: int
    new: int
    retired: int


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for column in JSON_COLUMNS:
        row[column] = json.loads(row[column])
    return row


class NetworkRecords(Database):
    """Seller networks: the rebuild and its readers."""

    def seller_networks(self) -> list[dict[str, Any]]:
        """Every network, largest first: its row with ``lead_ids``, ``sites``, ``contacts`` and
        ``reasons`` decoded."""
        return [_decoded(row) for row in self.db.query(
            "SELECT * FROM networks ORDER BY site_count DESC, lead_count DESC, id")]

    def network(self, network_id: int) -> dict[str, Any] | None:
        """One network with its ``leads`` (id, url, host, state, category, score, title,
        contacts, first/last seen) and ``links`` (each with its ``reason``); None if unknown."""
        rows = list(self.db.query("SELECT * FROM networks WHERE id = ?", [network_id]))
        if not rows:
            return None
        network = _decoded(rows[0])
        network["leads"] = list(self.db.query(
            "SELECT id, url, host, state, category, score, title, contacts, first_seen, "
            "last_seen FROM leads WHERE id IN (SELECT value FROM json_each(?)) "
            "ORDER BY first_seen, id", [json_text(network["lead_ids"])]))
        for lead in network["leads"]:
            lead["contacts"] = json.loads(lead["contacts"] or "[]")
        network["links"] = list(self.db.query(
            "SELECT lead_id, other_lead_id, kind, value, strength, reason FROM network_links "
            "WHERE network_id = ? ORDER BY id", [network_id]))
        return network

    def network_of_lead(self, lead_id: int) -> dict[str, Any] | None:
        """The network a lead belongs to (its row, as ``seller_networks`` gives it), or None."""
        rows = list(self.db.query(
            "SELECT * FROM networks WHERE id IN (SELECT network_id FROM network_links "
            "WHERE lead_id = ?1 OR other_lead_id = ?1) LIMIT 1", [lead_id]))
        return _decoded(rows[0]) if rows else None

    def network_leads_to_refer(self, network_id: int, agency: str, since: str = "",
                               min_score: int = 0,
                               include_unreviewed: bool = False) -> list[dict[str, Any]]:
        """A network's leads for one packet to ``agency``, as one case: every member, whatever
        agency it was routed to, seen since ``since``, not yet referred to ``agency``, never a
        误报, an analyst's confirmation needed unless ``include_unreviewed`` (then ``reviewed``
        0 marks it 未核实)."""
        rows = list(self.db.query(
            "SELECT leads.*, EXISTS (SELECT 1 FROM lead_events e WHERE e.lead_id = leads.id "
            "AND e.to_state = ?) AS reviewed FROM leads WHERE id IN (SELECT value FROM "
            "json_each((SELECT lead_ids FROM networks WHERE id = ?))) AND score >= ? AND "
            "last_seen >= ? AND id NOT IN (SELECT lead_id FROM referrals WHERE agency = ?) "
            "ORDER BY score DESC, id", [VETTED_BY, network_id, min_score, since, agency]))
        chosen = [row for row in rows if row["state"] not in NEVER_REFERRED
                  and (row["reviewed"] or include_unreviewed)]
        for row in chosen:
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
        return chosen

    def rebuild_networks(self) -> NetworksRebuilt:
        """Group the leads now stored into networks and store them, numbers carried over."""
        public = self._public_traits()
        contacts_of: dict[int, list[str]] = {}
        traits = []
        for row in self._lead_rows():
            contacts_of[row["id"]] = json.loads(row["contacts"] or "[]")
            traits.append(LeadTraits(
                row["id"], row["host"] or "", row["first_seen"] or "", row["last_seen"] or "",
                (*shared_contacts(contacts_of[row["id"]], public.contacts),
                 *shared_logos(json.loads(row["logo_hashes"] or "[]"), public.logos)),
                row["text"] or ""))
        found = group_networks(traits, public)
        now = utc_now()
        with self.transaction():
            stored = {row["id"]: row for row in self.seller_networks()}
            numbers = carried_numbers(
                {number: frozenset(row["lead_ids"]) for number, row in stored.items()},
                [frozenset(network.lead_ids) for network in found])
            self.db.execute("DELETE FROM network_links")
            self.db.execute(
                "DELETE FROM networks WHERE id NOT IN (SELECT value FROM json_each(?))",
                [json_text([number for number in numbers if number is not None])])
            for network, number in zip(found, numbers, strict=True):
                seller_contacts = list(dict.fromkeys(
                    contact for lead_id in network.lead_ids for contact in contacts_of[lead_id]))
                self._write_network(network, number, stored.get(number or 0), seller_contacts,
                                    now)
        kept = sum(number is not None for number in numbers)
        return NetworksRebuilt(len(found), sum(len(n.lead_ids) for n in found),
                               len(found) - kept, len(stored) - kept)

    def _write_network(self, network: Network, number: int | None,
                       before: dict[str, Any] | None, contacts: list[str], now: str) -> None:
        row = {"label": network.label, "lead_count": len(network.lead_ids),
               "site_count": len(network.hosts), "lead_ids": json_text(list(network.lead_ids)),
               "sites": json_text(list(network.hosts)), "contacts": json_text(contacts),
               "reasons": json_text(list(network.reasons)), "first_seen": network.first_seen,
               "last_seen": network.last_seen}
        unchanged = before is not None and all(
            (json.loads(row[key]) if key in JSON_COLUMNS else row[key]) == before[key]
            for key in row)
        row["updated_at"] = before["updated_at"] if unchanged and before else now
        if number is None:
            number = self.db["networks"].insert({**row, "created_at": now}).last_pk
        else:
            self.db["networks"].update(number, row)
        self.db["network_links"].insert_all(
            {"network_id": number, "lead_id": link.lead_id, "other_lead_id": link.other_lead_id,
             "kind": link.kind, "value": link.value, "strength": link.strength,
             "reason": link.reason} for link in network.links)

    def _lead_rows(self) -> Iterator[dict[str, Any]]:
        """Each lead not marked 误报, with its page's text and logo hashes."""
        return self.db.query(
            "SELECT leads.id, leads.host, leads.first_seen, leads.last_seen, leads.contacts, "
            "pages.text, pages.logo_hashes FROM leads LEFT JOIN pages ON pages.id = leads.page_id"
            " WHERE leads.state NOT IN (SELECT value FROM json_each(?)) ORDER BY leads.id",
            [json_text(list(NEVER_REFERRED))])

    def _public_traits(self) -> PublicTraits:
        """What the official platforms' own pages (fetched cleanly) show, and the logos
        platforms.toml lists. Only the platforms: a ministry's news page may quote a seller's
        number as a warning, and that number must still join the seller's sites."""
        hosts = [host for (host,) in self.db.execute("SELECT DISTINCT host FROM pages")
                 if host and is_official_host(host)]
        rows = list(self.db.query(
            "SELECT text, logo_hashes FROM pages WHERE host IN (SELECT value FROM json_each(?))"
            " AND error = '' AND status < 400 AND tls_problems = '[]'", [json_text(hosts)]))
        texts = list(dict.fromkeys(row["text"] for row in rows if row["text"]))
        listed = [h for table in load_library().platform_tables["platform"]
                  for h in table.get("logo_hashes", ())]
        seen = [h for row in rows for h in json.loads(row["logo_hashes"] or "[]")]
        return PublicTraits(
            contacts=frozenset(c for text in texts for c in extract_contacts(text)),
            logos=frozenset(logo for h in (*listed, *seen) if (logo := parse_logo(h)) is not None),
            texts=tuple(texts))
