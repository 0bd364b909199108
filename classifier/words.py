"""Words of a text as matching keys: segmented words, adjacent syllable pairs, single syllables, runs.

Keys keep their diacritics where the text has them ("chưa" is not "chữa", "để"
is not "đề"). A sentence typed without diacritics gives keys marked with a
leading "~" that hold the folded form; an item profile knows which of its own
words each folded key stands for (see profiles.py), so such a sentence still
matches, and only there does folding merge words. Three-syllable runs are
compared folded: a run of three is specific enough.
"""

from __future__ import annotations

import functools
import re

from cancu.ingest.text import fold, nfc

from .rules import Rules
from .textprep import fold_syllable

FOLDED = "~"  # prefix of a key from text typed without diacritics
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=8)
def _stop_pattern(stop_phrases: tuple[str, ...]) -> re.Pattern:
    """One pattern for all stop phrases, longest first (they are sorted so)."""
    return re.compile(r"(?<!\S)(?:" + "|".join(re.escape(p) for p in stop_phrases) + r")(?!\S)")


def _strip_stop_phrases(syllables: list[str], rules: Rules) -> list[bool]:
    """Mask of syllables that belong to a stop phrase ("bí mật nhà nước", "kính gửi" …)."""
    masked = [False] * len(syllables)
    if not rules.stop_phrases:
        return masked
    joined = " ".join(syllables)
    for match in _stop_pattern(rules.stop_phrases).finditer(joined):
        first = joined.count(" ", 0, match.start())
        for index in range(first, first + match.group().count(" ") + 1):
            masked[index] = True
    return masked


_LIST_MARKERS = frozenset("abcdđeghiklmnopqrstuvxy")  # "a)", "đ)"; a toned letter is a word ("ý kiến")


def _meaningful(folded: list[str], marked: list[str], rules: Rules, accented: bool = True) -> list[bool]:
    """Which syllables carry meaning: not in a stop phrase, not a stopword, not a number or a list letter.

    Stopwords are looked up in the marked form (with diacritics): folded, "để"
    would also silence "đề thi" and "tại" "tài liệu". Text typed without
    diacritics uses the folded stopwords that no catalog word shares (rules.py).
    """
    masked = _strip_stop_phrases(folded, rules)
    if accented:
        return [not masked[i] and marked[i] not in rules.stopwords and not folded[i].isdigit()
                and marked[i] not in _LIST_MARKERS for i in range(len(folded))]
    return [not masked[i] and folded[i] not in rules.stopwords_folded and not folded[i].isdigit()
            and folded[i] not in _LIST_MARKERS for i in range(len(folded))]


class _Syllables:
    """Folded and marked syllables of segmented words, each word's span, and which carry meaning."""

    def __init__(self, words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None, accented: bool):
        self.folded: list[str] = []
        self.spans: list[tuple[int, int]] = []
        for word in words:
            parts = word.split()
            self.spans.append((len(self.folded), len(self.folded) + len(parts)))
            self.folded.extend(parts)
        lookup = [part for word in marked for part in word.split()] if marked else []
        self.accented = accented and len(lookup) == len(self.folded)
        self.marked = lookup if self.accented else self.folded
        self.keep = _meaningful(self.folded, self.marked, rules, self.accented)

    def key(self, start: int, end: int) -> str:
        if self.accented:
            return " ".join(self.marked[start:end])
        return FOLDED + " ".join(self.folded[start:end])


def _syllables(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None
               ) -> tuple[list[str], list[tuple[int, int]], list[bool]]:
    """Folded syllables, each word's span, and which syllables carry meaning (marked form where given)."""
    found = _Syllables(words, rules, marked, True)
    return found.folded, found.spans, found.keep


def item_features(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None,
                  accented: bool = True) -> set[str]:
    """An item's words as segmented: compounds as one feature, single-syllable words alone.

    Counting "thanh tra" and also "thanh" and "tra" would weigh one concept three times.
    """
    s = _Syllables(words, rules, marked, accented)
    found: set[str] = set()
    for start, end in s.spans:
        if end > start and all(s.keep[start:end]):
            found.add(s.key(start, end))
    return found


def gap_pairs(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None,
              accented: bool = True) -> set[str]:
    """Two adjacent single-syllable words, with no punctuation between them (words from segment_marked(breaks=True)).

    The segmentation model leaves some compounds cut in two ("họ tên", "đặt tên",
    "hợp nhất"); a draft that has both syllables side by side likely names the same thing.
    """
    s = _Syllables(words, rules, marked, accented)
    return {s.key(start, after) for (start, end), (following, after) in zip(s.spans, s.spans[1:])
            if end - start == 1 and after - following == 1 and s.keep[start] and s.keep[following]}


def features(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None,
             accented: bool = True) -> set[str]:
    """A draft's words, adjacent syllable pairs and syllables.

    Pairs let a draft meet an item's compound even where segmentation cut the
    draft's sentence differently.
    """
    s = _Syllables(words, rules, marked, accented)
    found: set[str] = set()
    for start, end in s.spans:
        if end - start > 1 and all(s.keep[start:end]):
            found.add(s.key(start, end))
    for i in range(len(s.folded)):
        if s.keep[i]:
            found.add(s.key(i, i + 1))
            if i + 1 < len(s.folded) and s.keep[i + 1]:
                found.add(s.key(i, i + 2))
    return found


def phrase_features(phrase: str, rules: Rules) -> set[str]:
    """Features of a lower-case phrase with diacritics, given without segmentation (synonym expansions)."""
    marked = tuple(_WORD.findall(phrase))
    syllables = tuple(fold(s) for s in marked)
    return features(syllables, rules, marked) | ({" ".join(marked)} if len(marked) > 1 else set())


def canonical(key: str) -> str:
    """The folded form of a key, marked or not (for weak words and background counts)."""
    return key.removeprefix(FOLDED) if key.startswith(FOLDED) else fold(key)


_CHUNK_BREAK = re.compile(r"[,;.:!?()\[\]\n\t|“”\"–—]+")  # table cells ("|", tabs) end a run too


def phrases(text: str, rules: Rules, accented: bool = True) -> set[str]:
    """Runs of three meaningful syllables, within one stretch of text between punctuation marks.

    Drafts paraphrase catalog items, but the names of bodies, exams and kinds of
    task ("thanh tra đột xuất", "kỳ thi tốt nghiệp") come through verbatim.
    """
    found: set[str] = set()
    for chunk in _CHUNK_BREAK.split(nfc(text)):
        marked = [w.lower() for w in _WORD.findall(chunk)]
        folded = [fold_syllable(w) for w in marked]
        keep = _meaningful(folded, marked, rules, accented)
        for i in range(len(marked) - 2):
            if keep[i] and keep[i + 1] and keep[i + 2]:
                found.add(" ".join(folded[i:i + 3]))
    return found


