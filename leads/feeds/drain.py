"""Move observations into the SQLite store, as one run: those crawler processes pushed to Redis,
or those a crawl saved to a file while the database was locked.

Each item is moved to a processing list first and removed only once stored, so a drain killed
mid-way loses nothing (the next drain stores what was in processing first; a page stored twice
is one lead, upserted by URL).
"""

from __future__ import annotations

import logging
from pathlib import Path

import redis

from leads.egress.redact import redact_url
from leads.feeds.records import decode_record
from leads.store import Store

logger = logging.getLogger(__name__)


def drain(client: redis.Redis, key: str, store: Store, run_id: int) -> int:
    """Store every queued item under ``run_id``; returns how many were stored."""
    processing = f"{key}:processing"
    stored = 0
    while True:
        raw = client.lindex(processing, 0) or client.lmove(key, processing, "LEFT", "RIGHT")
        if raw is None:
            return stored
        try:
            record = decode_record(raw)
        except ValueError as exc:
            logger.error("skipped a malformed queue entry: %s", exc)
        else:
            store.save_record(run_id, record)
            stored += 1
        client.lpop(processing)



def drain_session(redis_url: str, key: str, store: Store) -> tuple[int, int]:
    """Drain one session's queue as a run of its own; (run id, items stored)."""
    client = redis.Redis.from_url(redis_url)
    run_id = store.start_run(f"drain {key}", {"REDIS_URL": redact_url(redis_url)})
    stored = drain(client, key, store, run_id)
    store.finish_run(run_id, "finished", {"jiazheng/redis/items_drained": stored})
    return run_id, stored


def drain_file(path: Path, store: Store) -> tuple[int, int]:
    """Store the records a crawl saved to a file when the database stayed locked."""
    run_id = store.start_run(f"drain {path.name}", {})
    stored = 0
    for line in path.read_bytes().splitlines():
        if line.strip():
            store.save_record(run_id, decode_record(line))
            stored += 1
    store.finish_run(run_id, "finished", {"jiazheng/file/items_drained": stored})
    return run_id, stored
