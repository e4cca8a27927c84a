"""One lookup of a lead host — DNS, RDAP of its public addresses, RDAP or WHOIS of its domain —
and what it makes of the lead: server addresses, network owner and AS, registrar, dates, abuse
contacts, signals.

Lookups are cached in the store for ``settings.ttl`` seconds (a host asked again within that time
is answered from the store), started at most ``settings.rate`` a second by ``settings.workers``
threads, and each source has ``settings.timeout`` seconds. The same ``refresh_host_facts`` serves
the crawl's finishing, capture, recheck, ``check`` and ``jiazheng whois``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leads.hosting.answers import OUTCOMES, SOURCE_NAMES, SourceAnswer
from leads.hosting.dns_records import internal_address, look_up_dns
from leads.hosting.rdap import look_up_domain, look_up_ip
from leads.hosting.settings import HostingSettings
from leads.hosting.whois import look_up_whois
from leads.judge.hostnames import host_parts
from leads.judge.observations import BEIJING, utc_now
from leads.store import Store

MAX_ADDRESSES = 3  # addresses of one host asked about by RDAP
PROBLEMS = ("timeout", "garbage", "error")  # outcomes worth a signal on the lead


@dataclass(frozen=True)
class HostLookup:
    host: str
    looked_up_at: str
    answers: tuple[SourceAnswer, ...] = field(default_factory=tuple)


def look_up_host(host: str, settings: HostingSettings) -> HostLookup:
    """Every source about ``host``, once; outcomes, never exceptions."""
    started = utc_now()
    parts = host_parts(host)
    answers: list[SourceAnswer] = []
    if parts.is_ip:
        addresses = [parts.host]
    else:
        dns = look_up_dns(parts.host, parts.registered_domain, settings)
        answers.append(dns)
        addresses = dns.fields.get("addresses", [])
    public = [address for address in addresses if not internal_address(address)]
    answers += [look_up_ip(address, settings) for address in public[:MAX_ADDRESSES]]
    if parts.registered_domain:
        domain = look_up_domain(parts.registered_domain, settings)
        if domain.outcome == "not_configured":  # the registry has no RDAP: WHOIS
            domain = look_up_whois(parts.registered_domain, settings)
        answers.append(domain)
    return HostLookup(parts.host, started, tuple(answers))


class RateLimit:
    """At most ``rate`` starts a second, across threads."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        time.sleep(max(0.0, start - now))


def look_up_hosts(hosts: Iterable[str], settings: HostingSettings) -> Iterator[HostLookup]:
    """Look ``hosts`` up in parallel at the configured rate; yields each as it is done."""
    limit = RateLimit(settings.rate)

    def one(host: str) -> HostLookup:
        limit.wait()
        return look_up_host(host, settings)

    with ThreadPoolExecutor(max(1, settings.workers), thread_name_prefix="host-facts") as pool:
        yield from pool.map(one, hosts)


def refresh_host_facts(store: Store, urls_or_hosts: Iterable[str],
                       settings: HostingSettings) -> list[str]:
    """Look up every host not looked up within the TTL and store the answers; the hosts done."""
    if not settings.enabled:
        return []
    hosts = list(dict.fromkeys(host_parts(item).host for item in urls_or_hosts))
    stale = [host for host in hosts if host and not store.host_facts_fresh(host, settings.ttl)]
    for lookup in look_up_hosts(stale, settings):
        save_lookup(store, lookup)
    store.share_host_facts()
    return stale


def save_lookup(store: Store, lookup: HostLookup) -> None:
    store.save_host_facts(lookup.host, lookup.looked_up_at,
                          [answer.row() for answer in lookup.answers], lead_fields(lookup.answers))


def lead_fields(answers: Iterable[SourceAnswer]) -> dict[str, str]:
    """The lead columns a lookup fills (texts an analyst reads in the CSV)."""
    answers = list(answers)
    dns = next((a for a in answers if a.source == "dns"), None)
    networks = [a.fields for a in answers if a.source == "rdap_ip" and a.outcome == "ok"]
    domain = next((a.fields for a in answers
                   if a.source in ("rdap_domain", "whois") and a.outcome == "ok"), {})
    addresses = dns.fields.get("addresses", []) if dns else [
        a.subject for a in answers if a.source == "rdap_ip"]
    contacts = [_contact("接入服务商", network.get("owner", ""), contact)
                for network in networks for contact in network.get("abuse", [])]
    contacts += [_contact("域名注册商", domain.get("registrar", ""), contact)
                 for contact in domain.get("abuse", [])]
    return {
        "server_ips": ";".join(addresses),
        "network_owner": ";".join(_unique(n.get("owner", "") for n in networks)),
        "asn": ";".join(_unique(asn for n in networks for asn in n.get("asn", []))),
        "registrar": domain.get("registrar", ""),
        "domain_created": beijing_day(domain.get("created", "")),
        "domain_expires": beijing_day(domain.get("expires", "")),
        "domain_status": ";".join(domain.get("status", [])),
        "abuse_contacts": "；".join(_unique(contacts)),
        "host_signals": "；".join(host_signals(answers)),
    }


def host_signals(answers: list[SourceAnswer]) -> list[str]:
    """What the lookup itself says: DNS aimed at internal addresses, sources that failed."""
    signals = [f"DNS 指向内网地址 {address}（{why}），未查询其注册信息"
               for a in answers if a.source == "dns"
               for address, why in a.fields.get("internal", {}).items()]
    signals += [f"{SOURCE_NAMES[a.source]} {a.subject}：{OUTCOMES[a.outcome]}"
                + (f"（{a.detail}）" if a.detail else "")
                for a in answers if a.outcome in PROBLEMS]
    return signals


def beijing_day(moment: str) -> str:
    """An RDAP/WHOIS date as the day in Beijing (YYYY-MM-DD); CNNIC's times already are."""
    try:
        parsed = datetime.fromisoformat(moment.strip().replace(" ", "T"))
    except ValueError:
        return moment[:40]
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(BEIJING)
    return parsed.date().isoformat()


def _contact(role: str, owner: str, contact: dict[str, Any]) -> str:
    who = owner or contact.get("name", "")
    reach = " ".join(x for x in (contact.get("email", ""), contact.get("phone", "")) if x)
    return f"{role} {who}：{reach}" if who else f"{role}：{reach}"


def _unique(values: Iterable[str]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value]
