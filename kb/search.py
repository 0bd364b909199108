"""FTS5 queries over the knowledge base's folded columns: the one query builder.

The full-text index (``items_fts``, written by cancu.ingest.store) holds the items'
text and headings folded (no diacritics, đ→d). The classifier's candidate search
and the Datasette plugin's search functions both build their queries here, so they
search the same columns and quote terms the same way.
"""

from __future__ import annotations

import re
from typing import Iterable

from cancu.ingest.text import fold

FOLDED_COLUMNS = "{text_folded heading_folded}"
NO_MATCH = '""'  # the empty phrase: a valid FTS5 query that matches nothing
_WORD = re.compile(r"\w+")


def folded_words(text: str | None) -> list[str]:
    """The folded words of free text, in order; FTS5 operators, quotes and underscores are dropped."""
    return _WORD.findall(fold(text or "").replace("_", " "))


def fts_query(terms: Iterable[str], operator: str = "OR") -> str:
    """An FTS5 query over the folded columns joining ``terms`` (words or phrases) with OR or AND.

    Every term is a quoted phrase (a quote inside is doubled), so whatever a term
    holds the query is valid FTS5; duplicates and empty terms are dropped, and no
    term at all gives NO_MATCH.
    """
    if operator not in ("OR", "AND"):
        raise ValueError(f"operator must be OR or AND, not {operator!r}")
    phrases = list(dict.fromkeys(term.strip() for term in terms if term and term.strip()))
    if not phrases:
        return NO_MATCH
    quoted = ('"' + phrase.replace('"', '""') + '"' for phrase in phrases)
    return f"{FOLDED_COLUMNS} : (" + f" {operator} ".join(quoted) + ")"
