"""The demo web's WHOIS server on 127.0.0.1 (TCP, port-43 protocol: one query line, the answer,
close), answering as CNNIC does for the .cn domains in hosting.toml — Registration Time,
Expiration Time, Sponsoring Registrar, Registrant — and ``No matching record.`` otherwise. A
domain marked ``timeout`` is never answered; one marked ``garbage`` gets binary bytes."""

from __future__ import annotations

import contextlib
import socketserver
import zlib
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from crawler.demoweb.loopback import LoopbackServer

if TYPE_CHECKING:
    from crawler.demoweb.hosting import HostingWorld

MAX_QUERY = 512
GARBAGE = bytes(range(256)) * 4
BEIJING = ZoneInfo("Asia/Shanghai")


def cnnic_record(domain: dict[str, Any], registrar: dict[str, Any]) -> str:
    """A .cn record in CNNIC's field names; times in Beijing, as CNNIC prints them."""
    def beijing(moment: str) -> str:
        return datetime.fromisoformat(moment).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")

    lines = [f"Domain Name: {domain['name']}",
             f"ROID: 20260101s10001s{zlib.crc32(domain['name'].encode()):010d}-cn"]
    lines += [f"Domain Status: {status}" for status in domain.get("status", [])]
    lines += [f"Registrant: {domain.get('registrant', '')}",
              "Registrant Contact Email: registrant@mail.example",
              f"Sponsoring Registrar: {registrar['name']}"]
    lines += [f"Name Server: {ns}" for ns in domain.get("nameservers", [])]
    lines += [f"Registration Time: {beijing(domain['created'])}",
              f"Expiration Time: {beijing(domain['expires'])}", "DNSSEC: unsigned", ""]
    return "\n".join(lines)


class WhoisServer(LoopbackServer):
    """``start`` serves on 127.0.0.1:``port`` in a daemon thread."""

    NAME = "demo-whois"

    def handler(self) -> type[socketserver.StreamRequestHandler]:
        world = self.world

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                with contextlib.suppress(OSError):
                    self.connection.settimeout(5)
                    query = self.rfile.readline(MAX_QUERY).decode("utf-8", "replace")
                    answer = _answer(world, query.strip().lower())
                    if answer is not None:
                        self.wfile.write(answer)

        return Handler


def _answer(world: HostingWorld, name: str) -> bytes | None:
    domain = world.domains.get(name)
    if domain is None or name.rsplit(".", 1)[-1] not in world.whois_suffixes:
        return b"No matching record.\n"
    if domain.get("answer") == "timeout":
        world.hang()
        return None
    if domain.get("answer") == "garbage":
        return GARBAGE
    return cnnic_record(domain, world.registrars[domain["registrar"]]).encode()
