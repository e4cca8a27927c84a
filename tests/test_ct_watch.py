"""watch-ct against a local websocket server replaying recorded certstream-server-go messages."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from websockets.asyncio.server import ServerConnection, serve

from crawler.cli import main
from leads.feeds.ct_watch import WatchSetupError, WatchStats, domains_in, run_watch
from leads.store import Store

MESSAGES = [
    line
    for line in (Path(__file__).parent / "data" / "ct_messages.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
LOOKALIKES = {
    "cx-mem-gov.com",
    "www.cx-mem-gov.com",
    "zlaq-mohurd.top",
    "xn---mem-k6dy.com",
    "tzsb-chaxun.cn",
    "cx.mem.gov.cn.zscx.top",
}


class ReplayServer:
    """A websocket server on 127.0.0.1 in its own thread. The first connection is dropped after
    ``drop_after`` messages (a feed outage); the next one sends the rest, then idles."""

    def __init__(self, drop_after: int | None = None) -> None:
        self.drop_after = drop_after
        self.connections = 0
        self.sent = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._thread = threading.Thread(
            target=self._loop.run_until_complete, args=(self._run(),), daemon=True
        )

    async def _handler(self, websocket: ServerConnection) -> None:
        self.connections += 1
        first = self.connections == 1
        while self.sent < len(MESSAGES):
            if first and self.drop_after is not None and self.sent >= self.drop_after:
                return  # closes the connection mid-feed
            await websocket.send(MESSAGES[self.sent])
            self.sent += 1
        await asyncio.sleep(3600)

    async def _run(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(lambda: self._stop and self._stop.set_result(None))
        self._thread.join(10)


@pytest.fixture
def feed() -> Iterator[ReplayServer]:
    with ReplayServer(drop_after=4) as server:
        yield server


def test_lookalikes_from_the_feed_become_pending_candidates_across_a_dropped_connection(
    feed: ReplayServer, store: Store
) -> None:
    def save(found):
        return store.save_domain_candidates(
            [(domain, score.score, score.target, score.reasons) for domain, score in found], "ct"
        )

    stats = run_watch(feed.url, save, max_messages=len(MESSAGES), backoff=(0.05, 0.2))
    print(stats)
    assert stats.stopped_by == "max_messages"
    assert stats.connections == 2 and stats.reconnects >= 1
    assert stats.heartbeats == 2
    assert stats.bad_messages == 2  # the non-JSON line and all_domains that is not a list
    rows = {row["domain"]: row for row in store.domain_candidates()}
    assert set(rows) == LOOKALIKES
    assert stats.new_candidates == len(LOOKALIKES)
    assert rows["cx-mem-gov.com"]["times_seen"] == 2
    assert rows["zlaq-mohurd.top"]["target"] == "zlaq.mohurd.gov.cn"
    assert rows["xn---mem-k6dy.com"]["target"] == "cx.mem.gov.cn"
    assert any("homoglyph" in reason for reason in rows["xn---mem-k6dy.com"]["reasons"])
    pending = store.pending_candidates(100)
    assert sorted(pending) == sorted(f"http://{domain}/" for domain in LOOKALIKES)
    assert pending[0] in {f"http://{d}/" for d, r in rows.items() if r["score"] == 100}
    store.mark_candidates_fetched(pending[:2])
    assert store.pending_candidates(100) == pending[2:]
    assert store.pending_candidates(1) == pending[2:3]


def test_official_and_government_hosts_in_the_feed_are_not_candidates() -> None:
    kind, domains = domains_in(
        {
            "message_type": "certificate_update",
            "data": {
                "leaf_cert": {
                    "all_domains": ["*.cx.mem.gov.cn", "cnse.e-cqs.cn", "yjglj.beijing.gov.cn"]
                }
            },
        }
    )
    assert kind == "certificate_update"
    assert domains == ["cx.mem.gov.cn", "cnse.e-cqs.cn", "yjglj.beijing.gov.cn"]
    found: list = []
    stats = WatchStats()
    from leads.feeds.ct_watch import _handle

    _handle(
        '{"message_type": "dns_entries", "data": ["cx.mem.gov.cn", "www.samr.gov.cn"]}',
        found.append,
        stats,
    )
    assert found == [] and stats.domains == 2


def test_an_unreachable_feed_is_retried_with_backoff_until_the_time_limit() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    stats = run_watch(
        f"ws://127.0.0.1:{port}/", lambda found: 0, max_seconds=1.0, backoff=(0.1, 0.4)
    )
    assert stats.stopped_by == "max_seconds"
    assert stats.connections == 0 and stats.reconnects >= 2
    assert stats.errors and time.monotonic() - started < 5


def test_a_url_that_is_not_a_websocket_fails_clearly(db_path: Path) -> None:
    with pytest.raises(WatchSetupError):
        run_watch("http://127.0.0.1:1/", lambda found: 0, max_messages=1)
    result = CliRunner().invoke(main, ["watch-ct", "--url", "127.0.0.1:8080", "--db", str(db_path)])
    assert result.exit_code == 2


def _interrupt_by_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_cli_stores_candidates_and_stops_cleanly_on_ctrl_c(db_path: Path) -> None:
    with ReplayServer() as server:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "jiazheng"),
                "watch-ct",
                "--url",
                server.url,
                "--db",
                str(db_path),
            ],
            cwd=Path(__file__).parent.parent,
            stderr=subprocess.PIPE,
            text=True,
            # Ctrl-C as at a terminal: a shell running the tests as a background job starts its
            # children with SIGINT ignored, and Python then never raises KeyboardInterrupt.
            preexec_fn=_interrupt_by_default,
        )
        deadline = time.monotonic() + 60
        while server.sent < len(MESSAGES) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # let it score and store the last messages
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "监听结束（interrupted）" in stderr
    store = Store(db_path)
    try:
        assert {row["domain"] for row in store.domain_candidates()} == LOOKALIKES
    finally:
        store.close()
