"""Drafts in the forms agencies send them: tables copied with tab cells, minutes with speaker turns,
text partly (or wholly) typed without diacritics, quoted in an e-mail reply under the sender's note,
with the no-break, doubled and zero-width spaces of Word, web pages and PDF text layers; pasted as one line
(line breaks lost), with words hyphenated across line ends, the header in Title Case or with the national
motto in its right-hand column, pasted twice by mistake, printed on pages (a page number, a running header
or footer on each page, a page break inside a sentence).

The same draft in another form is the same draft: `classify` reads the same date and gives the same
level, `cancu check` reads the same stamp, date and stated basis.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

from cancu.checker.drafts import read_draft
from cancu.classifier import classify
from cancu.classifier.conditions import FAILED, evaluate
from cancu.classifier.textprep import prepare
from cancu.ingest.conditions import ItemCondition
from cancu.ingest.dates import draft_date
from cancu.ingest.text import draft_text, fold, has_bare_syllable, relined, typed_bare

from conftest import partly_stripped, replied, speaker_turns, tab_cells, without_diacritics

CHECK_DEV = Path(__file__).parent / "data" / "check" / "check-dev.jsonl"


def hyphenated(text: str, width: int = 70) -> str:
    """Sentence lines wrapped at ``width`` as a justified PDF or Word export does, a break between two
    lower-case syllables written with a hyphen ("thông-\ntin")."""
    def wrap(line: str) -> str:
        sentence = len(line.split()) >= 10 and line.rstrip().removesuffix("/.")[-1:] in ".;:!?"
        pieces = textwrap.wrap(line, width) if sentence else [line]
        return "".join(a + ("-\n" if a[-1].islower() and b[0].islower() else "\n") for a, b in zip(pieces, pieces[1:])) + pieces[-1]
    return "\n".join(wrap(line) for line in text.split("\n"))


def title_case_header(text: str) -> str:
    """Each line in capitals (issuing body, title, stamp) typed in Title Case: "Sở Y Tế", "Báo Cáo"."""
    def title(line: str) -> str:
        letters = [ch for ch in line if ch.isalpha()]
        capitals = len(letters) > 3 and all(ch.isupper() for ch in letters)
        return " ".join(word[:1] + word[1:].lower() for word in line.split(" ")) if capitals else line
    return "\n".join(title(line) for line in text.split("\n"))


def motto_column(text: str) -> str:
    """A two-column header copied as plain text: the national motto beside the issuing body's lines."""
    lines = text.split("\n")
    lines[0] += " " * 12 + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    lines.insert(1, " " * 40 + "Độc lập - Tự do - Hạnh phúc")
    return "\n".join(lines)


def on_pages(text: str, top=lambda k, m: [], bottom=lambda k, m: [], wrapped: bool = False) -> str:
    """The draft as the text layer of a PDF prints it: sentence lines wrapped if ``wrapped`` (``hyphenated``),
    cut into three pages or more (so a page break falls inside sentences and citations), each with the lines
    ``top(k, m)`` above and ``bottom(k, m)`` below (page k of m)."""
    text = hyphenated(text) if wrapped else text
    lines = text.split("\n")
    size = max(4, len(lines) // 3)
    pages = [lines[at:at + size] for at in range(0, len(lines), size)]
    return "\n".join(line for k, page in enumerate(pages, 1)
                     for line in [*top(k, len(pages)), *page, *bottom(k, len(pages))])


RUNNING_HEADER = "SỞ Y TẾ TỈNH AN GIANG - DỰ THẢO"
FORMS = {
    "tab cells": tab_cells,
    "speaker turns": speaker_turns,
    "every other line bare, from the first": lambda text: partly_stripped(text, 0),
    "every other line bare, from the second": lambda text: partly_stripped(text, 1),
    "all bare": without_diacritics,
    "no-break spaces (Word, web pages)": lambda text: text.replace(" ", "\u00a0"),
    "two spaces between words": lambda text: text.replace(" ", "  "),
    "zero-width spaces and a byte-order mark": lambda text: "\ufeff" + text.replace(" ", " \u200b"),
    "line breaks as CR alone (old Mac text)": lambda text: text.replace("\n", "\r"),
    "quoted in a reply under a note": replied,
    "quoted under a note and an Outlook header": lambda text: replied(text, 1),
    "words hyphenated across line ends": hyphenated,
    "header in Title Case": title_case_header,
    "the motto in the header's right-hand column": motto_column,
    "pasted twice by mistake": lambda text: text + "\n\n" + text,
    "the stamp in a box": lambda text: re.sub(r"(?m)^((?:TUYỆT |TỐI )?MẬT)$", r"[\1]", text),
    "the stamp as a field": lambda text: re.sub(r"(?m)^((?:TUYỆT |TỐI )?MẬT)$", lambda m: "Độ mật: " + m[1].capitalize(), text),
    "on pages, a number at each foot": lambda text: on_pages(text, bottom=lambda k, m: [str(k)]),
    "on pages, '- n -' from the second, lines wrapped": lambda text: on_pages(
        text, top=lambda k, m: [f"- {k} -"] if k > 1 else [], wrapped=True),
    "on pages, a number from the second, lines wrapped": lambda text: on_pages(
        text, top=lambda k, m: [str(k)] if k > 1 else [], wrapped=True),
    "on pages, a running header and 'Trang n/m'": lambda text: on_pages(
        text, top=lambda k, m: [RUNNING_HEADER], bottom=lambda k, m: [f"Trang {k}/{m}"], wrapped=True),
    "on pages, a file name and 'n/m' at each foot": lambda text: on_pages(
        text, bottom=lambda k, m: ["du-thao-v3.docx", f"{k}/{m}"], wrapped=True),
}


def test_a_draft_in_another_form_gets_its_date_and_level(dev_drafts, kb):
    for draft_id in ("d-004", "d-015", "d-016", "d-017", "d-022"):
        text = dev_drafts[draft_id]["text"]
        written = classify(text, kb)  # the date read from the draft, not given
        assert written.as_of_source == "header" and written.level, draft_id
        for name, form in FORMS.items():
            other = classify(form(text), kb)
            assert (other.as_of, other.as_of_source) == (written.as_of, written.as_of_source), (draft_id, name)
            assert other.level == written.level, (draft_id, name)


def test_check_reads_the_same_stamp_date_and_basis_in_every_form():
    def facts(text: str) -> tuple:
        found = read_draft(text)
        # "điểm đ" typed without diacritics is "diem d": the point letter is compared folded
        return (found.stamp and found.stamp.stamp, found.date, found.month, found.decisions_without_article,
                [(b.decision, b.article, b.clause, fold(b.point or ""), b.cited_date) for b in found.bases])

    drafts = [json.loads(line) for line in CHECK_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sum(bool(facts(d["text"])[4]) for d in drafts) >= 6  # most state a basis: the comparison can fail
    for draft in drafts:
        written = facts(draft["text"])
        for name, form in FORMS.items():
            assert facts(form(draft["text"])) == written, (draft["id"], name)


def test_a_date_typed_without_diacritics_or_in_words_after_hom_nay_is_read():
    header = "SỞ Y TẾ\nSố: 12/BC-SYT\n{}\nBÁO CÁO\nKính gửi: Ủy ban nhân dân tỉnh."
    for line in ("Hà Nội, ngày 12 tháng 3 năm 2026", "Ha Noi, ngay 12 thang 3 nam 2026",
                 "HA NOI, NGAY 12 THANG 3 NAM 2026"):
        assert draft_date(header.format(line)) == dt.date(2026, 3, 12), line
    for opening in ("Hôm nay, ngày 03 tháng 6 năm 2024, tại Sở", "Hom nay, ngay 03 thang 6 nam 2024, tai So",
                    "Hôm nay, ngày 03/6/2024, tại Sở"):
        assert draft_date("BIÊN BẢN\nHọp tổ ra đề\n" + opening) == dt.date(2024, 6, 3), opening


def test_a_line_typed_without_diacritics_is_read_folded_even_in_an_accented_draft():
    text = ("KẾ HOẠCH\nTổ chức kỳ thi tốt nghiệp trung học phổ thông năm 2025 tại các điểm thi của tỉnh.\n"
            "DE THI, DAP AN\nĐề thi và đáp án được bảo quản tại phòng có khóa.\n1.")
    accented = {s.text.strip(): s.accented for s in prepare(text)}
    assert accented["DE THI, DAP AN"] is False  # short, no syllable marked: typed without diacritics
    assert accented["KẾ HOẠCH"] is True and accented["1."] is True  # a marked line; a number keeps the draft's way


def test_a_condition_stated_on_a_line_typed_without_diacritics_is_read():
    not_public = ItemCondition("condition", "not_public", "chưa công khai", 0, 14, {})
    region = ("Đề thi môn Toán kỳ thi tốt nghiệp gồm 50 câu trắc nghiệm, đáp án kèm theo.\n"
              "De thi nay da duoc cong bo tren cong thong tin dien tu cua Bo.")
    assert evaluate(not_public, region).state == FAILED
    assert evaluate(not_public, region.replace("da duoc cong bo", "đã được công bố")).state == FAILED


def test_only_syllables_vietnamese_never_writes_bare_count_as_typed_without_diacritics():
    for word in ("hoc", "quoc", "viet", "thuc", "tien", "nguyen", "duoc", "truong", "nguoi", "QUOC", "Quoc"):
        assert typed_bare(word), word
    # written so in Vietnamese, with diacritics, or an abbreviation
    for word in ("thi", "sinh", "gia", "cong", "bo", "gieo", "hoa", "học", "quốc", "CAT", "HOC", "SYT", "THPT", "2025"):
        assert not typed_bare(word), word
    # a short upper-case word is an abbreviation among lower-case words, a word in a line in capitals
    assert not has_bare_syllable("Đồng chí Giám đốc CAT tỉnh chủ trì.")
    assert has_bare_syllable("TỔ RA ĐỀ MÔN HÓA HOC")


def test_a_sentence_with_words_typed_without_diacritics_is_read_folded():
    text = ("BÁO CÁO\nĐề thi chon hoc sinh giỏi quốc gia môn Toán đã hoàn thành.\n"
            "Đề thi chọn học sinh giỏi quốc gia môn Toán đã hoàn thành.")
    accented = [s.accented for s in prepare(text)]
    assert accented == [True, False, True]


def test_words_typed_without_diacritics_inside_a_sentence_meet_the_catalog(kb):
    written = "Tổ ra đề đã hoàn thành đề thi chính thức và đáp án kỳ thi chọn học sinh giỏi quốc gia, chưa công khai."
    # the item's own words typed bare, the rest of the sentence with its marks
    mixed = "Tổ ra đề đã hoàn thành de thi chinh thuc và dap an ky thi chon hoc sinh gioi quoc gia, chưa công khai."
    day = dt.date(2024, 12, 12)
    first = classify(written, kb, as_of=day).proposals
    other = classify(mixed, kb, as_of=day).proposals
    assert first and other and first[0].citation == other[0].citation
    found = {word.lower() for evidence in other[0].evidence for word in evidence.matched_words}
    assert {"hoc sinh", "quoc gia"} & found  # the words typed bare are evidence too


def test_a_draft_pasted_as_one_line_gets_its_date_level_and_stamp(dev_drafts, kb):
    """Line breaks lost (a web form, a PDF viewer's copy, one of the 36 real documents): the breaks are
    put back before sentences, list items, line openings and around runs of capitals."""
    for draft_id in ("d-004", "d-016", "d-017", "d-022", "d-009", "d-001"):
        text = dev_drafts[draft_id]["text"]
        written, one_line = classify(text, kb), classify(text.replace("\n", " "), kb)
        assert (one_line.as_of, one_line.as_of_source) == (written.as_of, written.as_of_source), draft_id
        assert one_line.level == written.level, draft_id
    for draft in (json.loads(line) for line in CHECK_DEV.read_text(encoding="utf-8").splitlines() if line.strip()):
        written, one_line = read_draft(draft["text"]), read_draft(draft["text"].replace("\n", " "))
        assert (one_line.stamp and one_line.stamp.stamp, one_line.date) == (written.stamp and written.stamp.stamp,
                                                                            written.date), draft["id"]
        assert [(b.decision, b.article, b.clause, b.point) for b in one_line.bases] == [
            (b.decision, b.article, b.clause, b.point) for b in written.bases], draft["id"]


def test_line_breaks_are_put_back_only_where_they_were_lost_and_offsets_stay():
    one_line = ("SỞ Y TẾ BÁO CÁO Kết quả kiểm tra năm 2025 Kính gửi: Ủy ban nhân dân tỉnh. Đoàn đã kiểm tra "
                "05 bệnh viện. 1. Ưu điểm: hồ sơ đầy đủ; 2. Tồn tại: chưa có nội quy. Nơi nhận: Như trên. " * 3)
    lines = relined(one_line).split("\n")
    assert len(relined(one_line)) == len(one_line)  # one character for one: evidence offsets stay the draft's
    assert lines[:4] == ["SỞ Y TẾ", "BÁO CÁO", "Kết quả kiểm tra năm 2025", "Kính gửi: Ủy ban nhân dân tỉnh."]
    assert "1. Ưu điểm: hồ sơ đầy đủ;" in lines and "BÍ MẬT" not in relined("Bảo vệ BÍ MẬT NHÀ NƯỚC. " * 40).split("\n")
    written = "SỞ Y TẾ\nBÁO CÁO\n" + "Đoàn đã kiểm tra 05 bệnh viện. Kết quả tốt. " * 40
    assert relined(written) == written  # a draft with its lines is read as it is


def test_a_hyphen_at_a_line_end_joins_a_word_but_not_a_number():
    assert draft_text("cung cấp thông-\ntin cho") == "cung cấp thông \ntin cho"
    for kept in ("Quyết định số 531/QĐ-\nTTg", "Sở Lao động -\nThương binh", "năm 2020-\n2025"):
        assert draft_text(kept) == kept


def test_a_draft_pasted_twice_is_read_once_and_a_basis_stated_twice_is_one():
    draft = json.loads(CHECK_DEV.read_text(encoding="utf-8").splitlines()[0])
    twice = draft["text"] + "\n\n" + draft["text"]
    assert draft_text(twice).strip() == draft["text"].strip() and len(draft_text(twice)) == len(twice)
    assert len(read_draft(twice).bases) == len(read_draft(draft["text"]).bases) >= 1
