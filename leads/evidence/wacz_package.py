"""The capture's WARC packaged as WACZ (``evidence.wacz``), so an officer opens the page in
ReplayWeb.page instead of reading WARC records.

Made by py-wacz's own ``wacz create`` (the WARC, its CDXJ index, ``datapackage.json`` with every
part's SHA-256, and a ``pages.jsonl`` naming the captured page), run as a child process with a time
limit so a WARC it chokes on cannot stall the capture. Written into the folder under its fixed name
like every other evidence file; a failure is the caller's to note, never the capture's end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from leads.evidence import folder as files
from leads.evidence.folder import lead_label
from leads.evidence.settings import CaptureSettings

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "提取的网页"}
MAX_ERROR_TEXT = 200


class WaczError(RuntimeError):
    """evidence.wacz could not be made; the message says why (for capture.json's events)."""


def pages_jsonl(record: dict[str, Any]) -> str:
    """The one page of the capture, as ReplayWeb.page lists it."""
    page = {"id": uuid.uuid5(uuid.NAMESPACE_URL, record["final_url"] or record["url"]).hex,
            "url": record["final_url"] or record["url"],
            "ts": record["captured_at_utc"].replace("+00:00", "Z"),
            "title": f"线索 {lead_label(record['lead_id'])}"}
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in (PAGES_HEADER, page)) + "\n"


def package_wacz(folder: Path, record: dict[str, Any], settings: CaptureSettings) -> Path:
    """``evidence.wacz`` from the folder's WARC; WaczError when py-wacz fails or overruns."""
    with tempfile.TemporaryDirectory(prefix="jiazheng-wacz-") as work:
        pages = Path(work) / "pages.jsonl"
        pages.write_text(pages_jsonl(record), encoding="utf-8")
        target = Path(work) / files.WACZ
        command = [sys.executable, "-m", "wacz", "create", "-o", str(target),
                   "-p", str(pages), "--copy-pages", "--url", record["final_url"] or record["url"],
                   "--title", f"jiazheng 证据 {lead_label(record['lead_id'])}",
                   "--desc", f"提取时间（北京时间）{record['captured_at_beijing']}",
                   str(folder / files.WARC)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=settings.wacz_timeout, cwd=work)
        except subprocess.TimeoutExpired as exc:
            raise WaczError(f"WACZ 打包超过 {settings.wacz_timeout:g} 秒，未生成 evidence.wacz"
                            ) from exc
        if done.returncode != 0 or not target.is_file():
            why = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["无输出"]
            raise WaczError(f"WACZ 打包失败，未生成 evidence.wacz：{why[0][:MAX_ERROR_TEXT]}")
        return files.write_file(folder, files.WACZ, target.read_bytes())
