"""Regexes over folded text that carry the examples they must and must not match.

As statute-patterns' NamedPattern does, a pattern refuses to build when one of its
own examples fails, so a careless edit fails at import instead of silently
changing what a draft is read to say. Used by the draft readers in ``dates`` and
by the checker.

``conditions.NamedPattern`` is the other kind on purpose: dates, stamps and
citations read the same with or without diacritics ("ngay 12 thang 3"), so these
patterns always read folded text, while an item's condition must tell "chưa"
from "chữa" and reads folded text only when the whole text was typed without
diacritics. Both check their examples at construction the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold_aligned, nfc


@dataclass(frozen=True)
class NamedPattern:
    """A regex over folded text with the examples it must match and must not match."""

    name: str
    regex: re.Pattern[str]
    matches: tuple[str, ...]
    excludes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for example in self.matches:
            if not self.regex.search(self.prepare(example)):
                raise ValueError(f"pattern {self.name} does not match its example {example!r}")
        for example in self.excludes:
            if self.regex.search(self.prepare(example)):
                raise ValueError(f"pattern {self.name} matches its counterexample {example!r}")

    def prepare(self, text: str) -> str:
        return fold_aligned(nfc(text))
