"""Fit the confidence weights (src/govreport/data/confidence.toml) on the gold, and show how they hold up.

    .venv/bin/python bench/fit_confidence.py [--fit dev_city,dev_national] [--l2 1.0]

Parses each gold folder's corpus, judges every numeric target against its gold (quality.calibration.judge:
strict match) and fits a logistic regression of right/wrong on the rule features (parsing.confidence),
written here with numpy: Newton's method on the L2-penalised log-likelihood (the intercept is not penalised).
Weights of features the fitting set cannot inform (fewer than MIN_SUPPORT values having them: the
plausibility flag, a name missing) are held at the prior values in confidence.toml, and a fitted weight against
the feature's documented direction (confidence.toml [direction]) is held at 0 and the rest refitted. Prints the fitted weights as TOML, then
the reliability and Brier scores on the fitting folders and on the held-out ones, under the fitted model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from govreport.knowledge.lexicon import load_lexicon
from govreport.parsing.confidence import FEATURES, Model, load_model, value_features
from govreport.parsing.pipeline import iter_parse
from govreport.quality.calibration import Judged, judge, summary

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FOLDERS = {"seeds": SHARED / "corpus" / "seeds", "extra": SHARED / "corpus" / "extra",
           "dev_city": SHARED / "corpus" / "dev" / "city", "dev_province": SHARED / "corpus" / "dev" / "province",
           "dev_national": SHARED / "corpus" / "dev" / "national"}
MIN_SUPPORT = 15  # a feature present (non-zero) in fewer fitting values keeps its prior weight


def labelled(name: str) -> tuple[np.ndarray, np.ndarray, list[Judged]]:
    """Feature matrix, right/wrong labels and judged values of one gold folder (calibration.judge)."""
    lex = load_lexicon()
    with open(SHARED / "gold" / f"{name}.jsonl", encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]
    reports = [r for r in iter_parse([FOLDERS[name]]) if not isinstance(r, Exception)]
    feats = {(Path(r.source.path).name, r.source.part): value_features(r, lex) for r in reports}
    judged = judge(gold, [r.to_dict(include_text=False) for r in reports], lex)
    rows = []
    for j in judged:
        values = feats[(j.doc, max(j.part, 1))]
        offset = 0 if j.kind == "target" else sum(kind == "target" for kind, _, _ in values)
        rows.append([values[offset + j.idx][2][f] for f in FEATURES])
    return np.array(rows, dtype=float), np.array([j.right for j in judged], dtype=float), judged


def fit(x: np.ndarray, y: np.ndarray, free: np.ndarray, prior: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """Logistic regression by Newton's method; columns not ``free`` keep their ``prior`` weight (an offset)."""
    offset = x[:, ~free] @ prior[~free]
    a = np.hstack([np.ones((len(x), 1)), x[:, free]])
    w = np.zeros(a.shape[1])
    penalty = np.full(a.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(a @ w + offset)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = prior.copy()
    weights[free] = w[1:]
    return float(w[0]), weights


def rescored(judged: list[Judged], x: np.ndarray, model: Model) -> list[Judged]:
    return [Judged(j.doc, j.part, j.kind, j.idx, model.score(dict(zip(FEATURES, row))), j.right)
            for j, row in zip(judged, x)]


def show(title: str, table: dict) -> None:
    print(f"\n{title}: {table['values']} values, precision {table['precision']}, "
          f"Brier {table['brier']} (constant predictor {table['brier_constant']})")
    print("  confidence   values  mean confidence  observed precision")
    for b in table["bins"]:
        print(f"  {b['low']:.2f}-{b['high']:.2f}  {b['n']:8d}  {b['mean_confidence']:15.3f}  {b['precision']:18.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", default="dev_city,dev_national", help="gold folders to fit on (the rest: held out)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    parser.add_argument("--per-folder", action="store_true", help="also show each folder's table")
    args = parser.parse_args()
    fit_on = args.fit.split(",")
    data = {name: labelled(name) for name in FOLDERS}
    x = np.vstack([data[n][0] for n in fit_on])
    y = np.concatenate([data[n][1] for n in fit_on])
    current = load_model()
    prior = np.array([current.weights.get(f, 0.0) for f in FEATURES])
    sign = np.array([current.direction.get(f, 0) for f in FEATURES])
    free = (x != 0).sum(axis=0) >= MIN_SUPPORT
    while True:  # a weight against its documented direction is noise of a small sample: hold it at 0, refit
        intercept, weights = fit(x, y, free, prior, args.l2)
        wrong = free & (sign * weights < 0)
        if not wrong.any():
            break
        free &= ~wrong
        prior[wrong] = 0.0
    print(f"# fitted on {', '.join(fit_on)}: {len(y)} values, {int(len(y) - y.sum())} wrong; L2 {args.l2}")
    print(f"intercept = {intercept:.3f}")
    for name, w, is_free, support in zip(FEATURES, weights, free, (x != 0).sum(axis=0)):
        how = "fitted" if is_free else "against its direction: 0" if sign[FEATURES.index(name)] * w == 0 and \
            support >= MIN_SUPPORT else "prior (not fitted)"
        print(f"{name} = {w:.3f}  # {how}, in {support} fitting values")
    model = Model("fitted", intercept, dict(zip(FEATURES, weights.tolist())), current.direction)
    for kind in ("target", "actual"):
        for group, names in (("fitting", fit_on), ("held out", [n for n in FOLDERS if n not in fit_on])):
            judged = [j for n in names for j in rescored(data[n][2], data[n][0], model) if j.kind == kind]
            show(f"{kind}s, {group} ({', '.join(names)})", summary(judged))
    if args.per_folder:
        for name in FOLDERS:
            show(name, summary(rescored(data[name][2], data[name][0], model)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
