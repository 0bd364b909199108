"""Text normalisation shared by ingest and the classifier.

The full-text index and every query must fold text the same way, so folding
lives here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alike letters that Vietnamese documents carry from old fonts and
# converters: the Latin capital/small eth (Ð U+00D0, ð U+00F0) is printed for
# "Đ/đ" in many "QÐ-TTg" numbers.
_LOOKALIKES = (("\u00d0", "Đ"), ("\u00f0", "đ"))

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def nfc(text: str) -> str:
    """Unicode NFC with look-alike letters mapped to Vietnamese ones."""
    text = unicodedata.normalize("NFC", text)
    for lookalike, letter in _LOOKALIKES:  # a substring scan in C: str.translate with a table is ~10x slower
        if lookalike in text:
            text = text.replace(lookalike, letter)
    return text


def clean_line(line: str) -> str:
    """NFC, look-alikes fixed, runs of blanks (incl. no-break space) collapsed."""
    return _WS.sub(" ", nfc(line)).strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d, so "Đất đai" and "dat dai" meet.

    SQLite's ``remove_diacritics 2`` keeps "đ" (it is a letter, not a combining
    mark); this fold is stored beside the text so "dat dai" finds "đất đai".
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def vn_date(iso: str) -> str:
    """Format an ISO date the way Vietnamese administrative texts do.

    Decree 30/2020/NĐ-CP: days below 10 and months 1 and 2 take a leading zero
    ("05/6/2020", "06/01/2026", "19/5/2023").
    """
    year, month, day = (int(part) for part in iso.split("-"))
    month_text = f"{month:02d}" if month <= 2 else str(month)
    return f"{day:02d}/{month_text}/{year}"


def fold_aligned(text: str) -> str:
    """``fold(text)`` with exactly one character per character of ``text``.

    Patterns run on folded text while their offsets must still point into the text
    as written (evidence spans, header lines), so a letter that would fold to two
    characters keeps only the first.
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join((fold(ch) or ch)[0] for ch in text)
