"""Features: for the draft once, then for each (draft, candidate item) pair, generic and interpretable.

Draft: keys per sentence (words, pairs, syllables, with synonym expansion from
rules.yml), its subject line, the header that names the issuing body, the
"Kính gửi"/"Nơi nhận" lines, and signals about the whole document (is it about
the work of protecting state secrets, does it quote catalog decisions). Pair:
weighted coverage of the item's words, the best two-sentence window, verbatim
three-syllable runs, subject-line coverage, bm25 and its rank, whether a
better-matching candidate already explains the evidence, the item's restrictor
and condition read in the evidence region. No feature names an item or a decision;
the scoring model (decision.py) weighs them.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass

from cancu.ingest.text import fold, without_quote_marks

from .profiles import ItemProfile
from .rules import Rules
from .textprep import Sentence, fold_syllable
from .words import features, phrase_features, phrases

RICHEST = 3  # sentences richest in the item's words whose paragraphs make up its evidence region
ADDRESS_FACTOR = 0.3  # words only in the header, "Kính gửi" or "Nơi nhận" lines: who writes to whom, not what about
_AREA = re.compile(r"(\d+(?:[.,]\d+)?)\s*km\s*(?:2|²|vuong)\b")
_CATALOG_NUMBER = re.compile(r"\b\d{1,4}(?:/\d{4})?/q[dđ]-ttg\b", re.IGNORECASE)
_SECRET_WORK = re.compile(r"bao ve bi mat nha nuoc|bi mat nha nuoc|do mat|toi mat|tuyet mat")


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
    secret_work: int = 0  # mentions of protecting state secrets, levels of secrecy
    catalog_numbers: int = 0  # distinct catalog decision numbers ("531/QĐ-TTg") the draft quotes
    syllables: int = 0
    lines: tuple[int, ...] = ()  # per sentence, the line it starts on (the paragraph, in these drafts)
    text: str = ""  # the sentences, joined (in memory only, like the draft)
    every_sentence: tuple[frozenset[str], ...] = ()  # per sentence, its features, header and address lines too
    address_sentences: frozenset[int] = frozenset()  # the header, "Kính gửi" and "Nơi nhận" sentences
    first: int = 0  # the document's first sentence: after a forwarding e-mail's own header
    note: int = 0  # sentences before ``note`` are a sender's note above the e-mail block (they are content)
    about: tuple[int, ...] = ()  # the sentences that say what the draft is about (subject_sentences)

    @functools.cached_property
    def _mentioned(self) -> dict[str, bool]:
        return {}

    @functools.cached_property
    def verdicts(self) -> dict:
        """Condition verdicts by (condition, region): candidates share paragraphs; kept with the draft only."""
        return {}

    def mentions(self, phrase: str) -> bool:
        """The folded phrase as written, or paraphrased (see _paraphrased); remembered per draft."""
        found = self._mentioned.get(phrase)
        if found is None:
            found = _has_phrase(phrase, self.folded) or _paraphrased(phrase, self.positions)
            self._mentioned[phrase] = found
        return found

    @functools.cached_property
    def sentences_with(self) -> dict[str, tuple[int, ...]]:
        """For each feature, the sentences (content lines only) that have it: candidates look up only those."""
        found: dict[str, list[int]] = {}
        for index, keys in enumerate(self.per_sentence):
            for key in keys:
                found.setdefault(key, []).append(index)
        return {key: tuple(indexes) for key, indexes in found.items()}

    @functools.cached_property
    def positions(self) -> dict[str, list[int]]:
        """Positions of each folded word in the draft, for paraphrase-tolerant restrictor lookup."""
        found: dict[str, list[int]] = {}
        for index, word in enumerate(re.findall(r"\w+", self.folded)):
            found.setdefault(word, []).append(index)
        return found


_BOUNDED = re.compile(r"\(\?<!\\w\)(.*)\(\?!\\w\)", re.DOTALL)


@functools.lru_cache(maxsize=1024)
def _literal(variant: re.Pattern) -> str:
    """The literal text a synonym variant's pattern (rules._variant_pattern: an escaped literal between
    word boundaries) must contain to match; the empty string, which every text contains, for any other pattern."""
    bounded = _BOUNDED.fullmatch(variant.pattern)
    if bounded is None or variant.flags & re.IGNORECASE:
        return ""
    literal = re.sub(r"\\(.)", r"\1", bounded[1], flags=re.DOTALL)
    return literal if re.escape(literal) == bounded[1] else ""


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
            if _literal(variant) not in text:  # most variants are absent: a substring scan says so fastest
                continue
            for match in variant.finditer(text):
                hits[bisect.bisect_right(offsets, match.start()) - 1].add(canonical)
    return hits


def _folded(sentence: Sentence) -> str:
    """fold(sentence.text), from the syllables' folded forms (folded once per syllable) and the text between them."""
    parts, position = [], sentence.start
    for token in sentence.tokens:
        parts.append(_fold_between(sentence.text[position - sentence.start:token.start - sentence.start]))
        parts.append(token.folded)
        position = token.end
    parts.append(_fold_between(sentence.text[position - sentence.start:]))
    return "".join(parts)


def _fold_between(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)  # mostly ", " between two syllables


def draft_features(sentences: list[Sentence], rules: Rules, body_start: int = 0, mail_start: int = 0) -> DraftFeatures:
    """``mail_start``, ``body_start``: where the e-mail block before the document starts and ends
    (ingest.text.mail_layout); the note a sender writes above it is the sender's text, the block is not."""
    per_sentence, every = [], []
    runs: set[str] = set()
    subject: set[str] = set()
    first = next((s.index for s in sentences if s.end > body_start), len(sentences))
    note = next((s.index for s in sentences if s.end > mail_start), len(sentences)) if body_start else 0
    title = _title_line(sentences, first)
    about = subject_sentences(sentences, title, first)
    header = agency_sentences(sentences, title, first)
    agency: set[str] = set()
    address: set[str] = set()
    address_lines = ({s.line for s in sentences if _ADDRESS_LINE.match(without_quote_marks(s.text).strip())}
                     | {sentences[i].line for i in header} | {s.line for s in sentences[note:first]})
    for sentence, canonicals in zip(sentences, _synonym_hits(sentences, rules)):
        found = features(sentence.words, rules, sentence.marked, sentence.accented)
        own_runs = phrases(sentence.text, rules, sentence.accented)
        for canonical in canonicals:
            found |= _canonical_features(canonical, rules)
            own_runs |= phrases(canonical, rules)
        every.append(frozenset(found))
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
    # the e-mail block says who sent what to whom: no evidence of what the document holds (its subject aside)
    folded_text = "\n".join(_folded(s) for s in sentences if not note <= s.index < first or s.index in about)
    areas = tuple(float(m[1].replace(".", "").replace(",", ".")) for m in _AREA.finditer(folded_text))
    content = frozenset().union(*per_sentence) if per_sentence else frozenset()
    return DraftFeatures(tuple(sentences), tuple(per_sentence), content | address, folded_text, areas,
                         doc_type(sentences, title), frozenset(runs), frozenset(subject),
                         frozenset(agency), frozenset(address - content),
                         secret_work=len(_SECRET_WORK.findall(folded_text)),
                         catalog_numbers=len({m.lower().replace("đ", "d") for m in _CATALOG_NUMBER.findall(folded_text)}),
                         syllables=sum(len(s.tokens) for s in sentences if not note <= s.index < first), lines=tuple(s.line for s in sentences),
                         text="\n".join(s.text for s in sentences), every_sentence=tuple(every),
                         address_sentences=frozenset(s.index for s in sentences if s.line in address_lines),
                         first=first, about=tuple(about), note=note)


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


def _title_case(sentence: Sentence) -> bool:
    """Every syllable other than numbers is a capital then small letters ("Sở Y Tế"): a header typed in
    Title Case (not "Số: …/KH-TTr", whose symbol is in capitals)."""
    letters = [t.text for t in sentence.tokens if not t.text.isdigit()]
    return len(letters) >= 2 and all(t[0].isupper() and t[1:] == t[1:].lower() for t in letters)


def _title_line(sentences: list[Sentence], first: int = 0) -> int | None:
    """Index of the upper-case line that names the kind of document ("KẾ HOẠCH", "GIẤY MỜI").

    It is the first upper-case line after the "Số: …" line; without one, the first
    upper-case line that starts with a known kind of document. ``first``: where the
    document starts (after an e-mail header).
    """
    def names_a_kind(sentence: Sentence) -> bool:
        return " ".join(t.folded for t in sentence.tokens).startswith(DOC_TYPES + ("giay moi", "danh sach"))

    def upper(sentence: Sentence) -> bool:
        # a title styled "All Caps" in Word is typed "Kế hoạch" (the plain text keeps no style), or "Kế Hoạch"
        return len(sentence.tokens) <= 6 and (_upper_case(sentence) or len(sentence.tokens) <= 4
                                              and sentence.tokens[0].text[0].isupper() and names_a_kind(sentence)
                                              and not sentence.text.rstrip().endswith((".", ";", ":", ",")))

    head = sentences[first:first + 12]
    number_line = next((s.index for s in head if re.match(r"\s*(Số|SỐ)\s*:", without_quote_marks(s.text))), None)
    if number_line is not None:
        # a header wrapped or typed over several lines puts the symbol ("-BC/UBKTTW"), "DỰ THẢO"
        # or a stamp on upper-case lines of their own: a line naming a kind of document comes first
        after = [s for s in head if s.index > number_line and upper(s) and "/" not in s.text]
        return next((s.index for s in after if names_a_kind(s)), after[0].index if after else None)
    return next((s.index for s in head if upper(s) and names_a_kind(s)), None)


def agency_sentences(sentences: list[Sentence], title: int | None, first: int = 0) -> tuple[int, ...]:
    """The upper-case lines at the top of the document that name the issuing body ("SỞ Y TẾ"), above its title."""
    found = []
    for sentence in sentences[first:min(title if title is not None else first + 4, first + 4)]:
        if not (_upper_case(sentence) or title is not None and _title_case(sentence)):
            break
        found.append(sentence.index)
    return tuple(found)


def doc_type(sentences: list[Sentence], index: int | None) -> str | None:
    """The kind of document from its upper-case title line ("KẾ HOẠCH", "BÁO CÁO NHANH") at ``index``."""
    if index is None:
        return None
    title = " ".join(t.folded for t in sentences[index].tokens)
    return next((kind for kind in DOC_TYPES if title.startswith(kind)), None)


_SUBJECT_LINE = re.compile(r"(V/v\b|Về việc\b|Tiêu đề\s*:|Tieu de\s*:|Subject\s*:|Trích yếu\s*:)", re.IGNORECASE)


def subject_sentences(sentences: list[Sentence], index: int | None, first: int = 0) -> tuple[int, ...]:
    """The line under the title line ``index`` that says what the document is about ("Kết quả khảo sát …").

    A letter (công văn) or an e-mail has no title line: its subject is the "V/v …" or
    "Tiêu đề: …" line, the document's own (from ``first``) before a forwarding e-mail's.
    """
    if index is None:
        for part in (sentences[first:first + 15], sentences[:first]):
            found = next((s for s in part if _SUBJECT_LINE.match(without_quote_marks(s.text).strip())), None)
            if found:  # "Tiêu đề:" and what follows it on the line are split at the colon
                return tuple(s.index for s in sentences if s.line == found.line and s.index >= found.index)
        return ()
    if index + 1 >= len(sentences):
        return ()
    following = " ".join(t.folded for t in sentences[index + 1].tokens[:2])
    if following.startswith(("kinh gui", "can cu")):
        return ()
    return (index + 1,)



# --- one (draft, item) pair ------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """How much of one item the draft talks about, and where."""

    profile: ItemProfile
    matched: frozenset[str]  # the item's keys the draft has
    mass: float  # their weight (words found only in who-writes-to-whom lines count less)
    local: float  # weight in the best two adjacent sentences
    best_sentences: tuple[int, ...]  # those sentences, the richer first
    phrase_mass: float  # verbatim three-syllable runs shared with the item
    subject_mass: float  # the item's weight in the draft's subject line
    strong: int  # distinct multi-syllable words shared that are not generic nor the field's name
    local_keys: frozenset[str] = frozenset()  # the item's keys in the best window
    richest: tuple[int, ...] = ()  # the sentences with the most of the item's weight, anywhere in the draft

    @property
    def strength(self) -> float:
        """One number to order candidates before the model sees them: the parts summed, length-normalised."""
        return (self.mass + self.local + self.phrase_mass + self.subject_mass) / math.sqrt(self.profile.total)


def match_item(profile: ItemProfile, draft: DraftFeatures, rules: Rules) -> Match:
    lookup, weights = profile.lookup, profile.weights
    keys = draft.all.intersection(lookup)
    matched = frozenset(lookup[k] for k in keys)
    address = {lookup[k] for k in draft.address.intersection(lookup)}
    mass = math.fsum(weights[f] * (ADDRESS_FACTOR if f in address else 1.0) for f in matched)
    # Only the sentences that have one of the item's keys, and the windows that hold one, can carry weight.
    found: dict[int, set[str]] = {}
    sentences_with = draft.sentences_with
    for key in keys:
        for index in sentences_with.get(key, ()):
            found.setdefault(index, set()).add(lookup[key])
    sentence_hits = {index: frozenset(hits) for index, hits in found.items()}
    count, empty = len(draft.per_sentence), frozenset()
    best_local, best_window, best_keys = 0.0, (), frozenset()
    for index in sorted({i for hit in sentence_hits for i in (hit - 1, hit) if i >= 0}):
        here = sentence_hits.get(index, empty)
        window = here | sentence_hits.get(index + 1, empty) if index + 1 < count else here
        local = math.fsum(weights[f] for f in window)
        if local > best_local:
            best_local, best_keys = local, window
            best_window = (index, index + 1) if index + 1 < count else (index,)
    masses = {i: math.fsum(weights[f] for f in hits) for i, hits in sentence_hits.items()}
    richest = tuple(sorted((i for i in masses if masses[i] > 0), key=lambda i: (-masses[i], i))[:RICHEST])
    sentence_mass = {i: masses.get(i, 0.0) for i in best_window}
    ranked = tuple(sorted((i for i in best_window if sentence_mass[i] > 0), key=lambda i: (-sentence_mass[i], i)))
    runs = [f for f in profile.phrases if f in draft.phrases]
    subject = {lookup[k] for k in draft.subject.intersection(lookup)}
    subject_mass = math.fsum(weights[f] for f in subject) + math.fsum(profile.phrases[f] for f in runs if f in draft.subject)
    strong = sum(1 for f in matched if " " in f and f not in profile.pairs
                 and fold_syllable(f) not in rules.weak_words and f not in profile.domain)
    return Match(profile, matched, mass, best_local, ranked, math.fsum(profile.phrases[f] for f in runs), subject_mass,
                 strong, best_keys, richest)


def region(draft: DraftFeatures, match: Match) -> str:
    """The text of the paragraphs that carry the item's evidence, and the subject line.

    An item's condition ("chưa công khai") is read here, not anywhere in the draft:
    one unrelated "đã đăng tải" sentence elsewhere does not decide it.
    """
    indexes: set[int] = set()
    for best in sorted(set(match.best_sentences) | set(match.richest)):
        line = draft.lines[best]
        low = best
        while low > 0 and draft.lines[low - 1] == line:
            low -= 1
        high = best
        while high + 1 < len(draft.lines) and draft.lines[high + 1] == line:
            high += 1
        indexes.update(range(max(low, best - 8), min(high, best + 8) + 1))
    return "\n".join(draft.sentences[i].text for i in sorted(indexes))


FEATURES = ("bm25_rel", "bm25_log", "bm25_rank", "coverage", "local", "mass", "phrases", "subject", "strong",
            "strength_rank", "gap_best", "explained", "agency_field", "doc_type", "restrictor_present",
            "restrictor_missing", "secret_work", "catalog_numbers", "length",
            "item_length", "strength", "strength_ratio", "top_strength", "top_bm25", "best_decision",
            "decision_share", "object_coverage", "object_local")


CHECK_FEATURES = {"restrictor_present": (0.0, 1.0), "restrictor_missing": (0.0, 1.0)}  # the values item_checks gives


def check_features(checks: "Checks") -> dict[str, float]:
    """The features that come from item_checks (restrictor evidence); the others come from the match."""
    return {"restrictor_present": float(checks.restrictor_present), "restrictor_missing": float(checks.restrictor_missing)}


def pair_features(matches: list[Match], bm25: dict[int, float], fts_rank: dict[int, int],
                  draft: DraftFeatures) -> list[dict[str, float]]:
    """The feature vector of each candidate, in the order of ``matches`` (best strength first), without
    the CHECK_FEATURES (set to 0 here; ``check_features`` gives them from the item's checks)."""
    top_bm25 = max(bm25.values(), default=0.0) or 1.0
    best = matches[0].strength if matches else 0.0
    explained_by: set[str] = set()
    top_decisions = [m.profile.item.decision for m in matches[:10]]
    vectors = []
    for rank, match in enumerate(matches):
        profile = match.profile
        item_id = profile.item.id
        norm = math.sqrt(profile.total)
        weights = profile.weights
        matched_mass = math.fsum(weights[f] for f in match.matched) or 1.0
        explained = math.fsum(weights[f] for f in match.matched if f in explained_by) / matched_mass
        explained_by |= match.matched
        vectors.append({
            "bm25_rel": bm25.get(item_id, 0.0) / top_bm25,
            "bm25_log": math.log1p(bm25.get(item_id, 0.0)),
            "bm25_rank": math.log1p(fts_rank.get(item_id, 100)),
            "coverage": match.mass / profile.total,
            "local": match.local / profile.total,
            "mass": match.mass / norm,
            "phrases": match.phrase_mass / norm,
            "subject": match.subject_mass / norm,
            "strong": math.log1p(match.strong),
            "strength_rank": math.log1p(rank),
            "gap_best": match.strength - best,
            "explained": explained,
            "agency_field": float(not profile.domain.isdisjoint(draft.agency)),
            "doc_type": float(bool(draft.doc_type) and draft.doc_type in profile.head),
            **dict.fromkeys(CHECK_FEATURES, 0.0),
            "secret_work": math.log1p(draft.secret_work),
            "catalog_numbers": math.log1p(draft.catalog_numbers),
            "length": math.log(max(draft.syllables, 1)),
            "item_length": math.log(profile.total),
            "strength": math.log1p(match.strength),
            "strength_ratio": match.strength / best if best else 0.0,
            "top_strength": float(rank == 0),
            "top_bm25": float(fts_rank.get(item_id) == 0),
            "best_decision": float(profile.item.decision == matches[0].profile.item.decision),
            "decision_share": top_decisions.count(profile.item.decision) / max(len(top_decisions), 1),
            "object_coverage": (math.fsum(weights[f] for f in match.matched if f in profile.object)
                                / (math.fsum(weights[f] for f in profile.object) or 1.0)),
            "object_local": (math.fsum(weights[f] for f in match.local_keys if f in profile.object)
                             / (math.fsum(weights[f] for f in profile.object) or 1.0)),
        })
    return vectors


# --- the item's own limits: restrictors and conditions ----------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why an item does not apply: a code a program can read, the words it rests on, a Vietnamese message."""

    code: str  # "condition_failed" | "restrictor_missing" | "threshold_failed" | "below_threshold" | "explained"
    words: tuple[str, ...]
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "words": list(self.words), "message": self.message}


WHOLE_DRAFT = frozenset({"area_min_km2", "scale_min", "scale_in", "category_min", "grade_min", "distance_max_km",
                         "coverage"})


@dataclass(frozen=True)
class Checks:
    failed: tuple[Reason, ...]  # conditions failed in the evidence region, restrictors the draft lacks
    restrictor_present: bool
    restrictor_missing: bool
    failed_elsewhere: bool  # a condition's defeater outside the evidence region (a feature, never a stop)


def _has_phrase(phrase: str, folded_text: str) -> bool:
    if phrase not in folded_text:  # the substring test rules most phrases out without building a regex
        return False
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", folded_text) is not None


MAX_GAP = 3  # words a drafter puts between two words of a restrictor ("dư luận [xã hội] đặc biệt quan tâm")


def _paraphrased(phrase: str, positions: dict[str, list[int]]) -> bool:
    """The phrase's words in order, each within MAX_GAP words of the previous, up to a third of them left out.

    Drafts name a restrictor in their own words: "dư luận đặc biệt quan tâm" for the
    catalog's "dư luận xã hội đặc biệt quan tâm".
    """
    words = phrase.split()
    if len(words) < 3:
        return False
    may_skip = len(words) // 3
    for first in range(may_skip + 1):
        for start in positions.get(words[first], ()):
            position, skipped = start, first
            for word in words[first + 1:]:
                places = positions.get(word, ())
                at = bisect.bisect_right(places, position)
                if at < len(places) and places[at] <= position + MAX_GAP + 1:
                    position = places[at]
                else:
                    skipped += 1
                    if skipped > may_skip:
                        break
            if skipped <= may_skip:
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _folded_term(term: str) -> str:
    return " ".join(re.findall(r"\w+", fold(term).lower()))


_TERMS: dict = {}


def _terms(condition) -> tuple[str, ...]:
    """restrictor_terms of a condition record, remembered (records are catalog data, never drafts)."""
    key = (condition.kind, condition.code, condition.text)
    if key not in _TERMS:
        from . import conditions as evaluator

        _TERMS[key] = tuple(evaluator.restrictor_terms(condition))
    return _TERMS[key]


def item_checks(profile: ItemProfile, draft: DraftFeatures, match: Match, rules: Rules) -> Checks:
    """Restrictors need evidence anywhere in the draft; conditions are read in the evidence region.

    Sources: the item's conditions extracted from the catalog text at ingest
    (``ItemRecord.conditions``, evaluated by ``classifier/conditions.py``) when the
    knowledge base has them, and the entries of rules.yml that name the item.
    """
    item = profile.item
    area = region(draft, match)
    failed: list[Reason] = []
    present = missing = elsewhere = False
    extracted = getattr(item, "conditions", ()) or ()
    if extracted:
        from . import conditions as evaluator  # the catalog's own conditions (issue 11, item 1)

        whole = draft.text  # thresholds describe the object wherever the draft states them
        for condition in extracted:
            if condition.kind == "restrictor" or condition.code == "circumstance":
                # Drafts paraphrase a restrictor as often as they quote it: evidence, not a requirement.
                if any(draft.mentions(_folded_term(term)) for term in _terms(condition)):
                    present = True
                else:
                    missing = True
            elif condition.kind == "condition":
                # A threshold describes the object wherever the draft states it; the rest is read locally.
                place = whole if condition.code in WHOLE_DRAFT else area
                key = (condition.kind, condition.code, condition.text, place)
                verdict = draft.verdicts.get(key)
                if verdict is None:
                    verdict = draft.verdicts[key] = evaluator.evaluate(condition, place)
                if verdict.state == "failed":
                    failed.append(Reason("condition_failed", (condition.text,), verdict.reason))
    for condition in rules.conditions:
        if condition.item_pattern.search(profile.match_text):
            found = condition.defeaters.search(fold(area))
            if found:
                failed.append(Reason("condition_failed", (found.group(),), condition.message))
            elif condition.defeaters.search(draft.folded):
                elsewhere = True
    for rule in rules.item_rules:
        if not rule.covers(item):
            continue
        if rule.requires_any:
            if any(draft.mentions(p) for p in rule.requires_any):
                present = True
            else:
                missing = True
                failed.append(Reason("restrictor_missing", rule.requires_any, rule.message))
        if rule.area_km2_above is not None and draft.areas_km2 and max(draft.areas_km2) <= rule.area_km2_above:
            failed.append(Reason("threshold_failed", (f"{max(draft.areas_km2):g} km²",), rule.message))
    return Checks(tuple(failed), present, missing, elsewhere)
