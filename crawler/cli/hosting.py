"""``jiazheng whois HOST``: who is behind one host — DNS, the network and AS of its addresses,
the domain's registrar, dates and status, the abuse contacts — in the Chinese lines an officer
reads (``--json`` for scripts), looked up as the crawl does (``leads.hosting``) and kept in the
store; and the same lines under ``check``'s table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

import click
from rich.markup import escape

from crawler.cli.options import console, db_option, fail, open_store, proxy_option
from crawler.egress import egress_policy
from crawler.host_lookups import hosting_settings
from crawler.runner import CrawlSetupError, crawl_settings
from leads.hosting.answers import answers_from_rows
from leads.hosting.host_facts import lead_fields, refresh_host_facts
from leads.hosting.quick_look import quick_look
from leads.hosting.settings import HostingSettingsError
from leads.judge.hostnames import host_parts
from leads.store import Store

NOT_CONFIGURED = ("未配置 DNS 解析服务器：请设置 JIAZHENG_DNS_RESOLVER（环境变量或 -s "
                  "JIAZHENG_DNS_RESOLVER=地址:端口），以及 JIAZHENG_RDAP_BOOTSTRAP、"
                  "JIAZHENG_WHOIS_SERVERS")


def host_report(store: Store, host: str) -> dict[str, object]:
    """The latest stored lookup of ``host``: its fields and every source's answer."""
    rows = store.latest_host_facts(host)
    return {"host": host, "looked_up_at": rows[0]["looked_up_at"] if rows else "",
            "fields": lead_fields(answers_from_rows(rows)) if rows else {},
            "answers": [{key: row[key] for key in ("source", "subject", "server", "outcome",
                                                   "detail", "fields", "raw")} for row in rows]}


def host_lines(store: Store, host: str) -> list[str]:
    rows = store.latest_host_facts(host)
    return quick_look(host, rows[0]["looked_up_at"] if rows else "", answers_from_rows(rows))


def print_host_facts(store: Store, urls: Iterable[str]) -> None:
    """``check``: each lead host's quick look under the table."""
    for host in dict.fromkeys(host_parts(url).host for url in urls):
        console.print(escape("\n".join(host_lines(store, host))), soft_wrap=True)


@click.command("whois")
@click.argument("host")
@db_option
@proxy_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields and raw answers).")
@click.option("--fresh", is_flag=True, help="Look up again even within the lookup TTL.")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a setting, e.g. -s JIAZHENG_DNS_RESOLVER=10.1.1.53:53.")
def whois(host: str, db: str, proxy: str | None, as_json: bool, fresh: bool,
          overrides: tuple[str, ...]) -> None:
    """Who is behind HOST (a host name or URL): DNS, network owner and AS, registrar, dates,
    abuse contacts — looked up through the configured resolver, RDAP and WHOIS, and stored.

    Example: jiazheng whois www.example-banzheng.com --db jiazheng.db
    """
    try:
        settings = crawl_settings(db=db, proxy=proxy, overrides=overrides)
        hosting = hosting_settings(settings)
    except (CrawlSetupError, HostingSettingsError, ValueError) as exc:
        fail(str(exc))
    name = host_parts(host).host
    if not name:
        fail(f"无法识别的主机：{host}")
    if refused := egress_policy(settings).refusal(f"http://{name}/"):
        fail(f"{refused}。未查询。")
    if not hosting.enabled:
        fail(NOT_CONFIGURED)
    with open_store(db) as store:
        refresh_host_facts(store, [name], replace(hosting, ttl=0) if fresh else hosting)
        if as_json:
            click.echo(json.dumps(host_report(store, name), ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(host_lines(store, name)))
