"""Chromium under the egress policy (``leads.egress``): every request the browser makes is paused
and failed when the policy refuses it — navigations, frames, images, scripts' fetches, a
navigation after load, and the redirect hops of each, which Playwright's routes never see.

The guard listens at the browser level (the DevTools Fetch domain on the browser target), so it
covers every context, page, popup, frame and worker of that browser. Used by evidence capture
(``leads.evidence``) and the crawl's renderer (``crawler.egress``). Not covered: WebSocket
handshakes (routed separately where a page is opened), and connections that are no request
(``<link rel=preconnect>``, WebRTC).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from playwright.async_api import Browser, CDPSession
from playwright.async_api import Error as PlaywrightError

from leads.egress import EgressPolicy

# Schemes Chromium serves without the network; anything else but http(s) is failed.
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def browser_refusal(policy: EgressPolicy, url: str) -> str | None:
    """The policy for a URL the browser asks for: in-page schemes (data:, blob:) pass."""
    return None if url.startswith(LOCAL_SCHEMES) else policy.refusal(url)


class BrowserEgressGuard:
    """``await guard.attach(browser)`` once per launched browser; ``on_refused(reason)`` hears of
    each refusal (evidence notes it in the capture record, the crawl on the page)."""

    def __init__(self, policy: EgressPolicy,
                 on_refused: Callable[[str], None] = lambda reason: None) -> None:
        self.policy = policy
        self.on_refused = on_refused
        self._decisions: set[asyncio.Task[None]] = set()

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
        reason = browser_refusal(self.policy, request["url"] + request.get("urlFragment", ""))
        with contextlib.suppress(PlaywrightError):  # the page may be gone meanwhile
            if reason is None:
                await session.send("Fetch.continueRequest", {"requestId": event["requestId"]})
                return
            # Cancelled, not failed: a failed navigation would show Chromium's error page in
            # place of the page being read.
            await session.send("Fetch.failRequest",
                               {"requestId": event["requestId"], "errorReason": "Aborted"})
        if reason is not None:
            self.on_refused(reason)
