"""RDAP (RFC 9082/9083) for a lead's domain and its addresses, with the registry found in IANA's
bootstrap files (RFC 9224: ``dns.json``, ``ipv4.json``, ``ipv6.json``) kept in a local folder —
never fetched online: the operator downloads them from data.iana.org and names the folder.

HTTP goes through the crawl's proxy, except to a registry configured on this machine's loopback
(the demo web's). The answer is read up to a size cap within a timeout, and parsed defensively:
it is written by a registry, but a registry can be wrong, and a lookup returns an outcome, not an
exception. What is kept: registrar, dates, status, name servers, the network's name, owner,
range, country and AS (ARIN's ``arin_originas0`` extension where given), and the abuse contacts
(entities with role ``abuse``, at any depth, with their vCard e-mail and phone).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import urllib.error
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from leads.hosting.answers import SourceAnswer, raw_text
from leads.hosting.http_get import http_get
from leads.hosting.settings import HostingSettings

BOOTSTRAP_FILES = {"domain": ("dns.json",), "ip": ("ipv4.json", "ipv6.json")}
RDAP_JSON = "application/rdap+json, application/json"
MAX_ENTITY_DEPTH = 4  # entities nest (registrar → abuse); a hostile answer may nest forever


def look_up_domain(domain: str, settings: HostingSettings) -> SourceAnswer:
    """The registry's RDAP record of ``domain`` (a registered domain, punycode)."""
    return _look_up("domain", domain, settings,
                    f"RDAP 引导文件中没有 .{domain.rsplit('.', 1)[-1]} 的注册局")


def look_up_ip(address: str, settings: HostingSettings) -> SourceAnswer:
    """The regional registry's RDAP record of the network holding ``address``."""
    return _look_up("ip", address, settings, f"RDAP 引导文件中没有 {address} 所属的地址注册机构")


def _look_up(kind: str, subject: str, settings: HostingSettings, unknown: str) -> SourceAnswer:
    source, parse = KINDS[kind]
    base = _service(settings.rdap_bootstrap, kind, subject)
    if not base:
        return SourceAnswer(source, subject, "not_configured", detail=unknown)
    answer = _ask(f"{base}{kind}/{quote(subject, safe=':')}", source, subject, settings)
    return _with_fields(answer, parse) if answer.outcome == "ok" else answer


def _with_fields(answer: SourceAnswer,
                 parse: Callable[[dict[str, Any]], dict[str, Any]]) -> SourceAnswer:
    try:
        document = json.loads(answer.raw)
    except ValueError:
        return SourceAnswer(answer.source, answer.subject, "garbage", raw=answer.raw,
                            detail="答复不是 JSON", server=answer.server)
    if not isinstance(document, dict):
        return SourceAnswer(answer.source, answer.subject, "garbage", raw=answer.raw,
                            detail="答复不是 RDAP 对象", server=answer.server)
    return SourceAnswer(answer.source, answer.subject, "ok", parse(document), answer.raw,
                        server=answer.server)


def _ask(url: str, source: str, subject: str, settings: HostingSettings) -> SourceAnswer:
    """GET ``url``: status 200 → ok (raw kept), 404 → not_found, anything else an outcome."""
    try:
        status, body = http_get(url, proxy=settings.proxy, timeout=settings.timeout,
                                max_bytes=settings.max_bytes, accept=RDAP_JSON)
    except TimeoutError:
        return SourceAnswer(source, subject, "timeout",
                            detail=f"{settings.timeout:g} 秒内未答复", server=url)
    except urllib.error.URLError as exc:
        kind = "timeout" if isinstance(exc.reason, TimeoutError) else "error"
        return SourceAnswer(source, subject, kind, detail=f"无法访问：{exc.reason}", server=url)
    except (http.client.HTTPException, ValueError) as exc:
        return SourceAnswer(source, subject, "garbage",
                            detail=f"答复不是 HTTP：{type(exc).__name__}", server=url)
    except OSError as exc:
        return SourceAnswer(source, subject, "error", detail=f"无法访问：{exc}", server=url)
    raw = raw_text(body)
    if status == 404:
        return SourceAnswer(source, subject, "not_found", raw=raw, detail="注册局无此记录",
                            server=url)
    if status != 200:
        return SourceAnswer(source, subject, "error", raw=raw, detail=f"HTTP {status}",
                            server=url)
    return SourceAnswer(source, subject, "ok", raw=raw, server=url)


def _service(folder: str, kind: str, subject: str) -> str:
    """The base URL (ending in /) IANA's bootstrap gives for ``subject``, or ""."""
    if not folder:
        return ""
    for name in BOOTSTRAP_FILES[kind]:
        path = Path(folder) / name
        if path.is_file():
            base = _match(_services(str(path), path.stat().st_mtime_ns), kind, subject)
            if base:
                return base if base.endswith("/") else base + "/"
    return ""


@lru_cache(maxsize=8)
def _services(path: str, _mtime: int) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """A bootstrap file's ``services``: (entries, URLs) pairs (read once per file version)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return tuple((tuple(str(e).lower() for e in entries), tuple(str(u) for u in urls))
                     for entries, urls in data["services"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"RDAP 引导文件 {path} 无法读取：{exc}") from exc


def _match(services: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], kind: str,
           subject: str) -> str:
    """The longest matching suffix (domains) or prefix (addresses); https preferred."""
    best, best_length = (), -1
    for entries, urls in services:
        for entry in entries:
            length = _match_length(entry, kind, subject)
            if length > best_length:
                best, best_length = urls, length
    secure = [url for url in best if url.startswith("https://")]
    return (secure or list(best) or [""])[0]


def _match_length(entry: str, kind: str, subject: str) -> int:
    if kind == "domain":
        return entry.count(".") + 1 if subject == entry or subject.endswith("." + entry) else -1
    try:
        network = ipaddress.ip_network(entry, strict=False)
        return network.prefixlen if ipaddress.ip_address(subject) in network else -1
    except (ValueError, TypeError):
        return -1


def domain_fields(document: dict[str, Any]) -> dict[str, Any]:
    """What an RDAP domain object says: registrar, dates, status, name servers, abuse contacts."""
    registrar = next((entity for entity in _entities(document) if "registrar" in entity["roles"]),
                     None)
    registrant = next((entity for entity in _entities(document)
                       if "registrant" in entity["roles"]), None)
    return {
        "domain": _text(document.get("ldhName")).lower(),
        "registrar": registrar["name"] if registrar else "",
        "registrar_id": registrar["id"] if registrar else "",
        "registrant": registrant["name"] if registrant else "",
        "created": _event(document, "registration"),
        "expires": _event(document, "expiration"),
        "updated": _event(document, "last changed"),
        "status": [_text(s) for s in _list(document.get("status"))][:20],
        "nameservers": [_text(ns.get("ldhName")).lower()
                        for ns in _list(document.get("nameservers")) if isinstance(ns, dict)][:20],
        "abuse": _abuse(document),
    }


def network_fields(document: dict[str, Any]) -> dict[str, Any]:
    """What an RDAP IP network object says: its name, owner, range, country, AS, abuse contacts."""
    owner = next((entity["name"] for entity in _entities(document)
                  if {"registrant", "administrative"} & set(entity["roles"]) and entity["name"]),
                 "")
    autnums = [f"AS{n}" for n in _list(document.get("arin_originas0_originautnums"))
               if isinstance(n, int)]
    return {
        "network": _text(document.get("name")),
        "handle": _text(document.get("handle")),
        "range": f"{_text(document.get('startAddress'))} - {_text(document.get('endAddress'))}",
        "country": _text(document.get("country")),
        "owner": owner or _text(document.get("name")),
        "asn": autnums[:5],
        "abuse": _abuse(document),
    }


def _entities(document: dict[str, Any], depth: int = 0, of: str = "") -> list[dict[str, Any]]:
    """Every entity at any depth: its roles, vCard name, e-mail, phone, registrar id, and the
    name of the entity it is nested in (``of``: whose abuse desk it is)."""
    found = []
    for entity in _list(document.get("entities")):
        if not isinstance(entity, dict) or depth >= MAX_ENTITY_DEPTH:
            continue
        card = _vcard(entity.get("vcardArray"))
        ids = [_text(p.get("identifier")) for p in _list(entity.get("publicIds"))
               if isinstance(p, dict)]
        found.append({"roles": [_text(r).lower() for r in _list(entity.get("roles"))],
                      "name": card.get("fn", ""), "email": card.get("email", ""),
                      "phone": card.get("tel", ""), "id": ids[0] if ids else "",
                      "of": of})
        found += _entities(entity, depth + 1, card.get("fn", "") or of)
    return found


def _abuse(document: dict[str, Any]) -> list[dict[str, str]]:
    """Abuse contacts: name (or the entity they belong to), e-mail, phone."""
    contacts = []
    for entity in _entities(document):
        if "abuse" in entity["roles"] and (entity["email"] or entity["phone"]):
            contacts.append({"name": entity["name"] or entity["of"], "email": entity["email"],
                             "phone": entity["phone"]})
    return contacts[:5]


def _vcard(value: Any) -> dict[str, str]:
    """jCard (RFC 7095): ``["vcard", [[name, params, type, value], …]]`` → first fn/email/tel."""
    card: dict[str, str] = {}
    properties = value[1] if isinstance(value, list) and len(value) == 2 else []
    for item in _list(properties):
        if isinstance(item, list) and len(item) >= 4 and isinstance(item[0], str):
            text = _text(item[3]).removeprefix("tel:").removeprefix("mailto:")
            card.setdefault(item[0].lower(), text)
    return card


def _event(document: dict[str, Any], action: str) -> str:
    return next((_text(e.get("eventDate")) for e in _list(document.get("events"))
                 if isinstance(e, dict) and _text(e.get("eventAction")).lower() == action), "")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any, limit: int = 200) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


# What each RDAP path asks for: the source it is recorded as, and the parser of its answer.
KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "domain": ("rdap_domain", domain_fields), "ip": ("rdap_ip", network_fields)}
