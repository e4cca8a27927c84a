"""The SQLite store every run writes and every document reads: its migrations, its queries (one
module per concern) and the lead lifecycle, whose state rules live in one module (lifecycle.py).
Callers use the ``Store`` facade."""

from leads.store.facade import (
    DEFAULT_DB,
    ResumeState,
    Store,
    StoreCorruptError,
    StoreLockedError,
)

__all__ = ["DEFAULT_DB", "ResumeState", "Store", "StoreCorruptError", "StoreLockedError"]
