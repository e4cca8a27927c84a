"""The record of one capture: what was noted while the page was open, capture.json, the manifest
with every file's SHA-256, the optional RFC 3161 timestamp, and the store rows.

Apart from the browser work (``leads.evidence.page``, ``leads.evidence.snapshot``) because this is
what a reader of the evidence relies on — when (UTC and Beijing time), how (tool versions,
settings, steps) and with what outcome — and because it is written the same way whether the page
was captured, the site was down or the capture failed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from leads.egress.redact import redact_url
from leads.evidence import folder as files
from leads.evidence.settings import CaptureSettings, tool_versions
from leads.evidence.tsa import TimestampError, load_tsa_certificates, request_timestamp
from leads.evidence.wacz_package import WaczError, package_wacz
from leads.judge.observations import BEIJING
from leads.store import Store

OUTCOMES = {"captured": "已固定", "site_down": "网站已无法访问", "failed": "提取失败"}
MAX_EVENTS = 50  # a page firing alerts in a loop must not grow the record without end
MAX_EVENT_TEXT = 300
STEPS = (
    "新建独立的无痕浏览器上下文（不接受下载、不授予任何权限、忽略证书错误以便固定自签名网站）",
    "经与抓取相同的代理访问线索网址，记录跳转链、HTTP 头、连接地址和 TLS 证书",
    "关闭页面弹出的新窗口，关闭 alert/confirm/prompt 对话框，拦截下载",
    "滚动至页面底部以加载懒加载内容（滚动次数有上限），再回到顶部",
    "核对原始响应的实际编码（与抓取相同的判定）；浏览器按声明字符集解码有误时，以同一原始字节按实际编码"
    "重新渲染",
    "截取整页截图（高度有上限），下方附说明栏（网址、北京时间、线索编号、原始响应 SHA-256）；"
    "保存渲染后的页面源代码，并由浏览器打印为 PDF",
    "按重叠分块识别整页截图中的二维码（块数、像素和时间有上限）：微信联系人二维码记入线索的联系方式，"
    "其他网址经出站策略检查后记为下次抓取的待查页面（内网地址拒绝并记录）",
    "将原始响应与渲染后页面写入 WARC 文件，并打包为 WACZ（可用 ReplayWeb.page 回放）",
    "计算每个文件的 SHA-256 写入 manifest.json",
    "（配置时）向可信时间戳服务申请 manifest.json 的 RFC 3161 时间戳",
)


@dataclass
class CaptureResult:
    lead_id: int
    url: str
    folder: Path
    outcome: str  # captured | site_down | failed
    capture_id: int = 0
    error: str = ""


@dataclass
class Observed:
    """What happened while one page was open."""

    events: list[str] = field(default_factory=list)
    hung: bool = False  # the page or the browser stopped answering: recycle the browser

    def note(self, event: str) -> None:
        if len(self.events) < MAX_EVENTS:
            self.events.append(event[:MAX_EVENT_TEXT])

    def stopped_answering(self, why: str) -> None:
        """The page is kept from its raw response only; the browser is recycled after it."""
        self.note(f"{why}：按服务器原始响应固定，未截图、未保存渲染后页面")
        self.hung = True


def first_line(error: BaseException) -> str:
    """An error's first line for an event: browser errors carry a call log after it."""
    return str(error).split("\n", 1)[0]


def outcome(record: dict[str, Any], folder: Path) -> str:
    status = record["status"]
    if status and status < 400 and (folder / files.WARC).is_file():
        return "captured"
    if status >= 400 or "net::ERR_" in record["error"]:
        return "site_down"
    return "failed"


def when_and_how(started: datetime, chromium: str, settings: CaptureSettings) -> dict[str, Any]:
    return {
        "captured_at_utc": started.isoformat(timespec="seconds"),
        "captured_at_beijing": started.astimezone(BEIJING).isoformat(timespec="seconds"),
        "tool": {**tool_versions(), "chromium": chromium},
        "settings": {**asdict(settings), "proxy": redact_url(settings.proxy)},
        "steps": list(STEPS),
    }


def finish(store: Store, folder: Path, record: dict[str, Any],
           settings: CaptureSettings) -> CaptureResult:
    """evidence.wacz, capture.json, the manifest, the optional timestamp, then the store rows."""
    if (folder / files.WARC).is_file():
        try:
            package_wacz(folder, record, settings)
        except WaczError as exc:
            record["events"].append(str(exc)[:MAX_EVENT_TEXT])
    files.write_json(folder, files.CAPTURE_RECORD, record)
    manifest = {"lead_id": record["lead_id"], "url": record["url"],
                "captured_at_utc": record["captured_at_utc"], "algorithm": "SHA-256",
                "files": files.file_rows(folder)}
    manifest_path = files.write_json(folder, files.MANIFEST, manifest)
    timestamped = False
    if settings.tsa_url:
        try:
            reply, _granted = request_timestamp(manifest_path.read_bytes(), settings.tsa_url,
                                                load_tsa_certificates(settings.tsa_cert))
            files.write_file(folder, files.TIMESTAMP, reply)
            timestamped = True
        except TimestampError as exc:
            record["error"] = "；".join(x for x in (record["error"], str(exc)) if x)
    rows = files.file_rows(folder)
    manifest_sha256 = files.sha256_file(manifest_path)
    # Complete: the folder takes its real name only now, and only then is it in the store.
    folder = files.finish_folder(folder, record["lead_id"],
                                 datetime.fromisoformat(record["captured_at_utc"]))
    capture_id = store.save_capture({
        "lead_id": record["lead_id"], "url": record["url"], "final_url": record["final_url"],
        "folder": str(folder.resolve()), "outcome": record["outcome"],
        "status": record["status"], "error": record["error"],
        "captured_at": record["captured_at_utc"],
        "manifest_sha256": manifest_sha256, "timestamped": int(timestamped),
    }, rows)
    return CaptureResult(record["lead_id"], record["url"], folder, record["outcome"],
                         capture_id, record["error"])
