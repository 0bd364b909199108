"""Score the classifier on the labelled development drafts, against a bm25-only baseline.

Usage: python bench/eval.py [--dev PATH] [--db PATH] [--verbose] [--passes N]

Scoring follows ../shared/eval/README.md: a proposal matches an expected item when
decision, article, clause, point and level agree (only the expected item's
non-null fields are compared). Prints top-1, top-3, level accuracy and the
false-positive rate for both rankers, then latency per draft (p50/p95, warm)
and the cold start of `cancu classify`. Latency is given for the first pass over
the drafts (model loaded, caches cold) and over N further passes, as a
long-running server sees it; on a shared machine the spread between passes is
printed too, since one pass can be a third slower than the next.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cancu.classifier import classify, load_kb
from cancu.classifier.classify import bm25_ranking, classifier_for
from cancu.classifier.textprep import prepare

from common import ingest_in_child, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
FIELDS = ("decision", "article", "clause", "point", "level")


def matches(proposal: dict, expected: dict) -> bool:
    return all(expected[f] is None or proposal.get(f) == expected[f] for f in FIELDS)


def score_run(drafts: list[dict], answers: list[tuple[list[dict], str | None]]) -> dict:
    with_items = [(d, a) for d, a in zip(drafts, answers) if d["expected"]]
    negatives = [(d, a) for d, a in zip(drafts, answers) if d["kind"] in ("negative", "hard_negative")]
    top1 = sum(bool(a[0]) and any(matches(a[0][0], e) for e in d["expected"]) for d, a in with_items)
    top3 = sum(any(matches(p, e) for p in a[0][:3] for e in d["expected"]) for d, a in with_items)
    level = sum(a[1] == d["expected_level"] for d, a in zip(drafts, answers))
    false_positive = sum(a[1] is not None for _, a in negatives)
    return {
        "top1": top1 / len(with_items), "top3": top3 / len(with_items),
        "level_accuracy": level / len(drafts), "false_positive_rate": false_positive / max(1, len(negatives)),
    }


def run_classifier(drafts: list[dict], kb) -> tuple[list, list[float]]:
    answers, timings = [], []
    for draft in drafts:
        started = time.perf_counter()
        result = classify(draft["text"], kb, as_of=dt.date.fromisoformat(draft["date"]))
        timings.append(time.perf_counter() - started)
        answers.append(([p.to_dict() for p in result.proposals], result.level))
    return answers, timings


def run_baseline(drafts: list[dict], kb) -> list:
    """Plain bm25 over the folded full-text index: the top-ranked item's level, always."""
    classifier = classifier_for(kb)
    answers = []
    for draft in drafts:
        ranking = bm25_ranking(classifier, prepare(draft["text"]), dt.date.fromisoformat(draft["date"]))
        items = [kb.items_by_id[item_id] for item_id, _ in ranking]
        proposals = [{"decision": i.decision, "article": i.article, "clause": i.clause, "point": i.point,
                      "level": i.level} for i in items]
        answers.append((proposals, proposals[0]["level"] if proposals else None))
    return answers


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p95 of timings in seconds, in milliseconds."""
    timings_ms = sorted(t * 1000 for t in timings)
    return statistics.median(timings_ms), timings_ms[min(len(timings_ms) - 1, int(round(0.95 * len(timings_ms))) - 1)]


def cold_start(db: Path, draft_text: str, runs: int = 3) -> list[float]:
    cancu = Path(sys.executable).with_name("cancu")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "du-thao.txt"
        path.write_text(draft_text, encoding="utf-8")
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(cancu), "classify", str(path), "--db", str(db), "--json"],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--passes", type=int, default=5, help="further timed passes over the drafts")
    args = parser.parse_args()
    drafts = read_jsonl(args.dev)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "kb.db"
        if not args.db:
            ingest_in_child(db)
        kb = load_kb(db)
        started = time.perf_counter()
        classify(drafts[0]["text"], kb)  # warm-up: rules, profiles, segmentation model
        warm_up = time.perf_counter() - started
        answers, timings = run_classifier(drafts, kb)
        passes = [run_classifier(drafts, kb)[1] for _ in range(args.passes)]
        baseline = run_baseline(drafts, kb)
        ours, base = score_run(drafts, answers), score_run(drafts, baseline)
        if args.verbose:
            for draft, (proposals, level) in zip(drafts, answers):
                got = [(p["decision"], p["article"], p["clause"], p["point"], p["level"], p["score"]) for p in proposals[:3]]
                want = [(e["decision"], e["article"], e["clause"], e["point"], e["level"]) for e in draft["expected"]]
                ok = level == draft["expected_level"] and (not draft["expected"] or (proposals and any(matches(proposals[0], e) for e in draft["expected"])))
                print(f"{'  ' if ok else '✗ '}{draft['id']} {draft['kind']:<13} want {want} level={draft['expected_level']}\n"
                      f"    got {got} level={level}")
        cold = cold_start(db, drafts[0]["text"])
    print(f"development set: {len(drafts)} drafts ({sum(1 for d in drafts if d['expected'])} with items)")
    print(f"{'measure':<22}{'cancu':>10}{'bm25 only':>12}")
    for key in ("top1", "top3", "level_accuracy", "false_positive_rate"):
        print(f"{key:<22}{ours[key]:>10.3f}{base[key]:>12.3f}")
    p50, p95 = percentiles(timings)
    print(f"latency per draft, first pass: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(first call with model load: {warm_up * 1000:.0f} ms)")
    if passes:
        p50, p95 = percentiles([t for one in passes for t in one])
        spread = sorted(percentiles(one)[0] for one in passes)
        print(f"latency per draft, {len(passes)} further passes: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"(p50 of each pass: {', '.join(f'{x:.1f}' for x in spread)} ms)")
    print(f"cold start of `cancu classify FILE --json`: " + ", ".join(f"{t:.2f} s" for t in cold))


if __name__ == "__main__":
    main()
