"""Accuracy of `cancu check` on the labelled drafts, and its throughput on a generated batch.

Usage: python bench/check.py [--dev PATH] [--db PATH] [--count N] [--verbose] [--failures N]

Accuracy: the five verdicts of tests/data/check/check-dev.jsonl (stamp, has_basis,
basis_exists, basis_in_force, stamp_matches_basis) per field and all five
together; each draft is checked as of its labelled date, since some headers carry
no date. The same drafts are then checked once more with their citations written
the way drafters shorten and wrap them ("k2 Đ1 QĐ …", "k.1 Đ.1", a citation broken
over lines), and as a forwarded e-mail (hard-wrapped, "> " quoted): the labels do not change,
so neither should the verdicts; the same with tab-separated table cells, as minutes with speaker
turns and with every other line typed without diacritics. Generated from the knowledge base:
every catalog item's provision cited in each drafter's style of tests/kb_citations.py, in a small
stamped draft, right and with a wrong stamp, a date before or after the decision's validity, a
point/clause the decision lacks and a number the register lacks; the expected verdicts follow
from the KB (see that module), and every citation the checker prints for these drafts must be a
KB citation. Throughput: N drafts (default 1,000;
half .txt, half .docx) generated in
a temporary folder from the development drafts, checked through the same batch
function the CLI uses, with 1 and 2 worker processes, and once end to end with
`cancu check --workers 2`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

from cancu.classifier import load_kb
from cancu.checker.check import check_files, check_text, collect_drafts

from common import as_forwarded, as_minutes, as_partly_stripped, as_replied, as_tab_table, knowledge_base, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import kb_citations  # noqa: E402
CHECK_DEV = ROOT / "tests" / "data" / "check" / "check-dev.jsonl"
CLASSIFIER_DEV = ROOT / "tests" / "data" / "eval" / "dev.jsonl"
VERDICTS = ("stamp", "has_basis", "basis_exists", "basis_in_force", "stamp_matches_basis")
# Citations as drafters shorten and wrap them; each rule rewrites the full form of the labelled drafts.
ABBREVIATED = (
    (r"điểm (\w) khoản (\d+) Điều (\d+) Quyết định số", r"điểm \1 k\2 Đ\3 QĐ"),
    (r"khoản (\d+) Điều (\d+) Quyết định số", r"k.\1 Đ.\2 QĐ số"),
    (r"Khoản (\d+), Điều (\d+), QĐ số", r"khoản \1 Đ\2\nQĐ"),
    (r"căn cứ Điều (\d+) Quyết định số", r"căn cứ Đ\1 QĐ"),
)


def abbreviated(draft: dict) -> dict:
    """The draft with its citations shortened the way drafters type them (same labels)."""
    text = draft["text"]
    for pattern, replacement in ABBREVIATED:
        text = re.sub(pattern, replacement, text)
    return {**draft, "text": text}


def accuracy(drafts: list[dict], kb, verbose: bool) -> dict[str, float]:
    right = dict.fromkeys(VERDICTS + ("all_five",), 0)
    for draft in drafts:
        result = check_text(draft["text"], kb, file=draft["id"], as_of=dt.date.fromisoformat(draft["date"])).to_dict()
        wrong = [k for k in VERDICTS if result[k] != draft["expected"][k]]
        for key in VERDICTS:
            right[key] += key not in wrong
        right["all_five"] += not wrong
        if verbose:
            shown = ", ".join(f"{k}: got {result[k]} want {draft['expected'][k]}" for k in wrong) or "ok"
            print(f"  {draft['id']}: {shown}; findings {[f['code'] for f in result['findings']]}")
    return {key: count / len(drafts) for key, count in right.items()}


def _kb_citations(kb) -> set[str]:
    """Every citation string the KB holds: items, and decisions (as named when a basis is replaced)."""
    from cancu.ingest.citation import decision_reference

    return ({item.citation for item in kb.items if item.citation}
            | {decision_reference(r.number, r.date, r.issuer) for r in kb.decisions.values()})


def generated(kb, shown: int) -> None:
    """The five verdicts on drafts whose citations are generated from the KB, per style and variant."""
    cases = kb_citations.cases(kb)
    known = _kb_citations(kb)
    by_style: dict[str, list[int]] = {}
    by_variant: dict[str, list[int]] = {}
    by_verdict = dict.fromkeys(VERDICTS, 0)
    failures, invented = [], set()
    started = time.perf_counter()
    for case in cases:
        result = check_text(case.text, kb, file=f"{case.style}-{case.variant}")
        verdicts = result.to_dict()
        wrong = [k for k in VERDICTS if verdicts[k] != case.expected[k]]
        for key in VERDICTS:
            by_verdict[key] += key not in wrong
        for table, key in ((by_style, case.style), (by_variant, case.variant)):
            table.setdefault(key, [0, 0])
            table[key][0] += not wrong
            table[key][1] += 1
        if wrong:
            failures.append((case, {k: (verdicts[k], case.expected[k]) for k in wrong}))
        printed = [c.citation for c in result.bases if c.citation] + [c.successor_citation for c in result.bases
                                                                      if c.successor_citation]
        invented.update(c for c in printed if c not in known)
    elapsed = time.perf_counter() - started
    print(f"generated from the knowledge base: {len(cases)} drafts, {len(kb_citations.targets(kb))} catalog "
          f"provisions x {len(kb_citations.STYLES)} styles x variants ({elapsed:.0f} s, {len(cases) / elapsed:.0f} drafts/s)")
    print("  all five right, per style:")
    for style, (right, total) in by_style.items():
        print(f"    {style:<28}{right / total:>7.3f}  ({total})")
    print("  all five right, per variant:")
    for variant, (right, total) in by_variant.items():
        print(f"    {variant:<28}{right / total:>7.3f}  ({total})")
    print("  per verdict:")
    for key, right in by_verdict.items():
        print(f"    {key:<28}{right / len(cases):>7.3f}")
    print(f"  citations printed that are not in the KB: {len(invented)}")
    for case, wrong in failures[:shown]:
        print(f"  FAIL [{case.style}/{case.variant}, {case.date}] {case.citation!r}: "
              + ", ".join(f"{k} got {got} want {want}" for k, (got, want) in wrong.items()))


def generate(folder: Path, texts: list[str], count: int) -> None:
    """``count`` drafts, alternately .txt and .docx, each with its own document number."""
    for index in range(count):
        text = texts[index % len(texts)].replace("Số:     /", f"Số: {index + 1:04d}/", 1)
        if index % 2:
            document = docx.Document()
            for line in text.splitlines():
                document.add_paragraph(line)
            document.save(folder / f"du-thao-{index:04d}.docx")
        else:
            (folder / f"du-thao-{index:04d}.txt").write_text(text, encoding="utf-8")


def throughput(paths: list[Path], db: Path, workers: int) -> float:
    started = time.perf_counter()
    results = list(check_files(paths, db, workers=workers))
    elapsed = time.perf_counter() - started
    assert len(results) == len(paths) and not any(r.error for r in results)
    return len(paths) / elapsed


def cli_throughput(folder: Path, db: Path, count: int, workers: int) -> float:
    cancu = Path(sys.executable).with_name("cancu")
    started = time.perf_counter()
    subprocess.run([str(cancu), "check", str(folder), "--db", str(db), "--workers", str(workers), "--format", "json",
                    "--output", os.devnull], check=False, capture_output=True)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=CHECK_DEV)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--failures", type=int, default=8, help="generated drafts that fail, shown by citation")
    args = parser.parse_args()
    drafts = read_jsonl(args.dev)
    with knowledge_base(args.db) as db, tempfile.TemporaryDirectory() as temporary:
        kb = load_kb(db)
        shortened = [abbreviated(d) for d in drafts]
        changed = sum(a["text"] != d["text"] for a, d in zip(shortened, drafts))
        forwarded = [{**d, "text": as_forwarded(d["text"])} for d in drafts]
        for title, sample in ((f"check-dev: {len(drafts)} drafts", drafts),
                              (f"check-dev, citations abbreviated and wrapped ({changed} drafts rewritten)", shortened),
                              ("check-dev forwarded by e-mail: a mail header, then hard-wrapped at 60 characters "
                               "and quoted", forwarded),
                              ("check-dev quoted in a reply under the sender's note",
                               [{**d, "text": as_replied(d["text"])} for d in drafts]),
                              ("check-dev with tab-separated table cells", [{**d, "text": as_tab_table(d["text"])}
                                                                            for d in drafts]),
                              ("check-dev as minutes with speaker turns", [{**d, "text": as_minutes(d["text"])}
                                                                           for d in drafts]),
                              ("check-dev with every other line typed without diacritics",
                               [{**d, "text": as_partly_stripped(d["text"], every_other=True)} for d in drafts])):
            print(title)
            for key, value in accuracy(sample, kb, args.verbose).items():
                print(f"  {key:<22}{value:>7.3f}")
        generated(kb, shown=args.failures)
        texts = [d["text"] for d in drafts]
        if CLASSIFIER_DEV.exists():
            texts += [d["text"] for d in read_jsonl(CLASSIFIER_DEV)]
        folder = Path(temporary) / "batch"
        folder.mkdir()
        generate(folder, texts, args.count)
        paths = collect_drafts([folder])
        print(f"throughput on {len(paths)} generated drafts (half .txt, half .docx, {os.cpu_count()} cores):")
        for workers in (1, 2):
            print(f"  check_files, workers={workers}: {throughput(paths, db, workers):7.1f} drafts/s")
        print(f"  `cancu check --workers 2` end to end: {cli_throughput(folder, db, len(paths), 2):7.1f} drafts/s")


if __name__ == "__main__":
    main()
