"""``jiazheng capture | packet | check``: evidence and referral packets, thin commands over
``leads.evidence.capture`` and ``leads.referral.packets``.

``capture`` and ``packet`` work on leads a crawl stored, so a missing --db is an error; ``check``
crawls the pasted URLs itself and creates the database like ``crawl``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from crawler.browser import CHROMIUM_ARGS, pac_url, proxy_from
from crawler.cli.hosting import print_host_facts
from crawler.cli.options import (
    console,
    db_option,
    evidence_dir_option,
    fail,
    open_store,
    proxy_option,
)
from crawler.egress import egress_policy
from crawler.host_lookups import hosting_settings
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
from leads.referral.office_config import (
    CONFIG_ENV,
    CONFIG_NAME,
    OfficeConfigError,
    config_path,
    load_office_config,
)
from leads.referral.packets import (
    PacketError,
    build_packet,
    leads_without_evidence,
    packet_leads,
)


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
        browser_user=settings.get("JIAZHENG_BROWSER_USER"),
        hosting=hosting_settings(settings, with_proxy=False))


@contextmanager
def _failing_clearly() -> Iterator[None]:
    """Setup problems end the command with exit code 2 and one sentence, not a traceback."""
    try:
        yield
    except (CrawlSetupError, EvidenceError, PacketError, TimestampError, FileNotFoundError,
            OfficeConfigError, ValueError) as exc:
        fail(str(exc))


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
@evidence_dir_option("--out")
@tsa_option
def capture(db: str, min_score: int, proxy: str | None, evidence_dir: Path, tsa_url: str,
            tsa_cert: str) -> None:
    """Capture evidence (screenshot, WARC, headers, TLS, hashes) for leads that have none.

    Example: jiazheng capture --db jiazheng.db --out evidence --proxy http://127.0.0.1:8080
    """
    with _failing_clearly():
        settings = capture_settings(proxy, tsa_url, tsa_cert)
        with open_store(db, must_exist=True) as store:
            results = capture_pending(store, evidence_dir, settings, min_score)
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
@evidence_dir_option("--evidence-dir")
@click.option("--no-capture", is_flag=True,
              help="Do not capture missing evidence first; such leads are listed as 未提取证据.")
@click.option("--include-unreviewed", is_flag=True,
              help="Also refer leads no analyst has confirmed yet (review import); every "
                   "document marks them 未核实. Default: confirmed leads only.")
@click.option("--network", type=int, default=None, metavar="N",
              help="Refer seller network N (jiazheng networks) as one case (串案): all its "
                   "leads not yet referred to the agency, whatever agency each was routed to; "
                   "the 移送函 lists the shared contacts that make them one seller.")
@tsa_option
@click.option("--config", "config", default=None, metavar="PATH",
              help=f"The office's settings for the 移送函 (sending unit, addressees, basis, "
                   f"contact, 发文字号); default: ${CONFIG_ENV}, else ./{CONFIG_NAME}; "
                   f"without one the letter shows what to fill in. jiazheng init writes one.")
def packet(agency: str, since: object, out: Path, db: str, proxy: str | None,
           evidence_dir: Path, no_capture: bool, include_unreviewed: bool,
           network: int | None, tsa_url: str, tsa_cert: str, config: str | None) -> None:
    """Build the next referral packet for one agency (移送函 as PDF and DOCX, XLSX, evidence,
    清单, 校验值清单, zip) from the leads analysts confirmed.

    Example: jiazheng packet --agency 公安 --since 2026-11-01 --out packets
    """
    since_text = since.date().isoformat() if since else ""  # type: ignore[attr-defined]
    with _failing_clearly():
        office_file = config_path(config)
        office = load_office_config(office_file)
    if office_file is None:
        console.print(f"未找到 {CONFIG_NAME}：移送函中的发文机关、主送机关等以“请填写”占位"
                      f"（jiazheng init 生成配置文件）")
    with _failing_clearly(), open_store(db, must_exist=True) as store:
        if network is not None and store.network(network) is None:
            fail(f"没有编号为 {network} 的卖家网络（jiazheng networks 列出现有网络）")
        missing = [] if no_capture else leads_without_evidence(
            store, agency, since_text, include_unreviewed=include_unreviewed, network=network)
        if missing:
            console.print(f"先为 {len(missing)} 条线索提取证据")
            _print_captures(capture_leads(store, missing, evidence_dir,
                                          capture_settings(proxy, tsa_url, tsa_cert)))
        built = build_packet(store, agency, out, since_text,
                             include_unreviewed=include_unreviewed, office=office,
                             network=network)
        waiting = 0 if include_unreviewed else len(
            packet_leads(store, agency, (since_text, 0, True), network))
    if built is None:
        console.print(f"没有需要移送{agency}的已核实新线索" + (
            f"；另有 {waiting} 条线索尚未核实（用 review import 核实，或加 --include-unreviewed）"
            if waiting else ""))
        return
    console.print(f"移送包 {built.packet_id}：{len(built.lead_ids)} 条线索"
                  f"（未核实 {len(built.unreviewed)} 条），"
                  f"网站已无法访问 {len(built.site_down)} 条，未提取证据 "
                  f"{len(built.without_evidence)} 条")
    console.print(f"发文字号 {built.reference}\n目录 {built.folder}\n压缩包 {built.zip_path}\n"
                  f"SHA-256 {built.zip_sha256}")


@click.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@proxy_option
@evidence_dir_option("--evidence-dir")
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
        with open_store(db) as store:
            pages = store.checked_pages(result.run_id)
            leads = [{"id": page["lead_id"], "url": page["final_url"]}
                     for page in pages if page["lead_id"]]
            captures = {r.lead_id: r for r in capture_leads(
                store, leads, evidence_dir, capture_settings(proxy, tsa_url, tsa_cert))}
    table = Table(title="核查结果")
    for heading in ("网址", "类别", "评分", "线索", "证据"):
        table.add_column(heading)
    for page in pages:
        done = captures.get(page["lead_id"])
        table.add_row(page["url"], page["error"] or page["category"] or "none",
                      str(page["score"]), str(page["lead_id"] or "-"),
                      f"{done.outcome} {done.folder}" if done else "-")
    console.print(table)
    with open_store(db) as store:
        print_host_facts(store, [page["final_url"] for page in pages if page["lead_id"]])
