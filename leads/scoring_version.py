"""A fingerprint of everything a verdict depends on (the keyword library's data files and the
scoring code in leads/), so a stored verdict is reused only while the scoring is the same."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import keywords
import leads

DATA_SUFFIXES = (".tsv", ".toml")


@cache
def scoring_version() -> str:
    digest = hashlib.sha256()
    try:
        digest.update(version("jiazheng").encode())
    except PackageNotFoundError:  # running from a checkout that was never installed
        digest.update(b"source")
    data = Path(keywords.__file__).parent
    code = Path(leads.__file__).parent
    files = [p for p in data.iterdir() if p.suffix in DATA_SUFFIXES] + list(code.glob("*.py"))
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
