"""Check an item's condition against the part of a draft that carries the item's evidence.

A catalog item "… chưa công khai" stops applying when the draft says the
information is already public, but only when it says so *where it speaks of that
information*: the classifier passes the sentence or paragraph holding the item's
evidence, never the whole draft, so one unrelated "đã được đăng tải …" elsewhere
cannot cancel an item.

Tense and negation are read from the words right before the act: the nearest of
"chưa/không" (not yet), "sẽ/dự kiến/trước khi" (later), "phải/nếu/khi" (no claim)
or "đã/vừa" (already) decides. Matching keeps diacritics where the draft has them
("chưa" is not "chữa"); a region typed without diacritics is matched folded.

Pure functions; restrictor matching belongs to the classifier, which gets the
words to look for from ``restrictor_terms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from cancu.ingest.conditions import CONDITION, RESTRICTOR, NamedPattern, prepare
from cancu.ingest.text import fold, nfc

MET, FAILED, UNKNOWN = "met", "failed", "unknown"


@dataclass(frozen=True)
class Verdict:
    """The state of one condition in one region of a draft, with the deciding words' span in the region."""

    state: str  # "met" | "failed" | "unknown"
    code: str
    reason: str  # short Vietnamese reason for the security officer
    span: tuple[int, int] | None = None


# --------------------------------------------------------------------------- "already public?"

# Acts that make information public. "công khai" alone is also an adjective
# ("chưa công khai"), which the markers before it decide.
PUBLIC_ACT = NamedPattern(
    "public_act",
    r"\b(?:công bố|công khai|đăng tải|đăng (?:trên|lên)|(?:đưa|cập nhật) (?:lên|trên) (?=cổng|trang)|niêm yết"
    r"|phổ biến rộng rãi|họp báo|thông cáo báo chí|cung cấp cho (?:các cơ quan )?báo chí|xét xử công khai)\b",
    matches=("đã công bố", "đã được đăng tải trên cổng thông tin", "niêm yết tại trụ sở", "tổ chức họp báo",
             "Số liệu đã được cập nhật trên trang thông tin điện tử"),
    excludes=("công văn", "báo cáo", "công tác", "đã quay phim, đưa lên mạng xã hội"),
)

# Acts that are public by their own words ("đăng tải trên Cổng thông tin điện tử")
# when no marker before them says otherwise.
PUBLIC_PLACE = NamedPattern(
    "public_place",
    r"\b(?:đăng tải|đăng|đưa|cập nhật|công bố|công khai|niêm yết)(?: \w+){0,4}? (?:trên|lên|tại) "
    r"(?:các )?(?:cổng|trang|báo|phương tiện thông tin|website|trụ sở|bảng tin|họp báo)"
    r"|\bthông cáo báo chí\b|\bhọp báo\b|\bxét xử công khai\b",
    matches=("được đăng tải trên Cổng thông tin điện tử tỉnh", "công bố công khai trên báo Nhân dân",
             "đăng tải Kế hoạch trên Cổng thông tin điện tử",
             "niêm yết công khai tại trụ sở", "Thông cáo báo chí"),
    excludes=("đăng ký", "báo cáo tại hội nghị"),
)

# Where people post on their own (a social network, a personal page, a closed group): a leak or
# a distortion, not the holder of the information making it public; it says nothing of the item.
LEAK_PLACE = NamedPattern(
    "leak_place", r"\b(?:mạng xã hội|trang cá nhân|nhóm kín|trang mạng|diễn đàn mạng|facebook|zalo|tiktok|youtube)\b",
    matches=("đăng tải trên trang cá nhân", "đưa lên mạng xã hội", "đăng trong nhóm kín trên Zalo"),
    excludes=("Cổng thông tin điện tử", "trang thông tin điện tử của Sở"),
)

NEGATION = NamedPattern(
    "negation", r"\b(?:chưa|không|chẳng|nghiêm cấm|cấm)\b",
    matches=("chưa công bố", "không đăng tải", "Nghiêm cấm công bố"),
    excludes=("chữa bệnh", "khổng lồ"),
)
LATER = NamedPattern(
    "later", r"\b(?:sẽ|dự kiến|dự định|kế hoạch|chuẩn bị|trước khi|sắp|chờ|đợi|đến khi|cho đến khi|dự thảo)\b",
    matches=("sẽ công khai sau khi", "dự kiến công bố", "trước khi công bố", "chuẩn bị họp báo"),
    excludes=("đã công bố",),
)
NO_CLAIM = NamedPattern(
    "no_claim", r"\b(?:phải|cần|nếu|khi|để|được phép|cho phép|đồng ý|đề nghị|đề xuất|yêu cầu|việc|sau khi|có thể)\b",
    matches=("đề nghị công bố", "nếu công khai", "việc công bố"),
    excludes=("đã công bố",),
)
ALREADY = NamedPattern(
    "already", r"\b(?:đã|vừa|mới)\b",
    matches=("đã công bố", "vừa đăng tải", "Da cong bo"),
    excludes=("đá quý", "vụ việc"),
)

_CLAUSE_END = re.compile(r"[.;!?\n]|\b(?:nhưng|song|tuy nhiên|còn|riêng)\b", re.IGNORECASE)
# A marker governs the act it precedes by up to this many words (numbers and dates not counted:
# "dự kiến ngày 27/3/2023 ban hành quyết định và công bố …").
_LOOKBACK_WORDS = 10
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class PublicStatement:
    """What a region says about one act of making information public."""

    state: str  # "public", "not_yet", "no_claim"
    marker: str | None
    start: int
    end: int


def _prepared(region: str) -> tuple[str, bool]:
    """The region as matched (NFC, or folded when typed without diacritics) and whether it is folded."""
    return prepare(region)


def _nearest_marker(text: str, window_start: int, folded: bool,
                    markers: tuple[tuple[str, NamedPattern], ...]) -> tuple[str, re.Match] | None:
    """The marker ending closest to the end of ``text`` (the longer one on a tie: "trước khi" over "khi")."""
    best: tuple[tuple[int, int], str, re.Match] | None = None
    for state, pattern in markers:
        for marker in (pattern.folded if folded else pattern.regex).finditer(text, window_start):
            key = (marker.end(), -marker.start())
            if best is None or key > best[0]:
                best = (key, state, marker)
    return (best[1], best[2]) if best else None


def public_statements(region: str) -> Iterator[PublicStatement]:
    """Each act of publishing in the region, read with the nearest marker before it."""
    text, folded = _prepared(region)
    acts = (PUBLIC_ACT.folded if folded else PUBLIC_ACT.regex).finditer(text)
    place = PUBLIC_PLACE.folded if folded else PUBLIC_PLACE.regex
    leak = LEAK_PLACE.folded if folded else LEAK_PLACE.regex
    for act in acts:
        clause_end = next((m.start() for m in _CLAUSE_END.finditer(text, act.end())), len(text))
        if leak.search(text, act.end(), min(clause_end, act.end() + 80)):
            yield PublicStatement("no_claim", None, act.start(), act.end())
            continue
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, act.start())), default=0)
        words = list(_WORD.finditer(text, clause_start, act.start()))[-_LOOKBACK_WORDS:]
        window_start = words[0].start() if words else clause_start
        best = _nearest_marker(text[:act.start()], window_start, folded,
                               (("not_yet", NEGATION), ("not_yet", LATER), ("no_claim", NO_CLAIM), ("public", ALREADY)))
        if best:
            state, marker = best
            yield PublicStatement(state, region[marker.start():marker.end()], marker.start(), act.end())
            continue
        strong = place.match(text, act.start()) or place.search(text, act.start(), min(len(text), act.end() + 60))
        if strong and strong.start() <= act.end():
            yield PublicStatement("public", None, act.start(), strong.end())
        else:
            yield PublicStatement("no_claim", None, act.start(), act.end())


# "cho đến khi Kết luận điều tra nguyên nhân chính thức …": the official conclusion is the announcement.
CONCLUDED = NamedPattern(
    "concluded", r"\b(?:đã|vừa) (?:có|ban hành|công bố|ra) kết luận(?: điều tra)?\b",
    matches=("đã có kết luận điều tra chính thức", "Bộ vừa ban hành kết luận"),
    excludes=("chưa có kết luận", "dự thảo kết luận"),
)


def _not_public(condition, region: str) -> Verdict:
    if condition.code == "before_announcement":
        concluded = next(_finditer(CONCLUDED, region), None)
        if concluded:
            return Verdict(FAILED, condition.code, f"dự thảo nói đã có kết luận chính thức: "
                           f"“{region[concluded.start():concluded.end()]}”", (concluded.start(), concluded.end()))
    statements = list(public_statements(region))
    public = [s for s in statements if s.state == "public"]
    if public:
        first = public[0]
        return Verdict(FAILED, condition.code, f"dự thảo nói thông tin đã được công bố: “{region[first.start:first.end]}”",
                       (first.start, first.end))
    not_yet = [s for s in statements if s.state == "not_yet"]
    if not_yet:
        first = not_yet[0]
        return Verdict(MET, condition.code, f"dự thảo nói thông tin chưa được công bố: “{region[first.start:first.end]}”",
                       (first.start, first.end))
    return Verdict(UNKNOWN, condition.code, "dự thảo không nói thông tin đã được công bố hay chưa")


# --------------------------------------------------------------------------- approval

APPROVED = NamedPattern(
    "approved", r"\b(?:thông qua|phê duyệt|phê chuẩn)\b",
    matches=("đã được Quốc hội thông qua", "đã phê duyệt"),
    excludes=("thông báo",),
)


def _approval(region: str) -> tuple[str, tuple[int, int]] | None:
    """("approved" | "not_yet", span) for the last approval the region speaks of, or None."""
    text, folded = _prepared(region)
    result = None
    for act in (APPROVED.folded if folded else APPROVED.regex).finditer(text):
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, act.start())), default=0)
        words = list(_WORD.finditer(text, clause_start, act.start()))[-_LOOKBACK_WORDS:]
        window_start = words[0].start() if words else clause_start
        best = _nearest_marker(text[:act.start()], window_start, folded,
                               (("not_yet", NEGATION), ("not_yet", LATER), ("not_yet", NO_CLAIM), ("approved", ALREADY)))
        if best:
            result = (best[0], (best[1].start(), act.end()))
    return result


def _not_approved(condition, region: str) -> Verdict:
    found = _approval(region)
    if found and found[0] == "approved":
        return Verdict(FAILED, condition.code, f"dự thảo nói văn bản đã được thông qua, phê duyệt: “{region[slice(*found[1])]}”", found[1])
    if found:
        return Verdict(MET, condition.code, f"dự thảo nói văn bản chưa được thông qua, phê duyệt: “{region[slice(*found[1])]}”", found[1])
    return Verdict(UNKNOWN, condition.code, "dự thảo không nói văn bản đã được thông qua, phê duyệt hay chưa")


def _after_approval(condition, region: str) -> Verdict:
    found = _approval(region)
    if found and found[0] == "approved":
        return Verdict(MET, condition.code, f"dự thảo nói phương án đã được phê duyệt: “{region[slice(*found[1])]}”", found[1])
    if found:
        return Verdict(FAILED, condition.code, f"mục chỉ áp dụng sau khi được phê duyệt, dự thảo nói chưa: “{region[slice(*found[1])]}”", found[1])
    return Verdict(UNKNOWN, condition.code, "dự thảo không nói phương án đã được phê duyệt hay chưa")


# --------------------------------------------------------------------------- thresholds

def _decimal(text: str) -> float:
    """A Vietnamese number: "." groups thousands, "," marks decimals ("1.250,5")."""
    text = text.replace(".", "").replace(",", ".")
    return float(text)


AREA = NamedPattern(
    "area", r"(?P<value>\d[\d.]*(?:,\d+)?)\s*(?P<unit>km2|km²|ki-lô-mét vuông|kilômét vuông|ha|héc-ta|hecta)\b",
    matches=("diện tích 350 km2", "khoảng 1.200 ha", "250 km²", "dien tich 120 km2"),
    excludes=("350 km", "hạng II"),
)
URBAN = NamedPattern(
    "urban", r"(?<!ngoài )\b(?:khu vực |vùng )?đô thị\b|\b(?:nội thành|nội thị|thành phố|quận|phường)\b",
    matches=("khu vực đô thị", "nội thành Hà Nội"),
    excludes=("khu vực ngoài đô thị",),
)
SCALE = NamedPattern(
    "scale", r"\b1\s*[:/]\s*(?P<denominator>\d{1,3}(?:[.\s]\d{3})+|\d{3,7})\b",
    matches=("tỷ lệ 1:10.000", "bản đồ 1/50.000", "ty le 1:2000"),
    excludes=("ngày 1/5/2024", "1:2"),
)
CATEGORY = NamedPattern(
    "category", r"\bcấp (?P<category>\d{3})[a-c]?\b",
    matches=("tài nguyên cấp 334a", "trữ lượng cấp 122"),
    excludes=("cấp tỉnh", "cấp I"),
)
GRADE = NamedPattern(
    "grade", r"\b(?P<word>hạng|cấp) (?P<grade>đặc biệt|iv|v|i{1,3}|[0-5])\b",
    matches=("mạng lưới tọa độ hạng III", "công trình cấp I", "hạng đặc biệt"),
    excludes=("cấp 333", "cấp tỉnh"),
)
DISTANCE = NamedPattern(
    "distance", r"(?P<km>\d+(?:,\d+)?)\s*km\b(?:[^.;\n]{0,30}?)\b(?:từ (?:biển|bờ biển|cửa sông)|tính từ)",
    matches=("đoạn sông cách 40 km tính từ biển vào", "25 km từ cửa sông"),
    excludes=("dài 40 km",),
)
COVERAGE = NamedPattern(
    "coverage", r"\bphủ kín\b|\btoàn (?:bộ )?(?:địa bàn|diện tích)\b",
    matches=("phủ kín diện tích tỉnh", "toàn bộ địa bàn tỉnh"),
    excludes=("một phần diện tích",),
)

_ROMAN = {"đặc biệt": 0, "dac biet": 0, "0": 0, "i": 1, "1": 1, "ii": 2, "2": 2, "iii": 3, "3": 3,
          "iv": 4, "4": 4, "v": 5, "5": 5}


def _finditer(pattern: NamedPattern, region: str) -> Iterator[re.Match]:
    text, folded = _prepared(region)
    return (pattern.folded if folded else pattern.regex).finditer(text)


def _threshold(condition, region: str, values: list[tuple[float, re.Match]], ok, stated: str) -> Verdict:
    """Met when a stated value is on the item's side, failed when all stated values are on the wrong side."""
    if not values:
        return Verdict(UNKNOWN, condition.code, f"dự thảo không nêu {stated}")
    for value, match in values:
        if ok(value):
            return Verdict(MET, condition.code, f"dự thảo nêu {stated} “{region[match.start():match.end()]}”, "
                           f"trong phạm vi của mục", (match.start(), match.end()))
    match = values[0][1]
    return Verdict(FAILED, condition.code, f"dự thảo nêu {stated} “{region[match.start():match.end()]}”, "
                   f"ngoài phạm vi của mục ({condition.text})", (match.start(), match.end()))


def _area(condition, region: str) -> Verdict:
    params = condition.params or {}
    urban = any(True for _ in _finditer(URBAN, region)) and "urban_km2" in params
    limit = params.get("urban_km2") if urban else params.get("km2")
    values = []
    for match in _finditer(AREA, region):
        value = _decimal(match.group("value"))
        if fold(match.group("unit")).startswith(("ha", "hec")):
            value /= 100
        values.append((value, match))
    return _threshold(condition, region, values, lambda v: limit is not None and v > limit, "diện tích")


def _scale(condition, region: str) -> Verdict:
    params = condition.params or {}
    values = [(float(re.sub(r"\D", "", m.group("denominator"))), m) for m in _finditer(SCALE, region)]
    if condition.code == "scale_in":
        allowed = set(params.get("denominators", ()))
        return _threshold(condition, region, values, lambda v: int(v) in allowed, "tỷ lệ bản đồ")
    limit = params.get("denominator")
    return _threshold(condition, region, values, lambda v: limit is not None and v < limit, "tỷ lệ bản đồ")


def _category(condition, region: str) -> Verdict:
    limit = (condition.params or {}).get("category")
    values = [(float(m.group("category")), m) for m in _finditer(CATEGORY, region)]
    return _threshold(condition, region, values, lambda v: limit is not None and v <= limit, "cấp tài nguyên, trữ lượng")


def _grade(condition, region: str) -> Verdict:
    params = condition.params or {}
    word = "hang" if "hạng" in condition.text.lower() else "cap"
    values = [(float(_ROMAN[fold(m.group("grade"))]), m) for m in _finditer(GRADE, region)
              if fold(m.group("word")) == word]
    limit = params.get("rank")
    return _threshold(condition, region, values, lambda v: limit is not None and v <= limit,
                      "hạng" if word == "hang" else "cấp")


def _distance(condition, region: str) -> Verdict:
    limit = (condition.params or {}).get("max_km")
    values = [(_decimal(m.group("km")), m) for m in _finditer(DISTANCE, region)]
    return _threshold(condition, region, values, lambda v: limit is not None and v <= limit, "khoảng cách tính từ biển")


def _coverage(condition, region: str) -> Verdict:
    match = next(_finditer(COVERAGE, region), None)
    if match:
        return Verdict(MET, condition.code, f"dự thảo nêu “{region[match.start():match.end()]}”", (match.start(), match.end()))
    return Verdict(UNKNOWN, condition.code, "dự thảo không nói số liệu phủ kín một đơn vị hành chính")


# --------------------------------------------------------------------------- restrictors and circumstances

# Words that open a restrictor or circumstance in the catalog and carry no content of their own.
_LEAD = re.compile(
    r"^(?:của|đối với|và|do|thuộc diện|thuộc(?: một số)? lĩnh vực|trong(?: một số)? lĩnh vực|thuộc"
    r"|(?:trực tiếp )?phục vụ(?: trực tiếp)?(?: cho)?(?: (?:mục đích|nhiệm vụ|công tác|triển khai|việc))?"
    r"|(?:có )?liên quan (?:đến|tới)|(?:có thể |có |gây )?(?:tác động(?:, ảnh hưởng)?|ảnh hưởng)(?: tiêu cực| lớn| trực tiếp)? (?:đến|tới)"
    r"|có ý nghĩa quyết định(?: đến)?(?: khả năng)?"
    r"|theo yêu cầu của|trình|gửi|cấp|(?:vụ việc )?có dấu hiệu|nếu có|có|trong trường h[ợọ]p|trong tình huống|khi được"
    r"|mới|nhân sự|người thuộc|cần|các đồng chí|các|những|nguyên|vụ việc|vụ án|về các tội|tội phạm|mà|được|là|cho|với|về)\b[\s,]*",
    re.IGNORECASE,
)
_TRAIL = re.compile(r"[\s,]*\b(?:quản lý(?:, bảo quản)?|chuẩn bị|giao|và|hoặc|các|khác)$", re.IGNORECASE)
# List separators; "và" inside a body's name ("Hội đồng Quốc phòng và An ninh", "Giáo dục và Đào tạo")
# joins two capitalised words and is not one, unless a new body starts ("… và Bộ Công an").
_SPLIT = re.compile(r"\s*[,;]\s*|\s+hoặc\s+|(?<![A-ZĐÀ-Ỹ]\w)(?<![A-ZĐÀ-Ỹ]\w\w)(?<![A-ZĐÀ-Ỹ]\w\w\w)\s+và\s+"
                    r"|\s+và\s+(?=(?:Bộ|Ban|Ủy ban|Văn phòng|Tòa án|Viện|Sở|Chủ tịch|Thủ tướng|các)\b)")


def restrictor_terms(condition) -> tuple[str, ...]:
    """The alternatives a restrictor or circumstance names, in the item's words; evidence of any one suffices.

    "của các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư Trung ương Đảng" →
    ("Ủy viên Bộ Chính trị", "Ban Bí thư Trung ương Đảng"); "do Bộ Công an, Bộ Quốc
    phòng quản lý" → ("Bộ Công an", "Bộ Quốc phòng"). Objects and thresholds give ().
    """
    if condition.kind == "object" or condition.code not in _TERM_CODES:
        return ()
    terms: list[str] = []
    head: list[str] = []  # the words of the last full conjunct, whose head a short one shares
    for piece in _SPLIT.split(_TRAIL.sub("", condition.text)):
        raw = piece.strip()
        previous = None
        while previous != piece:
            previous = piece
            piece = _TRAIL.sub("", _LEAD.sub("", piece.strip())).strip()
        words = piece.split()
        if (head and words and len(words) <= 2 and len(head) > len(words) + 1 and piece[0].islower()
                and raw.startswith(piece) and words[0] not in head):
            # "kỳ thi chọn đội tuyển Olympic quốc tế và khu vực": a short conjunct with no head of
            # its own shares the one before ("… Olympic khu vực"); alone, "khu vực" is in any draft.
            piece = " ".join(head[:-len(words)] + words)
        else:
            head = words
        if re.search(r"\w{2,}", piece) and piece not in terms:
            terms.append(piece)
    return tuple(terms)


_TERM_CODES = {"whose", "which", "purpose", "field", "relation", "impact", "recipient", "on_request", "circumstance"}


def _terms_present(condition, region: str) -> Verdict:
    text, folded = _prepared(region)
    for term in restrictor_terms(condition):
        needle = fold(term) if folded else nfc(term)
        match = re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.IGNORECASE)
        if match:
            return Verdict(MET, condition.code, f"dự thảo nêu “{region[match.start():match.end()]}”", (match.start(), match.end()))
    return Verdict(UNKNOWN, condition.code, f"dự thảo không nêu rõ: {condition.text}")


# "trừ trường hợp người tố cáo có yêu cầu khác": the person asks for, or agrees to, being named.
CONSENT = NamedPattern(
    "consent", r"\b(?:đề nghị|yêu cầu|đồng ý|chấp thuận|cho phép)\b(?: \w+){0,6}? (?:công khai|nêu tên|công bố)\b",
    matches=("có văn bản đề nghị được công khai họ tên của mình", "đồng ý để cơ quan giải quyết nêu tên"),
    excludes=("đề nghị giữ bí mật họ tên",),
)


def _exception(condition, region: str) -> Verdict:
    """Only the catalog's "… có yêu cầu khác" exception can be read from a draft: a request or consent to be named."""
    if "yêu cầu khác" in condition.text:
        text, folded = _prepared(region)
        for consent in (CONSENT.folded if folded else CONSENT.regex).finditer(text):
            words = list(_WORD.finditer(text, 0, consent.start()))[-3:]
            negated = words and (NEGATION.folded if folded else NEGATION.regex).search(
                text, words[0].start(), consent.start())
            if not negated:
                return Verdict(FAILED, condition.code, f"mục có ngoại lệ và dự thảo nói người liên quan đề nghị hoặc "
                               f"đồng ý công khai: “{region[consent.start():consent.end()]}”", (consent.start(), consent.end()))
    return Verdict(UNKNOWN, condition.code, f"mục có ngoại lệ, cần người đọc xét: {condition.text}")


def _in_progress(condition, region: str) -> Verdict:
    return Verdict(UNKNOWN, condition.code, f"mục chỉ áp dụng khi {condition.text}")


_EVALUATORS = {
    "not_public": _not_public,
    "before_announcement": _not_public,
    "not_approved": _not_approved,
    "after_approval": _after_approval,
    "area_min_km2": _area,
    "scale_min": _scale,
    "scale_in": _scale,
    "category_min": _category,
    "grade_min": _grade,
    "distance_max_km": _distance,
    "coverage": _coverage,
    "exception": _exception,
    "in_progress": _in_progress,
}


def evaluate(condition, region: str) -> Verdict:
    """The state of ``condition`` (an ItemCondition / ConditionRecord) in ``region``, the part of the
    draft that carries the item's evidence.

    "failed" only when the region states the opposite (already public, a value on
    the wrong side of a threshold); "unknown" when it states nothing either way.
    Restrictors and circumstances are "met" when one of their terms occurs, else
    "unknown": whether that is enough evidence is the classifier's call.
    """
    if condition.kind in (RESTRICTOR,) or condition.code == "circumstance":
        return _terms_present(condition, region)
    evaluator = _EVALUATORS.get(condition.code)
    if condition.kind != CONDITION or evaluator is None:
        return Verdict(UNKNOWN, condition.code, "không có điều kiện để kiểm tra")
    return evaluator(condition, region)
