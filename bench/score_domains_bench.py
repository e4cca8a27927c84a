"""Domain-scoring speed: score_domain (every signal, the homoglyph reading, caches) against the
floor any scorer pays — the public-suffix split alone (tldextract) — over the same domains, in
one run, on one core.

The domains are generated deterministically: CT-log-like hosts (common subdomain labels over
registrable names made of English words, pinyin syllables and digits, under common suffixes),
with 1 % lookalikes from leads.plan.permutations mixed in. Each measurement runs in a fresh child
process pinned to one CPU, so caches start cold and the peak RSS is that measurement's own; the
rate is domains per CPU second of that process. On a shared virtual machine even CPU time varies by
a third between runs, so the kinds run interleaved for several rounds and the best round of each is
reported beside all of them. Peak RSS includes the million generated domain strings themselves
(~80 MiB).

Usage: .venv/bin/python bench/score_domains_bench.py [--domains 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time

WORDS = [
    "shop",
    "news",
    "mail",
    "tech",
    "china",
    "blog",
    "cloud",
    "data",
    "home",
    "best",
    "king",
    "star",
    "food",
    "auto",
    "smart",
    "green",
    "city",
    "world",
    "trade",
    "travel",
    "game",
    "media",
    "design",
    "print",
    "light",
    "steel",
    "power",
    "water",
    "group",
    "union",
    "global",
    "service",
    "online",
    "market",
    "health",
    "hotel",
    "house",
    "money",
    "photo",
    "music",
    "video",
    "sport",
    "study",
    "school",
    "memory",
    "member",
    "memo",
    "cxmotors",
    "samrat",
    "mohair",
    "chaxun",
    "zhengshu",
    "kuaidi",
    "weizhang",
]
SYLLABLES = [
    "zhong",
    "hua",
    "bei",
    "jing",
    "shang",
    "hai",
    "guang",
    "zhou",
    "shen",
    "zhen",
    "xin",
    "tian",
    "an",
    "kang",
    "le",
    "da",
    "xiao",
    "ming",
    "hong",
    "jia",
    "yuan",
    "long",
    "feng",
    "tai",
    "he",
    "ping",
    "fu",
    "sheng",
    "cheng",
    "yi",
    "bao",
    "hui",
    "rong",
]
SUBDOMAINS = (
    "",
    "",
    "",
    "www.",
    "www.",
    "m.",
    "mail.",
    "api.",
    "shop.",
    "blog.",
    "cdn.",
    "autodiscover.",
    "cpanel.",
    "webmail.",
)
SUFFIXES = (
    "com",
    "com",
    "com",
    "cn",
    "com.cn",
    "net",
    "org",
    "top",
    "xyz",
    "vip",
    "cc",
    "info",
    "net.cn",
    "co.uk",
    "de",
    "io",
)


def generate(count: int, seed: int = 2026) -> list[str]:
    from leads.plan.permutations import permutations

    rng = random.Random(seed)
    lookalikes = [p.domain for p in permutations()]
    domains = []
    for _ in range(count):
        if rng.random() < 0.01:
            domains.append(rng.choice(lookalikes))
            continue
        parts = [
            rng.choice(WORDS if rng.random() < 0.5 else SYLLABLES) for _ in range(rng.randint(1, 3))
        ]
        name = rng.choice(("", "-")).join(parts)
        if rng.random() < 0.2:
            name += str(rng.randint(1, 9999))
        domains.append(f"{rng.choice(SUBDOMAINS)}{name}.{rng.choice(SUFFIXES)}")
    return domains


def measure(kind: str, count: int) -> None:
    """Child: time one kind over the generated domains; print seconds, RSS MiB, lookalikes."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    domains = generate(count)
    if kind == "split":
        from leads.judge.hostnames import EXTRACT

        work = EXTRACT.extract_str
        work("warm.up.example.com")
    else:
        from leads.judge.domains import score_domain

        work = score_domain
        work("warm.up.example.com")
    # CPU time of this process: other processes sharing the core do not count against it.
    started, lookalikes = time.process_time(), 0
    for domain in domains:
        result = work(domain)
        lookalikes += kind == "score" and result.score >= 50
    seconds = time.process_time() - started
    print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, lookalikes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=("split", "score"))
    args = parser.parse_args()
    if args.child:
        measure(args.child, args.domains)
        return
    runs: dict[str, list[tuple[float, int, int]]] = {"split": [], "score": []}
    for _ in range(args.rounds):  # interleaved, so a slow spell of the machine hits both kinds
        for kind in runs:
            output = subprocess.run(
                [sys.executable, __file__, "--child", kind, "--domains", str(args.domains)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, rss, lookalikes = output.stdout.split()
            runs[kind].append((float(seconds), int(rss), int(lookalikes)))
    rates = {kind: [args.domains / run[0] for run in results] for kind, results in runs.items()}
    split_rate, score_rate = max(rates["split"]), max(rates["score"])
    print(f"{args.domains:,} generated domains, one core, best of {args.rounds} rounds")
    print(f"{'':34} {'domains/s':>10} {'ratio':>6} {'peak RSS':>9}  all rounds")
    for label, kind, rate in (
        ("public-suffix split only (floor)", "split", split_rate),
        ("score_domain (all signals)", "score", score_rate),
    ):
        every = ", ".join(f"{value:,.0f}" for value in rates[kind])
        print(
            f"{label:34} {rate:>10,.0f} {rate / split_rate:>6.2f} "
            f"{max(rss for _, rss, _ in runs[kind]):>5} MiB  {every}"
        )
    lookalikes = runs["score"][0][2]
    print(f"lookalikes found: {lookalikes:,} ({lookalikes / args.domains:.2%}; ~1 % were mixed in)")


if __name__ == "__main__":
    main()
