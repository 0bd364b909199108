"""Per-item data: each catalog item's words and their weights, computed once per KB and cached.

A feature is a word from word segmentation, a pair of adjacent syllables, or a
single syllable of the item's text (with the group headings above it); each is
weighted by its rarity among catalog items (idf) and by how little the law texts
use it everywhere, so "đề thi" counts more than "báo cáo". Keys keep their
diacritics; ``lookup`` maps the folded key of a draft typed without diacritics
to the item's own word.

The profiles depend only on the knowledge base and the rules, never on a draft,
so they are stored in a cache file next to the KB, keyed by the KB's build
fingerprint, the rules file and this module's version. ``cancu classify`` then
starts without segmenting 185 items, and ``cancu check --workers N`` reads the
file instead of rebuilding per worker.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cancu.ingest.text import fold

from cancu.kb import KB, ItemRecord
from .rules import Rules
from .textprep import segment_marked
from .words import FOLDED, canonical, gap_pairs, item_features, phrases

PROFILE_VERSION = "4"  # bump when what a profile holds changes
UNIGRAM_FACTOR = 0.3  # a lone syllable says less than a word or a syllable pair
WEAK_FACTOR = 0.15  # words every administrative text uses (rules.yml weak_words)
DOMAIN_FACTOR = 0.25  # words naming the decision's field or body ("thanh tra", "Tòa án nhân dân")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ItemProfile:
    """What the classifier knows of one catalog item, computed once per KB."""

    item: ItemRecord
    weights: dict[str, float]  # the item's keys (with diacritics) and their weights
    lookup: dict[str, str]  # draft key (marked, or "~" + folded) → the item's key
    total: float
    match_text: str  # folded text used for alignment and condition patterns
    domain: frozenset[str]  # keys of the decision's field and title, marked and folded
    head: str  # first words of the item, where catalog items name the kind of document
    phrases: dict[str, float]  # folded three-syllable runs of the item, weighted by rarity
    pairs: frozenset[str]  # keys that are cut compounds (gap pairs), not counted in total
    object: frozenset[str] = frozenset()  # keys of what the item protects (its "object" span, item_conditions)


def item_text(item: ItemRecord) -> str:
    """Item text after the group headings and lead-ins above it (not the level heading)."""
    context = [part for part in item.heading.split(" › ") if part and not re.match(
        r"^(Điều \d+\. )?(Danh mục )?Bí mật nhà nước độ", part, re.IGNORECASE)]
    return ". ".join([*context, item.text])


def _background(kb: KB) -> tuple[Counter, int]:
    """Document frequency of folded syllables and syllable pairs in the law texts and non-catalog units.

    Words the law on state secrets and the decisions' own closing articles use
    everywhere ("cơ quan, tổ chức", "người đứng đầu") say little about which item applies.
    """
    texts = list(kb.law_texts) + [item.text for item in kb.items if not item.catalog_item and item.level is None]
    frequency: Counter = Counter()
    for text in texts:
        syllables = _WORD.findall(fold(text))
        frequency.update(set(syllables) | {f"{a} {b}" for a, b in zip(syllables, syllables[1:])})
    return frequency, len(texts)


def _specificity(feature: str, background: Counter, count: int) -> float:
    """1 for words the background never uses, towards 0 for words it uses everywhere."""
    parts = canonical(feature).split()
    keys = [" ".join(parts[i:i + 2]) for i in range(max(1, len(parts) - 1))]
    frequency = min(background[key] for key in keys)
    if count == 0:
        return 1.0  # no background text (a KB of catalog texts only, --no-shipped): every word is specific
    return math.log((count + 1) / (frequency + 1)) / math.log(count + 1)


def _with_folded(keys: frozenset[str] | set[str]) -> frozenset[str]:
    return frozenset(keys) | {FOLDED + canonical(k) for k in keys}


def build_profiles(kb: KB, rules: Rules) -> tuple[ItemProfile, ...]:
    by_item, by_item_pairs, by_item_phrases = {}, {}, {}
    for item in kb.catalog_items:
        words, marked = segment_marked(item_text(item), breaks=True)
        by_item[item.id] = item_features(words, rules, marked)
        by_item_pairs[item.id] = gap_pairs(words, rules, marked) - by_item[item.id]
        by_item_phrases[item.id] = phrases(item_text(item), rules)
    document_frequency = Counter(f for item_id, feats in by_item.items() for f in feats | by_item_pairs[item_id])
    phrase_frequency = Counter(f for feats in by_item_phrases.values() for f in feats)
    background, background_count = _background(kb)
    domains = {}
    for number, decision in sorted(kb.decisions.items()):
        if decision.has_text:
            words, marked = segment_marked(f"{decision.field or ''}. {decision.title or ''}")
            domains[number] = _with_folded(item_features(words, rules, marked))
    count = len(by_item)
    profiles = []
    for item in kb.catalog_items:
        domain = domains.get(item.decision, frozenset())
        weights = {}
        for feature in sorted(by_item[item.id] | by_item_pairs[item.id]):
            idf = math.log(1 + count / document_frequency[feature])
            specific = 0.2 + 0.8 * _specificity(feature, background, background_count)
            weak = (WEAK_FACTOR if canonical(feature) in rules.weak_words
                    else DOMAIN_FACTOR if feature in domain else 1.0)
            weights[feature] = idf * specific * weak * (UNIGRAM_FACTOR if " " not in feature else 1.0)
        lookup = {FOLDED + canonical(f): f for f in sorted(weights, key=lambda f: -weights[f])[::-1]}
        lookup.update({f: f for f in weights})
        folded = fold(item.text)
        object_keys: set[str] = set()
        for condition in getattr(item, "conditions", ()) or ():
            if condition.kind == "object":
                words, marked = segment_marked(condition.text, breaks=True)
                object_keys |= item_features(words, rules, marked) | gap_pairs(words, rules, marked)
        profiles.append(ItemProfile(
            item=item, weights=weights, lookup=lookup,
            # A cut compound's pair counts when the draft has it, but its syllables already make up the total.
            total=math.fsum(w for f, w in weights.items() if f not in by_item_pairs[item.id]) or 1.0,
            match_text=folded, domain=domain, head=" ".join(_WORD.findall(folded)[:10]),
            phrases={f: math.log(1 + count / phrase_frequency[f]) * _specificity(f, background, background_count)
                     for f in sorted(by_item_phrases[item.id])},
            pairs=frozenset(by_item_pairs[item.id]),
            object=frozenset(object_keys & set(weights)),
        ))
    return tuple(profiles)


def _cache_key(kb: KB, rules_text: bytes) -> str:
    meta = "|".join(f"{k}={kb.meta.get(k, '')}" for k in sorted(kb.meta))
    stat = kb.path.stat() if kb.path.exists() else None
    built = f"{stat.st_size}:{stat.st_mtime_ns}" if stat else ""
    return hashlib.sha256(f"{PROFILE_VERSION}|{meta}|{built}|".encode() + rules_text).hexdigest()[:24]


def cached_profiles(kb: KB, rules: Rules, rules_text: bytes) -> tuple[ItemProfile, ...]:
    """The profiles from the cache file next to the KB, built and written there on a miss.

    The cache is JSON (never code to run) and holds catalog data only, never draft
    text. A read-only folder (or any write error) leaves the profiles in memory only.
    """
    key = _cache_key(kb, rules_text)
    path = kb.path.with_name(f".{kb.path.name}.profiles-{key}.json")
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return _from_json(stored["profiles"], kb)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    profiles = build_profiles(kb, rules)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "profiles": [_to_json(p) for p in profiles]}, handle, ensure_ascii=False)
        os.replace(temporary, path)
        for stale in path.parent.glob(f".{kb.path.name}.profiles-*.json"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return profiles


def _to_json(profile: ItemProfile) -> dict:
    return {"item": profile.item.id, "weights": profile.weights, "lookup": profile.lookup, "total": profile.total,
            "match_text": profile.match_text, "domain": sorted(profile.domain), "head": profile.head,
            "phrases": profile.phrases, "pairs": sorted(profile.pairs),
            "object": sorted(profile.object)}


def _from_json(stored: list[dict], kb: KB) -> tuple[ItemProfile, ...]:
    """Profiles whose item records are the snapshot's own."""
    if [p["item"] for p in stored] != [item.id for item in kb.catalog_items]:
        raise ValueError("stale profile cache")
    return tuple(ItemProfile(item=kb.items_by_id[p["item"]], weights=p["weights"], lookup=p["lookup"],
                             total=p["total"], match_text=p["match_text"], domain=frozenset(p["domain"]),
                             head=p["head"], phrases=p["phrases"], pairs=frozenset(p["pairs"]),
                             object=frozenset(p["object"])) for p in stored)
