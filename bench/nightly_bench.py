"""Nightly operation over the demo web, in one run:

1. a second nightly on an unchanged web against the first (conditional requests, verdicts kept);
2. a crawl by two processes sharing Redis against the same crawl by one process.

Needs redis-server (setup.sh installs it). Usage: .venv/bin/python bench/nightly_bench.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demoweb.server import DemoWeb
from crawler.nightly import NightlyConfig, run_nightly

QUERIES = 12
CRAWL = ["--no-delay", "--max-queries", str(QUERIES), "-s", "JIAZHENG_MAX_SERP_PAGES=3"]


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def crawl(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "crawler", "crawl", *CRAWL, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a crawl failed")


def nightly_ratio(tmp: Path, proxy: str) -> None:
    config = NightlyConfig(db=str(tmp / "nightly.db"), out_dir=tmp / "out", proxy=proxy,
                           max_queries=QUERIES, no_delay=True,
                           overrides=("JIAZHENG_MAX_SERP_PAGES=3",))
    first = timed(lambda: run_nightly(config))
    report = None

    def second_run() -> None:
        nonlocal report
        report = run_nightly(config)

    second = timed(second_run)
    assert report is not None
    counts = report.counts
    print(f"nightly: first {first:.1f}s, second on an unchanged web {second:.1f}s "
          f"(ratio {second / first:.2f}); second run: {counts['pages_unchanged']} of "
          f"{counts['pages']} pages unchanged, {report.new_leads} new leads")


def redis_ratio(tmp: Path, proxy: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        one = timed(lambda: wait(crawl("--proxy", proxy, "--db", str(tmp / "one.db"))))
        shared = ["--proxy", proxy, "--db", str(tmp / "two.db"), "--redis", url,
                  "--session", "bench", "--no-drain"]
        two = timed(lambda: wait(crawl(*shared), crawl(*shared)))
    finally:
        server.terminate()
    print(f"redis: one process {one:.1f}s, two processes sharing Redis {two:.1f}s "
          f"(ratio {two / one:.2f}, on this 2-core machine)")


def main() -> None:
    with DemoWeb() as web, tempfile.TemporaryDirectory() as tmp:
        nightly_ratio(Path(tmp), web.proxy_url)
        redis_ratio(Path(tmp), web.proxy_url)


if __name__ == "__main__":
    main()
