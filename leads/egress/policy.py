"""The egress policy: which URLs the crawler, the browser and evidence capture may ask for.

Seller pages are written by criminals and the crawler runs inside an office network: a link, a
redirect, a refresh, a logo or a script on such a page must not make us fetch an internal address
(SSRF) and file the answer as evidence. One pure judgement serves every fetcher:
``EgressPolicy.refusal(url)`` is ``None`` (allowed) or the reason, in words an analyst reads.

- Only http and https.
- The host is read the way a browser reads it (WHATWG URL standard): backslashes are slashes,
  tabs and newlines vanish, percent-escapes and full-width characters are decoded, a trailing dot
  is dropped, and a host ending in a number is an IPv4 address in any inet_aton spelling
  (2130706433, 0x7f000001, 0177.0.0.1, 127.1, 0x7f.0.0.1). Where Python's own URL split reads
  another host (userinfo and backslash tricks), that host must pass too.
- No address outside the public internet: loopback, private, link-local, CGNAT, multicast,
  reserved, unspecified, broadcast; an IPv4 address inside IPv6 (mapped, NAT64, 6to4, Teredo,
  compatible) is judged as the IPv4 address.
- No name internal by convention (localhost, *.local, *.internal, …, or a name without a dot,
  which only a local search domain can resolve), nor a name spelling a refused address
  (10.0.0.1.nip.io, 127-0-0-1.sslip.io, 0a000001.nip.io): wildcard DNS services answer those
  with the address they spell.

``address_refusal`` judges the address a name resolved to, for fetchers that connect without a
proxy. Exceptions are explicit (``allowing``: ``host:port`` or a CIDR network; the crawl's
``JIAZHENG_EGRESS_ALLOW``), for tests and the demo web's own servers; none by default.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Names that only ever mean a machine on the local network (RFC 6761/6762/8375, ICANN's
# .internal, and the suffixes office networks use by habit).
INTERNAL_NAMES = ("localhost", "local", "localdomain", "internal", "lan", "intranet", "corp",
                  "home", "home.arpa")
CGNAT = ipaddress.ip_network("100.64.0.0/10")  # not "private" to Python, internal to us
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Four numbers 0-255 joined by dots or dashes anywhere in a name (nip.io, sslip.io, xip.io…);
# a lookahead so that 1.10.0.0.1 also yields 10.0.0.1.
SPELLED_IPV4 = re.compile(
    r"(?=(?<![0-9])([0-9]{1,3})[.-]([0-9]{1,3})[.-]([0-9]{1,3})[.-]([0-9]{1,3})(?![0-9]))")
HEX_IPV4 = re.compile(r"(?:^|[.-])([0-9a-f]{8})(?=$|[.-])")  # nip.io: 0a000001.nip.io
# WHATWG "forbidden host code points", plus % (an escape left after decoding once).
FORBIDDEN_HOST = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|%\x7f]")
WHITESPACE_INSIDE = re.compile(r"[\t\n\r]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_SHOWN_URL = 200


@dataclass(frozen=True)
class Target:
    """One host:port a URL may reach: ``host`` canonical (lower-case name or address text)."""

    host: str
    port: int
    address: IPAddress | None = None


@dataclass(frozen=True)
class EgressPolicy:
    """The policy with its explicit exceptions (empty: no internal address at all)."""

    networks: tuple[IPNetwork, ...] = ()
    endpoints: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def allowing(cls, entries: Iterable[str]) -> EgressPolicy:
        """Exceptions from ``host:port`` (``127.0.0.1:8899``, ``[::1]:80``) or CIDR entries;
        a malformed entry is a ValueError naming it."""
        networks: list[IPNetwork] = []
        endpoints: set[tuple[str, int]] = set()
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                if "/" in entry:
                    networks.append(ipaddress.ip_network(entry, strict=False))
                    continue
                target = _target(entry, "", "http")
            except ValueError as exc:
                raise ValueError(f"JIAZHENG_EGRESS_ALLOW 条目无效：{entry!r}（{exc}）") from exc
            if not re.search(r":[0-9]+$", entry):
                raise ValueError(f"JIAZHENG_EGRESS_ALLOW 条目需要端口或网段：{entry!r}")
            endpoints.add((target.host, target.port))
        return cls(tuple(networks), frozenset(endpoints))

    def refusal(self, url: str) -> str | None:
        """``None`` when ``url`` may be fetched, else why not (Chinese, with the URL)."""
        shown = CONTROL.sub(" ", url.strip())
        shown = shown if len(shown) <= MAX_SHOWN_URL else shown[:MAX_SHOWN_URL] + "…"
        try:
            scheme, targets = url_targets(url)
        except ValueError as exc:
            return f"拒绝访问无效网址：{shown}（{exc}）"
        if scheme not in ALLOWED_SCHEMES:
            return f"拒绝访问非 http/https 网址：{shown}"
        for target in targets:
            why = None if self.allows(target) else internal_host(target)
            if why:
                return f"拒绝访问内网地址：{shown}（{why}）"
        return None

    def address_refusal(self, name: str, address: str) -> str | None:
        """``None`` when ``name`` may be reached at ``address`` (what DNS answered)."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return f"拒绝连接：{name} 解析为无法识别的地址 {address}"
        if any(ip in network for network in self.networks) or any(
                host in (name.lower(), str(ip)) for host, _ in self.endpoints):
            return None
        why = address_problem(ip)
        return f"拒绝连接内网地址：{name} 解析为 {ip}（{why}）" if why else None

    def allows(self, target: Target) -> bool:
        """An explicit exception: the endpoint itself, or an address in an allowed network."""
        if (target.host, target.port) in self.endpoints:
            return True
        return target.address is not None and any(
            target.address in network for network in self.networks)


NO_EXCEPTIONS = EgressPolicy()


def url_targets(url: str) -> tuple[str, list[Target]]:
    """(scheme, every host:port the URL can be read to reach); ValueError when no browser
    would accept the URL."""
    cleaned = WHITESPACE_INSIDE.sub("", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n"
                                                  "\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15"
                                                  "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    scheme = cleaned.partition(":")[0].lower() if ":" in cleaned else ""
    if scheme not in ALLOWED_SCHEMES:
        return scheme, []
    browser = urlsplit(cleaned.replace("\\", "/"))  # browsers read \ as / in http(s) URLs
    readings = {browser.netloc, urlsplit(cleaned).netloc}
    targets = [_target(_host_and_port(netloc), netloc, scheme) for netloc in readings]
    return scheme, list(dict.fromkeys(targets))


def _host_and_port(netloc: str) -> str:
    """The authority without userinfo (everything up to the last @ is userinfo)."""
    return netloc.rpartition("@")[2]


def _target(host_port: str, netloc: str, scheme: str) -> Target:
    if host_port.startswith("["):
        end = host_port.find("]")
        if end < 0:
            raise ValueError("IPv6 地址缺少右方括号")
        raw_host, rest = host_port[: end + 1], host_port[end + 1:]
        if rest and not rest.startswith(":"):
            raise ValueError("IPv6 地址后有多余字符")
        port_text = rest[1:]
    else:
        raw_host, _, port_text = host_port.partition(":")
    if not raw_host:
        raise ValueError(f"没有主机名：{netloc or host_port!r}")
    if port_text and (not port_text.isascii() or not port_text.isdigit()
                      or int(port_text) > 65535):
        raise ValueError(f"端口无效：{port_text!r}")
    port = int(port_text) if port_text else DEFAULT_PORTS[scheme]
    host, address = read_host(raw_host)
    return Target(host, port, address)


def read_host(raw: str) -> tuple[str, IPAddress | None]:
    """(canonical host, its address when it is one), read as a browser reads a URL's host."""
    if raw.startswith("[") and raw.endswith("]"):
        try:
            address = ipaddress.IPv6Address(raw[1:-1])
        except ValueError as exc:
            raise ValueError(f"IPv6 地址无效：{raw}") from exc
        return str(address), address
    host = unicodedata.normalize("NFKC", unquote(raw, errors="strict")).lower()
    host = host.replace("\u3002", ".")  # the ideographic full stop separates labels too
    if FORBIDDEN_HOST.search(host):
        raise ValueError(f"主机名含有非法字符：{raw!r}")
    if _ends_in_number(host):
        address = _whatwg_ipv4(host)
        return str(address), address
    return host.removesuffix("."), None


def _ends_in_number(host: str) -> bool:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    return bool(re.fullmatch(r"[0-9]+|0x[0-9a-f]*", last))


def _whatwg_ipv4(host: str) -> ipaddress.IPv4Address:
    """The WHATWG IPv4 parser: 1-4 parts, each decimal, 0x-hex or 0-octal; the last part fills
    the remaining bytes (so 127.1 is 127.0.0.1 and 2130706433 is too)."""
    parts = host.split(".")
    if parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        raise ValueError(f"数字主机名无效：{host}")
    numbers = [_ipv4_number(part, host) for part in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"数字主机名超出范围：{host}")
    value = numbers[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str, host: str) -> int:
    if part.startswith("0x"):
        digits, base, pattern = part[2:], 16, r"[0-9a-f]*"
    elif len(part) > 1 and part.startswith("0"):
        digits, base, pattern = part[1:], 8, r"[0-7]+"
    else:
        digits, base, pattern = part, 10, r"[0-9]+"
    if not re.fullmatch(pattern, digits):
        raise ValueError(f"数字主机名无效：{host}")
    return int(digits, base) if digits else 0


def internal_host(target: Target) -> str | None:
    """Why ``target`` is inside a private network, or ``None`` for the public internet."""
    if target.address is not None:
        return address_problem(target.address)
    name = target.host
    for suffix in INTERNAL_NAMES:
        if name == suffix or name.endswith("." + suffix):
            return f"{name} 是内网专用名称（{suffix if name == suffix else '.' + suffix}）"
    if "." not in name:
        return f"{name} 没有顶级域名，只能在内网解析"
    for address in spelled_addresses(name):
        problem = address_problem(address)
        if problem:
            return f"{name} 是指向 {address} 的域名写法：{problem}"
    return None


def spelled_addresses(name: str) -> list[IPAddress]:
    """Addresses a wildcard-DNS name spells: dotted or dashed quads, 8 hex digits, or an IPv6
    address with dashes for colons (sslip.io: ``--1`` is ::1)."""
    found: list[IPAddress] = []
    for match in SPELLED_IPV4.finditer(name):
        numbers = [int(group) for group in match.groups()]
        if all(n <= 255 for n in numbers):
            found.append(ipaddress.IPv4Address(".".join(map(str, numbers))))
    found += [ipaddress.IPv4Address(int(m.group(1), 16)) for m in HEX_IPV4.finditer(name)]
    for label in name.split("."):
        if "--" in label and not label.startswith("xn--"):
            with contextlib.suppress(ValueError):
                found.append(ipaddress.IPv6Address(label.replace("-", ":")))
    return found


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` is not on the public internet (an IPv4 address carried inside IPv6 is
    judged too), or ``None``."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        problem = _range_problem(inner) if inner is not None else None
        if problem:
            return f"{address}（即 {inner}）是{problem}"
    problem = _range_problem(address)
    return f"{address} 是{problem}" if problem else None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):  # not ::, ::1
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _range_problem(address: IPAddress) -> str | None:
    checks = (
        (address.is_loopback, "回环地址"),
        (address.is_link_local, "链路本地地址（含云服务器元数据地址）"),
        (address.is_multicast, "组播地址"),
        (address.is_unspecified, "未指定地址"),
        (address in CGNAT, "运营商级 NAT 地址（100.64.0.0/10）"),
        (address.is_reserved, "保留地址"),
        (address.is_private, "内网私有地址"),
        (not address.is_global, "非公网地址"),
    )
    return next((words for failed, words in checks if failed), None)
