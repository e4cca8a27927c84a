"""Opening the SQLite file safely: integrity checked before any query, WAL so analysts can export
while a crawl writes, migrations applied, and every write in a ``BEGIN IMMEDIATE`` transaction so
a lock held too long fails clearly before anything is half-written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from leads.store.migrations import MIGRATIONS

DEFAULT_DB = "jiazheng.db"


class StoreCorruptError(RuntimeError):
    """The database file is damaged or is not a jiazheng database at all."""


class StoreLockedError(RuntimeError):
    """Another process holds the database lock longer than we are willing to wait."""


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Database:
    """The connection every query module of the store works on (``self.db``)."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout: float = 30.0) -> None:
        self.path = str(path)
        conn = sqlite3.connect(self.path, timeout=timeout)
        self.db = sqlite_utils.Database(conn)
        try:
            self._check_integrity(conn)
            # WAL: analysts can export while a crawl writes.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            with self.transaction():
                MIGRATIONS.apply(self.db)
        except sqlite3.OperationalError as exc:
            conn.close()
            raise self._explain(exc) from exc
        except BaseException:
            conn.close()
            raise

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        """Name a damaged file at open, before any query trips over it halfway."""
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            raise StoreCorruptError(f"数据库文件 {self.path} 已损坏或不是 SQLite 数据库"
                                    f"（{exc}）：请从备份恢复") from exc
        if problems != ["ok"]:
            raise StoreCorruptError(f"数据库文件 {self.path} 已损坏（{'；'.join(problems)}）："
                                    f"请从备份恢复")

    def _explain(self, exc: sqlite3.OperationalError) -> Exception:
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreLockedError(f"数据库 {self.path} 被其他进程锁定（{exc}），请稍后重试")
        return exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front, so a lock held by
        another process too long fails here, clearly, before anything is half-written."""
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._explain(exc) from exc
        try:
            yield
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def close(self) -> None:
        self.db.conn.close()
