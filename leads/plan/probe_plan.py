"""Which permutations of the official names to probe tonight: domains no engine indexes are found
only by asking for them.

leads/plan/permutations.py makes some 20,000 registrable lookalike names of the protected platforms.
Each crawl probes at most JIAZHENG_MAX_PROBES of them (``http://<name>/`` through the proxy, at the
crawl's politeness): never-probed names first, in ``KIND_ORDER`` — the kinds fraudsters register
most (joined and hyphenated labels, the official name with gov/cn glued on) before keyboard typos —
platform after platform; once every name has been probed, the longest-unprobed again. A name that
answers is fetched and judged like any page; one that does not resolve is just recorded (most
permutations are not registered: they are not watched like a domain a page named).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from keywords import load_library
from leads.plan.permutations import PERMUTATION_KINDS, Permutation, permutations

KIND_ORDER = (
    "token_combination", "hyphenation", "name_context", "suffix_swap", "subdomain_split",
    "embedded_host", "campaign_words", "pinyin", "homoglyph", "ascii_lookalike", "omission",
    "transposition", "repetition", "replacement", "addition",
)


def _space() -> Iterator[Permutation]:
    """Every permutation, kind by kind in KIND_ORDER, platforms taking turns within a kind;
    generated lazily (a night usually needs the first few hundred)."""
    kinds = [*KIND_ORDER, *(kind for kind in PERMUTATION_KINDS if kind not in KIND_ORDER)]
    platforms = [platform.key for platform in load_library().platforms]
    seen: set[str] = set()
    for kind in kinds:
        for key in platforms:
            for found in permutations(key, kinds=(kind,)):
                if found.domain not in seen:
                    seen.add(found.domain)
                    yield found


def tonight_probes(probed: Sequence[str], limit: int) -> list[str]:
    """Up to ``limit`` domains to probe: never-probed first, then ``probed`` (oldest probe
    first) once every name has been probed."""
    if limit <= 0:
        return []
    done = set(probed)
    chosen = []
    for found in _space():
        if found.domain not in done:
            chosen.append(found.domain)
            if len(chosen) >= limit:
                return chosen
    return chosen + list(probed[: limit - len(chosen)])
