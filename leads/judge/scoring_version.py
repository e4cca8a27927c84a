"""A fingerprint of everything a verdict depends on (the keyword library: its data files and its
loader; the judging code in leads/judge/), so a stored verdict is reused only while the judging is
the same. Documents, the store and the crawler are left out on purpose: a new PDF layout or a new
query must not throw away verdicts analysts have already reviewed."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import keywords

JUDGE = Path(__file__).parent
KEYWORDS = Path(keywords.__file__).parent
DATA_SUFFIXES = (".tsv", ".toml", ".py")


def scored_files() -> list[Path]:
    """The files a verdict depends on: the keyword library and the judge wing's code."""
    files = [p for p in KEYWORDS.iterdir() if p.suffix in DATA_SUFFIXES] + list(JUDGE.glob("*.py"))
    return sorted(files)


@cache
def scoring_version() -> str:
    digest = hashlib.sha256()
    try:
        digest.update(version("jiazheng").encode())
    except PackageNotFoundError:  # running from a checkout that was never installed
        digest.update(b"source")
    for path in scored_files():
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
