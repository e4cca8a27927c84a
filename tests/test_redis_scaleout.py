"""Scale-out on a real Redis server (started here on loopback): two crawler processes share the
request queue and the duplicate filter, and their results reach the one SQLite store."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crawler.demoweb.server import DemoWeb
from leads.judge.domains import is_government_host

CRAWL = ("--no-delay", "--max-queries", "4", "-s", "JIAZHENG_MAX_SERP_PAGES=3")
# This seller page's script opens a popup and clicks a download every 200 ms until the renderer
# closes it: how many of those requests reach the web is a matter of timing, not of the queue.
SCRIPT_DRIVEN_HOSTS = {"www.tanchuang-xiazai.com"}


@pytest.fixture
def redis_url() -> Iterator[str]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (setup.sh installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def jiazheng(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)


def finish(*processes: subprocess.Popen[str]) -> list[str]:
    """Wait for each process to succeed; their stderr."""
    errors = []
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-2000:]
        errors.append(stderr)
    return errors


def leads_and_fetches(db: Path, web: DemoWeb) -> tuple[set[tuple[str, str, str]], Counter]:
    with sqlite3.connect(db) as conn:
        leads = set(conn.execute("SELECT url, category, target FROM leads"))
    return leads, Counter(web.requests_seen)


def test_two_processes_on_redis_fetch_each_page_once_and_find_the_same_leads(
    tmp_path: Path, redis_url: str
) -> None:
    with DemoWeb() as web:
        finish(jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(tmp_path / "one.db"),
                        *CRAWL))
        single_leads, single_fetches = leads_and_fetches(tmp_path / "one.db", web)
    shared = tmp_path / "shared.db"
    with DemoWeb() as web:
        workers = [jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(shared), *CRAWL,
                            "--redis", redis_url, "--session", "test", "--no-drain")
                   for _ in range(2)]
        logs = finish(*workers)
        finish(jiazheng("drain", "--redis", redis_url, "--session", "test", "--db", str(shared)))
        two_leads, two_fetches = leads_and_fetches(shared, web)
    # The shared queue hands official pages to either process: neither may wait for its own.
    assert not [log for log in logs if "official pages still missing" in log]
    assert two_leads == single_leads
    assert len(single_leads) >= 10
    # Each process fetches the platforms' own pages and logos (it judges with them), unfiltered,
    # so official hosts are asked more than once; every other page by one process only.
    official = {key for key in single_fetches if is_government_host(key[0])}
    assert official, "the official pages were not fetched"
    scripted = {key for key in single_fetches | two_fetches if key[0] in SCRIPT_DRIVEN_HOSTS}
    assert {key for key in scripted if key[1] == "/"} == \
        {(host, "/") for host in SCRIPT_DRIVEN_HOSTS}, "the scripted seller page was not fetched"
    assert {k: v for k, v in two_fetches.items() if k not in official | scripted} == \
        {k: v for k, v in single_fetches.items() if k not in official | scripted}, \
        "a page was fetched twice, or one was missed"
    assert {key for key in two_fetches if is_government_host(key[0])} == official
    with sqlite3.connect(shared) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT url) FROM leads").fetchone()[0] == \
            len(two_leads)
    assert redis.Redis.from_url(redis_url).llen("jiazheng:test:items") == 0


def test_drain_skips_garbage_in_the_queue_and_stores_the_rest(
    tmp_path: Path, redis_url: str
) -> None:
    from leads.feeds.drain import drain_session
    from leads.feeds.records import encode_record
    from leads.store import Store
    from tests.conftest import make_page

    client = redis.Redis.from_url(redis_url)
    client.rpush("jiazheng:x:items", b"\x80not json", b'{"kind": "os.system", "data": {}}',
                 encode_record(make_page()))
    store = Store(tmp_path / "j.db")
    _, stored = drain_session(redis_url, "jiazheng:x:items", store)
    assert stored == 1
    assert [lead["url"] for lead in store.leads()] == ["http://ban-zheng.example.com/"]
    assert client.llen("jiazheng:x:items") == 0 and client.llen("jiazheng:x:items:processing") == 0
    store.close()
