"""Evidence capture and packet building, per 100 leads, over the offline demo web.

Generates 100 leads in a temporary store pointing at demo-web pages, captures them all, builds
one 公安 packet of them, and prints seconds per lead, packet build time and size. Baselines from
the same run: a plain fetch of the same 100 URLs through the same proxy (urllib, no browser),
and zipping the same evidence folders without PDF, XLSX or hash checks.

    .venv/bin/python bench/evidence_bench.py [--leads 100]
"""

from __future__ import annotations

import argparse
import shutil
import ssl
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.cli.packets import capture_settings
from crawler.demoweb.manifest import load_sites
from crawler.demoweb.server import DemoWeb
from leads.evidence.capture import capture_pending
from leads.referral.packets import build_packet
from leads.store import Store
from tests.conftest import make_page


def lead_urls(count: int) -> list[str]:
    sites = [s for s in load_sites() if s.expect in ("fake_ad", "lookalike_site")]
    return [f"{sites[i % len(sites)].scheme}://{sites[i % len(sites)].host}/?lead={i}"
            for i in range(count)]


def plain_fetch(urls: list[str], proxy: str) -> float:
    """Every request, redirects included, through the demo proxy (its CA is a throwaway)."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy}),
        urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
    started = time.perf_counter()
    for url in urls:
        with opener.open(url, timeout=30) as answer:
            answer.read()
    return time.perf_counter() - started


def zip_only(folders: list[Path], target: Path) -> float:
    started = time.perf_counter()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                archive.write(path, path.relative_to(folder.parent).as_posix())
    return time.perf_counter() - started


def size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100)
    count = parser.parse_args().leads
    work = Path(tempfile.mkdtemp(prefix="evidence-bench-"))
    try:
        store = Store(work / "j.db")
        run = store.start_run("bench", {})
        urls = lead_urls(count)
        for url in urls:
            store.save_page(run, make_page(url))
        with DemoWeb() as web:
            fetch_seconds = plain_fetch(urls, web.proxy_url)
            started = time.perf_counter()
            results = capture_pending(store, work / "evidence", capture_settings(web.proxy_url))
            capture_seconds = time.perf_counter() - started
        outcomes = {o: sum(r.outcome == o for r in results) for o in {r.outcome for r in results}}
        print(f"leads: {count}  capture outcomes: {outcomes}")
        print(f"capture: {capture_seconds:.1f} s total, {capture_seconds / count:.2f} s/lead "
              f"(one Chromium, a fresh context per lead)", flush=True)
        started = time.perf_counter()
        packet = build_packet(store, "公安", work / "packets", include_unreviewed=True)
        packet_seconds = time.perf_counter() - started
        store.close()
        assert packet is not None
        zip_seconds = zip_only([r.folder for r in results], work / "baseline.zip")
        mib = 1024 * 1024
        print(f"  baseline plain fetch of the same URLs: {fetch_seconds / count * 1000:.1f} ms/lead"
              f"  ratio {capture_seconds / max(fetch_seconds, 1e-9):.0f}x")
        print(f"evidence: {size_of(work / 'evidence') / mib:.1f} MiB "
              f"({size_of(work / 'evidence') / count / 1024:.0f} KiB/lead)")
        print(f"packet ({len(packet.lead_ids)} leads): built in {packet_seconds:.1f} s, "
              f"folder {size_of(packet.folder) / mib:.1f} MiB, "
              f"zip {packet.zip_path.stat().st_size / mib:.1f} MiB, "
              f"PDF {(packet.folder / '线索移送函.pdf').stat().st_size / 1024:.0f} KiB")
        print(f"  baseline zip of the same evidence only: {zip_seconds:.1f} s  "
              f"ratio {packet_seconds / max(zip_seconds, 1e-9):.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
