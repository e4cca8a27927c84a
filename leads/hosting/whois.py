"""Port-43 WHOIS for domains whose registry offers no RDAP (CNNIC's .cn and .中国 among them):
the server configured for the domain's suffix, one query, the answer read up to a size cap within
one deadline, then a small ``key: value`` reader that knows the field names registries use —
CNNIC's (Registration Time, Expiration Time, Sponsoring Registrar, Registrant) and the ICANN
registry format's. Referrals to a registrar's own WHOIS server are not followed: that server is
named by the answer, and an answer is not configuration.
"""

from __future__ import annotations

import re
import socket
import time
from typing import Any

from leads.hosting.answers import SourceAnswer, raw_text
from leads.hosting.settings import HostingSettings

# Field name (lower case) → what it is. Repeated fields (status, name servers) are lists.
FIELD_NAMES = {
    "sponsoring registrar": "registrar", "registrar": "registrar",
    "registration time": "created", "creation date": "created", "created on": "created",
    "registration date": "created", "created": "created",
    "expiration time": "expires", "registry expiry date": "expires",
    "expiration date": "expires", "registrar registration expiration date": "expires",
    "expiry date": "expires",
    "updated date": "updated", "last updated on": "updated",
    "domain status": "status", "status": "status",
    "registrant": "registrant", "registrant organization": "registrant",
    "registrant name": "registrant", "registrant contact email": "registrant_email",
    "name server": "nameservers", "nserver": "nameservers",
    "registrar abuse contact email": "abuse_email", "registrar abuse contact phone": "abuse_phone",
    "domain name": "domain",
}
LISTS = frozenset({"status", "nameservers"})
NOT_FOUND = re.compile(r"no matching record|no match for|not found|no entries found|"
                       r"no data found|domain not found", re.I)
LINE = re.compile(r"^\s*([A-Za-z][A-Za-z /.-]{1,60}?)\s*:\s*(.*?)\s*$")
MAX_LIST = 20


def server_for(domain: str, settings: HostingSettings) -> tuple[str, int] | None:
    """The configured server of the longest matching suffix (``com.cn`` before ``cn``)."""
    labels = domain.lower().split(".")
    for start in range(1, len(labels)):
        server = settings.whois_servers.get(".".join(labels[start:]))
        if server:
            return server
    return None


def look_up_whois(domain: str, settings: HostingSettings) -> SourceAnswer:
    server = server_for(domain, settings)
    if server is None:
        return SourceAnswer("whois", domain, "not_configured",
                            detail=f"未配置 .{domain.rsplit('.', 1)[-1]} 的 WHOIS 服务器")
    host, port = server
    where = f"{host}:{port}"
    try:
        data = _ask(host, port, domain, settings)
    except TimeoutError:
        return SourceAnswer("whois", domain, "timeout",
                            detail=f"{settings.timeout:g} 秒内未答完", server=where)
    except OSError as exc:
        return SourceAnswer("whois", domain, "error", detail=f"无法连接：{exc}", server=where)
    text = _decode(data)
    raw = raw_text(data) if text is None else raw_text(text.encode())
    if text is None:
        return SourceAnswer("whois", domain, "garbage", raw=raw, detail="答复不是文本",
                            server=where)
    fields = parse_whois(text)
    if not fields and NOT_FOUND.search(text):
        return SourceAnswer("whois", domain, "not_found", raw=raw, detail="注册局无此域名",
                            server=where)
    if not fields:
        return SourceAnswer("whois", domain, "garbage", raw=raw,
                            detail="答复中没有可识别的注册信息", server=where)
    return SourceAnswer("whois", domain, "ok", fields, raw, server=where)


def _ask(host: str, port: int, domain: str, settings: HostingSettings) -> bytes:
    """Send the query, read until the server closes, the cap or the deadline."""
    deadline = time.monotonic() + settings.timeout
    chunks, size = [], 0
    with socket.create_connection((host, port), timeout=settings.timeout) as connection:
        connection.sendall(domain.encode("ascii", "replace") + b"\r\n")  # punycode already
        while size < settings.max_bytes:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            connection.settimeout(left)
            chunk = connection.recv(min(65536, settings.max_bytes - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> str | None:
    """UTF-8 (CNNIC) or GB18030; None for bytes that are not text at all."""
    for charset in ("utf-8", "gb18030"):
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            continue
        controls = sum(ch < " " and ch not in "\r\n\t" for ch in text)
        return None if controls > len(text) // 20 else text
    return None


def parse_whois(text: str) -> dict[str, Any]:
    """The registration fields of a WHOIS answer (first value of single fields, lists capped)."""
    fields: dict[str, Any] = {}
    for line in text.splitlines():
        match = LINE.match(line)
        if not match or not match[2]:
            continue
        name = FIELD_NAMES.get(" ".join(match[1].lower().split()))
        if name is None:
            continue
        value = match[2][:200]
        if name in LISTS:
            values = fields.setdefault(name, [])
            if len(values) < MAX_LIST:
                values.append(value.split()[0] if name == "status" else value.lower())
        else:
            fields.setdefault(name, value)
    if "domain" in fields and len(fields) == 1:
        return {}
    abuse = {"name": fields.get("registrar", ""), "email": fields.pop("abuse_email", ""),
             "phone": fields.pop("abuse_phone", "")}
    if fields:
        fields["abuse"] = [abuse] if abuse["email"] or abuse["phone"] else []
    return fields
