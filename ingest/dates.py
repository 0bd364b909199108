"""Dates as Vietnamese documents write them."""

from __future__ import annotations

import datetime as dt
import re

_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")


def _make(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """First date written "ngày 19 tháng 5 năm 2023" or "19/5/2023" in ``text``."""
    found = [(m.start(), m) for m in _WORDS.finditer(text)]
    found += [(m.start(), m) for m in _SLASHED.finditer(text)]
    for _, match in sorted(found, key=lambda pair: pair[0]):
        date = _make(*match.groups())
        if date:
            return date
    return None


def header_date(text: str) -> dt.date | None:
    """The place-and-date line of a document header: "Hà Nội, ngày 12 tháng 3 năm 2026".

    Only the "…, ngày … tháng … năm …" form counts: a header never writes its own
    date as "12/3/2026", while bodies are full of such dates.
    """
    for match in re.finditer(r",\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text, re.IGNORECASE):
        date = _make(*match.groups())
        if date:
            return date
    return None


def parse_iso(value: str | None) -> dt.date | None:
    """An ISO date from front matter, or None for empty values."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
