"""Load data/rules.yml: synonyms, stopwords, conditions and per-item rules.

Rules are data a security officer can read and extend. Each condition carries
examples and counterexamples that are checked at load time (as statute-patterns'
NamedPattern does), and every item a rule names must exist in the knowledge
base, so a mistyped rule fails loudly instead of silently changing answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cancu.ingest.build import shipped_data_dir
from cancu.ingest.parse import normalize_number
from cancu.ingest.text import fold, nfc

from cancu.kb import KB, ItemRecord


class RulesError(ValueError):
    """rules.yml is malformed, or a rule contradicts its own examples or the KB."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        super().__init__(f"{path}: quy tắc không hợp lệ: {reason}")


@dataclass(frozen=True)
class Condition:
    """A condition catalog items state ("chưa công khai") and what defeats it in a draft."""

    name: str
    message: str
    item_pattern: re.Pattern
    defeaters: re.Pattern


@dataclass(frozen=True)
class ItemRule:
    """Restrictions that one or more catalog items put on the drafts they cover."""

    decision: str
    article: int | None
    clause: int | None
    point: str | None
    level: str | None
    requires_any: tuple[str, ...]  # folded phrases
    area_km2_above: float | None
    message: str

    def covers(self, item: ItemRecord) -> bool:
        return (item.decision == self.decision
                and (self.article is None or item.article == self.article)
                and (self.clause is None or item.clause == self.clause)
                and (self.point is None or item.point == self.point)
                and (self.level is None or item.level == self.level))


@dataclass(frozen=True)
class Rules:
    # canonical phrase (lower case, with diacritics) and its variants: (pattern, matches the folded text?)
    synonyms: tuple[tuple[str, tuple[tuple[re.Pattern, bool], ...]], ...]
    stopwords: frozenset[str]  # lower case with diacritics: folded, "để" would be "đề"
    stop_phrases: tuple[str, ...]  # folded, longest first
    weak_words: frozenset[str]  # folded words every administrative draft uses
    conditions: tuple[Condition, ...]
    item_rules: tuple[ItemRule, ...]
    # folded stopwords for text typed without diacritics, minus those a catalog word folds to ("de": "đề")
    stopwords_folded: frozenset[str] = frozenset()


_REF = re.compile(
    r"^(?P<number>\S+)\s+(?:điểm\s+(?P<point>[a-zđ])\s+)?(?:khoản\s+(?P<clause>\d+)\s*)?"
    r"(?:Điều\s+(?P<article>\d+)|phần\s+[“\"]?Bí mật nhà nước độ\s+(?P<level>Tuyệt mật|Tối mật|Mật)[”\"]?)?\s*$"
)


def _parse_ref(ref: str, path: Path) -> dict:
    match = _REF.match(ref.strip())
    number = normalize_number(match["number"]) if match else None
    if not match or not number:
        raise RulesError(path, f"tham chiếu không đọc được: {ref!r} (ví dụ đúng: '562/QĐ-TTg điểm c khoản 3 Điều 2')")
    return {"decision": number, "article": int(match["article"]) if match["article"] else None,
            "clause": int(match["clause"]) if match["clause"] else None, "point": match["point"],
            "level": match["level"]}


def _compile(pattern: str, path: Path, name: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise RulesError(path, f"biểu thức của '{name}' sai: {error}") from None


def _check_examples(condition: Condition, spec: dict, path: Path) -> None:
    examples, counter = spec.get("examples") or {}, spec.get("counterexamples") or {}
    for kind, pattern in (("item", condition.item_pattern), ("draft", condition.defeaters)):
        for text in examples.get(kind, []):
            if not pattern.search(fold(text)):
                raise RulesError(path, f"điều kiện '{condition.name}': ví dụ {kind} không khớp: {text!r}")
        for text in counter.get(kind, []):
            if pattern.search(fold(text)):
                raise RulesError(path, f"điều kiện '{condition.name}': phản ví dụ {kind} lại khớp: {text!r}")


def _variant_pattern(variant: str) -> tuple[re.Pattern, bool]:
    """Abbreviations match case-sensitively on the draft as written; phrases on folded text (True)."""
    if variant.isupper() or any(ch in variant for ch in "&") or re.search(r"[A-ZĐ]{2}", variant):
        return re.compile(r"(?<!\w)" + re.escape(variant) + r"(?!\w)"), False
    return re.compile(r"(?<!\w)" + re.escape(fold(variant)) + r"(?!\w)"), True


def _kb_text(kb: KB) -> str:
    """Folded words of the catalogs, their titles and fields, and the laws: what a rule may name."""
    parts = [f"{item.text_folded} {item.heading_folded}" for item in kb.items]
    parts += [fold(f"{d.title or ''} {d.field or ''} {d.issuer or ''}") for d in kb.decisions.values()]
    parts += [fold(text) for text in kb.law_texts]
    return " " + " ".join(" ".join(re.findall(r"\w+", part)) for part in parts) + " "


def _check_named(words: list[str], kb_text: str, path: Path, what: str) -> None:
    """Every canonical word of a rule must occur in the knowledge base (a rule encodes catalog or law words)."""
    for word in words:
        folded = " ".join(re.findall(r"\w+", fold(word)))
        if f" {folded} " not in kb_text:
            raise RulesError(path, f"{what} '{word}' không có trong văn bản danh mục hay luật nào của kho dữ liệu")


def _folded_stopwords(stopwords: frozenset[str], kb: KB | None) -> frozenset[str]:
    """Stopwords for text without diacritics: only those whose folded form no catalog content word shares."""
    folded = {fold(word) for word in stopwords}
    if kb is None:
        return frozenset(folded)
    content = {fold(word) for item in kb.catalog_items for word in re.findall(r"\w+", nfc(item.text).lower())
               if word not in stopwords}
    return frozenset(folded - content)


def load_rules(kb: KB | None = None, path: Path | None = None) -> Rules:
    """Read and validate the rules; with a KB, also check that every item reference and canonical word exists."""
    path = path or shipped_data_dir() / "rules.yml"
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(path, str(error)) from None
    synonyms = tuple((nfc(canonical).lower(), tuple(_variant_pattern(v) for v in variants))
                     for canonical, variants in (spec.get("synonyms") or {}).items())
    stopwords = frozenset(nfc(spec.get("stopwords") or "").lower().split())
    stop_phrases = tuple(sorted({" ".join(re.findall(r"\w+", fold(p))) for p in spec.get("stop_phrases") or []},
                                key=len, reverse=True))
    weak_words = frozenset(" ".join(re.findall(r"\w+", fold(w))) for w in spec.get("weak_words") or [])
    conditions = []
    for entry in spec.get("conditions") or []:
        condition = Condition(entry["name"], entry["message"],
                              _compile(entry["item_pattern"], path, entry["name"]),
                              _compile(entry["defeaters"], path, entry["name"]))
        _check_examples(condition, entry, path)
        conditions.append(condition)
    item_rules = []
    for entry in spec.get("items") or []:
        for ref in entry.get("refs") or []:
            target = _parse_ref(ref, path)
            rule = ItemRule(**target, requires_any=tuple(fold(p) for p in entry.get("requires_any") or ()),
                            area_km2_above=entry.get("area_km2_above"), message=entry.get("message", ""))
            # A KB built from the user's own texts (--no-shipped) may lack the decision: its rule has nothing to cover.
            if kb is not None and kb.decision(rule.decision) and not any(rule.covers(i) for i in kb.catalog_items):
                raise RulesError(path, f"tham chiếu {ref!r} không có trong kho dữ liệu")
            item_rules.append(rule)
    if kb is not None and kb.law_texts:  # a snapshot without the laws cannot vouch for law words
        kb_text = _kb_text(kb)
        _check_named([canonical for canonical, _ in synonyms], kb_text, path, "từ gốc của từ đồng nghĩa")
        for entry in spec.get("items") or []:
            _check_named(list(entry.get("requires_any") or ()), kb_text, path, "từ giới hạn")
    return Rules(synonyms, stopwords, stop_phrases, weak_words, tuple(conditions), tuple(item_rules),
                 _folded_stopwords(stopwords, kb))
