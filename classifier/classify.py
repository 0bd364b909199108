"""Propose the catalog items that apply to a draft, or say that none does.

Steps: prepare the text (textprep) → candidates from the knowledge base's
full-text index, restricted to items in force on the draft's date (bm25 over
folded text) → weighted coverage, verbatim three-syllable runs and the subject
line, with evidence, per candidate (match) → rules and conditions (rules.yml) →
accept above a calibrated threshold with evidence of the item's own, where a
better-matching item that fails its condition shadows its weaker neighbours;
the document level is the highest accepted level (khoản 2 Điều 10 Luật 29/2018/QH14).
Neighbouring items that pass on their own but that an accepted item mostly
explains follow as alternatives, and never raise the level.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from cancu.ingest.dates import header_date
from cancu.ingest.model import Level
from cancu.ingest.text import nfc, vn_date

from cancu.kb import KB, ItemRecord
from .match import DraftFeatures, ItemProfile, Score, align, build_profiles, draft_features, score_item
from .model import Classification, Evidence, Proposal
from .rules import Rules, load_rules
from .textprep import Sentence, prepare

# Calibrated on the development drafts (bench/eval.py); see README "Cách phân loại".
ACCEPT_THRESHOLD = 0.7  # minimum score for an item to apply
RELATIVE_THRESHOLD = 0.85  # further items must reach this share of the best score
MIN_STRONG_FEATURES = 2  # distinct specific words (not generic, not the field's name) the draft must share
SUBJECT_EVIDENCE = 3.0  # ... or this much of the item's weight in the draft's subject line (Score.about)
BM25_WEIGHT = 0.2  # the full-text rank breaks near-ties in the ranking
NOVELTY = 0.5  # share of a further item's evidence that must be its own
MAX_ALTERNATIVES = 2  # neighbouring items listed after the accepted ones (see _alternatives)
CANDIDATES = 40  # items taken from the full-text index
LAW_2025_EFFECTIVE = dt.date(2026, 3, 1)
MAX_SPAN = 220


@dataclass
class Classifier:
    """A KB snapshot with its rules and item profiles, built once and reused."""

    kb: KB
    rules: Rules
    profiles: dict[int, ItemProfile]

    def __post_init__(self) -> None:
        self._local = threading.local()

    @classmethod
    def from_kb(cls, kb: KB, rules: Rules | None = None) -> "Classifier":
        rules = rules or load_rules(kb)
        return cls(kb, rules, {p.item.id: p for p in build_profiles(kb, rules)})

    def connection(self) -> sqlite3.Connection:
        """A read-only connection per thread (Datasette serves from several threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.kb.connect()  # the database the snapshot was read from, even if the file was replaced
            self._local.connection = connection
        return connection


# Keyed by the snapshot itself (not id()), so a collected KB never lends its profiles to a new one.
_CACHE: "weakref.WeakKeyDictionary[KB, Classifier]" = weakref.WeakKeyDictionary()


def classifier_for(kb: KB) -> Classifier:
    """The Classifier of a KB snapshot, built on first use."""
    if kb not in _CACHE:
        _CACHE[kb] = Classifier.from_kb(kb)
    return _CACHE[kb]


def _fts_terms(sentences: list[Sentence], rules: Rules, limit: int = 400) -> list[str]:
    """Multi-syllable words and syllable pairs of the draft, as FTS5 phrases."""
    terms: dict[str, None] = {}
    for sentence in sentences:
        syllables = [t.folded for t in sentence.tokens]
        marked = [t.text.lower() for t in sentence.tokens]
        for word, lower in zip(sentence.words, sentence.marked):
            if " " in word and not all(s in rules.stopwords for s in lower.split()):
                terms[word] = None
        for i in range(len(syllables) - 1):
            if (marked[i] not in rules.stopwords and marked[i + 1] not in rules.stopwords
                    and not (syllables[i] + syllables[i + 1]).isdigit()):
                terms[f"{syllables[i]} {syllables[i + 1]}"] = None
    return [t for t in terms if re.fullmatch(r"[a-z0-9 ]+", t)][:limit]


def bm25_ranking(classifier: Classifier, sentences: list[Sentence], as_of: dt.date, limit: int = CANDIDATES) -> list[tuple[int, float]]:
    """(item id, bm25) of catalog items in force on ``as_of``, best first."""
    terms = _fts_terms(sentences, classifier.rules)
    if not terms:
        return []
    query = "{text_folded heading_folded} : (" + " OR ".join(f'"{t}"' for t in terms) + ")"
    day = as_of.isoformat()
    rows = classifier.connection().execute(
        """select items.id, bm25(items_fts) as rank from items_fts join items on items.id = items_fts.rowid
           where items_fts match ? and items.catalog_item = 1 and items.valid_from <= ?
             and (items.valid_until is null or items.valid_until > ?)
           order by rank limit ?""",
        (query, day, day, limit),
    ).fetchall()
    return [(item_id, -rank) for item_id, rank in rows]


def _evidence(score: Score, draft: DraftFeatures, stopwords: frozenset[str] = frozenset()) -> tuple[Evidence, ...]:
    """The sentences that carry the item's words, trimmed to the matched region."""
    matched_syllables = {part for feature in score.matched for part in feature.split()}
    found = []
    for index in score.best_sentences[:2]:
        sentence = draft.sentences[index]
        hits = [t for t in sentence.tokens if t.folded in matched_syllables and t.text.lower() not in stopwords]
        if not hits:
            continue
        start, end = hits[0].start, hits[-1].end
        if end - start > MAX_SPAN:
            start, end = _densest_window(hits)
        offset = sentence.start
        span_text = sentence.text[start - offset:end - offset]
        item_start, item_end, similarity = align(score.profile.item.text, span_text)
        words = tuple(dict.fromkeys(t.text for t in hits if start <= t.start and t.end <= end))
        found.append(Evidence(
            draft_span=span_text, item_span=score.profile.item.text[item_start:item_end], sentence=index,
            start=start, end=end, score=similarity, matched_words=words[:20],
        ))
    return tuple(found)


def _densest_window(hits) -> tuple[int, int]:
    best = (hits[0].start, hits[0].end, 0)
    for i, first in enumerate(hits):
        inside = [h for h in hits[i:] if h.end - first.start <= MAX_SPAN]
        if len(inside) > best[2]:
            best = (first.start, inside[-1].end, len(inside))
    return best[0], best[1]


def _warnings(item: ItemRecord, kb: KB) -> tuple[str, ...]:
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


def _proposal(score: Score, draft: DraftFeatures, kb: KB, as_of: dt.date, value: float,
              stopwords: frozenset[str] = frozenset(), alternative: bool = False) -> Proposal:
    item = score.profile.item
    decision = kb.decisions[item.decision]
    return Proposal(
        item_id=item.id, decision=item.decision, article=item.article, clause=item.clause, point=item.point,
        level=item.level, score=value, citation=item.citation, text=item.text,
        evidence=_evidence(score, draft, stopwords), warnings=_warnings(item, kb) + score.failed,
        protection_years=kb.protection_years(item.level, as_of),
        decision_date=decision.date.isoformat() if decision.date else None,
        valid_from=item.valid_from.isoformat() if item.valid_from else None,
        valid_until=item.valid_until.isoformat() if item.valid_until else None,
        alternative=alternative,
    )


def resolve_as_of(text: str, as_of: dt.date | None) -> tuple[dt.date, str]:
    """The date the draft is judged on, as `cancu check` judges it (cancu.ingest.dates.judged_date)."""
    from cancu.ingest.dates import judged_date  # the one definition (imported here: one hunk in this module)

    return judged_date(text, as_of)


def classify(text: str, kb: KB, as_of: dt.date | None = None, top: int = 5) -> Classification:
    """Propose the catalog items in force on the draft's date that apply to ``text``.

    Returns a Classification whose ``level`` is None when no item applies. The
    draft's text is processed in memory and not kept: only short evidence spans
    appear in the result.
    """
    classifier = classifier_for(kb)
    text = nfc(text)
    day, source = resolve_as_of(text, as_of)
    sentences = prepare(text)
    draft = draft_features(sentences, classifier.rules)
    defeated = {c.name for c in classifier.rules.conditions if c.defeaters.search(draft.folded)}
    candidates = bm25_ranking(classifier, sentences, day)
    top_bm25 = max((rank for _, rank in candidates), default=1.0) or 1.0
    ranked = sorted(((score_item(classifier.profiles[item_id], draft, defeated), rank / top_bm25)
                     for item_id, rank in candidates), key=lambda pair: -(pair[0].value + BM25_WEIGHT * pair[1]))
    scores = [score for score, _ in ranked]
    eligible = [s for s in scores if not s.failed and _evidenced(s, classifier.rules)]
    best = max((s.value for s in eligible), default=0.0)
    candidates_above = [s for s in eligible if s.value >= ACCEPT_THRESHOLD and s.value >= RELATIVE_THRESHOLD * best]
    accepted = _distinct(candidates_above, shadows=[s for s in scores if s.failed])[:top]
    stopwords = classifier.rules.stopwords
    proposals = tuple(_proposal(s, draft, kb, day, s.value, stopwords) for s in accepted)
    level = max((p.level for p in proposals), key=lambda lv: Level(lv).rank, default=None)
    alternatives = _alternatives(eligible, accepted, level)[:max(0, min(MAX_ALTERNATIVES, top - len(accepted)))]
    proposals += tuple(_proposal(s, draft, kb, day, s.value, stopwords, alternative=True) for s in alternatives)
    near = tuple(_near_miss(_proposal(s, draft, kb, day, s.value, stopwords), s, classifier.rules) for s in scores[:3]
                 if s not in accepted and s not in alternatives and s.value >= 0.25)
    return Classification(as_of=day, as_of_source=source, level=level, proposals=proposals,
                          warnings=_global_warnings(kb, day, level), near_misses=near)


REJECTED = "không đề xuất: "  # prefix of the reason a near miss carries last in its warnings


def _near_miss(proposal: Proposal, score: Score, rules: Rules) -> Proposal:
    """The proposal of a rejected item, with why it was rejected as its last warning."""
    if score.failed:
        return proposal  # the failed condition's message is already among the warnings
    if score.value < ACCEPT_THRESHOLD:
        reason = f"điểm {score.value:.2f} dưới ngưỡng {ACCEPT_THRESHOLD:.2f}".replace(".", ",")
    elif not _evidenced(score, rules):
        reason = "dự thảo có quá ít từ cụ thể của mục này"
    else:
        reason = "bằng chứng phần lớn trùng với mục đã đề xuất, hoặc điểm thấp hơn nhiều so với mục đó"
    return dataclasses.replace(proposal, warnings=proposal.warnings + (REJECTED + reason,))


def _alternatives(eligible: list[Score], accepted: list[Score], level: str | None) -> list[Score]:
    """Items that pass the threshold on their own but that a better item mostly explains.

    A drafter choosing between neighbouring items ("báo cáo kết quả xác minh" under
    tố cáo or under tham nhũng) should see both. They are listed after the accepted
    items, in ranking order, and only when they do not raise the document level: an
    item of a higher level must be accepted on its own to change the answer.
    """
    if level is None:
        return []
    ceiling = Level(level).rank
    return [s for s in eligible if s not in accepted and s.value >= ACCEPT_THRESHOLD
            and Level(s.profile.item.level).rank <= ceiling]


def _distinct(scores: list[Score], shadows: Sequence[Score] = ()) -> list[Score]:
    """Keep a further item only if the draft gives it evidence of its own.

    A draft that matches one item also shares words with that item's neighbours;
    a multi-item draft talks about several things. An item is kept when at least
    NOVELTY of its matched weight comes from words the items kept before it do
    not explain. An item that matches better but fails its condition ("chưa công
    khai" when the draft says it was published) explains words too: the draft is
    about that item, so its weaker neighbours do not apply in its place.
    """
    kept: list[Score] = []
    explained: set[str] = set()
    for score in scores:
        weights = score.profile.weights
        mass = sum(weights[f] for f in score.matched) or 1.0
        shadowed = explained.union(*(s.matched for s in shadows if s.value > score.value))
        novel = sum(weights[f] for f in score.matched if f not in shadowed)
        if novel / mass >= NOVELTY:
            kept.append(score)
            explained |= score.matched
    return kept


def _evidenced(score: Score, rules: Rules) -> bool:
    """Enough specific evidence: distinct specific words, or the draft's subject line naming the item."""
    return strong_matches(score, rules) >= MIN_STRONG_FEATURES or score.about >= SUBJECT_EVIDENCE


def strong_matches(score: Score, rules: Rules) -> int:
    """Distinct multi-syllable words shared with the draft that are neither generic nor the field's name."""
    return sum(1 for f in score.matched if " " in f and f not in rules.weak_words and f not in score.profile.domain)


def _global_warnings(kb: KB, day: dt.date, level: str | None) -> tuple[str, ...]:
    notes = []
    if day >= LAW_2025_EFFECTIVE:
        notes.append("Từ 01/3/2026 Luật Bảo vệ bí mật nhà nước số 117/2025/QH15 thay thế Luật số 29/2018/QH14; "
                     "kho dữ liệu chưa có điều khoản chuyển tiếp và thời hạn bảo vệ theo Luật mới.")
    if level is None:
        untexted = sorted(d.number for d in kb.decisions.values() if not d.has_text and d.in_force_on(day))
        if untexted:
            notes.append("Kết luận dựa trên các danh mục có trong kho; chưa có văn bản của: " + ", ".join(untexted) + ".")
    return tuple(notes)
