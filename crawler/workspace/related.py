"""What other wings know about a lead, for its page: the seller network it belongs to
(``leads/networks``, read through ``Store.network_of_lead``) and the decided leads most like it
(``leads.learning.similar_decided_leads``: “与已确认线索 L000123 相似 87%”); and the network
pages' data (``Store.seller_networks``, ``Store.network``), times shown in Beijing time."""

from __future__ import annotations

from typing import Any

from crawler.workspace.lead_page import beijing
from leads.learning import similar_decided_leads
from leads.store import Store
from leads.store.lifecycle import STATE_LABELS

SIMILAR_SHOWN = 5


def related_blocks(store: Store, lead_id: int) -> dict[str, Any]:
    """The lead's network (or None) and its similar decided leads, each with its sentence."""
    similar = [{"lead_id": found.lead_id, "text": found.describe(), "url": found.url,
                "label": found.label}
               for found in similar_decided_leads(store, lead_id, SIMILAR_SHOWN)]
    return {"network": store.network_of_lead(lead_id), "similar": similar}


def networks_view(store: Store) -> list[dict[str, Any]]:
    return [{**network, "first_seen": beijing(network["first_seen"]),
             "last_seen": beijing(network["last_seen"])} for network in store.seller_networks()]


def network_view(store: Store, network_id: int) -> dict[str, Any] | None:
    """One network with its leads (state in words, Beijing times) and the links that join
    them; None when there is no such network."""
    network = store.network(network_id)
    if network is None:
        return None
    for lead in network["leads"]:
        lead["state_label"] = STATE_LABELS.get(lead["state"], lead["state"])
        lead["first_seen"], lead["last_seen"] = (beijing(lead["first_seen"]),
                                                 beijing(lead["last_seen"]))
    return {**network, "first_seen": beijing(network["first_seen"]),
            "last_seen": beijing(network["last_seen"])}
