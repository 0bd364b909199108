"""Features and scores: how much of a catalog item a draft talks about, and where.

A feature is a folded word from word segmentation, a pair of adjacent syllables,
or a single syllable; each is weighted by its rarity among catalog items (idf),
so "đề thi" counts more than "báo cáo". An item's coverage is the weighted share
of its features found in the draft; the evidence is the sentences that carry them.
Where the draft says it matters too: its subject line counts again, its header,
"Kính gửi" and "Nơi nhận" lines (who writes to whom) count less, and the body
named in its header favours the catalog of that body's field.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from cancu.ingest.text import fold, nfc

from cancu.kb import KB, ItemRecord
from .rules import Condition, ItemRule, Rules
from .textprep import Sentence, fold_syllable, segment_marked

UNIGRAM_FACTOR = 0.3  # a lone syllable says less than a word or a syllable pair
WEAK_FACTOR = 0.15  # words every administrative text uses (rules.yml weak_words)
DOMAIN_FACTOR = 0.25  # words naming the decision's field or body ("thanh tra", "Tòa án nhân dân")
ADDRESS_FACTOR = 0.3  # words only in the header, "Kính gửi" or "Nơi nhận" lines: who writes to whom, not what about
AGENCY_BONUS = 0.5  # the body that issues the draft (its header) works in the decision's field: a prior
_WORD = re.compile(r"\w+")
_AREA = re.compile(r"(\d+(?:[.,]\d+)?)\s*km\s*(?:2|²|vuong)\b")


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


def _meaningful(folded: list[str], marked: list[str], rules: Rules) -> list[bool]:
    """Which syllables carry meaning: not in a stop phrase, not a stopword, not a number or a list letter.

    Stopwords are looked up in the marked form (with diacritics): folded, "để"
    would also silence "đề thi" and "tại" "tài liệu".
    """
    masked = _strip_stop_phrases(folded, rules)
    return [not masked[i] and marked[i] not in rules.stopwords and not folded[i].isdigit()
            and marked[i] not in _LIST_MARKERS for i in range(len(folded))]


def _syllables(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None
               ) -> tuple[list[str], list[tuple[int, int]], list[bool]]:
    """Folded syllables, each word's span, and which syllables carry meaning (marked form where given)."""
    syllables: list[str] = []
    spans: list[tuple[int, int]] = []
    for word in words:
        parts = word.split()
        spans.append((len(syllables), len(syllables) + len(parts)))
        syllables.extend(parts)
    lookup = [part for word in marked for part in word.split()] if marked else syllables
    if len(lookup) != len(syllables):
        lookup = syllables
    return syllables, spans, _meaningful(syllables, lookup, rules)


def item_features(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None) -> set[str]:
    """An item's words as segmented: compounds as one feature, single-syllable words alone.

    Counting "thanh tra" and also "thanh" and "tra" would weigh one concept three times.
    """
    syllables, spans, keep = _syllables(words, rules, marked)
    found: set[str] = set()
    for start, end in spans:
        if end - start > 1 and all(keep[start:end]):
            found.add(" ".join(syllables[start:end]))
        elif end - start == 1 and keep[start]:
            found.add(syllables[start])
    return found


def gap_pairs(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None) -> set[str]:
    """Two adjacent single-syllable words, with no punctuation between them (words from segment_marked(breaks=True)).

    The segmentation model leaves some compounds cut in two ("họ tên", "đặt tên",
    "hợp nhất"); a draft that has both syllables side by side likely names the same thing.
    """
    syllables, spans, keep = _syllables(words, rules, marked)
    return {f"{syllables[start]} {syllables[following]}"
            for (start, end), (following, after) in zip(spans, spans[1:])
            if end - start == 1 and after - following == 1 and keep[start] and keep[following]}


def features(words: tuple[str, ...], rules: Rules, marked: tuple[str, ...] | None = None) -> set[str]:
    """A draft's words, adjacent syllable pairs and syllables.

    Pairs let a draft meet an item's compound even where segmentation cut the
    draft's sentence differently.
    """
    syllables, spans, keep = _syllables(words, rules, marked)
    found: set[str] = set()
    for start, end in spans:
        if end - start > 1 and all(keep[start:end]):
            found.add(" ".join(syllables[start:end]))
    for i in range(len(syllables)):
        if keep[i]:
            found.add(syllables[i])
            if i + 1 < len(syllables) and keep[i + 1]:
                found.add(f"{syllables[i]} {syllables[i + 1]}")
    return found


def phrase_features(phrase: str, rules: Rules) -> set[str]:
    """Features of a lower-case phrase given without segmentation (synonym expansions)."""
    marked = tuple(_WORD.findall(phrase))
    syllables = tuple(fold(s) for s in marked)
    return features(syllables, rules, marked) | ({" ".join(syllables)} if len(syllables) > 1 else set())


_CHUNK_BREAK = re.compile(r"[,;.:!?()\[\]\n“”\"–—]+")


def phrases(text: str, rules: Rules) -> set[str]:
    """Runs of three meaningful syllables, within one stretch of text between punctuation marks.

    Drafts paraphrase catalog items, but the names of bodies, exams and kinds of
    task ("thanh tra đột xuất", "kỳ thi tốt nghiệp") come through verbatim.
    """
    found: set[str] = set()
    for chunk in _CHUNK_BREAK.split(nfc(text)):
        marked = [w.lower() for w in _WORD.findall(chunk)]
        folded = [fold_syllable(w) for w in marked]
        keep = _meaningful(folded, marked, rules)
        for i in range(len(marked) - 2):
            if keep[i] and keep[i + 1] and keep[i + 2]:
                found.add(" ".join(folded[i:i + 3]))
    return found


@dataclass(frozen=True)
class ItemProfile:
    """What the classifier knows of one catalog item, computed once per KB."""

    item: ItemRecord
    weights: dict[str, float]
    total: float
    conditions: tuple[Condition, ...]
    rules: tuple[ItemRule, ...]
    match_text: str  # folded text used for alignment
    domain: frozenset[str]  # features of the decision's field and title
    head: str  # first words of the item, where catalog items name the kind of document
    phrases: dict[str, float]  # three-syllable runs of the item, weighted by rarity


def _item_text(item: ItemRecord) -> str:
    """Item text after the group headings and lead-ins above it (not the level heading)."""
    context = [part for part in item.heading.split(" › ") if part and not re.match(
        r"^(Điều \d+\. )?(Danh mục )?Bí mật nhà nước độ", part, re.IGNORECASE)]
    return ". ".join([*context, item.text])


def _background(kb: KB) -> tuple[Counter, int]:
    """Document frequency of syllables and syllable pairs in the law texts and non-catalog units.

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
    parts = feature.split()
    keys = [" ".join(parts[i:i + 2]) for i in range(max(1, len(parts) - 1))]
    frequency = min(background[key] for key in keys)
    if count == 0:
        return 1.0  # no background text (a KB of catalog texts only, --no-shipped): every word is specific
    return math.log((count + 1) / (frequency + 1)) / math.log(count + 1)


def build_profiles(kb: KB, rules: Rules) -> tuple[ItemProfile, ...]:
    by_item = {}
    by_item_phrases = {}
    by_item_pairs = {}
    for item in kb.catalog_items:
        words, marked = segment_marked(_item_text(item), breaks=True)
        by_item[item.id] = item_features(words, rules, marked)
        by_item_pairs[item.id] = gap_pairs(words, rules, marked) - by_item[item.id]
        by_item_phrases[item.id] = phrases(_item_text(item), rules)
    document_frequency = Counter(f for item_id, feats in by_item.items() for f in feats | by_item_pairs[item_id])
    phrase_frequency = Counter(f for feats in by_item_phrases.values() for f in feats)
    background, background_count = _background(kb)
    domains = {}
    for number, decision in kb.decisions.items():
        if decision.has_text:
            words, marked = segment_marked(f"{decision.field or ''}. {decision.title or ''}")
            domains[number] = frozenset(item_features(words, rules, marked))
    count = len(by_item)
    profiles = []
    for item in kb.catalog_items:
        domain = domains.get(item.decision, frozenset())
        weights = {}
        for feature in by_item[item.id] | by_item_pairs[item.id]:
            idf = math.log(1 + count / document_frequency[feature])
            specific = 0.2 + 0.8 * _specificity(feature, background, background_count)
            weak = WEAK_FACTOR if feature in rules.weak_words else DOMAIN_FACTOR if feature in domain else 1.0
            weights[feature] = idf * specific * weak * (UNIGRAM_FACTOR if " " not in feature else 1.0)
        folded = fold(item.text)
        profiles.append(ItemProfile(
            item=item,
            weights=weights,
            # A cut compound's pair counts when the draft has it, but its syllables already make up the total.
            total=sum(w for f, w in weights.items() if f not in by_item_pairs[item.id]) or 1.0,
            conditions=tuple(c for c in rules.conditions if c.item_pattern.search(folded)),
            rules=tuple(r for r in rules.item_rules if r.covers(item)),
            match_text=folded,
            domain=domain,
            head=" ".join(_WORD.findall(folded)[:10]),
            phrases={f: math.log(1 + count / phrase_frequency[f]) * _specificity(f, background, background_count)
                     for f in by_item_phrases[item.id]},
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
    doc_type: str | None  # "ke hoach", "bao cao" … from the draft's title line
    phrases: frozenset[str] = frozenset()  # three-syllable runs (see phrases())
    subject: frozenset[str] = frozenset()  # features and runs of the line that says what the draft is about
    agency: frozenset[str] = frozenset()  # features of the header lines that name the issuing body
    address: frozenset[str] = frozenset()  # features found only in the header, "Kính gửi" and "Nơi nhận" lines


def _synonym_hits(sentences: list[Sentence], rules: Rules) -> list[set[str]]:
    """Per sentence, the canonical phrases whose abbreviation or variant it uses."""
    hits: list[set[str]] = [set() for _ in sentences]
    if not sentences:
        return hits
    texts = [s.text for s in sentences]
    folded = [" ".join(t.folded for t in s.tokens) for s in sentences]
    starts, folded_starts, position, folded_position = [], [], 0, 0
    for text, flat in zip(texts, folded):
        starts.append(position)
        folded_starts.append(folded_position)
        position += len(text) + 1
        folded_position += len(flat) + 1
    joined, folded_joined = "\n".join(texts), "\n".join(folded)
    for canonical, variants in rules.synonyms:
        for variant, on_folded in variants:
            text, offsets = (folded_joined, folded_starts) if on_folded else (joined, starts)
            for match in variant.finditer(text):
                hits[bisect.bisect_right(offsets, match.start()) - 1].add(canonical)
    return hits


def draft_features(sentences: list[Sentence], rules: Rules) -> DraftFeatures:
    per_sentence = []
    runs: set[str] = set()
    subject: set[str] = set()
    title = _title_line(sentences)
    about = subject_sentences(sentences, title)
    header = agency_sentences(sentences, title)
    agency: set[str] = set()
    address: set[str] = set()
    address_lines = {s.line for s in sentences if _ADDRESS_LINE.match(s.text)} | {sentences[i].line for i in header}
    for sentence, canonicals in zip(sentences, _synonym_hits(sentences, rules)):
        found = features(sentence.words, rules, sentence.marked)
        own_runs = phrases(sentence.text, rules)
        for canonical in canonicals:
            found |= _canonical_features(canonical, rules)
            own_runs |= phrases(canonical, rules)
        if sentence.line in address_lines:
            address |= found
            per_sentence.append(frozenset())
            if sentence.index in header:
                agency |= found
            continue
        runs |= own_runs
        per_sentence.append(frozenset(found))
        if sentence.index in about:
            subject |= found | own_runs
    folded_text = "\n".join(fold(s.text) for s in sentences)
    areas = tuple(float(m[1].replace(".", "").replace(",", ".")) for m in _AREA.finditer(folded_text))
    content = frozenset().union(*per_sentence) if per_sentence else frozenset()
    return DraftFeatures(tuple(sentences), tuple(per_sentence), content | address, folded_text, areas,
                         doc_type(sentences, title), frozenset(runs), frozenset(subject),
                         frozenset(agency - rules.weak_words), frozenset(address - content))


@functools.lru_cache(maxsize=1024)
def _canonical_features(canonical: str, rules: Rules) -> frozenset[str]:
    return frozenset(phrase_features(canonical, rules))


_ADDRESS_LINE = re.compile(r"\s*(Kính gửi|Nơi nhận|Lưu\s*:)", re.IGNORECASE)

DOC_TYPES = ("ke hoach", "bao cao", "to trinh", "phuong an", "de an", "bien ban", "quyet dinh", "chuong trinh",
             "thong bao", "phieu trinh", "de cuong", "chi thi", "nghi quyet", "ket luan")


def _upper_case(sentence: Sentence) -> bool:
    """Every syllable other than numbers is written in capitals ("SỞ Y TẾ", "BÁO CÁO")."""
    letters = [t.text for t in sentence.tokens if not t.text.isdigit()]
    return bool(letters) and all(t.isupper() for t in letters)


def _title_line(sentences: list[Sentence]) -> int | None:
    """Index of the upper-case line that names the kind of document ("KẾ HOẠCH", "GIẤY MỜI").

    It is the first upper-case line after the "Số: …" line; without one, the first
    upper-case line that starts with a known kind of document.
    """
    def upper(sentence: Sentence) -> bool:
        return len(sentence.tokens) <= 6 and _upper_case(sentence)

    head = sentences[:12]
    number_line = next((s.index for s in head if re.match(r"(Số|SỐ)\s*:", s.text.strip())), None)
    if number_line is not None:
        return next((s.index for s in head if s.index > number_line and upper(s)), None)
    for sentence in head:
        title = " ".join(t.folded for t in sentence.tokens)
        if upper(sentence) and title.startswith(DOC_TYPES + ("giay moi", "bien ban", "de an", "danh sach")):
            return sentence.index
    return None


def agency_sentences(sentences: list[Sentence], title: int | None) -> tuple[int, ...]:
    """The upper-case lines at the top of the draft that name the issuing body ("SỞ Y TẾ"), above its title."""
    found = []
    for sentence in sentences[:min(title if title is not None else 4, 4)]:
        if not _upper_case(sentence):
            break
        found.append(sentence.index)
    return tuple(found)


def doc_type(sentences: list[Sentence], index: int | None) -> str | None:
    """The kind of document from its upper-case title line ("KẾ HOẠCH", "BÁO CÁO NHANH") at ``index``."""
    if index is None:
        return None
    title = " ".join(t.folded for t in sentences[index].tokens)
    return next((kind for kind in DOC_TYPES if title.startswith(kind)), None)


def subject_sentences(sentences: list[Sentence], index: int | None) -> tuple[int, ...]:
    """The line under the title line ``index`` that says what the document is about ("Kết quả khảo sát …")."""
    if index is None:  # a letter (công văn): its subject is the "V/v …" line
        return tuple(s.index for s in sentences[:12] if re.match(r"V/v\b", s.text.strip(), re.IGNORECASE))[:1]
    if index + 1 >= len(sentences):
        return ()
    following = " ".join(t.folded for t in sentences[index + 1].tokens[:2])
    if following.startswith(("kinh gui", "can cu")):
        return ()
    return (index + 1,)


@dataclass(frozen=True)
class Score:
    profile: ItemProfile
    value: float
    coverage: float
    local: float
    best_sentences: tuple[int, ...]
    matched: frozenset[str]
    failed: tuple[str, ...]  # messages of the rules and conditions the draft fails
    about: float = 0.0  # the item's matched weight in the draft's subject line, normalised like value


# Length normalisation: an item's matched weight is divided by (its total weight)
# ** LENGTH_POWER, between raw sums (favouring long enumerations) and plain
# coverage (favouring two-word items). SCALE maps the result to 0..1.
LENGTH_POWER = 0.5
SCALE = 1.6
DOC_TYPE_BONUS = 1.0
PHRASE_FACTOR = 0.5  # a verbatim three-syllable run counts on top of its words
SUBJECT_FACTOR = 2.0  # words in the line that says what the draft is about count again


def _requires(phrase: str, draft: DraftFeatures) -> bool:
    return phrase in draft.all or re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", draft.folded) is not None


def score_item(profile: ItemProfile, draft: DraftFeatures, defeated: set[str]) -> Score:
    """Matched weight overall and in the best two-sentence window, normalised for item length."""
    weights = profile.weights
    matched = frozenset(f for f in weights if f in draft.all)
    mass = sum(weights[f] * (ADDRESS_FACTOR if f in draft.address else 1.0) for f in matched)
    hits = [feats.intersection(weights) if matched else frozenset() for feats in draft.per_sentence]
    sentence_mass = [sum(weights[f] for f in found) for found in hits]
    best_local, best_window = 0.0, ()
    for index in range(len(sentence_mass)):
        window = hits[index] | hits[index + 1] if index + 1 < len(hits) else hits[index]
        local = sum(weights[f] for f in window)
        if local > best_local:
            best_local, best_window = local, (index, index + 1) if index + 1 < len(sentence_mass) else (index,)
    ranked = sorted((i for i in best_window if sentence_mass[i] > 0), key=lambda i: -sentence_mass[i])
    bonus = DOC_TYPE_BONUS if draft.doc_type and draft.doc_type in profile.head else 0.0
    runs = [f for f in profile.phrases if f in draft.phrases]
    phrase_mass = sum(profile.phrases[f] for f in runs)
    subject_mass = sum(weights[f] for f in matched if f in draft.subject) + sum(
        profile.phrases[f] for f in runs if f in draft.subject)
    raw = (0.5 * mass + 0.5 * best_local + bonus + PHRASE_FACTOR * phrase_mass + SUBJECT_FACTOR * subject_mass
           ) / profile.total ** LENGTH_POWER
    if not profile.domain.isdisjoint(draft.agency):
        raw *= 1 + AGENCY_BONUS
    value = raw / (raw + SCALE)
    failed = tuple(c.message for c in profile.conditions if c.name in defeated)
    for rule in profile.rules:
        if rule.requires_any and not any(_requires(p, draft) for p in rule.requires_any):
            failed += (rule.message,)
        if rule.area_km2_above is not None and draft.areas_km2 and max(draft.areas_km2) <= rule.area_km2_above:
            failed += (rule.message,)
    return Score(profile, value, mass / profile.total, best_local / profile.total, tuple(ranked), matched, failed,
                 subject_mass / profile.total ** LENGTH_POWER)


def align(item_text: str, draft_span: str) -> tuple[int, int, float]:
    """Where in the item text the draft span matches best (offsets in item_text) and how well."""
    alignment = fuzz.partial_ratio_alignment(fold(item_text), fold(draft_span))
    if alignment is None:
        return 0, 0, 0.0
    return alignment.src_start, alignment.src_end, alignment.score / 100
