"""Shared fixtures: a real SQLite file per test, and verdict/page builders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leads.judge.observations import PageObservation
from leads.judge.verdict import Verdict
from leads.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "jiazheng.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store(db_path, timeout=1)
    yield opened
    opened.close()


def make_verdict(category: str = "fake_ad", score: int = 80, **fields: object) -> Verdict:
    values: dict[str, object] = {
        "category": category, "score": score, "target": "", "contacts": ("phone:13812345678",),
        "agencies": ("公安", "网信"), "reasons": ("页面含办证推销用语：免考、包过",),
        "signals": {"fraud_signals": 40.0},
    }
    values.update(fields)
    return Verdict(**values)  # type: ignore[arg-type]


def make_page(url: str = "http://ban-zheng.example.com/", **fields: object) -> PageObservation:
    values: dict[str, object] = {
        "url": url, "final_url": url, "role": "result", "status": 200,
        "body": "<html><title>电工证</title></html>".encode(), "encoding": "utf-8",
        "title": "电工证 包过", "text": "电工证 免考 包过", "verdict": make_verdict(),
    }
    values.update(fields)
    return PageObservation(**values)  # type: ignore[arg-type]
