"""``jiazheng score-domains`` and ``jiazheng watch-ct``: lookalike domains from a list or from
Certificate Transparency, over leads.judge.domains and leads.feeds.ct_watch."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from crawler.cli.options import console, db_option, fail, open_store
from leads.feeds.ct_watch import Lookalike, WatchSetupError, run_watch
from leads.feeds.domain_feed import score_domain_feed
from leads.judge.verdict import LEAD_THRESHOLD


@click.command("score-domains")
@click.argument("source", type=click.File("r", encoding="utf-8-sig", errors="replace"), default="-")
@click.option(
    "--threshold",
    type=int,
    default=LEAD_THRESHOLD,
    show_default=True,
    help="Score from which is_lookalike is yes.",
)
def score_domains(source: TextIO, threshold: int) -> None:
    """Score domains or URLs (one a line, FILE or - for stdin) as lookalikes of the official
    verification platforms; print CSV, one row per input line in input order: line, input,
    domain, score, is_lookalike, target, reasons. Bad lines are reported in reasons.

    Example: jiazheng score-domains new-domains.txt > scored.csv
    """
    counts = score_domain_feed(source, sys.stdout, threshold)
    console.print(f"已评分 {counts.lines} 行：仿冒域名 {counts.lookalikes} 个")


@click.command("watch-ct")
@click.option(
    "--url",
    required=True,
    help="certstream-compatible websocket (certstream-server-go), ws:// or wss://.",
)
@db_option
@click.option("--max-messages", type=int, help="Stop after this many messages (tests).")
@click.option("--max-seconds", type=float, help="Stop after this many seconds (tests).")
def watch_ct(url: str, db: str, max_messages: int | None, max_seconds: float | None) -> None:
    """Watch a Certificate Transparency feed and store lookalike domains as candidates that the
    next crawl fetches and page-scores. Reconnects after drops; Ctrl-C stops cleanly.

    Example: jiazheng watch-ct --url ws://127.0.0.1:8080/ --db jiazheng.db
    """
    with open_store(db) as store:

        def save(found: list[Lookalike]) -> int:
            for domain, score in found:
                console.print(f"仿冒域名 {domain} → {score.target}（{score.score} 分）")
            rows = [(domain, score.score, score.target, score.reasons) for domain, score in found]
            return store.save_domain_candidates(rows, source=f"ct:{url}")

        try:
            stats = run_watch(url, save, max_messages=max_messages, max_seconds=max_seconds)
        except WatchSetupError as exc:
            fail(f"无法开始监听：{exc}")
    console.print(
        f"监听结束（{stats.stopped_by}）：消息 {stats.messages} · 证书 {stats.certificates} · "
        f"心跳 {stats.heartbeats} · 无法解析 {stats.bad_messages} · 域名 {stats.domains} · "
        f"仿冒 {stats.lookalikes} · 新候选 {stats.new_candidates} · 重连 {stats.reconnects}"
    )
