"""Drafts in the forms agencies send them: tables copied with tab cells, minutes with speaker turns,
text partly (or wholly) typed without diacritics, quoted in an e-mail reply under the sender's note,
with the no-break, doubled and zero-width spaces of Word, web pages and PDF text layers.

The same draft in another form is the same draft: `classify` reads the same date and gives the same
level, `cancu check` reads the same stamp, date and stated basis.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cancu.checker.drafts import read_draft
from cancu.classifier import classify
from cancu.classifier.conditions import FAILED, evaluate
from cancu.classifier.textprep import prepare
from cancu.ingest.conditions import ItemCondition
from cancu.ingest.dates import draft_date
from cancu.ingest.text import fold, has_bare_syllable, typed_bare

from conftest import partly_stripped, replied, speaker_turns, tab_cells, without_diacritics

CHECK_DEV = Path(__file__).parent / "data" / "check" / "check-dev.jsonl"
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
