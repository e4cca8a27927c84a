"""Everything the lead page shows of one lead, read through the store: the lead and its page's
text with the found words marked, its contacts, where it was found (engine, query, rank), its
history (search sightings, lifecycle events, re-checks) and its newest evidence capture — whose
screenshot is served from the capture's own folder, by fixed file name, never a requested path."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.workspace.highlight import marked_pieces, reason_terms
from leads.evidence.folder import SCREENSHOT, lead_label
from leads.judge.observations import BEIJING
from leads.store import Store
from leads.store.lifecycle import STATE_LABELS

MAX_SIGHTINGS = 200
CATEGORY_LABELS = {"fake_ad": "假证广告", "lookalike_site": "仿冒查询网站"}


def beijing(stamp: str | None) -> str:
    """A stored UTC time as Beijing time, ``2026-12-04 20:15``; "" when unknown."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def lead_view(store: Store, lead_id: int, searched: str = "") -> dict[str, Any] | None:
    """The lead page's data, or None when there is no such lead."""
    found = list(store.db.query("SELECT * FROM leads WHERE id = ?", [lead_id]))
    if not found:
        return None
    lead = found[0]
    for key in ("contacts", "agencies", "reasons"):
        lead[key] = json.loads(lead[key] or "[]")
    page = store.db.execute("SELECT text, fetched_at, status, final_url FROM pages WHERE id = ?",
                            [lead["page_id"]]).fetchone()
    text = page[0] if page else ""
    terms = reason_terms(lead["reasons"]) + searched.split()
    capture = store.latest_captures([lead_id]).get(lead_id)
    return {
        "lead": lead, "label": lead_label(lead_id), "state_label": STATE_LABELS[lead["state"]],
        "terms": terms, "pieces": marked_pieces(text, terms), "text_length": len(text),
        "sightings": [{**row, "seen_at": beijing(row["seen_at"])} for row in store.db.query(
            "SELECT engine, query, serp_page, rank, is_ad, seen_at FROM sightings "
            "WHERE url = ? OR url IN (SELECT url FROM pages WHERE final_url = ?) "
            "ORDER BY seen_at, id LIMIT ?", [lead["url"], lead["url"], MAX_SIGHTINGS])],
        "events": [{**event, "at": beijing(event["at"]),
                    "from_label": STATE_LABELS.get(event["from_state"], event["from_state"]),
                    "to_label": STATE_LABELS.get(event["to_state"], event["to_state"])}
                   for event in store.lead_events(lead_id)],
        "rechecks": [{**row, "at": beijing(row["at"])} for row in store.rechecks(lead_id)],
        "capture": capture and {**capture, "captured_at": beijing(capture["captured_at"])},
        "has_screenshot": screenshot_path(capture) is not None,
        "first_seen": beijing(lead["first_seen"]), "last_seen": beijing(lead["last_seen"]),
        "neighbours": neighbours(store, lead_id),
    }


def screenshot_path(capture: dict[str, Any] | None) -> Path | None:
    """The screenshot of a capture, when the capture recorded one and it is still on disk."""
    if not capture or not any(row["path"] == SCREENSHOT for row in capture["files"]):
        return None
    path = Path(capture["folder"]) / SCREENSHOT
    return path if path.is_file() else None


def latest_screenshot(store: Store, lead_id: int) -> Path | None:
    return screenshot_path(store.latest_captures([lead_id]).get(lead_id))


def neighbours(store: Store, lead_id: int) -> dict[str, int | None]:
    """The previous and next lead by id (the j/k keys on a lead page)."""
    before = store.db.execute("SELECT max(id) FROM leads WHERE id < ?", [lead_id]).fetchone()[0]
    after = store.db.execute("SELECT min(id) FROM leads WHERE id > ?", [lead_id]).fetchone()[0]
    return {"previous": before, "next": after}
