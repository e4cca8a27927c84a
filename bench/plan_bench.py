"""A week of nights over the query plan, against today's fixed 40 queries, on the demo web's index.

Simulated, not crawled: a real crawl of the plan per night would take hours at the engines'
politeness. Each night, every engine is asked tonight's queries (leads/query_plan.choose_tonight,
the crawl's own choice, fed the yields this simulation records the way the store does); a query
finds the pages the demo web's search index (crawler/demoweb/index.py, the index the demo
engines serve) ranks in its first ``pages × 10`` results — pages holding every query word, as a
real engine answers a short query (``--any-word``: the demo engines' own any-word matching, under
which nearly every query lists nearly every page); a page on a site sites.toml expects to
be a lead counts as found (judgement is taken as perfect: this measures reach, not scoring).
Time is what the engines' politeness costs: one result page per (slot delay + 1 s answer), the
four engines in parallel, as crawler/settings.py configures them.

Prints the plan's size, queries per engine per night, coverage of the plan after 1 and 7 nights,
lead sites found and leads per hour of searching for the plan and for the fixed 40 queries
("certificate × sales phrase", keywords.compose_queries) over the same index.

Usage: .venv/bin/python bench/plan_bench.py [--budget 1h] [--nights 7]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from crawler.demoweb.index import SearchIndex
from crawler.demoweb.manifest import load_sites
from crawler.plan import engine_delay, query_cap
from crawler.runner import crawl_settings
from keywords import compose_queries, load_intents, load_library
from leads.plan.query_plan import (
    ANSWER_SECONDS,
    PlannedQuery,
    QueryYield,
    choose_tonight,
    compose_plan,
    coverage,
    engine_capacity,
    parse_budget,
)
from spiders.search import SearchSpider

RESULTS_PER_PAGE = 10
BASELINE_QUERIES = 40
LEAD_KINDS = ("fake_ad", "lookalike_site")


@dataclass
class Night:
    seconds: float = 0.0  # the slowest engine's searching time
    queries: dict[str, int] = field(default_factory=dict)
    found: set[str] = field(default_factory=set)


class Web:
    """The demo web's index and which of its hosts are leads."""

    def __init__(self, all_words: bool) -> None:
        sites = load_sites()
        self.all_words = all_words
        self.index = SearchIndex(sites)
        self.leads = {site.host for site in sites if site.expect in LEAD_KINDS}
        self.reachable = {site.host for site in sites if site.expect in LEAD_KINDS
                          and site.indexed and any(page.indexed for page in site.pages.values())}
        self._cache: dict[str, list[str]] = {}

    def hosts(self, query: str, pages: int) -> list[str]:
        if query not in self._cache:
            self._cache[query] = [urlsplit(hit.url).hostname or "" for hit in
                                  self.index.search(query)]
        return self._cache[query][: pages * RESULTS_PER_PAGE]


def simulate(web: Web, plan: Sequence[PlannedQuery], nights: int, budget: str,
             fixed: bool = False) -> tuple[list[Night], dict[str, dict[str, QueryYield]]]:
    settings = crawl_settings(overrides=(f"JIAZHENG_BUDGET={budget}",) if budget else ())
    engines = SearchSpider.engines
    yields: dict[str, dict[str, QueryYield]] = {engine.name: {} for engine in engines}
    known: set[str] = set()
    history = []
    for number in range(nights):
        night = Night()
        for engine in engines:
            delay = engine_delay(settings, engine)
            if fixed:
                chosen = [(text, 2) for text in compose_queries(load_library(), BASELINE_QUERIES)]
            else:
                pages, cap = engine_capacity(parse_budget(budget), delay, query_cap(settings))
                chosen = [(item.query.text, item.pages) for item in choose_tonight(
                    plan, yields[engine.name], pages=pages, queries=cap, base_pages=2,
                    yielding_pages=settings.getint("JIAZHENG_MAX_SERP_PAGES_YIELDING"))]
            asked_pages = 0
            for text, pages in chosen:
                hosts = web.hosts(text, pages)
                asked_pages += max(1, min(pages, -(-len(hosts) // RESULTS_PER_PAGE)))
                new = {host for host in hosts if host in web.leads} - known
                known |= new
                night.found |= new
                old = yields[engine.name].get(text, QueryYield())
                yields[engine.name][text] = replace(
                    old, asked=old.asked + 1, results=old.results + len(hosts),
                    new_leads=old.new_leads + len(new), last_asked=f"night-{number:03d}")
            night.queries[engine.name] = len(chosen)
            night.seconds = max(night.seconds, asked_pages * (delay + ANSWER_SECONDS))
        history.append(night)
    return history, yields


def report(name: str, history: list[Night], web: Web) -> None:
    total, hours = set(), 0.0
    for number, night in enumerate(history, 1):
        total |= night.found
        hours += night.seconds / 3600
        if number in (1, len(history)):
            print(f"{name}: after night {number}: {len(total)}/{len(web.reachable)} reachable "
                  f"lead sites, {hours:.2f} h of searching, "
                  f"{len(total) / hours if hours else 0:.1f} leads/hour; queries per engine "
                  f"per night {night.queries}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", default="1h")
    parser.add_argument("--nights", type=int, default=7)
    parser.add_argument("--any-word", action="store_true",
                        help="Match pages on any query word, as the demo engines do (default: "
                             "every word, as real engines rank a short query).")
    args = parser.parse_args()
    web = Web(all_words=not args.any_word)
    plan = compose_plan(load_library(), load_intents())
    print(f"plan: {len(plan)} queries; demo web: {len(web.leads)} lead sites, "
          f"{len(web.reachable)} reachable by search; budget {args.budget} per night")
    history, _ = simulate(web, plan, args.nights, args.budget)
    for nights in (1, args.nights):
        _, partial = simulate(web, plan, nights, args.budget)
        print(f"plan coverage after {nights} night(s): " + ", ".join(
            f"{engine} {coverage(plan, by_query):.0%}" for engine, by_query in partial.items()))
    report("plan", history, web)
    baseline, _ = simulate(web, plan, args.nights, "", fixed=True)
    report("fixed 40 queries", baseline, web)
    for name, nights in (("the plan", history), ("the fixed 40 queries", baseline)):
        missed = web.reachable - set().union(*(night.found for night in nights))
        print(f"reachable lead sites {name} never found: {sorted(missed)}")


if __name__ == "__main__":
    main()
