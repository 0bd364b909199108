"""Propose the catalog items that apply to a draft, or say that none does.

The draft flows through five stages, one module each, called in order by
``analyse`` and ``classify`` below:

1. prepare (textprep): sentences with offsets, segmented words, typed with or without diacritics;
2. candidates (candidates): items in force on the draft's date, by bm25 over the whole draft;
3. features (features): generic features of each (draft, item) pair, the item's restrictors
   and conditions read in the part of the draft that carries its evidence;
4. decision (decision): a fitted logistic model gives each item a probability; above the
   acceptance threshold the item applies and counts for the level, in the band below it
   the item is listed as "cần xem xét", below that nothing;
5. evidence (evidence): short spans of the draft, the item's words they match, warnings.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import threading
import weakref
from dataclasses import dataclass

from cancu.ingest.dates import judged_date
from cancu.ingest.text import draft_text, mail_layout

from cancu.kb import KB
from . import candidates as stage_candidates
from .decision import LEVEL_RANK, Model, decide, load_model
from .evidence import proposal
from .features import (CHECK_FEATURES, Checks, DraftFeatures, Match, Reason, check_features, draft_features,
                       item_checks, match_item, pair_features)
from .model import Classification, Proposal
from .profiles import ItemProfile, cached_profiles
from .rules import Rules, load_rules
from .textprep import sentences_of

LAW_2025_EFFECTIVE = dt.date(2026, 3, 1)
NOVELTY = 0.5  # share of an accepted item's evidence that must be its own to be listed as more than an alternative
MAX_ALTERNATIVES = 2


@dataclass
class Classifier:
    """A KB snapshot with its rules, item profiles and scoring model, built once and reused."""

    kb: KB
    rules: Rules
    profiles: dict[int, ItemProfile]
    vocabulary: frozenset[str]
    model: Model

    def __post_init__(self) -> None:
        self._local = threading.local()

    @classmethod
    def from_kb(cls, kb: KB, rules: Rules | None = None, model: Model | None = None) -> "Classifier":
        from cancu.ingest.build import shipped_data_dir
        from cancu.ingest.datafiles import rules_paths

        rules = rules or load_rules(kb)
        model = model or load_model()
        # every rules file in use (the shipped one and an officer's $CANCU_RULES) and the model
        key = b"".join(path.read_bytes() for path in rules_paths(shipped_data_dir())) + repr(model).encode()
        profiles = {p.item.id: p for p in cached_profiles(kb, rules, key)}
        return cls(kb, rules, profiles, stage_candidates.vocabulary(kb), model)

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


def resolve_as_of(text: str, as_of: dt.date | None) -> tuple[dt.date, str]:
    """The date the draft is judged on, as `cancu check` judges it (cancu.ingest.dates.judged_date)."""
    return judged_date(text, as_of)


@dataclass(frozen=True)
class Candidate:
    """One candidate item of a draft after the features stage."""

    match: Match
    checks: Checks
    vector: dict[str, float]

    @property
    def item_id(self) -> int:
        return self.match.profile.item.id


_UNCHECKED = Checks((), False, False, False)


def analyse(classifier: Classifier, text: str, day: dt.date,
            model: Model | None = None) -> tuple[DraftFeatures, list[Candidate]]:
    """Stages 1–3: the draft's features and each candidate's (bench/fit.py fits the model on these).

    With a ``model``, a candidate whose probability under it stays below ``model.shown_from``
    whatever its checks give (``Model.highest``: the model is linear) is not checked:
    it cannot be accepted, reviewed or shown as a near miss, so the answer is the same.
    Its check features stay 0 and its checks empty. Without one, every candidate is checked.
    """
    return _analyse(classifier, draft_text(text), day, model)


def _analyse(classifier: Classifier, text: str, day: dt.date,
             model: Model | None) -> tuple[DraftFeatures, list[Candidate]]:
    """``analyse`` of a text ``draft_text`` has already read."""
    rules = classifier.rules
    sentences = sentences_of(text)
    mail_start, body_start = mail_layout(text)
    draft = draft_features(sentences, rules, body_start, mail_start)
    # a forwarding e-mail's own header says who sent it, not what it carries (its subject line aside)
    terms = stage_candidates.query_terms([s for s in sentences if not draft.note <= s.index < draft.first
                                          or s.index in draft.about], rules, classifier.vocabulary)
    ranking = stage_candidates.bm25_ranking(classifier.connection(), terms, day)
    bm25 = dict(ranking)
    fts_rank = {item_id: rank for rank, (item_id, _) in enumerate(ranking)}
    matches = [match_item(classifier.profiles[item_id], draft, rules) for item_id, _ in ranking]
    matches.sort(key=lambda m: (-m.strength, m.profile.item.id))
    vectors = pair_features(matches, bm25, fts_rank, draft)
    checks = []
    for match, vector in zip(matches, vectors):
        if model is not None and model.highest(vector, CHECK_FEATURES) < model.shown_from:
            checks.append(_UNCHECKED)
            continue
        found = item_checks(match.profile, draft, match, rules)
        vector.update(check_features(found))
        checks.append(found)
    return draft, [Candidate(m, c, v) for m, c, v in zip(matches, checks, vectors)]


def classify(text: str, kb: KB, as_of: dt.date | None = None, top: int = 5,
             model: Model | None = None) -> Classification:
    """Propose the catalog items in force on the draft's date that apply to ``text``.

    Returns a Classification whose ``level`` is None when no item applies. The
    level is computed from every accepted item before the list is cut to ``top``.
    ``model`` replaces the shipped scoring model (its features must be the code's).
    The draft's text is processed in memory and not kept: only short evidence
    spans appear in the result.
    """
    classifier = classifier_for(kb)
    model = model or classifier.model
    text = draft_text(text)  # read once: a draft pasted as one line is read on its lines put back
    day, source = resolve_as_of(text, as_of)
    draft, found = _analyse(classifier, text, day, model)
    probabilities = [model.probability(c.vector) for c in found]
    answer = decide([c.match.profile.item.level for c in found], probabilities,
                    [bool(c.checks.failed) for c in found], [c.item_id for c in found], model.accept, model.review)
    rules = classifier.rules

    def make(index: int, alternative: bool = False, reason: Reason | None = None) -> Proposal:
        return proposal(found[index].match, draft, kb, day, probabilities[index], rules, alternative, reason)

    primary, alternatives, explained = [], [], set()
    for index in answer.accepted:
        match = found[index].match
        weights = match.profile.weights
        mass = math.fsum(weights[f] for f in match.matched) or 1.0
        novel = math.fsum(weights[f] for f in match.matched if f not in explained) / mass
        ceiling = max((LEVEL_RANK[found[i].match.profile.item.level] for i in primary), default=0)
        if primary and novel < NOVELTY and LEVEL_RANK[match.profile.item.level] <= ceiling:
            alternatives.append(index)
        else:
            primary.append(index)
            explained |= match.matched
    shown = primary + alternatives[:MAX_ALTERNATIVES]
    proposals = tuple(make(i, alternative=i in alternatives) for i in shown)[:max(top, 0)]
    review = tuple(make(i, reason=Reason(
        "below_threshold", tuple(sorted(found[i].match.matched))[:8],
        f"độ khớp {probabilities[i]:.2f} dưới ngưỡng chấp nhận {model.accept:.2f}: cần người xem xét".replace(".", ",")))
        for i in answer.review)
    near = tuple(make(i, reason=found[i].checks.failed[0]) for i in answer.rejected[:3]
                 if probabilities[i] >= model.shown_from)
    return Classification(as_of=day, as_of_source=source, level=answer.level, proposals=proposals,
                          warnings=_global_warnings(kb, day, answer.level), near_misses=near, review=review)


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
