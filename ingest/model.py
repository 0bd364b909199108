"""The parsed shape of a catalog decision: plain frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from .text import fold


class Level(str, Enum):
    """Secrecy levels of Article 8, Law 29/2018/QH14; the values go into the database.

    The one map between a level, its rank, its stamp, its key and its spellings: ``rank``,
    ``stamp``, ``key``, ``parse``, ``from_stamp``, ``from_folded``. Nothing else spells them out.
    """

    TOP_SECRET = "Tuyệt mật"
    SECRET = "Tối mật"
    CONFIDENTIAL = "Mật"

    @property
    def rank(self) -> int:
        """3 for Tuyệt mật, 2 for Tối mật, 1 for Mật: a document takes the highest."""
        return {"Tuyệt mật": 3, "Tối mật": 2, "Mật": 1}[self.value]

    @property
    def key(self) -> str:
        """"tuyet-mat", "toi-mat", "mat": the level in unit paths and CSS classes (folded, blanks as '-')."""
        return fold(self.value).replace(" ", "-")

    @property
    def stamp(self) -> str:
        """The stamp printed on a document: "TUYỆT MẬT", "TỐI MẬT", "MẬT"."""
        return self.value.upper()

    @classmethod
    def parse(cls, words: str) -> "Level":
        """"tối mật", "TỐI MẬT", "Tối Mật" → Level.SECRET."""
        key = " ".join(words.split()).lower()
        for level in cls:
            if level.value.lower() == key:
                return level
        raise ValueError(f"không phải độ mật: {words!r}")

    @classmethod
    def from_folded(cls, words: str) -> "Level":
        """"toi mat", "toimat", "TOI MAT" (folded, blanks optional) → Level.SECRET; for patterns over folded text."""
        key = "".join(words.split()).lower()
        for level in cls:
            if fold(level.value).replace(" ", "") == key:
                return level
        raise ValueError(f"không phải độ mật: {words!r}")

    @classmethod
    def from_stamp(cls, stamp: str) -> "Level":
        """"TỐI MẬT" (the stamp as printed) → Level.SECRET."""
        return cls.parse(stamp)


class UnitKind(str, Enum):
    """What a unit of a decision is, as printed."""

    ARTICLE = "article"  # "Điều 1. …"
    LEVEL = "level"  # a level heading printed without an article number
    CLAUSE = "clause"  # "1. …"
    POINT = "point"  # "a) …"
    BULLET = "bullet"  # "- …", "+ …"
    PARAGRAPH = "paragraph"  # an unnumbered line


@dataclass(frozen=True)
class Unit:
    """One line-level provision of a decision.

    ``path`` is built from the printed labels and ends with "." so that a prefix
    query for "1.1." never matches clause 10 ("1.10."). Units without a printed
    label (bullets, paragraphs) get "b<n>"/"p<n>" segments: those are keys for
    the database, never printed in a citation.
    """

    path: str
    parent_path: str | None
    kind: UnitKind
    label: str | None
    article: int | None
    clause: int | None
    point: str | None
    level: Level | None
    text: str
    line: int
    position: int
    is_heading: bool = False
    heading: tuple[str, ...] = ()

    @property
    def is_catalog_item(self) -> bool:
        """A citable catalog entry: under a level, with its own content."""
        return (
            self.level is not None
            and self.kind not in (UnitKind.ARTICLE, UnitKind.LEVEL)
            and not self.is_heading
        )


@dataclass(frozen=True)
class Source:
    """Where a text was taken from (front matter ``sources``)."""

    url: str
    kind: str
    note: str | None = None


@dataclass(frozen=True)
class Repeal:
    """A partial repeal a decision states: "Bãi bỏ các khoản 7, … Điều 1 Quyết định số …"."""

    decision: str
    article: int | None
    clauses: tuple[int, ...]
    statement: str


@dataclass(frozen=True)
class Decision:
    """A Prime Minister's catalog decision with its units in document order."""

    number: str
    date: dt.date | None
    title: str | None
    field: str | None
    issuer: str | None
    effective: dt.date | None
    status: str | None
    replaces: tuple[str, ...]
    replaced_by: str | None
    text_completeness: str | None
    missing: str | None
    sources: tuple[Source, ...]
    source_file: str | None
    units: tuple[Unit, ...] = ()
    repeals: tuple[Repeal, ...] = ()
    stated_effective: dt.date | None = None
    stated_replaces: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def has_text(self) -> bool:
        return bool(self.units)

    @property
    def valid_from(self) -> dt.date | None:
        """In force from its effective date, or its signing date when that is unknown."""
        return self.effective or self.date


@dataclass(frozen=True)
class LawProvision:
    """An article, clause or point of a law, decree or circular."""

    article: int
    clause: int | None
    point: str | None
    title: str | None
    text: str
    position: int


@dataclass(frozen=True)
class LawText:
    """A law-level text (Law, Decree, Circular) cut into provisions."""

    number: str
    date: dt.date | None
    title: str | None
    issuer: str | None
    effective: dt.date | None
    status: str | None
    replaces: tuple[str, ...]
    replaced_by: str | None
    text_completeness: str | None
    missing: str | None
    notes: str | None
    sources: tuple[Source, ...]
    source_file: str | None
    provisions: tuple[LawProvision, ...] = ()
