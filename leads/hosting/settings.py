"""Where host lookups ask and how hard: the resolver, the RDAP bootstrap files, the WHOIS server
of each suffix, the proxy, timeouts, the cache's age and the rate.

All of it is configuration, never page input: the demo's servers on 127.0.0.1 are named here,
and so is a production resolver. Without a resolver nothing is looked up (``enabled``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class HostingSettingsError(ValueError):
    """A setting cannot be read; the message names it."""


def host_and_port(text: str, default_port: int, name: str) -> tuple[str, int]:
    """``127.0.0.1:5353``, ``[::1]:53`` or ``whois.cnnic.cn`` (the default port)."""
    text = text.strip()
    host, port = text, default_port
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = _port(rest[1:], name)
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = _port(port_text, name)
    if not host:
        raise HostingSettingsError(f"{name}：地址为空（{text!r}）")
    return host, port


def _port(text: str, name: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise HostingSettingsError(f"{name}：端口无效（{text!r}）")
    return int(text)


def whois_servers(text: str) -> dict[str, tuple[str, int]]:
    """``cn=whois.cnnic.cn,xn--fiqs8s=whois.cnnic.cn:43``: the WHOIS server of each suffix."""
    servers = {}
    for entry in filter(None, (part.strip() for part in text.replace(";", ",").split(","))):
        suffix, sep, server = entry.partition("=")
        if not sep or not suffix.strip():
            raise HostingSettingsError(f"JIAZHENG_WHOIS_SERVERS：应为 后缀=服务器[:端口]，收到 "
                                       f"{entry!r}")
        servers[suffix.strip().lower().strip(".")] = host_and_port(
            server, 43, "JIAZHENG_WHOIS_SERVERS")
    return servers


@dataclass(frozen=True)
class HostingSettings:
    """How lookups run; written into each evidence record with the answers."""

    resolver: str = ""  # host:port of the DNS resolver asked; empty: no lookups at all
    rdap_bootstrap: str = ""  # folder with IANA's dns.json, ipv4.json, ipv6.json (kept locally)
    whois_servers: dict[str, tuple[str, int]] = field(default_factory=dict)  # suffix → server
    proxy: str = ""  # RDAP (HTTP) goes through it; DNS (UDP) and WHOIS (port 43) cannot
    timeout: float = 5.0  # seconds per source and lookup
    ttl: float = 24 * 3600.0  # seconds a stored lookup of a host answers for it
    rate: float = 4.0  # host lookups started per second, at most
    workers: int = 4  # lookups at once
    max_bytes: int = 256 * 1024  # an RDAP or WHOIS answer is read up to this

    @property
    def enabled(self) -> bool:
        return bool(self.resolver)

    def resolver_address(self) -> tuple[str, int]:
        return host_and_port(self.resolver, 53, "JIAZHENG_DNS_RESOLVER")
