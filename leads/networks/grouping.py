"""Seller networks from leads: links where two leads share something, networks as the connected
groups of links (union-find), each link keeping its kind and shared value so a page can say why
(“共用电话 13812345678”, “页面模板相似 0.92”, “共用标识图片（图像指纹 …）”).

Observations in (``LeadTraits``, ``leads.networks.traits``), networks and reasons out; nothing here
reads or writes the store. Links are transitive: A and B share a phone, B and C a WeChat id, so A,
B and C are one network. A value shared by several leads links each of them to the first (lowest
id) lead showing it, so every member carries the value as its reason; of the template pairs
(``leads.networks.templates``) a spanning forest is kept. A network is two or more *sites*
(hosts): several leads of one host are one site and make no network on their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from leads.networks.templates import similar_pairs
from leads.networks.traits import (
    LINK_KINDS,
    TEMPLATE_KIND,
    LeadTraits,
    PublicTraits,
    join_key,
)

MIN_SITES = 2


@dataclass(frozen=True)
class Link:
    """Why two leads are one seller: ``kind`` (phone, wechat, …, logo, template), the shared
    ``value`` (the number, id, hash or similarity) and ``strength`` (1.0, or the similarity)."""

    lead_id: int
    other_lead_id: int
    kind: str
    value: str
    strength: float = 1.0

    @property
    def reason(self) -> str:
        return LINK_KINDS[self.kind].reason.format(self.value)


@dataclass(frozen=True)
class Network:
    """A group of leads joined by links, on ``MIN_SITES`` or more hosts."""

    lead_ids: tuple[int, ...]
    hosts: tuple[str, ...]  # in order of first sighting
    links: tuple[Link, ...]
    first_seen: str
    last_seen: str

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each shared value once, the one most links rest on first; templates as their best."""
        best = max((link for link in self.links if link.kind == TEMPLATE_KIND),
                   key=lambda link: link.strength, default=None)
        counts = Counter(best.reason if best and link.kind == TEMPLATE_KIND else link.reason
                         for link in self.links)
        return tuple(reason for reason, _ in counts.most_common())

    @property
    def label(self) -> str:
        """``共用电话 13812345678 · 3 个网站``: what joins most of it, and its size."""
        return f"{self.reasons[0]} · {len(self.hosts)} 个网站"


class UnionFind:
    """Disjoint sets of lead ids, by path halving and union by size."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        self.size.setdefault(item, 1)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> bool:
        """Join the two sets; False if they were one already."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return False
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        return True


def _shown_as(kinds: set[str]) -> str:
    """The kind a link reads as: a number shown as a phone anywhere is a shared phone."""
    return next(kind for kind in LINK_KINDS if kind in kinds)


def shared_value_links(leads: Sequence[LeadTraits]) -> list[Link]:
    """Leads showing one value, each linked to the first of them (lowest id); a value of a
    capped kind on more sites than its cap is common, not a seller's, and links nobody."""
    showing: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(dict)
    hosts = {lead.lead_id: lead.host for lead in leads}
    for lead in sorted(leads, key=lambda lead: lead.lead_id):
        for kind, value in lead.shared:
            showing[join_key(kind, value)].setdefault(lead.lead_id, set()).add(kind)
    links = []
    for (_, value), holders in showing.items():
        kinds = set().union(*holders.values())
        cap = max(LINK_KINDS[kind].max_sites or 0 for kind in kinds)
        if len(holders) < 2 or (cap and len({hosts[lead_id] for lead_id in holders}) > cap):
            continue
        first, *others = holders
        links += [Link(first, other, _shown_as(holders[first] | holders[other]), value)
                  for other in others]
    return links


def template_links(leads: Sequence[LeadTraits], public: PublicTraits) -> list[Link]:
    """A spanning forest of the pairs of leads whose pages share a template, strongest first."""
    forest = UnionFind()
    links = []
    for i, j, similarity in similar_pairs([lead.text for lead in leads], public.texts):
        first, second = sorted((leads[i].lead_id, leads[j].lead_id))
        if forest.union(first, second):
            links.append(Link(first, second, TEMPLATE_KIND, f"{similarity:.2f}", similarity))
    return links


def group_networks(leads: Sequence[LeadTraits], public: PublicTraits | None = None) -> list[
        Network]:
    """The seller networks among ``leads``, largest first (then by first lead id)."""
    links = [*shared_value_links(leads), *template_links(leads, public or PublicTraits())]
    groups = UnionFind()
    for link in links:
        groups.union(link.lead_id, link.other_lead_id)
    by_id = {lead.lead_id: lead for lead in leads}
    members: dict[int, list[int]] = defaultdict(list)
    for lead_id in sorted({i for link in links for i in (link.lead_id, link.other_lead_id)}):
        members[groups.find(lead_id)].append(lead_id)
    links_of: dict[int, list[Link]] = defaultdict(list)
    for link in links:
        links_of[groups.find(link.lead_id)].append(link)
    networks = []
    for root, lead_ids in members.items():
        seen = sorted((by_id[i].first_seen, i) for i in lead_ids)
        hosts = tuple(dict.fromkeys(by_id[i].host for _, i in seen))
        if len(hosts) < MIN_SITES:
            continue
        networks.append(Network(
            tuple(lead_ids), hosts,
            tuple(sorted(links_of[root], key=lambda k: (k.lead_id, k.other_lead_id, k.kind))),
            seen[0][0], max(by_id[i].last_seen for i in lead_ids)))
    return sorted(networks, key=lambda network: (-len(network.hosts), network.lead_ids))
