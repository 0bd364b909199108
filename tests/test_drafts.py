"""Reading a draft: secrecy stamp, header date and every stated basis, in drafters' wordings."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from cancu.checker.drafts import NamedPattern, draft_date, find_bases, find_stamp, other_references, read_draft

from conftest import MAIL, wrapped_and_quoted

CHECK_DEV = Path(__file__).parent / "data" / "check" / "check-dev.jsonl"
DEV_DRAFTS = [json.loads(line) for line in CHECK_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]

HEADER = "ỦY BAN NHÂN DÂN TỈNH ...\nSỞ Y TẾ\n{stamp}\nSố:     /BC-SYT          ..., ngày 12 tháng 3 năm 2026\nBÁO CÁO\n"
BODY = "Kính gửi: Ủy ban nhân dân tỉnh.\nNội dung báo cáo.\n"


@pytest.mark.parametrize("line, stamp", [
    ("MẬT", "MẬT"),
    ("TỐI MẬT", "TỐI MẬT"),
    ("TUYỆT MẬT", "TUYỆT MẬT"),
    ("Tối mật", "TỐI MẬT"),
    ("T Ố I   M Ậ T", "TỐI MẬT"),
    ("« MẬT »", "MẬT"),
    ("Độ mật: Tối mật", "TỐI MẬT"),
    ("ĐỘ MẬT: TUYỆT MẬT", "TUYỆT MẬT"),
    ("MẬT - KHẨN", "MẬT"),
    ("TOI MAT", "TỐI MẬT"),
])
def test_stamp_lines(line, stamp):
    found = find_stamp(HEADER.format(stamp=line) + BODY)
    assert found is not None and found.stamp == stamp and found.line == 2


@pytest.mark.parametrize("line", ["DỰ THẢO", "BÍ MẬT NHÀ NƯỚC", "Độ mật đề xuất: Tối mật theo khoản 1 Điều 1", "KHẨN", ""])
def test_not_stamps(line):
    assert find_stamp(HEADER.format(stamp=line) + BODY) is None


def test_stamp_in_a_header_column():
    text = "THANH TRA TỈNH ...\nSố:  /BC-TTr          TỐI MẬT\n..., ngày 12 tháng 3 năm 2026\nBÁO CÁO\n" + BODY
    assert find_stamp(text).stamp == "TỐI MẬT"
    assert find_stamp(text.replace("TỐI MẬT", "BÍ MẬT NHÀ NƯỚC")) is None


def test_a_title_about_secret_documents_is_not_a_stamp_typed_after_the_issuer():
    """A level ending a line in capitals is a stamp typed after the issuing body's name, not the end of a
    title or subject line ("… TÀI LIỆU MẬT")."""
    joined = "THANH TRA HUYỆN A MẬT\nSố: 12/BC-TTr\nBÁO CÁO\n" + BODY
    assert find_stamp(joined).stamp == "MẬT"
    for line in ("BIÊN BẢN GIAO NHẬN TÀI LIỆU MẬT", "QUY CHẾ BẢO VỆ TÀI LIỆU TỐI MẬT",
                 "VỀ VIỆC TIÊU HỦY TÀI LIỆU MẬT", "V/V BÀN GIAO TÀI LIỆU MẬT"):
        assert find_stamp(HEADER.format(stamp=line) + BODY) is None, line
    # pasted as one line, the title's last word is not put on a line of its own as a stamp either
    body = "Hôm nay, tại trụ sở Ủy ban nhân dân tỉnh, hai bên đã tiến hành giao nhận các tài liệu theo danh sách. " * 5
    one_line = "ỦY BAN NHÂN DÂN TỈNH A Số: 12/BB-UBND Hà Nội, ngày 12 tháng 3 năm 2024 {} " + body
    assert read_draft(one_line.format("TỐI MẬT BIÊN BẢN GIAO NHẬN")).stamp.stamp == "TỐI MẬT"
    assert read_draft(one_line.format("BIÊN BẢN GIAO NHẬN TÀI LIỆU MẬT")).stamp is None


def test_stamp_words_in_the_body_do_not_count():
    text = HEADER.format(stamp="DỰ THẢO") + BODY + "MẬT\nĐộ mật: Mật, căn cứ Điều 1 Quyết định số 970/QĐ-TTg.\n"
    assert find_stamp(text) is None


def test_header_date_and_minutes_date():
    assert draft_date(HEADER.format(stamp="MẬT") + BODY) == dt.date(2026, 3, 12)
    minutes = "BAN RA ĐỀ THI\nTỐI MẬT\nBIÊN BẢN\nHôm nay, ngày 03/6/2024, tại khu vực làm đề thi, hai bên bàn giao.\n"
    assert draft_date(minutes) == dt.date(2024, 6, 3)
    meeting = "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nBIÊN BẢN\nHội nghị tập huấn\nThời gian: 08 giờ 00 ngày 08/4/2026, tại Hội trường Sở.\n"
    assert draft_date(meeting) == dt.date(2026, 4, 8)
    assert draft_date(meeting.replace("BIÊN BẢN", "KẾ HOẠCH")) is None
    undated = "BAN RA ĐỀ THI\nTỐI MẬT\nPHIẾU TRÌNH\nKính gửi: Trưởng ban.\nNgày 10/01/2024, Tòa án đã xét xử, ngày 05 tháng 3 năm 2024.\n"
    assert draft_date(undated) is None
    opened = "TỔ THẨM ĐỊNH\nBIÊN BẢN\nThẩm định đề thi\nHồi 14 giờ 00 ngày 20/12/2022, Tổ thẩm định tiến hành.\n"
    assert draft_date(opened) == dt.date(2022, 12, 20)
    assert draft_date(opened.replace("BIÊN BẢN", "BÁO CÁO NHANH")) is None  # an incident's hour, not the report's date


@pytest.mark.parametrize("line, day", [
    ("Ngày gửi: 06/4/2026, 16:42", dt.date(2026, 4, 6)),
    ("Date: Mon, 06/04/2026 16:42", dt.date(2026, 4, 6)),
    ("Sent: 2026-04-06 16:42", dt.date(2026, 4, 6)),
])
def test_an_e_mail_is_dated_by_its_own_header(line, day):
    mail = f"Từ: Văn phòng Sở\nĐến: Các phòng\n{line}\nTiêu đề: Lịch họp giao ban\nHọp ngày 13/4/2026 tại Sở.\n"
    assert draft_date(mail) == day
    assert draft_date(mail.replace(line + "\n", "")) is None  # the meeting's date in the body is not the e-mail's


def test_header_with_blank_day_gives_its_month():
    facts = read_draft(HEADER.format(stamp="MẬT").replace("ngày 12 tháng 3", "ngày     tháng 3") + BODY)
    assert (facts.date, facts.month) == (None, dt.date(2026, 3, 1))


def _refs(text: str) -> list[tuple]:
    bases, _ = find_bases(text)
    return [(b.decision, b.article, b.clause, b.point, b.level_list) for b in bases]


@pytest.mark.parametrize("text, expected", [
    ("Căn cứ điểm b khoản 1 Điều 2 Quyết định số 562/QĐ-TTg ngày 10/3/2025 của Thủ tướng Chính phủ.",
     [("562/QĐ-TTg", 2, 1, "b", None)]),
    ("Độ mật: Mật, theo khoản 3 Điều 2 QĐ 970/QĐ-TTg.", [("970/QĐ-TTg", 2, 3, None, None)]),
    ("Căn cứ xác định độ mật: Quyết định 531/QĐ-TTg, Điều 1, khoản 1.", [("531/QĐ-TTg", 1, 1, None, None)]),
    ("Căn cứ xác định độ mật: Quyết định 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ, Điều 1, khoản 2.",
     [("531/QĐ-TTg", 1, 2, None, None)]),
    ("Căn cứ xác định độ mật: Khoản 2, Điều 1, QĐ số 809/QĐ-TTg ngày 10/6/2020 của TTCP.",
     [("809/QĐ-TTg", 1, 2, None, None)]),
    ("(Tài liệu được xác định độ Tối mật theo điểm b khoản 1 Điều 1 Quyết định số 1660/QĐ-TTg ngày 26/10/2020.)",
     [("1660/QĐ-TTg", 1, 1, "b", None)]),
    ("Báo cáo thuộc danh mục bí mật nhà nước độ Mật quy định tại khoản 7 Điều 2 Quyết định số 970/QĐ-TTg.",
     [("970/QĐ-TTg", 2, 7, None, None)]),
    ("Can cu khoan 1 Dieu 2 Quyet dinh so 531/QD-TTg.", [("531/QĐ-TTg", 2, 1, None, None)]),
    ("Căn cứ K.2 Đ.1 QĐ 809/QĐ-TTg của TTCP.", [("809/QĐ-TTg", 1, 2, None, None)]),
    ("Căn cứ điểm đ khoản 2 Điều 1 Quyết định số 774/QĐ-TTg.", [("774/QĐ-TTg", 1, 2, "đ", None)]),
    ("Căn cứ điểm a, b khoản 1 Điều 1 và khoản 2 Điều 2 Quyết định số 774/QĐ-TTg.",
     [("774/QĐ-TTg", 1, 1, "a", None), ("774/QĐ-TTg", 1, 1, "b", None), ("774/QĐ-TTg", 2, 2, None, None)]),
    ("Căn cứ khoản 2 phần “Bí mật nhà nước độ Mật” Quyết định số 531/QĐ-TTg.", [("531/QĐ-TTg", None, 2, None, "Mật")]),
    ("Căn cứ Điều 1 Danh mục bí mật nhà nước lĩnh vực tòa án ban hành kèm theo Quyết định số 970/QĐ-TTg.",
     [("970/QĐ-TTg", 1, None, None, None)]),
    ("Căn cứ khoản 2 Điều 1 QĐ 15/2003/QĐ-TTg.", [("15/2003/QĐ-TTg", 1, 2, None, None)]),
    ("Căn cứ khoản 1 Điều 1 Danh mục bí mật nhà nước độ Tối mật ban hành kèm theo Quyết định số 531/QĐ-TTg.",
     [("531/QĐ-TTg", 1, 1, None, None)]),
    ("Căn cứ Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ ban hành Danh mục bí mật nhà nước "
     "thuộc lĩnh vực giáo dục và đào tạo (khoản 1 Điều 1).", [("531/QĐ-TTg", 1, 1, None, None)]),
    ("Căn cứ Điều 2 khoản 3 QĐ970/QĐ-TTg.", [("970/QĐ-TTg", 2, 3, None, None)]),
    ("Căn cứ khoản 1 danh mục độ Mật, Quyết định số 440/QĐ-TTg.", [("440/QĐ-TTg", None, 1, None, "Mật")]),
    ("Căn cứ Điểm b), Khoản 1, Điều 2, Quyết định số 562/QĐ-TTg.", [("562/QĐ-TTg", 2, 1, "b", None)]),
    # abbreviated as drafters type them: k., Đ., QĐ, "k2", "Đ2"
    ("Căn cứ k2 Đ2 QĐ 19/QĐ-TTg.", [("19/QĐ-TTg", 2, 2, None, None)]),
    ("Căn cứ khoản 2 Đ2 Quyết định số 19/QĐ-TTg.", [("19/QĐ-TTg", 2, 2, None, None)]),
    ("Căn cứ điểm a k1 Điều 2 Quyết định số 562/QĐ-TTg.", [("562/QĐ-TTg", 2, 1, "a", None)]),
    ("Căn cứ k.1 Đ.1 QĐ số 531/QĐ-TTg.", [("531/QĐ-TTg", 1, 1, None, None)]),
    ("Căn cứ K2 Đ 1 QĐ 531/QĐ-TTg.", [("531/QĐ-TTg", 1, 2, None, None)]),
    ("Căn cứ điểm b, k.1, Đ.2 QĐ 562/QĐ-TTg ngày 10/3/2025.", [("562/QĐ-TTg", 2, 1, "b", None)]),
    # split over lines, or inside parentheses
    ("Căn cứ khoản 2\nĐiều 1 Quyết định số\n531/QĐ-TTg ngày 19/5/2023.", [("531/QĐ-TTg", 1, 2, None, None)]),
    ("Căn cứ khoản 1 Điều 1 Quyết định\nsố 531/QĐ-\nTTg của Thủ tướng.", [("531/QĐ-TTg", 1, 1, None, None)]),
    ("Tài liệu thuộc độ Mật (khoản 2 Điều 1 Quyết định số 531/QĐ-TTg).", [("531/QĐ-TTg", 1, 2, None, None)]),
    ("Độ mật: Mật (theo QĐ 531/QĐ-TTg, k2 Đ1).", [("531/QĐ-TTg", 1, 2, None, None)]),
    ("(căn cứ: k1, Đ1,\nQĐ số 809/QĐ-TTg)", [("809/QĐ-TTg", 1, 1, None, None)]),
])
def test_basis_wordings(text, expected):
    assert _refs(text) == expected


@pytest.mark.parametrize("text", [
    "Báo cáo được xác định độ Tối mật căn cứ Luật Bảo vệ bí mật nhà nước ngày 15/11/2018.",
    "Căn cứ khoản 2 Điều 3 Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ, Quyết định 531/QĐ-TTg.",
    "Căn cứ Điều 5 Quy chế bảo vệ bí mật nhà nước của Ủy ban nhân dân tỉnh.",
    "Căn cứ Quyết định số 531/QĐ-TTg của Thủ tướng Chính phủ.",
    "Bị cáo bị truy tố theo khoản 1 Điều 173 Bộ luật Hình sự; Quyết định số 970/QĐ-TTg quy định danh mục.",
    "Căn cứ khoản 2 Điều 1 Quyết định số 86/QĐ-TTr ngày 19/9/2022 của Thanh tra tỉnh.",
    "Điều 1. Thành lập Tổ soạn thảo theo Quyết định số 531/QĐ-TTg.",
    "Căn cứ khoản 2 Quyết định 531/QĐ-TTg.",
    "Căn cứ Quyết định số 531/QĐ-TTg, Điều 1 của Quy chế bảo vệ bí mật nhà nước.",
    "Căn cứ Quyết định số 531/QĐ-TTg của Thủ tướng Chính phủ; Điều 1 Quyết định số .../QĐ-BKHCN.",
    "Căn cứ danh mục bí mật nhà nước độ Mật, Quyết định số 440/QĐ-TTg.",
    # a lower-case or stuck "đ"/"D" before a number is not "Điều": đồng, exam blocks, "QĐ2"
    "Lệ phí 500.000 đ 2 lần theo Quyết định số 531/QĐ-TTg.",
    "Thí sinh khối D1 theo Quyết định số 531/QĐ-TTg.",
    "Căn cứ QĐ2 và Quyết định số 531/QĐ-TTg.",
    "Căn cứ khoản 2 Điều 3 Nghị định số 26/2020/NĐ-CP (k2 Đ3 NĐ 26/2020/NĐ-CP), Quyết định 531/QĐ-TTg.",
])
def test_not_bases(text):
    assert _refs(text) == []


def test_decisions_named_without_article_and_other_references():
    bases, named = find_bases("Căn cứ Quyết định số 531/QĐ-TTg của Thủ tướng Chính phủ.")
    assert bases == [] and named == ["531/QĐ-TTg"]
    sentence = "Báo cáo được xác định độ Tối mật căn cứ Luật Bảo vệ bí mật nhà nước và Quy chế bảo vệ bí mật nhà nước."
    assert other_references(sentence) == ["luật", "quy chế"]


def test_basis_keeps_cited_date_and_short_evidence():
    text = "Tổ trưởng kính trình. Căn cứ điểm b khoản 1 Điều 2 Quyết định số 562/QĐ-TTg ngày 10/3/2025 của Thủ tướng Chính phủ."
    [basis], _ = find_bases(text)
    assert basis.cited_date == dt.date(2025, 3, 10)
    assert basis.evidence == "điểm b khoản 1 Điều 2 Quyết định số 562/QĐ-TTg ngày 10/3/2025"
    assert basis.reference == "điểm b khoản 1 Điều 2 Quyết định số 562/QĐ-TTg"


def test_patterns_check_their_examples():
    with pytest.raises(ValueError, match="does not match its example"):
        NamedPattern("broken", re.compile(r"^dieu \d+$"), matches=("khoản 1",))
    with pytest.raises(ValueError, match="matches its counterexample"):
        NamedPattern("broken", re.compile(r"dieu"), matches=("Điều 1",), excludes=("điều chỉnh",))


@pytest.mark.parametrize("draft", DEV_DRAFTS, ids=[d["id"] for d in DEV_DRAFTS])
def test_dev_drafts_stamp_basis_and_date(draft):
    facts = read_draft(draft["text"])
    assert (facts.stamp.stamp if facts.stamp else None) == draft["expected"]["stamp"]
    assert bool(facts.bases) == draft["expected"]["has_basis"]
    if facts.date is not None:  # dc-007 has no date; dc-012 only "Hôm nay, ngày 03/6/2024"
        assert facts.date == dt.date.fromisoformat(draft["date"])


def test_a_forwarded_e_mail_is_read_as_the_draft_it_quotes():
    """The e-mail's header, then the draft hard-wrapped mid-sentence and quoted with "> ": same stamp,
    date, bases and other references; the e-mail's date only when the draft has none."""
    def facts(text: str) -> tuple:
        found = read_draft(text)
        return (found.stamp and found.stamp.stamp, found.date, found.month, found.decisions_without_article,
                found.other_references, [(b.decision, b.article, b.clause, b.point, b.cited_date) for b in found.bases])

    for draft in DEV_DRAFTS:
        written = facts(draft["text"])
        for width in (40, 60):
            quoted = wrapped_and_quoted(draft["text"], width)
            assert facts(quoted) == written, (draft["id"], width)
            forwarded = facts(MAIL + quoted)
            if written[1] is None and written[2] is None:
                assert forwarded[1] == dt.date(2024, 10, 14), draft["id"]
                forwarded = (forwarded[0], None) + forwarded[2:]
            assert forwarded == written, (draft["id"], width)
