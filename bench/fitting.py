"""What bench/fit.py and bench/eval.py share: the pool's pair features, folds, the fit, the thresholds, the scores.

The pool is tests/data/eval/dev.jsonl + dev2.jsonl + real-public-dev.jsonl. Each
(draft, candidate item) pair gets the classifier's own features
(``cancu.classifier.classify.analyse``) and the label "this item is one the draft
expects" (decision, article, clause, point and level agree, as in the eval README).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cancu.classifier.classify import Classifier, analyse
from cancu.classifier.decision import LEVEL_RANK, Model, decide
from cancu.classifier.features import FEATURES

from common import read_jsonl, without_diacritics

ROOT = Path(__file__).resolve().parent.parent
POOL = [ROOT / "tests" / "data" / "eval" / name for name in ("dev.jsonl", "dev2.jsonl", "real-public-dev.jsonl")]
FIELDS = ("decision", "article", "clause", "point", "level")
NEGATIVE_KINDS = ("negative", "hard_negative")
# Documents public at any date: an ordinary made-up document and a real published one are not secret
# whichever catalogs are in force (a hard negative's failing condition is read against one item only).
PUBLIC_KINDS = ("negative", "real_public")

# The cost of one draft's answer, used to choose the two thresholds (README "Cách phân loại").
COST_PUBLIC_STAMPED = 1.0  # a public document given a level: classifying outside the catalogs is forbidden
COST_MISSED = {"Tuyệt mật": 1.0, "Tối mật": 1.0, "Mật": 0.5}  # a secret given a lower level or none
COST_OVER = 0.3  # a secret given a higher level than its items carry
COST_REVIEW = 0.1  # a human looks at a draft the tool was unsure of
REVIEW_CATCH = 0.2  # a missed item shown in the review band, with its evidence, is mostly caught by the reviewer
MAX_REVIEW_RATE = 0.15
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
# Fit on the public documents judged on today's catalogs too (with_current), not only on their own date:
# tried, not kept (README "Đã thử, không giữ"): real documents stamped on today's catalogs 3.5 -> 2.25 of 36,
# but top-1 0.735 -> 0.716 and mean cost 0.1533 -> 0.1564 over 4 fold seeds.
AUGMENT = False
CLASS_WEIGHT = None  # "balanced" was tried: CV top-1 0.716, FP 0.362 (worse), thresholds at the grid edge


def read_pool() -> list[dict]:
    return [draft for path in POOL for draft in read_jsonl(path)]


def pool_hash() -> str:
    digest = hashlib.sha256()
    for path in POOL:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def matches(item, expected: dict) -> bool:
    return all(expected[f] is None or getattr(item, f) == expected[f] for f in FIELDS)


@dataclass
class Pairs:
    """One draft's candidates: features, labels and what the decision needs."""

    draft: dict
    item_ids: list[int]
    items: list  # ItemRecord
    levels: list[str]
    stopped: list[bool]
    bm25_order: list[int]  # indexes of the candidates in full-text order
    X: np.ndarray
    y: np.ndarray
    current: "Pairs | None" = None  # a public document judged again on the catalogs in force now (with_current)

    @property
    def expected_any(self) -> bool:
        return bool(self.draft["expected"])


def pairs_of(classifier: Classifier, drafts: list[dict], strip: bool = False,
             transform: Callable[[str], str] | None = None, day: dt.date | None = None) -> list[Pairs]:
    """Each draft's candidates judged on its own date, or on ``day`` when given."""
    found = []
    for draft in drafts:
        text = without_diacritics(draft["text"]) if strip else draft["text"]
        text = transform(text) if transform else text
        _, candidates = analyse(classifier, text, day or dt.date.fromisoformat(draft["date"]))
        items = [c.match.profile.item for c in candidates]
        bm25_rank = [c.vector["bm25_rank"] for c in candidates]
        found.append(Pairs(
            draft=draft, item_ids=[i.id for i in items], items=items, levels=[i.level for i in items],
            stopped=[bool(c.checks.failed) for c in candidates],
            bm25_order=sorted(range(len(items)), key=lambda i: (bm25_rank[i], items[i].id)),
            X=np.array([[c.vector[name] for name in FEATURES] for c in candidates], dtype=float).reshape(-1, len(FEATURES)),
            y=np.array([any(matches(i, e) for e in draft["expected"]) for i in items], dtype=int),
        ))
    return found


def current_day(classifier: Classifier) -> dt.date:
    """The day the newest catalog in the knowledge base came into force: from then on, today's catalogs."""
    return max(d.valid_from for d in classifier.kb.decisions.values() if d.item_count and d.valid_from)


def with_current(classifier: Classifier, pool: list[Pairs], day: dt.date) -> list[Pairs]:
    """Judge each public document of the pool again on the catalogs in force on ``day`` (``Pairs.current``).

    A real document dated 2008 has only the few candidates of a catalog in force then, so at
    its own date it says little about stamping; judged on today's catalogs, as a drafter who
    writes no date gets, it does. Returns the pool as scored on ``day``: the public
    documents on ``day``, every other draft on its own date.
    """
    for p in pool:
        if p.draft["kind"] in PUBLIC_KINDS:
            p.current = pairs_of(classifier, [p.draft], day=day)[0]
    return [p.current or p for p in pool]


def groups(drafts: list[dict], threshold: float = 0.25) -> list[int]:
    """Near-duplicate drafts (Jaccard of word 4-shingles ≥ threshold) share a group, so folds never split them."""
    shingles = []
    for draft in drafts:
        words = re.findall(r"\w+", draft["text"].lower())
        shingles.append({" ".join(words[i:i + 4]) for i in range(len(words) - 3)})
    parent = list(range(len(drafts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(drafts)):
        for j in range(i + 1, len(drafts)):
            union = len(shingles[i] | shingles[j]) or 1
            if len(shingles[i] & shingles[j]) / union >= threshold:
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(drafts))]


def folds(drafts: list[dict], k: int = 5, seed: int = 0) -> list[int]:
    """Fold of each draft: groups of near-duplicates dealt out in turn, kinds spread evenly.

    Deterministic; ``seed`` 0 deals groups in id order, another seed in an order shuffled by it
    (repeated cross-validation: how much the figures move with the split alone).
    """
    group_of = groups(drafts)
    members: dict[int, list[int]] = {}
    for index, group in enumerate(group_of):
        members.setdefault(group, []).append(index)
    rank = {group: position for position, group in enumerate(sorted(members, key=lambda g: drafts[members[g][0]]["id"]))}
    if seed:
        shuffled = list(rank)
        random.Random(seed).shuffle(shuffled)
        rank = {group: position for position, group in enumerate(shuffled)}
    ordered = sorted(members.values(), key=lambda m: (drafts[m[0]]["kind"], -len(m), rank[group_of[m[0]]]))
    fold_of = [0] * len(drafts)
    sizes = [0] * k
    for position, group in enumerate(ordered):
        target = position % k if len(group) == 1 else sizes.index(min(sizes))
        for index in group:
            fold_of[index] = target
        sizes[target] += len(group)
    return fold_of


@dataclass
class Fitted:
    means: np.ndarray
    scales: np.ndarray
    coefficients: np.ndarray
    intercept: float
    C: float

    @property
    def setting(self) -> float:
        """What the inner CV chose (here C); out_of_fold passes it back to refit inside a fold."""
        return self.C

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        z = self.intercept + ((X - self.means) / self.scales) @ self.coefficients
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def model(self, accept: float, review: float, meta: dict | None = None) -> Model:
        return Model(FEATURES, tuple(self.means), tuple(self.scales), tuple(self.coefficients), self.intercept,
                     accept, review, meta or {})


def fit(train: list[Pairs], C: float | None = None) -> Fitted:
    """Logistic regression on standardised features; C by inner grouped CV log-loss when not given."""
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([p.X for p in train] + [p.current.X for p in train if AUGMENT and p.current])
    y = np.concatenate([p.y for p in train] + [p.current.y for p in train if AUGMENT and p.current])
    if C is None:
        fold_of = folds([p.draft for p in train], 4)
        losses = {}
        for c in C_GRID:
            loss = 0.0
            for k in range(4):
                inner = fit([p for p, f in zip(train, fold_of) if f != k], c)
                for p, f in zip(train, fold_of):
                    if f == k and len(p.y):
                        prob = np.clip(inner.probabilities(p.X), 1e-6, 1 - 1e-6)
                        loss -= float(np.sum(p.y * np.log(prob) + (1 - p.y) * np.log(1 - prob)))
            losses[c] = loss
        C = min(C_GRID, key=lambda c: (losses[c], c))
    means = X.mean(axis=0)
    scales = X.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight=CLASS_WEIGHT)
    model.fit((X - means) / scales, y)
    return Fitted(means, scales, model.coef_[0].copy(), float(model.intercept_[0]), C)


def answer(pairs: Pairs, probabilities: np.ndarray, accept: float, review: float):
    return decide(pairs.levels, list(map(float, probabilities)), pairs.stopped, pairs.item_ids, accept, review)


def draft_cost(pairs: Pairs, probabilities: np.ndarray, accept: float, review: float) -> float:
    result = answer(pairs, probabilities, accept, review)
    expected = pairs.draft["expected_level"]
    cost = COST_REVIEW if result.review else 0.0
    if expected is None:
        return cost + (COST_PUBLIC_STAMPED if result.level else 0.0)
    got = LEVEL_RANK.get(result.level, 0)
    if got < LEVEL_RANK[expected]:
        caught = any(pairs.y[i] and LEVEL_RANK[pairs.levels[i]] > got for i in result.review)
        cost += COST_MISSED[expected] * (REVIEW_CATCH if caught else 1.0)
    elif got > LEVEL_RANK[expected]:
        cost += COST_OVER
    return cost


def choose_thresholds(pool: list[Pairs], probabilities: list[np.ndarray]) -> tuple[float, float, float]:
    """(accept, review, mean cost) minimising the mean cost with at most MAX_REVIEW_RATE drafts in review.

    Ties go to the higher accept, then the higher review. A draft's answer depends on the
    thresholds only through how many of its candidates (not stopped, best first) reach each,
    so each draft's cost is computed once per distinct pair of counts and looked up for every
    grid point (the same choice as trying every point, about 100 times faster).
    """
    grid = [round(float(x), 3) for x in np.arange(0.15, 0.951, 0.025)]
    points = [(accept, review) for accept in grid for review in [r for r in grid if r <= accept] + [accept]]
    accepts, reviews = (np.array(column) for column in zip(*points))
    total = np.zeros(len(points))
    reviewed = np.zeros(len(points), dtype=int)
    for p, q in zip(pool, probabilities):
        live = np.sort(np.asarray(q, dtype=float)[~np.array(p.stopped, dtype=bool)]) if len(q) else np.zeros(0)
        reached = [len(live) - np.searchsorted(live, t, side="left") for t in (accepts, reviews)]
        _, first, inverse = np.unique(reached[0] * (len(live) + 1) + reached[1], return_index=True,
                                      return_inverse=True)
        cost = np.array([draft_cost(p, q, *points[index]) for index in first])
        review = np.array([bool(answer(p, q, *points[index]).review) for index in first], dtype=int)
        total += cost[inverse]
        reviewed += review[inverse]
    best = None
    for index, (accept, review) in enumerate(points):
        if reviewed[index] / len(pool) > MAX_REVIEW_RATE:
            continue
        cost = float(total[index]) / len(pool)
        key = (round(cost, 9), -accept, -review)
        if best is None or key < best[0]:
            best = (key, accept, review, cost)
    return best[1], best[2], best[3]


def fold_models(pool: list[Pairs], fold_of: list[int], k: int = 5, thresholds: bool = True,
                fitter: Callable | None = None) -> tuple[list, list[tuple[float, float]]]:
    """The model fitted without each fold, and each fold's thresholds.

    With ``thresholds``, each fold's thresholds are chosen by an inner cross-validation
    on the four training folds only (nested: the scored fold never chooses them). ``fitter``
    (default ``fit``) is called as fitter(train) and fitter(train, setting) and returns an object
    with ``setting`` and ``probabilities(X)`` (bench/nonlinear.py passes other scorers).
    """
    fitter = fitter or fit
    models, chosen = [], []
    for fold in range(k):
        train = [p for p, f in zip(pool, fold_of) if f != fold]
        fitted = fitter(train)
        models.append(fitted)
        if thresholds:
            inner_folds = folds([p.draft for p in train], 4)
            inner = [np.zeros(0)] * len(train)
            for g in range(4):
                inner_fit = fitter([p for p, f in zip(train, inner_folds) if f != g], fitted.setting)
                for index, f in enumerate(inner_folds):
                    if f == g:
                        inner[index] = inner_fit.probabilities(train[index].X)
            accept, review, _ = choose_thresholds(train, inner)
            chosen.append((accept, review))
    return models, chosen


def out_of_fold(pool: list[Pairs], fold_of: list[int], k: int = 5, scored: list[Pairs] | None = None,
                thresholds: bool = True, fitter: Callable | None = None) -> tuple[list[np.ndarray], list[tuple[float, float]]]:
    """Probabilities of each draft from a model fitted without its fold, and each fold's thresholds
    (``fold_models``). ``scored`` (the same drafts, e.g. without diacritics) is what gets scored."""
    models, chosen = fold_models(pool, fold_of, k, thresholds, fitter)
    return [models[f].probabilities(p.X) for p, f in zip(scored or pool, fold_of)], chosen


def scores(pool: list[Pairs], probabilities: list[np.ndarray], thresholds) -> dict:
    """top-1, top-3, level accuracy, FP rates, review rate; ``thresholds`` per draft (accept, review)."""
    positives = negatives = real = 0
    top1 = top3 = rank1 = rank3 = level_ok = fp = fp_real = in_review = 0
    for p, q, (accept, review) in zip(pool, probabilities, thresholds):
        result = answer(p, q, accept, review)
        kind = p.draft["kind"]
        level_ok += result.level == p.draft["expected_level"]
        in_review += bool(result.review)
        if p.expected_any:
            positives += 1
            top1 += bool(result.accepted) and bool(p.y[result.accepted[0]])
            top3 += any(p.y[i] for i in result.accepted[:3])
            ranked = sorted((i for i in range(len(q)) if not p.stopped[i]), key=lambda i: (-q[i], p.item_ids[i]))
            rank1 += bool(ranked) and bool(p.y[ranked[0]])
            rank3 += any(p.y[i] for i in ranked[:3])
        elif kind in NEGATIVE_KINDS:
            negatives += 1
            fp += result.level is not None
        elif kind == "real_public":
            real += 1
            fp_real += result.level is not None
    return {"drafts": len(pool), "with items": positives, "top1": top1 / max(positives, 1),
            "top3": top3 / max(positives, 1), "ranking top1": rank1 / max(positives, 1),
            "ranking top3": rank3 / max(positives, 1), "level accuracy": level_ok / len(pool),
            "FP made-up negatives": fp / max(negatives, 1), "FP real (count)": f"{fp_real} of {real}",
            "review rate": in_review / len(pool)}


def bm25_scores(pool: list[Pairs]) -> dict:
    """Plain bm25: the top full-text item, and its level always."""
    positives = negatives = real = 0
    top1 = top3 = level_ok = fp = fp_real = 0
    for p in pool:
        order = p.bm25_order
        level = p.levels[order[0]] if order else None
        level_ok += level == p.draft["expected_level"]
        if p.expected_any:
            positives += 1
            top1 += bool(order) and bool(p.y[order[0]])
            top3 += any(p.y[i] for i in order[:3])
        elif p.draft["kind"] in NEGATIVE_KINDS:
            negatives += 1
            fp += level is not None
        else:
            real += 1
            fp_real += level is not None
    return {"drafts": len(pool), "with items": positives, "top1": top1 / max(positives, 1),
            "top3": top3 / max(positives, 1), "ranking top1": top1 / max(positives, 1),
            "ranking top3": top3 / max(positives, 1), "level accuracy": level_ok / len(pool),
            "FP made-up negatives": fp / max(negatives, 1), "FP real (count)": f"{fp_real} of {real}",
            "review rate": 0.0}


def candidate_recall(pool: list[Pairs]) -> tuple[float, float]:
    """Share of drafts with items whose expected items are all among the candidates, and of expected items found."""
    drafts = [p for p in pool if p.expected_any]
    complete = sum(all(any(matches(i, e) for i in p.items) for e in p.draft["expected"]) for p in drafts)
    expected = [(p, e) for p in drafts for e in p.draft["expected"]]
    found = sum(any(matches(i, e) for i in p.items) for p, e in expected)
    return complete / max(len(drafts), 1), found / max(len(expected), 1)


def brier(pool: list[Pairs], probabilities: list[np.ndarray]) -> tuple[float, list[tuple[str, int, float, float]]]:
    """Brier score over all pairs, and a reliability table (bin, pairs, mean probability, share positive)."""
    p = np.concatenate(probabilities)
    y = np.concatenate([x.y for x in pool])
    table = []
    for low, high in ((0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        inside = (p >= low) & (p < high)
        if inside.any():
            table.append((f"{low:.1f}–{min(high, 1):.1f}", int(inside.sum()), float(p[inside].mean()),
                          float(y[inside].mean())))
    return float(np.mean((p - y) ** 2)), table


def separation(pool: list[Pairs], probabilities: list[np.ndarray]) -> tuple[float, float, float]:
    """Threshold-free figures out of fold: pair log-loss, and two draft-level AUCs of the best probability.

    The headline figures move by a few drafts with the thresholds each fold picks (196
    drafts); these do not, so a change to the features is judged on them too. AUCs:
    drafts with items against drafts without; drafts whose best item is right against
    drafts without items (how well "is this draft secret, by which item" is separated).
    """
    p = np.clip(np.concatenate(probabilities), 1e-6, 1 - 1e-6)
    y = np.concatenate([x.y for x in pool])
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    best = [float(q.max()) if len(q) else 0.0 for q in probabilities]
    negatives = [b for b, x in zip(best, pool) if not x.expected_any]
    secret = [b for b, x in zip(best, pool) if x.expected_any]
    right = [b for b, x, q in zip(best, pool, probabilities) if x.expected_any and len(q) and x.y[int(np.argmax(q))]]
    return loss, _auc(secret, negatives), _auc(right, negatives)


def _auc(positive: list[float], negative: list[float]) -> float:
    """Probability that a positive scores above a negative (ties count half): the Mann–Whitney statistic."""
    if not positive or not negative:
        return float("nan")
    a, b = np.array(positive)[:, None], np.array(negative)[None, :]
    return float(np.mean((a > b) + 0.5 * (a == b)))
