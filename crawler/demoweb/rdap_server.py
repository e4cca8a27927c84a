"""The demo web's RDAP server on 127.0.0.1 (HTTP, JSON as RFC 9083 shapes it): ``/domain/<name>``
for the domains in hosting.toml whose suffix the demo's bootstrap lists, ``/ip/<address>`` for
its networks, with registrar and abuse entities (vCard e-mail and phone) and ARIN's
``arin_originas0`` origin AS. 404 for anything else; a network or domain marked ``timeout`` is
never answered, one marked ``garbage`` gets a 200 whose body is not JSON."""

from __future__ import annotations

import contextlib
import json
import zlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from crawler.demoweb.loopback import LoopbackServer

if TYPE_CHECKING:
    from crawler.demoweb.hosting import HostingWorld

GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR not rdap {{{"
NOTICE = {"title": "Terms of Use", "description": [
    "jiazheng demo web: every record here is invented for the offline demo."]}


def vcard(name: str, email: str = "", phone: str = "", kind: str = "org") -> list[Any]:
    properties: list[Any] = [["version", {}, "text", "4.0"], ["fn", {}, "text", name],
                             ["kind", {}, "text", kind]]
    if email:
        properties.append(["email", {}, "text", email])
    if phone:
        properties.append(["tel", {"type": "voice"}, "uri", f"tel:{phone}"])
    return ["vcard", properties]


def abuse_entity(email: str, phone: str, handle: str) -> dict[str, Any]:
    return {"objectClassName": "entity", "handle": handle, "roles": ["abuse"],
            "vcardArray": vcard("Abuse Contact", email, phone, "group")}


def domain_object(world: HostingWorld, name: str) -> dict[str, Any]:
    domain = world.domains[name]
    registrar = world.registrars[domain["registrar"]]
    return {
        "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0"],
        "objectClassName": "domain", "handle": f"{zlib.crc32(name.encode())}_DOMAIN_DEMO",
        "ldhName": name.upper(), "status": domain.get("status", []),
        "events": [{"eventAction": "registration", "eventDate": domain["created"]},
                   {"eventAction": "expiration", "eventDate": domain["expires"]},
                   {"eventAction": "last update of RDAP database",
                    "eventDate": "2026-12-04T00:00:00Z"}],
        "entities": [{
            "objectClassName": "entity", "handle": registrar["iana_id"], "roles": ["registrar"],
            "publicIds": [{"type": "IANA Registrar ID", "identifier": registrar["iana_id"]}],
            "vcardArray": vcard(registrar["name"]),
            "entities": [abuse_entity(registrar["abuse_email"], registrar["abuse_phone"],
                                      f"ABUSE-{registrar['iana_id']}")]},
            {"objectClassName": "entity", "roles": ["registrant"],
             "remarks": [{"title": "REDACTED FOR PRIVACY"}],
             "vcardArray": vcard("REDACTED FOR PRIVACY")}],
        "nameservers": [{"objectClassName": "nameserver", "ldhName": ns.upper()}
                        for ns in domain.get("nameservers", [])],
        "secureDNS": {"delegationSigned": False},
        "notices": [NOTICE],
    }


def network_object(network: dict[str, Any]) -> dict[str, Any]:
    net = network["_net"]
    return {
        "rdapConformance": ["rdap_level_0", "cidr0", "arin_originas0"],
        "objectClassName": "ip network", "handle": network["handle"],
        "startAddress": str(net.network_address), "endAddress": str(net.broadcast_address),
        "ipVersion": f"v{net.version}", "name": network["name"], "type": "ASSIGNED PA",
        "country": network["country"],
        "cidr0_cidrs": [{f"v{net.version}prefix": str(net.network_address),
                         "length": net.prefixlen}],
        "arin_originas0_originautnums": [network["asn"]],
        "entities": [
            {"objectClassName": "entity", "handle": f"ORG-{network['handle']}",
             "roles": ["registrant"], "vcardArray": vcard(network["owner"])},
            abuse_entity(network["abuse_email"], network["abuse_phone"],
                         f"IRT-{network['handle']}")],
        "events": [{"eventAction": "registration", "eventDate": "2019-05-06T00:00:00Z"}],
        "notices": [NOTICE],
    }


class RdapServer(LoopbackServer):
    """``start`` serves on 127.0.0.1:``port`` in a daemon thread."""

    SERVER = ThreadingHTTPServer
    NAME = "demo-rdap"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        world = self.world

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                kind, _, subject = unquote(self.path.strip("/")).partition("/")
                status, body = _answer(world, kind, subject.lower())
                if status == 0:
                    return
                head = (f"HTTP/1.0 {status} {HTTPStatus(status).phrase}\r\n"
                        f"Content-Type: application/rdap+json\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n")
                with contextlib.suppress(OSError):
                    self.wfile.write(head.encode() + body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _answer(world: HostingWorld, kind: str, subject: str) -> tuple[int, bytes]:
    """(status, body); status 0 after hanging (a registry that never answers)."""
    if kind == "domain" and subject in world.domains and subject.rsplit(".", 1)[-1] in (
            world.rdap_suffixes):
        entry, build = world.domains[subject], lambda: domain_object(world, subject)
    elif kind == "ip" and (network := world.network_of(subject)) is not None:
        entry, build = network, lambda: network_object(network)
    else:
        return 404, json.dumps({"errorCode": 404, "title": "Not Found"}).encode()
    if entry.get("answer") == "timeout":
        world.hang()
        return 0, b""
    if entry.get("answer") == "garbage":
        return 200, GARBAGE
    return 200, json.dumps(build(), ensure_ascii=False).encode()
