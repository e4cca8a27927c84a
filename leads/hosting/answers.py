"""One source's answer about one host: the shape every lookup (DNS, RDAP, WHOIS) returns.

A lookup never raises for what the network or a registry did: a timeout, a refused connection, an
answer that is not what the protocol says, a name that does not exist — each is an ``outcome``
with a ``detail`` an officer reads, and the raw bytes that came back are kept as they came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SOURCES = ("dns", "rdap_ip", "rdap_domain", "whois")
SOURCE_NAMES = {"dns": "DNS 解析", "rdap_ip": "IP 注册信息（RDAP）",
                "rdap_domain": "域名注册信息（RDAP）", "whois": "域名注册信息（WHOIS）"}
# What each outcome means, in the words the evidence record and the quick look show.
OUTCOMES = {
    "ok": "已查到",
    "not_found": "不存在（NXDOMAIN / 404 / 无匹配）",
    "no_answer": "无此类记录",
    "timeout": "超时未答",
    "garbage": "答复无法解析",
    "error": "查询出错",
    "not_configured": "未配置查询服务",
    "skipped": "未查询",
}
MAX_RAW_CHARS = 200_000  # a raw answer kept beyond this is cut (and says so)


@dataclass(frozen=True)
class SourceAnswer:
    """``source`` (one of SOURCES) asked about ``subject`` (a host, an IP or a domain) at
    ``server``: the outcome, what it said in ``fields``, and the ``raw`` answer text."""

    source: str
    subject: str
    outcome: str
    fields: dict[str, Any] = field(default_factory=dict)
    raw: str = ""
    detail: str = ""
    server: str = ""

    def row(self) -> dict[str, Any]:
        """The answer as the store keeps it (``fields`` still a dict)."""
        return {"source": self.source, "subject": self.subject, "outcome": self.outcome,
                "fields": self.fields, "raw": self.raw, "detail": self.detail,
                "server": self.server}


def raw_text(data: bytes) -> str:
    """Bytes from a server as text to keep: UTF-8 where it is, escapes where it is not, capped."""
    text = data.decode("utf-8", errors="backslashreplace")
    return text if len(text) <= MAX_RAW_CHARS else text[:MAX_RAW_CHARS] + "\n…（已截断）"


def answers_from_rows(rows: list[dict[str, Any]]) -> list[SourceAnswer]:
    """Stored answers (``Store.latest_host_facts``) as SourceAnswers again."""
    return [SourceAnswer(row["source"], row["subject"], row["outcome"], row["fields"],
                         row["raw"], row["detail"], row["server"]) for row in rows]
