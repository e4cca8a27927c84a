"""Observations as JSON, for the Redis item queue of a scaled-out crawl.

JSON, not pickle: whoever can write to the queue must not be able to run code in the process
that drains it into the store.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, fields
from typing import Any

from leads.judge.accounts import AccountObservation
from leads.judge.observations import LinkResolved, PageObservation, QueryOutcome, Sighting
from leads.judge.takedown import RecheckOutcome
from leads.judge.verdict import Verdict

Record = QueryOutcome | Sighting | LinkResolved | PageObservation | AccountObservation
RECORD_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (QueryOutcome, Sighting, LinkResolved, PageObservation, AccountObservation)
}
TUPLE_FIELDS = ("tls_problems", "contacts", "agencies", "reasons", "logo_hashes")


def encode_record(record: Record) -> bytes:
    data = asdict(record)
    if isinstance(record, PageObservation):
        data["body"] = base64.b64encode(record.body).decode("ascii")
    return json.dumps({"kind": type(record).__name__, "data": data},
                      ensure_ascii=False).encode()


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if k in TUPLE_FIELDS else v for k, v in data.items()}


def decode_record(raw: bytes) -> Record:
    """The record ``encode`` wrote; ValueError for anything else."""
    message = json.loads(raw)
    cls = RECORD_TYPES.get(message.get("kind", "")) if isinstance(message, dict) else None
    if cls is None:
        raise ValueError(f"not a jiazheng record: {raw[:80]!r}")
    data = message["data"]
    unknown = set(data) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)} in {cls.__name__}")
    if cls is PageObservation:
        data["body"] = base64.b64decode(data["body"])
        if data.get("verdict"):
            data["verdict"] = Verdict(**_tuples(data["verdict"]))
        if data.get("recheck"):
            data["recheck"] = RecheckOutcome(**data["recheck"])
    if cls is AccountObservation and data.get("verdict"):
        data["verdict"] = Verdict(**_tuples(data["verdict"]))
    return cls(**_tuples(data))
