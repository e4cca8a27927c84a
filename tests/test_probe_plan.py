"""Permutations of the official names probed a bounded few a night, never-probed first."""

from __future__ import annotations

from leads.plan.probe_plan import tonight_probes
from leads.store import Store
from tests.conftest import make_page


def test_probes_are_bounded_and_never_repeat_until_every_name_was_probed() -> None:
    first = tonight_probes([], 50)
    assert len(first) == len(set(first)) == 50
    assert first[0] == "cxmem.com"  # joined official labels come before keyboard typos
    second = tonight_probes(first, 50)
    assert not set(first) & set(second)
    assert tonight_probes(first, 0) == []


def test_store_lists_probed_hosts_oldest_first(store: Store) -> None:
    run = store.start_run("crawl search", {})
    for host, at in (("b.example", "2026-12-02"), ("a.example", "2026-12-01")):
        store.save_page(run, make_page(f"http://{host}/", role="probe", error="dns", verdict=None,
                                       body=b"", fetched_at=at))
    assert store.probed_hosts() == ["a.example", "b.example"]
    assert store.domain_candidates() == []  # an unregistered permutation is not watched
