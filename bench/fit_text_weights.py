"""Fit the text score's weights (keywords/fitted_weights.tsv) on the dev sets, cross-validated.

../shared/DETECTION.md §3: instead of hand-set points with caps, a logistic model over the scorer's
own features (``leads.judge.text_fitted.text_features``: concept points, certificate, contact,
frames, negative words per context, the rules' score) gets its weights from labelled texts. Only
the dev sets are read (labelled_texts.tsv, texts_dev.tsv, texts_dev2.tsv, texts_dev3.tsv,
texts_dev4.tsv, texts_dev5a/b.tsv … texts_dev8a/b.tsv) — never the held-out set
nor the real lines of ../shared/realdata, which stay the check. L2-regularised, fitted with scipy's
L-BFGS-B; the weights of sales evidence are kept ≥ 0 and those of negative contexts ≤ 0, so every
reason points the way an analyst expects. It is fitted on all dev texts but, as in the scorer, only
raises the rules' score of the texts ``fitted_applies`` lets it (a sales claim, not about papers
other than safety- production certificates): the verdict is the rules' lead or the model's.

It prints, for the rules and for the model, precision and recall cross-validated by leaving one
dev set out at a time (the model never sees the set it is scored on) and by five folds over the
text kinds. The threshold is moved (the bias shifted) so that out-of-fold precision stays
≥ --precision, then the model is refitted on all dev sets and, with --write, saved with the
date, the data and a label and meaning per feature. Written to keywords/fitted_weights.tsv, the
file lets the model raise ``score_text``'s hand-set score (and so score-text's, the crawl's and
detection_bench.py's; README section "Fitted weights"). Remove the file to go back.

Usage: .venv/bin/python bench/fit_text_weights.py [--l2 1.0] [--precision 0.995] [--write PATH]
"""

from __future__ import annotations

import argparse
import datetime
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
from detection_bench import (
    BLIND_ROUNDS,
    DEV_FILES,
    ROOT,
    read_labelled,
)
from scipy.optimize import minimize
from scipy.special import expit

from keywords import load_library
from keywords.fitted import FITTED_FILE
from leads.judge.text_fitted import RULES_SCALE
from leads.judge.text_frames import FRAME_REASONS
from leads.judge.text_score import CONTEXT_NAMES, TextScorer
from leads.judge.verdict import ABOUT_FAKES_CONTEXTS, LEAD_THRESHOLD

MIN_SEEN = 3  # a feature seen in fewer dev texts gets no weight of its own
FOLDS = 5
SIGN_FREE = ("families", "flag.quoted", "flag.denied", "flag.other_documents")
FIXED_LABELS = {
    "certificate": "证书名称",
    "families": "多类证书",
    "contact.direct": "含直接联系方式",
    "contact.indirect": "含间接联系方式",
    "flag.quoted": "引号中的推销用语",
    "flag.denied": "否定说法中的推销用语",
    "flag.other_documents": "非安全生产类证件",
    "rules": "规则得分",
}
MEANINGS = {
    "concept": "points of the concept counted by the rules / 25",
    "certificate": "certificate points of the rules (best name, further families) / 25",
    "families": "certificate families named beyond the first",
    "contact": "1 when the text gives such a contact",
    "frame": "1 when the rules' frame holds",
    "context": "weight of the negative words of this context / 30",
    "flag": "1 when it holds",
    "rules": "the hand-set rules' score / 100",
}


class Data:
    """The dev texts as a feature matrix, with labels, set names, kinds, contexts and whether
    the model may raise them (``applies``)."""

    def __init__(self) -> None:
        library = load_library()
        scorer = TextScorer(library)  # no fitted weights: the rules' features and score
        rows, self.labels, self.sets, self.kinds, self.about_fakes, applies = [], [], [], [], [], []
        for path in [*DEV_FILES, *(path for number in range(3, 9)
                                     for path in BLIND_ROUNDS[f"dev{number}"])]:
            for sample in read_labelled(path):
                result = scorer.score(sample.text)
                rows.append(result.features)
                self.labels.append(sample.label)
                self.sets.append(path.name)
                self.kinds.append(sample.kind)
                self.about_fakes.append(result.context in ABOUT_FAKES_CONTEXTS)
                applies.append(result.fitted_applies)
        self.applies = np.array(applies)
        counts: dict[str, int] = {}
        for row in rows:
            for name in row:
                counts[name] = counts.get(name, 0) + 1
        self.names = sorted(name for name, n in counts.items() if n >= MIN_SEEN)
        self.x = np.array([[row.get(name, 0.0) for name in self.names] for row in rows])
        self.y = np.array(self.labels, dtype=float)
        self.rules = self.x[:, self.names.index("rules")] * RULES_SCALE
        self.blocked = np.array(self.about_fakes)
        self.library = library


def bounds(names: list[str]) -> list[tuple[float | None, float | None]]:
    """Sales evidence ≥ 0, negative contexts ≤ 0, flags free; the bias (last) free."""
    def one(name: str) -> tuple[float | None, float | None]:
        if name in SIGN_FREE:
            return (None, None)
        return (None, 0.0) if name.startswith("context.") else (0.0, None)
    return [*map(one, names), (None, None)]


def fit(x: np.ndarray, y: np.ndarray, names: list[str], l2: float) -> np.ndarray:
    """Weights then bias of the L2-regularised logistic regression (bias not regularised)."""
    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta[:-1] + theta[-1]
        p = expit(z)
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += 0.5 * l2 * np.sum(theta[:-1] ** 2)
        grad = np.append(x.T @ (p - y) + l2 * theta[:-1], np.sum(p - y))
        return value, grad
    start = np.zeros(x.shape[1] + 1)
    return minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds(names)).x


def flags(data: Data, logits: np.ndarray, threshold: float) -> np.ndarray:
    """The verdict: the rules' lead, or the model's where it may raise; never about fakes."""
    model = data.applies & (logits >= threshold)
    return ((data.rules >= LEAD_THRESHOLD) | model) & ~data.blocked


def out_of_fold(data: Data, folds: np.ndarray, l2: float) -> np.ndarray:
    """Each text's logit from a model fitted without its fold."""
    logits = np.zeros(len(data.y))
    for fold in np.unique(folds):
        held = folds == fold
        theta = fit(data.x[~held], data.y[~held], data.names, l2)
        logits[held] = data.x[held] @ theta[:-1] + theta[-1]
    return logits


def figures(flagged: np.ndarray, y: np.ndarray) -> str:
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    fn = int(np.sum(~flagged & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    return f"P {precision:.3f} R {tp / (tp + fn):.3f} FP {fp} FN {fn}"


def shift_for_precision(logits: np.ndarray, data: Data, goal: float) -> float:
    """The smallest logit threshold ≥ 0 at which out-of-fold precision reaches ``goal``."""
    for threshold in np.arange(0.0, 6.0, 0.1):
        flagged = flags(data, logits, threshold)
        tp = np.sum(flagged & (data.y == 1))
        if tp and tp / np.sum(flagged) >= goal:
            return float(threshold)
    return 6.0


def report(data: Data, name: str, folds: np.ndarray, l2: float, shift: float) -> np.ndarray:
    """Print rules and model figures for one cross-validation scheme, overall and per fold."""
    logits = out_of_fold(data, folds, l2)
    rules = (data.rules >= LEAD_THRESHOLD) & ~data.blocked
    model = flags(data, logits, shift)
    print(f"\n## {name} (l2 {l2}, threshold logit {shift:+.1f})")
    print(f"all      rules {figures(rules, data.y)} | model {figures(model, data.y)}")
    for fold in np.unique(folds):
        part = folds == fold
        print(f"{str(fold)[:18]:18} rules {figures(rules[part], data.y[part])} | "
              f"model {figures(model[part], data.y[part])}")
    return logits


def label(name: str, data: Data) -> str:
    kind, _, rest = name.partition(".")
    if name in FIXED_LABELS:
        return FIXED_LABELS[name]
    if kind == "concept":
        return data.library.concept_names[rest].label
    if kind == "frame":
        return FRAME_REASONS[rest]
    return f"{CONTEXT_NAMES.get(rest, rest)}语境"


def write(data: Data, theta: np.ndarray, shift: float, l2: float, path: Path) -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    lines = [
        "# Fitted weights of the text score (leads.judge.text_fitted; ../shared/DETECTION.md §3).",
        "# score = 100·σ(bias + Σ weight·value); 50 is the lead threshold. Written by",
        "# bench/fit_text_weights.py --write (refit after changing the concepts or the dev sets).",
        f"# fitted: {today}",
        *textwrap.wrap(
            f"data: tests/data/ {', '.join(dict.fromkeys(data.sets))} ({len(data.y)} texts, "
            f"{int(data.y.sum())} leads);", 96, initial_indent="# ", subsequent_indent="# "),
        "# never the held-out set nor the real lines",
        "# applied only to raise texts with a sales claim, not about other papers (fitted_applies)",
        f"# l2 {l2}; threshold moved by {shift:+.1f} logit for out-of-fold precision "
        "(leave one dev set out)",
        "feature\tweight\tlabel\tmeaning",
        f"bias\t{theta[-1] - shift:.3f}\t常数项\tthe logit of a text with no feature",
    ]
    for name, weight in zip(data.names, theta[:-1], strict=True):
        if abs(weight) >= 1e-3:
            meaning = MEANINGS[name.partition(".")[0]]
            lines.append(f"{name}\t{weight:.3f}\t{label(name, data)}\t{meaning}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    features = sum(not line.startswith("#") for line in lines) - 2  # header, bias
    print(f"\nwrote {path} ({features} features)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    parser.add_argument("--precision", type=float, default=0.995,
                        help="out-of-fold precision the threshold must keep")
    parser.add_argument("--write", type=Path, nargs="?", const=ROOT / "keywords" / FITTED_FILE,
                        help=f"write the weights (default keywords/{FITTED_FILE}: switches the "
                        "scorer to them)")
    parser.add_argument("--without-rules", action="store_true",
                        help="leave the rules' score out of the features (pure fitted model)")
    args = parser.parse_args(argv)
    data = Data()
    if args.without_rules:
        keep = [i for i, name in enumerate(data.names) if name != "rules"]
        data.names = [data.names[i] for i in keep]
        data.x = data.x[:, keep]
    print(f"{len(data.y)} dev texts, {int(data.y.sum())} leads, {len(data.names)} features")
    by_set = np.array(data.sets)
    kinds = sorted(set(data.kinds))
    kind_fold: Callable[[str], int] = lambda kind: kinds.index(kind) % FOLDS  # noqa: E731
    by_kind = np.array([kind_fold(kind) for kind in data.kinds])
    logits = report(data, "leave one dev set out", by_set, args.l2, 0.0)
    shift = shift_for_precision(logits, data, args.precision)
    report(data, "leave one dev set out", by_set, args.l2, shift)
    report(data, f"{FOLDS} folds by kind", by_kind, args.l2, shift)
    theta = fit(data.x, data.y, data.names, args.l2)
    whole = flags(data, data.x @ theta[:-1] + theta[-1], shift)
    print(f"\nrefit on all dev sets: {figures(whole, data.y)}")
    if args.write:
        write(data, theta, shift, args.l2, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
