"""The demo web's DNS resolver on 127.0.0.1 (UDP), built with dnspython's message API: A, AAAA
and CNAME of the hosts in hosting.toml, NS and MX of its domains, NXDOMAIN for any other name.
A host marked ``answer = "timeout"`` is never answered; one marked ``"garbage"`` gets a reply
carrying the query's id and then bytes that are not a DNS message."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from typing import TYPE_CHECKING

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

if TYPE_CHECKING:
    from crawler.demoweb.hosting import HostingWorld

TTL = 600
GARBAGE = b"\x81\x80<html><body>502 Bad Gateway</body></html>"


class DnsServer:
    """``start`` binds a UDP port on 127.0.0.1 (``port``) and answers in a daemon thread."""

    def __init__(self, world: HostingWorld) -> None:
        self.world = world
        self.port = 0
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._running = threading.Event()

    def start(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._running.set()
        self._thread = threading.Thread(target=self._serve, name="demo-dns", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._running.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()

    def _serve(self) -> None:
        assert self._socket is not None
        while self._running.is_set():
            try:
                wire, client = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self.answer(wire)
            if reply is not None:
                with contextlib.suppress(OSError):
                    self._socket.sendto(reply, client)

    def answer(self, wire: bytes) -> bytes | None:
        """The reply to one query's bytes, or None to stay silent."""
        try:
            query = dns.message.from_wire(wire)
            question = query.question[0]
        except (dns.exception.DNSException, IndexError):
            return None
        name = question.name.to_text().rstrip(".").lower()
        host = self.world.hosts.get(name)
        behaviour = (host or {}).get("answer", "")
        if behaviour == "timeout":
            return None
        if behaviour == "garbage":
            return wire[:2] + GARBAGE
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        records = self._records(name, dns.rdatatype.to_text(question.rdtype))
        if records is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        for owner, kind, values in records or []:
            response.answer.append(dns.rrset.from_text_list(
                owner + ".", TTL, dns.rdataclass.IN, kind, values))
        return response.to_wire()

    def _records(self, name: str, kind: str) -> list[tuple[str, str, list[str]]] | None:
        """(owner, type, values) answering ``name``/``kind``; None when the name does not exist."""
        host = self.world.hosts.get(name)
        domain = self.world.domains.get(name)
        if host is None and domain is None:
            return None
        found = []
        if host is not None:
            owner = name
            if host.get("cname"):
                found.append((name, "CNAME", [host["cname"] + "."]))
                owner = host["cname"]
            version = {"A": 4, "AAAA": 6}.get(kind)
            if version:
                addresses = [a for a in host["addresses"]
                             if ipaddress.ip_address(a).version == version]
                if addresses:
                    found.append((owner, kind, addresses))
        if domain is not None and kind == "NS":
            found.append((name, "NS", [ns + "." for ns in domain.get("nameservers", [])]))
        if domain is not None and kind == "MX" and domain.get("mx"):
            found.append((name, "MX", [mx + "." for mx in domain["mx"]]))
        return found
