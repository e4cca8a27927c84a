"""An analyst's decision from the review pages, as lifecycle moves: the buttons' words are read
by the lifecycle like a state cell of ``review import`` (确认 → confirmed, 误报 → false_positive,
待定 → keeps the state, with the note), and the moves are applied by
``Store.apply_state_changes`` — all leads of a batch or none, each checked against its state now,
recorded as lead events with who made them."""

from __future__ import annotations

from leads.store import Store
from leads.store.lifecycle import LifecycleError, StateChange, parse_state

EVENT_SOURCE = "workspace"  # lead_events.source: decided on the review pages
DECISIONS = ("确认", "误报", "待定")  # the buttons, in the order shown (shortcuts c, f)
UNDECIDED = "待定"
MAX_NOTE = 4000  # as review import: longer is not an analyst's note
MAX_BATCH = 500


def decide(store: Store, lead_ids: list[int], decision: str, note: str, who: str) -> int:
    """Apply ``decision`` (one of DECISIONS) with ``note`` to ``lead_ids`` as ``who``; returns
    the number of leads moved or noted. ``LifecycleError`` (message for the analyst) when a
    word, a lead or a move is not allowed; then nothing is written."""
    if decision not in DECISIONS:
        raise LifecycleError(f"未知的决定 “{decision}”，可选：{'、'.join(DECISIONS)}")
    if not lead_ids or len(lead_ids) > MAX_BATCH:
        raise LifecycleError(f"请选择 1–{MAX_BATCH} 条线索")
    if len(note) > MAX_NOTE:
        raise LifecycleError(f"备注超过 {MAX_NOTE} 字")
    if not who:
        raise LifecycleError("无法确定操作人：请先登录")
    marks = ",".join("?" * len(lead_ids))
    states = dict(store.db.execute(f"SELECT id, state FROM leads WHERE id IN ({marks})",
                                   lead_ids).fetchall())
    changes = []
    for lead_id in dict.fromkeys(lead_ids):
        if lead_id not in states:
            raise LifecycleError(f"没有编号为 {lead_id} 的线索")
        state = parse_state(decision, states[lead_id])
        written = note.strip() or (UNDECIDED if decision == UNDECIDED else None)
        changes.append(StateChange(lead_id, state, written))
    return store.apply_state_changes(changes, who, EVENT_SOURCE)
