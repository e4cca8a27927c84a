"""One evidence folder per capture: fixed file names, SHA-256 of every file, the WARC file.

Nothing taken from the page or its URL ever becomes a path: the folder is named by lead id and
capture time, the files inside have constant names, and every write is checked to stay inside.
warcio's own digests are SHA-1, so the manifest's SHA-256 values are computed here.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from leads.outputs import PARTIAL_MARK, explain_os_error, remove_leftovers

SCREENSHOT = "screenshot.png"
WARC = "page.warc.gz"
PRINT = "page.pdf"
WACZ = "evidence.wacz"
CAPTURE_RECORD = "capture.json"
MANIFEST = "manifest.json"
TIMESTAMP = "manifest.tsr"
# Who is behind the host (leads/hosting/): each source's answers as received, one file a source.
HOST_FILES = {"dns": "host-dns.txt", "rdap_ip": "host-rdap-ip.txt",
              "rdap_domain": "host-rdap-domain.txt", "whois": "host-whois.txt"}

# 类别 and 文件格式 of each file, as the 电子数据提取固定清单 names them.
FILE_KINDS: dict[str, tuple[str, str]] = {
    SCREENSHOT: ("网页截图（整页，下方附网址、北京时间、线索编号及原始响应 SHA-256）", "PNG"),
    PRINT: ("网页打印版（浏览器打印为 PDF，页脚附网址、时间、线索编号）", "PDF"),
    WARC: ("网页原始响应数据及渲染后页面（页面脚本卡死时仅原始响应）", "WARC 1.1（gzip）"),
    WACZ: ("网页存档包（WACZ，可用 ReplayWeb.page 打开回放）", "WACZ（ZIP）"),
    CAPTURE_RECORD: ("提取记录（HTTP 头、跳转链、IP、TLS 证书、时间、工具及参数）", "JSON"),
    MANIFEST: ("文件校验清单（SHA-256）", "JSON"),
    TIMESTAMP: ("可信时间戳（RFC 3161，对 manifest.json）", "TSR（DER）"),
    HOST_FILES["dns"]: ("网站主机的 DNS 解析原始答复（A/AAAA/CNAME/NS/MX）", "TXT"),
    HOST_FILES["rdap_ip"]: ("服务器 IP 的注册信息原始答复（RDAP：所属网络、接入服务商、滥用投诉）",
                            "TXT（含 JSON）"),
    HOST_FILES["rdap_domain"]: ("域名注册信息原始答复（RDAP：注册商、注册及到期日期、状态）",
                                "TXT（含 JSON）"),
    HOST_FILES["whois"]: ("域名注册信息原始答复（WHOIS）", "TXT"),
}
EVIDENCE_KIND_HEADER = "Jiazheng-Evidence-Kind"  # marks which WARC record is which
# The browser hands over the body decoded: headers that describe the wire encoding are renamed.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class HttpExchange:
    """One hop as the browser saw it: a redirect (no body kept) or the final response."""

    url: str
    status: int
    status_text: str
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    body: bytes = b""
    truncated: bool = False


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_folder(root: Path, lead_id: int, at: datetime) -> Path:
    """A folder to build one capture in, hidden under ``root`` and marked with this process's id
    (``.L000042-20261128T013000Z.partial-<pid>.…``): a capture killed halfway leaves no folder
    that looks finished, and the next capture removes it (``leads.outputs.remove_leftovers``)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(root)
        return Path(tempfile.mkdtemp(prefix=f".{_folder_name(lead_id, at)}{PARTIAL_MARK}"
                                            f"{os.getpid()}.", dir=root))
    except OSError as exc:
        raise explain_os_error(exc, root) from exc


def finish_folder(building: Path, lead_id: int, at: datetime) -> Path:
    """Rename a complete capture folder to ``L000042-20261128T013000Z`` (``-2``, ``-3`` … if that
    is taken, by another capture of the lead in the same second)."""
    base = _folder_name(lead_id, at)
    for attempt in range(1, 1000):
        target = building.parent / (base if attempt == 1 else f"{base}-{attempt}")
        if target.exists():
            continue
        try:
            building.rename(target)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                continue  # taken meanwhile by a capture in another process
            raise explain_os_error(exc, target) from exc
        return target
    raise FileExistsError(f"证据目录 {building.parent / base} 已存在过多副本")


def lead_label(lead_id: int) -> str:
    """How a lead is named to people: L000042."""
    return f"L{int(lead_id):06d}"


def _folder_name(lead_id: int, at: datetime) -> str:
    return f"{lead_label(lead_id)}-{at.strftime('%Y%m%dT%H%M%SZ')}"


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """Write one of the fixed evidence files; refuses any name that would leave ``folder``."""
    if name not in FILE_KINDS:
        raise ValueError(f"不是证据文件名：{name!r}")
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"证据文件 {name!r} 不在目录 {folder} 内")
    path.write_bytes(data)
    return path


def write_json(folder: Path, name: str, value: Any) -> Path:
    return write_file(folder, name, json.dumps(value, ensure_ascii=False, indent=2).encode())


def file_rows(folder: Path) -> list[dict[str, Any]]:
    """Every evidence file present, with 类别, 文件格式, SHA-256 and size (store rows)."""
    rows = []
    for name, (kind, file_format) in FILE_KINDS.items():
        path = folder / name
        if path.is_file():
            rows.append({"path": name, "kind": kind, "format": file_format,
                         "sha256": sha256_file(path), "size": path.stat().st_size})
    return rows


def _http_headers(status_line: str, headers: Iterable[tuple[str, str]],
                  protocol: str) -> StatusAndHeaders:
    kept = [(f"X-Jiazheng-Original-{name}" if name.lower() in WIRE_HEADERS else name, value)
            for name, value in headers]
    return StatusAndHeaders(status_line, kept, protocol=protocol)


def write_warc(folder: Path, exchanges: list[HttpExchange], dom: bytes, final_url: str,
               info: dict[str, str]) -> Path:
    """Requests and responses of the redirect chain (the last with its raw body), then the
    rendered DOM as a ``resource`` record; ``Jiazheng-Evidence-Kind`` says which is which."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    writer.write_record(writer.create_warcinfo_record(WARC, info))
    for index, hop in enumerate(exchanges):
        last = index == len(exchanges) - 1
        path = hop.url.split("/", 3)[3] if hop.url.count("/") >= 3 else ""
        request = writer.create_warc_record(
            hop.url, "request", payload=io.BytesIO(b""),
            http_headers=_http_headers(f"GET /{path} HTTP/1.1", hop.request_headers, ""),
            warc_headers_dict={EVIDENCE_KIND_HEADER: "request"})
        kind = "raw-response" if last else "redirect-response"
        extra = {EVIDENCE_KIND_HEADER: kind}
        if hop.truncated:
            extra["WARC-Truncated"] = "length"
        response = writer.create_warc_record(
            hop.url, "response", payload=io.BytesIO(hop.body if last else b""),
            http_headers=_http_headers(f"{hop.status} {hop.status_text}".strip(),
                                       hop.response_headers, "HTTP/1.1"),
            warc_headers_dict=extra)
        request.rec_headers.add_header("WARC-Concurrent-To",
                                       response.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(response)
        writer.write_record(request)
    if dom:
        writer.write_record(writer.create_warc_record(
            final_url, "resource", payload=io.BytesIO(dom),
            warc_content_type="text/html; charset=utf-8",
            warc_headers_dict={EVIDENCE_KIND_HEADER: "rendered-dom"}))
    return write_file(folder, WARC, buffer.getvalue())
