"""Item conditions as data: what a catalog item protects, whose or which, and when.

A catalog item such as "Đề thi chính thức … của các kỳ thi tốt nghiệp trung học
phổ thông … chưa công khai." says three things: the object it protects ("Đề thi
chính thức …"), a restrictor narrowing whose or which object ("của các kỳ thi …")
and a condition on when it is secret ("chưa công khai"). Ingest stores them with
their span in the item's text (table ``item_conditions``) so that the classifier
can ask for evidence of a restrictor and check a condition locally, and so that a
security officer can read why an item did or did not apply.

Every pattern below is written from the catalog's own wording and carries
examples it must match and counterexamples it must not; they are checked at
import (statute-patterns' NamedPattern). Pure functions, no I/O.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

from .text import fold, fold_aligned, has_bare_syllable, nfc  # fold_aligned: one definition, in text.py

OBJECT, RESTRICTOR, CONDITION = "object", "restrictor", "condition"
KINDS = (OBJECT, RESTRICTOR, CONDITION)


@dataclass(frozen=True)
class ItemCondition:
    """One part of a catalog item: its object, a restrictor or a condition, with its span."""

    kind: str  # "object", "restrictor" or "condition"
    code: str  # stable machine code: "object", "whose", "which", "purpose", "not_public", …
    text: str  # the item's own words, verbatim (== item_text[start:end])
    start: int
    end: int
    params: dict = field(default_factory=dict, compare=False, hash=False)
    # "text": the span is in the item's text; "heading": in the headings above it (items.heading),
    # which the item inherits ("Thông tin về nhiệm vụ … phục vụ trực tiếp cho quốc phòng, an ninh …, gồm:").
    source: str = "text"


# --------------------------------------------------------------------------- text helpers

def _is_marked(ch: str) -> bool:
    return ch in "đĐ" or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch))


# Precomposed Latin letters carrying a mark (Vietnamese and others) and đ/Đ, as one character class.
_MARKED = re.compile("[" + "".join(chr(c) for c in range(0xC0, 0x1EFA) if chr(c).isalpha() and _is_marked(chr(c))) + "]")
_LETTER = re.compile(r"[^\W\d_]")


def has_diacritics(text: str) -> bool:
    """True when the text was typed with Vietnamese diacritics.

    Written Vietnamese marks roughly a third of its letters; text typed without
    them marks none. A few marked letters in a long unmarked text (a quoted name)
    do not make it marked, so the share of marked letters decides.
    """
    marked = len(_MARKED.findall(text))
    if marked == 0 or marked >= len(text) // 50:  # the letters are at most the characters: no need to count them
        return marked >= 1
    return marked >= len(_LETTER.findall(text)) // 50


BARE_LINE_WORDS = 6  # as in classifier/textprep.py: a shorter line says little about how it was typed


def prepare(text: str) -> tuple[str, bool]:
    """The text as patterns read it, and whether it is folded.

    NFC when that keeps every offset; folded (one character per character) only
    when the text was typed without diacritics, so "chưa" never meets "chữa". A draft
    partly typed without them ("da cong bo" under an accented header) is read folded
    when one of its lines of BARE_LINE_WORDS words or more has none, or one of its words is
    typed bare (text.typed_bare: "da duoc cong bo" among accented words): the patterns with
    diacritics would not see those words at all.
    """
    normal = nfc(text)
    text = normal if len(normal) == len(text) else text
    if has_diacritics(text) and not has_bare_syllable(text) and not any(
            len(line.split()) >= BARE_LINE_WORDS and not has_diacritics(line) for line in text.split("\n")):
        return text, False
    return fold_aligned(text), True


@dataclass(frozen=True)
class NamedPattern:
    """A regex written over accented text, with its folded twin for text typed without diacritics.

    ``source`` matches text as written ("chưa" is not "chữa"); ``fold(source)`` is
    used only on text with no diacritics at all. Examples must match and
    counterexamples must not, checked at construction. Use lower-case regex escapes
    only (``\\w``, ``\\d``, ``\\b``): folding lower-cases the source. Unlike
    ``patterns.NamedPattern`` (always folded: dates, stamps, citations), the
    diacritics of accented text are kept, because a condition turns on them.
    """

    name: str
    source: str
    matches: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    flags: int = re.IGNORECASE
    foldable: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.source, self.flags))
        if self.foldable:
            if re.search(r"\\[WSDB]", self.source):
                raise ValueError(f"pattern {self.name}: upper-case escapes do not survive folding")
            object.__setattr__(self, "folded", re.compile(fold(self.source).replace("(?p<", "(?P<"), self.flags))
        for example in self.matches:
            if not self.search(example):
                raise ValueError(f"pattern {self.name} does not match its example {example!r}")
            if self.foldable and not self.search(fold(example)):
                raise ValueError(f"pattern {self.name} does not match its example without diacritics {fold(example)!r}")
        for example in self.excludes:
            if self.search(example):
                raise ValueError(f"pattern {self.name} matches its counterexample {example!r}")

    def finditer(self, text: str) -> Iterator[re.Match]:
        """Matches in ``text``; offsets always point into ``text`` as given."""
        return self.finditer_prepared(*prepare(text))

    def finditer_prepared(self, prepared: str, folded: bool) -> Iterator[re.Match]:
        """Matches in text already passed through ``prepare`` (once for many patterns)."""
        if folded and self.foldable:
            return self.folded.finditer(prepared)
        return self.regex.finditer(prepared)

    def search(self, text: str) -> re.Match | None:
        return next(iter(self.finditer(text)), None)


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class Rule:
    """A named pattern that yields one kind and code, with a function reading its parameters."""

    kind: str
    code: str
    pattern: NamedPattern
    params: Callable[[re.Match], dict] | None = None


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def _area_params(match: re.Match) -> dict:
    params = {"km2": int(match.group("km2"))}
    if match.group("urban"):
        params["urban_km2"] = int(match.group("urban"))
    return params


_ROMAN = {"đặc biệt": 0, "dac biet": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def _grade_params(match: re.Match) -> dict:
    grade = match.group("grade")
    return {"grade": grade, "rank": _ROMAN[grade.lower()]}


def _scales_params(match: re.Match) -> dict:
    return {"denominators": [_number(d) for d in re.findall(r"1\s*:\s*([\d.]+\d)", match.group(0))]}


def _distance_params(match: re.Match) -> dict:
    limits = [int(km) for km in re.findall(r"(\d+) ?km", match.group(0))]
    return {"km": limits, "max_km": max(limits)}


# A restrictor or circumstance runs to the end of its clause: the next ";" or
# ".", or the start of a condition or another restrictor (cut in _resolve).
_TAIL = r"[^.;]*"

CONDITION_RULES: tuple[Rule, ...] = (
    Rule(CONDITION, "not_public", NamedPattern(
        "not_public",
        r"\bchưa (?:được )?(?:\w+ ){0,8}?(?:công khai|công bố)(?: công khai)?(?: hoặc không công bố)?(?: lưu hành vào lưu thông)?\b"
        r"|\bđược (?:\w+ ){0,8}?xác định là không công khai\b",
        matches=("Nội dung Kết luận thanh tra chưa công khai.", "chưa công bố hoặc không công bố;",
                 "chưa được cơ quan nhà nước có thẩm quyền công bố công khai", "chưa được Bộ Y tế công khai.",
                 "được cơ quan nhà nước có thẩm quyền xác định là không công khai."),
        excludes=("việc chưa thi hành án tử hình phục vụ yêu cầu điều tra", "khi chưa được Quốc hội thông qua",
                  "chưa xác định được có liên quan đến sức khỏe, tính mạng con người", "đã công khai",
                  "chữa công khai"),
    )),
    Rule(CONDITION, "before_announcement", NamedPattern(
        "before_announcement",
        r"\btrước khi (?:công bố|công khai)\b" + _TAIL + r"|\bcho đến khi\b" + _TAIL,
        matches=("Kế hoạch tiến hành thanh tra đột xuất trước khi công bố với đối tượng thanh tra;",
                 "trước khi công khai kết luận nội dung tố cáo",
                 "cho đến khi Kết luận điều tra nguyên nhân chính thức của cơ quan, người có thẩm quyền."),
        excludes=("sau khi công bố", "trước khi trình"),
    )),
    Rule(CONDITION, "not_approved", NamedPattern(
        "not_approved",
        r"\b(?:khi )?chưa được (?:\w+ ){0,5}?(?:thông qua|phê duyệt)\b",
        matches=("khi chưa được Quốc hội thông qua.", "chưa được cấp có thẩm quyền phê duyệt;"),
        excludes=("sau khi được lãnh đạo Đảng, Nhà nước phê duyệt", "chưa được công khai"),
    )),
    Rule(CONDITION, "after_approval", NamedPattern(
        "after_approval",
        r"\bsau khi được [^.;]*?phê duyệt\b",
        matches=("sau khi được lãnh đạo Đảng, Nhà nước phê duyệt.",),
        excludes=("chưa được cấp có thẩm quyền phê duyệt",),
    )),
    Rule(CONDITION, "in_progress", NamedPattern(
        "in_progress", r"\bđang xử lý\b",
        matches=("phục vụ mục đích, quốc phòng, an ninh đang xử lý chưa công khai;",),
        excludes=("đã xử lý xong",),
    )),
    Rule(CONDITION, "exception", NamedPattern(
        "exception", r"\btrừ (?:trường hợp|các nội dung)\b" + _TAIL,
        matches=("trừ trường hợp người tố cáo có yêu cầu khác;",
                 "trừ các nội dung đã được quy định tại khoản 1 Điều 1"),
        excludes=("khấu trừ thuế",),
    )),
    Rule(CONDITION, "circumstance", NamedPattern(
        "circumstance",
        r"\b(?:trong (?:trường h[ợọ]p|tình huống)|nếu có)\b" + _TAIL + r"|\bkhi được [^.;,]*? giao\b",
        matches=("trong trường họp có chiến tranh bảo vệ Tổ quốc.", "trong trường hợp cần giữ bí mật nhà nước",
                 "trong tình huống Nhà nước ban bố tình trạng khẩn cấp", "nếu có tranh chấp về chủ quyền quốc gia",
                 "khi được Thủ tướng Chính phủ giao;"),
        excludes=("khi nghị án", "khi có dấu hiệu vi phạm"),
    )),
    Rule(CONDITION, "area_min_km2", NamedPattern(
        "area_min_km2",
        r"\bdiện tích (?:liên kết )?lớn hơn (?P<km2>\d+) ?km(?:2|²)(?: (?:ở|trên) thực địa)?"
        r"(?: ở khu vực ngoài đô thị hoặc (?P<urban>\d+) ?km(?:2|²) ở khu vực đô thị)?",
        matches=("bằng diện tích lớn hơn 800 km2 ở thực địa;",
                 "có diện tích liên kết lớn hơn 200 km2 trên thực địa ở khu vực ngoài đô thị hoặc 400 km2 ở khu vực đô thị"),
        excludes=("diện tích 200 km2",),
    ), _area_params),
    Rule(CONDITION, "scale_min", NamedPattern(
        "scale_min", r"\btỷ lệ lớn hơn 1 ?: ?(?P<denominator>\d{1,3}(?:\.\d{3})*)",
        matches=("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng",),
        excludes=("bản đồ tỷ lệ 1:10.000",),
    ), lambda m: {"denominator": _number(m.group("denominator"))}),
    Rule(CONDITION, "scale_in", NamedPattern(
        "scale_in", r"\bcác tỷ lệ 1 ?: ?[\d.]+\d(?:, 1 ?: ?[\d.]+\d)+",
        matches=("bản đồ địa hình quốc gia các tỷ lệ 1:2.000, 1:5.000, 1:10.000, 1:25.000, 1:100.000 có diện tích",),
        excludes=("tỷ lệ lớn hơn 1:10.000",),
    ), _scales_params),
    Rule(CONDITION, "category_min", NamedPattern(
        "category_min", r"\bcấp (?P<category>\d{3})[a-c]? trở lên\b",
        matches=("Tọa độ, trữ lượng và tài nguyên cấp 333 trở lên các mỏ khoáng sản",),
        excludes=("từ cấp I trở lên", "cấp tỉnh trở lên"),
    ), lambda m: {"category": int(m.group("category"))}),
    Rule(CONDITION, "grade_min", NamedPattern(
        "grade_min", r"\b(?:hạng|từ cấp) (?P<grade>đặc biệt|iv|v|i{1,3})\b trở lên\b",
        matches=("mạng lưới tọa độ quốc gia hạng II trở lên hoàn chỉnh", "kết cấu hạ tầng giao thông từ cấp I trở lên"),
        excludes=("cấp 333 trở lên", "hạng II"),
    ), _grade_params),
    Rule(CONDITION, "distance_max_km", NamedPattern(
        "distance_max_km", r"\btrong phạm vi \d+ ?km tính từ biển vào[^.]*?(?=\s*phục vụ|[.]|$)",
        matches=("trong phạm vi 30 km tính từ biển vào đối với các sông thuộc hệ thống sông Hồng, sông Thái Bình; 50 km tính từ biển vào",),
        excludes=("trong phạm vi tỉnh",),
    ), _distance_params),
    Rule(CONDITION, "coverage", NamedPattern(
        "coverage", r"\b(?:hoàn chỉnh )?phủ kín diện tích một đơn vị hành chính cấp (?P<unit>tỉnh|huyện|xã)\b",
        matches=("hạng II trở lên hoàn chỉnh phủ kín diện tích một đơn vị hành chính cấp tỉnh;",),
        excludes=("đơn vị hành chính cấp tỉnh",),
    ), lambda m: {"unit": m.group("unit")}),
)

# Party and State bodies whose own papers or members an item is about (the catalog's names).
_BODY = (r"(?:Bộ Chính trị|Ban Bí thư(?: Trung ương Đảng)?|(?:Văn phòng )?Trung ương Đảng|Ban Chấp hành Trung ương(?: Đảng)?"
         r"|Ủy ban Kiểm tra Trung ương|Tiểu ban Bảo vệ Chính trị nội bộ Trung ương|Chủ tịch nước"
         r"|Chủ tịch Hội đồng Quốc phòng và An ninh)")
_PARTY_BODIES = _BODY + r"(?:(?:, | và )" + _BODY + r")*"
# Bodies a paper is submitted or sent to ("trình Bộ Chính trị, Ban Bí thư, Quốc hội …").
_ADDRESSEE = (r"(?:" + _BODY + r"|Quốc hội|Ủy ban Thường vụ Quốc hội|(?:các )?Ủy ban của Quốc hội|Chính phủ"
              r"|Thủ tướng Chính phủ)")
_ADDRESSEES = _ADDRESSEE + r"(?:(?:, | và )" + _ADDRESSEE + r")*"

RESTRICTOR_RULES: tuple[Rule, ...] = (
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_members", r"\b(?:của|đối với|và) các đồng chí\b[^.;]*?(?= về |[.;]|$)",
        matches=("kiểm tra sức khỏe của các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư Trung ương Đảng.",
                 "giải quyết tố cáo đối với các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư"),
        excludes=("của các cơ quan, tổ chức khác",),
    )),
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_body", r"\bcủa " + _PARTY_BODIES + r"\b",
        matches=("Văn bản của Bộ Chính trị, Ban Bí thư, Văn phòng Trung ương Đảng về tài sản",
                 "Văn bản, ý kiến chỉ đạo của Chủ tịch nước về phương hướng"),
        excludes=("của Bộ Giáo dục và Đào tạo thực hiện", "của Văn phòng Chủ tịch nước"),
    )),
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_cadres", r"\bthuộc diện [^.;]*?quản lý\b",
        matches=("đội ngũ cán bộ thuộc diện Bộ Chính trị, Ban Bí thư quản lý chưa công khai",),
        excludes=("thuộc dự án quan trọng quốc gia",),
    )),
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_holder",
        # Capital after "do": an authority ("do Bộ Tư pháp chuẩn bị"), not a cause ("do bệnh truyền nhiễm").
        r"\bdo (?=[A-ZĐÀ-Ỹ])[^.;]*?\b(?:quản lý(?:, bảo quản)?|chuẩn bị|giao)\b",
        matches=("dự trữ quốc gia do Bộ Công an, Bộ Quốc phòng quản lý.", "do Bộ Tư pháp chuẩn bị để tham mưu",
                 "do Ngân hàng Nhà nước Việt Nam quản lý, bảo quản."),
        excludes=("người chết do bệnh truyền nhiễm nguy hiểm", "do sự cố tràn dầu"),
        flags=0, foldable=False,
    )),
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_leader", r"\b(?:nhân sự )?Ủy viên Bộ Chính trị là " + _TAIL,
        matches=("phương án nhân sự Ủy viên Bộ Chính trị là Tổng Bí thư, Chủ tịch nước, Thủ tướng Chính phủ",),
        excludes=("của các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư",),
    )),
    Rule(RESTRICTOR, "whose", NamedPattern(
        "whose_forces", r"\bngười thuộc (?:Quân đội|Công an|Cơ yếu)[^.;]*?(?= được |[.;]|$)",
        matches=("Thông tin về người thuộc Quân đội nhân dân, Công an nhân dân, Cơ yếu được cử đi đào tạo",),
        excludes=("người lao động thuộc doanh nghiệp",),
    )),
    Rule(RESTRICTOR, "recipient", NamedPattern(
        "recipient", r"(?:(?<!tờ )\b(?:trình|gửi) |(?<=tờ trình ))(?=Ban Chấp hành|Bộ Chính trị|Ban Bí thư|Quốc hội)"
        + _ADDRESSEES + r"\b",
        matches=("văn bản của Chính phủ, Thủ tướng Chính phủ trình Ban Chấp hành Trung ương đảng, Bộ Chính trị về chủ trương",
                 "Báo cáo, Tờ trình Bộ Chính trị, Ban Bí thư, Quốc hội, Chính phủ, Thủ tướng Chính phủ;"),
        excludes=("gửi các bộ, ngành, địa phương liên quan", "trình Thủ tướng Chính phủ"),
    )),
    Rule(RESTRICTOR, "on_request", NamedPattern(
        "on_request", r"\btheo yêu cầu của\b" + _TAIL,
        matches=("Cuộc kiểm toán theo yêu cầu của Quốc hội, Ủy ban thường vụ Quốc hội, Chủ tịch nước.",
                 "cần được bảo vệ theo yêu cầu của bên cử đi đào tạo."),
        excludes=("theo quy định của Luật Thanh tra",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_cases",
        # Lists of cases separated by ";" end with "… dư luận xã hội đặc biệt quan tâm".
        r"\b(?:về các tội |các )?(?:vụ việc, )?(?:vụ án|tội phạm)\b[^.]*?\bquan tâm\b",
        matches=("xét xử các vụ án về các tội xâm phạm an ninh quốc gia, các vụ án tham nhũng nghiêm trọng, vụ án dư luận xã hội đặc biệt quan tâm.",
                 "các vụ việc, vụ án xâm phạm an ninh quốc gia; vụ việc, vụ án dư luận xã hội đặc biệt quan tâm chưa công khai."),
        excludes=("phục vụ yêu cầu điều tra mở rộng vụ án và yêu cầu đối ngoại.",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_closed_trial", r"\b(?:các )?vụ án được xét xử kín\b",
        matches=("Báo cáo về các vụ án được xét xử kín trong trường hợp cần giữ bí mật nhà nước.",),
        excludes=("các vụ án được xét xử công khai",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_exam", r"\bcủa (?:các )?kỳ thi\b" + _TAIL,
        matches=("đáp án đề thi dự bị của các kỳ thi tốt nghiệp trung học phổ thông, thi chọn học sinh giỏi quốc gia chưa công khai.",),
        excludes=("kết quả kỳ thi",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_new_agent", r"\bmới (?:phát sinh|phát hiện)\b(?:,? chưa (?:rõ|xác định)[^.;,]*)?",
        matches=("bệnh truyền nhiễm nguy hiểm mới phát sinh chưa rõ tác nhân gây bệnh chưa được Bộ Y tế công khai.",
                 "các tác nhân gây bệnh truyền nhiễm mới phát hiện, chưa xác định được có liên quan đến sức khỏe"),
        excludes=("mới ban hành",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_signs", r"\b(?:vụ việc )?có dấu hiệu\b" + _TAIL,
        matches=("Cuộc kiểm toán vụ việc có dấu hiệu tham nhũng chưa công khai.",),
        excludes=("không có vi phạm",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_rare", r"\b(?:số lượng còn ít|bị đe dọa tuyệt chủng|không được mua, bán)\b" + _TAIL,
        matches=("vùng trồng dược liệu số lượng còn ít hoặc bị đe dọa tuyệt chủng.",
                 "được quản lý trong các bảo tàng và không được mua, bán, tặng, cho."),
        excludes=("số lượng tiền in",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_dispute", r"\b(?:nếu )?có tranh chấp\b" + _TAIL,
        matches=("di tích lịch sử có tranh chấp về chủ quyền quốc gia.",),
        excludes=("giải quyết tranh chấp đầu tư quốc tế",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_restricted", r"\bhạn chế phổ biến hoặc không phổ biến\b",
        matches=("thư viện lưu giữ tài liệu, hiện vật hạn chế phổ biến hoặc không phổ biến.",),
        excludes=("phổ biến rộng rãi",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_project", r"\b(?:thuộc dự án|có quy mô lớn)\b" + _TAIL,
        matches=("công trình xây dựng thuộc dự án quan trọng quốc gia, công trình xây dựng có quy mô lớn, kỹ thuật phức tạp;",),
        excludes=("dự án đầu tư",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_level", r"\bcấp (?:chiến lược|chiến dịch|chiến thuật)\b" + _TAIL,
        matches=("kế hoạch đầu tư trong phòng thủ đất nước cấp chiến lược, chiến dịch, cấp bộ, ngành.",
                 "phòng thủ đất nước cấp chiến thuật."),
        excludes=("cấp tỉnh",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_catalog", r"\bthuộc Danh mục bí mật\b" + _TAIL,
        matches=("các nội dung thuộc Danh mục bí mật Nhà nước độ Tối mật chưa công bố;",),
        excludes=("Danh mục dự án",),
    )),
    Rule(RESTRICTOR, "which", NamedPattern(
        "which_decisive", r"\bcó ý nghĩa quyết định\b" + _TAIL,
        matches=("nhiệm vụ khoa học và công nghệ đặc biệt có ý nghĩa quyết định đến khả năng tác chiến phòng thủ đất nước, gồm:",),
        excludes=("có ý nghĩa quan trọng",),
    )),
    Rule(RESTRICTOR, "field", NamedPattern(
        "field", r"\b(?:thuộc|trong)(?: một số)? lĩnh vực\b" + _TAIL,
        matches=("phân bổ ngân sách thuộc lĩnh vực quốc phòng, an ninh và trật tự an toàn xã hội chưa công khai.",
                 "trong một số lĩnh vực bổ trợ tư pháp có ảnh hưởng đến chính trị"),
        excludes=("các lĩnh vực khác",),
    )),
    Rule(RESTRICTOR, "purpose", NamedPattern(
        "purpose", r"\b(?:trực tiếp )?phục vụ\b" + _TAIL,
        matches=("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng, an ninh, đối ngoại chưa công khai;",
                 "trực tiếp phục vụ chiến lược an ninh, quốc phòng chưa công khai."),
        excludes=("phụ vụ",),
    )),
    Rule(RESTRICTOR, "relation", NamedPattern(
        "relation", r"\b(?:có )?liên quan (?:đến|tới)\b" + _TAIL,
        matches=("nguồn nước biên giới liên quan đến quốc phòng, an ninh chưa công khai.",
                 "công trình viễn thông quan trọng liên quan đến an ninh quốc gia."),
        excludes=("các bộ, ngành, địa phương liên quan xin ý kiến",),
    )),
    Rule(RESTRICTOR, "impact", NamedPattern(
        "impact",
        r"\b(?:có thể |có |gây )?(?:tác động(?:, ảnh hưởng)?|ảnh hưởng)(?: tiêu cực| lớn| trực tiếp)? (?:đến|tới)\b" + _TAIL,
        matches=("có tác động tiêu cực đến chính trị, an ninh, đối ngoại, trật tự an toàn xã hội.",
                 "gây ảnh hưởng đến chính trị, xã hội, an ninh quốc phòng và đối ngoại.",
                 "có tác động, ảnh hưởng đến chính trị, an ninh quốc gia.",
                 "có tác động trực tiếp đến quốc phòng, an ninh; bảo vệ chủ quyền quốc gia"),
        excludes=("ảnh hưởng của dịch bệnh",),
    )),
)

# Words that join parts of an item and belong to none of them.
_EDGE = re.compile(r"(?:[\s,;:.–—-]+|(?:và|hoặc|của|có|về|đối với|với)\b)+", re.I)
_PUNCT = re.compile(r"[\s,;:.–—-]+")
_EDGE_END = re.compile(r"(?:[\s,;:.–—-]+|\b(?:và|hoặc|của|có|về|đối với|với|khi|trong|được|là|các|có nội dung|bao gồm|gồm))+$", re.I)


def _trim(text: str, start: int, end: int, joining_head: bool = False) -> tuple[int, int]:
    """Shrink [start, end) past punctuation at both edges and joining words at its end.

    An object also loses joining words at its head ("; về tài sản …" → "tài sản …");
    a restrictor keeps its own first word ("của các đồng chí …", "có thể ảnh hưởng …").
    """
    while True:
        head = (_EDGE if joining_head else _PUNCT).match(text, start, end)
        tail = _EDGE_END.search(text[:end], start)
        new_start = head.end() if head and head.end() > start else start
        new_end = tail.start() if tail and tail.start() < end and tail.start() >= new_start else end
        if (new_start, new_end) == (start, end):
            return start, end
        start, end = new_start, new_end


def _matches(rules: tuple[Rule, ...], text: str) -> list[tuple[Rule, re.Match]]:
    prepared = prepare(text)
    found = [(rule, match) for rule in rules for match in rule.pattern.finditer_prepared(*prepared)
             if match.end() > match.start()]
    return sorted(found, key=lambda pair: (pair[1].start(), -pair[1].end()))


def extract_conditions(item_text: str) -> list[ItemCondition]:
    """Split a catalog item's text into its object(s), restrictors and conditions, in text order.

    Conditions are found first; a restrictor stops where a condition or a later
    restrictor begins, and whatever no restrictor or condition covers is the
    object. Every part's ``text`` equals ``item_text[start:end]``.
    """
    text = item_text
    parts: list[ItemCondition] = []
    taken: list[tuple[int, int]] = []
    for rule, match in _matches(CONDITION_RULES, text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        start, end = _trim(text, match.start(), match.end())
        if end <= start:
            continue
        taken.append((start, end))
        parts.append(ItemCondition(rule.kind, rule.code, text[start:end], start, end,
                                   rule.params(match) if rule.params else {}))
    stops = sorted({s for s, _ in taken})
    restrictor_matches = [(r, m) for r, m in _matches(RESTRICTOR_RULES, text)
                          if not any(s <= m.start() < e for s, e in taken)]
    starts = sorted({m.start() for _, m in restrictor_matches})
    last_end = -1
    for rule, match in restrictor_matches:
        if match.start() < last_end:
            continue  # inside an earlier restrictor of the same clause
        limit = min([match.end()] + [s for s in stops + starts if match.start() < s < match.end()])
        start, end = _trim(text, match.start(), limit)
        if end <= start:
            continue
        last_end = limit
        taken.append((start, limit))
        parts.append(ItemCondition(rule.kind, rule.code, text[start:end], start, end, {}))
    parts.extend(_objects(text, taken))
    return sorted(parts, key=lambda part: (part.start, part.end, part.kind))


def extract_heading_conditions(heading: str, item_text: str) -> list[ItemCondition]:
    """Restrictors and conditions an item inherits from the headings above it, spans into ``heading``.

    ``heading`` is items.heading (segments joined by " › "). A segment that
    repeats the item's own text (a level with a single paragraph) adds nothing.
    """
    parts: list[ItemCondition] = []
    offset = 0
    for segment in heading.split(" › "):
        start = heading.index(segment, offset)
        offset = start + len(segment)
        if item_text and item_text[:60] in segment:
            continue
        parts.extend(replace(part, start=part.start + start, end=part.end + start, source="heading")
                     for part in extract_conditions(segment) if part.kind != OBJECT)
    return parts


def _objects(text: str, taken: list[tuple[int, int]]) -> Iterator[ItemCondition]:
    """The stretches of the item no restrictor or condition covers: what it protects."""
    position = 0
    for start, end in sorted(taken) + [(len(text), len(text))]:
        if start > position:
            a, b = _trim(text, position, start, joining_head=True)
            if b - a >= 3 and re.search(r"\w\w", text[a:b]):
                yield ItemCondition(OBJECT, "object", text[a:b], a, b, {})
        position = max(position, end)


def condition_rows(items: list[dict]) -> Iterator[dict]:
    """Rows of the ``item_conditions`` table for the catalog items among ``items`` (rows of ``items``)."""
    row_id = 0
    for item in items:
        if not item.get("catalog_item"):
            continue
        for part in extract_conditions(item["text"]) + extract_heading_conditions(item["heading"], item["text"]):
            row_id += 1
            yield {"id": row_id, "item_id": item["id"], "kind": part.kind, "code": part.code, "text": part.text,
                   "start": part.start, "end": part.end,
                   "params": json.dumps(part.params, ensure_ascii=False, sort_keys=True), "source": part.source}
