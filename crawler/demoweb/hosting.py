"""The demo web's hosting world (hosting.toml, invented) and the three loopback servers that
answer for it: a DNS resolver, an RDAP server and a WHOIS server, started together by ``DemoWeb``.

``DemoHosting`` also writes the IANA-style bootstrap files (dns.json, ipv4.json, ipv6.json, the
real format) pointing at its RDAP server, and says how to point jiazheng at all three:
``overrides`` (``-s`` settings for a crawl) and ``environment`` (for any command).
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.demoweb.dns_server import DnsServer
from crawler.demoweb.rdap_server import RdapServer
from crawler.demoweb.whois_server import WhoisServer

HOSTING_FILE = Path(__file__).with_name("hosting.toml")
BEHAVIOURS = ("", "timeout", "garbage")
HANG_SECONDS = 30.0  # how long a "timeout" answer holds its client (released at stop)


@dataclass(frozen=True)
class HostingWorld:
    """hosting.toml, checked: networks, registrars, domains and hosts by name."""

    rdap_suffixes: tuple[str, ...]
    whois_suffixes: tuple[str, ...]
    networks: tuple[dict[str, Any], ...]
    registrars: dict[str, dict[str, Any]]
    domains: dict[str, dict[str, Any]]
    hosts: dict[str, dict[str, Any]]
    stopping: threading.Event = field(default_factory=threading.Event, compare=False)

    def network_of(self, address: str) -> dict[str, Any] | None:
        """The most specific network holding ``address``."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        holding = [n for n in self.networks if ip.version == n["_net"].version
                   and ip in n["_net"]]
        return max(holding, key=lambda n: n["_net"].prefixlen, default=None)

    def hang(self) -> None:
        """A server that never answers: hold the client until it gives up or the demo stops."""
        self.stopping.wait(HANG_SECONDS)


def load_world(path: Path = HOSTING_FILE) -> HostingWorld:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    networks = []
    for entry in data.get("network", []):
        networks.append({**entry, "_net": ipaddress.ip_network(entry["cidr"])})
    registrars = {entry["key"]: entry for entry in data.get("registrar", [])}
    domains = {entry["name"]: entry for entry in data.get("domain", [])}
    hosts = {entry["name"]: entry for entry in data.get("host", [])}
    for where, entry in [*(("network", n) for n in networks), *(("domain", d) for d in
                                                                   domains.values()),
                         *(("host", h) for h in hosts.values())]:
        if entry.get("answer", "") not in BEHAVIOURS:
            raise ValueError(f"{path.name}: {where} {entry.get('name')}: answer must be one of "
                             f"{BEHAVIOURS}")
    for domain in domains.values():
        if domain["registrar"] not in registrars:
            raise ValueError(f"{path.name}: domain {domain['name']}: unknown registrar "
                             f"{domain['registrar']!r}")
    servers = data["servers"]
    return HostingWorld(tuple(servers["rdap_suffixes"]), tuple(servers["whois_suffixes"]),
                        tuple(networks), registrars, domains, hosts)


class DemoHosting:
    """The three servers on 127.0.0.1 and the bootstrap folder; ``start``/``stop``."""

    def __init__(self, world: HostingWorld | None = None) -> None:
        self.world = world or load_world()
        self.dns = DnsServer(self.world)
        self.rdap = RdapServer(self.world)
        self.whois = WhoisServer(self.world)
        self.bootstrap = ""

    def start(self) -> DemoHosting:
        self.dns.start()
        self.rdap.start()
        self.whois.start()
        self.bootstrap = tempfile.mkdtemp(prefix="jiazheng-demo-rdap-")
        write_bootstrap(Path(self.bootstrap), self.world, f"http://127.0.0.1:{self.rdap.port}/")
        return self

    def stop(self) -> None:
        self.world.stopping.set()
        self.dns.stop()
        self.rdap.stop()
        self.whois.stop()
        if self.bootstrap:
            shutil.rmtree(self.bootstrap, ignore_errors=True)

    @property
    def settings(self) -> dict[str, str]:
        """jiazheng's hosting settings (names as in crawler/settings.py) for these servers."""
        whois = ",".join(f"{suffix}=127.0.0.1:{self.whois.port}"
                         for suffix in self.world.whois_suffixes)
        return {"JIAZHENG_DNS_RESOLVER": f"127.0.0.1:{self.dns.port}",
                "JIAZHENG_RDAP_BOOTSTRAP": self.bootstrap, "JIAZHENG_WHOIS_SERVERS": whois,
                # The demo's servers are on loopback: no registry to be polite to, so the rate is
                # the demo crawl's (--no-delay) pace rather than the production default.
                "JIAZHENG_HOST_FACTS_TIMEOUT": "1", "JIAZHENG_HOST_FACTS_RATE": "20",
                "JIAZHENG_HOST_FACTS_WORKERS": "8"}

    @property
    def overrides(self) -> tuple[str, ...]:
        """``-s NAME=VALUE`` settings for a crawl."""
        return tuple(f"{name}={value}" for name, value in self.settings.items())


def write_bootstrap(folder: Path, world: HostingWorld, url: str) -> None:
    """IANA's bootstrap files (RFC 9224), as data.iana.org publishes them, for the demo."""
    def document(services: list[list[list[str]]]) -> str:
        return json.dumps({"version": "1.0", "publication": "2026-12-01T00:00:00Z",
                           "description": "jiazheng demo web: RDAP bootstrap (invented)",
                           "services": services}, indent=2)

    (folder / "dns.json").write_text(document([[list(world.rdap_suffixes), [url]]]))
    for version, name in ((4, "ipv4.json"), (6, "ipv6.json")):
        blocks = sorted({str(n["_net"].supernet(new_prefix=min(n["_net"].prefixlen, 24
                                                                   if version == 4 else 32)))
                         for n in world.networks if n["_net"].version == version})
        (folder / name).write_text(document([[blocks, [url]]] if blocks else []))


def main() -> None:
    """``python -m crawler.demoweb.hosting``: the three servers alone, their settings printed as
    one JSON line, until stdin closes (a bench keeps them off its own process)."""
    import sys

    hosting = DemoHosting().start()
    try:
        print(json.dumps(hosting.settings), flush=True)
        sys.stdin.read()
    finally:
        hosting.stop()


if __name__ == "__main__":
    main()
