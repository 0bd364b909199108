"""Whether a decision, an item or a protection term is in force on a date: the one rule.

A catalog item (or decision) is in force on day D when it took effect on or before
D (``valid_from``: its effective date, or its signing date when that is unknown; no
known start bounds nothing) and was not replaced or repealed on or before D
(``valid_until``: the day its successor or its repeal takes effect). Python code
calls ``in_force``; SQL calls the same function registered as
``cancu_in_force(valid_from, valid_until, day)`` (``register_sql_functions``), with
``cancu_today()`` for today in Vietnam.

The store's views (``cancu.ingest.store.VIEWS``) are written in plain SQL, so that
sqlite3 and sqlite-utils can read them without cancu's functions; their predicate is
``cancu.ingest.store.in_force_predicate``, and tests/test_ingest.py checks that it, the
SQL function and ``in_force`` agree on every day around each replacement.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from cancu.ingest.dates import today


def in_force(valid_from: dt.date | None, valid_until: dt.date | None, day: dt.date) -> bool:
    """In force on ``day``: took effect on or before it, not replaced or repealed on or before it."""
    return (valid_from is None or valid_from <= day) and (valid_until is None or valid_until > day)


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def in_force_sql(valid_from: str | None, valid_until: str | None, day: str | None) -> int | None:
    """``in_force`` on ISO text, as SQL passes it: 1 or 0; NULL when the day is NULL or a date is malformed."""
    try:
        on = _date(day)
        if on is None:
            return None
        return int(in_force(_date(valid_from), _date(valid_until), on))
    except ValueError:
        return None


def today_sql() -> str:
    """Today in Vietnam as ISO text, for SQL (``cancu_today()``)."""
    return today().isoformat()


def register_sql_functions(connection: sqlite3.Connection) -> None:
    """Register cancu_in_force (deterministic) and cancu_today (not: it changes at midnight in Vietnam)."""
    connection.create_function("cancu_in_force", 3, in_force_sql, deterministic=True)
    connection.create_function("cancu_today", 0, today_sql)
