"""The workspace's one ``Store``, owned by one thread. SQLite connections belong to the thread
that opened them, and the store's functions (lifecycle moves, lead events, captures) are the
only way the workspace reads history or writes a decision; so every call runs on this thread,
one at a time, and the web server awaits it without blocking other requests' I/O."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from leads.store import Store

T = TypeVar("T")


class StoreThread:
    """``await store_thread.call(fn, *args)`` runs ``fn(store, *args)`` on the store's thread."""

    def __init__(self, db: str | Path) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiazheng-store")
        # Opening migrates the database (m014's search table) before Datasette reads it.
        self._store: Store = self._executor.submit(Store, db).result()

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, self._store, *args)

    def close(self) -> None:
        self._executor.submit(self._store.close).result()
        self._executor.shutdown()
