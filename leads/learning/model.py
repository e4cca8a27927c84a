"""Fitting the learned model from the store, loading it for a crawl, and the decided leads most
like one lead (the review pages' "与已确认线索 L000123 相似 87%").

A fit replaces the stored examples with each decided lead's latest decision and page text, and
records the fit (version, counts, whether the signal is active). The model a crawl judges with is
the one of the last fit — not the decisions made since — so a crawl is judged with one model
throughout, and refitting (``jiazheng learn``, run by ``nightly`` before its crawl) is what
changes the verdict fingerprint and so re-judges stored pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from leads.judge.learned_similarity import DecidedExample, LearnedModel, Neighbour, page_text
from leads.store import Store

SHOWN_FROM = 0.2  # a decided lead less similar than this is not worth an analyst's glance


@dataclass(frozen=True)
class FitReport:
    """What a fit learned: examples of each kind, whether they are enough for the signal to
    change verdicts, the model's version and the one it replaced ("" when there was none)."""

    confirmed: int
    false_positives: int
    active: bool
    version: str
    previous_version: str
    fitted_at: str

    @property
    def changed(self) -> bool:
        return self.version != self.previous_version


def _examples(rows: list[dict]) -> list[DecidedExample]:
    return [DecidedExample(row["lead_id"], row["label"], row["url"], row["text"]) for row in rows]


def fit(store: Store) -> FitReport:
    """Refit from every decision in the store and keep the result there."""
    previous = store.latest_learned_fit()
    rows = [{"lead_id": row["lead_id"], "label": row["label"], "url": row["url"],
             "decided_at": row["decided_at"], "decided_by": row["decided_by"],
             "text": page_text(row["title"], row["text"])} for row in store.decided_leads()]
    model = LearnedModel(_examples(rows))
    saved = store.save_learned_fit(rows, model.version, model.confirmed, model.false_positives,
                                   model.active)
    return FitReport(model.confirmed, model.false_positives, model.active, model.version,
                     previous["version"] if previous else "", saved["fitted_at"])


_loaded: dict[str, LearnedModel] = {}  # the last model loaded, by version: built once per fit


def load_model(store: Store) -> LearnedModel | None:
    """The model of the last fit, or None before any fit with examples."""
    latest = store.latest_learned_fit()
    if latest is None or not latest["version"]:
        return None
    if latest["version"] not in _loaded:
        _loaded.clear()
        _loaded[latest["version"]] = LearnedModel(_examples(store.learned_examples()))
    return _loaded[latest["version"]]


def similar_decided_leads(store: Store, lead_id: int, limit: int = 5) -> list[Neighbour]:
    """The decided leads most like lead ``lead_id`` (itself left out), most similar first, from
    SHOWN_FROM; ``Neighbour.describe()`` says “与已确认线索 L000123 相似 87%”."""
    model, lead = load_model(store), store.lead_page(lead_id)
    if model is None or lead is None:
        return []
    found = model.neighbours(page_text(lead["title"], lead["text"]), exclude_lead=lead_id)
    return [neighbour for neighbour in found if neighbour.similarity >= SHOWN_FROM][:limit]
