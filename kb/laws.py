"""The laws, decrees and circulars of the knowledge base, read once and read-only.

The snapshot in ``snapshot.py`` keeps only the text of law provisions (the classifier
weighs words with it). A proposal has to *cite* a provision and say whether the
document it comes from governs on a given day, so it needs the laws table itself:
number, date, issuer, effective date, what replaced it and how complete its text is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cancu.ingest.citation import document_reference
from cancu.ingest.dates import parse_iso

from .validity import in_force

KINDS = (("/NĐ-CP", "Nghị định"), ("/QH", "Luật"), ("/TT-", "Thông tư"), ("/QĐ-TTg", "Quyết định"))


@dataclass(frozen=True)
class LawRecord:
    number: str
    date: dt.date | None
    title: str | None
    issuer: str | None
    effective: dt.date | None
    status: str | None
    replaced_by: str | None
    text_completeness: str | None

    @property
    def kind(self) -> str:
        """"Nghị định", "Luật", "Thông tư", read from the number's suffix."""
        return next((name for marker, name in KINDS if marker in self.number), "Văn bản")

    @property
    def reference(self) -> str:
        """"Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ"."""
        return document_reference(self.kind, self.number, self.date, self.issuer)


@dataclass(frozen=True)
class LawProvision:
    law: LawRecord
    article: int
    clause: int | None
    point: str | None
    text: str

    @property
    def citation(self) -> str:
        """"khoản 1 Điều 2 Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ"."""
        parts = [f"điểm {self.point}" if self.point else "", f"khoản {self.clause}" if self.clause else "",
                 f"Điều {self.article}", self.law.reference]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class TermProvision:
    """A row of protection_terms with the provision that sets it (None when the KB lacks it)."""

    law: str
    level: str
    years: int | None
    article: int | None
    clause: int | None
    point: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None

    def applies_on(self, day: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_until, day)


class LawBook:
    """Laws, their provisions and the protection terms of one knowledge-base file."""

    def __init__(self, laws: dict[str, LawRecord], provisions: dict[tuple, str], terms: tuple[TermProvision, ...]):
        self.laws = laws
        self._provisions = provisions
        self.terms = terms

    def provision(self, law: str, article: int, clause: int | None = None, point: str | None = None) -> LawProvision | None:
        """The provision as the KB holds it, or None: nothing is ever cited that the KB lacks."""
        record = self.laws.get(law)
        text = self._provisions.get((law, article, clause, point))
        if record is None or not text:
            return None
        return LawProvision(record, article, clause, point, text)

    def term(self, level: str, day: dt.date) -> TermProvision | None:
        """The protection term of ``level`` under the law that governs on ``day``."""
        return next((t for t in self.terms if t.level == level and t.applies_on(day)), None)


def load_laws(db_path: str | Path) -> LawBook:
    """Read the laws, law_articles and protection_terms tables (read-only)."""
    connection = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    try:
        laws = {}
        for row in connection.execute("select number, date, title, issuer, effective, status, replaced_by, "
                                      "text_completeness from laws"):
            laws[row[0]] = LawRecord(row[0], parse_iso(row[1]), row[2], row[3], parse_iso(row[4]), row[5],
                                     row[6] or None, row[7])
        provisions = {(law, article, clause, point): text for law, article, clause, point, text in connection.execute(
            "select law, article, clause, point, text from law_articles")}
        terms = tuple(TermProvision(law, level, years, article, clause, point, parse_iso(start), parse_iso(end))
                      for law, level, years, article, clause, point, start, end in connection.execute(
                          "select law, level, years, article, clause, point, valid_from, valid_until "
                          "from protection_terms"))
    finally:
        connection.close()
    return LawBook(laws, provisions, terms)
