"""Watch a Certificate Transparency feed for lookalike domains, the day their certificate is issued.

Reads a certstream-compatible websocket (certstream-server-go's message format): messages of type
``certificate_update`` carry ``data.leaf_cert.all_domains``, ``dns_entries`` (its domains-only
stream) carry a list in ``data``, ``heartbeat`` carries nothing to score. Every domain goes through
``leads.judge.domains.score_domain``; lookalikes (score ≥ the lead threshold) are handed to a
sink, in the CLI the store's ``domain_candidates`` table, which the next crawl fetches and
page-scores.

A dropped or refused connection is retried with exponential backoff; a malformed message is
counted and skipped. ``watch`` stops after ``max_messages`` / ``max_seconds`` or when cancelled
(Ctrl-C in ``run_watch``); whatever the sink already accepted stays accepted.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidURI, WebSocketException

from leads.judge.domains import DomainScore, score_domain
from leads.judge.verdict import LEAD_THRESHOLD

MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # a certificate with thousands of SANs is still well below
MAX_DOMAINS_PER_MESSAGE = 5_000
OPEN_TIMEOUT = 10.0
# Seconds to wait for the feed's answer to our closing handshake: Ctrl-C should not hang on a
# feed that never answers it.
CLOSE_TIMEOUT = 2.0

Lookalike = tuple[str, DomainScore]
Sink = Callable[[list[Lookalike]], int]  # stores lookalikes, returns how many were new


class WatchSetupError(ValueError):
    """The feed URL cannot work at all (not a ws:// or wss:// URL): retrying would not help."""


@dataclass
class WatchStats:
    """What a watch saw; filled in as it goes, so an interrupted watch still reports."""

    messages: int = 0
    certificates: int = 0
    heartbeats: int = 0
    bad_messages: int = 0
    domains: int = 0
    lookalikes: int = 0
    new_candidates: int = 0
    connections: int = 0
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)
    stopped_by: str = ""


def domains_in(message: Any) -> tuple[str, list[str]]:
    """The message type and the domains a decoded feed message names (wildcards stripped)."""
    if not isinstance(message, dict):
        raise ValueError("消息不是 JSON 对象")
    kind = message.get("message_type")
    data = message.get("data")
    if kind == "heartbeat":
        return kind, []
    if kind == "certificate_update" and isinstance(data, dict):
        names = (data.get("leaf_cert") or {}).get("all_domains")
    elif kind == "dns_entries":
        names = data
    else:
        raise ValueError(f"未知的消息类型：{str(kind)[:40]}")
    if not isinstance(names, list):
        raise ValueError("消息缺少域名列表")
    domains = (str(name).strip().removeprefix("*.") for name in names[:MAX_DOMAINS_PER_MESSAGE])
    return kind, list(dict.fromkeys(domain for domain in domains if domain))


def lookalikes_in(domains: list[str], threshold: int = LEAD_THRESHOLD) -> list[Lookalike]:
    scored = ((domain, score_domain(domain)) for domain in domains)
    return [(domain, score) for domain, score in scored if score.score >= threshold]


def _handle(raw: str | bytes, sink: Sink, stats: WatchStats) -> None:
    stats.messages += 1
    try:
        kind, domains = domains_in(json.loads(raw))
    except (ValueError, AttributeError, RecursionError):
        stats.bad_messages += 1
        return
    if kind == "heartbeat":
        stats.heartbeats += 1
        return
    stats.certificates += 1
    stats.domains += len(domains)
    found = lookalikes_in(domains)
    if found:
        stats.lookalikes += len(found)
        stats.new_candidates += sink(found)


class _Limits:
    """When to stop: after ``max_messages`` messages or ``max_seconds`` seconds (None = never)."""

    def __init__(self, max_messages: int | None, max_seconds: float | None) -> None:
        self.max_messages = max_messages
        self.deadline = time.monotonic() + max_seconds if max_seconds is not None else None

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def reached(self, stats: WatchStats) -> bool:
        if self.max_messages is not None and stats.messages >= self.max_messages:
            stats.stopped_by = "max_messages"
        elif self.remaining() == 0.0:
            stats.stopped_by = "max_seconds"
        return bool(stats.stopped_by)


async def _consume(url: str, sink: Sink, stats: WatchStats, limits: _Limits) -> None:
    """One connection: read messages until a limit is reached or the connection drops."""
    # A self-hosted feed is reached directly, never through a crawl proxy.
    async with connect(
        url, proxy=None, open_timeout=OPEN_TIMEOUT, close_timeout=CLOSE_TIMEOUT,
        max_size=MAX_MESSAGE_BYTES,
    ) as websocket:
        stats.connections += 1
        while not limits.reached(stats):
            try:
                raw = await asyncio.wait_for(websocket.recv(), limits.remaining())
            except TimeoutError:
                continue
            _handle(raw, sink, stats)


async def watch(
    url: str,
    sink: Sink,
    *,
    max_messages: int | None = None,
    max_seconds: float | None = None,
    backoff: tuple[float, float] = (1.0, 60.0),
    stats: WatchStats | None = None,
) -> WatchStats:
    """Consume the feed at ``url`` until a limit is reached (or forever); reconnect after drops,
    waiting ``backoff[0]`` seconds, doubling up to ``backoff[1]``, reset by a connection that
    delivered messages."""
    if not url.startswith(("ws://", "wss://")):
        raise WatchSetupError(f"不是 websocket 地址（ws:// 或 wss://）：{url}")
    stats = stats if stats is not None else WatchStats()
    limits = _Limits(max_messages, max_seconds)
    delay = backoff[0]
    while not limits.reached(stats):
        seen = stats.messages
        try:
            await _consume(url, sink, stats, limits)
        except InvalidURI as error:
            raise WatchSetupError(f"websocket 地址无效：{error}") from error
        except (OSError, TimeoutError, WebSocketException) as error:
            stats.errors.append(f"{type(error).__name__}: {error}"[:200])
        if limits.reached(stats):
            break
        delay = backoff[0] if stats.messages > seen else delay
        stats.reconnects += 1
        remaining = limits.remaining()
        await asyncio.sleep(delay if remaining is None else min(delay, remaining))
        delay = min(delay * 2, backoff[1])
    return stats


def run_watch(url: str, sink: Sink, **options: Any) -> WatchStats:
    """``watch`` in its own event loop; Ctrl-C stops it cleanly (``stopped_by`` "interrupted")."""
    stats = WatchStats()
    try:
        asyncio.run(watch(url, sink, stats=stats, **options))
    except KeyboardInterrupt:
        stats.stopped_by = "interrupted"
    return stats
