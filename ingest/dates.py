"""Dates as Vietnamese documents and users write them, and "today" in Vietnam.

One definition each, used by ingest, the classifier, the checker, the CLI and the
Datasette plugin: ``today`` (Asia/Ho_Chi_Minh), ``parse_typed_date`` (what a user
types: "12/3/2026" or "2026-03-12"), and ``judged_date`` (the date a draft is
judged on, with where it came from).
"""

from __future__ import annotations

import datetime as dt
import re

from .patterns import NamedPattern
from .text import fold_aligned, mail_header_end, relined, without_quote_marks

# Read on folded text (fold_aligned: one character per character), so a date typed without diacritics
# ("Ha Noi, ngay 12 thang 3 nam 2026", a header or a line of a draft partly typed without them) is read too.
_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")

# Asia/Ho_Chi_Minh is UTC+7 all year: Vietnam has kept no daylight saving time since
# 1975. A fixed offset needs no tz database (a minimal machine may lack one, and
# zoneinfo would then fail), and it is what the SQL views write: date('now', '+7 hours').
VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def today() -> dt.date:
    """Today's date in Vietnam, whatever the machine's time zone.

    An agency's drafts are dated in Vietnamese time; between 00:00 and 07:00 there
    UTC (and a server set to it) still shows the day before.
    """
    return dt.datetime.now(VIETNAM).date()


def _make(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


_TYPED = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_typed_date(value: str | None) -> dt.date | None:
    """A date a user typed: ISO "2026-03-12", or "12/3/2026" as Vietnamese write it (also 12-3-2026, 12.3.2026).

    None for an empty or impossible value ("31/2/2026"); the caller says what is wrong.
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    match = _TYPED.fullmatch(value)
    return _make(*match.groups()) if match else None


def find_date(text: str) -> dt.date | None:
    """First date written "ngày 19 tháng 5 năm 2023" or "19/5/2023" in ``text``."""
    found = [(m.start(), m) for m in _WORDS.finditer(fold_aligned(text))]
    found += [(m.start(), m) for m in _SLASHED.finditer(text)]
    for _, match in sorted(found, key=lambda pair: pair[0]):
        date = _make(*match.groups())
        if date:
            return date
    return None


def header_date(text: str) -> dt.date | None:
    """The place-and-date line of a document header: "Hà Nội, ngày 12 tháng 3 năm 2026".

    Only the "…, ngày … tháng … năm …" form counts: a header never writes its own
    date as "12/3/2026", while bodies are full of such dates.
    """
    for match in re.finditer(r",\s*" + _WORDS.pattern, fold_aligned(text)):
        date = _make(*match.groups())
        if date:
            return date
    return None


def parse_iso(value: str | None) -> dt.date | None:
    """An ISO date from front matter, or None for empty values."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# --------------------------------------------------------------------------- a draft's own date

HEADER_LINES = 12  # non-empty lines that can hold the stamp and date (TT 24/2020/TT-BCA: below the number line)
_HEADER_END = re.compile(r"^\s*(?:kinh gui|can cu|hom nay|thuc hien|theo de nghi)\b")


def header_lines(text: str) -> list[tuple[int, str]]:
    """The first lines with a letter or digit (index, line) before the body starts ("Kính gửi", "Căn cứ"…),
    without e-mail quote marks; a forwarded e-mail's own header lines are skipped."""
    found: list[tuple[int, str]] = []
    text = relined(text)  # a draft pasted as one line: its header is read on the lines put back
    skipped = text[:mail_header_end(text)].count("\n")  # a forwarded e-mail's own header is not the document's
    for index, line in enumerate(without_quote_marks(text).splitlines()):
        if index < skipped or not any(ch.isalnum() for ch in line):
            continue  # a blank line, or a rule or cell border ("-------", "|") of a header copied from a PDF
        if _HEADER_END.match(fold_aligned(line)) or len(found) >= HEADER_LINES:
            break
        found.append((index, line))
    return found


MINUTES_DATE = NamedPattern(
    "minutes_date",
    re.compile(r"\bhom nay\b[^\n.]{0,60}?\bngay\s+(?=\d)"),
    matches=("Hôm nay, ngày 03/6/2024, tại khu vực làm đề thi", "Hôm nay, vào hồi 9 giờ, ngày 03 tháng 6 năm 2024"),
    excludes=("Ngày 10/01/2024, Tòa án nhân dân tỉnh đã xét xử",),
)
# An e-mail's own header: "Ngày gửi: 06/4/2026, 16:42", "Date: 06/04/2026", "Sent: 2026-04-06".
MAIL_DATE = NamedPattern(
    "mail_date",
    re.compile(r"^\s*(?:ngay gui|da gui|gui luc|thoi gian gui|date|sent)\s*:\s*(?:[^\n\d]{0,20}?)(?=\d)", re.MULTILINE),
    matches=("Ngày gửi: 06/4/2026, 16:42", "Date: Mon, 06/04/2026 16:42", "Sent: 2026-04-06 16:42"),
    excludes=("Ngày 06/4/2026, Sở đã gửi", "Thời gian: 08 giờ 00 ngày 08/4/2026"),
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\b")
# Minutes (biên bản) also open with "Thời gian: 08 giờ 00 ngày 08/4/2026" or "Hồi 14 giờ 00 ngày …"; only read in a biên bản,
# since a plan's "Thời gian: từ ngày … đến ngày …" is a period, not the document's date.
MEETING_DATE = NamedPattern(
    "meeting_date",
    re.compile(r"^\s*thoi gian\s*:[^\n.]{0,40}?\bngay\s+(?=\d)"
               r"|^\s*(?:vao\s+)?(?:hoi|luc)\s+\d{1,2}\s*(?:gio\b|h(?=\d|\b))[^\n.]{0,40}?\bngay\s+(?=\d)", re.MULTILINE),
    matches=("Thời gian: 08 giờ 00 ngày 08/4/2026, tại Hội trường Sở.",
             "Hồi 14 giờ 00 ngày 20/12/2022, Tổ thẩm định tiến hành", "Vào hồi 8h30 ngày 03/6/2024, tại Sở"),
    excludes=("Thời gian thực hiện 48 tháng", "Thời gian: 08 giờ 00. Địa điểm: Phòng họp số 1",
              "Hội nghị lúc 14 giờ ngày 20/12/2022", "họp hồi 14 giờ ngày 20/12/2022"),
)
_MINUTES_TITLE = re.compile(r"^\s*bien ban\b", re.MULTILINE)

BLANK_DAY = NamedPattern(
    "header_without_day",
    re.compile(r",\s*ngay[\s._…]*thang\s+(\d{1,2})\s+nam\s+(\d{4})"),
    matches=("Hà Nội, ngày     tháng 3 năm 2026", "..., ngày ... tháng 12 năm 2025", "Huế, ngày …… tháng 02 năm 2024"),
    excludes=("Hà Nội, ngày 12 tháng 3 năm 2026",),
)


def header_month(text: str) -> dt.date | None:
    """The first day of the month of a header whose day is left blank: "…, ngày    tháng 3 năm 2026".

    Drafts often leave the day empty until signing; the month still places the
    draft against replacements better than today's date does.
    """
    header = fold_aligned("\n".join(line for _, line in header_lines(text)))
    match = BLANK_DAY.regex.search(header)
    if match and 1 <= int(match.group(1)) <= 12:
        return dt.date(int(match.group(2)), int(match.group(1)), 1)
    return None


def draft_date(text: str) -> dt.date | None:
    """The draft's own date: the header's "…, ngày 12 tháng 3 năm 2026", else a minutes' "Hôm nay, ngày …"
    (or, in a biên bản, "Thời gian: … ngày …", "Hồi 14 giờ … ngày …"), else an e-mail's "Ngày gửi: …".

    Dates in the body (events, other documents) are never taken for the draft's date.
    """
    header = "\n".join(line for _, line in header_lines(text))
    found = header_date(header)
    if found:
        return found
    text = without_quote_marks(text[:4000])
    folded = fold_aligned(text)
    match = MINUTES_DATE.regex.search(folded)
    if not match and _MINUTES_TITLE.search(fold_aligned(header)):
        match = MEETING_DATE.regex.search(folded)
    if match:  # from its "ngày": "Hôm nay, ngày 03 tháng 6 năm 2024" is read as well as "ngày 03/6/2024"
        start = folded.rindex("ngay", match.start(), match.end())
        return find_date(text[start:match.end() + 40])
    mail_header = text[:mail_header_end(text)] or header
    mail = MAIL_DATE.regex.search(fold_aligned(mail_header))
    if mail:
        written = mail_header[mail.end():mail.end() + 40]
        iso = _ISO.match(written)
        return _make(iso.group(3), iso.group(2), iso.group(1)) if iso else find_date(written)
    return None


DATE_SOURCES = ("option", "header", "header_month", "today")


def judged_date(text: str, as_of: dt.date | None = None, on_day: dt.date | None = None) -> tuple[dt.date, str]:
    """The date a draft is judged on, and its source (one of DATE_SOURCES).

    The date the user gives (``as_of``), else the draft's own date (``draft_date``:
    "header"), else the first day of its header's month when the day is left blank
    ("header_month"), else ``on_day`` or today in Vietnam ("today"). Classification
    and checking both call this, so they never judge one draft on two dates.
    """
    if as_of:
        return as_of, "option"
    stated = draft_date(text)
    if stated:
        return stated, "header"
    month = header_month(text)
    if month:
        return month, "header_month"
    return on_day or today(), "today"
