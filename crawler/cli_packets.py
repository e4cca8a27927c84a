"""``jiazheng capture | packet | check | stats``: evidence, referral packets and monthly figures,
thin commands over ``leads.evidence.capture``, ``leads.referral.packets`` and
``leads.referral.stats``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from crawler.browser import CHROMIUM_ARGS, pac_url, proxy_from
from crawler.cli_options import console, db_option, proxy_option
from crawler.egress import egress_policy
from crawler.runner import CrawlSetupError, check_proxy, crawl_settings, run_crawl
from keywords import load_library
from leads.evidence.capture import (
    CaptureResult,
    CaptureSettings,
    EvidenceError,
    capture_leads,
    capture_pending,
)
from leads.evidence.tsa import TimestampError, load_tsa_certificates
from leads.judge.verdict import LEAD_THRESHOLD
from leads.referral.packets import PacketError, build_packet, leads_without_evidence
from leads.referral.stats import write_monthly_stats
from leads.store import Store, StoreLockedError

evidence_option = click.option(
    "--evidence-dir", default="evidence", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Where evidence folders go.")


def tsa_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--tsa-url and the certificate its answers are verified against."""
    command = click.option(
        "--tsa-cert", envvar="JIAZHENG_TSA_CERT", default="",
        help="PEM file with the TSA's certificate or the CA that issued it; every answer's "
             "signature is verified against it (env JIAZHENG_TSA_CERT).")(command)
    return click.option(
        "--tsa-url", envvar="JIAZHENG_TSA_URL", default="",
        help="RFC 3161 timestamp authority for each manifest (env JIAZHENG_TSA_URL); "
             "needs --tsa-cert.")(command)


def capture_settings(proxy: str | None, tsa_url: str = "", tsa_cert: str = "") -> CaptureSettings:
    """The crawl's browser (JIAZHENG_CHROMIUM, CHROMIUM_ARGS) behind the crawl's proxy; a TSA
    only with the certificate its answers are verified against (read now, so a typo fails early)."""
    if tsa_url and not tsa_cert:
        raise TimestampError("--tsa-url 需要 --tsa-cert（时间戳服务证书），否则无法核验时间戳")
    if tsa_cert:
        load_tsa_certificates(tsa_cert)
    settings = crawl_settings(proxy=proxy)
    proxy_url = proxy_from(settings)
    if proxy_url:
        check_proxy(proxy_url)
    return CaptureSettings(
        chromium=settings.get("JIAZHENG_CHROMIUM"),
        browser_args=(*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url(proxy_url)}"),
        proxy=proxy_url, user_agent=settings.get("USER_AGENT"), tsa_url=tsa_url,
        tsa_cert=tsa_cert, egress_allow=tuple(settings.getlist("JIAZHENG_EGRESS_ALLOW")),
        no_sandbox=settings.getbool("JIAZHENG_CHROMIUM_NO_SANDBOX"),
        browser_user=settings.get("JIAZHENG_BROWSER_USER"))


@contextmanager
def _failing_clearly() -> Iterator[None]:
    """Setup problems end the command with exit code 2 and one sentence, not a traceback."""
    try:
        yield
    except (StoreLockedError, CrawlSetupError, EvidenceError, PacketError, TimestampError,
            FileNotFoundError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)


def _print_captures(results: list[CaptureResult]) -> None:
    table = Table(title=f"证据提取 {len(results)} 条")
    for heading in ("线索", "网址", "结果", "证据目录", "说明"):
        table.add_column(heading)
    for result in results:
        table.add_row(str(result.lead_id), result.url, result.outcome, str(result.folder),
                      result.error)
    console.print(table)


@click.command()
@db_option
@click.option("--min-score", type=int, default=LEAD_THRESHOLD, show_default=True,
              help="Capture leads scoring at least this.")
@proxy_option
@click.option("--out", "out", default="evidence", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where evidence folders go.")
@tsa_option
def capture(db: str, min_score: int, proxy: str | None, out: Path, tsa_url: str,
            tsa_cert: str) -> None:
    """Capture evidence (screenshot, WARC, headers, TLS, hashes) for leads that have none.

    Example: jiazheng capture --db jiazheng.db --out evidence --proxy http://127.0.0.1:8080
    """
    with _failing_clearly():
        settings = capture_settings(proxy, tsa_url, tsa_cert)
        store = Store(db)
        try:
            results = capture_pending(store, out, settings, min_score)
        finally:
            store.close()
    _print_captures(results)


@click.command()
@click.option("--agency", required=True,
              type=click.Choice(list(load_library().routing.agency_order)),
              help="Agency the packet is for.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only leads seen on or after this day (YYYY-MM-DD).")
@click.option("--out", default="packets", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where packets go.")
@db_option
@proxy_option
@evidence_option
@click.option("--no-capture", is_flag=True,
              help="Do not capture missing evidence first; such leads are listed as 未提取证据.")
@tsa_option
def packet(agency: str, since: object, out: Path, db: str, proxy: str | None,
           evidence_dir: Path, no_capture: bool, tsa_url: str, tsa_cert: str) -> None:
    """Build the next referral packet for one agency (PDF, XLSX, evidence, 清单, zip).

    Example: jiazheng packet --agency 公安 --since 2026-11-01 --out packets
    """
    since_text = since.date().isoformat() if since else ""  # type: ignore[attr-defined]
    with _failing_clearly():
        store = Store(db)
        try:
            missing = [] if no_capture else leads_without_evidence(store, agency, since_text)
            if missing:
                console.print(f"先为 {len(missing)} 条线索提取证据")
                _print_captures(capture_leads(store, missing, evidence_dir,
                                              capture_settings(proxy, tsa_url, tsa_cert)))
            built = build_packet(store, agency, out, since_text)
        finally:
            store.close()
    if built is None:
        console.print(f"没有需要移送{agency}的新线索")
        return
    console.print(f"移送包 {built.packet_id}：{len(built.lead_ids)} 条线索，"
                  f"网站已无法访问 {len(built.site_down)} 条，未提取证据 "
                  f"{len(built.without_evidence)} 条")
    console.print(f"目录 {built.folder}\n压缩包 {built.zip_path}\nSHA-256 {built.zip_sha256}")


@click.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@proxy_option
@evidence_option
@click.option("--no-delay", is_flag=True, help="No politeness delay (local test webs).")
@tsa_option
def check(urls: tuple[str, ...], db: str, proxy: str | None, evidence_dir: Path,
          no_delay: bool, tsa_url: str, tsa_cert: str) -> None:
    """Fetch, score, store and capture URLs someone reported (e.g. to the 12350 hotline).

    Example: jiazheng check http://www.example-banzheng.com/ --db jiazheng.db
    """
    with _failing_clearly():
        settings = crawl_settings(db=db, proxy=proxy, no_delay=no_delay)
        pasted = " ".join(urls).split()  # as the check spider reads them
        refused = [reason for url in pasted if (reason := egress_policy(settings).refusal(url))]
        if refused:
            raise CrawlSetupError("；".join(refused) + "。未抓取、未保存任何内容。")
        result = run_crawl("check", settings, urls=" ".join(pasted))
        store = Store(db)
        try:
            pages = store.checked_pages(result.run_id)
            leads = [{"id": page["lead_id"], "url": page["final_url"]}
                     for page in pages if page["lead_id"]]
            captures = {r.lead_id: r for r in capture_leads(
                store, leads, evidence_dir, capture_settings(proxy, tsa_url, tsa_cert))}
        finally:
            store.close()
    table = Table(title="核查结果")
    for heading in ("网址", "类别", "评分", "线索", "证据"):
        table.add_column(heading)
    for page in pages:
        done = captures.get(page["lead_id"])
        table.add_row(page["url"], page["error"] or page["category"] or "none",
                      str(page["score"]), str(page["lead_id"] or "-"),
                      f"{done.outcome} {done.folder}" if done else "-")
    console.print(table)


@click.command()
@click.option("--month", required=True, help="Month to count, YYYY-MM.")
@click.option("--out", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where the tables go.")
@db_option
def stats(month: str, out: Path, db: str) -> None:
    """Write the campaign's monthly 附表 (XLSX and CSV): known figures filled, the rest blank.

    Example: jiazheng stats --month 2026-11 --out reports
    """
    with _failing_clearly():
        store = Store(db)
        try:
            written = write_monthly_stats(store, month, out)
        finally:
            store.close()
    console.print("已写出 " + "、".join(str(path) for path in written))
