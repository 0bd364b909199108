"""Page furniture of PDF text layers: a running header or footer and a page number on every page read as
nothing, in a real multi-page PDF (built with pypdf) and in text copied from one.

The same draft printed on pages is the same draft: `classify` reads the same date and level, `cancu check`
the same stamp, date and basis; and a lone number that is not one of a run of page numbers (a table's cell)
is read as written.
"""

from __future__ import annotations

import re

from cancu.checker.drafts import read_draft
from cancu.classifier import classify
from cancu.ingest.readers import read_file
from cancu.ingest.text import draft_text, without_page_furniture

from test_check import DEV, make_pages_pdf
from test_forms import hyphenated


HEADER = "SỞ Y TẾ TỈNH AN GIANG - DỰ THẢO"


def basis_facts(text: str) -> tuple:
    found = read_draft(text)
    return (found.stamp and found.stamp.stamp, found.date,
            [(b.decision, b.article, b.clause, b.point, b.cited_date) for b in found.bases])


def split_in_a_citation(text: str) -> tuple[list[str], list[str]] | None:
    """The draft's lines cut in two pages inside its first "…/QĐ-TTg": page one ends with "…/QĐ-"."""
    match = re.search(r"\d+/QĐ-(?=TTg)", text)
    if not match:
        return None
    before, after = text[:match.end()], text[match.end():]
    return before.split("\n"), after.split("\n")


def paged(text: str) -> list[list[str]]:
    """The draft's lines (sentence lines wrapped as a PDF export does) on three pages or more."""
    lines = hyphenated(text).split("\n")
    size = max(4, len(lines) // 3)
    return [lines[at:at + size] for at in range(0, len(lines), size)]


def test_a_page_break_inside_a_citation_reads_as_a_line_break_inside_it():
    split = 0
    for draft in DEV.values():
        pages = split_in_a_citation(draft["text"])
        if not pages:
            continue
        written = basis_facts(draft["text"])
        assert written[2], draft["id"]  # the draft states its basis: the comparison can fail
        for number in ("- 2 -", "Trang 1/2", "Trang 2"):
            text = "\n".join(pages[0] + [number] + pages[1])
            assert len(draft_text(text)) == len(text)  # one character for one: evidence offsets stay the draft's
            assert basis_facts(text) == written, (draft["id"], number)
        split += 1
    assert split >= 6


def test_a_multi_page_pdf_reads_as_the_draft_without_its_running_header_and_page_numbers(tmp_path, dev_drafts, kb):
    for draft_id in ("d-004", "d-015", "d-016", "d-022"):
        text = dev_drafts[draft_id]["text"]
        written = classify(text, kb)
        pages = paged(text)
        assert len(pages) >= 3
        pdf = make_pages_pdf(tmp_path / f"{draft_id}.pdf",
                             [[HEADER, *page, f"Trang {k}/{len(pages)}"] for k, page in enumerate(pages, 1)])
        read = read_file(pdf).text
        assert HEADER not in read and "Trang " not in read, draft_id
        other = classify(read, kb)
        assert (other.as_of, other.as_of_source, other.level) == (written.as_of, written.as_of_source, written.level)
        assert [p.citation for p in other.proposals[:1]] == [p.citation for p in written.proposals[:1]], draft_id


def test_a_pdf_page_number_inside_a_citation_and_a_stamp_on_every_page(tmp_path):
    checked = 0
    for draft in DEV.values():
        pages = split_in_a_citation(draft["text"])
        if not pages:
            continue
        written = basis_facts(draft["text"])
        # a bare number at the foot of each page, the page's own: "774/QĐ-" / "1" / "TTg"
        pdf = make_pages_pdf(tmp_path / f"{draft['id']}.pdf", [pages[0] + ["1"], pages[1] + ["2"]])
        assert basis_facts(read_file(pdf).text) == written, draft["id"]
        checked += 1
    assert checked >= 6
    stamped = make_pages_pdf(tmp_path / "stamped.pdf", [["MẬT", "SỞ Y TẾ", "Số: 12/BC-SYT", "BÁO CÁO"],
                                                       ["MẬT", "Đề thi chưa công bố.", "Nơi nhận: Như trên."]])
    read = read_file(stamped).text
    assert read.split("\n").count("MẬT") == 1 and read_draft(read).stamp.stamp == "MẬT"


def test_a_lone_number_that_does_not_number_the_pages_is_read_as_written(tmp_path):
    # a table copied cell by cell in the middle of a report: its row numbers count up from where it starts
    prose = [f"Đoàn kiểm tra đã làm việc với đơn vị thứ {n} theo kế hoạch của Sở." for n in range(12)]
    rows = [cell for n in (1, 2, 3) for cell in (str(n), f"Trường {n}", "Đạt", "Không", "Ghi chú")]
    text = "\n".join(prose + rows + prose)
    assert without_page_furniture(text) == text
    assert without_page_furniture("\n".join(prose + ["Trả lời:"] + prose[:3] + ["Trả lời:"] + prose[:3])) \
        == "\n".join(prose + ["Trả lời:"] + prose[:3] + ["Trả lời:"] + prose[:3])  # twice: a label, not a header
    # in a PDF, a number at a page's edge that is not the page's own and follows no page order stays
    pdf = make_pages_pdf(tmp_path / "numbers.pdf", [prose[:5] + ["15"], prose[5:10] + ["40"]])
    assert read_file(pdf).text.split("\n").count("15") == 1


def test_page_numbers_and_running_lines_are_blanked_with_offsets_kept():
    pages = [[f"Nội dung dòng {k}.{n} của văn bản." for n in range(6)] for k in range(1, 5)]
    text = "\n".join(line for k, page in enumerate(pages, 1) for line in [HEADER, *page, str(k)])
    read = without_page_furniture(text)
    assert len(read) == len(text) and HEADER not in read
    assert [line.strip() for line in read.split("\n") if line.strip()] == [line for page in pages for line in page]


def test_a_block_of_text_repeated_is_not_a_running_header():
    # a form filled in three times: each of its lines recurs at a steady pace, as no header does
    form = [f"Đơn vị {n}: đã nộp báo cáo kết quả kiểm tra theo kế hoạch của Sở." for n in range(10)]
    text = "\n".join(form * 3)
    assert without_page_furniture(text) == text
    headed = "\n".join(line for k in range(3) for line in [HEADER, *(f"{k}. {line}" for line in form)])
    assert HEADER not in without_page_furniture(headed)  # one line a page is
