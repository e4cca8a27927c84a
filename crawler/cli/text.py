"""``jiazheng score-text``: judge ad texts from a file or stdin, one JSON line out per line in."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from crawler.cli.options import console
from leads.judge.batch import ENCODINGS, INPUT_FORMATS, score_stream


@click.command("score-text")
@click.argument("source", type=click.File("rb"), default="-")
@click.option("--format", "input_format", type=click.Choice(INPUT_FORMATS), default="auto",
              show_default=True,
              help='text: one text a line; jsonl: one JSON object a line with a "text" field '
                   '(and an optional "id", echoed back); auto: a line that parses as a JSON '
                   "object is one, any other line is text.")
@click.option("--encoding", type=click.Choice(ENCODINGS), default="utf-8", show_default=True,
              help="Encoding of the input (gb18030 reads GBK files saved by Chinese Windows).")
def score_text(source: BinaryIO, input_format: str, encoding: str) -> None:
    """Score texts (one a line, or JSON lines with "text") and print one JSON line for each,
    in input order: score, is_lead, category, terms, contacts, reasons. A line that cannot be
    scored (empty, binary, over 1 MB, not in the encoding) gets an error record; the run goes on.

    Example: jiazheng score-text ads.txt > scored.jsonl
    """
    counts = score_stream(source, sys.stdout, input_format, encoding)
    console.print(f"已评分 {counts.lines} 行：线索 {counts.leads} 条，无法评分 {counts.errors} 行")
