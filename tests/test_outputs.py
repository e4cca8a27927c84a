"""Outputs are whole or absent, private, numbered without collisions; a full disk, an I/O error or a
damaged database is a clear message and a non-zero exit, and nothing stored is lost."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from crawler.demoweb.server import DemoWeb
from leads.outputs import OutputError, atomic_file, remove_leftovers
from leads.referral.export import COLUMNS, export_leads, lead_row
from leads.referral.packets import build_packet
from leads.referral.tables import write_csv
from leads.store import Store, StoreCorruptError
from tests.conftest import make_page, make_verdict

URLS = [f"http://seller-{n}.example.com/" for n in range(6)]


def seed(path: Path, confirmed: bool = False) -> Path:
    """Leads for every agency; ``confirmed``: an analyst confirmed each (packets refer only those)."""
    store = Store(path)
    run = store.start_run("seed", {})
    for url in URLS:
        store.save_page(run, make_page(url, verdict=make_verdict(
            agencies=("公安", "网信", "市场监管"))))
        if confirmed:
            store.set_state(store.lead_id(url), "confirmed", "analyst")
    store.finish_run(run, "finished", {})
    store.close()
    return path


def jiazheng(*args: str, file_limit: int = 0, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process; ``file_limit`` caps the size of any file it writes (RLIMIT_FSIZE:
    a write past it fails with EFBIG, as on a full disk)."""
    def limit() -> None:
        if file_limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=600, check=False, preexec_fn=limit,
                          env={**os.environ, **(env or {})})


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "leads.csv"
    out.write_text("昨天的线索表", encoding="utf-8")

    def rows():  # the export dies halfway
        yield lead_row({"id": 1, "url": "u", "host": "h", "registered_domain": "d",
                        "category": "fake_ad", "score": 80, "target": "", "contacts": [],
                        "agencies": [], "reasons": [], "first_seen": "", "last_seen": "",
                        "title": "", "state": "new", "note": "", "parent_url": ""})
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_csv(COLUMNS, rows(), out)
    assert out.read_text(encoding="utf-8") == "昨天的线索表"
    assert [p.name for p in tmp_path.iterdir()] == ["leads.csv"]


def test_leftovers_of_a_killed_run_are_removed_but_not_those_of_a_live_one(tmp_path: Path) -> None:
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    gone = tmp_path / f".JZ-20261203-0007.partial-{child.pid}"
    gone.mkdir()
    (gone / "线索移送函.pdf").write_bytes(b"half")
    half_file = tmp_path / f".leads.csv.partial-{child.pid}.abc.tmp"
    half_file.write_text("half")
    mine = tmp_path / f".JZ-20261203-0008.partial-{os.getpid()}"
    mine.mkdir()
    assert sorted(remove_leftovers(tmp_path)) == sorted([gone, half_file])
    assert mine.exists() and not gone.exists() and not half_file.exists()


def test_packets_of_two_agencies_built_at_once_get_distinct_numbers(tmp_path: Path) -> None:
    db = seed(tmp_path / "j.db", confirmed=True)
    with ProcessPoolExecutor(2) as pool:
        built = list(pool.map(_build, [(db, "公安", tmp_path / "out"), (db, "网信",
                                                                       tmp_path / "out")]))
    assert len(set(built)) == 2 and all(built)
    for packet_id in built:
        with zipfile.ZipFile(tmp_path / "out" / f"{packet_id}.zip") as archive:
            assert all(name.startswith(f"{packet_id}/") for name in archive.namelist())
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    with sqlite3.connect(db) as conn:  # each agency's first 发文字号 of the year
        assert conn.execute("SELECT agency, doc_number FROM packets ORDER BY agency").fetchall(
            ) == [("公安", 1), ("网信", 1)]


def test_two_packets_for_one_agency_at_once_never_share_a_lead(tmp_path: Path) -> None:
    """The second waits for the first (a lock per agency and database), then finds every lead
    referred already: one packet with all six leads, and none."""
    db = seed(tmp_path / "j.db", confirmed=True)
    with ProcessPoolExecutor(2) as pool:
        built = list(pool.map(_build, [(db, "公安", tmp_path / "out")] * 2))
    assert sorted(built)[0] == "" and sorted(built)[1].startswith("JZ-")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT lead_id) FROM referrals").fetchone(
            ) == (len(URLS), len(URLS))


def _build(job: tuple[Path, str, Path]) -> str:
    db, agency, out = job
    store = Store(db, timeout=60)
    try:
        packet = build_packet(store, agency, out)
        return packet.packet_id if packet else ""
    finally:
        store.close()


RESERVATIONS = 15


def test_two_processes_numbering_one_agency_at_once_never_share_a_number(
        tmp_path: Path) -> None:
    """发文字号 are counted per agency and year in the store: two processes taking 公安's numbers
    at the same time get 1…30 between them, each once; another year and agency start at 1."""
    db = seed(tmp_path / "j.db")
    with ProcessPoolExecutor(2) as pool:
        taken = list(pool.map(_reserve, [(db, "公安", 2026)] * 2))
    numbers = sorted(number for batch in taken for number in batch)
    assert numbers == list(range(1, 2 * RESERVATIONS + 1))
    store = Store(db)
    try:
        assert store.reserve_packet_number("公安", "2027-01-01T00:00:00+00:00", 2027).number == 1
        assert store.reserve_packet_number("网信", "2026-12-01T00:00:00+00:00", 2026).number == 1
    finally:
        store.close()
    with sqlite3.connect(db) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO packets (agency, doc_year, doc_number) VALUES ('公安', 2026, 7)")


def _reserve(job: tuple[Path, str, int]) -> list[int]:
    db, agency, year = job
    store = Store(db, timeout=60)
    try:
        return [store.reserve_packet_number(agency, f"{year}-06-01T00:00:00+00:00", year).number
                for _ in range(RESERVATIONS)]
    finally:
        store.close()


def test_a_failed_packet_leaves_no_folder_and_the_next_one_works(tmp_path: Path,
                                                                  monkeypatch) -> None:
    db = seed(tmp_path / "j.db", confirmed=True)
    store = Store(db)
    monkeypatch.setattr("leads.referral.packets._zip", _explode)
    with pytest.raises(OutputError, match="simulated disk failure"):
        build_packet(store, "公安", tmp_path / "out")
    monkeypatch.undo()
    assert list((tmp_path / "out").iterdir()) == []
    packet = build_packet(store, "公安", tmp_path / "out")
    store.close()
    assert packet is not None and packet.folder.is_dir() and packet.zip_path.is_file()


def _explode(*args: object) -> None:
    raise OSError("simulated disk failure")


def test_outputs_are_private(tmp_path: Path) -> None:
    db = seed(tmp_path / "j.db")
    result = jiazheng("export", "--db", str(db), "--out", str(tmp_path / "leads.csv"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "leads.csv").stat().st_mode & 0o777 == 0o600
    result = jiazheng("packet", "--agency", "公安", "--no-capture", "--db", str(db), "--out",
                      str(tmp_path / "packets"), "--include-unreviewed")
    assert result.returncode == 0, result.stderr
    assert "未核实6条" in "".join(result.stderr.split())
    [folder] = [p for p in (tmp_path / "packets").iterdir() if p.is_dir()]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()} == {0o600}
    shared = jiazheng("export", "--db", str(db), "--out", str(tmp_path / "shared.csv"),
                      env={"JIAZHENG_UMASK": "022"})
    assert shared.returncode == 0 and (tmp_path / "shared.csv").stat().st_mode & 0o777 == 0o644


def test_export_on_a_full_disk_keeps_the_old_file_and_exits_2(tmp_path: Path) -> None:
    db = seed(tmp_path / "j.db")
    store = Store(db)
    export_leads(store, tmp_path / "leads.csv")
    store.close()
    before = (tmp_path / "leads.csv").read_bytes()
    with sqlite3.connect(db) as conn:  # make the new export bigger than the file limit
        conn.execute("UPDATE leads SET title = ?", ["很长的标题" * 2000])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # reading it writes nothing
    result = jiazheng("export", "--db", str(db), "--out", str(tmp_path / "leads.csv"),
                      file_limit=64 * 1024)
    assert result.returncode == 2, result.stderr
    assert "无法写入" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "leads.csv").read_bytes() == before


def test_a_crawl_on_a_full_disk_stops_marks_the_run_failed_and_exits_non_zero(
        tmp_path: Path) -> None:
    db = seed(tmp_path / "j.db")
    size = os.path.getsize(db)
    with DemoWeb() as web:
        result = jiazheng("crawl", "--proxy", web.proxy_url, "--db", str(db), "--no-delay",
                          "--no-browser", "--max-queries", "2", file_limit=size + 64 * 1024)
    assert result.returncode != 0
    assert "无法写入" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM leads WHERE url LIKE 'http://seller-%'"
                            ).fetchone() == (len(URLS),)
        statuses = [row[0] for row in conn.execute("SELECT status FROM runs ORDER BY id")]
    # Marked failed when the disk still takes that update; otherwise left running, which the
    # next nightly resumes, and said so.
    assert statuses[0] == "finished" and len(statuses) == 2
    assert statuses[1] == "store_failed" or "无法标记为失败" in result.stderr


def test_a_damaged_database_is_named_at_open(tmp_path: Path) -> None:
    db = seed(tmp_path / "j.db")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with db.open("r+b") as handle:  # scribble over every page but the header page
        for page in range(1, pages):
            handle.seek(page * page_size + 8)
            handle.write(os.urandom(200))
    with pytest.raises(StoreCorruptError, match="已损坏"):
        Store(db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorruptError, match="不是 SQLite"):
        Store(junk)
    result = jiazheng("export", "--db", str(junk), "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2
    assert "不是 SQLite" in result.stderr and "Traceback" not in result.stderr


def test_an_outputerror_says_what_failed(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir-is-a-file"
    target.write_text("x")
    with pytest.raises(OutputError, match="无法写入"), atomic_file(target / "out.csv") as path:
        path.write_text("never")
