"""Lookalike domains stored by watch-ct are fetched and page-scored by the next crawl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.demoweb.server import DemoWeb
from leads.store import Store


def test_next_crawl_fetches_pending_candidates_and_judges_them(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    store = Store(db)
    store.save_domain_candidates(
        [("cnse.e-cqs.net", 80, "cnse.e-cqs.cn", ("域名仿冒 cnse.e-cqs.cn",))], "ct")
    assert store.pending_candidates(10) == ["http://cnse.e-cqs.net/"]
    store.close()
    with DemoWeb() as web:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--proxy",
             web.proxy_url, "--no-delay", "--max-queries", "1", "--no-browser",
             "-s", "JIAZHENG_FOLLOW_DEPTH=0"],
            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    store = Store(db)
    assert store.pending_candidates(10) == []
    leads = {lead["host"]: lead for lead in store.leads()}
    assert leads["cnse.e-cqs.net"]["category"] == "lookalike_site"
    assert leads["cnse.e-cqs.net"]["target"] == "cnse.e-cqs.cn"
    store.close()
