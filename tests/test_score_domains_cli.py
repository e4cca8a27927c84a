"""jiazheng score-domains: CSV in input order; bad lines are reported on their row, never a crash;
the fast writer gives the same bytes as csv.DictWriter over neutralised cells."""

from __future__ import annotations

import csv
import io
import random
import tracemalloc
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from leads.feeds import domain_feed
from leads.feeds.domain_feed import HELD_CHARS, score_domain_feed
from leads.judge.domains import DOMAIN_CSV_COLUMNS, MAX_INPUT_LINE, domain_row
from leads.referral.tables import neutralise

BAD_AND_GOOD = [
    "CX.MEM.GOV.CN.zscx.top.",  # upper case, trailing dot
    "https://zlaq-mohurd.com:8443/index.html?x=1",  # a URL
    "",  # empty line
    "1.2.3.4",  # IP address
    "a" * 300 + ".com",  # a 300-character label
    "xn--zz.com",  # IDN garbage
    '=HYPERLINK("http://x")',  # a formula
    "сх-mem.com",  # Cyrillic
    "http://[bad",  # broken URL
    "www.baidu.com",
    "yjglj.beijing.gov.cn",
    "cnse.e-cqs.cn",
]

# Lines a hostile or broken feed holds, as bytes: CSV and formula characters, every line end and
# blank Python knows, encodings other than UTF-8, and lines near and far over the length limits.
HOSTILE_LINES = [
    b'"quoted".com',
    b"a,b.com",
    b'http://x.com/?q="a,b"',
    b"=1+1",
    b"+cx-mem.com",
    b"-cx-mem.com",
    b"@cx-mem.com",
    b"\t=tab-first.com",
    b"  padded.example.com  ",
    b"cx-mem.com,zlaq.com",
    "证书查询.中国".encode(),
    "ｃｘ－ｍｅｍ．ｃｏｍ".encode(),  # full width: NFKC folds it to ASCII
    "例子，测试.com".encode(),  # a full-width comma NFKC turns into a CSV comma
    "mohurd。gov。cn。xyz".encode(),
    b"xn--80ak6aa92e.com",
    "证书查询.com".encode("gbk"),
    b"\xff\xfe\x00bad",
    b"\xe4\xb8",  # a cut UTF-8 sequence
    b"\x00\x01\x02.com",
    b"lone\rcarriage.com",  # \r alone ends a line too
    b"crlf.example.com\r",
    "\u2028sep.com\u0085".encode(),
    b"\x0bvtab.com\x0c",
    b"\x1cfile-sep.com",
    "\ufeffmid-bom.com".encode(),
    b" ",
    b"",
    b"a" * MAX_INPUT_LINE,
    b"a" * (MAX_INPUT_LINE + 1),
    b"'already-quoted.com",
    b"@shop.example.com",  # a URL's empty user name: the host is fine, the cell needs neutralising
    b"=@shop.example.com",
    b"+@shop.example.com",
    b"-@shop.example.com",
    b"http://shop.example.com/?a,b",  # a comma in a URL with a fine host
    b'http://shop.example.com/"a"',
    b'cx-mem.com"',
]
# Lines longer than the reader holds: cut while read, their rows must not change.
LONG_LINES = [
    b" " * 5_000 + b"cx-mem-gov.com",
    b"x" * 100 + b" " * (HELD_CHARS + 10),
    b"y" * 100 + b" " * (HELD_CHARS + 10) + b"z",
    b" " * (HELD_CHARS * 3) + b"cx-mem.com",
    b"\xe8\xaf" * HELD_CHARS,
]


def reference_csv(source: Iterable[str], threshold: int = 50) -> str:
    """The score-domains output as csv.DictWriter over domain_row gave it before the fast writer,
    from the lines of ``source`` as iterating over a text file gives them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DOMAIN_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, line in enumerate(source, 1):
        writer.writerow(
            {key: neutralise(value) for key, value in domain_row(number, line, threshold).items()}
        )
    return out.getvalue()


def hostile_feed(count: int = 3_000, seed: int = 10) -> bytes:
    """A UTF-8 BOM, every hostile and long line, then ordinary and lookalike names with hostile
    lines mixed in; no final newline."""
    rng = random.Random(seed)
    ordinary = [b"www.shop%d.com" % n for n in range(50)] + [
        b"cx-mem-gov.com",
        b"zlaq-mohurd.cn",
        b"e-cqs8.net",
        b"cnse.e-cqs.cn",
        b"mem.gov.cn.x.top",
    ]
    lines = [rng.choice(HOSTILE_LINES if rng.random() < 0.3 else ordinary) for _ in range(count)]
    feed = HOSTILE_LINES + LONG_LINES + lines
    return b"\xef\xbb\xbf" + b"\n".join(feed) + b"\r\nlast-without-newline.com"


def reference_of_file(path: Path, threshold: int = 50) -> bytes:
    """The reference output for a file opened as score-domains opened it before."""
    with path.open(encoding="utf-8-sig", errors="replace") as source:
        return reference_csv(source, threshold).encode()


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.mark.parametrize("chunk_chars", [7, 4_096, domain_feed.CHUNK_CHARS])
def test_output_is_byte_identical_to_the_reference_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_chars: int
) -> None:
    feed = hostile_feed()
    source = tmp_path / "feed.txt"
    source.write_bytes(feed)
    monkeypatch.setattr(domain_feed, "CHUNK_CHARS", chunk_chars)  # line ends across every read
    result = CliRunner().invoke(main, ["score-domains", str(source)])
    assert result.exit_code == 0, result.output
    expected = reference_of_file(source)
    assert result.stdout_bytes == expected
    rows = _rows(expected.decode())
    lookalikes = sum(row["is_lookalike"] == "yes" for row in rows)
    assert 0 < lookalikes < len(rows)  # both kinds of row, the fast and the csv one, are there
    assert result.stderr.strip() == f"已评分 {len(rows)} 行：仿冒域名 {lookalikes} 个"


def test_stdin_gives_the_same_bytes_as_a_file_and_a_threshold_of_zero_flags_everything(
    tmp_path: Path,
) -> None:
    feed = hostile_feed(500, seed=11)
    source = tmp_path / "feed.txt"
    source.write_bytes(feed)
    from_stdin = CliRunner().invoke(main, ["score-domains", "--threshold", "0", "-"], input=feed)
    from_file = CliRunner().invoke(main, ["score-domains", "--threshold", "0", str(source)])
    assert from_stdin.exit_code == from_file.exit_code == 0
    assert from_stdin.stdout_bytes == from_file.stdout_bytes
    assert from_stdin.stdout_bytes == reference_of_file(source, threshold=0)
    assert {row["is_lookalike"] for row in _rows(from_stdin.stdout)} == {"yes"}


def test_empty_input_prints_the_header_only() -> None:
    result = CliRunner().invoke(main, ["score-domains", "-"], input=b"")
    assert result.exit_code == 0
    assert result.stdout == ",".join(DOMAIN_CSV_COLUMNS) + "\n"
    assert "已评分 0 行" in result.stderr


class _Streamed:
    """A text stream over ``text`` that hands out at most ``most`` characters a read."""

    def __init__(self, text: str, most: int = 65_536) -> None:
        self.text, self.at, self.most = text, 0, most

    def read(self, size: int) -> str:
        piece = self.text[self.at : self.at + min(size, self.most)]
        self.at += len(piece)
        return piece


def test_a_10_mb_line_is_held_in_bounded_memory_and_reported_overlong() -> None:
    size = 10 * 1024 * 1024
    out = io.StringIO()
    source = _Streamed("cx-mem.com" + "a" * (size - 10))  # 10 MiB, before memory is traced
    tracemalloc.start()
    counts = score_domain_feed(source, out, 50)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # held whole, the line alone would take 10 MiB
    (row,) = _rows(out.getvalue())
    assert counts.lines == 1 and counts.lookalikes == 0
    assert row["input"] == ("cx-mem.com" + "a" * 300)[:253]
    assert row["reasons"] == f"输入行超过 {MAX_INPUT_LINE} 个字符"


@pytest.mark.parametrize("most", [HELD_CHARS, 65_536])
@pytest.mark.parametrize(
    "line",
    [
        " " * HELD_CHARS + "cx-mem-gov.com",  # blanks first: the name is still scored
        " " * (2 * 1024 * 1024) + "cx-mem-gov.com",
        "cx-mem-gov.com" + " " * (2 * 1024 * 1024),  # blanks after: likewise
        "cx-mem-gov.com" + " " * (2 * 1024 * 1024) + "x",  # text beyond: overlong
        " " * (2 * 1024 * 1024),  # blank, with no line end: still a line
    ],
)
def test_long_lines_cut_while_read_give_the_row_of_the_whole_line(line: str, most: int) -> None:
    out = io.StringIO()
    score_domain_feed(_Streamed(line, most), out, 50)
    assert out.getvalue() == reference_csv(io.StringIO(line))


def test_every_line_gets_a_row_in_input_order(tmp_path: Path) -> None:
    source = tmp_path / "domains.txt"
    source.write_text("\n".join(BAD_AND_GOOD) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score-domains", str(source)])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [row["line"] for row in rows] == [str(n) for n in range(1, len(BAD_AND_GOOD) + 1)]
    by_line = {int(row["line"]): row for row in rows}
    assert by_line[1]["domain"] == "cx.mem.gov.cn.zscx.top"
    assert by_line[1]["is_lookalike"] == "yes" and by_line[1]["target"] == "cx.mem.gov.cn"
    assert "embedded_official_host" in by_line[1]["reasons"]
    assert (
        by_line[2]["domain"] == "zlaq-mohurd.com" and by_line[2]["target"] == "zlaq.mohurd.gov.cn"
    )
    assert by_line[3]["reasons"] == "空行"
    assert "IP" in by_line[4]["reasons"]
    assert "253" in by_line[5]["reasons"] and by_line[5]["is_lookalike"] == "no"
    assert "IDN" in by_line[6]["reasons"]
    assert by_line[7]["input"].startswith("'=")  # neutralised for Excel
    assert by_line[8]["is_lookalike"] == "yes" and "homoglyph" in by_line[8]["reasons"]
    assert by_line[9]["is_lookalike"] == "no"
    assert by_line[10]["score"] == "0"
    assert "gov.cn" in by_line[11]["reasons"]
    assert "官方" in by_line[12]["reasons"]


def test_reads_stdin_and_a_higher_threshold_changes_only_is_lookalike() -> None:
    text = "cx-mem-gov.com\nmem.com\n"
    default = _rows(CliRunner().invoke(main, ["score-domains", "-"], input=text).stdout)
    strict = _rows(
        CliRunner().invoke(main, ["score-domains", "--threshold", "95", "-"], input=text).stdout
    )
    assert [r["is_lookalike"] for r in default] == ["yes", "no"]
    assert [r["score"] for r in strict] == [r["score"] for r in default]
    assert strict[0]["is_lookalike"] == ("yes" if int(default[0]["score"]) >= 95 else "no")


def test_undecodable_bytes_are_reported_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("证书查询.com\n".encode("gbk") + b"\xff\xfe\x00\n" + b"cx-rnem.com\n")
    result = CliRunner().invoke(main, ["score-domains", str(source)])
    assert result.exit_code == 0
    rows = _rows(result.stdout)
    assert len(rows) == 3
    assert rows[0]["reasons"] and rows[1]["reasons"]  # replacement characters: not a host name
    assert rows[2]["is_lookalike"] == "yes"
