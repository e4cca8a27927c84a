"""Is a referred site gone? A re-check's fetch, classified: gone (DNS failure, connection
refused, 404/410, a parked or emptied page) or still online — or unknown when the fetch says
nothing either way (a timeout, a 5xx), which leaves the lead's state alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leads.judge.normalize import fold

if TYPE_CHECKING:
    from leads.judge.observations import PageObservation

GONE_ERRORS = {"dns": "域名无法解析", "refused": "连接被拒绝"}
GONE_STATUSES = {404: "页面不存在（404）", 410: "页面已删除（410）"}
# Parked domains, hosting placeholders and shutdown notices (matched on folded text).
PARKED = re.compile(
    r"域名(?:出售|转让|已过期|停放)|此域名|该域名|domain (?:is )?for sale|parked|"
    r"网站(?:已关闭|暂停访问|已停止|维护中)|已被依法(?:关闭|查封)|未备案|"
    r"welcome to nginx|it works|apache2? (?:debian )?default page|iis windows server"
)
EMPTY_TEXT = 30


@dataclass(frozen=True)
class RecheckOutcome:
    outcome: str  # gone | still_online | unknown
    reason: str
    content_changed: bool = False


def classify_recheck(page: PageObservation, previous_sha256: str, sha256: str) -> RecheckOutcome:
    """What a re-check of a referred lead found; ``previous_sha256`` is the lead's body then."""
    if page.error in GONE_ERRORS:
        return RecheckOutcome("gone", GONE_ERRORS[page.error])
    if page.error:
        return RecheckOutcome("unknown", f"无法判断：抓取失败（{page.error}）")
    if page.status in GONE_STATUSES:
        return RecheckOutcome("gone", GONE_STATUSES[page.status])
    if page.status >= 400:
        return RecheckOutcome("unknown", f"无法判断：服务器返回 {page.status}")
    text = fold(page.text)
    if len(text.strip()) < EMPTY_TEXT:
        return RecheckOutcome("gone", "页面已清空")
    if match := PARKED.search(text):
        return RecheckOutcome("gone", f"域名停放或网站关闭页面（{match.group(0)}）")
    changed = sha256 != previous_sha256
    reason = "仍可访问，内容已变化" if changed else "仍可访问，内容未变"
    return RecheckOutcome("still_online", reason, changed)
