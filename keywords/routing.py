"""Which agencies a lead goes to (routing.toml): the agencies in display order, the marketplace
domains and the rules, each rule's agencies checked against the listed ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keywords.load import phrases, read_toml, required


@dataclass(frozen=True)
class RoutingRule:
    """One routing rule: when all its conditions hold, the lead goes to its agencies."""

    name: str
    agencies: tuple[str, ...]
    why: str
    category: tuple[str, ...]
    contacts: bool | None
    marketplace: bool | None
    targets: tuple[str, ...]

    def applies(self, category: str, has_contacts: bool, on_marketplace: bool, target: str) -> bool:
        return (
            category in self.category
            and self.contacts in (None, has_contacts)
            and self.marketplace in (None, on_marketplace)
            and (not self.targets or target in self.targets)
        )


@dataclass(frozen=True)
class Routing:
    """Agencies in display order, marketplace domains and the rules (routing.toml)."""

    agency_order: tuple[str, ...]
    marketplace_domains: tuple[str, ...]
    rules: tuple[RoutingRule, ...]


def _optional_flag(table: Mapping[str, Any], key: str) -> bool | None:
    return bool(table[key]) if key in table else None


def load_routing(path: Path) -> Routing:
    data = read_toml(path)
    agency_order = tuple(required(data, "agency_order", path.name))
    rules = []
    for index, table in enumerate(required(data, "rule", path.name), 1):
        where = f"{path.name}: rule #{index}"
        agencies = tuple(required(table, "agencies", where))
        unknown = set(agencies) - set(agency_order)
        if unknown:
            raise ValueError(f"{where}: agencies not in agency_order: {sorted(unknown)}")
        rules.append(
            RoutingRule(
                name=required(table, "name", where),
                agencies=agencies,
                why=required(table, "why", where),
                category=tuple(required(table, "category", where)),
                contacts=_optional_flag(table, "contacts"),
                marketplace=_optional_flag(table, "marketplace"),
                targets=tuple(table.get("targets", ())),
            )
        )
    marketplaces = required(data, "marketplaces", path.name)
    domains = phrases(marketplaces, "domains", f"{path.name}: [marketplaces]")
    return Routing(agency_order=agency_order, marketplace_domains=domains, rules=tuple(rules))
