"""The fitted weights of the text score (fitted_weights.tsv), read and checked.

``bench/fit_text_weights.py`` writes the file: one row per feature of
``leads.judge.text_fitted`` with its weight, the Chinese label shown in reasons and what it
means, a ``bias`` row, and ``# fitted:`` / ``# data:`` comment lines saying when and from what.
No file means no fitted model: the scorer then scores by its hand-set points alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from keywords.load import DEFAULT_DIRECTORY

FITTED_FILE = "fitted_weights.tsv"
COLUMNS = ["feature", "weight", "label", "meaning"]
BIAS = "bias"


@dataclass(frozen=True)
class FittedWeights:
    """A logistic model: bias, feature → weight, feature → label, and when it was fitted."""

    bias: float
    weights: dict[str, float]
    labels: dict[str, str]
    fitted_on: str  # the date of the fit, shown in the reason line


def read_fitted(path: Path) -> FittedWeights:
    """Parse ``path``; ``ValueError("fitted_weights.tsv:LINE: …")`` on a bad line."""
    weights: dict[str, float] = {}
    labels: dict[str, str] = {}
    fitted_on, header_seen = "", False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        if line.startswith("# fitted:"):
            fitted_on = line.removeprefix("# fitted:").strip()
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        if not header_seen:
            if cells != COLUMNS:
                raise ValueError(f"{where}: header must be {' '.join(COLUMNS)}")
            header_seen = True
            continue
        if len(cells) != len(COLUMNS) or not all(cells):
            raise ValueError(f"{where}: needs {len(COLUMNS)} non-empty cells")
        name, raw, label, _ = cells
        try:
            weight = float(raw)
        except ValueError:
            raise ValueError(f"{where}: weight must be a number, got {raw!r}") from None
        if not math.isfinite(weight) or name in weights:
            raise ValueError(f"{where}: weight not finite or {name} repeated")
        weights[name], labels[name] = weight, label
    if BIAS not in weights or not fitted_on:
        raise ValueError(f"{path.name}: needs a {BIAS} row and a '# fitted:' line")
    bias = weights.pop(BIAS)
    labels.pop(BIAS)
    return FittedWeights(bias, weights, labels, fitted_on)


@cache
def load_fitted(directory: Path = DEFAULT_DIRECTORY) -> FittedWeights | None:
    """The fitted weights in ``directory``, or None when it has no fitted_weights.tsv."""
    path = Path(directory) / FITTED_FILE
    return read_fitted(path) if path.exists() else None
