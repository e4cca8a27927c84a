"""Writing what a crawl observed: result pages asked, sightings, fetched pages with their bodies,
and — when a page's verdict is a lead — the lead itself, credited to the queries that found it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from keywords.post_platforms import load_post_platforms
from leads.judge.accounts import AccountObservation
from leads.judge.domains import host_parts
from leads.judge.observations import LinkResolved, PageObservation, QueryOutcome, Sighting
from leads.judge.page_identifiers import identifiers_of
from leads.judge.phone_location import seller_phone
from leads.judge.post_pages import post_facts
from leads.judge.verdict import route
from leads.store.database import Database, json_text
from leads.store.lifecycle import RECHECK_OUTCOME_STATES, StateChange, reupload_reason

# A host that failed so never answered; pages of these roles name hosts worth watching.
DEAD_HOST_ERRORS = ("dns", "refused")
WATCHED_WHEN_DEAD = ("result", "verification", "linked", "candidate", "check")
# Pages walked back from a new lead to the search result it was followed from (follow depth + 1).
MAX_CREDIT_HOPS = 3
# Reason lines of contacts found beside a lead's page, "<prefix>：<contact>、<contact>": its
# 联系我们 page, the QR codes of its evidence screenshot. A crawl that judges the page again does
# not see them, so they are carried over instead of dropped with the old verdict.
CONTACT_PAGE_REASON = "联系页 {} 上的联系方式："
SCREENSHOT_CONTACT_REASON = "页面截图中的二维码为微信联系人："


def seller_fields(contacts: tuple[str, ...] | list[str]) -> dict[str, object]:
    """The lead columns its contacts' phones fill: province, carrier, virtual operator."""
    phone = seller_phone(contacts)
    return {"province": phone.province, "phone_carrier": phone.carrier,
            "virtual_phone": int(phone.virtual)}


def post_fields(page: PageObservation) -> dict[str, str]:
    """A post's platform and poster (leads/judge/post_pages.py); an empty poster is left out, so
    a later fetch that shows none (304, a login wall) keeps the one read before."""
    facts = post_facts(page.final_url, page.html)
    if facts is None:
        return {"platform": ""}
    return {"platform": facts.platform, **({"poster": facts.poster} if facts.poster else {})}


def text_fingerprint(text: str) -> str:
    """SHA-256 of a page's text with whitespace folded: the same ad re-uploaded on a new host
    hashes the same even when its markup or host name changes. Short texts don't count."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode()).hexdigest() if len(folded) >= 200 else ""


class ObservationWrites(Database):
    """Every record a spider yields, stored (the pipeline's and the Redis drain's path)."""

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
        elif isinstance(record, AccountObservation):
            self.save_account(run_id, record)  # leads/store/accounts.py

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
            "headers": json_text(page.headers),
            "redirect_chain": json_text(page.redirect_chain),
            "tls_problems": json_text(list(page.tls_problems)),
            "fetch_signals": json_text(page.fetch_signals),
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
            "logo_hashes": json_text(list(page.logo_hashes)),
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
        if lead_id is not None:
            self._merge_contacts(lead_id, contacts, CONTACT_PAGE_REASON.format(source_url))

    def add_lead_contacts(self, lead_id: int, contacts: tuple[str, ...],
                          reason: str) -> tuple[str, ...]:
        """Contacts found beside a lead's page (e.g. QR codes in its screenshot) join the lead,
        its routing and seller fields; the reason is ``reason`` and the new contacts. Returns
        those that were new."""
        with self.transaction():
            return self._merge_contacts(lead_id, contacts, reason)

    def _merge_contacts(self, lead_id: int, contacts: tuple[str, ...],
                        reason: str) -> tuple[str, ...]:
        lead = self.db["leads"].get(lead_id)
        known = json.loads(lead["contacts"])
        new = tuple(contact for contact in contacts if contact not in known)
        if not new:
            return ()
        merged = (*known, *new)
        agencies = route(lead["category"], merged, host_parts(lead["url"]), lead["target"])
        reasons = [*json.loads(lead["reasons"]), f"{reason}{'、'.join(new)}"]
        self.db["leads"].update(lead_id, {"contacts": json_text(list(merged)),
                                          "agencies": json_text(list(agencies)),
                                          "reasons": json_text(reasons),
                                          **seller_fields(merged)})
        return new

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
            reasons.append(reupload_reason(lead_id, url))
        fields = {
            "host": parts.host,
            "registered_domain": parts.registered_domain,
            "category": verdict.category,
            "score": verdict.score,
            "target": verdict.target,
            "contacts": json_text(list(verdict.contacts)),
            "agencies": json_text(list(verdict.agencies)),
            "reasons": json_text(reasons),
            "signals": json_text(verdict.signals),
            **seller_fields(verdict.contacts),
            "page_identifiers": ";".join(identifiers_of(verdict.signals)),
            **post_fields(page),
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
            earlier = json.loads(self.db["leads"].get(existing)["reasons"])
            self.db["leads"].update(existing, fields)
            self._carry_contacts_found_beside(existing, earlier)

    def _carry_contacts_found_beside(self, lead_id: int, earlier_reasons: list[str]) -> None:
        """Keep the contacts an earlier 联系页 or evidence screenshot gave the lead, each with its
        reason line (unless the page itself now shows them)."""
        beside = (CONTACT_PAGE_REASON.split("{}")[0], SCREENSHOT_CONTACT_REASON)
        for line in earlier_reasons:
            if line.startswith(beside):
                prefix, _, listed = line.rpartition("：")
                self._merge_contacts(lead_id, tuple(listed.split("、")), f"{prefix}：")

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
        state = RECHECK_OUTCOME_STATES.get(outcome.outcome)
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

    def _watch_dead_host(self, page: PageObservation) -> None:
        """A host that never answered is watched, with the page that named it, and probed again
        by later crawls (as a candidate) until it answers and is judged like any page."""
        host = host_parts(page.url).host
        if not host or load_post_platforms().platform_of(host):  # a platform is never a lookalike
            return
        source = page.parent_url or page.role
        self.db.execute(
            "INSERT INTO domain_candidates (domain, url, score, target, reasons, source, "
            "first_seen, last_seen, times_seen, fetched_at) VALUES (?, ?, 0, '', ?, ?, ?, ?, 1, '')"
            " ON CONFLICT (domain) DO UPDATE SET fetched_at = ''",
            [host, page.url, json_text([f"未应答：{page.error_detail or page.error}"]), source,
             page.fetched_at, page.fetched_at])
        self.db.execute(
            "UPDATE domain_candidates SET last_probe = ?, probe_result = ? WHERE domain = ?",
            [page.fetched_at, page.error, host])
