"""Evidence and explanation: the draft's words that carry an item, the item's words they match, warnings.

The evidence of an item is the draft's own words that carry its weighted
features, as the features stage found them: a word, a pair of syllables, or a
phrase the draft writes in its own way that rules.yml reads as the item's word
("hướng dẫn chấm" for "đáp án"). Sentences are chosen by the item's weight they
carry, weighed as the features stage weighs them (header and address lines at
ADDRESS_FACTOR), the second for what the first does not already show. Only
short spans of the draft (at most MAX_SPAN characters each) leave this stage;
the draft itself is never kept.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

from cancu.ingest.text import fold, nfc, vn_date
from cancu.kb import KB, ItemRecord

from .features import ADDRESS_FACTOR, DraftFeatures, Match, _canonical_features
from .model import Evidence, Proposal
from .profiles import ItemProfile, item_text
from .rules import Rules
from .textprep import Sentence
from .words import FOLDED, _meaningful

MAX_SPAN = 220
MAX_SPANS = 2  # two sentences show most of an item's weight (tests/test_evidence.py measures how much)
MAX_WORDS = 20
# A second span must add this share of the item's matched weight, or it is noise. On the development pool
# 0.05 / 0.1 / 0.15 leave 8 / 6 / 4 spans of generic words only and move the shown weight by <1 point.
SECOND_SHARE = 0.1
TRIED = 3  # sentences richest in the item's weight whose best window is computed for each span
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Run:
    """Words of a text (character offsets) that carry some of an item's keys."""

    start: int
    end: int
    keys: frozenset[str]


@dataclass(frozen=True)
class Span:
    """One piece of evidence before it is quoted: where it is, the item's keys it carries, its weight."""

    sentence: int
    start: int  # offsets in the draft
    end: int
    runs: tuple[Run, ...]  # the draft's words inside [start, end) that carry the item's keys
    keys: frozenset[str]
    weight: float  # the keys' weight, as the features stage weighs this sentence
    added: float  # the weight of the keys no earlier span shows


def _merge(runs: list[Run]) -> list[Run]:
    """Overlapping runs as one ("bộ đề thay thế" holds "bộ đề"), ordered, none longer than MAX_SPAN."""
    merged: list[Run] = []
    for run in sorted(runs, key=lambda r: (r.start, -r.end, sorted(r.keys))):
        last = merged[-1] if merged else None
        if last is not None and run.start < last.end:
            if max(run.end, last.end) - last.start <= MAX_SPAN:
                merged[-1] = Run(last.start, max(run.end, last.end), last.keys | run.keys)
            continue
        merged.append(run)
    return merged


def best_window(runs: list[Run], value) -> tuple[int, int, float]:
    """Runs ``a..b`` within MAX_SPAN characters whose distinct keys are worth the most (two pointers).

    ``value(key)`` is a key's worth; runs at either end that add nothing the rest
    of the window lacks are left out. Ties go to the earlier window. Linear in the
    runs (the trimming looks at the keys of one window).
    """
    counts: dict[str, int] = {}
    total, last, best = 0.0, -1, (0, -1, -1.0)
    for first in range(len(runs)):
        if last < first:
            last = first - 1
        while last + 1 < len(runs) and runs[last + 1].end - runs[first].start <= MAX_SPAN:
            last += 1
            for key in sorted(runs[last].keys):
                counts[key] = counts.get(key, 0) + 1
                total += value(key) if counts[key] == 1 else 0.0
        if last >= first and round(total, 9) > round(best[2], 9):
            best = (first, last, total)
        if last >= first:
            for key in sorted(runs[first].keys):
                counts[key] -= 1
                total -= value(key) if counts[key] == 0 else 0.0
    first, last, total = best
    if last < 0:
        return 0, -1, 0.0

    def adds(index: int, others: range) -> bool:
        rest = frozenset().union(*(runs[i].keys for i in others if i != index))
        return any(value(key) > 0 for key in runs[index].keys - rest)

    while last > first and not adds(last, range(first, last + 1)):  # the end first: the earlier mention stays
        last -= 1
    while first < last and not adds(first, range(first, last + 1)):
        first += 1
    return first, last, total


def _forms(sentence: Sentence, rules: Rules) -> tuple[list[str], list[str], list[bool]]:
    """Per syllable: the marked form the features stage read, the folded form, and whether it carries meaning."""
    marked = [part for word in sentence.marked for part in word.split()]
    if len(marked) != len(sentence.tokens):  # segmentation split a number differently ("96,5"): the syllables as written
        marked = [nfc(t.text).lower() for t in sentence.tokens]
    folded = [t.folded for t in sentence.tokens]
    return marked, folded, _meaningful(folded, marked, rules, sentence.accented)


def _key_runs(sentence: Sentence, profile: ItemProfile, wanted: frozenset[str], rules: Rules) -> list[Run]:
    """Where in the sentence the item keys ``wanted`` occur as the draft's own syllables."""
    tokens = sentence.tokens
    marked, folded, keep = _forms(sentence, rules)
    longest = max((len(key.split()) for key in wanted), default=0)
    runs = []
    for first in range(len(tokens)):
        for after in range(first + 1, min(len(tokens), first + longest) + 1):
            if not keep[after - 1]:
                break
            form = (" ".join(marked[first:after]) if sentence.accented
                    else FOLDED + " ".join(folded[first:after]))
            key = profile.lookup.get(form)
            if key in wanted:
                runs.append(Run(tokens[first].start, tokens[after - 1].end, frozenset({key})))
    return runs


def _synonym_runs(sentence: Sentence, synonyms: list[tuple[tuple, frozenset[str]]],
                  wanted: frozenset[str]) -> list[Run]:
    """The draft's phrases that rules.yml reads as one of the item's words, as the draft writes them."""
    tokens = sentence.tokens
    synonyms = [(variants, keys & wanted) for variants, keys in synonyms if not keys.isdisjoint(wanted)]
    if not tokens or not synonyms:
        return []
    folded_starts, position = [], 0
    for token in tokens:
        folded_starts.append(position)
        position += len(token.folded) + 1
    folded_text = " ".join(t.folded for t in tokens)
    raw_starts = [t.start - sentence.start for t in tokens]
    runs = []
    for variants, keys in synonyms:
        for variant, on_folded in variants:
            text, starts = (folded_text, folded_starts) if on_folded else (sentence.text, raw_starts)
            for found in variant.finditer(text):
                first = max(bisect.bisect_right(starts, found.start()) - 1, 0)
                last = max(bisect.bisect_right(starts, found.end() - 1) - 1, first)
                runs.append(Run(tokens[first].start, tokens[last].end, keys))
    return runs


class _Search:
    """One item in one draft: the item's keys per sentence and where they are, found once per sentence.

    Lives for one evidence() call, in memory, like the draft.
    """

    def __init__(self, match: Match, draft: DraftFeatures, rules: Rules):
        self.match, self.draft, self.rules = match, draft, rules
        lookup = match.profile.lookup
        self.keys = [frozenset(lookup[k] for k in found.intersection(lookup))
                     for found in (draft.every_sentence or draft.per_sentence)]
        self.synonyms = []
        for canonical, variants in rules.synonyms:
            keys = frozenset(lookup[k] for k in _canonical_features(canonical, rules) if k in lookup) & match.matched
            if keys:
                self.synonyms.append((variants, keys))
        self._runs: dict[int, list[Run]] = {}

    def factor(self, index: int) -> float:
        return ADDRESS_FACTOR if index in self.draft.address_sentences else 1.0

    def runs(self, index: int) -> list[Run]:
        if index not in self._runs:
            sentence, wanted = self.draft.sentences[index], self.keys[index]
            self._runs[index] = _merge(_key_runs(sentence, self.match.profile, wanted, self.rules)
                                       + _synonym_runs(sentence, self.synonyms, wanted))
        return self._runs[index]

    def span(self, index: int, shown: frozenset[str]) -> Span | None:
        """The best window of sentence ``index`` for the keys not ``shown`` yet."""
        weights, factor, runs = self.match.profile.weights, self.factor(index), self.runs(index)

        def value(key: str) -> float:
            return 0.0 if key in shown else weights[key] * factor

        first, last, added = best_window(runs, value)
        if last < first or added <= 0:
            return None
        inside = tuple(runs[first:last + 1])
        keys = frozenset().union(*(run.keys for run in inside))
        weight = math.fsum(weights[key] * factor for key in sorted(keys))
        return Span(index, inside[0].start, inside[-1].end, inside, keys, weight, added)

    def richest(self, shown: frozenset[str], used: int | None) -> list[Span]:
        """The best windows of the TRIED sentences richest in the item's keys not ``shown`` yet, best first."""
        weights = self.match.profile.weights
        worth = []
        for index, found in enumerate(self.keys):
            new = found - shown
            if new and index != used:
                worth.append((-math.fsum(weights[k] for k in sorted(new)) * self.factor(index), index))
        spans = [self.span(index, shown) for _, index in sorted(worth)[:TRIED]]
        return sorted((span for span in spans if span is not None),
                      key=lambda span: (-round(span.added, 9), span.sentence))


def chosen_spans(match: Match, draft: DraftFeatures, rules: Rules) -> tuple[Span, ...]:
    """At most two spans (MAX_SPANS), the pair of sentence windows that together show the most of the item's weight.

    Each of the TRIED richest sentences is tried first, with the window that adds
    the most to it; a second span that adds less than SECOND_SHARE of the item's
    matched weight is left out: a lone generic syllable is not evidence next to a
    sentence that carries the item's words. Work: 1 + TRIED passes over the
    sentences' feature sets, and the syllables of at most TRIED × (TRIED + 1) sentences.
    The stronger span comes first.
    """
    search = _Search(match, draft, rules)
    floor = SECOND_SHARE * (match.mass or 1.0)
    best: tuple[Span, ...] = ()
    for first in search.richest(frozenset(), None):
        seconds = search.richest(first.keys, first.sentence)
        pair = (first, seconds[0]) if seconds and seconds[0].added >= floor else (first,)
        if round(sum(span.added for span in pair), 9) > round(sum(span.added for span in best), 9):
            best = pair
    return tuple(sorted(best, key=lambda span: (-round(span.weight, 9), span.sentence)))


@functools.lru_cache(maxsize=1024)
def _item_tokens(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[str, ...]]:
    """Offsets, marked and folded syllables of an item's text (catalog data, never a draft)."""
    tokens = list(_TOKEN.finditer(text))
    marked = tuple(t.group().lower() for t in tokens)
    return tuple((t.start(), t.end()) for t in tokens), marked, tuple(fold(m) for m in marked)


def item_span(profile: ItemProfile, keys: frozenset[str]) -> str:
    """The words of the item that carry ``keys``: starts and ends on a word, at most MAX_SPAN characters.

    The item's text is read with the group heading above it (profiles.item_text),
    as its keys were: "nhiệm vụ khoa học …, gồm:" is what a bare "Báo cáo thẩm
    định, Quyết định phê duyệt" item is about.
    """
    text = item_text(profile.item)
    offsets, marked, folded = _item_tokens(text)
    longest = max((len(key.split()) for key in keys), default=0)
    # The KB's tone placement may differ from the segmenter's ("hoá", "hóa"): words of two or more
    # syllables are also looked up folded (a lone folded syllable would read "để" as "đề").
    by_folded = {fold(key): key for key in sorted(keys) if " " in key}
    runs = []
    for first in range(len(marked)):
        for after in range(first + 1, min(len(marked), first + longest) + 1):
            key = " ".join(marked[first:after])
            if key not in keys:
                key = by_folded.get(" ".join(folded[first:after]))
            if key is not None:
                runs.append(Run(offsets[first][0], offsets[after - 1][1], frozenset({key})))
    runs = _merge(runs)
    first, last, _ = best_window(runs, lambda key: profile.weights.get(key, 0.0))
    if last < first:
        return ""
    return text[runs[first].start:runs[last].end]


def evidence(match: Match, draft: DraftFeatures, rules: Rules) -> tuple[Evidence, ...]:
    """The spans that carry the item's weight, quoted, with the draft's words and the item's words they match."""
    found = []
    mass = match.mass or 1.0
    for span in chosen_spans(match, draft, rules):
        sentence = draft.sentences[span.sentence]
        words = tuple(dict.fromkeys(sentence.text[run.start - sentence.start:run.end - sentence.start]
                                    for run in span.runs))
        found.append(Evidence(
            draft_span=sentence.text[span.start - sentence.start:span.end - sentence.start],
            item_span=item_span(match.profile, span.keys), sentence=span.sentence, start=span.start, end=span.end,
            score=min(span.weight / mass, 1.0), matched_words=words[:MAX_WORDS],
        ))
    return tuple(found)


def item_warnings(item: ItemRecord, kb: KB) -> tuple[str, ...]:
    """What the knowledge base is unsure of about this item."""
    decision = kb.decisions[item.decision]
    notes = []
    if item.article is None:
        notes.append("Văn bản nguồn không ghi số Điều của danh mục này; đối chiếu bản chính thức trước khi ghi căn cứ.")
    if item.kind == "bullet":
        notes.append("Mục này là gạch đầu dòng không đánh số trong văn bản nguồn; căn cứ ghi theo khoản/Điều chứa nó.")
    if decision.text_completeness == "summary":
        notes.append(f"Kho chỉ có bản tóm tắt của Quyết định {decision.number}; lời văn có thể khác bản chính thức.")
    elif decision.text_completeness == "partial":
        notes.append(f"Kho chỉ có một phần văn bản Quyết định {decision.number}; có thể thiếu mục phù hợp hơn.")
    if decision.date is None:
        notes.append(f"Không rõ ngày ký Quyết định {decision.number}.")
    if decision.status == "unknown":
        notes.append(f"Tình trạng hiệu lực của Quyết định {decision.number} chưa được xác minh.")
    if decision.valid_until and decision.replaced_by:
        successor = kb.decisions.get(decision.replaced_by)
        when = vn_date(decision.valid_until.isoformat())
        notes.append(f"Quyết định {decision.number} bị thay thế bởi Quyết định {decision.replaced_by}"
                     f"{' ngày ' + vn_date(successor.date.isoformat()) if successor and successor.date else ''} "
                     f"từ {when}; văn bản ban hành từ ngày đó phải căn cứ quyết định mới.")
    return tuple(notes)


def proposal(match: Match, draft: DraftFeatures, kb: KB, as_of: dt.date, probability: float, rules: Rules,
             alternative: bool = False, reason=None) -> Proposal:
    item = match.profile.item
    decision = kb.decisions[item.decision]
    return Proposal(
        item_id=item.id, decision=item.decision, article=item.article, clause=item.clause, point=item.point,
        level=item.level, score=probability, citation=item.citation, text=item.text,
        evidence=evidence(match, draft, rules),
        warnings=item_warnings(item, kb) + ((reason.message,) if reason and reason.code != "below_threshold" else ()),
        protection_years=kb.protection_years(item.level, as_of),
        decision_date=decision.date.isoformat() if decision.date else None,
        valid_from=item.valid_from.isoformat() if item.valid_from else None,
        valid_until=item.valid_until.isoformat() if item.valid_until else None,
        alternative=alternative, probability=probability, reason=reason,
    )
