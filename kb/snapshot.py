"""An immutable in-memory snapshot of the knowledge base.

``load_kb`` reads SQLite once (read-only) so that classification and checks run
against plain Python objects and never write to the database. The file is first
copied into an in-memory database (it is well under a megabyte) with SQLite's
backup API; the snapshot and every search connection (``KB.connect``) read that
copy, so a run sees one knowledge base from start to end even when ``cancu ingest``
replaces the file meanwhile.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import threading
from dataclasses import dataclass, fields
from pathlib import Path

from cancu.ingest.conditions import ItemCondition as ConditionRecord
from cancu.ingest.dates import parse_iso
from cancu.ingest.errors import KnowledgeBaseUnusable
from cancu.ingest.parse import normalize_number, number_key
from cancu.ingest.store import SCHEMA_VERSION

from .validity import in_force, register_sql_functions


@dataclass(frozen=True)
class DecisionRecord:
    number: str
    date: dt.date | None
    title: str | None
    field: str | None
    issuer: str | None
    effective: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str | None
    replaces: tuple[str, ...]
    replaced_by: str | None
    text_completeness: str | None
    missing: str | None
    has_text: bool
    item_count: int

    def in_force_on(self, on: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_until, on)

    @property
    def is_complete(self) -> bool:
        """Only a full text lets the tool say an item does not exist."""
        return self.text_completeness == "full"


@dataclass(frozen=True)
class ItemRecord:
    id: int
    decision: str
    path: str
    kind: str
    label: str | None
    article: int | None
    clause: int | None
    point: str | None
    level: str | None
    level_rank: int | None
    catalog_item: bool
    text: str
    heading: str
    citation: str | None
    position: int
    parent_id: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    text_folded: str
    heading_folded: str
    # Object, restrictors and conditions of a catalog item, in text order (table item_conditions).
    conditions: tuple[ConditionRecord, ...] = ()

    def in_force_on(self, on: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_until, on)


@dataclass(frozen=True)
class RepealRecord:
    """A provision repealed by a later decision ("Bãi bỏ các khoản 7, … Điều 1 Quyết định số …")."""

    decision: str
    article: int | None
    clause: int | None
    repealed_by: str
    effective: dt.date | None


@dataclass(frozen=True)
class Term:
    law: str
    level: str
    years: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None


class KB:
    """Decisions, items and protection terms of one knowledge-base file."""

    def __init__(self, path: Path, decisions: dict[str, DecisionRecord], items: tuple[ItemRecord, ...],
                 terms: tuple[Term, ...], meta: dict[str, str], law_texts: tuple[str, ...] = (),
                 repeals: tuple[RepealRecord, ...] = (), copy: "_MemoryCopy | None" = None):
        self.path = path
        self._copy = copy
        self.repeals = repeals
        self.law_texts = law_texts  # provisions of the laws, decrees and circulars
        self.decisions = decisions
        self.items = items
        self.terms = terms
        self.meta = meta
        self.catalog_items = tuple(item for item in items if item.catalog_item)
        self.items_by_id = {item.id: item for item in items}
        self._by_key = {number_key(number): record for number, record in decisions.items()}

    def serialize(self) -> bytes:
        """The database this snapshot was read from, as bytes (see ``load_kb(path, image)``)."""
        if self._copy is not None:
            return self._copy.serialize()
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as connection:
            return connection.serialize()

    def __getstate__(self) -> dict:
        """Pickled without the in-memory copy (a connection cannot cross processes): connect() then opens the file."""
        return {**self.__dict__, "_copy": None}

    def connect(self) -> sqlite3.Connection:
        """A read-only connection to the same database this snapshot was read from (for full-text search)."""
        connection = (self._copy.connect() if self._copy is not None
                      else sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False))
        register_sql_functions(connection)  # cancu_in_force / cancu_today: the one in-force rule in SQL too
        return connection

    def decision(self, number: str) -> DecisionRecord | None:
        """The decision with this number in any spelling ("531/QD-TTg", "07/2018/QĐ-TTg")."""
        canonical = normalize_number(number) or number
        return self._by_key.get(number_key(canonical))

    def find_units(self, number: str, article: int | None, clause: int | None, point: str | None) -> list[ItemRecord]:
        """Units whose article, clause and point equal those given (None = not given)."""
        record = self.decision(number)
        if record is None:
            return []
        return [item for item in self.items
                if item.decision == record.number and (item.article, item.clause, item.point) == (article, clause, point)]

    def successor_on(self, number: str, on: dt.date) -> DecisionRecord | None:
        """The decision that replaced ``number`` and was in force on ``on`` (following the chain)."""
        record = self.decision(number)
        seen = set()
        while record and record.replaced_by and record.number not in seen:
            seen.add(record.number)
            record = self.decisions.get(record.replaced_by)
            if record and record.in_force_on(on):
                return record
        return None

    def repeal_of(self, number: str, article: int | None, clause: int | None) -> RepealRecord | None:
        """The repeal of this provision stated by a later decision, if any.

        A repealing decision names provisions that a partial text in the KB may
        not hold (2238/QĐ-TTg is only a summary): its statement is what the KB knows of them.
        """
        record = self.decision(number)
        if record is None:
            return None
        return next((r for r in self.repeals if r.decision == record.number and r.article == article
                     and r.clause == clause), None)

    def protection_years(self, level: str, on: dt.date) -> int | None:
        """Years of protection for a level under the law in force on ``on`` (None if unknown)."""
        for term in self.terms:
            if term.level == level and in_force(term.valid_from, term.valid_until, on):
                return term.years
        return None

    def parent(self, item: ItemRecord) -> ItemRecord | None:
        return self.items_by_id.get(item.parent_id) if item.parent_id else None


def _rows(connection: sqlite3.Connection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _record(cls, row: dict):
    values = {}
    for spec in fields(cls):
        value = row.get(spec.name)
        if spec.type in ("dt.date | None",):
            value = parse_iso(value)
        elif spec.name in ("catalog_item", "has_text"):
            value = bool(value)
        elif spec.name == "replaces":
            value = tuple(json.loads(value or "[]"))
        values[spec.name] = value
    return cls(**values)


def _conditions(connection: sqlite3.Connection) -> dict[int, tuple[ConditionRecord, ...]]:
    """Item conditions by item id; empty for a knowledge base built before the table existed."""
    if not connection.execute("select 1 from sqlite_master where name = 'item_conditions'").fetchone():
        return {}
    grouped: dict[int, list[ConditionRecord]] = {}
    for row in _rows(connection, "select * from item_conditions order by item_id, id"):
        grouped.setdefault(row["item_id"], []).append(ConditionRecord(
            row["kind"], row["code"], row["text"], row["start"], row["end"], json.loads(row["params"] or "{}"),
            row.get("source") or "text"))
    return {item_id: tuple(parts) for item_id, parts in grouped.items()}


class _MemoryCopy:
    """A knowledge-base file copied into a shared in-memory database that lives as long as this object."""

    _names = itertools.count()
    _lock = threading.Lock()

    def __init__(self, source: sqlite3.Connection):
        with self._lock:
            self.uri = f"file:cancu-kb-{id(self)}-{next(self._names)}?mode=memory&cache=shared"
        self._keeper = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
        source.backup(self._keeper)

    def serialize(self) -> bytes:
        """The copied database as bytes, for worker processes that must read the very same knowledge base."""
        return self._keeper.serialize()

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
        connection.execute("pragma query_only = 1")
        connection.execute("pragma read_uncommitted = 1")  # shared cache: readers never wait on each other
        return connection

    def __del__(self) -> None:
        keeper = getattr(self, "_keeper", None)
        if keeper is not None:
            keeper.close()


def open_copy(db_path: Path) -> _MemoryCopy:
    """Copy the knowledge base into memory, refusing a missing, damaged or older-schema file."""
    if not db_path.is_file():
        raise KnowledgeBaseUnusable(db_path, "không có cơ sở dữ liệu")
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            (version,) = source.execute("pragma user_version").fetchone()
            tables = {row[0] for row in source.execute("select name from sqlite_master where type = 'table'")}
            if not {"decisions", "items", "meta"} <= tables:
                raise KnowledgeBaseUnusable(db_path, "không phải cơ sở dữ liệu của cancu",
                                            "chọn tệp khác bằng --db hoặc xóa tệp này để dựng lại")
            if str(version) != SCHEMA_VERSION:
                raise KnowledgeBaseUnusable(db_path, f"cơ sở dữ liệu theo lược đồ phiên bản {version}, "
                                            f"bản cancu này cần phiên bản {SCHEMA_VERSION}")
            return _MemoryCopy(source)
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise KnowledgeBaseUnusable(db_path, f"cơ sở dữ liệu hỏng hoặc không đọc được ({error})") from None


def load_kb(db_path: str | Path, image: bytes | None = None) -> KB:
    """Read the knowledge base once, read-only, into an immutable snapshot (see the module docstring).

    ``image`` (from ``KB.serialize()``) is the database itself: worker processes of a batch
    load the parent's copy so that the whole batch reads one knowledge base. Raises
    KnowledgeBaseUnusable for a missing, damaged, foreign or older-schema file.
    """
    db_path = Path(db_path)
    if image is None:
        copy = open_copy(db_path)
    else:
        source = sqlite3.connect(":memory:")
        source.deserialize(image)
        copy = _MemoryCopy(source)
        source.close()
    connection = copy.connect()
    try:
        decisions = {row["number"]: _record(DecisionRecord, row) for row in _rows(connection, "select * from decisions")}
        conditions = _conditions(connection)
        items = tuple(_record(ItemRecord, {**row, "conditions": conditions.get(row["id"], ())})
                      for row in _rows(connection, "select * from items order by id"))
        terms = tuple(Term(r["law"], r["level"], r["years"], parse_iso(r["valid_from"]),
                           parse_iso(r["valid_until"])) for r in _rows(connection, "select * from protection_terms"))
        meta = {row["key"]: row["value"] for row in _rows(connection, "select key, value from meta")}
        law_texts = tuple(row["text"] for row in _rows(connection, "select text from law_articles") if row["text"])
        repeals = tuple(RepealRecord(r["decision"], r["article"], r["clause"], r["repealed_by"],
                                     parse_iso(r["effective"])) for r in _rows(connection, "select * from repeals"))
    except sqlite3.DatabaseError as error:
        raise KnowledgeBaseUnusable(db_path, f"cơ sở dữ liệu thiếu bảng hoặc cột ({error})") from None
    finally:
        connection.close()
    return KB(db_path, decisions, items, terms, meta, law_texts, repeals, copy)
