"""Chromium under the egress policy (``leads.egress.policy``): every request the browser makes is
paused and failed when the policy refuses it — navigations, frames, images, scripts' fetches, a
navigation after load, and the redirect hops of each, which Playwright's routes never see.

The guard listens at the browser level (the DevTools Fetch domain on the browser target), so it
covers every context, page, popup, frame and worker of that browser. When the browser connects
directly (no proxy), the names it asks for are resolved here first and refused when they point
inside (Chromium resolves again when it connects: a name that changes its answer in between,
DNS rebinding, is not caught). Used by evidence capture
(``leads.evidence.capture``) and the crawl's renderer (``crawler.egress``). Not covered: WebSocket
handshakes (routed separately where a page is opened), and connections that are no request
(``<link rel=preconnect>``, WebRTC).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, CDPSession
from playwright.async_api import Error as PlaywrightError

from leads.egress.policy import EgressPolicy, url_targets

# Schemes Chromium serves without the network; anything else but http(s) is failed.
LOCAL_SCHEMES = ("data:", "blob:", "about:")
MAX_NAMES_REMEMBERED = 1000  # resolved names kept per guard


def browser_refusal(policy: EgressPolicy, url: str) -> str | None:
    """The policy for a URL the browser asks for: in-page schemes (data:, blob:) pass."""
    return None if url.startswith(LOCAL_SCHEMES) else policy.refusal(url)


def _error(event: dict[str, Any]) -> str:
    """How a refused request fails. A navigation redirected inside is blocked (the page is not
    opened: ERR_BLOCKED_BY_CLIENT, which only this guard causes); anything else is cancelled, so
    that a page sending the browser inside after load stays as it was (a failed navigation
    would show Chromium's error page in its place)."""
    redirected = event.get("redirectedRequestId") and event.get("resourceType") == "Document"
    return "BlockedByClient" if redirected else "Aborted"


class BrowserEgressGuard:
    """``await guard.attach(browser)`` once per launched browser; ``on_refused(reason)`` hears of
    each refusal (evidence notes it in the capture record, the crawl on the page); ``direct``:
    the browser has no proxy, so resolved addresses are judged too."""

    def __init__(self, policy: EgressPolicy,
                 on_refused: Callable[[str], None] = lambda reason: None, *,
                 direct: bool = False) -> None:
        self.policy = policy
        self.on_refused = on_refused
        self.direct = direct
        self._decisions: set[asyncio.Task[None]] = set()
        self._resolved: dict[str, str | None] = {}  # name → refusal (None: allowed)

    async def attach(self, browser: Browser) -> None:
        session = await browser.new_browser_cdp_session()
        session.on("Fetch.requestPaused", lambda event: self._schedule(session, event))
        await session.send("Fetch.enable",
                           {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})

    def _schedule(self, session: CDPSession, event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._decide(session, event))
        self._decisions.add(task)  # kept until done, so the decision is not garbage-collected
        task.add_done_callback(self._decisions.discard)

    async def _decide(self, session: CDPSession, event: dict[str, Any]) -> None:
        request = event["request"]
        url = request["url"] + request.get("urlFragment", "")
        reason = browser_refusal(self.policy, url)
        if reason is None and self.direct and not url.startswith(LOCAL_SCHEMES):
            reason = await self._resolved_refusal(url)
        with contextlib.suppress(PlaywrightError):  # the page may be gone meanwhile
            if reason is None:
                await session.send("Fetch.continueRequest", {"requestId": event["requestId"]})
                return
            await session.send("Fetch.failRequest",
                               {"requestId": event["requestId"], "errorReason": _error(event)})
        if reason is not None:
            self.on_refused(reason)

    async def _resolved_refusal(self, url: str) -> str | None:
        """The policy on the addresses the URL's name resolves to (a name that does not resolve
        is left to the browser, which will fail on it)."""
        host = urlsplit(url).hostname or ""
        if not host or any(target.address is not None for target in url_targets(url)[1]):
            return None
        if host not in self._resolved:
            try:
                answers = await asyncio.get_running_loop().getaddrinfo(
                    host, None, type=socket.SOCK_STREAM)
            except OSError:
                answers = []
            if len(self._resolved) >= MAX_NAMES_REMEMBERED:
                self._resolved.clear()
            self._resolved[host] = next(
                (reason for *_, address in answers
                 if (reason := self.policy.address_refusal(host, str(address[0])))), None)
        return self._resolved[host]
