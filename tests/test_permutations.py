"""Permutations are registrable, tagged with their kind, and the scorer finds what they imitate."""

from __future__ import annotations

from collections import Counter

import pytest

from keywords import load_library
from leads.judge.domains import host_parts, is_government_host, score_domain
from leads.judge.verdict import LEAD_THRESHOLD
from leads.plan.permutations import PERMUTATION_KINDS, permutations

AGENCY = {platform.main_host: platform.agency for platform in load_library().platforms}


@pytest.fixture(scope="module")
def generated():
    return permutations()


def test_only_registrable_names_never_under_gov_cn(generated) -> None:
    assert len(generated) > 1000
    assert len({p.domain for p in generated}) == len(generated)
    for permutation in generated:
        parts = host_parts(permutation.domain)
        assert not parts.problem and parts.registered_domain, permutation
        assert not is_government_host(permutation.domain), permutation
        assert permutation.kind in PERMUTATION_KINDS
        assert permutation.target in AGENCY


def test_every_kind_and_platform_is_produced(generated) -> None:
    kinds = Counter(p.kind for p in generated)
    assert set(kinds) == set(PERMUTATION_KINDS), kinds
    assert {"cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"} <= {p.target for p in generated}
    assert any(p.domain.startswith("xn--") for p in generated if p.kind == "homoglyph")


def test_scorer_finds_every_permutation_with_the_agency_it_imitates(generated) -> None:
    """Property: whatever the generator makes, the scorer calls a lookalike of its source. The
    agency, not the host, is compared: memgov.com bends both cx.mem.gov.cn and www.mem.gov.cn."""
    missed, found = Counter(), Counter()
    misses = []
    for permutation in generated:
        result = score_domain(permutation.domain)
        if result.score >= LEAD_THRESHOLD and AGENCY[result.target] == AGENCY[permutation.target]:
            found[permutation.kind] += 1
        else:
            missed[permutation.kind] += 1
            misses.append((permutation, result))
    for kind in PERMUTATION_KINDS:
        print(f"{kind:18} {found[kind]:5} found  {missed[kind]:4} missed")
    assert not misses, misses[:10]


def test_generator_keeps_to_the_lookalike_rules() -> None:
    """Short generic names need context, and three-letter leftovers are other people's names."""
    domains = {p.domain for p in permutations(suffixes=("com", "cn"))}
    assert {"mem.cn", "memgov.com", "2laq.cn", "e-cq5.com", "z.laq.cn", "mohurdsanlei.com"} <= domains
    assert not {"mem.com", "samr.com", "zla.cn", "cns.com", "cqs.cn"} & domains


def test_one_platform_and_kind_and_unknown_platform() -> None:
    only = permutations("mohurd", kinds=("omission",), suffixes=("com",))
    assert only and all(p.kind == "omission" and p.domain.endswith(".com") for p in only)
    assert "mohrd.com" in {p.domain for p in only}
    with pytest.raises(ValueError):
        permutations("nope")
