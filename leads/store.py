"""The SQLite store: the only module that knows the schema (sqlite-utils, its Migrations).

One lead per URL (upserted, first_seen/last_seen), every fetch kept with its body (deduplicated by
SHA-256 in ``bodies``), every run, query and search-engine sighting recorded.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from leads.domains import host_parts
from leads.observations import LinkResolved, PageObservation, QueryOutcome, Sighting, utc_now
from leads.verdict import route

DEFAULT_DB = "jiazheng.db"


class StoreLockedError(RuntimeError):
    """Another process holds the database lock longer than we are willing to wait."""


MIGRATIONS = Migrations("jiazheng")


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "command": str,
            "settings": str,
            "stats": str,
        },
        pk="id",
    )
    db["queries"].create(
        {
            "id": int,
            "run_id": int,
            "engine": str,
            "query": str,
            "page": int,
            "url": str,
            "outcome": str,
            "results": int,
            "detail": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["sightings"].create(
        {
            "id": int,
            "run_id": int,
            "engine": str,
            "query": str,
            "serp_page": int,
            "rank": int,
            "is_ad": int,
            "title": str,
            "snippet": str,
            "link": str,
            "url": str,
            "seen_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["bodies"].create({"sha256": str, "size": int, "body": bytes}, pk="sha256")
    db["pages"].create(
        {
            "id": int,
            "run_id": int,
            "url": str,
            "final_url": str,
            "host": str,
            "role": str,
            "status": int,
            "fetched_at": str,
            "encoding": str,
            "rendered": int,
            "title": str,
            "text": str,
            "headers": str,
            "redirect_chain": str,
            "tls_problems": str,
            "fetch_signals": str,
            "error": str,
            "error_detail": str,
            "parent_url": str,
            "via_link": str,
            "depth": int,
            "body_sha256": str,
            "category": str,
            "score": int,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["leads"].create(
        {
            "id": int,
            "url": str,
            "host": str,
            "registered_domain": str,
            "category": str,
            "score": int,
            "target": str,
            "contacts": str,
            "agencies": str,
            "reasons": str,
            "signals": str,
            "title": str,
            "parent_url": str,
            "page_id": int,
            "state": str,
            "first_seen": str,
            "last_seen": str,
            "first_run_id": int,
            "last_run_id": int,
        },
        pk="id",
        not_null={"url"},
        defaults={"state": "new"},
    )
    db["leads"].create_index(["url"], unique=True)
    db["sightings"].create_index(["url"])
    db["sightings"].create_index(["link"])
    db["pages"].create_index(["final_url"])
    db["queries"].create_index(["run_id", "engine"])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Store:
    """Open (creating and migrating) a jiazheng database; all reads and writes go through here."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout: float = 30.0) -> None:
        self.path = str(path)
        conn = sqlite3.connect(self.path, timeout=timeout)
        self.db = sqlite_utils.Database(conn)
        try:
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

    # --- runs -------------------------------------------------------------------------------
    def start_run(self, command: str, settings: dict[str, Any]) -> int:
        with self.transaction():
            return (
                self.db["runs"]
                .insert(
                    {
                        "started_at": utc_now(),
                        "status": "running",
                        "command": command,
                        "settings": _json(settings),
                        "stats": "{}",
                    }
                )
                .last_pk
            )

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.db["runs"].update(
                run_id, {"finished_at": utc_now(), "status": status, "stats": _json(stats)}
            )

    def run(self, run_id: int) -> dict[str, Any]:
        return self.db["runs"].get(run_id)

    # --- observations -----------------------------------------------------------------------
    def save_query(self, run_id: int, outcome: QueryOutcome) -> None:
        with self.transaction():
            self.db["queries"].insert({"run_id": run_id, **asdict(outcome)})

    def save_sighting(self, run_id: int, sighting: Sighting) -> None:
        row = {"run_id": run_id, **asdict(sighting), "is_ad": int(sighting.is_ad)}
        with self.transaction():
            self.db["sightings"].insert(row)

    def save_page(self, run_id: int, page: PageObservation) -> int:
        """Store one fetch and, when its verdict is a lead, upsert the lead. Returns the page id."""
        verdict = page.verdict
        digest = hashlib.sha256(page.body).hexdigest() if page.body else ""
        row = {
            "run_id": run_id,
            "url": page.url,
            "final_url": page.final_url,
            "host": host_parts(page.final_url).host,
            "role": page.role,
            "status": page.status,
            "fetched_at": page.fetched_at,
            "encoding": page.encoding,
            "rendered": int(page.rendered),
            "title": page.title,
            "text": page.text,
            "headers": _json(page.headers),
            "redirect_chain": _json(page.redirect_chain),
            "tls_problems": _json(list(page.tls_problems)),
            "fetch_signals": _json(page.fetch_signals),
            "error": page.error,
            "error_detail": page.error_detail,
            "parent_url": page.parent_url,
            "via_link": page.via_link,
            "depth": page.depth,
            "body_sha256": digest,
            "category": verdict.category if verdict else "",
            "score": verdict.score if verdict else 0,
        }
        with self.transaction():
            if digest:
                self.db["bodies"].insert(
                    {"sha256": digest, "size": len(page.body), "body": page.body}, ignore=True
                )
            page_id = self.db["pages"].insert(row).last_pk
            if page.via_link:
                self._resolve_link(LinkResolved(page.via_link, page.final_url))
            if verdict is not None and verdict.is_lead:
                self._upsert_lead(run_id, page_id, page)
            elif page.role == "contact" and verdict is not None and verdict.contacts:
                self._add_site_contacts(page.parent_url, page.final_url, verdict.contacts)
        return page_id

    def _add_site_contacts(self, lead_url: str, source_url: str, contacts: tuple[str, ...]) -> None:
        """Sellers put phone and WeChat on 联系我们: those contacts belong to the site's lead."""
        lead_id = self.lead_id(lead_url)
        if lead_id is None:
            return
        lead = self.db["leads"].get(lead_id)
        known = json.loads(lead["contacts"])
        new = [contact for contact in contacts if contact not in known]
        if not new:
            return
        merged = (*known, *new)
        agencies = route(lead["category"], merged, host_parts(lead_url), lead["target"])
        found = f"联系页 {source_url} 上的联系方式：{'、'.join(new)}"
        reasons = [*json.loads(lead["reasons"]), found]
        self.db["leads"].update(lead_id, {"contacts": _json(list(merged)),
                                          "agencies": _json(list(agencies)),
                                          "reasons": _json(reasons)})

    def save_link(self, resolved: LinkResolved) -> None:
        with self.transaction():
            self._resolve_link(resolved)

    def _resolve_link(self, resolved: LinkResolved) -> None:
        self.db.execute(
            "UPDATE sightings SET url = ? WHERE link = ? AND (url IS NULL OR url = '')",
            [resolved.url, resolved.link],
        )

    def _upsert_lead(self, run_id: int, page_id: int, page: PageObservation) -> None:
        verdict = page.verdict
        assert verdict is not None
        parts = host_parts(page.final_url)
        now = page.fetched_at
        fields = {
            "host": parts.host,
            "registered_domain": parts.registered_domain,
            "category": verdict.category,
            "score": verdict.score,
            "target": verdict.target,
            "contacts": _json(list(verdict.contacts)),
            "agencies": _json(list(verdict.agencies)),
            "reasons": _json(list(verdict.reasons)),
            "signals": _json(verdict.signals),
            "title": page.title,
            "parent_url": page.parent_url,
            "page_id": page_id,
            "last_seen": now,
            "last_run_id": run_id,
        }
        existing = self.lead_id(page.final_url)
        if existing is None:
            self.db["leads"].insert(
                {"url": page.final_url, **fields, "first_seen": now, "first_run_id": run_id}
            )
        else:
            self.db["leads"].update(existing, fields)

    # --- reads ------------------------------------------------------------------------------
    def lead_id(self, url: str) -> int | None:
        row = self.db.execute("SELECT id FROM leads WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def leads(self, min_score: int = 0) -> Iterator[dict[str, Any]]:
        """Leads with their search sources, best first; JSON columns decoded."""
        sql = """
            SELECT leads.*, (
                SELECT group_concat(src, ';') FROM (
                    SELECT DISTINCT engine || ':' || query AS src FROM sightings
                    WHERE sightings.url = leads.url
                       OR sightings.url IN (SELECT url FROM pages WHERE final_url = leads.url)
                    ORDER BY src)
            ) AS sources
            FROM leads WHERE score >= ? ORDER BY score DESC, id
        """
        for row in self.db.query(sql, [min_score]):
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
            row["signals"] = json.loads(row["signals"] or "{}")
            yield row

    def count(self, table: str, where: str = "", params: list[Any] | None = None) -> int:
        return self.db[table].count_where(where or "1", params or [])

    def query_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        """Per engine and outcome, how many result pages a run asked for."""
        return list(
            self.db.query(
                "SELECT engine, outcome, count(*) AS n FROM queries WHERE run_id = ? "
                "GROUP BY engine, outcome ORDER BY engine, outcome",
                [run_id],
            )
        )

    def page_errors(self, run_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT error, count(*) AS n FROM pages WHERE run_id = ? AND error != '' "
                "GROUP BY error ORDER BY n DESC",
                [run_id],
            )
        )

    def lead_categories(self, run_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT category, count(*) AS n FROM leads WHERE last_run_id = ? "
                "GROUP BY category ORDER BY category",
                [run_id],
            )
        )
