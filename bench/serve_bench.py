"""``jiazheng serve``: the lead list with filters over 10,000 leads, per request, against
Datasette's own table page over the same leads in the same run.

The database is filled in a temporary folder through the store's own write functions (each lead a
page with its text and verdict, one search sighting each, as a crawl writes them): leads spread
over four engines, two categories, a dozen provinces and sixty days, their texts built from the
sales phrases sellers use. ``jiazheng serve`` then runs as a user starts it, on 127.0.0.1, and
each request below is timed end to end over HTTP (median and worst of ``--rounds``):

- baseline: Datasette's table page ``/jiazheng/leads?_size=50`` (no filter);
- the review list unfiltered, with one filter, with several filters, with full-text search
  (a trigram phrase and a two-character word) and deep paging.

Goal (issue 15): every list request under 300 ms.

Usage: .venv/bin/python bench/serve_bench.py [--leads 10000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leads.judge.observations import PageObservation, Sighting
from leads.judge.verdict import Verdict
from leads.store import Store

GOAL_MS = 300
ENGINES = ("baidu", "sogou", "bing", "so360")
PHRASES = ("免考", "包过", "不用本人到场", "官网可查", "快速拿证", "全国通用", "内部渠道",
           "先拿证后付款")
CERTIFICATES = ("电工证", "焊工证", "叉车证", "登高证", "安全员C证", "特种作业操作证", "制冷证")
PHONES = ("13812345678", "13912345678", "13512345678", "15012345678", "18612345678",
          "13712345678", "15912345678", "18912345678", "13312345678", "17712345678")
FILLER = "本公司长期办理各类证书，正规渠道，信誉第一，欢迎来电咨询。"
REQUESTS = {
    "Datasette table page (baseline)": "/jiazheng/leads?_size=50",
    "list, no filter": "/-/jiazheng/leads",
    "list, state": "/-/jiazheng/leads?state=new",
    "list, several filters": "/-/jiazheng/leads?state=new&category=fake_ad&min_score=60"
                             "&agency=公安&family=特种作业&engine=baidu&first_from=2026-10-15",
    "list, search phrase": "/-/jiazheng/leads?q=不用本人到场",
    "list, search short word": "/-/jiazheng/leads?q=包过&category=fake_ad",
    "list, page 100": "/-/jiazheng/leads?page=100",
    "list, newest, province": "/-/jiazheng/leads?sort=newest&province=江苏省",
}


def fill(db: Path, count: int) -> None:
    """``count`` leads written as a crawl writes them."""
    chance = random.Random(15)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    store = Store(db)
    try:
        run = store.start_run("bench", {})
        for number in range(count):
            phrases = chance.sample(PHRASES, 3)
            certificates = chance.sample(CERTIFICATES, 2)
            phone = chance.choice(PHONES)
            url = f"http://seller{number}.example.com/"
            at = (start + timedelta(minutes=chance.randrange(60 * 24 * 60))).isoformat()
            lookalike = number % 10 == 0
            verdict = Verdict(
                "lookalike_site" if lookalike else "fake_ad", chance.randrange(50, 101),
                "cx.mem.gov.cn" if lookalike else "", (f"phone:{phone}",),
                ("公安", "网信") if number % 3 else ("市场监管",),
                (f"页面含办证推销用语：{'、'.join(phrases)}",
                 f"提及证书：{'、'.join(certificates)}（特种作业）"), {"text": 80.0})
            text = " ".join([*certificates, *phrases, FILLER * 20, phone])
            engine = ENGINES[number % len(ENGINES)]
            store.save_sighting(run, Sighting(engine, f"{certificates[0]} {phrases[0]}", 0,
                                              number % 10, certificates[0], "", False, url, url,
                                              at))
            store.save_page(run, PageObservation(
                url, url, "result", 200, title=f"{certificates[0]} {phrases[0]}", text=text,
                fetched_at=at, verdict=verdict))
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "jiazheng.db"
        started = time.perf_counter()
        fill(db, options.leads)
        print(f"{options.leads} leads written in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = subprocess.Popen([Path(sys.executable).with_name("jiazheng"), "serve", "--db",
                                   str(db), "--port", str(port)], stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    timed(f"{base}/-/versions.json")
                    break
                except OSError:
                    time.sleep(0.2)
            results = {}
            for name, path in REQUESTS.items():
                url = base + urllib.parse.quote(path, safe="/?=&")
                timed(url)  # warm: first query plans and page cache
                results[name] = [timed(url) for _ in range(options.rounds)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    baseline = statistics.median(results["Datasette table page (baseline)"])
    print(f"{'request':<34} {'median ms':>10} {'worst ms':>9} {'× baseline':>11}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<34} {median:>10.1f} {max(times):>9.1f} {median / baseline:>11.2f}")
    worst_list = max(statistics.median(times) for name, times in results.items()
                     if name.startswith("list"))
    verdict = "met" if worst_list < GOAL_MS else "NOT met"
    print(f"slowest list request (median): {worst_list:.1f} ms; goal {GOAL_MS} ms {verdict}")


if __name__ == "__main__":
    main()
