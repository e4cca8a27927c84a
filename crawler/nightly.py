"""``jiazheng nightly``: one unattended run for cron or a systemd timer.

Steps, each a child process (Scrapy's reactor runs once per process, and a crashed step must
not take the others down): crawl every engine, re-check referred leads, capture evidence for
leads that have none, then export the leads that are new since the last nightly run and write a
run report. A lock file stops a second nightly on the same database; a nightly
killed mid-crawl is resumed by the next one (same run, nothing fetched twice, nothing lost).
The report says, per engine, how its result pages were answered: a night when every engine
served captchas or block pages is *degraded* (its "0 new leads" means nothing was searched).
Seller networks are rebuilt last, after the export (``jiazheng networks`` shows them).
Before the crawl, in this process (no reactor needed), the learned signal is refitted from
analysts' decisions (leads/learning/, as ``jiazheng learn`` does), so tonight judges with them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.summary import OUTCOME_LABELS, OUTCOMES
from leads.egress.redact import redact_text
from leads.judge.observations import utc_now
from leads.learning import fit
from leads.outputs import atomic_file, exclusive
from leads.referral.export import export_leads_since
from leads.store import Store


class NightlyError(RuntimeError):
    """A nightly run failed; the message says which step and why."""


@dataclass
class NightlyConfig:
    db: str
    out_dir: Path
    proxy: str = ""
    max_queries: int | None = None
    no_delay: bool = False
    overrides: tuple[str, ...] = ()
    capture: bool = True  # evidence for new leads (a browser per lead: the slow step)


@dataclass
class NightlyReport:
    started_at: str
    crawl_run: int = 0
    recheck_run: int = 0
    steps: dict[str, str] = field(default_factory=dict)
    new_leads: int = 0
    new_leads_csv: str = ""
    counts: dict[str, Any] = field(default_factory=dict)
    takedown_days: dict[str, float] = field(default_factory=dict)
    finished_at: str = ""
    # Per engine asked in the crawl run: result pages asked and how each was answered (results,
    # empty, captcha, blocked, error); the engines that answered none and refused at least one;
    # degraded: every engine asked was refused, so "no new leads" means "could not search".
    engines: dict[str, dict[str, int]] = field(default_factory=dict)
    blocked_engines: list[str] = field(default_factory=list)
    degraded: bool = False
    # The learned model refitted before the crawl (leads.learning.FitReport): counts, active,
    # version, previous_version, fitted_at.
    learned: dict[str, Any] = field(default_factory=dict)
    # Seller networks rebuilt after the export (leads/networks/, as ``jiazheng networks``):
    # networks, leads in them, numbers new and retired.
    networks: dict[str, int] = field(default_factory=dict)


REFUSALS = ("captcha", "blocked")  # the engine would not answer (not "nothing found")
ANSWERS = ("results", "empty")


def engine_outcomes(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """``Store.query_outcomes`` rows → per engine, pages asked and the count of each outcome."""
    engines: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = engines.setdefault(row["engine"], {"asked": 0, **dict.fromkeys(OUTCOMES, 0)})
        counts[row["outcome"]] += row["n"]
        counts["asked"] += row["n"]
    return engines


def is_blocked(counts: dict[str, int]) -> bool:
    """An engine that answered no result page (not even "no results") and refused at least one
    with a captcha or a block page; errors (timeouts) do not make an answer."""
    return not any(counts[o] for o in ANSWERS) and any(counts[o] for o in REFUSALS)


def blocked_summary(report: NightlyReport) -> str:
    """``baidu 验证码 12、拦截 0；sogou …``: the refusals of each blocked engine, for messages."""
    return "；".join(
        f"{engine} " + "、".join(f"{OUTCOME_LABELS[o]} {report.engines[engine][o]}"
                                for o in REFUSALS)
        for engine in report.blocked_engines)


@contextmanager
def nightly_lock(db: str) -> Iterator[None]:
    """Only one nightly per database at a time (an flock, released even if we are killed)."""
    with exclusive(Path(f"{db}.nightly.lock"),
                   NightlyError(f"另一个 nightly 正在使用 {db}，本次不运行")):
        yield


def _jiazheng(args: list[str], proxy: str) -> subprocess.CompletedProcess[str]:
    """A ``jiazheng`` child process. The proxy goes in its environment (JIAZHENG_PROXY), never on
    its command line, which every user of the machine can read (it may hold a password)."""
    env = {**os.environ, "JIAZHENG_PROXY": proxy} if proxy else None
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, check=False, env=env)


def _step(report: NightlyReport, config: NightlyConfig, name: str, args: list[str]) -> None:
    result = _jiazheng(args, config.proxy)
    report.steps[name] = "ok" if result.returncode == 0 else f"failed ({result.returncode})"
    if result.returncode != 0:
        tail = redact_text("\n".join(result.stderr.strip().splitlines()[-5:]))
        raise NightlyError(f"步骤 {name} 失败（退出码 {result.returncode}）：{tail}")


def _common(config: NightlyConfig) -> list[str]:
    args = ["--db", config.db]
    if config.no_delay:
        args.append("--no-delay")
    for override in config.overrides:
        args += ["-s", override]
    return args


def run_nightly(config: NightlyConfig) -> NightlyReport:
    """Run every step; raises NightlyError (after writing the report) when one fails."""
    config.out_dir.mkdir(parents=True, exist_ok=True)
    report = NightlyReport(started_at=utc_now())
    with nightly_lock(config.db):
        try:
            _run_steps(config, report)
        finally:
            report.finished_at = utc_now()
            write_report(report, config.out_dir)
    return report


def _run_steps(config: NightlyConfig, report: NightlyReport) -> None:
    store = Store(config.db)
    try:
        since_run = store.last_finished_run("search")
        unfinished = store.unfinished_run("search")
        report.learned = asdict(fit(store))
    finally:
        store.close()
    crawl_args = ["crawl", *_common(config)]
    if config.max_queries is not None:
        crawl_args += ["--max-queries", str(config.max_queries)]
    if unfinished:
        crawl_args += ["-s", f"JIAZHENG_RESUME_RUN={unfinished}"]
    _step(report, config, "crawl", crawl_args)
    _step(report, config, "recheck", ["recheck", *_common(config)])
    if config.capture:
        _step(report, config, "capture",
              ["capture", "--db", config.db, "--out", str(config.out_dir / "evidence")])
    store = Store(config.db)
    try:
        report.crawl_run = store.last_finished_run("search")
        report.recheck_run = store.last_finished_run("recheck")
        report.counts = store.run_counts(report.crawl_run)
        report.engines = engine_outcomes(store.query_outcomes(report.crawl_run))
        report.blocked_engines = [name for name, counts in report.engines.items()
                                  if is_blocked(counts)]
        report.degraded = bool(report.engines) and len(report.blocked_engines) == len(
            report.engines)
        report.takedown_days = store.days_to_takedown()
        out = config.out_dir / f"new-leads-run{report.crawl_run}.csv"
        report.new_leads = export_leads_since(store, out, after_run=since_run)
        report.new_leads_csv = str(out)
        report.networks = asdict(store.rebuild_networks())
    finally:
        store.close()


def write_report(report: NightlyReport, out_dir: Path) -> Path:
    """The run report as JSON (for scripts) next to the CSV; whole or absent, like every output
    (a monitoring script reading it never sees half a report)."""
    path = out_dir / f"nightly-{report.started_at.replace(':', '')}.json"
    with atomic_file(path) as partial:
        partial.write_text(json.dumps(report.__dict__, ensure_ascii=False, indent=2),
                           encoding="utf-8")
    return path
