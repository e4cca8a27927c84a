"""A feed of domains (a Certificate Transparency dump, a registrar's daily list) scored into CSV.

``jiazheng score-domains`` prints one row per input line, in input order, under
DOMAIN_CSV_COLUMNS, every cell neutralised for Excel. A CT feed is millions of mostly unique names,
so what each line costs outside the scorer counts: the input is read a large decoded chunk at a
time instead of line by line, and the common row — not a lookalike, every cell plain text, as most
of a feed is — is formatted directly and written with its neighbours in one call. Any other row
goes through csv.writer with every cell neutralised. Both give the bytes csv.DictWriter gives over
neutralised cells; tests/test_score_domains_cli.py holds that reference writer and compares.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TextIO

from leads.judge.domains import DOMAIN_CSV_COLUMNS, MAX_HOST_LENGTH, MAX_INPUT_LINE, domain_row
from leads.referral.tables import FORMULA_TRIGGERS, neutralise

CHUNK_CHARS = 1 << 20  # one read, split and write per ~50,000 lines of a CT feed
# Of a longer line only its start is held: enough to be reported as overlong with its first
# characters (domain_row keeps MAX_HOST_LENGTH of them), not the whole of a line with no end.
HELD_CHARS = 32 * MAX_INPUT_LINE
assert HELD_CHARS > MAX_INPUT_LINE >= MAX_HOST_LENGTH
DROPPED_MARK = "…"  # stands for non-blank text dropped from a held line: it stays overlong

# A cell csv.writer leaves unquoted and neutralise() leaves alone: no quote, comma or line break
# anywhere, and no formula trigger first. An empty cell is not matched (it takes the csv path).
_CSV_SPECIAL = '",\r\n'
PLAIN_CELL = re.compile(
    f"[^{re.escape(''.join(FORMULA_TRIGGERS) + _CSV_SPECIAL)}][^{re.escape(_CSV_SPECIAL)}]*"
)
CELLS = itemgetter(*DOMAIN_CSV_COLUMNS)


@dataclass
class FeedCounts:
    lines: int = 0
    lookalikes: int = 0


def _bounded(held: str, piece: str, dropped: bool) -> tuple[str, bool]:
    """An unfinished line, ``held`` then ``piece``, cut to at most HELD_CHARS without changing its
    row; ``dropped`` tells whether non-blank text was cut off, now or before."""
    if len(held) >= HELD_CHARS and not held[:1].isspace():  # full: the piece can only be dropped
        return held, dropped or not (piece.isspace() or not piece)
    text = held + piece
    if len(text) <= HELD_CHARS:
        return text, dropped
    text = text.lstrip() or text[:1]  # domain_row strips leading blanks; one keeps the line
    if len(text) <= HELD_CHARS:
        return text, dropped
    return text[:HELD_CHARS], dropped or not text[HELD_CHARS:].isspace()


def _finished(text: str, dropped: bool) -> str:
    return text + DROPPED_MARK if dropped else text


def read_line_batches(source: TextIO) -> Iterator[list[str]]:
    """The lines of ``source`` as iterating over it gives them (newlines translated, line ends
    removed), one read's worth at a time.

    A line longer than HELD_CHARS is held only in part (its start after leading blanks, and a mark
    if non-blank text was cut off), so a 10 MB line with no end costs no more memory than a chunk,
    and its row is the same as if it had been held whole: overlong, with the same first characters.
    """
    held, dropped = "", False  # the unfinished last line of what was read so far
    while chunk := source.read(CHUNK_CHARS):
        lines = chunk.split("\n")
        last = lines.pop()
        if lines:
            lines[0] = _finished(*_bounded(held, lines[0], dropped))
            held, dropped = "", False
            yield lines
        held, dropped = _bounded(held, last, dropped)
    if held:
        yield [_finished(held, dropped)]


def write_rows(lines: list[str], first_number: int, threshold: int, out: TextIO) -> int:
    """Write the CSV rows of ``lines`` (numbered from ``first_number``); returns the lookalikes."""
    writer = csv.writer(out, lineterminator="\n")
    plain = PLAIN_CELL.fullmatch
    run: list[str] = []  # plain rows not yet written
    lookalikes = 0
    for number, line in enumerate(lines, first_number):
        cells = CELLS(domain_row(number, line, threshold))
        _, text, domain, score, is_lookalike, target, reasons = cells
        lookalikes += is_lookalike == "yes"
        if not target and not reasons and plain(text) and (domain == text or plain(domain)):
            run.append(f"{number},{text},{domain},{score},{is_lookalike},,\n")
        else:
            out.write("".join(run))
            run.clear()
            writer.writerow([neutralise(cell) for cell in cells])
    out.write("".join(run))
    return lookalikes


def score_domain_feed(source: TextIO, out: TextIO, threshold: int) -> FeedCounts:
    """Write the header and one CSV row per line of ``source`` to ``out``, in input order."""
    csv.writer(out, lineterminator="\n").writerow(DOMAIN_CSV_COLUMNS)
    counts = FeedCounts()
    for lines in read_line_batches(source):
        counts.lookalikes += write_rows(lines, counts.lines + 1, threshold, out)
        counts.lines += len(lines)
    return counts
