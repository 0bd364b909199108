"""Features and scores: how much of a catalog item a draft talks about, and where.

A feature is a folded word from word segmentation, a pair of adjacent syllables,
or a single syllable; each is weighted by its rarity among catalog items (idf),
so "đề thi" counts more than "báo cáo". An item's coverage is the weighted share
of its features found in the draft; the evidence is the sentences that carry them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from cancu.ingest.text import fold

from .kb import KB, ItemRecord
from .rules import Condition, ItemRule, Rules
from .textprep import Sentence, segment

UNIGRAM_FACTOR = 0.5  # a lone syllable says less than a word or a syllable pair
_WORD = re.compile(r"\w+")
_AREA = re.compile(r"(\d+(?:[.,]\d+)?)\s*km\s*(?:2|²|vuong)\b")


def _strip_stop_phrases(syllables: list[str], rules: Rules) -> list[bool]:
    """Mask of syllables that belong to a stop phrase ("bí mật nhà nước", "kính gửi" …)."""
    masked = [False] * len(syllables)
    joined = " ".join(syllables)
    for phrase in rules.stop_phrases:
        for match in re.finditer(r"(?<!\S)" + re.escape(phrase) + r"(?!\S)", joined):
            first = joined[: match.start()].count(" ")
            for index in range(first, first + phrase.count(" ") + 1):
                masked[index] = True
    return masked


def features(words: tuple[str, ...], rules: Rules) -> set[str]:
    """Words, adjacent syllable pairs and syllables of segmented, folded text."""
    syllables: list[str] = []
    word_spans: list[tuple[int, int]] = []
    for word in words:
        parts = word.split()
        word_spans.append((len(syllables), len(syllables) + len(parts)))
        syllables.extend(parts)
    masked = _strip_stop_phrases(syllables, rules)
    keep = [not masked[i] and syllables[i] not in rules.stopwords and not syllables[i].isdigit()
            and len(syllables[i]) > 1 for i in range(len(syllables))]
    found: set[str] = set()
    for start, end in word_spans:
        if end - start > 1 and all(keep[start:end]):
            found.add(" ".join(syllables[start:end]))
    for i in range(len(syllables)):
        if keep[i]:
            found.add(syllables[i])
            if i + 1 < len(syllables) and keep[i + 1]:
                found.add(f"{syllables[i]} {syllables[i + 1]}")
    return found


def phrase_features(phrase: str, rules: Rules) -> set[str]:
    """Features of a folded phrase given without segmentation (synonym expansions)."""
    syllables = _WORD.findall(phrase)
    return features(tuple(syllables), rules) | ({" ".join(syllables)} if len(syllables) > 1 else set())


@dataclass(frozen=True)
class ItemProfile:
    """What the classifier knows of one catalog item, computed once per KB."""

    item: ItemRecord
    weights: dict[str, float]
    total: float
    conditions: tuple[Condition, ...]
    rules: tuple[ItemRule, ...]
    match_text: str  # folded text used for alignment


def _item_words(item: ItemRecord, kb: KB) -> tuple[str, ...]:
    """Item text plus the group headings and lead-ins above it (not the level heading)."""
    context = [part for part in item.heading.split(" › ") if part and not re.match(
        r"^(Điều \d+\. )?(Danh mục )?Bí mật nhà nước độ", part, re.IGNORECASE)]
    return segment(" ".join([*context, item.text]))


def build_profiles(kb: KB, rules: Rules) -> tuple[ItemProfile, ...]:
    item_features = {item.id: features(_item_words(item, kb), rules) for item in kb.catalog_items}
    document_frequency = Counter(f for feats in item_features.values() for f in feats)
    count = len(item_features)
    profiles = []
    for item in kb.catalog_items:
        weights = {}
        for feature in item_features[item.id]:
            idf = math.log(1 + count / document_frequency[feature])
            weights[feature] = idf * (UNIGRAM_FACTOR if " " not in feature else 1.0)
        folded = fold(item.text)
        profiles.append(ItemProfile(
            item=item,
            weights=weights,
            total=sum(weights.values()) or 1.0,
            conditions=tuple(c for c in rules.conditions if c.item_pattern.search(folded)),
            rules=tuple(r for r in rules.item_rules if r.covers(item)),
            match_text=folded,
        ))
    return tuple(profiles)


@dataclass(frozen=True)
class DraftFeatures:
    """The draft's features, per sentence and overall, after synonym expansion."""

    sentences: tuple[Sentence, ...]
    per_sentence: tuple[frozenset[str], ...]
    all: frozenset[str]
    folded: str
    areas_km2: tuple[float, ...]


def draft_features(sentences: list[Sentence], rules: Rules) -> DraftFeatures:
    per_sentence = []
    for sentence in sentences:
        found = features(sentence.words, rules)
        folded = " ".join(t.folded for t in sentence.tokens)
        for canonical, variants in rules.synonyms:
            if any(v.search(sentence.text) or v.search(folded) for v in variants):
                found |= phrase_features(canonical, rules)
        per_sentence.append(frozenset(found))
    folded_text = "\n".join(fold(s.text) for s in sentences)
    areas = tuple(float(m[1].replace(".", "").replace(",", ".")) for m in _AREA.finditer(folded_text))
    return DraftFeatures(tuple(sentences), tuple(per_sentence), frozenset().union(*per_sentence) if per_sentence
                         else frozenset(), folded_text, areas)


@dataclass(frozen=True)
class Score:
    profile: ItemProfile
    value: float
    coverage: float
    local: float
    best_sentences: tuple[int, ...]
    matched: frozenset[str]
    failed: tuple[str, ...]  # messages of the rules and conditions the draft fails


def score_item(profile: ItemProfile, draft: DraftFeatures, defeated: set[str]) -> Score:
    """Weighted coverage of the item overall and in its best two-sentence window."""
    weights = profile.weights
    matched = frozenset(f for f in weights if f in draft.all)
    coverage = sum(weights[f] for f in matched) / profile.total
    sentence_mass = [sum(weights.get(f, 0.0) for f in feats) for feats in draft.per_sentence]
    best_local, best_window = 0.0, ()
    for index in range(len(sentence_mass)):
        window = draft.per_sentence[index] | (draft.per_sentence[index + 1] if index + 1 < len(sentence_mass) else frozenset())
        local = sum(weights.get(f, 0.0) for f in window) / profile.total
        if local > best_local:
            best_local, best_window = local, (index, index + 1) if index + 1 < len(sentence_mass) else (index,)
    ranked = sorted((i for i in best_window if sentence_mass[i] > 0), key=lambda i: -sentence_mass[i])
    failed = tuple(c.message for c in profile.conditions if c.name in defeated)
    for rule in profile.rules:
        if rule.requires_any and not any(re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", draft.folded)
                                         for p in rule.requires_any):
            failed += (rule.message,)
        if rule.area_km2_above is not None and draft.areas_km2 and max(draft.areas_km2) <= rule.area_km2_above:
            failed += (rule.message,)
    value = 0.5 * coverage + 0.5 * best_local
    return Score(profile, value, coverage, best_local, tuple(ranked), matched, failed)


def align(item_text: str, draft_span: str) -> tuple[int, int, float]:
    """Where in the item text the draft span matches best (offsets in item_text) and how well."""
    alignment = fuzz.partial_ratio_alignment(fold(item_text), fold(draft_span))
    if alignment is None:
        return 0, 0, 0.0
    return alignment.src_start, alignment.src_end, alignment.score / 100
