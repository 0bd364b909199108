"""Counts over a built knowledge base, for `cancu stats`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils


@dataclass(frozen=True)
class KBStats:
    by_status: list[tuple[str, int]]
    by_completeness: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    per_decision: list[dict]


def kb_stats(db_path: Path) -> KBStats:
    """Decisions by status and completeness, catalog items by level, per decision."""
    db = sqlite_utils.Database(db_path)
    try:
        by_status = db.execute(
            "select coalesce(status, 'unknown'), count(*) from decisions group by 1 order by 2 desc, 1"
        ).fetchall()
        by_completeness = db.execute(
            "select coalesce(text_completeness, case when has_text then 'unknown' else 'none' end), count(*) "
            "from decisions group by 1 order by 2 desc, 1"
        ).fetchall()
        by_level = db.execute(
            "select level, count(*) from items where catalog_item group by level order by max(level_rank) desc"
        ).fetchall()
        per_decision = [dict(zip(("number", "status", "text_completeness", "tuyet_mat", "toi_mat", "mat"), row))
                        for row in db.execute(
            """select d.number, coalesce(d.status, 'unknown'), d.text_completeness,
                      sum(i.level = 'Tuyệt mật'), sum(i.level = 'Tối mật'), sum(i.level = 'Mật')
               from decisions d join items i on i.decision = d.number and i.catalog_item
               group by d.number order by d.valid_from, d.number""").fetchall()]
    finally:
        db.close()
    return KBStats(by_status, by_completeness, by_level, per_decision)
