"""Who is behind a lead's host, as evidence of its capture: each source's answers of the latest
lookup written as received into the capture folder (``host-dns.txt``, ``host-rdap-ip.txt``,
``host-rdap-domain.txt``, ``host-whois.txt``, each answer under a header saying what was asked of
which server, when and with what outcome), and the same answers with what they say in the
capture record (``host_facts`` in capture.json). The manifest's SHA-256 then covers them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leads.evidence import folder as files
from leads.hosting.answers import OUTCOMES, SOURCE_NAMES, answers_from_rows
from leads.hosting.host_facts import lead_fields
from leads.hosting.quick_look import beijing_clock
from leads.judge.hostnames import host_parts
from leads.store import Store


def host_evidence(store: Store, folder: Path, url: str) -> dict[str, Any]:
    """Write the raw answer files for ``url``'s host into ``folder``; the record's part."""
    host = host_parts(url).host
    rows = store.latest_host_facts(host)
    if not rows:
        return {"host": host, "looked_up_at": "", "note": "未查询（未配置 DNS 解析服务器）"}
    looked_up_at = rows[0]["looked_up_at"]
    for source, name in files.HOST_FILES.items():
        mine = [row for row in rows if row["source"] == source]
        if mine:
            files.write_file(folder, name, "\n\n".join(
                _header(row, looked_up_at) + (row["raw"] or "（无答复内容）")
                for row in mine).encode("utf-8"))
    return {
        "host": host, "looked_up_at_utc": looked_up_at,
        "looked_up_at_beijing": beijing_clock(looked_up_at),
        "fields": lead_fields(answers_from_rows(rows)),
        "answers": [{key: row[key] for key in ("source", "subject", "server", "outcome",
                                               "detail", "fields", "raw")}
                    | {"outcome_zh": OUTCOMES[row["outcome"]],
                       "file": files.HOST_FILES[row["source"]]} for row in rows],
    }


def _header(row: dict[str, Any], looked_up_at: str) -> str:
    detail = f"（{row['detail']}）" if row["detail"] else ""
    return (f"# {SOURCE_NAMES[row['source']]}：{row['subject']}\n"
            f"# 服务器：{row['server'] or '-'}\n"
            f"# 查询时间：{looked_up_at}（北京时间 {beijing_clock(looked_up_at)}）\n"
            f"# 结果：{OUTCOMES[row['outcome']]}{detail}\n"
            f"# ---- 原始答复 ----\n")
