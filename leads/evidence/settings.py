"""What evidence capture is told to do: its settings, and the error that stops it altogether.

Kept apart from the capture steps because every step reads the settings (the orchestration in
``leads.evidence.capture``, the Chromium page in ``leads.evidence.page``, the saved snapshot in
``leads.evidence.snapshot``) and the record writes them all into each capture.json
(``leads.evidence.record``) — with the versions of the tools that ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from leads.egress.chromium import BROWSER_USER
from leads.hosting.settings import HostingSettings


class EvidenceError(RuntimeError):
    """Capture cannot run at all (e.g. the browser does not start); the message says why."""


@dataclass(frozen=True)
class CaptureSettings:
    """How captures run; every field is written into each capture.json."""

    chromium: str = "/usr/bin/chromium"
    browser_args: tuple[str, ...] = ()  # CHROMIUM_ARGS + --proxy-pac-url (crawler.browser)
    proxy: str = ""  # recorded only: the proxy script in browser_args does the routing
    user_agent: str = ""
    viewport_width: int = 1366
    viewport_height: int = 900
    navigation_timeout: float = 30.0  # seconds for the page to load
    capture_timeout: float = 90.0  # seconds for everything about one lead
    max_body_bytes: int = 10 * 1024 * 1024  # raw response kept in the WARC (the rest: truncated)
    max_dom_bytes: int = 10 * 1024 * 1024
    max_scrolls: int = 10  # endless-scrolling pages stop growing here
    scroll_pause: float = 0.3
    max_screenshot_height: int = 16000  # pixels
    screenshot_qr_tiles: int = 20  # overlapping tiles of it read for QR codes (0: not read)
    max_pdf_bytes: int = 20 * 1024 * 1024  # a larger PDF print is not kept (noted)
    wacz_timeout: float = 60.0  # seconds for packaging the WARC as evidence.wacz
    load_timeout: float = 10.0  # seconds the load event is waited for (a busy page goes on without)
    step_timeout: float = 20.0  # seconds for any other browser step (context, scroll, DOM, body)
    no_sandbox: bool = False  # JIAZHENG_CHROMIUM_NO_SANDBOX (leads.egress.chromium: warned about)
    browser_user: str = BROWSER_USER  # who runs Chromium when we are root (leads.egress.chromium)
    tsa_url: str = ""  # RFC 3161 timestamp authority; empty: no timestamp
    # host:port or CIDR entries the egress policy lets through (JIAZHENG_EGRESS_ALLOW): only
    # for test and demo servers on 127.0.0.1
    egress_allow: tuple[str, ...] = ()
    tsa_cert: str = ""  # PEM: the TSA's certificate or its CA; answers are verified against it
    # who is behind the lead's host (leads/hosting/): looked up (or taken from the store within
    # its TTL) at capture, through ``proxy``; each source's raw answers are files of the capture
    hosting: HostingSettings = field(default_factory=HostingSettings)


def tool_versions() -> dict[str, str]:
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "unknown"

    return {"jiazheng": installed("jiazheng"), "playwright": installed("playwright")}
