"""How an item's conditions (table item_conditions) read to a person: one labelled line each.

The conditions are the catalog's own words, split at ingest into the object
protected, the restrictors (whose, which kind, for what) and the conditions (when:
"chưa công khai", a threshold). Pages, answers and proposals show them the same way.
"""

from __future__ import annotations

KIND_WORDS = {"object": "Đối tượng", "restrictor": "Phạm vi", "condition": "Điều kiện"}
TO_CONFIRM = ("restrictor", "condition")  # what a drafter checks the draft meets; the object is the item itself


def condition_line(kind: str, text: str) -> str:
    """"Điều kiện: “chưa công khai”"."""
    return f"{KIND_WORDS.get(kind, kind)}: “{text}”"


def conditions_sql(item_ids: list[int]) -> str:
    """The query ``condition_lines`` reads: rows (item_id, kind, text) of ``item_ids``, given as parameters."""
    marks = ", ".join("?" for _ in item_ids)
    return f"select item_id, kind, text from item_conditions where item_id in ({marks}) order by item_id, id"


def condition_lines(rows) -> dict[int, list[str]]:
    """The lines a drafter confirms (restrictors and conditions), by item, from ``conditions_sql`` rows."""
    by_item: dict[int, list[str]] = {}
    for item_id, kind, text in rows:
        if kind in TO_CONFIRM:  # the object is the item's own text, shown above it
            by_item.setdefault(item_id, []).append(condition_line(kind, text))
    return by_item
