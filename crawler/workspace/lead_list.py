"""The lead list: what the analyst filters by, turned into one SQL query over the store, one page
at a time. Every filter is a parameter, never text spliced into SQL; dates are Beijing days.

Full-text search reads m014's ``lead_search`` table (FTS5, trigram): each word of at least three
characters is an indexed phrase match; a shorter word (most Chinese words: 包过, 免考) is looked
for as a substring of the same indexed title and text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from typing import Any
from urllib.parse import urlencode

from crawler.workspace.lead_page import beijing
from keywords import load_library
from leads.store import Store
from leads.store.lifecycle import STATE_LABELS

PAGE_SIZE = 50
MAX_PAGE = 10_000
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRIGRAM = 3  # shortest word the trigram index can match
MAX_WORDS = 8
MAX_SEARCH = 200
SORTS = {"score": "leads.score DESC, leads.id", "newest": "leads.first_seen DESC, leads.id DESC",
         "id": "leads.id"}
# The search-result sightings of a lead: its own URL, or a URL that redirected to it.
SIGHTED = ("(sightings.url = leads.url OR sightings.url IN "
           "(SELECT url FROM pages WHERE final_url = leads.url))")
BEIJING_DAY = "date({}, '+8 hours')"
DATE_FILTERS = (("first_from", "first_seen", ">="), ("first_to", "first_seen", "<="),
                ("last_from", "last_seen", ">="), ("last_to", "last_seen", "<="))


class FilterError(ValueError):
    """A filter value the list cannot use; the message is for the analyst."""


@dataclass(frozen=True)
class LeadFilters:
    """The list's filters as the query string carries them (all text; "" means any)."""

    state: str = ""
    category: str = ""
    min_score: str = ""
    target: str = ""
    agency: str = ""
    family: str = ""
    province: str = ""
    engine: str = ""
    first_from: str = ""
    first_to: str = ""
    last_from: str = ""
    last_to: str = ""
    q: str = ""
    sort: str = "score"
    page: str = "1"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> LeadFilters:
        """The filters in a request's query string, checked (``FilterError`` names the bad one)."""
        values = {f.name: (args.get(f.name) or f.default).strip() for f in fields(cls)}
        chosen = cls(**values)
        for name in ("first_from", "first_to", "last_from", "last_to"):
            if getattr(chosen, name) and not DATE.fullmatch(getattr(chosen, name)):
                raise FilterError(f"日期应写作 2026-12-04：{getattr(chosen, name)}")
        if chosen.min_score and not chosen.min_score.isdigit():
            raise FilterError(f"最低分数应为 0–100 的整数：{chosen.min_score}")
        if not chosen.page.isdigit() or not 1 <= int(chosen.page) <= MAX_PAGE:
            raise FilterError(f"页码无效：{chosen.page}")
        if len(chosen.q) > MAX_SEARCH:
            raise FilterError(f"搜索词超过 {MAX_SEARCH} 字")
        if chosen.sort not in SORTS:
            raise FilterError(f"排序方式无效：{chosen.sort}")
        return chosen

    def link(self, **changes: str) -> str:
        """The query string of these filters with ``changes`` (empty values left out)."""
        values = asdict(replace(self, **changes))
        return urlencode({name: value for name, value in values.items()
                          if value and not (name == "page" and value == "1")})


def _search_condition(text: str) -> tuple[list[str], list[Any]]:
    where, params = [], []
    for word in text.split()[:MAX_WORDS]:
        if len(word) >= TRIGRAM:
            where.append("leads.id IN (SELECT rowid FROM lead_search WHERE lead_search MATCH ?)")
            params.append('"' + word.replace('"', '""') + '"')
        elif word.lower() == word.upper():  # no letters with a case (Chinese): plain search
            where.append("leads.id IN (SELECT rowid FROM lead_search "
                         "WHERE instr(title, ?) > 0 OR instr(text, ?) > 0)")
            params += [word, word]
        else:
            where.append("leads.id IN (SELECT rowid FROM lead_search "
                         "WHERE instr(lower(title), ?) > 0 OR instr(lower(text), ?) > 0)")
            params += [word.lower(), word.lower()]
    return where, params


def conditions(chosen: LeadFilters) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of the chosen filters."""
    where: list[str] = []
    params: list[Any] = []
    for column in ("state", "category", "target", "province"):
        if value := getattr(chosen, column):
            where.append(f"leads.{column} = ?")
            params.append(value)
    if chosen.min_score:
        where.append("leads.score >= ?")
        params.append(int(chosen.min_score))
    if chosen.agency:
        where.append("EXISTS (SELECT 1 FROM json_each(leads.agencies) WHERE value = ?)")
        params.append(chosen.agency)
    if chosen.family:  # the reasons name the certificate families the page mentions
        where.append("instr(leads.reasons, ?) > 0")
        params.append(chosen.family)
    if chosen.engine:
        where.append(f"EXISTS (SELECT 1 FROM sightings WHERE {SIGHTED} AND engine = ?)")
        params.append(chosen.engine)
    for name, column, compare in DATE_FILTERS:
        if value := getattr(chosen, name):
            where.append(f"{BEIJING_DAY.format('leads.' + column)} {compare} ?")
            params.append(value)
    searched, search_params = _search_condition(chosen.q)
    return " AND ".join(where + searched) or "1", params + search_params


def list_leads(store: Store, chosen: LeadFilters) -> dict[str, Any]:
    """One page of leads matching ``chosen``, the total, and the number of pages."""
    where, params = conditions(chosen)
    total = store.db.execute(f"SELECT count(*) FROM leads WHERE {where}", params).fetchone()[0]
    offset = (int(chosen.page) - 1) * PAGE_SIZE
    # The page is chosen first, then its engines looked up: a correlated subquery beside the
    # ORDER BY would run for every matching lead, not for the fifty shown.
    rows = list(store.db.query(f"""
        SELECT leads.*, (SELECT group_concat(DISTINCT engine) FROM sightings
                         WHERE {SIGHTED}) AS engines
        FROM (SELECT leads.id, leads.url, leads.host, leads.title, leads.category, leads.score,
                     leads.state, leads.target, leads.province, leads.agencies, leads.first_seen,
                     leads.last_seen FROM leads WHERE {where}
              ORDER BY {SORTS[chosen.sort]} LIMIT ? OFFSET ?) AS leads
        ORDER BY {SORTS[chosen.sort]}""", [*params, PAGE_SIZE, offset]))
    for row in rows:
        row["agencies"] = json.loads(row["agencies"] or "[]")
        row["first_seen"] = beijing(row["first_seen"])
    return {"rows": rows, "total": total, "pages": max(1, -(-total // PAGE_SIZE))}


@cache
def certificate_families() -> tuple[str, ...]:
    return tuple(dict.fromkeys(term.family for term in load_library().certificates))


def filter_choices(store: Store) -> dict[str, list[str]]:
    """What each select box offers: the values the store holds (small tables or indexed)."""
    def distinct(sql: str) -> list[str]:
        return [row[0] for row in store.db.execute(sql) if row[0]]

    return {
        "state": list(STATE_LABELS),
        "category": distinct("SELECT DISTINCT category FROM leads ORDER BY 1"),
        "target": distinct("SELECT DISTINCT target FROM leads ORDER BY 1"),
        "agency": distinct("SELECT DISTINCT value FROM leads, json_each(leads.agencies) "
                           "ORDER BY 1"),
        "family": list(certificate_families()),
        "province": distinct("SELECT DISTINCT province FROM leads ORDER BY 1"),
        "engine": distinct("SELECT DISTINCT engine FROM query_yields ORDER BY 1"),
    }
