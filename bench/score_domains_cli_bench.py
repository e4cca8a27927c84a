"""``jiazheng score-domains`` end to end: the command as a user runs it, on a feed of a million
mostly unique names (as Certificate Transparency logs are), against the scorer alone and against
the command's previous writer, in one run, on one core.

Three measurements, each a fresh process pinned to one CPU, rates in domains per CPU second
(user + system) of that process, so other work on a shared machine does not count against it:

- ``score_domain`` alone over the feed's lines already in memory: the ceiling for any command;
- the previous command body (click's line-by-line text file, ``domain_row``, a dict of neutralised
  cells per row, ``csv.DictWriter`` to stdout), run after the same imports as the command;
- ``jiazheng score-domains FEED`` itself, through its console script.

The two command rates are whole processes: start-up (about two CPU seconds of imports) included;
the start-up alone (an empty feed) is measured too and the steady rate printed beside. Both
commands' stdout is hashed: the bench stops if their bytes differ. The kinds run interleaved for
several rounds and the best round of each is reported beside all of them (CPU time on a shared
virtual machine varies by a third between runs). "Today" is the issue's figure when this bench was
written: the command at ~19,000 domains/s, the function at ~75,000.

The feed is bench/score_domains_bench.py's generator (1 % lookalikes mixed in), written to a
temporary file.

Usage: .venv/bin/python bench/score_domains_cli_bench.py [--domains 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from score_domains_bench import generate

TODAY_CLI, TODAY_FUNCTION = 19_000, 75_000  # domains/s, from the issue
COMMAND = Path(sys.executable).with_name("jiazheng")
KINDS = ("function", "old command", "command", "start-up")


def previous_command(feed: str) -> None:
    """Child: the score-domains body before leads/feeds/domain_feed.py, after the command's
    imports."""
    import csv

    import crawler.cli  # noqa: F401  (the same start-up as the command)
    from crawler.cli.options import console
    from leads.judge.domains import DOMAIN_CSV_COLUMNS, domain_row
    from leads.referral.tables import neutralise

    with open(feed, encoding="utf-8-sig", errors="replace") as source:
        writer = csv.DictWriter(sys.stdout, fieldnames=DOMAIN_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        lines = lookalikes = 0
        for number, line in enumerate(source, 1):
            row = domain_row(number, line, 50)
            writer.writerow({key: neutralise(value) for key, value in row.items()})
            lines, lookalikes = number, lookalikes + (row["is_lookalike"] == "yes")
        console.print(f"已评分 {lines} 行：仿冒域名 {lookalikes} 个")


def function_alone(feed: str) -> None:
    """Child: score_domain over the feed's lines; print its CPU seconds."""
    from leads.judge.domains import score_domain

    lines = Path(feed).read_text(encoding="utf-8").splitlines()
    score_domain("warm.up.example.com")
    started = time.process_time()
    for line in lines:
        score_domain(line)
    print(time.process_time() - started)


def run(kind: str, feed: str, cpu: int) -> tuple[float, int, str]:
    """CPU seconds, peak RSS (MiB) and stdout digest of one measurement in a pinned process."""
    empty = os.devnull
    argv = {
        "function": [sys.executable, __file__, "--child", "function", "--feed", feed],
        "old command": [sys.executable, __file__, "--child", "previous", "--feed", feed],
        "command": [str(COMMAND), "score-domains", feed],
        "start-up": [str(COMMAND), "score-domains", empty],
    }[kind]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
    )
    digest, tail = hashlib.sha256(), b""
    assert process.stdout is not None
    while block := process.stdout.read(1 << 20):
        digest.update(block)
        tail = (tail + block)[-100:]  # the function child prints its seconds last
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{kind} failed with exit code {process.returncode}")
    seconds = float(tail) if kind == "function" else usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss // 1024, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=("function", "previous"))
    parser.add_argument("--feed")
    args = parser.parse_args()
    if args.child == "function":
        function_alone(args.feed)
        return
    if args.child == "previous":
        previous_command(args.feed)
        return
    cpu = min(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as directory:
        feed = str(Path(directory) / "feed.txt")
        Path(feed).write_text("\n".join(generate(args.domains)) + "\n", encoding="utf-8")
        runs: dict[str, list[tuple[float, int, str]]] = {kind: [] for kind in KINDS}
        for _ in range(args.rounds):  # interleaved, so a slow spell of the machine hits every kind
            for kind in KINDS:
                runs[kind].append(run(kind, feed, cpu))
    digests = {kind: {digest for _, _, digest in runs[kind]} for kind in ("old command", "command")}
    if len(digests["old command"] | digests["command"]) != 1:
        raise SystemExit("the command's CSV differs from the previous writer's: not comparable")
    startup = min(seconds for seconds, _, _ in runs["start-up"])
    rates = {
        kind: [args.domains / seconds for seconds, _, _ in runs[kind]]
        for kind in ("function", "old command", "command")
    }
    best = {kind: max(values) for kind, values in rates.items()}
    print(f"{args.domains:,} generated domains, one core (CPU {cpu}), best of {args.rounds} rounds")
    print(f"{'':38} {'domains/s':>10} {'/function':>9} {'/today':>7} {'peak RSS':>9}  all rounds")
    for label, kind, today in (
        ("score_domain alone (ceiling)", "function", TODAY_FUNCTION),
        ("previous command body (whole process)", "old command", TODAY_CLI),
        ("jiazheng score-domains (whole process)", "command", TODAY_CLI),
    ):
        every = ", ".join(f"{value:,.0f}" for value in rates[kind])
        rss = max(rss for _, rss, _ in runs[kind])
        print(
            f"{label:38} {best[kind]:>10,.0f} {best[kind] / best['function']:>9.2f} "
            f"{best[kind] / today:>7.2f} {rss:>5} MiB  {every}"
        )
    steady = args.domains / (args.domains / best["command"] - startup)
    print(
        f"start-up of the command (empty feed): {startup:.2f} CPU s; without it the command does "
        f"{steady:,.0f} domains/s"
    )
    print(
        f"command / previous command body: {best['command'] / best['old command']:.2f}; "
        f"identical CSV ({len(digests['command'])} digest)"
    )


if __name__ == "__main__":
    main()
