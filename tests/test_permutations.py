"""Permutations are registrable, tagged with their kind, and the scorer finds what they imitate."""

from __future__ import annotations

from collections import Counter

import pytest

from keywords import load_library
from leads.domains import host_parts, is_government_host, score_domain
from leads.permutations import KINDS, permutations
from leads.verdict import LEAD_THRESHOLD

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
        assert permutation.kind in KINDS
        assert permutation.target in AGENCY


def test_every_kind_and_platform_is_produced(generated) -> None:
    kinds = Counter(p.kind for p in generated)
    assert set(kinds) == set(KINDS), kinds
    assert {"cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"} <= {p.target for p in generated}
    assert any(p.domain.startswith("xn--") for p in generated if p.kind == "homoglyph")


def test_scorer_finds_each_kind_with_the_agency_it_imitates(generated) -> None:
    missed, found = Counter(), Counter()
    for permutation in generated:
        result = score_domain(permutation.domain)
        if result.score >= LEAD_THRESHOLD and AGENCY[result.target] == AGENCY[permutation.target]:
            found[permutation.kind] += 1
        else:
            missed[permutation.kind] += 1
    for kind in KINDS:
        rate = found[kind] / (found[kind] + missed[kind])
        print(f"{kind:18} {found[kind]:5} found  {missed[kind]:4} missed  {rate:.3f}")
        # Bare short names under another suffix (mem.com, samr.cn) are deliberately weak.
        assert rate >= (0.8 if kind == "suffix_swap" else 0.97), kind


def test_one_platform_and_kind_and_unknown_platform() -> None:
    only = permutations("mohurd", kinds=("omission",), suffixes=("com",))
    assert only and all(p.kind == "omission" and p.domain.endswith(".com") for p in only)
    assert "mohrd.com" in {p.domain for p in only}
    with pytest.raises(ValueError):
        permutations("nope")
