"""The layout's promises (docs/ARCHITECTURE.md), checked on the tree as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import leads
from leads.judge import scoring_version as scoring
from leads.store import Store

ROOT = Path(__file__).resolve().parent.parent
LEADS = Path(leads.__file__).parent
# Declarative data and the demo web's tables of sites and engine markup may be long.
# engines.py: one simulated result page per engine, side by side; migrations.py: the schema's
# append-only history, one function per migration, read whole by `sqlite-utils migrate --list`.
LONG_BY_DESIGN = {"crawler/demoweb/engines.py", "leads/store/migrations.py"}
MAX_MODULE_LINES = 400


def test_stored_verdicts_survive_a_new_document_layout() -> None:
    """Only the judge wing and the keyword library are hashed: a new PDF template, a store query
    or an evidence change keeps every stored verdict."""
    hashed = {path.resolve() for path in scoring.scored_files()}
    assert {p.resolve() for p in (LEADS / "judge").glob("*.py")} <= hashed
    assert (ROOT / "keywords" / "concepts.tsv").resolve() in hashed
    for wing in ("referral", "store", "evidence", "egress", "feeds", "plan"):
        assert not [p for p in hashed if (LEADS / wing).resolve() in p.parents], wing


def test_scoring_version_changes_with_the_judging(tmp_path, monkeypatch) -> None:
    """A changed judging file changes the fingerprint; a changed referral file does not."""
    scoring.scoring_version.cache_clear()
    before = scoring.scoring_version()
    judge = tmp_path / "judge"
    judge.mkdir()
    for path in (LEADS / "judge").glob("*.py"):
        (judge / path.name).write_bytes(path.read_bytes())
    (judge / "verdict.py").write_text((judge / "verdict.py").read_text() + "\n# changed\n")
    monkeypatch.setattr(scoring, "JUDGE", judge)
    scoring.scoring_version.cache_clear()
    try:
        assert scoring.scoring_version() != before
    finally:
        scoring.scoring_version.cache_clear()


def test_migrations_are_readable_by_sqlite_utils(tmp_path) -> None:
    """``sqlite-utils migrate DB leads/store/migrations.py --list`` lists what a store applied."""
    db = tmp_path / "j.db"
    Store(db).close()
    listed = subprocess.run(
        [Path(sys.executable).with_name("sqlite-utils"), "migrate", str(db),
         str(LEADS / "store" / "migrations.py"), "--list"],
        capture_output=True, text=True, check=True).stdout
    applied = listed.split("Pending:")[0]
    assert "m001_initial" in applied and "m008_candidate_probes" in applied
    assert "(none)" in listed.split("Pending:")[1]


def test_no_module_is_over_400_lines() -> None:
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    long = {path: n for path in tracked if not path.startswith(("tests/", "bench/"))
            and path not in LONG_BY_DESIGN
            and (n := len((ROOT / path).read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}
