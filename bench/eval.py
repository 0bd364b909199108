"""Score the classifier by cross-validation on the development pool, beside a plain bm25 ranking.

Usage: python bench/eval.py [--db PATH] [--verbose] [--no-latency]   (needs the dev extra)

Never in-sample: every figure of the fitted classifier comes from a model fitted
without the scored drafts.
- 5-fold cross-validation over the pool (dev + dev2 + real-public-dev; near-duplicate
  drafts kept in one fold): the model is fitted on four folds, its two thresholds are
  chosen by an inner cross-validation on those four, and the fifth is scored.
- the same nested cross-validation repeated with the pool dealt into folds by other seeds
  (--seeds): the spread says how much of a difference between two runs is the split alone.
- each file of the pool scored by a model fitted on the other two (a shift of batch).
- leave-one-decision-out: drafts expecting an item of decision D are scored by a model
  fitted on the drafts that expect nothing of D (how it does on a catalog it never saw).
- the public documents (made-up negatives, real) judged again on the catalogs in force since the
  newest catalog: at its own date a real document of 2008 meets only an old catalog's few items.
- the same cross-validation with the scored drafts' diacritics stripped, and with the scored
  drafts forwarded by e-mail (a mail header, then hard-wrapped at 60 characters and "> " quoted), and with their
  numbered and dashed lines as "|" table rows; and in the other forms of held-out set B: quoted in
  a reply under the sender's note, tab tables, minutes in speaker turns, partly typed without diacritics (header accented, body
  stripped; every other line stripped; 3 words in 10 stripped inside accented sentences).
- candidate recall, calibration (Brier score, reliability table) out of fold, and
  threshold-free separation (pair log-loss, draft-level AUC), which do not move with
  the few drafts each fold's thresholds flip.
- latency per draft with the shipped model (p50/p95, warm) and growth with length.
Scoring follows tests/data/eval/README.md. Timings are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import numpy as np

from cancu.classifier import classify, load_kb
from cancu.classifier.classify import Classifier

import fitting
from common import (as_forwarded, as_minutes, as_one_line, as_partly_stripped, as_replied, as_tab_table, as_table, as_words_stripped,
                    knowledge_base, read_jsonl)
from fit import placeholder

ORDER = ("top1", "top3", "ranking top1", "ranking top3", "level accuracy", "FP made-up negatives",
         "FP real (count)", "review rate")


def table(title: str, columns: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'measure':<24}" + "".join(f"{name:>16}" for name in columns))
    for key in ORDER:
        cells = []
        for figures in columns.values():
            value = figures.get(key, "")
            cells.append(f"{value:>16.3f}" if isinstance(value, float) else f"{value!s:>16}")
        print(f"{key:<24}" + "".join(cells))


_FITTED: dict[tuple, tuple] = {}  # fold assignment -> (models, thresholds); one pool per run


def cross_validated(pool, fold_of, scored=None) -> tuple[dict, list[np.ndarray], list]:
    """Nested CV figures of ``scored`` (default: the pool) by models fitted on the pool; the folds'
    models are fitted once per fold assignment and serve every form of the drafts scored."""
    if tuple(fold_of) not in _FITTED:
        _FITTED[tuple(fold_of)] = fitting.fold_models(pool, fold_of)
    models, chosen = _FITTED[tuple(fold_of)]
    probabilities = [models[f].probabilities(p.X) for p, f in zip(scored or pool, fold_of)]
    per_draft = [chosen[f] for f in fold_of]
    return fitting.scores(scored or pool, probabilities, per_draft), probabilities, chosen


def repeated(pool, drafts, seeds: int, now=None) -> None:
    """The nested cross-validation again with the pool dealt into folds by other seeds: how far the
    headline figures move with the split alone (one draft is 0.01 of top-1, 0.017 of the FP rate).
    With ``now`` (fitting.with_current), the real documents stamped on today's catalogs too."""
    rows = []
    for seed in range(seeds):
        fold_of = fitting.folds(drafts, seed=seed)
        figures, probabilities, chosen = cross_validated(pool, fold_of)
        if now is not None:
            figures["FP real, today's catalogs"] = cross_validated(pool, fold_of, scored=now)[0]["FP real (count)"]
        figures["cost"] = sum(fitting.draft_cost(p, q, *chosen[f])
                              for p, q, f in zip(pool, probabilities, fold_of)) / len(pool)
        figures["log-loss"], figures["AUC"], _ = fitting.separation(pool, probabilities)
        rows.append(figures)
    print(f"\nrepeated over {seeds} fold seeds (seed 0 is the table above): mean, min–max")
    for key in ("top1", "top3", "ranking top1", "level accuracy", "FP made-up negatives", "review rate", "cost",
                "log-loss", "AUC"):
        values = [row[key] for row in rows]
        print(f"  {key:<22}{np.mean(values):8.4f}   {min(values):.4f}–{max(values):.4f}")
    for key in ("FP real (count)", "FP real, today's catalogs"):
        if key in rows[0]:
            real = [int(str(row[key]).split()[0]) for row in rows]
            print(f"  {key:<26}{np.mean(real):4.2f}   {min(real)}–{max(real)} of 36")


def trade_off(pool, probabilities) -> None:
    """How many secret drafts get their right item accepted first, at each rate of made-up negatives
    given a level, over all acceptance thresholds (one threshold, no review band; out-of-fold
    probabilities). The thresholds are swept on the scored drafts themselves, so this describes the
    curve an agency chooses a point on (bench/fitting.py's costs choose one); it is not a figure to expect."""
    answers = []
    for p, q in zip(pool, probabilities):
        live = [i for i in range(len(q)) if not p.stopped[i]]
        top = max(live, key=lambda i: (q[i], -p.item_ids[i])) if live else None
        answers.append((float(q[top]) if top is not None else 0.0, top is not None and bool(p.y[top]), p))
    negatives = [a for a in answers if a[2].draft["kind"] in fitting.NEGATIVE_KINDS]
    secret = [a for a in answers if a[2].expected_any]
    print("\ntrade-off out of fold (one threshold swept on the scored drafts; describes the curve):")
    print("  FP made-up at most   threshold   top1 (right item accepted first)")
    for limit in (0.05, 0.10, 0.15, 0.20, 0.25, 0.30):
        allowed = [t for t in sorted({a[0] for a in answers if a[0] > 0}, reverse=True)
                   if sum(a[0] >= t for a in negatives) <= limit * len(negatives)]
        threshold = min(allowed) if allowed else 1.0
        right = sum(a[0] >= threshold and a[1] for a in secret) / max(len(secret), 1)
        print(f"  {limit:>19.2f}   {threshold:9.3f}   {right:.3f}")


def leave_one_decision_out(pool) -> tuple[float, int]:
    """Top-3 (probability ranking) of drafts expecting decision D, by a model fitted without any draft expecting D."""
    decisions = sorted({e["decision"] for p in pool for e in p.draft["expected"]})
    hits = total = 0
    for decision in decisions:
        held = [p for p in pool if any(e["decision"] == decision for e in p.draft["expected"])]
        train = [p for p in pool if not any(e["decision"] == decision for e in p.draft["expected"])]
        fitted = fitting.fit(train, C=0.1)
        for p in held:
            q = fitted.probabilities(p.X)
            ranked = sorted((i for i in range(len(q)) if not p.stopped[i]), key=lambda i: (-q[i], p.item_ids[i]))
            hits += any(p.y[i] and p.items[i].decision == decision for i in ranked[:3])
            total += 1
    return hits / max(total, 1), total


def by_source(pool) -> None:
    """Each file of the pool scored by a model fitted (thresholds by inner CV) on the other two only.

    The held-out sets were written apart from the pool, so this shows what a shift of batch
    costs: dev.jsonl (40) from dev2 + the real documents, dev2.jsonl (120) from only 40 made-up
    drafts + the real documents, and the real documents from made-up drafts alone.
    """
    source = [k for k, path in enumerate(fitting.POOL) for _ in read_jsonl(path)]
    probabilities, chosen = fitting.out_of_fold(pool, source, k=len(fitting.POOL))
    columns = {}
    for k, path in enumerate(fitting.POOL):
        members = [i for i, s in enumerate(source) if s == k]
        columns[path.stem] = fitting.scores([pool[i] for i in members], [probabilities[i] for i in members],
                                            [chosen[k]] * len(members))
    table("each file scored by a model fitted on the other two (batch shift)", columns)
    print("thresholds chosen (accept, review): " + ", ".join(
        f"{path.stem} {chosen[k]}" for k, path in enumerate(fitting.POOL)))


def latency(kb, drafts: list[dict]) -> None:
    classify(drafts[0]["text"], kb)  # warm-up: rules, profiles, segmentation model
    timings = []
    for draft in drafts:
        started = time.perf_counter()
        classify(draft["text"], kb, as_of=dt.date.fromisoformat(draft["date"]))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    print(f"\nlatency per draft, warm, shipped model, {len(timings)} drafts: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms")
    words = " ".join(d["text"] for d in drafts).split(" ")
    print("growth with length (one warm run each; a long paste with line breaks kept):")
    for size in (300, 1_000, 3_000, 10_000, 30_000, 100_000):
        text = " ".join((words * (size // len(words) + 1))[:size])
        started = time.perf_counter()
        classify(text, kb, as_of=dt.date(2025, 6, 1))
        elapsed = time.perf_counter() - started
        print(f"  {size:>7} words: {elapsed * 1000:8.0f} ms  ({elapsed * 1e6 / size:.1f} µs/word)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--seeds", type=int, default=4, help="fold seeds for the repeated cross-validation")
    args = parser.parse_args()
    drafts = fitting.read_pool()
    with knowledge_base(args.db) as db:
        kb = load_kb(db)
        classifier = Classifier.from_kb(kb, model=placeholder())
        pool = fitting.pairs_of(classifier, drafts)
        stripped = fitting.pairs_of(classifier, drafts, strip=True)
        forwarded = fitting.pairs_of(classifier, drafts, transform=as_forwarded)
        tabled = fitting.pairs_of(classifier, drafts, transform=as_table)
        today = fitting.current_day(classifier)
        now = fitting.with_current(classifier, pool, today)
        fold_of = fitting.folds(drafts)
        complete, items = fitting.candidate_recall(pool)
        print(f"pool: {len(drafts)} drafts ({sum(p.expected_any for p in pool)} with items), "
              f"{len(set(fitting.groups(drafts)))} near-duplicate groups, folds of sizes "
              f"{[fold_of.count(k) for k in range(5)]}")
        print(f"candidate recall: {complete:.3f} of drafts with all expected items among the candidates, "
              f"{items:.3f} of expected items (stripped: {fitting.candidate_recall(stripped)[0]:.3f})")
        ours, probabilities, chosen = cross_validated(pool, fold_of)
        table("5-fold cross-validation (thresholds by inner CV per fold)",
              {"cancu": ours, "bm25 only": fitting.bm25_scores(pool)})
        print("thresholds chosen per fold (accept, review): " + ", ".join(f"({a}, {r})" for a, r in chosen))
        cost = sum(fitting.draft_cost(p, q, *chosen[f]) for p, q, f in zip(pool, probabilities, fold_of)) / len(pool)
        print(f"mean cost per draft (bench/fitting.py's costs, each fold at its own thresholds): {cost:.4f}")
        score, reliability = fitting.brier(pool, probabilities)
        print(f"calibration out of fold: Brier {score:.4f}; bin, pairs, mean probability, share positive:")
        for row in reliability:
            print(f"  {row[0]:<9}{row[1]:>6}{row[2]:>8.3f}{row[3]:>8.3f}")
        loss, auc_secret, auc_right = fitting.separation(pool, probabilities)
        print(f"threshold-free, out of fold: pair log-loss {loss:.4f}; draft AUC of the best probability, "
              f"secret vs not {auc_secret:.3f}, right best item vs not secret {auc_right:.3f}")
        later, _, _ = cross_validated(pool, fold_of, scored=now)
        table(f"same, the public documents (made-up negatives, real) judged on the catalogs in force on {today}",
              {"cancu": later, "bm25 only": fitting.bm25_scores(now)})
        plain, _, _ = cross_validated(pool, fold_of, scored=stripped)
        table("same, scored drafts typed without diacritics (models fitted on the drafts as written)",
              {"cancu": plain, "bm25 only": fitting.bm25_scores(stripped)})
        received, _, _ = cross_validated(pool, fold_of, scored=forwarded)
        table("same, scored drafts forwarded by e-mail: a mail header, then hard-wrapped at 60 characters and quoted",
              {"cancu": received, "bm25 only": fitting.bm25_scores(forwarded)})
        rows, _, _ = cross_validated(pool, fold_of, scored=tabled)
        table('same, scored drafts with their numbered and dashed lines as "|" table rows',
              {"cancu": rows, "bm25 only": fitting.bm25_scores(tabled)})
        for title, transform in (
                ("a reply: the sender's note on top, then \"… đã viết:\" and the draft quoted", as_replied),
                ("tab tables: list lines, header and signature columns as tab-separated cells", as_tab_table),
                ("minutes: body sentences in speaker turns (\"Ông X (chức vụ): …\", a speaker's own line)", as_minutes),
                ("partly without diacritics: the header accented, the body stripped", as_partly_stripped),
                ("partly without diacritics: every other line stripped",
                 lambda t: as_partly_stripped(t, every_other=True)),
                ("partly without diacritics: 3 words in 10 stripped inside accented sentences", as_words_stripped),
                ("one line: every line break lost (a web form's field, a PDF viewer's copy)", as_one_line)):
            scored = fitting.pairs_of(classifier, drafts, transform=transform)
            figures, _, _ = cross_validated(pool, fold_of, scored=scored)
            table(f"same, scored drafts in a form of held-out set B: {title}",
                  {"cancu": figures, "bm25 only": fitting.bm25_scores(scored)})
        trade_off(pool, probabilities)
        if args.seeds > 1:
            repeated(pool, drafts, args.seeds, now)
        by_source(pool)
        lodo, held = leave_one_decision_out(pool)
        print(f"\nleave-one-decision-out top-3 (ranking): {lodo:.3f} over {held} drafts")
        if args.verbose:
            for p, q, f in zip(pool, probabilities, fold_of):
                accept, review = chosen[f]
                result = fitting.answer(p, q, accept, review)
                ok = result.level == p.draft["expected_level"] and (
                    not p.expected_any or (result.accepted and p.y[result.accepted[0]]))
                if not ok:
                    got = [(p.items[i].decision, p.items[i].article, p.items[i].clause, p.items[i].point,
                            p.levels[i], round(float(q[i]), 2)) for i in result.accepted[:3]]
                    rev = [(p.items[i].decision, p.items[i].clause, p.items[i].point, round(float(q[i]), 2))
                           for i in result.review]
                    want = [(e["decision"], e["article"], e["clause"], e["point"], e["level"]) for e in p.draft["expected"]]
                    print(f"✗ {p.draft['id']} {p.draft['kind']:<12} want {want}\n    got {got} level={result.level}"
                          f" review={rev}")
        if not args.no_latency:
            latency(kb, drafts)


if __name__ == "__main__":
    main()
