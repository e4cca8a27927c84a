"""Seller networks: which leads one seller runs, and why we say so (串案).

Two leads are joined when they share a contact (phone, WeChat, QQ, e-mail, Telegram, a WeChat QR
code), a logo image, or a page template (near-duplicate text, MinHash); joins are transitive, so
a network is a connected group of links (union-find), and each link keeps its kind and shared
value for the page that says why (“共用电话 13812345678”, “页面模板相似 0.92”). Masked numbers,
inferred ids and whatever the official platforms' own pages show never join.

This wing owns the grouping, as pure functions — observations in, networks and reasons out, no
I/O (it imports no other wing but ``leads.judge``):

- ``traits.py``      what a lead shows that another may share; what may never join; link kinds
- ``templates.py``   page templates: shingles, MinHash, MinHashLSH and the threshold
- ``grouping.py``    links, union-find, networks and their reasons
- ``stable_ids.py``  the rule that keeps a network's number across rebuilds
- ``case_text.py``   a network as one case (串案) in a referral letter's words
- ``table.py``       a network as a row for people: the list's columns, Beijing times

The store reads and writes networks (``leads/store/networks.py``: ``rebuild_networks``,
``seller_networks``, ``network``, ``network_of_lead``); ``jiazheng networks`` lists them and
``jiazheng packet --network N`` refers one as one case. A server or registrant link (host facts,
``leads/hosting``) is one more kind of shared value: see ``traits.py``.
"""

from leads.networks.case_text import case_paragraph
from leads.networks.grouping import Link, Network, group_networks
from leads.networks.stable_ids import carried_numbers
from leads.networks.traits import (
    LINK_KINDS,
    LeadTraits,
    PublicTraits,
    parse_logo,
    shared_contacts,
    shared_logos,
)

__all__ = [
    "LINK_KINDS",
    "LeadTraits",
    "Link",
    "Network",
    "PublicTraits",
    "carried_numbers",
    "case_paragraph",
    "group_networks",
    "parse_logo",
    "shared_contacts",
    "shared_logos",
]
