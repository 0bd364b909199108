"""Item conditions on the development pool: how often they would cancel a right item, how often they stop a near miss.

Usage: python bench/conditions.py [--db PATH] [--verbose]

For each labelled item of a draft (positive, multi, dated) and each near item of
a hard negative (named in its ``why``, or in the pool README for dev.jsonl), the
item's evidence region is taken as the draft line sharing the most syllables with
the item's text (a stand-in for the classifier's evidence), and the item's "already
public / approved" conditions are evaluated there (``classifier.conditions.evaluate``);
thresholds (area, scale, category, grade) describe the object and are evaluated on
the whole draft. A restrictor or circumstance is evaluated on the whole draft:
"met" when one of its terms occurs as written.

Prints, for right items: the share with a condition "failed" in its region (a
wrong cancel) and the share with a restrictor whose terms never occur (drafts
paraphrase, so the classifier should weigh that, not require it); for near
misses: the share stopped by a failed condition or an unmet restrictor.
Figures are counts over a small pool; read them as such.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from cancu.classifier.conditions import FAILED, MET, evaluate
from cancu.ingest.text import fold
from cancu.kb import load_kb

from common import knowledge_base, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
POOL = ROOT / "tests" / "data" / "eval"

# Near items of dev.jsonl's hard negatives, as its README's table names them.
DEV_NEAR = {
    "d-005": ("531/QĐ-TTg", None, 1, 1, None),
    "d-012": ("970/QĐ-TTg", None, 1, None, None),
    "d-021": ("774/QĐ-TTg", None, 1, 1, "c"),
    "d-027": ("440/QĐ-TTg", "Mật", None, 1, None),
    "d-035": ("562/QĐ-TTg", None, 2, 3, "c"),
}
NEAR = re.compile(r"Gần (?P<decision>\d+(?:/\d{4})?/QĐ-TTg)(?: mục (?P<level>Tuyệt mật|Tối mật|Mật))?"
                  r"(?: Điều (?P<article>\d+))?(?: khoản (?P<clause>\d+))?(?: điểm (?P<point>[a-zđ]))?(?=[ ,(])")


def near_ref(draft: dict) -> tuple | None:
    if draft["id"] in DEV_NEAR:
        return DEV_NEAR[draft["id"]]
    match = NEAR.match(draft.get("why") or "")
    if not match:
        return None
    number = lambda name: int(match.group(name)) if match.group(name) else None  # noqa: E731
    return match.group("decision"), match.group("level"), number("article"), number("clause"), match.group("point")


def items_of(kb, decision: str, level: str | None, article: int | None, clause: int | None, point: str | None):
    """Catalog items under the reference (a whole Điều or level list when no clause is given)."""
    record = kb.decision(decision)
    found = [item for item in kb.catalog_items if record and item.decision == record.number
             and (level is None or item.level == level) and (article is None or item.article == article)
             and (clause is None or item.clause == clause) and (point is None or item.point == point)]
    return found


def syllables(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", fold(text)) if len(word) > 1}


def evidence_line(text: str, item) -> str:
    wanted = syllables(item.text)
    lines = [line for line in text.splitlines() if line.strip()]
    return max(lines, key=lambda line: len(syllables(line) & wanted))


LOCAL = {"not_public", "before_announcement", "not_approved", "after_approval", "in_progress", "exception"}


def judge(draft_text: str, item) -> tuple[str | None, str | None, list[str]]:
    """(failed condition code, unmet restrictor code, notes) for one item in one draft."""
    region = evidence_line(draft_text, item)
    failed = unmet = None
    notes = []
    for part in item.conditions:
        if part.kind == "condition" and part.code != "circumstance":
            # Public or not is read where the evidence is; a threshold describes the object, stated anywhere.
            verdict = evaluate(part, region if part.code in LOCAL else draft_text)
            if verdict.state == FAILED and failed is None:
                failed = part.code
                notes.append(f"{part.code}: {verdict.reason}")
        elif part.kind == "restrictor" or part.code == "circumstance":
            if evaluate(part, draft_text).state != MET and unmet is None:
                unmet = part.code
                notes.append(f"{part.code} không thấy: {part.text[:80]}")
    return failed, unmet, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with knowledge_base(args.db) as db:
        kb = load_kb(db)
    drafts = read_jsonl(POOL / "dev.jsonl") + read_jsonl(POOL / "dev2.jsonl")
    right, near = Counter(), Counter()
    for draft in drafts:
        if draft["expected"]:
            for expected in draft["expected"]:
                for item in items_of(kb, expected["decision"], expected["level"], expected["article"],
                                     expected["clause"], expected["point"]):
                    failed, unmet, notes = judge(draft["text"], item)
                    right["pairs"] += 1
                    right["with condition"] += any(p.kind == "condition" for p in item.conditions)
                    right["with restrictor"] += any(p.kind == "restrictor" for p in item.conditions)
                    right["condition failed (wrong cancel)"] += failed is not None
                    right["restrictor terms absent"] += unmet is not None
                    if args.verbose and (failed or unmet):
                        print(f"  right {draft['id']} {item.decision} {item.path}: {'; '.join(notes)}")
        elif draft["kind"] == "hard_negative":
            ref = near_ref(draft)
            targets = items_of(kb, *ref) if ref else []
            near["drafts"] += 1
            if not targets:
                near["near item not identified"] += 1
                continue
            results = [judge(draft["text"], item) for item in targets]
            near["stopped by a failed condition"] += all(failed for failed, _, _ in results)
            near["stopped by an unmet restrictor (no failed condition)"] += all(
                unmet and not failed for failed, unmet, _ in results)
            near["not stopped"] += any(not failed and not unmet for failed, unmet, _ in results)
            if args.verbose:
                for item, (failed, unmet, notes) in zip(targets, results):
                    print(f"  near {draft['id']} {item.decision} {item.path}: {'; '.join(notes) or 'không có tín hiệu'}")
    print(f"Right items (dev + dev2 positives, multi, dated): {right['pairs']} (draft, item) pairs")
    for key in ("with condition", "with restrictor", "condition failed (wrong cancel)", "restrictor terms absent"):
        print(f"  {key}: {right[key]} ({right[key] / max(1, right['pairs']):.1%})")
    print(f"Near misses (hard negatives): {near['drafts']} drafts")
    for key in ("near item not identified", "stopped by a failed condition",
                "stopped by an unmet restrictor (no failed condition)", "not stopped"):
        print(f"  {key}: {near[key]}")


if __name__ == "__main__":
    sys.exit(main())
