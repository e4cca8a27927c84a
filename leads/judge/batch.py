"""Judge texts one per line, as ``jiazheng score-text`` does: JSON-lines records in input order.

``judge_text`` is the verdict for a text without a page: ``score_text`` (the scorer
``leads.judge.verdict.judge_page`` uses) and the verdict's own rule for what a text sells,
``leads.judge.verdict.sales_verdict`` — news, notices and warnings about fakes never lead,
otherwise ``fake_ad`` from ``LEAD_THRESHOLD``. ``lookalike_site`` needs a domain or a page, so a
bare text is never one. Fraudsters write the input: an empty, binary, overlong or undecodable line
(UTF-8 by default) becomes an error record and the run goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from leads.judge.text_score import TextScore, TextScorer, score_text
from leads.judge.verdict import sales_verdict

MAX_LINE_BYTES = 1_000_000  # an ad is a few hundred bytes; a longer line is not one text
CHUNK_BYTES = 1 << 20  # an overlong line is skipped in pieces this size, never held whole
MAX_CONTROL_SHARE = 0.1  # more control characters than this and the line is binary
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0/C1 controls except tab and newline
INPUT_FORMATS = ("auto", "text", "jsonl")
# UTF-8 by default; files saved by Chinese Windows/Excel are often GB18030 (a superset of GBK) or
# Big5. UTF-16 is not offered: its NUL bytes would read as binary.
ENCODINGS = ("utf-8", "gb18030", "big5")
# One encoder for every record: json.dumps(..., ensure_ascii=False) builds a new one per call.
JSON_LINE = json.JSONEncoder(ensure_ascii=False)
ERROR_MESSAGES = {
    "empty_line": "空行",
    "binary": "二进制内容，不是文本",
    "invalid_encoding": "不是有效的 {encoding} 文本",
    "line_too_long": f"行过长（超过 {MAX_LINE_BYTES} 字节），未评分",
    "invalid_json": "不是有效的 JSON 对象",
    "missing_text": 'JSON 对象缺少字符串字段 "text"',
}


@dataclass(frozen=True)
class TextVerdict:
    """The verdict on one bare text: its category and the text score it rests on."""

    category: str  # "fake_ad" | "none"
    result: TextScore

    @property
    def is_lead(self) -> bool:
        return self.category != "none"


@dataclass
class BatchCounts:
    """What a run over a stream saw."""

    lines: int = 0
    leads: int = 0
    errors: int = 0


class LineError(ValueError):
    """A line that cannot be scored; ``kind`` is a key of ERROR_MESSAGES."""

    def __init__(self, kind: str, encoding: str = "utf-8") -> None:
        super().__init__(ERROR_MESSAGES[kind].format(encoding=encoding.upper()))
        self.kind = kind


def judge_text(text: str, scorer: TextScorer | None = None) -> TextVerdict:
    """The verdict on a text alone, by the same rules ``judge_page`` applies to a page's text
    (with ``scorer``: that scorer's, e.g. a candidate's fitted weights, not the library's)."""
    result = scorer.score(text) if scorer is not None else score_text(text)
    category, _ = sales_verdict(result.context, result.score)
    return TextVerdict(category, result)


def verdict_record(verdict: TextVerdict) -> dict[str, Any]:
    """The JSON-ready fields of a verdict (score, is_lead, category, terms, contacts, reasons)."""
    result = verdict.result
    return {
        "score": result.score,
        "is_lead": verdict.is_lead,
        "category": verdict.category,
        "context": result.context,
        "scope": result.scope,  # safety | other_documents (papers outside the safety families) | ""
        "terms": {kind: list(terms) for kind, terms in result.matches.items()},
        "contacts": list(result.contacts),
        "reasons": list(result.reasons),
    }


def read_lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """Lines without their line break; ``None`` for a line over MAX_LINE_BYTES (skipped)."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(CHUNK_BYTES)
            yield None
            continue
        yield line.rstrip(b"\r\n")


def decode_line(raw: bytes | None, number: int, encoding: str = "utf-8") -> str:
    """The text of a raw line, or LineError saying why it is not one."""
    if raw is None:
        raise LineError("line_too_long")
    if b"\x00" in raw:
        raise LineError("binary")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise LineError("invalid_encoding", encoding) from None
    if number == 1:
        text = text.removeprefix("\ufeff")  # Excel and Notepad start UTF-8 files with a BOM
    if not text.isprintable() and len(CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise LineError("binary")
    if not text.strip():
        raise LineError("empty_line")
    return text


def parse_input(line: str, input_format: str) -> tuple[str, dict[str, Any]]:
    """(text to score, fields echoed back) of a plain-text or JSON line.

    In ``auto`` a line is a JSON record only if it parses as an object; anything else is text.
    """
    if input_format == "text" or (input_format == "auto" and not line.lstrip().startswith("{")):
        return line, {}
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict):
        if input_format == "auto":
            return line, {}
        raise LineError("invalid_json")
    text = record.get("text")
    if not isinstance(text, str):
        raise LineError("missing_text")
    if not text.strip():
        raise LineError("empty_line")
    return text, ({"id": record["id"]} if "id" in record else {})


def score_line(
    raw: bytes | None, number: int, input_format: str = "auto", encoding: str = "utf-8"
) -> dict[str, Any]:
    """The output record of one input line: its verdict, or the error that stopped it."""
    try:
        text, echoed = parse_input(decode_line(raw, number, encoding), input_format)
    except LineError as error:
        return {"line": number, "error": error.kind, "message": str(error)}
    return {"line": number, **echoed, **verdict_record(judge_text(text))}


def score_stream(
    source: BinaryIO, out: TextIO, input_format: str = "auto", encoding: str = "utf-8"
) -> BatchCounts:
    """Write one JSON line to ``out`` per line of ``source``, in input order."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}, got {input_format!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")
    counts = BatchCounts()
    for number, raw in enumerate(read_lines(source), 1):
        record = score_line(raw, number, input_format, encoding)
        counts.lines += 1
        counts.errors += "error" in record
        counts.leads += bool(record.get("is_lead"))
        out.write(JSON_LINE.encode(record) + "\n")
    return counts
