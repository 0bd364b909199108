"""What a draft says about itself: its secrecy stamp, its date and the basis it states.

Pure functions over the draft's text, no I/O. Matching runs on the folded text
(lower case, no diacritics, đ→d) so that "khoan 1 Dieu 2 Quyet dinh so 531/QD-TTg"
reads like the accented form; every offset still points into the draft as written,
because folding keeps one character per character.

Each pattern carries examples it must match and counterexamples it must not
(statute-patterns' NamedPattern); they are checked when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cancu.ingest.citation import provision_reference
from cancu.ingest.dates import HEADER_LINES, draft_date, find_date, header_lines, header_month
from cancu.ingest.model import Level
from cancu.ingest.parse import normalize_number
from cancu.ingest.patterns import NamedPattern
from cancu.ingest.text import (DOCUMENT_KINDS, continued_lines, draft_text, fold, fold_aligned, nfc,
                               without_quote_marks)

# The date readers (draft_date, header_month, header_lines) live in cancu.ingest.dates, so that
# classification and checking judge a draft on the same date; re-exported here for readers of drafts.
__all__ = ["HEADER_LINES", "NamedPattern", "draft_date", "find_bases", "find_stamp", "header_lines", "header_month",
           "other_references", "read_draft"]

EVIDENCE_CHARS = 200  # the longest span of a draft ever copied into a report
# The levels as folded text, highest first (so "toi mat" is tried before "mat"): from Level, the one map.
_LEVELS = "|".join(fold(level.value) for level in Level)  # "tuyet mat|toi mat|mat"


class _CompactPattern(NamedPattern):
    """A pattern over a folded line with all blanks removed ("T Ố I  M Ậ T" → "toimat")."""

    def prepare(self, text: str) -> str:
        return re.sub(r"\s+", "", fold_aligned(nfc(text)))


# --------------------------------------------------------------------------- stamp

STAMP_LINE = _CompactPattern(
    "stamp_line",
    re.compile(
        r"^[\W_]*(?:domat[:\-–—]*)?(?P<level>" + _LEVELS.replace(" ", "") + ")"
        r"(?:[-–—,;/|]+(?:thuongkhan|khan|hoatoc(?:hengio)?))?[\W_]*$"
    ),
    matches=("MẬT", "TỐI MẬT", "Tuyệt mật", "T Ố I  M Ậ T", "« MẬT »", "[TỐI MẬT]", "Độ mật: Tối mật",
             "ĐỘ MẬT: MẬT", "MẬT - KHẨN", "TOI MAT", "Do mat: Tuyet mat", "Độ mật Tối mật"),
    excludes=("DỰ THẢO", "BÍ MẬT NHÀ NƯỚC", "Độ mật", "Độ mật:", "Tài liệu mật", "Độ mật đề xuất: Tối mật — căn cứ khoản 1 Điều 1",
              "Công tác bảo vệ bí mật nhà nước năm 2025", "KHẨN", "Độ mật: Mật, căn cứ Điều 1 Quyết định số 970/QĐ-TTg"),
)

_COLUMNS = re.compile(r"\t+|\s{3,}")
# A stamp typed after the issuing body's name on its line in capitals ("THANH TRA HUYỆN ... MẬT": a
# draft pasted as one line, or a header whose columns a single space joins); "BÍ MẬT" is not a stamp.
_TRAILING_LEVEL = re.compile(r"(?<!\bbi)\s+(?:(?:tuyet|toi)\s+)?mat[\W_]*$")
# A title ("BIÊN BẢN GIAO NHẬN TÀI LIỆU MẬT") or subject line ("VỀ VIỆC …") names the document: its last
# word is the title's, not a stamp typed after it.
_TITLE_OR_SUBJECT = re.compile(r"[\W_]*(?:v/v|ve viec|" + "|".join(DOCUMENT_KINDS) + r")\b")


@dataclass(frozen=True)
class Stamp:
    """The secrecy stamp of a draft and the line (0-based) it is printed on."""

    stamp: str  # "MẬT" | "TỐI MẬT" | "TUYỆT MẬT"
    line: int


def find_stamp(text: str) -> Stamp | None:
    """The stamp line near the top of the draft; the words "mật" inside sentences never count."""
    for index, line in header_lines(text):
        # a plain-text header may put the stamp in a column: "Số: 12/BC-TTr        MẬT"
        folded_line = fold_aligned(line)
        trailing = (_TRAILING_LEVEL.search(folded_line) if not any(ch.islower() for ch in line)
                    and not _TITLE_OR_SUBJECT.match(folded_line) else None)
        for segment in [line, *_COLUMNS.split(line), *([line[trailing.start():]] if trailing else [])]:
            match = STAMP_LINE.regex.match(STAMP_LINE.prepare(segment))
            if match:
                return Stamp(Level.from_folded(match.group("level")).stamp, index)
    return None


# --------------------------------------------------------------------------- basis

# "Đ2", "Đ 2": drafters abbreviate "Điều" to a capital Đ before its number. Only the capital
# letter, standing alone, counts ("500.000 đ" is đồng, "QĐ" is quyết định); folding loses the
# case, so fold_citation marks such a Đ as ARTICLE_MARK in the folded text (one character for one).
# Typed without diacritics the Đ is a D ("k1 D1 QD 531/QD-TTg"): a capital D standing alone before a
# number is "Điều" only next to another part of a citation, a khoản before it or a khoản or "QĐ" after it
# ("k1 D1", "khoan 2, D 1", "D1 QD 970/QD-TTg", "D2 k1"); alone it is not ("khối D1" is an exam block).
ARTICLE_MARK = "§"
_ARTICLE_ABBREVIATION = re.compile(r"(?<!\w)Đ(?=[ \t]?\d)|(?<!\w)(D)(?=[ \t]?\d)")
_AFTER_CLAUSE = re.compile(r"(?<![a-z])(?:khoan|k\.?)[ \t]?\d{1,3}[ \t]*,?[ \t]*$")
_BEFORE_CLAUSE = re.compile(r"[ \t]?\d{1,3}[ \t]*,?[ \t]*(?:qd\b|khoan\b|k\.?[ \t]?\d)")


def fold_citation(text: str) -> str:
    """``fold_aligned(text)`` with each "Đ" (or, next to a khoản or "QĐ", "D") that abbreviates "Điều"
    marked as ARTICLE_MARK."""
    folded = fold_aligned(text)
    marks = [match.start() for match in _ARTICLE_ABBREVIATION.finditer(text)
             if not match.group(1) or _AFTER_CLAUSE.search(folded[max(0, match.start() - 16):match.start()])
             or _BEFORE_CLAUSE.match(folded, match.end())]
    if not marks:
        return folded
    chars = list(folded)
    for index in marks:
        chars[index] = ARTICLE_MARK
    return "".join(chars)


class _CitationPattern(NamedPattern):
    """A pattern over folded text in which an abbreviated "Đ2" reads as ARTICLE_MARK + "2"."""

    def prepare(self, text: str) -> str:
        return fold_citation(nfc(text))


_LIST_SEP = r"\s*(?:,|va|hoac|/)\s*"
PROVISION = _CitationPattern(
    "provision",
    re.compile(
        r"(?:\b|(?=" + ARTICLE_MARK + r"))(?:"
        r"(?:dieu|d\.|" + ARTICLE_MARK + r")\s*(?P<article>\d{1,3})(?![\d/])"
        r"|(?:khoan|k\.|k(?=[ \t]?\d))\s*(?P<clause>\d{1,3}(?:" + _LIST_SEP + r"\d{1,3}(?![\d/.]))*)(?![\d/])"
        r"|(?:diem|d\.)\s*(?P<point>[a-z](?:" + _LIST_SEP + r"[a-z]\b)*)\b(?![.,]?\d)"
        r"|(?:phan|danh muc|muc)\s*[\"“”'(]?\s*(?:bi mat nha nuoc\s+)?do\s+(?P<level>" + _LEVELS + r")\b[\"“”')]?"
        r")"
    ),
    matches=("điểm b khoản 1 Điều 2", "Khoản 2, Điều 1", "khoan 1 Dieu 2", "Đ. 1, K. 2", "điểm a, b khoản 1",
             "khoản 2 phần “Bí mật nhà nước độ Mật”", "điểm đ khoản 2", "k2 Đ2", "khoản 2 Đ2", "điểm a k1 Điều 2",
             "K.2 Đ 1", "k 1"),
    excludes=("khoảng 42 km", "những điểm mới", "thời điểm ký", "Ngày 10/01/2024", "dieu chinh", "giá 500.000 đ 2 lần",
              "QĐ2", "khối D1", "Bk2", "kinh phí 2 tỷ", "lớp 12"),
)

# A Prime Minister's decision: "562/QĐ-TTg", or a bare number that the sentence itself gives to the
# Prime Minister ("Quyết định số 531 ngày 19/5/2023 của Thủ tướng Chính phủ", "QĐ số 15/2003 ngày …").
DECISION = NamedPattern(
    "catalog_decision",
    re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*(?:(\d{4})\s*/\s*)?q\s*\.?\s*d\s*[-–]\s*ttg\b"
               r"|\b(?:quyet dinh|qd)\s+(?:so\s*)?(\d{1,5})(?:\s*/\s*(\d{4}))?(?![\d/])"
               r"(?=\s*(?:,?\s*ngay\s+[\d/.\-\s]{6,10}(?:thang\s+\d{1,2}\s+nam\s+\d{4}\s*)?)?,?\s*cua\s+thu tuong\b)"),
    matches=("562/QĐ-TTg", "531/QD-TTg", "15/2003/QĐ-TTg", "970 / QĐ-TTg", "QĐ970/QĐ-TTg",
             "Quyết định số 531 ngày 19/5/2023 của Thủ tướng Chính phủ", "QĐ số 15/2003 ngày 20/01/2003 của Thủ tướng",
             "Quyết định số 1663 của Thủ tướng Chính phủ"),
    excludes=("86/QĐ-TTr", "18/KH-UBND", "115/2020/NĐ-CP", "Quyết định số 531 ngày 19/5/2023 của Bộ trưởng",
              "Quyết định số 86/QĐ-UBND ngày 19/5/2023 của Thủ tướng Chính phủ"),
)

# Words that name another kind of document: a provision followed by one of them
# belongs to that document, not to a catalog decision.
OTHER_DOCUMENT = NamedPattern(
    "other_document",
    re.compile(
        r"\b(?<!phap )(?P<kind>bo luat|luat|nghi dinh|thong tu|nghi quyet|chi thi|quy che|noi quy|hien phap|phap lenh"
        r"|cong van|ke hoach|huong dan)\b"
        r"|(?<![\w/])(?:\d+|\.{2,}|…)\s*/\s*(?:\d{4}\s*/\s*)?(?!q\s*d\s*-\s*ttg\b)[a-z]+(?:-[a-z]+)+\b"
    ),
    matches=("Bộ luật Hình sự", "Luật Bảo vệ bí mật nhà nước", "Nghị định số 26/2020/NĐ-CP", "Quy chế bảo vệ",
             "Quyết định số 86/QĐ-TTr", "Quyết định số .../QĐ-BKHCN", "Kế hoạch số 18/KH-UBND"),
    excludes=("Quyết định số 531/QĐ-TTg", "quy định tại khoản 7 Điều 2", "Thủ tướng Chính phủ",
              "lĩnh vực xây dựng pháp luật"),  # "pháp luật" is the law in general, not a Luật
)

_BEFORE_GAP = NamedPattern(
    "decision_then_provision",
    re.compile(
        r"^\s*(?:,?\s*ngay\s+(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?"
        r"\s*(?:,?\s*cua\s+(?:thu tuong chinh phu|thu tuong|ttcp|ttg))?[\s,:\-–(]*(?:tai\s+|theo\s+)?$"
    ),
    matches=(", ", " ngày 19/5/2023, ", " ngày 19/5/2023 của Thủ tướng Chính phủ: ", " (", ", tại "),
    excludes=(" và Luật Bảo vệ bí mật nhà nước, ", "; theo "),
)

# "Quyết định số 531/QĐ-TTg … ban hành Danh mục bí mật nhà nước thuộc lĩnh vực …, khoản 1 Điều 1"
# (the longest catalog title in data/, 741/QĐ-TTg's, is 162 characters; 200 leaves room for rewording it)
_TITLED_GAP = NamedPattern(
    "decision_title_then_provision",
    re.compile(r"^[^;\n]{0,80}?\s(?:ban hanh|ve|quy dinh)\s[^;\n]{0,200}[,:(]\s*(?:tai\s+|theo\s+|cu the(?: la)?\s+)?$"),
    matches=(" ngày 19/5/2023 của Thủ tướng Chính phủ ban hành Danh mục bí mật nhà nước thuộc lĩnh vực giáo dục (",
             " về Danh mục bí mật nhà nước lĩnh vực tòa án, cụ thể "),
    excludes=(" của Thủ tướng Chính phủ; ", " ban hành danh mục"),
)
_ELSEWHERE = re.compile(r"\s*,?\s*(?:(?:cua|tai)\s+)?(?:" + OTHER_DOCUMENT.regex.pattern + ")")

# A level list cited on its own as a part of the decision ("phần Bí mật nhà nước độ Tối mật Quyết định số
# 07/2018/QĐ-TTg", "mục … độ Mật") is a basis, as the catalog numbers it (the KB's citation of a list with no Điều
# and no khoản is exactly that), but only written right beside the decision's number; "danh mục bí mật nhà nước
# độ Mật" names the whole catalog of a level, and "… ban hành kèm theo Quyết định …" describes, not cites.
_LIST_THEN_DECISION = NamedPattern(
    "list_then_decision",
    re.compile(r"^[\s\"“”'),:\-–]*(?:(?:cua|tai|theo)\s+)?(?:(?:quyet dinh|qd)\s*(?:so\s*)?)?$"),
    matches=("” Quyết định số ", ", QĐ ", " của Quyết định ", " ", ": Quyết định "),
    excludes=(" ban hành kèm theo Quyết định số ", " quy định tại khoản 7 Điều 2 Quyết định số "),
)

_GROUP_GAP = re.compile(r"^[\s(),]*(?:(?:cua|thuoc|tai|va|hoac)\s+)?[\s(]*$")
_LINE_HEADING = re.compile(r"[ \t]*[.:]")
_DATE_AFTER = re.compile(r"\s*,?\s*ngay\b")


@dataclass(frozen=True)
class StatedBasis:
    """One catalog item a draft cites as the basis of its level, as the draft writes it."""

    decision: str  # canonical number, "809/QĐ-TTg"
    article: int | None
    clause: int | None
    point: str | None
    level_list: str | None  # "Mật" for "khoản 2 phần Bí mật nhà nước độ Mật" (lists with no article number)
    cited_date: dt.date | None  # the decision's date as the draft writes it
    evidence: str  # the citation in the draft's own words (short)
    start: int
    end: int

    @property
    def provision(self) -> str:
        """"điểm b khoản 1 Điều 2", or "khoản 2 phần “Bí mật nhà nước độ Mật”"."""
        return provision_reference(self.article, self.clause, self.point, self.level_list)

    @property
    def reference(self) -> str:
        """"điểm b khoản 1 Điều 2 Quyết định số 562/QĐ-TTg", echoing what the draft cites."""
        return f"{self.provision} Quyết định số {self.decision}".strip()

    def to_dict(self) -> dict:
        return {
            "decision": self.decision,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "level_list": self.level_list,
            "cited_date": self.cited_date.isoformat() if self.cited_date else None,
            "reference": self.reference,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class DraftFacts:
    """Everything read from one draft, without the draft's text."""

    stamp: Stamp | None
    date: dt.date | None
    bases: tuple[StatedBasis, ...]
    decisions_without_article: tuple[str, ...]  # "531/QĐ-TTg" cited with no Điều
    other_references: tuple[str, ...]  # kinds of non-catalog documents cited for the level ("luật", "quy chế"…)
    month: dt.date | None = None  # first day of the header's month when its day is blank


@dataclass
class _Token:
    kind: str  # article | clause | point | level
    values: list
    start: int
    end: int


def _tokens(text: str, folded: str) -> list[_Token]:
    tokens = []
    for match in PROVISION.regex.finditer(folded):
        kind = next(name for name in ("article", "clause", "point", "level") if match.group(name) is not None)
        if kind == "article":
            line_start = text.rfind("\n", 0, match.start()) + 1
            if not text[line_start:match.start()].strip() and _LINE_HEADING.match(text, match.end()):
                continue  # the draft's own "Điều 1." heading, not a citation
            values = [int(match.group("article"))]
        elif kind == "clause":
            values = [int(v) for v in re.findall(r"\d+", match.group("clause"))]
        elif kind == "point":
            start = match.start("point")
            values = _point_letters(text[start:match.end("point")], match.group("point"))
        else:
            values = [Level.from_folded(match.group("level")).value]
        tokens.append(_Token(kind, values, match.start(), match.end()))
    return tokens


def _point_letters(written: str, folded: str) -> list[str]:
    """Point letters as written ("a, đ" → ["a", "đ"]), skipping the list words "và", "hoặc"."""
    letters = []
    for match in re.finditer(r"\b[a-z]\b", folded):
        letters.append(written[match.start()].lower())
    return letters


def _groups(text: str, folded: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Runs of provision words written together ("điểm b khoản 1 Điều 2", "Khoản 2, Điều 1")."""
    groups: list[list[_Token]] = []
    for token in tokens:
        if groups and _GROUP_GAP.match(folded[groups[-1][-1].end:token.start]) and not _has_break(text[groups[-1][-1].end:token.start]):
            groups[-1].append(token)
        else:
            groups.append([token])
    return groups


def _chains(group: list[_Token]) -> list[dict]:
    """Split a run into provisions: "khoản 1 Điều 1 và khoản 2 Điều 2" is two."""
    chains: list[dict] = []
    current: dict = {}
    previous = None
    for token in group:
        if token.kind in current and previous != token.kind:
            chains.append(current)
            current = {}
        current.setdefault(token.kind, []).extend(token.values)
        previous = token.kind
    chains.append(current)
    # "điểm a khoản 1 và khoản 2 Điều 1": a provision without Điều takes the next one's
    for index, chain in enumerate(chains):
        if "article" not in chain and "level" not in chain:
            donor = next((c for c in chains[index + 1:] if "article" in c), None) or next(
                (c for c in reversed(chains[:index]) if "article" in c), None)
            if donor:
                chain["article"] = donor["article"]
    return chains


def _has_break(gap: str) -> bool:
    """A sentence, paragraph or list item ends inside ``gap`` (text as written)."""
    if ";" in gap or re.search(r"[.:!?]\s*\n|\n\s*\n", gap):
        return True
    # a line break without punctuation is a wrapped line (PDF text, narrow .txt), not a new sentence
    return any(m.group(1)[0].isupper() for m in re.finditer(r"[.!?]\s+(\S)", gap))


def _decision_after(text: str, folded: str, end: int) -> re.Match | None:
    window = folded[end:end + 220]
    match = DECISION.regex.search(window)
    if not match:
        return None
    gap, written_gap = window[:match.start()], text[end:end + match.start()]
    if _has_break(written_gap) or OTHER_DOCUMENT.regex.search(gap) or _numbered(gap):
        return None
    return DECISION.regex.match(folded, end + match.start())


def _decision_before(text: str, folded: str, start: int) -> re.Match | None:
    window_start = max(0, start - 300)
    found = None
    for match in DECISION.regex.finditer(folded, window_start, start):
        found = match
    if not found or _has_break(text[found.end():start]):
        return None
    gap = folded[found.end():start]
    if _BEFORE_GAP.regex.match(gap):
        return found
    if _TITLED_GAP.regex.match(gap) and not _names_other_document(gap) and not _numbered(gap):
        return found
    return None


# Kinds of document that are also common nouns of a catalog's field ("lĩnh vực kế hoạch, đầu tư và thống kê"):
# inside a decision's title they name another document only with its number ("Kế hoạch số 18/KH-UBND").
_COMMON_NOUN_KINDS = ("ke hoach", "huong dan", "cong van")


def _names_other_document(gap: str) -> bool:
    """``gap`` (a decision's title and what follows it) names a document other than a catalog decision."""
    for match in OTHER_DOCUMENT.regex.finditer(gap):
        if match.group("kind") not in _COMMON_NOUN_KINDS or re.match(r"\s+(?:so\b|\d)", gap[match.end():]):
            return True
    return False


def _numbered(gap: str) -> bool:
    """``gap`` holds a Điều, khoản or điểm of its own (a level heading alone does not count)."""
    return any(match.group("level") is None for match in PROVISION.regex.finditer(gap))


def _cited_date(text: str, folded: str, decision: re.Match) -> dt.date | None:
    if _DATE_AFTER.match(folded, decision.end()):
        return find_date(text[decision.end():decision.end() + 40])
    return None


def _number(match: re.Match) -> str:
    if match.group(3):  # a bare number given to the Prime Minister
        return f"{match.group(3)}/{match.group(4)}/QĐ-TTg" if match.group(4) else f"{match.group(3)}/QĐ-TTg"
    return normalize_number(match.group(0).replace("qd", "QĐ").replace("ttg", "TTg")) or match.group(0)


def _cited(basis: StatedBasis) -> tuple:
    return basis.decision, basis.article, basis.clause, basis.point, basis.level_list, basis.cited_date


def find_bases(text: str) -> tuple[list[StatedBasis], list[str]]:
    """Every catalog item the draft states as a basis, and decisions it names without a Điều.

    A basis is a "…/QĐ-TTg" number together with its Điều (or, for catalogs whose
    level lists carry no article number, the list: "khoản 2 phần Bí mật nhà nước độ
    Mật"). Provisions of a law, decree, regulation or other document are not bases.
    """
    text = nfc(text)
    folded = fold_citation(text)
    bases: list[StatedBasis] = []
    used: set[int] = set()
    for group in _groups(text, folded, _tokens(text, folded)):
        start, end = group[0].start, group[-1].end
        if _ELSEWHERE.match(folded, end):
            continue  # "Điều 5 Quy chế …", "khoản 1 Điều 173 Bộ luật Hình sự": another document's provision
        decision = _decision_after(text, folded, end)
        span_start, span_end = start, end
        if decision:
            span_end = decision.end()
            adjacent = bool(_LIST_THEN_DECISION.regex.match(folded[end:decision.start()]))
        else:
            decision = _decision_before(text, folded, start)
            if decision:
                span_start = decision.start()
                adjacent = True  # only a date, the issuer or the decision's title stand between them
        if not decision:
            continue
        used.add(decision.start())
        part = any(t.kind == "level" and not folded.startswith("danh muc", t.start) for t in group)
        number = _number(decision)
        cited = _cited_date(text, folded, decision)
        if cited and decision.end() >= span_end:
            date_match = re.search(r"\d{4}", text[decision.end():decision.end() + 40])
            span_end = decision.end() + date_match.end() if date_match else span_end
        evidence = " ".join(text[span_start:span_end].split())[:EVIDENCE_CHARS]
        for chain in _chains(group):
            if "article" not in chain and not ("level" in chain and ("clause" in chain or (adjacent and part))):
                continue  # "khoản 2 Quyết định 531/QĐ-TTg": no Điều (nor level list), not a basis
            for article in chain.get("article", [None]):
                for clause in chain.get("clause", [None]):
                    for point in chain.get("point", [None]):
                        level = chain.get("level", [None])[0] if article is None else None
                        basis = StatedBasis(number, article, clause, point, level, cited, evidence, span_start, span_end)
                        # the same provision stated again (a closing note repeating it, a draft pasted twice)
                        # is one basis: the first place it is stated
                        if all(_cited(basis) != _cited(b) for b in bases):
                            bases.append(basis)
    named = []
    for match in DECISION.regex.finditer(folded):
        number = _number(match)
        if match.start() not in used and number not in named and all(b.decision != number for b in bases):
            named.append(number)
    return bases, named


_LEVEL_SENTENCE = re.compile(r"\bdo\s+(?:" + _LEVELS + r")\b|\bxac dinh do\b|\bdo mat\b")
_KIND_NAMES = {"bo luat": "bộ luật", "luat": "luật", "nghi dinh": "nghị định", "thong tu": "thông tư",
               "nghi quyet": "nghị quyết", "chi thi": "chỉ thị", "quy che": "quy chế", "noi quy": "nội quy",
               "hien phap": "hiến pháp", "phap lenh": "pháp lệnh", "cong van": "công văn", "ke hoach": "kế hoạch",
               "huong dan": "hướng dẫn"}


def other_references(text: str) -> list[str]:
    """Kinds of non-catalog documents cited in the sentences that state the draft's level."""
    folded = fold_aligned(continued_lines(nfc(text)))  # a sentence wrapped over lines stays one
    kinds: list[str] = []
    for sentence in re.split(r"(?<=[.;])\s+|\n", folded):
        if not _LEVEL_SENTENCE.search(sentence):
            continue
        for match in OTHER_DOCUMENT.regex.finditer(sentence):
            kind = _KIND_NAMES.get(match.group("kind"), "văn bản khác")
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def read_draft(text: str) -> DraftFacts:
    """Stamp, date, stated bases and other citations of a draft (its text is not kept)."""
    text = without_quote_marks(draft_text(text))  # see draft_text; a forwarded e-mail's "> " marks, blanked: offsets stay
    bases, named = find_bases(text)
    return DraftFacts(
        stamp=find_stamp(text),
        date=draft_date(text),
        bases=tuple(bases),
        decisions_without_article=tuple(named),
        other_references=tuple(other_references(text)),
        month=header_month(text),
    )
