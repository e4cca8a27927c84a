"""``jiazheng score-text``: one JSON line per input line, in order; bad lines become error
records and the run goes on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from leads.judge.batch import MAX_LINE_BYTES, judge_text, score_stream

ROOT = Path(__file__).parent.parent
AD = "電工證免考包過，官網可查，加V信：dgz_2024"
NEWS = "本报讯 警方提醒：网上“免考包过”的电工证都是假证，犯罪嫌疑人已被抓获。"


def _records(data: bytes, input_format: str = "auto", encoding: str = "utf-8") -> list[dict]:
    out = io.StringIO()
    score_stream(io.BytesIO(data), out, input_format, encoding)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_line_gets_a_record_in_input_order():
    lines = [AD, NEWS, "电工证", AD + " 第二遍"] * 50
    records = _records("\n".join(lines).encode())
    assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
    assert [r["is_lead"] for r in records] == [judge_text(line).is_lead for line in lines]
    first = records[0]
    assert first["category"] == "fake_ad" and first["score"] >= 80
    assert first["terms"] == {"certificate": ["电工证"], "fraud": ["免考", "包过", "官网可查"]}
    assert first["contacts"] == ["wechat:dgz_2024"]
    assert first["reasons"][0].startswith("页面含办证推销用语")
    assert records[1]["category"] == "none" and records[1]["context"] == "news"
    assert first["scope"] == "safety"


def test_a_seller_of_other_papers_is_a_lead_with_its_scope():
    [record] = _records("办理驾驶证、毕业证，不用考试，快速拿证，电话13812345678".encode())
    assert record["is_lead"] and record["scope"] == "other_documents"
    assert any("非安全生产类证件" in reason for reason in record["reasons"])


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"", "empty_line"),
        (b"   \t ", "empty_line"),
        (b"\x89PNG\r\x1a\x00\x00\x00\rIHDR", "binary"),
        (b"\x01\x02\x03\x04\x05\x06abc", "binary"),
        ("電工證".encode("big5"), "invalid_encoding"),
        ("电工证免考".encode("gbk"), "invalid_encoding"),
        (b"\xff\xfe\xfd", "invalid_encoding"),
        (b'{"text": ""}', "empty_line"),
    ],
)
def test_bad_line_becomes_an_error_record_and_the_run_goes_on(raw: bytes, error: str):
    records = _records(AD.encode() + b"\n" + raw + b"\n" + AD.encode() + b"\n")
    assert [r["line"] for r in records] == [1, 2, 3]
    assert records[1]["error"] == error
    assert records[1]["message"]  # a sentence for the analyst
    assert "score" not in records[1]
    assert records[0]["is_lead"] and records[2]["is_lead"]


def test_a_10_mb_line_is_skipped_without_being_held_in_memory():
    huge = b"\xe5\x8a\x9e" * (10_000_000 // 3)  # 10 MB of 办
    data = AD.encode() + b"\n" + huge + b"\n" + AD.encode()
    score_stream(io.BytesIO(AD.encode()), io.StringIO())  # load the scorer before measuring
    tracemalloc.start()
    try:
        records = _records(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.get("error") for r in records] == [None, "line_too_long", None]
    assert records[2]["is_lead"]
    assert peak < 3 * MAX_LINE_BYTES  # a chunk or two, never the 10 MB line


def test_a_line_of_exactly_the_limit_is_scored():
    line = ("电工证免考包过" + "。" * MAX_LINE_BYTES)[: MAX_LINE_BYTES // 3]
    records = _records(line.encode() + b"\n" + AD.encode())
    assert "error" not in records[0]
    assert records[1]["is_lead"]


def test_gbk_and_big5_files_are_read_with_their_encoding():
    gbk = _records("电工证免考包过，官网可查，电话13812345678".encode("gbk"), encoding="gb18030")
    big5 = _records("電工證免考包過，官網可查，電話13812345678".encode("big5"), encoding="big5")
    assert gbk[0]["is_lead"] and big5[0]["is_lead"]
    assert gbk[0]["contacts"] == big5[0]["contacts"] == ["phone:13812345678"]
    assert _records(b"\xff\xff", encoding="big5")[0]["message"] == "不是有效的 BIG5 文本"


def test_json_lines_keep_their_id_and_plain_lines_are_texts():
    data = "\n".join(
        [
            json.dumps({"id": "a-1", "text": AD}, ensure_ascii=False),
            AD,
            "{电工证免考包过，官网可查，电话13812345678",  # braces but not JSON: a text in auto
            json.dumps({"id": 3, "url": "http://x"}),
        ]
    ).encode()
    records = _records(data)
    assert records[0]["id"] == "a-1" and records[0]["is_lead"]
    assert "id" not in records[1] and records[1]["is_lead"]
    assert records[2]["is_lead"]
    assert records[3]["error"] == "missing_text"


def test_jsonl_format_rejects_lines_that_are_not_json_objects():
    data = b'{"text": "\xe7\x94\xb5\xe5\xb7\xa5\xe8\xaf\x81"}\n[1, 2]\n{broken\n'
    records = _records(data, "jsonl")
    assert "error" not in records[0]
    assert [r.get("error") for r in records[1:]] == ["invalid_json", "invalid_json"]


def test_text_format_scores_json_looking_lines_as_text():
    records = _records(json.dumps({"text": "abc"}).encode(), "text")
    assert "error" not in records[0] and records[0]["score"] == 0


def test_a_byte_order_mark_and_crlf_are_not_part_of_the_text():
    records = _records(b"\xef\xbb\xbf" + AD.encode() + b"\r\n" + AD.encode() + b"\r\n")
    assert records[0] == records[1] | {"line": 1}


def test_cli_reads_a_file_and_prints_a_summary_on_stderr(tmp_path: Path):
    source = tmp_path / "ads.txt"
    source.write_bytes(f"{AD}\n\n{NEWS}\n".encode())
    result = CliRunner().invoke(main, ["score-text", str(source)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("category", r.get("error")) for r in records] == [
        "fake_ad",
        "empty_line",
        "none",
    ]
    assert "已评分 3 行：线索 1 条，无法评分 1 行" in result.stderr


def test_cli_missing_file_fails_clearly(tmp_path: Path):
    result = CliRunner().invoke(main, ["score-text", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt" in result.output


def test_command_reads_stdin_in_a_real_process():
    completed = subprocess.run(
        [sys.executable, "-m", "crawler", "score-text", "-"],
        input=f"{AD}\n{NEWS}\n".encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    records = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [r["is_lead"] for r in records] == [True, False]
    assert "线索 1 条" in completed.stderr.decode()
