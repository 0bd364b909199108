"""Counts over a built knowledge base, for `cancu stats`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .model import Level


@dataclass(frozen=True)
class KBStats:
    """Codes as stored ("in_force", "partial"; "none" for a decision without text); the CLI shows their labels."""

    by_status: list[tuple[str, int]]
    by_completeness: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    per_decision: list[dict]  # number, status, text_completeness, and a count per level value


def kb_stats(db_path: Path) -> KBStats:
    """Decisions by status and completeness, catalog items by level, per decision."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        by_status = connection.execute(
            "select coalesce(status, 'unknown'), count(*) from decisions group by 1 order by 2 desc, 1"
        ).fetchall()
        by_completeness = connection.execute(
            "select coalesce(text_completeness, case when has_text then 'unknown' else 'none' end), count(*) "
            "from decisions group by 1 order by 2 desc, 1"
        ).fetchall()
        by_level = connection.execute(
            "select level, count(*) from items where catalog_item group by level order by max(level_rank) desc"
        ).fetchall()
        levels = list(Level)
        counts = ", ".join("sum(i.level = ?)" for _ in levels)
        cursor = connection.execute(
            f"""select d.number, coalesce(d.status, 'unknown'),
                       coalesce(d.text_completeness, case when d.has_text then 'unknown' end), {counts}
                from decisions d join items i on i.decision = d.number and i.catalog_item
                group by d.number order by d.valid_from, d.number""", [level.value for level in levels])
        per_decision = [{"number": row[0], "status": row[1], "text_completeness": row[2],
                         **{level.value: count for level, count in zip(levels, row[3:])}} for row in cursor]
    finally:
        connection.close()
    return KBStats(by_status, by_completeness, by_level, per_decision)
