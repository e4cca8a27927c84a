"""What the pages hostile to the browser cost a crawl: the same crawl of the demo web with them
(popups + auto-clicked download, a script that never yields before load, one that spins after
load) and without them (the same hosts answer 404, so the searches and everything else are
identical), interleaved rounds, wall-clock seconds of the whole `jiazheng crawl` process.

Goal (issue 12): with ≤ 1.5 × without. A hostile page costs at most JIAZHENG_RENDER_TIMEOUT of
one browser page slot; other pages render meanwhile, so the crawl's total grows only where that
page's render is the last thing left.

Usage: .venv/bin/python bench/hostile_crawl_bench.py [--max-queries 8] [--rounds 2]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demoweb.server import DemoWeb

HOSTILE_HOSTS = frozenset({"www.tanchuang-xiazai.com", "www.sixunhuan-zaiqian.com",
                           "www.sixunhuan-zaihou.com"})


def crawl(web: DemoWeb, db: Path, max_queries: str) -> tuple[float, int, int]:
    """(seconds, pages stored, hostile pages that are leads) of one crawl."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "crawler", "crawl", "--db", str(db),
                    "--proxy", web.proxy_url, "--no-delay", "--max-queries", max_queries,
                    # As the end-to-end test: deep enough that every hostile page is found.
                    "-s", "JIAZHENG_MAX_SERP_PAGES=3", "-s", "JIAZHENG_PROGRESS_INTERVAL=0"],
                   check=True, capture_output=True, timeout=1800)
    seconds = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        hosts = {host for (host,) in conn.execute("SELECT host FROM leads")}
    return seconds, pages, len(hosts & HOSTILE_HOSTS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-queries", default="8")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_number in range(args.rounds):
            for variant, removed in (("without", HOSTILE_HOSTS), ("with", frozenset())):
                with DemoWeb(removed_hosts=removed) as web:
                    seconds, pages, hostile_leads = crawl(
                        web, Path(tmp) / f"{variant}{round_number}.db", args.max_queries)
                timings[variant].append(seconds)
                print(f"round {round_number + 1} {variant:7} hostile pages: {seconds:6.1f} s, "
                      f"{pages} pages, hostile leads {hostile_leads}/{len(HOSTILE_HOSTS)}",
                      flush=True)
    best = {variant: min(values) for variant, values in timings.items()}
    ratio = best["with"] / best["without"]
    print(f"best: without {best['without']:.1f} s, with {best['with']:.1f} s, "
          f"ratio {ratio:.2f} (goal ≤ 1.50: {'met' if ratio <= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
