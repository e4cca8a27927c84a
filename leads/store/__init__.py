"""The SQLite store every run writes and every document reads: its migrations (migrations.py, in
registration order), its queries (one module per concern: observations, runs, crawl_memory,
reviews, referrals, statistics) joined in the ``Store`` facade, and the lead lifecycle, whose
state rules live in one module (lifecycle.py)."""

from leads.store.database import DEFAULT_DB, StoreCorruptError, StoreLockedError
from leads.store.facade import Store
from leads.store.runs import ResumeState

__all__ = ["DEFAULT_DB", "ResumeState", "Store", "StoreCorruptError", "StoreLockedError"]
