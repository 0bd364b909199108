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
