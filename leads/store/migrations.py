"""The schema's history, in registration order: each function is one migration, applied once per
database by sqlite-utils and recorded in its ``_sqlite_migrations`` table. Never edit or reorder a
migration that has shipped (m002 was registered after m005 and stays there); add a new one at the
end. ``sqlite-utils migrate jiazheng.db leads/store/migrations.py --list`` shows what a database
has applied. This file imports nothing from jiazheng, so sqlite-utils can load it on its own."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

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


@MIGRATIONS()
def m009_packet_references(db: sqlite_utils.Database) -> None:
    """Each packet's 发文字号 (the letter's reference, ``×应急函〔2026〕3号``): the year it was
    written in (Beijing) and its number, counted per agency and year, and the reference as
    printed. A number is never given twice for one agency and year, whatever process asks."""
    db["packets"].add_column("doc_year", int, not_null_default=0)
    db["packets"].add_column("doc_number", int, not_null_default=0)
    db["packets"].add_column("reference", str, not_null_default="")
    db.execute("CREATE UNIQUE INDEX idx_packets_doc_number ON packets(agency, doc_year, "
               "doc_number) WHERE doc_number > 0")


@MIGRATIONS()
def m010_lead_seller_phone(db: sqlite_utils.Database) -> None:
    """What a lead's phones say of its seller (leads/judge/phone_location.py): the province of
    the first placeable phone (属地, for routing), the first phone's carrier, whether any phone is
    a virtual operator's (1/0); and the ICP and 公安备案 numbers its page shows (``;``-joined,
    leads/judge/page_identifiers.py). Filled when the lead is next written; "" until then."""
    db["leads"].add_column("province", str, not_null_default="")
    db["leads"].add_column("phone_carrier", str, not_null_default="")
    db["leads"].add_column("virtual_phone", int, not_null_default=0)
    db["leads"].add_column("page_identifiers", str, not_null_default="")



@MIGRATIONS()
def m011_host_facts(db: sqlite_utils.Database) -> None:
    """Who is behind a lead host (leads/hosting/): every answer of every lookup — DNS, RDAP of an
    address, RDAP or WHOIS of the domain — with its outcome, what it said (JSON) and the raw
    answer; and on each lead what the latest lookup of its host says (``""`` until looked up)."""
    db["host_facts"].create(
        {"id": int, "host": str, "looked_up_at": str, "source": str, "subject": str,
         "outcome": str, "detail": str, "server": str, "fields": str, "raw": str},
        pk="id", not_null={"host", "looked_up_at", "source"},
    )
    db["host_facts"].create_index(["host", "looked_up_at"])
    for column in ("server_ips", "network_owner", "asn", "registrar", "domain_created",
                   "domain_expires", "domain_status", "abuse_contacts", "host_signals",
                   "host_facts_at"):
        db["leads"].add_column(column, str, not_null_default="")


@MIGRATIONS()
def m012_post_platforms(db: sqlite_utils.Database) -> None:
    """A lead that is a post or answer on a platform (keywords/post_platforms.toml): the
    platform's key (tieba, zhidao, zhihu …; "" for a page of the seller's own site) and the poster
    as the page shows them ("name（ID：id）"; "" when it does not). Filled when the lead is next
    written."""
    db["leads"].add_column("platform", str, not_null_default="")
    db["leads"].add_column("poster", str, not_null_default="")


@MIGRATIONS()
def m013_lookalike_accounts(db: sqlite_utils.Database) -> None:
    """WeChat account cards as a search showed them (leads/judge/accounts.py), each with its
    verdict; on a lookalike_account lead (url ``weixin://account/<微信号>``) the account's name,
    微信号 and the official account it imitates (``""`` on every other lead)."""
    columns = ("address", "engine", "query", "name", "wechat_id", "open_id", "description",
               "verified_by", "link", "card_text", "seen_at", "category", "reasons",
               "scoring_version")
    db["account_cards"].create({"id": int, "run_id": int, "serp_page": int, "rank": int,
                                "score": int, **dict.fromkeys(columns, str)}, pk="id",
                               foreign_keys=[("run_id", "runs", "id")])
    db["account_cards"].create_index(["address"])
    for column in ("account_name", "wechat_id", "imitated_official"):
        db["leads"].add_column(column, str, not_null_default="")


@MIGRATIONS()
def m014_review_search(db: sqlite_utils.Database) -> None:
    """Full-text search for the review pages (``jiazheng serve``): one FTS5 row per lead (rowid =
    lead id) holding its title and its page's text. The trigram tokenizer finds any run of three
    or more characters, as Chinese has no spaces between words (shorter terms fall back to LIKE on
    the same table). Triggers keep it current: a lead written or re-written (new page, new title)
    is indexed again; pages never change, so the lead's page id says which text to index."""
    db.execute("CREATE VIRTUAL TABLE lead_search USING fts5(title, text, tokenize='trigram')")
    indexed = ("SELECT new.id, coalesce(new.title, ''), "
               "coalesce((SELECT text FROM pages WHERE pages.id = new.page_id), '')")
    db.execute(f"""CREATE TRIGGER lead_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO lead_search (rowid, title, text) {indexed}; END""")
    db.execute(f"""CREATE TRIGGER lead_search_update AFTER UPDATE OF title, page_id ON leads BEGIN
        DELETE FROM lead_search WHERE rowid = old.id;
        INSERT INTO lead_search (rowid, title, text) {indexed}; END""")
    db.execute("""CREATE TRIGGER lead_search_delete AFTER DELETE ON leads BEGIN
        DELETE FROM lead_search WHERE rowid = old.id; END""")
    db.execute("INSERT INTO lead_search (rowid, title, text) SELECT leads.id, "
               "coalesce(leads.title, ''), coalesce(pages.text, '') FROM leads "
               "LEFT JOIN pages ON pages.id = leads.page_id")


@MIGRATIONS()
def m015_seller_networks(db: sqlite_utils.Database) -> None:
    """Seller networks (leads/networks/, rebuilt by Store.rebuild_networks): each network's
    members (``lead_ids``, JSON), sites, the contacts its leads show, why it is one seller
    (``reasons``), first/last seen of its leads, when it was first found and last changed; and
    every link between two of its leads with its kind (phone, wechat, qq, email, telegram,
    wechat_qr, logo, template), the shared value and its strength (1.0, or the similarity).
    AUTOINCREMENT: a retired network number is never given to another network. A packet may
    refer one network as one case (``packets.network_id``, 0 for an ordinary packet)."""
    db.execute("""CREATE TABLE networks (
        id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL DEFAULT '',
        lead_count INTEGER NOT NULL DEFAULT 0, site_count INTEGER NOT NULL DEFAULT 0,
        lead_ids TEXT NOT NULL DEFAULT '[]', sites TEXT NOT NULL DEFAULT '[]',
        contacts TEXT NOT NULL DEFAULT '[]', reasons TEXT NOT NULL DEFAULT '[]',
        first_seen TEXT NOT NULL DEFAULT '', last_seen TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '')""")
    db["network_links"].create(
        {"id": int, "network_id": int, "lead_id": int, "other_lead_id": int, "kind": str,
         "value": str, "strength": float, "reason": str},
        pk="id", not_null={"network_id", "lead_id", "other_lead_id", "kind"},
        foreign_keys=[("network_id", "networks", "id"), ("lead_id", "leads", "id"),
                      ("other_lead_id", "leads", "id")],
    )
    db["network_links"].create_index(["network_id"])
    db["network_links"].create_index(["lead_id"])
    db["network_links"].create_index(["other_lead_id"])
    db["packets"].add_column("network_id", int, not_null_default=0)


@MIGRATIONS()
def m016_learned_examples(db: sqlite_utils.Database) -> None:
    """What ``jiazheng learn`` fitted (leads/learning/): per decided lead its latest decision, who
    and when, its URL and page text, replaced whole by each fit; every fit's version and counts."""
    db["learned_examples"].create({"lead_id": int, "label": str, "url": str, "decided_at": str,
                                   "decided_by": str, "text": str}, pk="lead_id")
    db["learned_fits"].create({"id": int, "fitted_at": str, "version": str, "confirmed": int,
                               "false_positives": int, "active": int}, pk="id")
