"""What looking up who is behind each lead (DNS, RDAP, WHOIS: crawler/host_lookups.py) costs a
crawl: the demo crawl with the demo web's resolver, RDAP and WHOIS servers configured, against
the same crawl without them, alternating, in one run. The goal: lookups slow a crawl by at most
10 %. The demo world has hosts whose servers time out (JIAZHENG_HOST_FACTS_TIMEOUT) or
answer garbage, as the real internet does; the demo configures 1 s per source.

Prints each run's seconds, the hosts looked up, and the best and median of each with their
ratio.

Usage: .venv/bin/python bench/hosting_bench.py [--max-queries 12] [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demoweb.server import DemoWeb


def crawl(db: Path, proxy: str, max_queries: str, extra: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the whole ``jiazheng crawl`` process; lookups still running
    when the crawl ends are waited for before it exits, so they are counted. CPU time is what the
    lookups cost the crawler process itself, and varies less than wall time on a busy machine."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--db", str(db),
                              "--proxy", proxy, "--no-delay", "--max-queries", max_queries,
                              "-s", "JIAZHENG_PROGRESS_INTERVAL=0", *extra],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"crawl failed: {db}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-queries", default="12")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    browser = ["--no-browser"] if args.no_browser else []
    without: list[tuple[float, float]] = []
    with_lookups: list[tuple[float, float]] = []
    # The registries' servers run in a process of their own, as registries are not on the
    # crawling machine: the demo web's proxy (this process) serves pages without sharing its
    # interpreter with them.
    servers = subprocess.Popen([sys.executable, "-m", "crawler.demoweb.hosting"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert servers.stdout is not None and servers.stdin is not None
    settings = json.loads(servers.stdout.readline())
    with DemoWeb() as web, tempfile.TemporaryDirectory() as tmp:
        lookups = [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
        for attempt in range(args.repeat):
            plain_db, looked_db = Path(tmp) / f"plain{attempt}.db", Path(tmp) / f"hosts{attempt}.db"
            without.append(crawl(plain_db, web.proxy_url, args.max_queries, browser))
            with_lookups.append(crawl(looked_db, web.proxy_url, args.max_queries,
                                      browser + lookups))
            with sqlite3.connect(looked_db) as conn:
                hosts, leads = conn.execute(
                    "SELECT (SELECT count(DISTINCT host) FROM host_facts), "
                    "(SELECT count(*) FROM leads)").fetchone()
            print(f"run {attempt + 1}: without lookups {without[-1][0]:.1f}s "
                  f"(CPU {without[-1][1]:.1f}s); with lookups {with_lookups[-1][0]:.1f}s "
                  f"(CPU {with_lookups[-1][1]:.1f}s; {hosts} hosts looked up for {leads} leads)")
    servers.stdin.close()
    servers.wait()
    # The best run of each is the least disturbed by other work on the machine; the medians too.
    for name, pick in (("best", min), ("median", statistics.median)):
        for measure, column in (("wall", 0), ("CPU", 1)):
            plain = pick(run[column] for run in without)
            looked = pick(run[column] for run in with_lookups)
            print(f"{name} of {args.repeat}, {measure}: without {plain:.1f}s, with {looked:.1f}s, "
                  f"ratio {looked / plain:.3f} (goal ≤ 1.10)")


if __name__ == "__main__":
    main()
