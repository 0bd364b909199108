"""Does a non-linear scorer beat the shipped logistic regression on drafts it was not fitted on?

Usage: python bench/nonlinear.py [--db PATH] [--seeds N] [--only linear,trees,...]   (needs the dev extra;
about 3 minutes a seed for all scorers on this machine)

Every scorer goes through the same nested cross-validation as bench/eval.py (5 folds,
near-duplicate drafts in one fold, thresholds by an inner CV on the four training folds,
repeated over N fold seeds) in one run, and the same figures are printed side by side:
mean and min–max over the seeds, and each scorer's difference to the linear model per
seed (same split, so the difference is paired).

Scorers, each with its hyper-parameters chosen by inner grouped 4-fold CV log-loss on
the training folds only, on a small grid (as C is chosen for the linear model):
- linear: bench/fitting.py's logistic regression (the shipped scorer);
- trees: gradient-boosted shallow trees (scikit-learn HistGradientBoostingClassifier),
  depth 2 or 3, learning rate 0.03 or 0.1, 50–800 rounds (read from one fit per depth
  and rate, round by round), leaves of at least 20 pairs;
- trees+stumps: the same grid with depth 1 too (an additive model of step functions);
- products: the logistic regression on the features plus the pairwise products of its
  k strongest features (largest |coefficient| of a plain fit on the same training
  drafts), k and C chosen together;
- hinges: the logistic regression on the features plus max(0, x - knot) for every graded
  feature, knots at the training quantiles (median, or quartiles), knots and C chosen together;
- blend: the mean of the linear model's and the trees' probabilities (one half each, fixed
  beforehand), each with its own inner-CV setting.
None of them won (README "Đã thử, không giữ"); the script stays so that the question can be
asked again when the features change.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # a shared machine; and the same answer every run

import numpy as np  # noqa: E402

from cancu.classifier.classify import Classifier  # noqa: E402
from cancu.kb import load_kb  # noqa: E402

import fitting  # noqa: E402
from common import knowledge_base  # noqa: E402
from fit import placeholder  # noqa: E402

DEPTHS = (2, 3)
RATES = (0.03, 0.1)
ROUNDS = (50, 100, 200, 400, 800)  # a first grid (rates 0.05, 0.1; 25-200 rounds) chose its edge (0.05, 200)
MIN_LEAF = 20
PRODUCT_K = (3, 5)
KNOTS = (1, 3)  # hinge knots per feature: the median, or the quartiles


def _stack(train: list[fitting.Pairs]) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([p.X for p in train]), np.concatenate([p.y for p in train])


def _log_loss(y: np.ndarray, prob: np.ndarray) -> float:
    prob = np.clip(prob, 1e-6, 1 - 1e-6)
    return float(-np.sum(y * np.log(prob) + (1 - y) * np.log(1 - prob)))


def _inner_choice(train: list[fitting.Pairs], settings: list, losses_of) -> object:
    """The setting with the lowest summed inner-CV log-loss; ``losses_of(inner_train, held_X, held_y)``
    gives the held-out loss of every setting at once (one fit can serve several, e.g. rounds)."""
    fold_of = fitting.folds([p.draft for p in train], 4)
    total = dict.fromkeys(settings, 0.0)
    for k in range(4):
        inner = [p for p, f in zip(train, fold_of) if f != k]
        held = [p for p, f in zip(train, fold_of) if f == k and len(p.y)]
        X, y = _stack(held)
        for setting, loss in losses_of(inner, X, y).items():
            total[setting] += loss
    return min(settings, key=lambda s: (total[s], s))


@dataclass
class Trees:
    model: object
    setting: tuple

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(X)[:, 1] if len(X) else np.zeros(0)


def _boosted(depth: int, rate: float, rounds: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_depth=depth, learning_rate=rate, max_iter=rounds,
                                          min_samples_leaf=MIN_LEAF, early_stopping=False, random_state=0)


def fit_trees(train: list[fitting.Pairs], setting: tuple | None = None, depths: tuple[int, ...] = DEPTHS) -> Trees:
    """Gradient-boosted shallow trees; (depth, rate, rounds) by inner CV log-loss when not given."""
    if setting is None:
        def losses(inner, X, y):
            found = {}
            Xi, yi = _stack(inner)
            for depth in depths:
                for rate in RATES:
                    model = _boosted(depth, rate, max(ROUNDS)).fit(Xi, yi)
                    for rounds, prob in enumerate(model.staged_predict_proba(X), start=1):
                        if rounds in ROUNDS:
                            found[(depth, rate, rounds)] = _log_loss(y, prob[:, 1])
            return found

        setting = _inner_choice(train, [(d, r, n) for d in depths for r in RATES for n in ROUNDS], losses)
    X, y = _stack(train)
    return Trees(_boosted(*setting).fit(X, y), setting)


@dataclass
class Products:
    linear: fitting.Fitted | None  # None only while expanding the training columns
    pairs: tuple[tuple[int, int], ...]
    setting: tuple

    def expand(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([X] + [(X[:, [a]] * X[:, [b]]) for a, b in self.pairs]) if len(X) else X

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return self.linear.probabilities(self.expand(X)) if len(X) else np.zeros(0)


def _logistic(X: np.ndarray, y: np.ndarray, C: float) -> fitting.Fitted:
    """bench/fitting.py's logistic regression on standardised columns, at a given C."""
    from sklearn.linear_model import LogisticRegression

    means, scales = X.mean(axis=0), X.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((X - means) / scales, y)
    return fitting.Fitted(means, scales, model.coef_[0].copy(), float(model.intercept_[0]), C)


def _fit_products(train: list[fitting.Pairs], k: int, C: float) -> Products:
    X, y = _stack(train)
    strongest = sorted(np.argsort(-np.abs(_logistic(X, y, C).coefficients), kind="stable")[:k])
    pairs = tuple(combinations(map(int, strongest), 2))
    expanded = Products(None, pairs, (k, C)).expand(X)
    return Products(_logistic(expanded, y, C), pairs, (k, C))


def _with_C(train: list[fitting.Pairs], setting: tuple | None, values: tuple, fit_one):
    """fit_one(train, value, C) at ``setting``, or at the (value, C) that inner CV log-loss chooses."""
    if setting is None:
        grid = [(value, C) for value in values for C in fitting.C_GRID]

        def losses(inner, X, y):
            return {point: _log_loss(y, fit_one(inner, *point).probabilities(X)) for point in grid}

        setting = _inner_choice(train, grid, losses)
    return fit_one(train, *setting)


def fit_products(train: list[fitting.Pairs], setting: tuple | None = None) -> Products:
    """Logistic regression plus products of the k strongest features; (k, C) by inner CV log-loss."""
    return _with_C(train, setting, PRODUCT_K, _fit_products)


@dataclass
class Hinges:
    linear: fitting.Fitted | None  # None only while expanding the training columns
    knots: tuple[tuple[int, float], ...]  # (feature, knot): a term max(0, x - knot)
    setting: tuple

    def expand(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([X] + [np.maximum(0.0, X[:, [f]] - knot) for f, knot in self.knots]) if len(X) else X

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return self.linear.probabilities(self.expand(X)) if len(X) else np.zeros(0)


def _fit_hinges(train: list[fitting.Pairs], knots: int, C: float) -> Hinges:
    X, y = _stack(train)
    found = []
    for f in range(X.shape[1]):
        if len(np.unique(X[:, f])) > 4:  # not an indicator: a piecewise-linear effect, knots at training quantiles
            cuts = np.unique(np.quantile(X[:, f], [(i + 1) / (knots + 1) for i in range(knots)]))
            found += [(f, float(c)) for c in cuts if c < X[:, f].max()]
    expanded = Hinges(None, tuple(found), (knots, C)).expand(X)
    return Hinges(_logistic(expanded, y, C), tuple(found), (knots, C))


def fit_hinges(train: list[fitting.Pairs], setting: tuple | None = None) -> Hinges:
    """Logistic regression plus piecewise-linear (hinge) terms of every graded feature; (knots, C) by inner CV."""
    return _with_C(train, setting, KNOTS, _fit_hinges)


def fit_trees_and_stumps(train: list[fitting.Pairs], setting: tuple | None = None) -> Trees:
    """The trees' grid with depth 1 too (stumps: an additive model, each feature's effect a step function)."""
    return fit_trees(train, setting, (1,) + DEPTHS)


@dataclass
class Blend:
    linear: fitting.Fitted
    trees: Trees

    @property
    def setting(self) -> tuple:
        return self.linear.setting, self.trees.setting

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return (self.linear.probabilities(X) + self.trees.probabilities(X)) / 2


def fit_blend(train: list[fitting.Pairs], setting: tuple | None = None) -> Blend:
    """The mean of the linear model's and the trees' probabilities (weights fixed at one half beforehand),
    each with its own setting by inner CV."""
    C, trees = setting if setting is not None else (None, None)
    return Blend(fitting.fit(train, C), fit_trees(train, trees))


SCORERS = {"linear": fitting.fit, "trees": fit_trees, "trees+stumps": fit_trees_and_stumps,
           "products": fit_products, "hinges": fit_hinges,
           "blend": fit_blend}
KEYS = ("cost", "top1", "top3", "ranking top1", "level accuracy", "FP made-up negatives", "FP real", "review rate",
        "log-loss", "AUC")


def run(pool, drafts, seed: int, name: str) -> tuple[dict, list]:
    fold_of = fitting.folds(drafts, seed=seed)
    fitter = _recording(SCORERS[name])
    probabilities, chosen = fitting.out_of_fold(pool, fold_of, fitter=fitter)
    settings = fitter.chosen
    figures = fitting.scores(pool, probabilities, [chosen[f] for f in fold_of])
    figures["cost"] = sum(fitting.draft_cost(p, q, *chosen[f])
                          for p, q, f in zip(pool, probabilities, fold_of)) / len(pool)
    figures["FP real"] = float(str(figures["FP real (count)"]).split()[0])
    figures["log-loss"], figures["AUC"], _ = fitting.separation(pool, probabilities)
    return figures, list(zip(chosen, settings))


def _recording(fitter):
    """``fitter``, remembering the settings its outer fits chose (one per fold)."""
    chosen = []

    def wrapped(train, setting=None):
        fitted = fitter(train, setting)
        if setting is None:
            chosen.append(fitted.setting)
        return fitted

    wrapped.chosen = chosen
    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--only", default=",".join(SCORERS), help="scorers, comma-separated")
    args = parser.parse_args()
    names = args.only.split(",")
    drafts = fitting.read_pool()
    with knowledge_base(args.db) as db:
        classifier = Classifier.from_kb(load_kb(db), model=placeholder())
        pool = fitting.pairs_of(classifier, drafts)
    print(f"pool: {len(drafts)} drafts, {sum(len(p.y) for p in pool)} pairs ({sum(int(p.y.sum()) for p in pool)} positive)")
    rows: dict[str, list[dict]] = {name: [] for name in names}
    for seed in range(args.seeds):
        for name in names:
            figures, per_fold = run(pool, drafts, seed, name)
            rows[name].append(figures)
            print(f"seed {seed} {name:<13} cost {figures['cost']:.4f} top1 {figures['top1']:.3f} "
                  f"level {figures['level accuracy']:.3f} FP {figures['FP made-up negatives']:.3f} "
                  f"log-loss {figures['log-loss']:.4f} AUC {figures['AUC']:.3f}; per fold (thresholds, setting): "
                  + "; ".join(f"{t} {s}" for t, s in per_fold), flush=True)
    print(f"\nnested 5-fold CV repeated over {args.seeds} fold seeds: mean (min–max)")
    print(f"{'measure':<22}" + "".join(f"{name:>26}" for name in names))
    for key in KEYS:
        cells = []
        for name in names:
            values = [row[key] for row in rows[name]]
            cells.append(f"{np.mean(values):.4f} ({min(values):.3f}–{max(values):.3f})".rjust(26))
        print(f"{key:<22}" + "".join(cells))
    if "linear" in names:
        print("\ndifference to linear, per seed (same split):")
        for name in names:
            if name == "linear":
                continue
            for key in KEYS:
                deltas = [a[key] - b[key] for a, b in zip(rows[name], rows["linear"])]
                print(f"  {name:<14}{key:<22}" + " ".join(f"{d:+.4f}" for d in deltas)
                      + f"   mean {np.mean(deltas):+.4f}")


if __name__ == "__main__":
    main()
