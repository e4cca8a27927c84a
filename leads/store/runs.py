"""Runs: starting and finishing one, what it did (for the nightly report), and what a killed run had
done so that resuming it fetches nothing twice and loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leads.judge.observations import PageObservation, Sighting, utc_now
from leads.store.database import Database, json_text


@dataclass
class ResumeState:
    done_serps: set[tuple[str, str, int]]
    next_pages: list[tuple[str, str, int, str]]  # engine, query, page, url
    unfetched: list[Sighting]
    fetched: list[PageObservation]  # answered pages, whose links are followed again
    attempted: list[tuple[str, str]]  # (url, final_url) of every page the run asked for,


class RunQueries(Database):
    """The runs table and the per-run summaries read from the other tables."""

    def start_run(self, command: str, settings: dict[str, Any]) -> int:
        with self.transaction():
            return (
                self.db["runs"]
                .insert(
                    {
                        "started_at": utc_now(),
                        "status": "running",
                        "command": command,
                        "settings": json_text(settings),
                        "stats": "{}",
                    }
                )
                .last_pk
            )

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.db["runs"].update(
                run_id, {"finished_at": utc_now(), "status": status, "stats": json_text(stats)}
            )

    def last_finished_run(self, spider: str) -> int:
        row = self.db.execute("SELECT max(id) FROM runs WHERE command = ? AND status = "
                              "'finished'", [f"crawl {spider}"]).fetchone()
        return row[0] or 0

    def unfinished_run(self, spider: str) -> int:
        """The latest run of ``spider`` that never finished (killed), if it is the latest."""
        row = self.db.execute("SELECT id, status FROM runs WHERE command = ? ORDER BY id DESC "
                              "LIMIT 1", [f"crawl {spider}"]).fetchone()
        return row[0] if row and row[1] == "running" else 0

    def resume_run(self, run_id: int) -> None:
        with self.transaction():
            self.db["runs"].update(run_id, {"status": "running", "finished_at": None})

    def run_counts(self, run_id: int) -> dict[str, int]:
        """What one run did, for the nightly report."""
        def count(sql: str) -> int:
            return self.db.execute(sql, [run_id]).fetchone()[0]
        return {
            "result_pages_asked": count("SELECT count(*) FROM queries WHERE run_id = ?"),
            "pages": count("SELECT count(*) FROM pages WHERE run_id = ? AND error = ''"),
            "pages_unchanged": count("SELECT count(*) FROM pages WHERE run_id = ? AND unchanged"),
            "page_errors": count("SELECT count(*) FROM pages WHERE run_id = ? AND error != ''"),
            "new_leads": count("SELECT count(*) FROM leads WHERE first_run_id = ?"),
            "leads_seen_again": count(
                "SELECT count(*) FROM leads WHERE last_run_id = ? AND first_run_id != last_run_id"),
        }

    def resume_state(self, run_id: int) -> ResumeState:
        """What a killed run had done, so that resuming it fetches nothing twice and loses
        nothing: result pages asked, sightings whose page never arrived, pages fetched."""
        done = {(e, q, p) for e, q, p in self.db.execute(
            "SELECT engine, query, page FROM queries WHERE run_id = ?", [run_id])}
        next_pages = [
            (e, q, p + 1, url) for e, q, p, url in self.db.execute(
                "SELECT engine, query, page, next_url FROM queries WHERE run_id = ? "
                "AND next_url != ''", [run_id])
            if (e, q, p + 1) not in done
        ]
        unfetched = [Sighting(**{**row, "is_ad": bool(row["is_ad"])}) for row in self.db.query(
            "SELECT engine, query, serp_page, rank, title, snippet, is_ad, link, url, seen_at "
            "FROM sightings WHERE run_id = :run AND NOT EXISTS (SELECT 1 FROM pages WHERE "
            "pages.run_id = :run AND (pages.url IN (sightings.url, sightings.link) "
            "OR pages.via_link = sightings.link))", {"run": run_id})]
        fetched = [
            PageObservation(
                url=row["url"], final_url=row["final_url"], role=row["role"],
                status=row["status"], text=row["text"], depth=row["depth"],
                html=self.body(row["body_sha256"]).decode(row["encoding"] or "utf-8", "replace"),
            )
            for row in self.db.query(
                "SELECT url, final_url, role, status, text, depth, body_sha256, encoding "
                "FROM pages WHERE run_id = ? AND error = ''", [run_id])
        ]
        attempted = self.db.execute(
            "SELECT url, final_url FROM pages WHERE run_id = ?", [run_id]).fetchall()
        return ResumeState(done, next_pages, unfetched, fetched, attempted)

    def query_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        """Per engine and outcome, how many result pages a run asked for."""
        return self._run_rows("SELECT engine, outcome, count(*) AS n FROM queries WHERE "
                              "run_id = ? GROUP BY engine, outcome ORDER BY engine, outcome",
                              run_id)

    def site_query_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        """Per ``site:`` operator (a login-walled platform searched through the web engines,
        leads/plan/platform_queries.py) and outcome, the result pages a run asked for — a share
        of their engines' pages in ``query_outcomes``."""
        return self._run_rows(
            "SELECT substr(query, 1, instr(query || ' ', ' ') - 1) AS site, outcome, "
            "count(*) AS n FROM queries WHERE run_id = ? AND query LIKE 'site:%' "
            "GROUP BY site, outcome ORDER BY site, outcome", run_id)

    def page_errors(self, run_id: int) -> list[dict[str, Any]]:
        return self._run_rows("SELECT error, count(*) AS n FROM pages WHERE run_id = ? AND "
                              "error != '' GROUP BY error ORDER BY n DESC", run_id)

    def lead_categories(self, run_id: int) -> list[dict[str, Any]]:
        return self._run_rows("SELECT category, count(*) AS n FROM leads WHERE last_run_id = ? "
                              "GROUP BY category ORDER BY category", run_id)

    def _run_rows(self, sql: str, run_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(sql, [run_id]))

    def checked_pages(self, run_id: int) -> list[dict[str, Any]]:
        """Pages a ``check`` run fetched for pasted URLs, with the lead each became (or None)."""
        return list(self.db.query(
            "SELECT pages.url, pages.final_url, pages.category, pages.score, pages.error, "
            "leads.id AS lead_id FROM pages LEFT JOIN leads ON leads.url = pages.final_url "
            "WHERE pages.run_id = ? AND pages.role = 'check' ORDER BY pages.id", [run_id]))
