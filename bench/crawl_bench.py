"""Crawl speed over the demo web: jiazheng's full crawl (search, follow, render, score, store)
against plain Scrapy fetching the same requests (every result page asked and every page
fetched, engine redirect hops included) with the same one-at-a-time engine slots, in one run.

Prints pages/second for both and their ratio, the share of pages that needed the browser, and
the crawler process's peak RSS (Chromium's own processes are not included in that figure).

Usage: .venv/bin/python bench/crawl_bench.py [--max-queries 12] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demoweb.server import DemoWeb

HERE = Path(__file__).parent


def timed(command: list[str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB of that process, stdout) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, usage.ru_maxrss // 1024, stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-queries", default="12")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: list[tuple[float, float, float, int]] = []
    with DemoWeb() as web, tempfile.TemporaryDirectory() as tmp:
        for attempt in range(args.repeat):
            db = Path(tmp) / f"bench{attempt}.db"
            seconds, rss, _ = timed([sys.executable, "-m", "crawler", "crawl", "--db", str(db),
                                     "--proxy", web.proxy_url, "--no-delay",
                                     "--max-queries", args.max_queries,
                                     "-s", "JIAZHENG_PROGRESS_INTERVAL=0"])
            with sqlite3.connect(db) as conn:
                pages, rendered = conn.execute(
                    "SELECT count(*), sum(rendered) FROM pages").fetchone()
                urls = [url for (url,) in conn.execute(
                    "SELECT url FROM queries UNION ALL SELECT url FROM pages WHERE rendered = 0 "
                    "UNION ALL SELECT final_url FROM pages WHERE url != final_url")]
            url_file = Path(tmp) / "urls.txt"
            url_file.write_text("\n".join(urls), encoding="utf-8")
            plain_seconds, _, plain_out = timed(
                [sys.executable, str(HERE / "plain_fetch.py"), str(url_file), web.proxy_url])
            fetched = int(plain_out.strip().splitlines()[-1])
            # Both rates count the same pages: the plain run's extra requests (result pages,
            # redirect hops) are work jiazheng does too.
            results.append((pages / seconds, pages / plain_seconds, (rendered or 0) / pages, rss))
            print(f"run {attempt + 1}: jiazheng {pages} pages in {seconds:.1f}s "
                  f"({pages / seconds:.1f}/s, {rendered} rendered, peak RSS {rss} MiB); "
                  f"plain Scrapy the same {fetched} requests in {plain_seconds:.1f}s "
                  f"({pages / plain_seconds:.1f} pages/s)")
    best = max(results)
    print(f"best of {args.repeat}: jiazheng {best[0]:.1f} pages/s, plain Scrapy {best[1]:.1f} "
          f"pages/s, ratio {best[0] / best[1]:.2f}; browser share {best[2]:.0%}; "
          f"peak RSS {max(r[3] for r in results)} MiB")


if __name__ == "__main__":
    main()
