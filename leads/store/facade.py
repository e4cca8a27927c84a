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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from leads.judge.domains import host_parts, is_official_host
from leads.judge.observations import LinkResolved, PageObservation, QueryOutcome, Sighting, utc_now
from leads.judge.verdict import Verdict, route
from leads.plan.query_plan import QueryYield
from leads.store.lifecycle import LifecycleError, StateChange, transition

DEFAULT_DB = "jiazheng.db"
# A host that failed so never answered; pages of these roles name hosts worth watching.
DEAD_HOST_ERRORS = ("dns", "refused")
WATCHED_WHEN_DEAD = ("result", "verification", "linked", "candidate", "check")
# Pages walked back from a new lead to the search result it was followed from (follow depth + 1).
MAX_CREDIT_HOPS = 3


@dataclass
class ResumeState:
    done_serps: set[tuple[str, str, int]]
    next_pages: list[tuple[str, str, int, str]]  # engine, query, page, url
    unfetched: list[Sighting]
    fetched: list[PageObservation]  # answered pages, whose links are followed again
    attempted: list[tuple[str, str]]  # (url, final_url) of every page the run asked for,
    # answered or failed: none is asked again


class StoreCorruptError(RuntimeError):
    """The database file is damaged or is not a jiazheng database at all."""


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


@MIGRATIONS()
def m003_evidence_referrals(db: sqlite_utils.Database) -> None:
    db["captures"].create(
        {
            "id": int,
            "lead_id": int,
            "url": str,
            "final_url": str,
            "folder": str,
            "outcome": str,
            "status": int,
            "error": str,
            "captured_at": str,
            "manifest_sha256": str,
            "timestamped": int,
        },
        pk="id",
        foreign_keys=[("lead_id", "leads", "id")],
    )
    db["evidence_files"].create(
        {"id": int, "capture_id": int, "path": str, "kind": str, "format": str,
         "sha256": str, "size": int},
        pk="id",
        foreign_keys=[("capture_id", "captures", "id")],
    )
    db["packets"].create(
        {"id": int, "packet_id": str, "agency": str, "created_at": str, "since": str,
         "folder": str, "zip_path": str, "zip_sha256": str, "lead_count": int},
        pk="id",
    )
    db["referrals"].create(
        {"id": int, "packet_id": int, "lead_id": int, "agency": str, "referred_at": str},
        pk="id",
        foreign_keys=[("packet_id", "packets", "id"), ("lead_id", "leads", "id")],
    )
    db["captures"].create_index(["lead_id"])
    db["evidence_files"].create_index(["capture_id"])
    db["referrals"].create_index(["lead_id", "agency"], unique=True)
    db["referrals"].create_index(["referred_at"])


@MIGRATIONS()
def m004_lead_lifecycle(db: sqlite_utils.Database) -> None:
    """Lead lifecycle: the analyst's note, when the state last changed, and every move made."""
    db["leads"].add_column("note", str, not_null_default="")
    db["leads"].add_column("state_changed_at", str)
    db["lead_events"].create(
        {
            "id": int,
            "lead_id": int,
            "at": str,
            "who": str,
            "from_state": str,
            "to_state": str,
            "note": str,
            "source": str,  # review_import | manual | recheck | referral …
        },
        pk="id",
        foreign_keys=[("lead_id", "leads", "id")],
    )
    db["lead_events"].create_index(["lead_id"])


@MIGRATIONS()
def m005_incremental_rechecks(db: sqlite_utils.Database) -> None:
    """Which scoring produced a page's verdict (reused only while unchanged), and re-checks of
    referred leads (takedown verification)."""
    db["pages"].add_column("scoring_version", str, not_null_default="")
    db["pages"].add_column("unchanged", int, not_null_default=0)
    db["pages"].add_column("text_sha256", str, not_null_default="")
    db["queries"].add_column("next_url", str, not_null_default="")
    db["rechecks"].create(
        {"id": int, "lead_id": int, "run_id": int, "page_id": int, "at": str,
         "outcome": str, "reason": str, "content_changed": int},
        pk="id", foreign_keys=[("lead_id", "leads", "id"), ("page_id", "pages", "id")],
    )
    db["rechecks"].create_index(["lead_id"])
    db["pages"].create_index(["body_sha256"])
    db["pages"].create_index(["text_sha256"])


@MIGRATIONS()
def m002_domain_candidates(db: sqlite_utils.Database) -> None:
    """Lookalike domains seen in Certificate Transparency logs (watch-ct), waiting to be fetched
    and page-scored by the next crawl (``fetched_at`` empty until then)."""
    db["domain_candidates"].create(
        {"id": int, "domain": str, "url": str, "score": int, "target": str, "reasons": str,
         "source": str, "first_seen": str, "last_seen": str, "times_seen": int,
         "fetched_at": str},
        pk="id", not_null={"domain", "url"}, defaults={"fetched_at": "", "times_seen": 1},
    )
    db["domain_candidates"].create_index(["domain"], unique=True)
    db["domain_candidates"].create_index(["fetched_at", "score"])


@MIGRATIONS()
def m006_logo_hashes(db: sqlite_utils.Database) -> None:
    """Average hashes of each page's logo images (JSON list): evidence of a copied emblem, and,
    on official hosts, the platforms' own logos that copies are compared with."""
    db["pages"].add_column("logo_hashes", str, not_null_default="[]")
    # Store.official_logos reads these few rows at every crawl's start: no scan of all pages.
    db.execute("CREATE INDEX idx_pages_with_logos ON pages(host) WHERE logo_hashes != '[]'")


@MIGRATIONS()
def m007_query_yields(db: sqlite_utils.Database) -> None:
    """What each query has brought on each engine, for the query plan (leads/plan/query_plan.py):
    nights asked, result pages and results, captcha/blocked answers, errors, new leads first
    found through it, when last asked. Filled from the history already in the store."""
    db["query_yields"].create(
        {"engine": str, "query": str, "asked": int, "pages": int, "results": int,
         "blocked": int, "errors": int, "new_leads": int, "last_asked": str},
        pk=("engine", "query"),
        defaults={"asked": 0, "pages": 0, "results": 0, "blocked": 0, "errors": 0,
                  "new_leads": 0, "last_asked": ""},
    )
    db.execute(f"""
        INSERT INTO query_yields (engine, query, asked, pages, results, blocked, errors,
                                  new_leads, last_asked)
        {YIELDS_FROM_HISTORY}""", [None, None])


# Each query's yield computed from the stored history (queries, sightings, leads) of the runs
# before a given one (parameters: that run's id twice, or NULL twice for all runs): fills
# query_yields when it is created, and gives a resumed run the plan its night started with.
YIELDS_FROM_HISTORY = """
    SELECT engine, query,
           count(DISTINCT CASE WHEN page = 0 AND outcome IN ('results', 'empty')
                          THEN run_id END) AS asked,
           sum(outcome IN ('results', 'empty')) AS pages, sum(results) AS results,
           sum(outcome IN ('captcha', 'blocked')) AS blocked, sum(outcome = 'error') AS errors,
           (SELECT count(DISTINCT leads.id) FROM leads JOIN sightings
              ON sightings.url = leads.url AND sightings.run_id = leads.first_run_id
            WHERE sightings.engine = queries.engine AND sightings.query = queries.query
              AND (?1 IS NULL OR leads.first_run_id < ?1)) AS new_leads,
           coalesce(max(CASE WHEN page = 0 AND outcome IN ('results', 'empty') THEN at END),
                    '') AS last_asked
    FROM queries WHERE ?2 IS NULL OR run_id < ?2 GROUP BY engine, query"""


@MIGRATIONS()
def m008_candidate_probes(db: sqlite_utils.Database) -> None:
    """Hosts that never answered (DNS failure, refused connection — directly or as a proxy's
    error page) are watched candidates: when each was last probed and what it answered."""
    db["domain_candidates"].add_column("last_probe", str, not_null_default="")
    db["domain_candidates"].add_column("probe_result", str, not_null_default="")


def text_fingerprint(text: str) -> str:
    """SHA-256 of a page's text with whitespace folded: the same ad re-uploaded on a new host
    hashes the same even when its markup or host name changes. Short texts don't count."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode()).hexdigest() if len(folded) >= 200 else ""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Store:
    """Open (creating and migrating) a jiazheng database; all reads and writes go through here."""

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
    def save_record(self, run_id: int, record: object) -> None:
        """Store any observation a spider yields (the pipeline's and the Redis drain's path)."""
        if isinstance(record, PageObservation):
            self.save_page(run_id, record)
        elif isinstance(record, Sighting):
            self.save_sighting(run_id, record)
        elif isinstance(record, QueryOutcome):
            self.save_query(run_id, record)
        elif isinstance(record, LinkResolved):
            self.save_link(record)

    def save_query(self, run_id: int, outcome: QueryOutcome) -> None:
        with self.transaction():
            self.db["queries"].insert({"run_id": run_id, **asdict(outcome)})
            self._count_yield(outcome)

    def _count_yield(self, outcome: QueryOutcome) -> None:
        """Add one result page to its query's yield: a first page answered counts as an ask; a
        captcha or block does not (the engine refused, the query was not tried)."""
        answered = outcome.outcome in ("results", "empty")
        asked = answered and outcome.page == 0
        self.db.execute(
            "INSERT INTO query_yields (engine, query) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [outcome.engine, outcome.query])
        self.db.execute(
            "UPDATE query_yields SET asked = asked + ?, pages = pages + ?, results = results + ?,"
            " blocked = blocked + ?, errors = errors + ?,"
            " last_asked = CASE WHEN ? THEN ? ELSE last_asked END"
            " WHERE engine = ? AND query = ?",
            [int(asked), int(answered), outcome.results,
             int(outcome.outcome in ("captcha", "blocked")), int(outcome.outcome == "error"),
             int(asked), outcome.at, outcome.engine, outcome.query])

    def save_sighting(self, run_id: int, sighting: Sighting) -> None:
        row = {"run_id": run_id, **asdict(sighting), "is_ad": int(sighting.is_ad)}
        with self.transaction():
            self.db["sightings"].insert(row)

    def save_page(self, run_id: int, page: PageObservation) -> int:
        """Store one fetch and, when its verdict is a lead, upsert the lead. Returns the page id."""
        verdict = page.verdict
        digest = hashlib.sha256(page.body).hexdigest() if page.body else ""
        text_digest = text_fingerprint(page.text)
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
            "scoring_version": page.scoring_version, "unchanged": int(page.unchanged),
            "text_sha256": text_digest,
            "logo_hashes": _json(list(page.logo_hashes)),
        }
        with self.transaction():
            if digest:
                self.db["bodies"].insert(
                    {"sha256": digest, "size": len(page.body), "body": page.body}, ignore=True
                )
            page_id = self.db["pages"].insert(row).last_pk
            if page.via_link:
                self._resolve_link(LinkResolved(page.via_link, page.final_url))
            if page.error in DEAD_HOST_ERRORS and page.role in WATCHED_WHEN_DEAD:
                self._watch_dead_host(page)
            elif page.role == "candidate":  # a watched domain that answered: no longer pending
                self._candidates_fetched([page.url], page.fetched_at)
            if page.recheck is not None:
                self._record_recheck(run_id, page_id, page)
            elif verdict is not None and verdict.is_lead:
                self._upsert_lead(run_id, page_id, page, text_digest)
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

    def _upsert_lead(
        self, run_id: int, page_id: int, page: PageObservation, text_digest: str
    ) -> None:
        verdict = page.verdict
        assert verdict is not None
        parts = host_parts(page.final_url)
        now = page.fetched_at
        reasons = list(verdict.reasons)
        if original := self._taken_down_original(text_digest, parts.host):
            lead_id, url = original
            reasons.append(f"与已下架线索 #{lead_id}（{url}）内容相同：疑似换域名重新上线")
        fields = {
            "host": parts.host,
            "registered_domain": parts.registered_domain,
            "category": verdict.category,
            "score": verdict.score,
            "target": verdict.target,
            "contacts": _json(list(verdict.contacts)),
            "agencies": _json(list(verdict.agencies)),
            "reasons": _json(reasons),
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
            self._credit_queries(run_id, page)
        else:
            self.db["leads"].update(existing, fields)

    def _credit_queries(self, run_id: int, page: PageObservation) -> None:
        """A new lead counts for the queries whose results led to it this run: the result itself,
        or the result page its contact/verification page was followed from."""
        urls = [url for url in (page.url, page.final_url, page.via_link) if url]
        parent = page.parent_url
        for _ in range(MAX_CREDIT_HOPS):
            marks = ",".join("?" * len(urls))
            sources = self.db.execute(
                f"SELECT DISTINCT engine, query FROM sightings WHERE run_id = ? "
                f"AND (url IN ({marks}) OR link IN ({marks}))", [run_id, *urls, *urls]).fetchall()
            if sources:
                self.db.conn.executemany(
                    "UPDATE query_yields SET new_leads = new_leads + 1 "
                    "WHERE engine = ? AND query = ?", sources)
                return
            row = self.db.execute(
                "SELECT url, final_url, via_link, parent_url FROM pages WHERE run_id = ? AND "
                "final_url = ? ORDER BY id DESC LIMIT 1", [run_id, parent]).fetchone()
            if not parent or row is None:
                return
            urls, parent = [url for url in row[:3] if url], row[3]

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

    # --- incremental crawling and re-checks ---------------------------------------------------
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
        """URLs of referred leads, and of those a re-check already classified."""
        return [url for (url,) in self.db.execute(
            "SELECT url FROM leads WHERE state IN ('referred', 'still_online', 'taken_down') "
            "ORDER BY id")]

    def lead_body_sha256(self, url: str) -> str:
        row = self.db.execute("SELECT pages.body_sha256 FROM leads JOIN pages ON "
                              "pages.id = leads.page_id WHERE leads.url = ?", [url]).fetchone()
        return row[0] if row else ""

    def _record_recheck(self, run_id: int, page_id: int, page: PageObservation) -> None:
        """Keep the re-check (its page row is the evidence) and move the lead accordingly."""
        assert page.recheck is not None
        lead_id = self.lead_id(page.url) or self.lead_id(page.final_url)
        if lead_id is None:
            return
        outcome = page.recheck
        self.db["rechecks"].insert({
            "lead_id": lead_id, "run_id": run_id, "page_id": page_id, "at": page.fetched_at,
            "outcome": outcome.outcome, "reason": outcome.reason,
            "content_changed": int(outcome.content_changed)})
        state = {"gone": "taken_down", "still_online": "still_online"}.get(outcome.outcome)
        if state:
            self._apply_state_change(StateChange(lead_id, state, None), "recheck", "recheck",
                                     page.fetched_at)

    def _taken_down_original(self, text_digest: str, host: str) -> tuple[int, str] | None:
        """A taken-down lead on another host with the very same text, if any."""
        if not text_digest:
            return None
        row = self.db.execute(
            "SELECT leads.id, leads.url FROM leads JOIN pages ON pages.id = leads.page_id "
            "WHERE leads.state = 'taken_down' AND pages.text_sha256 = ? AND leads.host != ? "
            "LIMIT 1", [text_digest, host]).fetchone()
        return (row[0], row[1]) if row else None

    def rechecks(self, lead_id: int) -> list[dict[str, Any]]:
        return list(self.db["rechecks"].rows_where("lead_id = ?", [lead_id], order_by="id"))

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

    def days_to_takedown(self) -> dict[str, float]:
        """Per agency, the mean days from referral to the first re-check that found it gone."""
        rows = self.db.execute("""
            SELECT referrals.agency, avg(julianday(gone.at) - julianday(referrals.referred_at))
            FROM referrals JOIN (
                SELECT lead_id, min(at) AS at FROM lead_events
                WHERE to_state = 'taken_down' GROUP BY lead_id
            ) AS gone ON gone.lead_id = referrals.lead_id
            GROUP BY referrals.agency ORDER BY referrals.agency""")
        return {agency: round(days, 2) for agency, days in rows}

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

    # --- reads ------------------------------------------------------------------------------
    def lead_id(self, url: str) -> int | None:
        row = self.db.execute("SELECT id FROM leads WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def leads(self, min_score: int = 0, after_run: int = 0) -> Iterator[dict[str, Any]]:
        """Leads with their search sources, best first; JSON columns decoded. ``after_run``:
        only leads first seen by a later run."""
        sql = """
            SELECT leads.*, (
                SELECT group_concat(src, ';') FROM (
                    SELECT DISTINCT engine || ':' || query AS src FROM sightings
                    WHERE sightings.url = leads.url
                       OR sightings.url IN (SELECT url FROM pages WHERE final_url = leads.url)
                    ORDER BY src)
            ) AS sources, (SELECT role FROM pages WHERE pages.id = leads.page_id) AS found_as
            FROM leads WHERE score >= ? AND first_run_id > ? ORDER BY score DESC, id
        """
        for row in self.db.query(sql, [min_score, after_run]):
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
            row["signals"] = json.loads(row["signals"] or "{}")
            yield row

    def count(self, table: str, where: str = "", params: list[Any] | None = None) -> int:
        return self.db[table].count_where(where or "1", params or [])

    def query_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        """Per engine and outcome, how many result pages a run asked for."""
        return self._run_rows("SELECT engine, outcome, count(*) AS n FROM queries WHERE "
                              "run_id = ? GROUP BY engine, outcome ORDER BY engine, outcome",
                              run_id)

    def page_errors(self, run_id: int) -> list[dict[str, Any]]:
        return self._run_rows("SELECT error, count(*) AS n FROM pages WHERE run_id = ? AND "
                              "error != '' GROUP BY error ORDER BY n DESC", run_id)

    def lead_categories(self, run_id: int) -> list[dict[str, Any]]:
        return self._run_rows("SELECT category, count(*) AS n FROM leads WHERE last_run_id = ? "
                              "GROUP BY category ORDER BY category", run_id)

    def _run_rows(self, sql: str, run_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(sql, [run_id]))

    # --- lifecycle and review ---------------------------------------------------------------
    def set_state(self, lead_id: int, state: str, who: str, note: str | None = None,
                  source: str = "manual") -> None:
        """Move one lead, if ``leads.store.lifecycle`` allows it, and record who, when and why."""
        self.apply_state_changes([StateChange(lead_id, state, note)], who, source)

    def apply_state_changes(self, changes: list[StateChange], who: str, source: str) -> int:
        """Apply every change or none, in one transaction. Each move is checked against the state
        stored now: a re-check or another analyst may have moved the lead since it was read."""
        at = utc_now()
        with self.transaction():
            for change in changes:
                self._apply_state_change(change, who, source, at)
        return len(changes)

    def _apply_state_change(self, change: StateChange, who: str, source: str, at: str) -> None:
        row = self.db.execute("SELECT state, note, state_changed_at FROM leads WHERE id = ?",
                              [change.lead_id]).fetchone()
        if row is None:
            raise LifecycleError(f"没有编号为 {change.lead_id} 的线索")
        current, note, changed_at = row
        transition(current, change.state)
        self.db.execute(
            "UPDATE leads SET state = ?, note = ?, state_changed_at = ? WHERE id = ?",
            [change.state, note if change.note is None else change.note,
             changed_at if change.state == current else at, change.lead_id])
        self.db.execute(
            "INSERT INTO lead_events (lead_id, at, who, from_state, to_state, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [change.lead_id, at, who, current, change.state, change.note or "", source])

    def lead_events(self, lead_id: int) -> list[dict[str, Any]]:
        """Every move of one lead, oldest first."""
        return list(self.db["lead_events"].rows_where("lead_id = ?", [lead_id], order_by="id"))

    def lead_states(self) -> dict[int, dict[str, Any]]:
        """Each lead's state and note, with when and by whom the state was last set."""
        sql = """
            SELECT id, state, note, state_changed_at, (
                SELECT who FROM lead_events
                WHERE lead_id = leads.id AND from_state != to_state
                ORDER BY lead_events.id DESC LIMIT 1) AS state_changed_by
            FROM leads
        """
        return {row["id"]: row for row in self.db.query(sql)}

    # --- evidence and referrals -----------------------------------------------------------
    def leads_without_capture(self, min_score: int) -> list[dict[str, Any]]:
        """Leads at or above ``min_score`` with no evidence capture yet, best first."""
        return list(self.db.query(
            "SELECT id, url, score FROM leads WHERE score >= ? AND NOT EXISTS "
            "(SELECT 1 FROM captures WHERE captures.lead_id = leads.id) ORDER BY score DESC, id",
            [min_score]))

    def save_capture(self, capture: dict[str, Any], files: list[dict[str, Any]]) -> int:
        """One capture of a lead and every file in its evidence folder, atomically."""
        with self.transaction():
            capture_id = self.db["captures"].insert(capture).last_pk
            self.db["evidence_files"].insert_all(
                {"capture_id": capture_id, **row} for row in files)
        return capture_id

    def latest_captures(self, lead_ids: list[int]) -> dict[int, dict[str, Any]]:
        """The newest capture of each lead (with its ``files``), by lead id."""
        marks = ",".join("?" * len(lead_ids))
        captures = {row["lead_id"]: row for row in self.db.query(
            f"SELECT * FROM captures WHERE id IN (SELECT max(id) FROM captures "
            f"WHERE lead_id IN ({marks}) GROUP BY lead_id)", lead_ids)}
        for capture in captures.values():
            capture["files"] = list(self.db.query(
                "SELECT path, kind, format, sha256, size FROM evidence_files "
                "WHERE capture_id = ? ORDER BY id", [capture["id"]]))
        return captures

    def leads_to_refer(self, agency: str, since: str = "", min_score: int = 0
                       ) -> list[dict[str, Any]]:
        """Leads routed to ``agency``, seen since ``since``, never referred to it yet; never a
        lead an analyst marked false_positive."""
        sql = """
            SELECT * FROM leads WHERE score >= ? AND last_seen >= ? AND state != 'false_positive'
              AND EXISTS (SELECT 1 FROM json_each(leads.agencies) WHERE value = ?)
              AND NOT EXISTS (SELECT 1 FROM referrals
                              WHERE referrals.lead_id = leads.id AND referrals.agency = ?)
            ORDER BY score DESC, id
        """
        rows = list(self.db.query(sql, [min_score, since, agency, agency]))
        for row in rows:
            for key in ("contacts", "agencies", "reasons"):
                row[key] = json.loads(row[key] or "[]")
        return rows

    def record_packet(self, packet: dict[str, Any], lead_ids: list[int]) -> int:
        """A built packet and its referrals. Its new or confirmed leads become ``referred`` (a
        referral is a fact, not an analyst's move: recorded in lead_events with source
        "referral", without the review lifecycle's confirmation step); a lead already in the
        referral branch (referred, taken_down, still_online) keeps its state."""
        at = packet["created_at"]
        with self.transaction():
            if "id" in packet:  # numbered by reserve_packet_number
                packet_pk = packet["id"]
                self.db["packets"].update(packet_pk, packet)
            else:
                packet_pk = self.db["packets"].insert(packet).last_pk
            for lead_id in lead_ids:
                self.db["referrals"].insert({"packet_id": packet_pk, "lead_id": lead_id,
                                             "agency": packet["agency"], "referred_at": at})
                current = self.db["leads"].get(lead_id)["state"]
                if current not in ("new", "confirmed"):
                    continue
                self.db["leads"].update(lead_id, {"state": "referred", "state_changed_at": at})
                self.db["lead_events"].insert({
                    "lead_id": lead_id, "at": at, "who": "jiazheng packet", "from_state": current,
                    "to_state": "referred", "note": f"移送{packet['agency']}，移送包 "
                    f"{packet['packet_id']}", "source": "referral"})
        return packet_pk

    def checked_pages(self, run_id: int) -> list[dict[str, Any]]:
        """Pages a ``check`` run fetched for pasted URLs, with the lead each became (or None)."""
        return list(self.db.query(
            "SELECT pages.url, pages.final_url, pages.category, pages.score, pages.error, "
            "leads.id AS lead_id FROM pages LEFT JOIN leads ON leads.url = pages.final_url "
            "WHERE pages.run_id = ? AND pages.role = 'check' ORDER BY pages.id", [run_id]))

    def reserve_packet_number(self, agency: str, created_at: str) -> int:
        """A packet number no other process can get: a packets row taken under the write lock
        (two packets built at once never share a folder). A run killed before
        ``record_packet`` leaves its number unused, as a skipped 文号 is."""
        with self.transaction():
            return int(self.db["packets"].insert(
                {"packet_id": "", "agency": agency, "created_at": created_at, "since": "",
                 "folder": "", "zip_path": "", "zip_sha256": "", "lead_count": 0}).last_pk)

    def referrals_in(self, month: str) -> dict[str, int]:
        """Leads referred per agency in ``month`` (YYYY-MM, UTC)."""
        return {row["agency"]: row["n"] for row in self.db.query(
            "SELECT agency, count(DISTINCT lead_id) AS n FROM referrals "
            "WHERE substr(referred_at, 1, 7) = ? GROUP BY agency", [month])}

    def leads_found_in(self, month: str) -> int:
        return self.count("leads", "substr(first_seen, 1, 7) = ?", [month])

    def taken_down_in(self, month: str) -> dict[str, int]:
        """Leads that reached ``taken_down`` in ``month``, per category (lifecycle events)."""
        return {row["category"]: row["n"] for row in self.db.query(
            "SELECT leads.category, count(DISTINCT leads.id) AS n FROM lead_events "
            "JOIN leads ON leads.id = lead_events.lead_id WHERE lead_events.to_state = "
            "'taken_down' AND substr(lead_events.at, 1, 7) = ? GROUP BY leads.category",
            [month])}

    # --- domain candidates (watch-ct) ---------------------------------------------------------
    def save_domain_candidates(
        self, found: list[tuple[str, int, str, tuple[str, ...]]], source: str
    ) -> int:
        """Record lookalike domains ``(domain, score, target, reasons)``; a domain seen again
        keeps its row (times_seen, last_seen, the higher score). Returns how many were new."""
        now, new = utc_now(), 0
        with self.transaction():
            for domain, score, target, reasons in found:
                row = self.db.execute(
                    "SELECT id, score FROM domain_candidates WHERE domain = ?", [domain]
                ).fetchone()
                if row is None:
                    self.db["domain_candidates"].insert(
                        {"domain": domain, "url": f"http://{domain}/", "score": score,
                         "target": target, "reasons": _json(list(reasons)), "source": source,
                         "first_seen": now, "last_seen": now, "times_seen": 1, "fetched_at": ""})
                    new += 1
                    continue
                self.db.execute(
                    "UPDATE domain_candidates SET last_seen = ?, times_seen = times_seen + 1, "
                    "score = max(score, ?) WHERE id = ?", [now, score, row[0]])
        return new

    def pending_candidates(self, limit: int, before_run: int | None = None) -> list[str]:
        """URLs (``http://<domain>/``) of candidates not yet fetched: never probed first, then
        the longest unprobed, highest score first; with ``before_run``, only those known when
        that run started (the hosts it found dead itself are not its candidates)."""
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

    def _watch_dead_host(self, page: PageObservation) -> None:
        """A host that never answered is watched, with the page that named it, and probed again
        by later crawls (as a candidate) until it answers and is judged like any page."""
        host = host_parts(page.url).host
        if not host:
            return
        source = page.parent_url or page.role
        self.db.execute(
            "INSERT INTO domain_candidates (domain, url, score, target, reasons, source, "
            "first_seen, last_seen, times_seen, fetched_at) VALUES (?, ?, 0, '', ?, ?, ?, ?, 1, '')"
            " ON CONFLICT (domain) DO UPDATE SET fetched_at = ''",
            [host, page.url, _json([f"未应答：{page.error_detail or page.error}"]), source,
             page.fetched_at, page.fetched_at])
        self.db.execute(
            "UPDATE domain_candidates SET last_probe = ?, probe_result = ? WHERE domain = ?",
            [page.fetched_at, page.error, host])

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
