"""How the system Chromium is started and stopped, for crawl rendering and evidence capture alike
(no Scrapy import: ``crawler.browser`` and ``leads.evidence.capture`` both build on it).

- **Sandboxed.** Chromium refuses its sandbox as root. As root the browser is started through
  ``chromium_as_user.sh``, which drops to an unprivileged user (``jiazheng-browser``, created by
  ``bash setup.sh``) before Chromium runs; as any other user Chromium is started directly. Both
  keep Chromium's own sandbox on (Playwright's ``chromium_sandbox``). ``--no-sandbox`` is used only
  when the operator asks for it (JIAZHENG_CHROMIUM_NO_SANDBOX), and a warning says so.
- **A clean environment.** The browser gets PATH, HOME and locale only: proxy passwords and other
  secrets in our environment are not readable from its processes.
- **Proxy with a password.** Chromium ignores credentials in a proxy script, so pages get the
  proxy as Playwright's per-context ``proxy`` (server, username, password); the browser-wide
  proxy script only keeps Chromium's own background requests away from the network.
- **Bounded.** Every browser step runs under a deadline (``bounded``); a browser that does not
  close in time is killed (``close_browser``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pwd
import signal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from leads.egress.redact import redact_url

BROWSER_USER = "jiazheng-browser"
AS_USER_SCRIPT = Path(__file__).with_name("chromium_as_user.sh")
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "XDG_RUNTIME_DIR")
CLOSE_SECONDS = 10.0  # a browser that takes longer to close is killed

logger = logging.getLogger(__name__)


class BrowserSetupError(RuntimeError):
    """The browser cannot be started safely as configured; the message says what to do."""


class StepTimeout(RuntimeError):
    """A browser step overran its deadline (the page is hung or hostile)."""

    def __init__(self, step: str, seconds: float) -> None:
        super().__init__(f"浏览器步骤「{step}」超过 {seconds:g} 秒未完成，已中止")
        self.step = step
        self.seconds = seconds


def launch_options(chromium: str, args: list[str] | tuple[str, ...], *,
                   no_sandbox: bool = False, user: str = BROWSER_USER) -> dict[str, Any]:
    """Playwright ``launch()`` keyword arguments for ``chromium`` with ``args``, sandboxed."""
    options: dict[str, Any] = {"headless": True, "args": list(args), "chromium_sandbox": True}
    if no_sandbox:
        logger.warning("Chromium 以 --no-sandbox 运行（JIAZHENG_CHROMIUM_NO_SANDBOX=true）："
                       "恶意网页一旦攻破渲染进程即可访问本机")
        return {**options, "executable_path": chromium, "chromium_sandbox": False,
                "env": _clean_environment()}
    if os.geteuid() != 0:
        return {**options, "executable_path": chromium, "env": _clean_environment()}
    try:
        pwd.getpwnam(user)
    except KeyError as exc:
        raise BrowserSetupError(
            f"以 root 运行时浏览器须以普通用户 {user} 运行（沙箱）：该用户不存在。请运行 "
            f"bash setup.sh（会创建它），或以普通用户运行 jiazheng；"
            f"确需关闭沙箱时设置 JIAZHENG_CHROMIUM_NO_SANDBOX=true") from exc
    return {**options, "executable_path": str(AS_USER_SCRIPT),
            "env": {**_clean_environment(), "JIAZHENG_CHROMIUM_REAL": chromium,
                    "JIAZHENG_BROWSER_USER": user}}


def _clean_environment() -> dict[str, str]:
    return {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}


def context_proxy(proxy: str) -> dict[str, str] | None:
    """Playwright's per-context ``proxy`` for ``http://user:password@host:port`` (or None)."""
    if not proxy:
        return None
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not parts.hostname:
        raise BrowserSetupError(f"代理地址无效：{redact_url(proxy)}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    server = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    settings = {"server": server}
    if parts.username:
        settings |= {"username": unquote(parts.username), "password": unquote(parts.password or "")}
    return settings


# A page that cannot evaluate "1" in this time is busy for good: its script never yields.
SCRIPT_PROBE_SECONDS = 2.0


async def script_answers(page: Any) -> bool:
    """Whether the page's main thread answers a trivial question within SCRIPT_PROBE_SECONDS.
    A Playwright error (the page closed, or between two documents) is the caller's to judge."""
    try:
        await asyncio.wait_for(page.evaluate("1"), SCRIPT_PROBE_SECONDS)
    except TimeoutError:
        return False
    return True


async def bounded(awaitable: Any, seconds: float, step: str) -> Any:
    """``await awaitable``, or StepTimeout after ``seconds``."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except TimeoutError as exc:
        raise StepTimeout(step, seconds) from exc


async def close_browser(browser: Any, seconds: float = CLOSE_SECONDS) -> None:
    """Close ``browser``; if it does not close within ``seconds``, kill every Chromium process
    this process started (a hung browser must not outlive the run)."""
    try:
        await asyncio.wait_for(browser.close(), seconds)
    except Exception:  # whatever went wrong (timeout, closed pipe), the processes must go
        logger.warning("浏览器 %g 秒内未关闭，强制结束其进程", seconds)
        kill_chromium_descendants()


def kill_chromium_descendants() -> list[int]:
    """SIGKILL every Chromium process below this one (through the Playwright driver)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            name, rest = stat[stat.index("(") + 1: stat.rindex(")")], stat[stat.rindex(")") + 2:]
            parents[int(entry.name)] = int(rest.split()[1])
            names[int(entry.name)] = name
    mine = {os.getpid()}
    changed = True
    while changed:
        found = {pid for pid, parent in parents.items() if parent in mine} - mine
        changed = bool(found)
        mine |= found
    killed = [pid for pid in mine if "chrom" in names.get(pid, "")]
    for pid in killed:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return killed
