"""What the classifier returns: plain frozen dataclasses with a stable JSON form.

The JSON form (``Classification.to_dict``) is a documented contract, see
README "Định dạng JSON": as_of, as_of_source, level, proposals[decision, article,
clause, point, level, score, citation, text, evidence, warnings, ...], warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

_LINE_BREAKS = re.compile(r"[ \t]*\r?\n[ \t>]*")


@dataclass(frozen=True)
class Evidence:
    """A sentence of the draft that matched an item, and the words they share."""

    draft_span: str  # the matched words as the draft writes them (short, never a whole draft)
    item_span: str  # the words of the catalog item they match (whole words of the item, its heading included)
    sentence: int  # index of the draft sentence (0-based)
    start: int  # character offsets of draft_span in the draft text
    end: int
    score: float  # 0..1: the share of the item's matched weight these words carry
    matched_words: tuple[str, ...] = ()  # the draft's own words in draft_span that carry the item's words

    @property
    def quoted(self) -> str:
        """draft_span on one line, as reports quote it: a line break (and a forwarded e-mail's "> ")
        inside the span becomes a space; draft_span itself stays the draft's text at start:end."""
        return _LINE_BREAKS.sub(" ", self.draft_span)

    def to_dict(self) -> dict:
        return {
            "draft_span": self.draft_span,
            "item_span": self.item_span,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "matched_words": list(self.matched_words),
        }


@dataclass(frozen=True)
class Proposal:
    """One catalog item proposed for a draft."""

    item_id: int
    decision: str
    article: int | None
    clause: int | None
    point: str | None
    level: str
    score: float
    citation: str
    text: str
    evidence: tuple[Evidence, ...] = ()
    warnings: tuple[str, ...] = ()
    protection_years: int | None = None
    decision_date: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    alternative: bool = False  # passes the threshold, but a better item explains most of its evidence
    probability: float = 0.0  # the scoring model's probability that the item applies (score keeps the same value)
    reason: Any = None  # for review and near misses: why it is not accepted (features.Reason: code, words, message)

    def to_dict(self) -> dict:
        return {
            "decision": self.decision,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "level": self.level,
            "score": round(self.score, 3),
            "citation": self.citation,
            "text": self.text,
            "evidence": [e.to_dict() for e in self.evidence],
            "warnings": list(self.warnings),
            "protection_years": self.protection_years,
            "decision_date": self.decision_date,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "alternative": self.alternative,
            "probability": round(self.probability, 3),
            **({"reason": self.reason.to_dict()} if self.reason is not None else {}),
        }


@dataclass(frozen=True)
class Classification:
    """The answer for one draft: proposals best first, and the document level.

    ``level`` is None when no catalog item applies ("không thuộc danh mục bí mật
    nhà nước nào"); otherwise the highest level among accepted proposals
    (khoản 2 Điều 10 Luật 29/2018/QH14), computed before the list is cut to
    ``top``. Alternatives (``Proposal.alternative``) come after the accepted
    proposals and never raise the level; nor do the items under ``review``.
    """

    as_of: dt.date
    as_of_source: str  # "option" | "header" | "today"
    level: str | None
    proposals: tuple[Proposal, ...]
    warnings: tuple[str, ...] = field(default=())
    near_misses: tuple[Proposal, ...] = field(default=())  # close but rejected, with the reason
    review: tuple[Proposal, ...] = field(default=())  # "cần xem xét": probability in the review band, never the level

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "as_of_source": self.as_of_source,
            "level": self.level,
            "proposals": [p.to_dict() for p in self.proposals],
            "warnings": list(self.warnings),
            "near_misses": [p.to_dict() for p in self.near_misses],
            "review": [p.to_dict() for p in self.review],
        }
