"""Fit the classifier's scoring model on the development pool and write data/classifier-model.json.

Usage: python bench/fit.py [--db PATH] [--out PATH]   (needs the dev extra: pip install -e '.[dev]')

1. Features of every (draft, candidate) pair of the pool, by the classifier's own code.
2. Logistic regression (scikit-learn) on standardised features; its C by grouped CV log-loss.
3. The acceptance and review thresholds from out-of-fold probabilities (5 folds, near-duplicate
   drafts kept in one fold), minimising the explicit cost in bench/fitting.py.
4. The coefficients, means, scales, thresholds, fitting date and the pool's hash are written as
   JSON; the classifier applies them at run time in plain Python. A few pairs' probabilities as
   scikit-learn computes them are stored too, so a test can check that run time reproduces them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np

from cancu.classifier.classify import Classifier
from cancu.classifier.decision import Model, model_path
from cancu.classifier.features import FEATURES
from cancu.kb import load_kb

import fitting
from common import knowledge_base

CHECK_DRAFTS = ("d-017", "d-008", "d-024", "d-021")  # in tests/data/eval/dev.jsonl


def placeholder() -> Model:
    """Features do not depend on the model: any model lets the classifier compute them."""
    return Model(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0, 0.5, 0.5, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args()
    drafts = fitting.read_pool()
    with knowledge_base(args.db) as db:
        classifier = Classifier.from_kb(load_kb(db), model=placeholder())
        pool = fitting.pairs_of(classifier, drafts)
        fold_of = fitting.folds(drafts)
        probabilities, _ = fitting.out_of_fold(pool, fold_of, thresholds=False)
        accept, review, cost = fitting.choose_thresholds(pool, probabilities)
        fitted = fitting.fit(pool)
        score, table = fitting.brier(pool, probabilities)
        checks = []
        for p in pool:
            if p.draft["id"] in CHECK_DRAFTS and len(p.y):
                best = int(np.argmax(fitted.probabilities(p.X)))
                from sklearn.linear_model import LogisticRegression  # the library's own predict_proba

                clf = LogisticRegression()
                clf.classes_ = np.array([0, 1])
                clf.coef_ = fitted.coefficients.reshape(1, -1)
                clf.intercept_ = np.array([fitted.intercept])
                probability = float(clf.predict_proba(((p.X[best] - fitted.means) / fitted.scales).reshape(1, -1))[0, 1])
                item = p.items[best]
                checks.append({"draft": p.draft["id"], "item": [item.decision, item.article, item.clause, item.point,
                                                                item.level], "probability": probability})
    spec = {
        "features": list(FEATURES),
        "means": [round(float(x), 12) for x in fitted.means],
        "scales": [round(float(x), 12) for x in fitted.scales],
        "coefficients": [round(float(x), 12) for x in fitted.coefficients],
        "intercept": round(fitted.intercept, 12),
        "thresholds": {"accept": accept, "review": review},
        "meta": {
            "fitted": dt.date.today().isoformat(),
            "pool": [str(p.relative_to(fitting.ROOT)) for p in fitting.POOL],
            "pool_sha256": fitting.pool_hash(),
            "pairs": int(sum(len(p.y) for p in pool)), "positive_pairs": int(sum(p.y.sum() for p in pool)),
            "C": fitted.C,
            "cost": {"public_stamped": fitting.COST_PUBLIC_STAMPED, "missed": fitting.COST_MISSED,
                     "over": fitting.COST_OVER, "review": fitting.COST_REVIEW, "review_catch": fitting.REVIEW_CATCH,
                     "max_review_rate": fitting.MAX_REVIEW_RATE},
            "cv_mean_cost": round(cost, 4), "cv_brier": round(score, 4),
            "checks": checks,
        },
    }
    args.out.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"pairs {spec['meta']['pairs']} (positive {spec['meta']['positive_pairs']}), C {fitted.C}")
    print(f"thresholds: accept {accept}, review {review}; out-of-fold mean cost {cost:.4f}, Brier {score:.4f}")
    for name, weight in sorted(zip(FEATURES, fitted.coefficients), key=lambda x: -abs(x[1])):
        print(f"  {name:<28}{weight:+.3f}")
    print("reliability (out of fold): bin, pairs, mean probability, share positive")
    for row in table:
        print(f"  {row[0]:<9}{row[1]:>6}{row[2]:>8.3f}{row[3]:>8.3f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
