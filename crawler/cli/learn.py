"""``jiazheng learn``: refit the learned signal from analysts' decisions (leads/learning/) and say
what it learned. ``nightly`` fits the same way before its crawl."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from crawler.cli.options import console, db_option, open_store
from leads.judge.learned_similarity import MIN_CONFIRMED, MIN_FALSE_POSITIVES, SIMILAR_CUT
from leads.learning import FitReport, fit


def describe_fit(report: FitReport) -> str:
    """The fit in sentences for the analyst: counts, whether the signal is on, the version."""
    counts = (f"已学习分析员的判定：已确认 {report.confirmed} 条，误报 {report.false_positives} 条"
              f"（启用需各至少 {MIN_CONFIRMED}/{MIN_FALSE_POSITIVES} 条）")
    if report.active:
        state = (f"学习信号已启用：与已确认线索相似度 ≥ {SIMILAR_CUT:.0%} 的漏网页面将列为线索，"
                 f"与误报线索相似的页面将不作为线索，并各附理由")
    else:
        state = "学习信号未启用：判定数量不足，评判仍只依规则"
    version = f"模型版本 {report.version or '（无）'}"
    if report.changed:
        version += f"（上次 {report.previous_version or '无'}；已变化，下次抓取将重新评判页面）"
    else:
        version += "（与上次相同）"
    return "\n".join((counts, state, version))


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the fit as one JSON object on stdout.")
def learn(db: str, as_json: bool) -> None:
    """Refit the learned signal from every confirmed / false-positive decision in the store.

    The next crawl judges with it: once there are enough decisions of both kinds, a page like
    confirmed leads becomes a lead and one like rejected leads drops, each with its reason.

    Example: jiazheng learn --db jiazheng.db
    """
    with open_store(db, must_exist=True) as store:
        report = fit(store)
    if as_json:
        click.echo(json.dumps({**asdict(report), "changed": report.changed}, ensure_ascii=False))
    console.print(describe_fit(report), soft_wrap=True)
