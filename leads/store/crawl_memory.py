"""What a crawl remembers from earlier nights: each query's yield (the plan's history), the last
good fetch of a URL and its verdict (to skip re-judging the same bytes), official logos, the leads
to re-check, and the domain candidates (watch-ct lookalikes, probed names, dead hosts) still to
fetch."""

from __future__ import annotations

import json
from typing import Any

from leads.judge.domains import host_parts, is_official_host
from leads.judge.observations import utc_now
from leads.judge.qr_codes import LINK_PREFIX
from leads.judge.verdict import Verdict
from leads.plan.query_plan import QueryYield
from leads.store.database import Database, json_text
from leads.store.lifecycle import RECHECKED_STATES
from leads.store.migrations import YIELDS_FROM_HISTORY

# A lead's own page points there: fetched before the lookalike names scored by name alone (0-100).
DISCOVERED_SCORE = 100


class CrawlMemory(Database):
    """Reads a crawl plans from, and the candidate queue it works through."""

    def query_yields(self, before_run: int | None = None) -> dict[str, dict[str, QueryYield]]:
        """engine → query → what asking it has brought so far (the query plan's history);
        with ``before_run``, as it stood when that run started (a resumed run asks what its
        night chose, not what its own first half changed)."""
        rows = (self.db.query("SELECT * FROM query_yields") if before_run is None
                else self.db.query(YIELDS_FROM_HISTORY, [before_run, before_run]))
        yields: dict[str, dict[str, QueryYield]] = {}
        for row in rows:
            yields.setdefault(row["engine"], {})[row["query"]] = QueryYield(
                asked=row["asked"], results=row["results"], new_leads=row["new_leads"],
                blocked=row["blocked"], last_asked=row["last_asked"])
        return yields

    def previous_fetch(self, url: str) -> dict[str, Any] | None:
        """The latest good fetch of ``url`` (as requested or as final URL): its validators
        (ETag, Last-Modified) and body hash, for a conditional request."""
        row = self.db.execute(
            "SELECT id, headers, body_sha256 FROM pages WHERE (url = ? OR final_url = ?) "
            "AND error = '' AND status = 200 AND body_sha256 != '' ORDER BY id DESC LIMIT 1",
            [url, url]).fetchone()
        if row is None:
            return None
        headers = {k.lower(): v for k, v in json.loads(row[1]).items()}
        return {"page_id": row[0], "sha256": row[2], "headers": json.loads(row[1]),
                "etag": headers.get("etag", ""), "last_modified": headers.get("last-modified", "")}

    def body(self, sha256: str) -> bytes:
        row = self.db.execute("SELECT body FROM bodies WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else b""

    def official_logos(self) -> dict[str, list[str]]:
        """Official host → logo hashes seen on its own pages (fetched without TLS problems): the
        genuine emblems that copies on other domains are compared with."""
        logos: dict[str, list[str]] = {}
        for host, hashes in self.db.execute(
            "SELECT host, logo_hashes FROM pages WHERE logo_hashes != '[]' AND error = '' "
            "AND status < 400 AND tls_problems = '[]' ORDER BY host, id"
        ):
            if is_official_host(host):
                known = logos.setdefault(host, [])
                known += [h for h in json.loads(hashes) if h not in known]
        return logos

    def previous_verdict(self, final_url: str, sha256: str, scoring_version: str) -> Verdict | None:
        """The verdict given last time to these very bytes by this very scoring, if any."""
        row = self.db.execute(
            "SELECT category, score FROM pages WHERE final_url = ? AND body_sha256 = ? "
            "AND scoring_version = ? AND error = '' ORDER BY id DESC LIMIT 1",
            [final_url, sha256, scoring_version]).fetchone()
        if row is None:
            return None
        lead = self.db.execute("SELECT category, score, target, contacts, agencies, reasons, "
                               "signals FROM leads WHERE url = ?", [final_url]).fetchone()
        if row[0] not in ("", "none") and lead is not None:
            return Verdict(lead[0], lead[1], lead[2], tuple(json.loads(lead[3])),
                           tuple(json.loads(lead[4])), tuple(json.loads(lead[5])),
                           json.loads(lead[6]))
        return Verdict("none", row[1], "", (), (), ("内容与上次抓取相同，沿用上次结论",), {})

    def leads_to_recheck(self) -> list[str]:
        """URLs of referred leads, and of those a re-check already classified. A WeChat account
        (``weixin:`` address) is no page to fetch again: its search card shows it or not."""
        marks = ",".join("?" * len(RECHECKED_STATES))
        return [url for (url,) in self.db.execute(
            f"SELECT url FROM leads WHERE state IN ({marks}) AND url NOT LIKE 'weixin:%' "
            "ORDER BY id", RECHECKED_STATES)]

    def lead_body_sha256(self, url: str) -> str:
        row = self.db.execute("SELECT pages.body_sha256 FROM leads JOIN pages ON "
                              "pages.id = leads.page_id WHERE leads.url = ?", [url]).fetchone()
        return row[0] if row else ""

    def save_domain_candidates(
        self, found: list[tuple[str, int, str, tuple[str, ...]]], source: str
    ) -> int:
        """Record lookalike domains ``(domain, score, target, reasons)``; a domain seen again
        keeps its row (times_seen, last_seen, the higher score). Returns how many were new."""
        now = utc_now()
        with self.transaction():
            return sum(self._save_candidate(domain, f"http://{domain}/", score, target, reasons,
                                            source, now)
                       for domain, score, target, reasons in found)

    def save_discovered_page(self, url: str, source: str, reason: str) -> bool:
        """A page a QR code in a lead's screenshot points to (``leads.evidence.screenshot_codes``),
        queued for the next crawl like a lookalike domain, with the URL the code has (path and
        all) and ahead of name-only candidates. False when its host was a candidate already."""
        with self.transaction():
            return self._save_candidate(host_parts(url).host, url, DISCOVERED_SCORE, "",
                                        (reason,), source, utc_now())

    def _save_candidate(self, domain: str, url: str, score: int, target: str,
                        reasons: tuple[str, ...], source: str, now: str) -> bool:
        row = self.db.execute(
            "SELECT id, score FROM domain_candidates WHERE domain = ?", [domain]).fetchone()
        if row is None:
            self.db["domain_candidates"].insert(
                {"domain": domain, "url": url, "score": score, "target": target,
                 "reasons": json_text(list(reasons)), "source": source,
                 "first_seen": now, "last_seen": now, "times_seen": 1, "fetched_at": ""})
            return True
        self.db.execute(
            "UPDATE domain_candidates SET last_seen = ?, times_seen = times_seen + 1, "
            "score = max(score, ?) WHERE id = ?", [now, score, row[0]])
        return False

    def qr_link_known(self, lead_id: int, url: str) -> bool:
        """Whether the lead's page already gave ``url`` through its images' QR codes (a signal
        on it), or the URL was fetched or queued already."""
        if self.db.execute(
                "SELECT 1 FROM pages WHERE final_url = ?1 UNION ALL "
                "SELECT 1 FROM domain_candidates WHERE url = ?1 LIMIT 1", [url]).fetchone():
            return True
        row = self.db.execute("SELECT pages.fetch_signals FROM leads JOIN pages ON "
                              "pages.id = leads.page_id WHERE leads.id = ?", [lead_id]).fetchone()
        return row is not None and any(signal.startswith(f"{LINK_PREFIX}{url}（")
                                       for signal in json.loads(row[0] or "[]"))

    def pending_candidates(self, limit: int, before_run: int | None = None) -> list[str]:
        """URLs (``http://<domain>/``, or the page a screenshot's QR code named) of candidates
        not yet fetched: never probed first, then the longest unprobed, highest score first;
        with ``before_run``, only those known when that run started (the hosts it found dead
        itself are not its candidates)."""
        return [row[0] for row in self.db.execute(
            "SELECT url FROM domain_candidates WHERE fetched_at = '' AND (?1 IS NULL OR "
            "first_seen < (SELECT started_at FROM runs WHERE id = ?1)) "
            "ORDER BY last_probe != '', last_probe, score DESC, id LIMIT ?2",
            [before_run, max(limit, 0)]).fetchall()]

    def probed_hosts(self, before_run: int | None = None) -> list[str]:
        """Hosts probed as permutations of official names (role "probe"), oldest probe first;
        with ``before_run``, those probed by earlier runs only."""
        return [row[0] for row in self.db.execute(
            "SELECT host FROM pages WHERE role = 'probe' AND (?1 IS NULL OR run_id < ?1) "
            "GROUP BY host ORDER BY max(fetched_at)", [before_run])]

    def mark_candidates_fetched(self, urls: list[str]) -> None:
        """The crawl fetched these candidate URLs: they are no longer pending."""
        with self.transaction():
            self._candidates_fetched(urls, utc_now())

    def _candidates_fetched(self, urls: list[str], at: str) -> None:
        self.db.conn.executemany("UPDATE domain_candidates SET fetched_at = ? WHERE url = ?",
                                 [(at, url) for url in urls])

    def domain_candidates(self) -> list[dict[str, Any]]:
        """Every candidate, oldest first, reasons decoded."""
        rows = list(self.db.query("SELECT * FROM domain_candidates ORDER BY id"))
        for row in rows:
            row["reasons"] = json.loads(row["reasons"] or "[]")
        return rows
