"""Evidence and explanation: the draft's words that carry an item, the item's words they match, warnings.

Only short spans of the draft (at most MAX_SPAN characters each) leave this
stage; the draft itself is never kept.
"""

from __future__ import annotations

import datetime as dt

from rapidfuzz import fuzz

from cancu.ingest.text import fold, vn_date
from cancu.kb import KB, ItemRecord

from .features import DraftFeatures, Match
from .model import Evidence, Proposal

MAX_SPAN = 220


def densest_window(hits, width: int = MAX_SPAN) -> tuple[int, int]:
    """The span of at most ``width`` characters holding the most hits (two pointers: linear in hits)."""
    best = (hits[0].start, hits[0].end, 0)
    last = 0
    for first_index, first in enumerate(hits):
        last = max(last, first_index)
        while last + 1 < len(hits) and hits[last + 1].end - first.start <= width:
            last += 1
        count = last - first_index + 1
        if count > best[2]:
            best = (first.start, hits[last].end, count)
    return best[0], best[1]


def align(item_text: str, draft_span: str) -> tuple[int, int, float]:
    """Where in the item text the draft span matches best (offsets in item_text) and how well."""
    alignment = fuzz.partial_ratio_alignment(fold(item_text), fold(draft_span))
    if alignment is None:
        return 0, 0, 0.0
    return alignment.src_start, alignment.src_end, alignment.score / 100


def evidence(match: Match, draft: DraftFeatures, stopwords: frozenset[str] = frozenset()) -> tuple[Evidence, ...]:
    """The sentences that carry the item's words, trimmed to the matched region."""
    matched_syllables = {fold(part) for feature in match.matched for part in feature.split()}
    found = []
    for index in match.best_sentences[:2]:
        sentence = draft.sentences[index]
        hits = [t for t in sentence.tokens if t.folded in matched_syllables and t.text.lower() not in stopwords]
        if not hits:
            continue
        start, end = hits[0].start, hits[-1].end
        if end - start > MAX_SPAN:
            start, end = densest_window(hits)
        offset = sentence.start
        span_text = sentence.text[start - offset:end - offset]
        item_start, item_end, similarity = align(match.profile.item.text, span_text)
        words = tuple(dict.fromkeys(t.text for t in hits if start <= t.start and t.end <= end))
        found.append(Evidence(
            draft_span=span_text, item_span=match.profile.item.text[item_start:item_end], sentence=index,
            start=start, end=end, score=similarity, matched_words=words[:20],
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


def proposal(match: Match, draft: DraftFeatures, kb: KB, as_of: dt.date, probability: float,
             stopwords: frozenset[str] = frozenset(), alternative: bool = False, reason=None) -> Proposal:
    item = match.profile.item
    decision = kb.decisions[item.decision]
    return Proposal(
        item_id=item.id, decision=item.decision, article=item.article, clause=item.clause, point=item.point,
        level=item.level, score=probability, citation=item.citation, text=item.text,
        evidence=evidence(match, draft, stopwords),
        warnings=item_warnings(item, kb) + ((reason.message,) if reason and reason.code != "below_threshold" else ()),
        protection_years=kb.protection_years(item.level, as_of),
        decision_date=decision.date.isoformat() if decision.date else None,
        valid_from=item.valid_from.isoformat() if item.valid_from else None,
        valid_until=item.valid_until.isoformat() if item.valid_until else None,
        alternative=alternative, probability=probability, reason=reason,
    )
