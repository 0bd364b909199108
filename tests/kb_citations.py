"""Stamped drafts whose basis citations are generated from the knowledge base, with the verdicts
the knowledge base implies: no citation and no label is written by hand.

Used by tests/test_check_citations.py (a few cases per style) and bench/check.py (all of them).

Targets: every catalog item of the KB (``kb.catalog_items``), cited by its own provision, the
numbers the KB gives (article, clause, point; a list without article number by its level), with
the level the KB gives. Bullets and paragraphs are cited by the provision they stand under, so
items sharing a provision give one target.

Each target is written in every STYLE (a point "đ" not in the styles typed without diacritics, where
it reads as the point "d") (how drafters word a citation) and put into a small draft
(a header with the stamp and a date, the citation in the body or in the drafter's proposal), in
these VARIANTS:

- ``ok``: the stamp of the item's level, a date on which the decision and the item are in force;
- ``stamp_above`` / ``stamp_below``: the stamp one level above / below the item's level;
- ``not_yet``: dated before the decision took effect (``valid_from``);
- ``no_longer``: dated after the decision stopped being in force (``valid_until``, set by its
  replacement);
- ``no_such_provision``: the next point letter (never "đ", which typed without diacritics is the
  "d" before it) / clause / article after the last one the KB holds for that provision's parent,
  which no KB unit and no repeal names;
- ``unregistered``: the decision's number plus one (the first free one), a number not in the KB.

Expected verdicts (``expected``), derived from the KB, by the contract of README "cancu check"
and ../shared/eval/README.md:

- ``stamp``: the stamp written; ``has_basis``: true (each draft cites one provision of a
  "…/QĐ-TTg" decision with its Điều, or its level list where the catalog has no Điều);
- ``basis_exists``: null for an unregistered number; true when the KB holds the provision with a
  level; for a provision the KB lacks, false when the KB's text of the decision is full, null when
  it is partial or a summary (absence proves nothing);
- ``basis_in_force``: null when the basis does not exist or the number is unregistered; otherwise
  whether the decision and the item are in force on the draft's date (their validity dates in the KB);
- ``stamp_matches_basis``: null unless the basis exists; otherwise stamp == the item's level's stamp.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from cancu.ingest.citation import provision_reference
from cancu.ingest.model import Level
from cancu.ingest.text import vn_date
from cancu.kb import KB, DecisionRecord

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order of points in Vietnamese legal texts
LEVELS = sorted(Level, key=lambda level: level.rank)  # Mật, Tối mật, Tuyệt mật
MARGIN = dt.timedelta(days=40)


@dataclass(frozen=True)
class Target:
    """One provision to cite: a decision's number and the KB's numbers for it."""

    decision: str
    article: int | None
    clause: int | None
    point: str | None
    level: str  # the item's level in the KB
    list_level: str | None  # the level list that stands for the article when the catalog has no Điều


@dataclass(frozen=True)
class Case:
    """A generated draft, the citation it carries, and the verdicts the KB implies."""

    style: str
    variant: str
    cited: Target  # what the citation names (for the negative variants, not a KB item)
    citation: str
    text: str
    date: dt.date
    expected: dict


def targets(kb: KB) -> list[Target]:
    """Every catalog item's provision, once, in KB order."""
    found: dict[tuple, Target] = {}
    for item in kb.catalog_items:
        if not item.level:
            continue
        list_level = item.level if item.article is None else None
        key = (item.decision, item.article, item.clause, item.point, list_level)
        found.setdefault(key, Target(item.decision, item.article, item.clause, item.point, item.level, list_level))
    return list(found.values())


# --------------------------------------------------------------------------- styles


def _year(record: DecisionRecord) -> str:
    return str(record.date.year) if record.date else ""


def _list_words(target: Target, index: int) -> str:
    """How drafters name a level list without article number (the catalog's own heading words)."""
    forms = [f"phần “Bí mật nhà nước độ {target.list_level}”", f"mục Bí mật nhà nước độ {target.list_level}",
             f"phần Bí mật nhà nước độ {target.list_level}"]
    if target.clause is not None:  # "danh mục … độ Mật" alone names the catalog of a level, not a part of it
        forms.append(f"danh mục bí mật nhà nước độ {target.list_level}")
    return forms[index % len(forms)]


def _parts(target: Target, index: int, point: str = "điểm {}", clause: str = "khoản {}",
           article: str = "Điều {}") -> list[str]:
    """The provision's words, smallest first: ["điểm a", "khoản 1", "Điều 1"]."""
    parts = []
    if target.point:
        parts.append(point.format(target.point))
    if target.clause is not None:
        parts.append(clause.format(target.clause))
    if target.article is not None:
        parts.append(article.format(target.article))
    elif target.list_level:
        parts.append(_list_words(target, index))
    return parts


def _official(target: Target, record: DecisionRecord) -> str:
    """The KB's own citation form: provision, "Quyết định số", number, date, issuer."""
    date = f" ngày {vn_date(record.date.isoformat())}" if record.date else ""
    provision = provision_reference(target.article, target.clause, target.point, target.list_level)
    return f"{provision} Quyết định số {target.decision}{date} của Thủ tướng Chính phủ"


def _dated(record: DecisionRecord) -> str:
    return f" ngày {vn_date(record.date.isoformat())}" if record.date else ""


def _title(record: DecisionRecord) -> str:
    """The decision's title as the KB holds it, lower-case first ("ban hành Danh mục …")."""
    title = record.title or "Ban hành Danh mục bí mật nhà nước"
    title = title[0].lower() + title[1:]
    return title if re.match(r"(?:về|ban hành)\b", title) else f"về {title}"


def without_diacritics(text: str) -> str:
    """Typed without diacritics (case kept, đ→d); tests/conftest.py uses it too."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)))


STYLES = {
    "official": lambda t, r, i: _official(t, r),
    "no_date": lambda t, r, i: " ".join(_parts(t, i)) + f" Quyết định số {t.decision}",
    "commas": lambda t, r, i: ", ".join(_parts(t, i)) + f" Quyết định {t.decision}",
    "article_first": lambda t, r, i: " ".join(reversed(_parts(t, i))) + f" Quyết định số {t.decision}",
    "abbreviated": lambda t, r, i: " ".join(_parts(t, i, "điểm {}", "k{}", "Đ{}")) + f" QĐ {t.decision}",
    "dotted": lambda t, r, i: " ".join(_parts(t, i, "đ.{}", "k.{}", "Đ.{}")) + f" QĐ số {t.decision}",
    "with_year": lambda t, r, i: " ".join(_parts(t, i)) + f" Quyết định {t.decision}"
    + ("" if "/" in t.decision.split("/QĐ")[0] else f" năm {_year(r)}"),
    "decision_first": lambda t, r, i: f"Quyết định số {t.decision} của Thủ tướng Chính phủ, "
    + ", ".join(reversed(_parts(t, i))),
    "capitalised_of": lambda t, r, i: ", ".join(p[0].upper() + p[1:] for p in reversed(_parts(t, i)))
    + f" của QĐ số {t.decision}",
    "annex": lambda t, r, i: (" ".join(_parts(t, i)) + " Danh mục bí mật nhà nước ban hành kèm theo Quyết định số "
                              + t.decision) if t.article or t.clause else _official(t, r),
    "titled": lambda t, r, i: f"Quyết định số {t.decision}" + _dated(r) + " của Thủ tướng Chính phủ "
    + _title(r) + " (" + " ".join(_parts(t, i)) + ")",
    "number_only": lambda t, r, i: " ".join(_parts(t, i)) + f" QĐ số {t.decision.split('/QĐ')[0]}" + _dated(r)
    + " của Thủ tướng Chính phủ",
    "upper_case": lambda t, r, i: _official(t, r).upper(),
    "no_diacritics": lambda t, r, i: without_diacritics(_official(t, r)),
    "no_diacritics_abbreviated": lambda t, r, i: without_diacritics(" ".join(_parts(t, i, "diem {}", "k{}", "Đ{}"))
                                                       + f" QĐ {t.decision}"),
}
FOLDED_STYLES = ("no_diacritics", "no_diacritics_abbreviated")


# --------------------------------------------------------------------------- drafts


def draft(stamp: str, date: dt.date, citation: str, level: str, placement: int) -> str:
    """A short report with the stamp in its header; the basis opening the body (placement 0), in the
    drafter's proposal (1) or in a closing note in parentheses (2)."""
    header = ["UBND TỈNH AN PHÚ", "SỞ NỘI VỤ", stamp, "Số:     /BC-SNV",
              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              f"An Phú, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}", "", "BÁO CÁO",
              "Kết quả thực hiện nhiệm vụ quý", ""]
    body = ["Sở Nội vụ báo cáo kết quả thực hiện nhiệm vụ trong quý như sau:",
            "1. Các nhiệm vụ đã hoàn thành theo kế hoạch.", "2. Một số khó khăn, vướng mắc cần tháo gỡ."]
    if placement == 0:
        body.insert(0, f"Căn cứ {citation};")
    elif placement == 1:
        body.append(f"Độ mật đề xuất: {level}, căn cứ {citation}.")
    else:
        body.append(f"(Tài liệu được xác định độ {level} theo {citation}.)")
    return "\n".join(header + body + ["", "GIÁM ĐỐC"])


def _next_point(kb: KB, target: Target) -> str | None:
    used = [i.point for i in kb.items if i.decision == target.decision and i.article == target.article
            and i.clause == target.clause and i.point]
    last = max((POINT_LETTERS.index(p) for p in used if p in POINT_LETTERS), default=-1)
    # never "đ": typed without diacritics it is "d", the point before it, which exists
    following = [letter for letter in POINT_LETTERS[last + 1:] if letter != "đ"]
    return following[0] if following else None


def missing_provision(kb: KB, target: Target) -> Target | None:
    """The same target with its smallest number moved past the last one the KB holds."""
    same = [i for i in kb.items if i.decision == target.decision]
    if target.point:
        point = _next_point(kb, target)
        missing = Target(target.decision, target.article, target.clause, point, target.level, target.list_level)
    elif target.clause is not None or target.list_level:
        siblings = [i.clause for i in same if i.article == target.article and i.clause is not None
                    and (target.article is not None or i.level == target.list_level)]
        missing = Target(target.decision, target.article, max(siblings, default=0) + 1, None, target.level,
                         target.list_level)
    else:
        articles = [i.article for i in same if i.article is not None]
        missing = Target(target.decision, max(articles) + 1, None, None, target.level, None)
    if missing.point is None and target.point:
        return None
    held = any((i.article, i.clause, i.point) == (missing.article, missing.clause, missing.point)
               and (missing.article is not None or i.level == missing.list_level) for i in same)
    if held or kb.repeal_of(missing.decision, missing.article, missing.clause):
        return None
    return missing


def unregistered_number(kb: KB, number: str) -> str:
    """The first number after ``number`` (same form, year kept) that the KB does not register."""
    head, rest = number.split("/", 1)
    value = int(head)
    while True:
        value += 1
        candidate = f"{value:0{len(head)}d}/{rest}"
        if kb.decision(candidate) is None:
            return candidate


def in_force_day(record: DecisionRecord) -> dt.date:
    """A day inside the decision's validity, a little after it took effect."""
    start = record.valid_from or record.date or dt.date(2021, 1, 1)
    day = start + MARGIN
    if record.valid_until and day >= record.valid_until:
        day = start
    return day


def _stamp_of(level: str) -> str:
    return Level(level).stamp


def _expected(kb: KB, cited: Target, stamp: str, day: dt.date) -> dict:
    """The five verdicts the KB implies for a draft stamped ``stamp`` on ``day`` citing ``cited``."""
    record = kb.decision(cited.decision)
    verdicts = {"stamp": stamp, "has_basis": True, "basis_exists": None, "basis_in_force": None,
                "stamp_matches_basis": None}
    if record is None:
        return verdicts
    units = [i for i in kb.items if i.decision == record.number
             and (i.article, i.clause, i.point) == (cited.article, cited.clause, cited.point)
             and (cited.article is not None or i.level == cited.list_level) and i.level]
    if units:
        unit = units[0]
        verdicts.update(basis_exists=True, basis_in_force=record.in_force_on(day) and unit.in_force_on(day),
                        stamp_matches_basis=stamp == _stamp_of(unit.level))
    elif record.is_complete:
        verdicts["basis_exists"] = False
    else:
        verdicts["basis_in_force"] = record.in_force_on(day)  # unverifiable: the decision's validity still stands
    return verdicts


def variants(kb: KB, target: Target) -> list[tuple[str, Target, str, dt.date]]:
    """(variant, cited target, stamp, date) for one target."""
    record = kb.decision(target.decision)
    day = in_force_day(record)
    stamp = _stamp_of(target.level)
    rank = Level(target.level).rank
    out = [("ok", target, stamp, day)]
    if rank < len(LEVELS):
        out.append(("stamp_above", target, _stamp_of(LEVELS[rank].value), day))
    if rank > 1:
        out.append(("stamp_below", target, _stamp_of(LEVELS[rank - 2].value), day))
    if record.valid_from:
        out.append(("not_yet", target, stamp, record.valid_from - MARGIN))
    if record.valid_until:
        out.append(("no_longer", target, stamp, record.valid_until + MARGIN))
    missing = missing_provision(kb, target)
    if missing:
        out.append(("no_such_provision", missing, stamp, day))
    number = unregistered_number(kb, target.decision)
    out.append(("unregistered", Target(number, target.article, target.clause, target.point, target.level,
                                       target.list_level), stamp, day))
    return out


def cases(kb: KB, styles: tuple[str, ...] | None = None, kinds: tuple[str, ...] | None = None) -> list[Case]:
    """Every generated draft: each target in each style, in each variant."""
    out = []
    for index, target in enumerate(targets(kb)):
        for variant, cited, stamp, day in variants(kb, target):
            if kinds and variant not in kinds:
                continue
            record = kb.decision(cited.decision) or kb.decision(target.decision)
            for style_index, (style, write) in enumerate(STYLES.items()):
                if (styles and style not in styles) or (style in FOLDED_STYLES and cited.point == "đ"):
                    continue  # "điểm đ" typed without diacritics is "diem d": another point, if the clause has one
                citation = write(cited, record, index + style_index)
                text = draft(stamp, day, citation, Level.from_stamp(stamp).value, (index + style_index) % 3)
                out.append(Case(style, variant, cited, citation, text, day, _expected(kb, cited, stamp, day)))
    return out
