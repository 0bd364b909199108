"""Load data/rules.yml: synonyms, stopwords, conditions and per-item rules.

Rules are data a security officer can read and extend. Each condition carries
examples and counterexamples that are checked at load time (as statute-patterns'
NamedPattern does), and every item a rule names must exist in the knowledge
base, so a mistyped rule fails loudly instead of silently changing answers.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cancu.ingest.build import shipped_data_dir
from cancu.ingest.datafiles import DataFileError, load_yaml, rules_paths
from cancu.ingest.parse import normalize_number
from cancu.ingest.text import fold, nfc

from cancu.kb import KB, ItemRecord


class RulesError(DataFileError, ValueError):
    """A rules file is malformed, or a rule contradicts its own examples or the KB (one line: file, entry, what)."""

    what = "quy tắc không hợp lệ"


# --------------------------------------------------------------------------- the officer's rules on top
# load_rules() reads the shipped data/rules.yml and then the officer's own file(s) ($CANCU_RULES,
# `--rules`), each checked on its own (_read_spec: one-line errors naming file, entry and fault),
# and merges them (merge_rules; README "Quy tắc phân loại", header of data/rules.yml).


def _with_officer_rules(load_one):
    """load_rules(kb) → every rules file in force, merged; load_rules(kb, path) → that file, checked first."""

    @functools.wraps(load_one)
    def load(kb: KB | None = None, path: Path | None = None) -> "Rules":
        if path is None:
            return merge_rules([load(kb, each) for each in rules_paths(shipped_data_dir())])
        _read_spec(Path(path))
        return load_one(kb, Path(path))

    return load


_SECTIONS = {"synonyms": dict, "stopwords": str, "stop_phrases": list, "weak_words": list, "conditions": list,
             "items": list}
_CONDITION_KEYS = {"name", "message", "item_pattern", "defeaters"}


def _read_spec(path: Path) -> dict:
    """The YAML of one rules file, with the shape load_rules relies on; else a one-line RulesError."""
    spec = load_yaml(path, RulesError) or {}
    if not isinstance(spec, dict):
        raise RulesError(path, "tệp quy tắc phải gồm các mục synonyms, stopwords, stop_phrases, weak_words, "
                               "conditions, items")
    for section, value in spec.items():
        if section not in _SECTIONS:
            raise RulesError(path, f"mục '{section}' không có (chỉ dùng: {', '.join(_SECTIONS)})", str(section))
        if value is not None and not isinstance(value, _SECTIONS[section]):
            shape = {dict: "bảng 'cụm từ: [cách viết, …]'", str: "chuỗi các từ", list: "danh sách"}[_SECTIONS[section]]
            raise RulesError(path, f"phải là {shape}", section)
    for canonical, variants in (spec.get("synonyms") or {}).items():
        if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
            raise RulesError(path, "cách viết tương đương phải là danh sách chuỗi, ví dụ [\"THPT\"]",
                             f"synonyms '{canonical}'")
    for index, entry in enumerate(spec.get("conditions") or [], start=1):
        name = f"điều kiện thứ {index}" + (f" '{entry.get('name')}'" if isinstance(entry, dict) and entry.get("name") else "")
        if not isinstance(entry, dict):
            raise RulesError(path, "mỗi điều kiện phải có name, message, item_pattern, defeaters", name)
        missing = sorted(k for k in _CONDITION_KEYS if not isinstance(entry.get(k), str) or not entry.get(k).strip())
        if missing:
            raise RulesError(path, f"thiếu hoặc rỗng: {', '.join(missing)}", name)
        for key in ("examples", "counterexamples"):
            lists = entry.get(key) or {}
            if not isinstance(lists, dict) or not all(k in ("item", "draft") and isinstance(v, list) for k, v in lists.items()):
                raise RulesError(path, f"{key} phải có dạng {{item: [câu, …], draft: [câu, …]}}", name)
    for index, entry in enumerate(spec.get("items") or [], start=1):
        name = f"items thứ {index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("refs"), list) or not entry["refs"]:
            raise RulesError(path, "mỗi quy tắc mục phải có refs: [\"562/QĐ-TTg điểm c khoản 3 Điều 2\", …]", name)
        area = entry.get("area_km2_above")
        if area is not None and (isinstance(area, bool) or not isinstance(area, (int, float))):
            raise RulesError(path, f"area_km2_above phải là một số, không phải {area!r}", name)
        if not isinstance(entry.get("requires_any") or [], list):
            raise RulesError(path, "requires_any phải là danh sách cụm từ", name)
    return spec


def merge_rules(layers: list["Rules"]) -> "Rules":
    """Rules of several files applied in order: the officer's file adds to the shipped one.

    Synonyms, stopwords, stop phrases, weak words and item rules are added; a
    condition with the name of an earlier one replaces it, others are added.
    Nothing is removed (README "Quy tắc phân loại").
    """
    merged = layers[0]
    for layer in layers[1:]:
        values = {}
        for spec in dataclasses.fields(merged):
            old, new = getattr(merged, spec.name), getattr(layer, spec.name)
            if spec.name == "conditions":
                replaced = {condition.name for condition in new}
                values[spec.name] = tuple(c for c in old if c.name not in replaced) + new
            elif spec.name == "stop_phrases":  # longest first, as the matcher expects
                values[spec.name] = tuple(sorted(set(old) | set(new), key=lambda phrase: (-len(phrase), phrase)))
            elif isinstance(old, frozenset):
                values[spec.name] = old | new
            else:
                values[spec.name] = old + new
        merged = type(merged)(**values)
    return merged


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
    """The classifier's rules: data/rules.yml and an officer's own file, merged and checked."""

    # canonical phrase (lower case, with diacritics) and its variants: (pattern, matches the folded text?)
    synonyms: tuple[tuple[str, tuple[tuple[re.Pattern, bool], ...]], ...]
    stopwords: frozenset[str]  # lower case with diacritics: folded, "để" would be "đề"
    stop_phrases: tuple[str, ...]  # folded, longest first
    weak_words: frozenset[str]  # folded words every administrative draft uses
    conditions: tuple[Condition, ...]
    item_rules: tuple[ItemRule, ...]
    # folded stopwords for text typed without diacritics, minus those a catalog word folds to ("de": "đề")
    stopwords_folded: frozenset[str] = frozenset()

    def __hash__(self) -> int:
        # Rules key the per-rules caches of catalog data (features._canonical_features); hashing
        # every field's nested tuples on each lookup cost ~10 µs per call, so it is hashed once.
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        return hash((self.synonyms, self.stopwords, self.stop_phrases, self.weak_words, self.conditions,
                     self.item_rules, self.stopwords_folded))


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


@_with_officer_rules
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
