"""A lead host's DNS records (A, AAAA, CNAME; NS and MX of its registered domain), asked of the
configured resolver with dnspython, within one deadline for the whole host.

A name that does not exist, a resolver that does not answer, an answer that is not DNS — each is
the lookup's outcome, with every answer's text kept raw. Addresses a seller's DNS points at the
office network or loopback (``internal_address``) are a signal on the lead, never asked about
further: no RDAP, no connection.
"""

from __future__ import annotations

import ipaddress
import time

import dns.exception
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype

from leads.hosting.answers import SourceAnswer
from leads.hosting.settings import HostingSettings

HOST_TYPES = ("A", "AAAA", "CNAME")
DOMAIN_TYPES = ("NS", "MX")  # asked of the registered domain: a www. host has neither
MAX_RECORDS = 20  # per type: a hostile zone answering hundreds of addresses is cut here
# Networks no public site lives in: an answer pointing there aims at our own network.
INTERNAL_NETWORKS = {
    "0.0.0.0/8": "本网络地址", "10.0.0.0/8": "内网私有地址", "100.64.0.0/10": "运营商级 NAT 地址",
    "127.0.0.0/8": "回环地址", "169.254.0.0/16": "链路本地地址（含云服务器元数据地址）",
    "172.16.0.0/12": "内网私有地址", "192.168.0.0/16": "内网私有地址", "224.0.0.0/4": "组播地址",
    "240.0.0.0/4": "保留地址", "::/128": "未指定地址", "::1/128": "回环地址",
    "fc00::/7": "内网私有地址（ULA）", "fe80::/10": "链路本地地址", "ff00::/8": "组播地址",
}
_INTERNAL = [(ipaddress.ip_network(cidr), why) for cidr, why in INTERNAL_NETWORKS.items()]


def internal_address(address: str) -> str:
    """Why ``address`` is inside an office network or this machine ("" when it is not). The
    documentation ranges (192.0.2.0/24 …) are not internal: they belong to no one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "无法识别的地址"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return next((why for network, why in _INTERNAL if ip in network), "")


def look_up_dns(host: str, registered_domain: str, settings: HostingSettings) -> SourceAnswer:
    """Every record type of ``host`` (and NS/MX of ``registered_domain``) within
    ``settings.timeout`` seconds in all."""
    server, port = settings.resolver_address()
    where = f"{server}:{port}"
    deadline = time.monotonic() + settings.timeout
    records: dict[str, list[str]] = {}
    raw: list[str] = []
    asks = [(host, kind) for kind in HOST_TYPES]
    asks += [(registered_domain, kind) for kind in DOMAIN_TYPES if registered_domain]
    try:
        names = {name: dns.name.from_text(name) for name, _ in asks}
    except (dns.exception.DNSException, UnicodeError) as exc:
        return _answer(host, "error", records, raw, f"主机名无效：{type(exc).__name__}", where)
    for name, kind in asks:
        left = deadline - time.monotonic()
        if left <= 0:
            return _answer(host, "timeout", records, raw, f"{settings.timeout:g} 秒内未答完", where)
        try:
            query = dns.message.make_query(names[name], kind)
            reply = dns.query.udp(query, server, timeout=left, port=port)
        except dns.exception.Timeout:
            return _answer(host, "timeout", records, raw, f"查询 {name} {kind} 超时", where)
        except (dns.exception.DNSException, ValueError) as exc:
            return _answer(host, "garbage", records, raw,
                           f"查询 {name} {kind} 的答复不是有效的 DNS 报文：{type(exc).__name__}",
                           where)
        except OSError as exc:
            return _answer(host, "error", records, raw, f"无法查询 {where}：{exc}", where)
        raw.append(f";; {name} {kind}\n{reply.to_text()}")
        if reply.rcode() == dns.rcode.NXDOMAIN and name == host:
            return _answer(host, "not_found", records, raw, f"{host} 不存在（NXDOMAIN）", where)
        _collect(reply, records)
    outcome = "ok" if records.get("A") or records.get("AAAA") else "no_answer"
    return _answer(host, outcome, records, raw, "" if outcome == "ok" else "无 A/AAAA 记录",
                   where)


def _collect(reply: dns.message.Message, records: dict[str, list[str]]) -> None:
    for rrset in reply.answer:
        kind = dns.rdatatype.to_text(rrset.rdtype)
        if kind not in HOST_TYPES + DOMAIN_TYPES:
            continue
        kept = records.setdefault(kind, [])
        for item in sorted(rrset, key=str):  # a record set has no order: sorted, to compare
            text = item.to_text().rstrip(".") if kind != "MX" else (
                f"{item.preference} {item.exchange.to_text().rstrip('.')}")
            if text not in kept and len(kept) < MAX_RECORDS:
                kept.append(text)


def _answer(host: str, outcome: str, records: dict[str, list[str]], raw: list[str],
            detail: str, server: str) -> SourceAnswer:
    addresses = records.get("A", []) + records.get("AAAA", [])
    internal = {address: why for address in addresses if (why := internal_address(address))}
    fields = {**records, "addresses": addresses, "internal": internal}
    return SourceAnswer("dns", host, outcome, fields, "\n".join(raw), detail, server)
