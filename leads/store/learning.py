"""Analysts' decisions as labelled examples (leads/learning/ fits them): each decided lead's latest
decision with the text of its page, the examples of the last fit, and the history of fits.

A lead's label is the target of its latest lifecycle event into confirmed or false_positive —
whoever wrote it (``review import``, the review pages): a corrected decision counts as corrected,
a lead referred or taken down after its confirmation stays confirmed, and a lead sent with
``--include-unreviewed`` that nobody confirmed is no example at all.
"""

from __future__ import annotations

from typing import Any

from leads.judge.learned_similarity import CONFIRMED, FALSE_POSITIVE, MAX_TEXT_CHARS
from leads.judge.observations import utc_now
from leads.store.database import Database

DECIDED = (CONFIRMED, FALSE_POSITIVE)


class LearnedExamples(Database):
    """Reading decisions and keeping what a fit learned from them."""

    def decided_leads(self) -> list[dict[str, Any]]:
        """Every lead an analyst decided: lead_id, url, label, decided_at, decided_by, title and
        the page text (the first MAX_TEXT_CHARS characters, all a comparison reads)."""
        return list(self.db.query("""
            SELECT leads.id AS lead_id, leads.url, decision.to_state AS label,
                   decision.at AS decided_at, decision.who AS decided_by,
                   coalesce(pages.title, leads.title, '') AS title,
                   substr(coalesce(pages.text, ''), 1, :cap) AS text
            FROM leads
            JOIN lead_events AS decision ON decision.id = (
                SELECT max(id) FROM lead_events
                WHERE lead_id = leads.id AND to_state IN (:confirmed, :rejected))
            LEFT JOIN pages ON pages.id = leads.page_id
            ORDER BY leads.id""",
            {"cap": MAX_TEXT_CHARS, "confirmed": CONFIRMED, "rejected": FALSE_POSITIVE}))

    def save_learned_fit(self, examples: list[dict[str, Any]], version: str, confirmed: int,
                         false_positives: int, active: bool) -> dict[str, Any]:
        """Replace the examples with those of a new fit and record the fit; returns its row."""
        fit = {"fitted_at": utc_now(), "version": version, "confirmed": confirmed,
               "false_positives": false_positives, "active": int(active)}
        with self.transaction():
            self.db.execute("DELETE FROM learned_examples")
            self.db["learned_examples"].insert_all(examples)
            fit["id"] = self.db["learned_fits"].insert(fit).last_pk
        return fit

    def learned_examples(self) -> list[dict[str, Any]]:
        """The examples of the last fit, by lead id."""
        return list(self.db["learned_examples"].rows_where(order_by="lead_id"))

    def latest_learned_fit(self) -> dict[str, Any] | None:
        """The last fit's row (version, counts, when), or None before the first."""
        rows = list(self.db["learned_fits"].rows_where(order_by="id DESC", limit=1))
        return rows[0] if rows else None

    def lead_page(self, lead_id: int) -> dict[str, Any] | None:
        """A lead's url, title and page text (capped like an example's), or None."""
        rows = list(self.db.query("""
            SELECT leads.url, coalesce(pages.title, leads.title, '') AS title,
                   substr(coalesce(pages.text, ''), 1, ?) AS text
            FROM leads LEFT JOIN pages ON pages.id = leads.page_id WHERE leads.id = ?""",
            [MAX_TEXT_CHARS, lead_id]))
        return rows[0] if rows else None
