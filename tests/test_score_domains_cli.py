"""jiazheng score-domains: CSV in input order; bad lines are reported on their row, never a crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main

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


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


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
    assert rows[2]["is_lookalike"] == "yes"
