"""Write parsed decisions and laws into SQLite with sqlite-utils."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Iterator

from .citation import citation
from .conditions import condition_rows
from .model import Decision, LawText
from .text import fold

SCHEMA_VERSION = "2"  # 2: item_conditions (issue 11); checked on open by kb.snapshot and build.kb_is_current

FTS_COLUMNS = ["text", "heading", "text_folded", "heading_folded"]

# Today in Vietnam (UTC+7 all year, no daylight saving), as cancu.ingest.dates.today gives it.
TODAY_SQL = "date('now', '+7 hours')"


def in_force_predicate(table: str, day: str) -> str:
    """The in-force rule of cancu.kb.validity.in_force as plain SQL over ``table``'s valid_from/valid_until.

    Views are plain SQL so that sqlite3 and sqlite-utils, which lack cancu's SQL
    functions, can read them; Datasette's canned queries call cancu_in_force instead.
    tests/test_ingest.py checks that both and the Python rule agree around every replacement.
    """
    return (f"({table}.valid_from is null or {table}.valid_from <= {day}) "
            f"and ({table}.valid_until is null or {table}.valid_until > {day})")


VIEWS = {
    # An item is in force on D when its decision took effect on or before D and it
    # was not replaced or repealed on or before D; filter the view on valid_from /
    # valid_until, or use items_in_force_today.
    "item_validity": """
        select items.id, items.decision, items.citation, items.level, items.text,
               items.valid_from, items.valid_until
        from items where items.catalog_item = 1
    """,
    "items_in_force_today": f"""
        select items.* from items
        where items.catalog_item = 1
          and {in_force_predicate("items", TODAY_SQL)}
    """,
    "replacements": """
        select old.number as replaced, old.date as replaced_date, old.field as field,
               new.number as replaced_by, new.date as replaced_by_date, old.valid_until as since
        from decisions old join decisions new on new.number = old.replaced_by
    """,
}


# Tables that a knowledge base built from catalog texts only (--no-shipped) leaves
# without rows: created up front, since sqlite-utils creates a table on its first row.
OPTIONAL_TABLES = {
    "repeals": ({"decision": str, "article": int, "clause": int, "repealed_by": str, "effective": str,
                 "statement": str}, {}),
    "laws": ({"number": str, "date": str, "title": str, "issuer": str, "effective": str, "status": str,
              "replaces": str, "replaced_by": str, "text_completeness": str, "missing": str, "notes": str,
              "sources": str, "source_file": str}, {"pk": "number"}),
    "law_articles": ({"law": str, "article": int, "clause": int, "point": str, "title": str, "text": str,
                      "position": int}, {"foreign_keys": [("law", "laws", "number")]}),
    "protection_terms": ({"law": str, "level": str, "years": int, "article": int, "clause": int, "point": str,
                          "valid_from": str, "valid_until": str}, {}),
}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def decision_row(decision: Decision, valid_until: dt.date | None, replaced_by: str | None) -> dict:
    items = [u for u in decision.units if u.is_catalog_item]
    return {
        "number": decision.number,
        "date": _iso(decision.date),
        "title": decision.title,
        "field": decision.field,
        "issuer": decision.issuer,
        "effective": _iso(decision.effective),
        "valid_from": _iso(decision.valid_from),
        "valid_until": _iso(valid_until),
        "status": decision.status,
        "replaces": json.dumps(list(decision.replaces), ensure_ascii=False),
        "replaced_by": replaced_by,
        "text_completeness": decision.text_completeness,
        "missing": decision.missing,
        "sources": json.dumps([asdict(s) for s in decision.sources], ensure_ascii=False),
        "source_file": decision.source_file,
        "has_text": int(decision.has_text),
        "item_count": len(items),
        "top_level": max((u.level for u in items), key=lambda level: level.rank, default=None),
        "warnings": json.dumps(list(decision.warnings), ensure_ascii=False) if decision.warnings else None,
    }


def item_rows(decision: Decision, first_id: int, valid_until_of) -> Iterator[dict]:
    """One row per unit of the decision, ids assigned in document order."""
    ids = {unit.path: first_id + index for index, unit in enumerate(decision.units)}
    for unit in decision.units:
        level = unit.level.value if unit.level else None
        heading = " › ".join(unit.heading)
        yield {
            "id": ids[unit.path],
            "decision": decision.number,
            "path": unit.path,
            "kind": unit.kind.value,
            "label": unit.label,
            "article": unit.article,
            "clause": unit.clause,
            "point": unit.point,
            "level": level,
            "level_rank": unit.level.rank if unit.level else None,
            "catalog_item": int(unit.is_catalog_item),
            "text": unit.text,
            "heading": heading,
            "citation": citation(decision.number, decision.date, decision.issuer,
                                 unit.article, unit.clause, unit.point, level) if unit.level else None,
            "position": unit.position,
            "parent_id": ids.get(unit.parent_path) if unit.parent_path else None,
            "line": unit.line,
            "valid_from": _iso(decision.valid_from),
            "valid_until": _iso(valid_until_of(unit)),
            "text_folded": fold(unit.text),
            "heading_folded": fold(heading),
        }


def law_rows(laws: Iterable[LawText]) -> tuple[list[dict], list[dict]]:
    documents, provisions = [], []
    for law in laws:
        documents.append({
            "number": law.number, "date": _iso(law.date), "title": law.title, "issuer": law.issuer,
            "effective": _iso(law.effective), "status": law.status,
            "replaces": json.dumps(list(law.replaces), ensure_ascii=False), "replaced_by": law.replaced_by,
            "text_completeness": law.text_completeness, "missing": law.missing, "notes": law.notes,
            "sources": json.dumps([asdict(s) for s in law.sources], ensure_ascii=False),
            "source_file": law.source_file,
        })
        for provision in law.provisions:
            provisions.append({
                "law": law.number, "article": provision.article, "clause": provision.clause,
                "point": provision.point, "title": provision.title, "text": provision.text,
                "position": provision.position,
            })
    return documents, provisions


def write_kb(
    db_path: Path,
    decisions: list[Decision],
    validity: dict[str, tuple[dt.date | None, str | None]],
    item_valid_until,
    laws: list[LawText],
    terms: list[dict],
    meta: dict[str, str],
) -> None:
    """Create every table, index, view and the full-text index in a new database file."""
    import sqlite_utils  # only a build needs it: commands that check the KB's freshness import this module

    db = sqlite_utils.Database(db_path)
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    for name, (columns, options) in OPTIONAL_TABLES.items():
        db[name].create(columns, **options)
    db["decisions"].insert_all(
        (decision_row(d, *validity[d.number]) for d in decisions),
        pk="number",
        columns={"top_level": str, "valid_until": str, "effective": str, "date": str, "replaced_by": str,
                 "warnings": str, "title": str, "field": str, "text_completeness": str, "missing": str},
    )
    rows: list[dict] = []
    for decision in decisions:
        rows.extend(item_rows(decision, len(rows) + 1, lambda unit, d=decision: item_valid_until(d, unit)))
    db["items"].insert_all(
        rows,
        pk="id",
        foreign_keys=[("decision", "decisions", "number"), ("parent_id", "items", "id")],
        columns={"article": int, "clause": int, "point": str, "level": str, "level_rank": int, "label": str,
                 "citation": str, "parent_id": int, "valid_until": str, "valid_from": str},
    )
    db["items"].create_index(["decision", "article", "clause", "point"])
    db["items"].create_index(["catalog_item", "level"])
    # What each item protects, whose/which and when, with spans into items.text (ingest/conditions.py).
    db["item_conditions"].insert_all(
        condition_rows(rows), pk="id",
        columns={"id": int, "item_id": int, "kind": str, "code": str, "text": str, "start": int, "end": int,
                 "params": str, "source": str},
        foreign_keys=[("item_id", "items", "id")],
    )
    db["item_conditions"].create_index(["item_id"])
    db["items"].enable_fts(FTS_COLUMNS, tokenize="unicode61 remove_diacritics 2", create_triggers=False)
    repeal_rows = [
        {"decision": r.decision, "article": r.article, "clause": clause, "repealed_by": d.number,
         "effective": _iso(d.valid_from), "statement": r.statement}
        for d in decisions for r in d.repeals for clause in r.clauses
    ]
    db["repeals"].insert_all(repeal_rows, columns={"decision": str, "article": int, "clause": int,
                                                   "repealed_by": str, "effective": str, "statement": str})
    documents, provisions = law_rows(laws)
    db["laws"].insert_all(documents, pk="number", columns={"date": str, "effective": str, "replaced_by": str})
    db["law_articles"].insert_all(
        provisions, columns={"law": str, "article": int, "clause": int, "point": str, "title": str, "text": str},
        foreign_keys=[("law", "laws", "number")],
    )
    db["law_articles"].create_index(["law", "article", "clause", "point"])
    db["protection_terms"].insert_all(terms, columns={"law": str, "level": str, "years": int, "article": int,
                                                      "clause": int, "point": str, "valid_from": str, "valid_until": str})
    db["meta"].insert_all(({"key": k, "value": v} for k, v in sorted(meta.items())), pk="key")
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
    db.execute("pragma user_version = " + SCHEMA_VERSION)
    db.conn.commit()
    db.execute("vacuum")
    db.close()

