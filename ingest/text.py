"""Text normalisation shared by ingest and the classifier.

The full-text index and every query must fold text the same way, so folding
lives here and nowhere else.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Look-alike letters that Vietnamese documents carry from old fonts and
# converters: the Latin capital/small eth (Ð U+00D0, ð U+00F0) is printed for
# "Đ/đ" in many "QÐ-TTg" numbers.
_LOOKALIKES = (("\u00d0", "Đ"), ("\u00f0", "đ"))

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# What Word, web pages and PDF text layers put between words: no-break and other Unicode spaces, zero-width
# spaces and joiners, soft hyphens, a byte-order mark; and Unicode line and paragraph separators. Each becomes
# one ordinary space (or line break). Like NFC and the two-space rule below, this is done once, before any
# offset is taken: evidence offsets point into the text as read.
_INVISIBLE = re.compile("[\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")
_SEPARATORS = re.compile("[\u2028\u2029]")
# Two spaces between two words, as typists and justified Word text leave them ("Thời  gian:  08  giờ"): one
# space, so that phrases read with single spaces ("chưa công bố", "biên bản") still match. Three or more are
# a gap between columns (a header's, a plain-text table's) and stay.
_DOUBLE_SPACE = re.compile(r"(?<=\S)  (?=\S)")


def nfc(text: str) -> str:
    """Unicode NFC with look-alike letters mapped to Vietnamese ones, Unicode spaces and invisible
    characters as ordinary spaces, CR LF, CR and Unicode line separators as line breaks, two spaces between
    words as one."""
    text = unicodedata.normalize("NFC", text)
    for lookalike, letter in _LOOKALIKES:  # a substring scan in C: str.translate with a table is ~10x slower
        if lookalike in text:
            text = text.replace(lookalike, letter)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(" ", text)
    if _SEPARATORS.search(text):
        text = _SEPARATORS.sub("\n", text)
    if "\r" in text:  # a form posts CR LF; old Mac text has CR alone
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text:
        text = _DOUBLE_SPACE.sub(" ", text)
    return text


def without_surrogates(text: str) -> str:
    """Bytes of a file name the system could not decode (a Windows zip's Windows-1258 names) as "�",
    as a terminal shows them, instead of lone surrogates that SQLite and every encoder refuse."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def file_name(path) -> str:
    """A file's name as stored in the knowledge base (``without_surrogates``)."""
    return without_surrogates(os.path.basename(str(path)))


def clean_line(line: str) -> str:
    """NFC, look-alikes fixed, runs of blanks (incl. no-break space) collapsed."""
    return _WS.sub(" ", nfc(line)).strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d, so "Đất đai" and "dat dai" meet.

    SQLite's ``remove_diacritics 2`` keeps "đ" (it is a letter, not a combining
    mark); this fold is stored beside the text so "dat dai" finds "đất đai".
    """
    return nfc(text).lower().translate(_FOLDED)


class _FoldTable(dict):
    """str.translate table of ``fold``, filled as characters are met: each character's NFD without its
    combining marks (a combining mark itself: removed), "đ" as "d". Per character this is what folding
    the whole NFD string does: reordering combining marks does not matter once they are all dropped."""

    def __missing__(self, code: int):
        character = chr(code)
        if unicodedata.combining(character):
            value = None
        else:
            decomposed = unicodedata.normalize("NFD", character)
            value = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")
            value = code if value == character else value
        self[code] = value
        return value


_FOLDED = _FoldTable()


# Syllables Vietnamese spelling never writes without a mark, so a text that has one was typed without
# diacritics: a checked syllable (ending in p, t, c or ch) always carries the sắc or nặng tone ("hoc",
# "quoc", "viet"), and the vowel pairs iê, yê, uô/ươ always carry their circumflex or horn ("tien",
# "nguyen", "duoc", "truong").
_BARE_CHECKED = re.compile(r"[bcdghklmnpqrstvx]*[aeiouy]*[aeiou][aeiouy]*(?:ch|p|t|c)"
                           r"|(?!gi)[bcdghklmnpqrstvx]*[aeiouy]*(?:ie|ye|uo)[aeiouy]*(?:ch|nh|ng|[cmnpt])?")  # "gieo": gi+eo
_SYLLABLE = re.compile(r"\w+")


def typed_bare(syllable: str, in_capitals: bool = False) -> bool:
    """``syllable`` cannot be Vietnamese as written (see _BARE_CHECKED). Among lower-case words an
    upper-case word of up to three letters is an abbreviation ("CAT", "SYT"), not a syllable; in a line
    written in capitals ("TỔ RA ĐỀ MÔN HÓA HOC") it is a word like the others."""
    if syllable.isupper() and len(syllable) <= 3 and not in_capitals:
        return False
    return bool(_BARE_CHECKED.fullmatch(syllable.lower()))


def has_bare_syllable(text: str) -> bool:
    """Some syllable of ``text`` was typed without diacritics (``typed_bare``): a text partly typed so."""
    for line in text.split("\n"):
        capitals = not any(ch.islower() for ch in line)
        if any(typed_bare(word, capitals) for word in _SYLLABLE.findall(line)):
            return True
    return False


def vn_date(iso: str) -> str:
    """Format an ISO date the way Vietnamese administrative texts do.

    Decree 30/2020/NĐ-CP: days below 10 and months 1 and 2 take a leading zero
    ("05/6/2020", "06/01/2026", "19/5/2023").
    """
    year, month, day = (int(part) for part in iso.split("-"))
    month_text = f"{month:02d}" if month <= 2 else str(month)
    return f"{day:02d}/{month_text}/{year}"


def fold_aligned(text: str) -> str:
    """``fold(text)`` with exactly one character per character of ``text``.

    Patterns run on folded text while their offsets must still point into the text
    as written (evidence spans, header lines), so a letter that would fold to two
    characters keeps only the first.
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return text.translate(_FOLDED_ONE)


class _FoldOneTable(dict):
    """str.translate table of ``fold_aligned``: each character's fold, cut to its first character."""

    def __missing__(self, code: int) -> str:
        character = chr(code)
        self[code] = value = (fold(character) or character)[0]
        return value


_FOLDED_ONE = _FoldOneTable()


_QUOTE_MARKS = re.compile(r"^[ \t]*>(?:[ \t]*>)*", re.MULTILINE)  # "> > " of a forwarded or replied e-mail


def without_quote_marks(text: str) -> str:
    """The text with the ">" marks a forwarded e-mail puts before each line blanked out.

    Each mark becomes a space, so offsets into the text stay those of the draft.
    """
    return _QUOTE_MARKS.sub(lambda match: " " * len(match.group()), text)


_CLOSING = ".;!?:"
_LINE_BREAK = re.compile(r"\n")
_LINE = re.compile(r"[^\n]*\n?")  # a line with its break; the last one may have none
_FIRST_WORD = re.compile(r"[ \t>]*(\S*)")


def continued_lines(text: str) -> str:
    """The text with each line break inside a sentence replaced by a space, so offsets stay the draft's.

    A break is inside a sentence when the line before it does not end one (no
    closing mark) and either the next line goes on in lower case, or a text wrapper
    made it (PDF text layers, e-mail clients). A wrapper fills each line and breaks
    only when the next word does not fit: the line is longer than the draft's
    longest line less that word. The longest line always passes that test, and so
    may the two columns of a formal header ("ỦY BAN NHÂN DÂN …   CỘNG HÒA XÃ HỘI …"),
    so the draft counts as wrapped only when at least three lines do (a wrapped
    paragraph has one for each line but its last). A blank line or a list item
    ("- ", "+ ") never continues.
    """
    if "\n" not in text:
        return text
    width = max(len(line.rstrip()) for line in text.split("\n"))
    lower, full = set(), set()
    for match in _LINE_BREAK.finditer(text):
        at = match.start()
        previous = text[text.rfind("\n", 0, at) + 1:at].rstrip()
        word = _FIRST_WORD.match(text, at + 1).group(1)
        if not previous or previous[-1] in _CLOSING or not word or not word[0].isalnum():
            continue
        if word[0].islower() and previous[-1].isalnum():
            lower.add(at)
        if len(previous) + 1 + len(word) > width:
            full.add(at)
    joined = lower | full if len(full) >= 3 else lower
    if not joined:
        return text
    return _replace_at(text, sorted(joined))


def _replace_at(text: str, positions: list[int], by: str = " ") -> str:
    parts, last = [], 0
    for at in positions:
        parts.append(text[last:at])
        parts.append(by)
        last = at + 1
    parts.append(text[last:])
    return "".join(parts)


# An e-mail's own header ("Từ: …", "Đến: …", "Tiêu đề: …") and the line a mail client writes
# above a forwarded or quoted message ("-------- Thư chuyển tiếp --------").
MAIL_FIELD = re.compile(r"(?:từ|người gửi|from|gửi|đã gửi|đến|tới|to|cc|bcc|ngày gửi|gửi lúc|thời gian gửi|date|sent"
                        r"|tiêu đề|subject|chủ đề)\s*:", re.IGNORECASE)
MAIL_SEPARATOR = re.compile(r"[-_=*\s]*(?:original message|forwarded message|thư chuyển tiếp|thư được chuyển tiếp"
                            r"|thư gốc|[-_=]{5,})[-_=*\s]*$", re.IGNORECASE)


# The line a mail client writes above the message a reply quotes: "Vào Th 2, 14 thg 10, 2024 lúc 09:12
# Phòng Tổng hợp <…> đã viết:", "On Mon, Oct 14, 2024 at 9:12 AM … wrote:". It carries the time or the
# sender's address; a document's "Như Thông báo số 5 ngày 02/3/2024 đã viết:" carries neither.
MAIL_ATTRIBUTION = re.compile(r".*(?:\d:\d\d|@).*\b(?:đã viết|wrote)\s*:\s*$", re.IGNORECASE)
_NAMED_SEPARATOR = re.compile(r"[-_=*\s]*(?:original message|forwarded message|thư chuyển tiếp|thư được chuyển tiếp"
                              r"|thư gốc)", re.IGNORECASE)
MAIL_LINES = 40  # an e-mail's header, or the short note above the message it forwards, sits in its first lines


def mail_layout(text: str) -> tuple[int, int]:
    """(start, end) offsets of the e-mail block that comes before the document an e-mail carries.

    The block is the mail header (two or more "Field: value" lines), with the separator
    lines and the "… đã viết:" line a mail client writes, and blank lines between them;
    the document (issuing body, number, date, title) starts at ``end``. It is at the top
    of a forwarded e-mail (start 0), or under the short note of a reply or forward
    ("Em gửi anh dự thảo dưới đây…"), which is the sender's own text, not a header.
    (0, 0) when the text is not an e-mail.
    """
    lines = [(line.start(), line.end(), without_quote_marks(line.group()).strip())
             for _, line in zip(range(MAIL_LINES), _LINE.finditer(text)) if line.group()]
    for index, (start, _, content) in enumerate(lines):
        separator = bool(_NAMED_SEPARATOR.match(content) and MAIL_SEPARATOR.match(content))  # the whole line
        if index and not (MAIL_ATTRIBUTION.match(content) or separator):
            continue  # below a note, only a line a mail client writes starts the block ("Thư gốc của Bộ …" does not)
        end, fields, attributed = start, 0, False
        for _, line_end, later in lines[index:]:
            if MAIL_FIELD.match(later):
                fields += 1
            elif MAIL_ATTRIBUTION.match(later) and not attributed:
                attributed = True
            elif later and not MAIL_SEPARATOR.match(later):
                break
            end = line_end
        if fields >= 2 or attributed or (index and separator):
            return start, end
    return 0, 0


def mail_header_end(text: str) -> int:
    """Offset where the document an e-mail carries starts: after the e-mail's block (0 if none); see mail_layout."""
    return mail_layout(text)[1]


# --------------------------------------------------------------------------- line breaks lost

# A document of this many characters or more on fewer than LOST_BREAKS_LINES lines lost its line breaks: a
# typed one has a header line, a title and paragraphs, each on a line of its own.
LOST_BREAKS_CHARS = 500
LOST_BREAKS_LINES = 3
# Where a line of an administrative document starts (Decree 30/2020/NĐ-CP's layout), read folded: the
# header's number, subject and motto lines, the addressees, bases, opening and closing lines.
_LINE_OPENINGS = re.compile(r" (?=(?:so|luu|thoi gian|dia diem)\s*:|(?:v/v|ve viec|kinh gui|can cu|noi nhan|hom nay"
                            r"|thuc hien|theo de nghi|thanh phan|cong hoa xa hoi|doc lap\s*-)\b"
                            r"|(?:vao\s+)?(?:hoi|luc)\s+\d{1,2}\s*(?:gio\b|h))")  # "Hồi 14 giờ …" opens minutes
# A list item after the end of a sentence or clause: "1. ", "1.2. ", "2) ", "a) ", "b/ ", "II. ", "- ", "+ ", "• ".
_MARKER = r"(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][)/]|[IVX]{1,5}\.|[-+•◦▪])"
_ITEM = re.compile(r"(?<=[.;:,]) (?=" + _MARKER + r"\s+\S)")
_SENTENCE = re.compile(r"(?<=[^.][.;!?]) [\"“(]?(\w)")  # not after "…" typed as "..."
_LIST_MARKER = re.compile(_MARKER)
_MAIL_OPENINGS = re.compile(r" (?=" + MAIL_FIELD.pattern + ")", re.IGNORECASE)  # an e-mail's "Đến:", "Tiêu đề:"
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[(\"“]?[^\W\d_]+[)\"”]?[,.:;]?")
# The kinds of administrative documents (Decree 30/2020/NĐ-CP, Article 7), folded: a title in capitals
# typed after the issuing body's name ("SỞ GIÁO DỤC VÀ ĐÀO TẠO BIÊN BẢN") starts its own line.
DOCUMENT_KINDS = ("nghi quyet", "quyet dinh", "chi thi", "quy che", "quy dinh", "thong cao", "thong bao",
                  "huong dan", "chuong trinh", "ke hoach", "phuong an", "de an", "du an", "bao cao", "bien ban",
                  "to trinh", "hop dong", "cong van", "cong dien", "ban ghi nho", "ban thoa thuan", "giay uy quyen",
                  "giay moi", "giay gioi thieu", "giay nghi phep", "phieu gui", "phieu chuyen", "phieu bao", "thu cong")


def _stamp_words(words: list[re.Match], n: int) -> int:
    """How many words of a secrecy level ("TỐI MẬT", "MẬT") start at ``words[n]``; 0 for none, or for the
    "MẬT" of "BÍ MẬT", "ĐỘ MẬT" (and of "TỐI MẬT", read from its first word)."""
    from .model import Level  # the one spelling of the levels; model imports this module

    if fold(words[n - 1].group()) in ("bi", "do", "tuyet", "toi"):
        return 0
    for size in (2, 1):
        if fold(" ".join(w.group() for w in words[n:n + size])).strip(",.:;[]()«»") in {fold(l.value) for l in Level}:
            return size
    return 0


def _after_a_kind(words: list[re.Match], capitals: list[bool], n: int) -> bool:
    """``words[n]`` follows a kind of document in its run of capitals: it is a word of the title."""
    start = n
    while start and capitals[start - 1]:
        start -= 1
    run = [fold(w.group()).strip(",.:;") for w in words[start:n]]
    return any(" ".join(run[at:at + size]) in DOCUMENT_KINDS for size in (2, 3) for at in range(len(run)))


def relined(text: str) -> str:
    """``text`` with its line breaks put back when they were lost (a draft pasted from a web form or a PDF
    viewer as one line): a break replaces the space before each sentence, list item and line opening
    ("Số:", "Kính gửi", "Căn cứ", "Nơi nhận", …) and around each run of words in capitals (the issuing
    body, the title: "SỞ Y TẾ", "BÁO CÁO"), so header, title and paragraphs are read as in the draft
    as written. One character for one: offsets stay the draft's. A text with lines is returned as is."""
    if len(text) < LOST_BREAKS_CHARS or text.strip().count("\n") + 1 >= LOST_BREAKS_LINES:
        return text
    folded = fold_aligned(text)
    breaks = {m.start() for m in _SENTENCE.finditer(text) if m.group(1).isupper()}
    breaks |= {m.start() for m in _ITEM.finditer(text)}
    words = list(_WORD.finditer(text))
    capitals = [bool(_LETTERS.fullmatch(w.group())) and w.group().isupper() for w in words]
    in_capitals = {w.start() - 1 for n, w in enumerate(words[1:], 1) if capitals[n] and capitals[n - 1]}
    # an opening starts a line, but not inside a run of capitals ("… DO CỘNG ĐỒNG TỰ THỰC HIỆN …")
    breaks |= {m.start() for pattern, within in ((_LINE_OPENINGS, folded), (_MAIL_OPENINGS, text))
               for m in pattern.finditer(within) if text[m.start() + 1].isupper() and m.start() not in in_capitals}
    for n in range(1, len(words)):
        starts = (capitals[n] and not capitals[n - 1] and n + 1 < len(words) and capitals[n + 1]
                  and not words[n - 1].group().endswith(":"))  # "Lưu: VT, UBBG" stays
        ends = capitals[n - 1] and not capitals[n] and n >= 2 and capitals[n - 2] and words[n].group()[:1].isupper()
        # a kind of document ending a run of capitals, not at its start: "… ĐÀO TẠO BIÊN BẢN"
        kind = (capitals[n] and capitals[n - 1] and n + 1 < len(words) and capitals[n + 1]
                and not (n + 2 < len(words) and capitals[n + 2])
                and fold(words[n].group() + " " + words[n + 1].group()).rstrip(",.:") in DOCUMENT_KINDS
                and not any(fold(" ".join(w.group() for w in words[n - k:n + 1])) in DOCUMENT_KINDS for k in (1, 2)))
        if (starts or ends or kind) and text[words[n].start() - 1] == " ":
            breaks.add(words[n].start() - 1)
        stamp = _stamp_words(words, n) if capitals[n] and not _after_a_kind(words, capitals, n) else 0
        # "… NĂM 2024 TỐI MẬT PHIẾU TRÌNH": a line of its own; "BIÊN BẢN GIAO NHẬN TÀI LIỆU MẬT": the title's
        if stamp:
            breaks.add(words[n].start() - 1)
            if n + stamp < len(words) and words[n + stamp].group()[:1].isupper():
                breaks.add(words[n + stamp].start() - 1)
    # never right after a list marker: "1. Mục đích", "4. Thành phần đoàn"
    breaks = sorted(at for at in breaks if text[at] == " "
                    and not _LIST_MARKER.fullmatch(text[text.rfind(" ", 0, at) + 1:at]))
    return _replace_at(text, breaks, "\n") if breaks else text


# A word hyphenated across a line end, "thông-\ntin" (a PDF text layer, a justified Word export): a
# lower-case letter, the hyphen, the break, a lower-case letter. A number's hyphen ("531/QĐ-\nTTg") is
# between capitals and stays; so does a dash with a space before it ("Lao động -\nThương binh").
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[ \t]*\n[ \t>]*[^\W\d_])")


def draft_text(text: str) -> str:
    """A draft as the classifier and the checker read it: ``nfc``, the hyphen of a word hyphenated across
    a line end blanked (the break then reads as one inside a sentence, see continued_lines), the page numbers
    and running header or footer of a text printed on pages blanked (``without_page_furniture``), a second copy
    of the whole text and the header's national motto blanked (``without_second_copy``, ``without_motto``)
    and line breaks put back when they were lost (``relined``). One character for one after ``nfc``."""
    text = without_page_furniture(nfc(text))
    if "-\n" in text or "- \n" in text:
        text = _HYPHENATED.sub(lambda m: " " if _lower_around(text, m.start()) else "-", text)
    return without_motto(relined(without_second_copy(text)))


# The national motto every administrative document carries in its header (Decree 30/2020/NĐ-CP, Appendix I),
# in the header's right-hand column: after a column gap, beside the issuing body's name or indented on a
# line of its own. A copy that puts it on lines of their own at the margin is read as it is.
_MOTTO = re.compile(r"(?:(?<=\t)|(?<=   ))[ \t]*(cong hoa xa hoi chu nghia viet nam"
                    r"|doc lap\s*[-–—]\s*tu do\s*[-–—]\s*hanh phuc)(?=[ \t]*(?:[-_=*|]+[ \t]*)*$|[ \t]*\t|   |[ \t]*\|)",
                    re.MULTILINE)  # then a line end, a column gap, or the rule under it ("----------")


def without_motto(text: str) -> str:
    """``text`` with the national motto in its header's right-hand column blanked (spaces: offsets stay), so
    a plain-text copy that keeps the two columns side by side reads as one that puts them one after another."""
    if "\n" not in text:
        return text
    spans = []
    for line in _LINE.finditer(text[:3000]):  # only a line with a column gap can hold it: fold just those
        if "\t" in line.group() or "   " in line.group():
            spans += [(line.start() + m.start(1), line.start() + m.end(1))
                      for m in _MOTTO.finditer(fold_aligned(line.group()))]
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def without_second_copy(text: str) -> str:
    """A draft pasted twice by mistake (the whole text, then the same text again) with its second copy
    blanked (spaces, its line breaks kept: offsets stay), so it is read, and its words counted, once."""
    first = text.lstrip()
    head = first[:first.find("\n")] if "\n" in first else ""
    if len(head.strip()) < 3:
        return text
    at = text.find("\n" + head, len(text) - len(first) + 1)
    while at != -1:
        if text[at:].strip() == text[:at].strip():
            return text[:at] + re.sub(r"[^\n]", " ", text[at:])
        at = text.find("\n" + head, at + 1)
    return text


def _lower_around(text: str, at: int) -> bool:
    after = re.match(r"[ \t]*\n[ \t>]*(\w)", text[at + 1:at + 40])
    return text[at - 1].islower() and bool(after) and after.group(1).islower()


# --------------------------------------------------------------------------- page furniture

# A page-number line as word processors and PDF printers write it: "2", "- 2 -", "– 2 –", "Trang 2",
# "Trang 2/5", "Trang 2 / 5", "Page 2 of 5", "2/5". Group "n" is the page's number, "m" the page count.
PAGE_NUMBER = re.compile(r"[ \t]*(?:(?P<word>trang|page)[ \t]*(?P<wn>\d{1,4})(?:[ \t]*(?:/|của|trên|of)[ \t]*(?P<wm>\d{1,4}))?"
                         r"|(?P<dash>[-–—])[ \t]*(?P<dn>\d{1,4})[ \t]*[-–—]"
                         r"|(?P<fn>\d{1,4})[ \t]*/[ \t]*(?P<fm>\d{1,4})"
                         r"|(?P<bare>\d{1,4}))[ \t]*", re.IGNORECASE)
FURNITURE_MIN_GAP = 4  # lines between two pages' furniture: fewer is a table's rows or a list, not a page
# A line recurring on its own (no page number beside it) is a running header only three times or more, a
# page apart: a document's own label recurs too ("Trả lời:" under each question of a press briefing).
RUNNING_MIN_GAP = 8
RUNNING_LINES = 2  # a running header and a running footer: at most two lines recur so on every page
_FURNITURE_LENGTH = 120  # a running header or footer is one short line


def page_number(line: str) -> tuple[int, int, str] | None:
    """(number, page count or 0, form) of a page-number line; form is "word" ("Trang 2", "Page 2 of 5"),
    "dash" ("- 2 -"), "fraction" ("2/5") or "bare" ("2"). None for any other line."""
    match = PAGE_NUMBER.fullmatch(line)
    if not match:
        return None
    if match["word"]:
        number, count, form = int(match["wn"]), int(match["wm"] or 0), "word"
    elif match["dash"]:
        number, count, form = int(match["dn"]), 0, "dash"
    elif match["fn"]:
        number, count, form = int(match["fn"]), int(match["fm"]), "fraction"
    else:
        number, count, form = int(match["bare"]), 0, "bare"
    if number < 1 or (count and number > count):
        return None
    return number, count, form


def _regular(positions: list[int], numbers: list[int], least: int = 2, gap: int = FURNITURE_MIN_GAP,
             short_last: bool = True) -> float:
    """Lines per page when lines at ``positions`` fall at a steady pace of ``numbers`` (page k's furniture
    about k pages in): ``least`` of them or more, each gap at least ``gap`` lines, each position within a
    quarter page of the straight line through the first and last. The last page may be short: its footer
    can come early. 0 when the pace is not steady."""
    if len(positions) < least:
        return 0
    page = (positions[-1] - positions[0]) / (numbers[-1] - numbers[0])
    steady = min(b - a for a, b in zip(positions, positions[1:])) >= gap and all(
        abs(positions[0] + (k - numbers[0]) * page - at) <= page / 4 + 1 for at, k in zip(positions, numbers))
    if steady:
        return page
    rest = _regular(positions[:-1], numbers[:-1], least, gap, False) if short_last and len(positions) > least else 0
    if rest and 0 < positions[-1] - positions[-2] <= (numbers[-1] - numbers[-2]) * rest + rest / 4 + 1:
        return rest
    return 0


def _page_number_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that number the pages: page-number lines of one form (and page count) whose
    numbers count up by one at a steady pace of lines, starting about where a page's end falls (a table's
    row numbers 1, 2, 3 count up too, but from where the table starts). "Trang 2", "- 2 -" and "Trang 2/5"
    are page numbers by their form alone; a bare "2" or "2/5" only as one of such a run."""
    found: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        number = page_number(line) if len(line) < 24 else None
        if number:
            found.setdefault((number[2], number[1]), []).append((index, number[0]))
    numbered: set[int] = set()
    for (form, _), candidates in found.items():
        runs: dict[int, list[tuple[int, int]]] = {}  # the longest run counting up by one, by its last number
        for index, number in candidates:
            run = runs.get(number - 1, [])
            if len(run) + 1 > len(runs.get(number, ())):
                runs[number] = [*run, (index, number)] if len(run) < 50 else [*run[-49:], (index, number)]
        best = max(runs.values(), key=len)
        positions, numbers = [at for at, _ in best], [k for _, k in best]
        page = _regular(positions, numbers)
        if page:
            offset = positions[0] - numbers[0] * page  # where page 0 would end: about a page before the start
            if -page - page / 4 - 2 <= offset <= page / 4 + 2:
                numbered |= set(positions)
        elif form in ("word", "dash"):
            numbered |= {at for at, _ in candidates}
    return numbered


def _running_lines(lines: list[str], numbered: set[int]) -> set[int]:
    """Indexes of a running header or footer: the same short line recurring at a steady pace, three times
    or more at least RUNNING_MIN_GAP lines apart, or once a page and on two pages or more right beside their
    page numbers."""
    where: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        key = line.strip()
        if key and len(key) <= _FURNITURE_LENGTH and sum(ch.isalnum() for ch in key) >= 3 and index not in numbered:
            where.setdefault(key, []).append(index)
    running: set[int] = set()
    paced: list[list[int]] = []
    for positions in where.values():
        if len(positions) < 2:
            continue
        beside = [at for at in positions if any(abs(at - n) <= 2 for n in numbered)]
        if len(beside) >= 2 and len(beside) >= len(numbered) - 1 and len(positions) <= len(numbered) + 1:
            running |= set(positions)  # one a page: also the first page's header, above no page number
        elif _regular(positions, list(range(len(positions))), 3, RUNNING_MIN_GAP):
            paced.append(positions)
    if len(paced) <= RUNNING_LINES:  # more is a block of the text repeated (a form filled in thrice), not a header
        running |= {at for positions in paced for at in positions}
    return running


def without_page_furniture(text: str) -> str:
    """``text`` with the furniture of the pages it was printed on blanked: page-number lines and a running
    header or footer (``_page_number_lines``, ``_running_lines``). Each such line is blanked with the line
    break before it (spaces: offsets stay), so a page break inside a sentence reads as one line break inside
    it ("774/QĐ-\\n2\\nTTg" as "774/QĐ-   \\nTTg", see continued_lines). A secrecy stamp repeated on every
    page is furniture but for its first copy, which is the draft's stamp."""
    if text.count("\n") < 2 * FURNITURE_MIN_GAP:
        return text
    lines = text.split("\n")
    numbered = _page_number_lines(lines)
    furniture = numbered | _running_lines(lines, numbered)
    if not furniture:
        return text
    from .model import Level  # the one spelling of the levels; model imports this module

    levels = {fold(level.value) for level in Level}
    stamps = sorted(at for at in furniture if fold(lines[at]).strip(" []()*") in levels)
    furniture -= set(stamps[:1])
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = [(starts[at], starts[at] + len(lines[at])) if at == 0 else (starts[at] - 1, starts[at] + len(lines[at]))
             for at in sorted(furniture)]
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)
