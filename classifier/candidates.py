"""Candidates: catalog items in force on the draft's date, ranked by bm25 over the KB's full-text index.

Every part of the draft can raise a candidate: the query holds each syllable
pair of the whole draft that some catalog item also has (the catalog's own
vocabulary bounds the query, however long the draft is), weighted by bm25 over
folded text. Folded matching is right here: this stage only has to find the
item; the features stage reads diacritics.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

from cancu.kb import KB
from cancu.kb.search import fts_query

from .rules import Rules
from .textprep import Sentence

CANDIDATES = 50  # items taken from the full-text index (candidate recall: bench/eval.py)
_WORD = re.compile(r"[a-z0-9]+")


def vocabulary(kb: KB) -> frozenset[str]:
    """Folded syllables and syllable pairs of the catalog items and their headings."""
    found: set[str] = set()
    for item in kb.catalog_items:
        for text in (item.text_folded, item.heading_folded):
            syllables = _WORD.findall(text)
            found.update(f"{a} {b}" for a, b in zip(syllables, syllables[1:]))
    return frozenset(found)


def query_terms(sentences: list[Sentence], rules: Rules, known: frozenset[str]) -> list[str]:
    """Syllable pairs of the draft that the catalog also has, without function words, in draft order."""
    terms: dict[str, None] = {}
    for sentence in sentences:
        tokens = sentence.tokens
        stop = rules.stopwords if sentence.accented else rules.stopwords_folded
        for first, second in zip(tokens, tokens[1:]):
            a = first.text.lower() if sentence.accented else first.folded
            b = second.text.lower() if sentence.accented else second.folded
            pair = f"{first.folded} {second.folded}"
            if a not in stop and b not in stop and pair in known and not pair.replace(" ", "").isdigit():
                terms[pair] = None
    return list(terms)


def bm25_ranking(connection: sqlite3.Connection, terms: list[str], as_of: dt.date,
                 limit: int = CANDIDATES) -> list[tuple[int, float]]:
    """(item id, bm25) of catalog items in force on ``as_of``, best first (ties by id)."""
    if not terms:
        return []
    rows = connection.execute(
        """select items.id, bm25(items_fts) as rank from items_fts join items on items.id = items_fts.rowid
           where items_fts match ? and items.catalog_item = 1
             and cancu_in_force(items.valid_from, items.valid_until, ?)
           order by rank, items.id limit ?""",
        (fts_query(terms), as_of.isoformat(), limit),
    ).fetchall()
    return [(item_id, -rank) for item_id, rank in rows]
