"""The proposal for the Phiếu trình: built from a real classification and the real KB, opened as .docx."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cancu.classifier import classify
from cancu.classifier.model import Classification
from cancu.cli import cli
from cancu.kb.laws import load_laws
from cancu.proposal import build_proposal, draft_title, legal_ground, to_docx, to_markdown, to_text

DRAFTS = Path(__file__).parent / "data" / "drafts"
EXAM_CITATION = "khoản 1 Điều 1 Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ"
GROUND = "khoản 1 Điều 2 Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ"


@pytest.fixture(scope="module")
def laws(kb_path):
    return load_laws(kb_path)


@pytest.fixture(scope="module")
def exam_draft() -> str:
    return (DRAFTS / "d-008.txt").read_text(encoding="utf-8")


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_docx_proposal_holds_level_basis_term_decision_ground_and_fields(kb, laws, exam_draft):
    result = classify(exam_draft, kb, as_of=dt.date(2024, 12, 12))
    document = build_proposal(result, kb, laws, title=draft_title(exam_draft))
    paragraphs = _paragraphs(to_docx(document))
    text = "\n".join(paragraphs)
    assert "Đề xuất người đứng đầu cơ quan, tổ chức xác định thông tin trong văn bản là bí mật nhà nước, " \
           "độ “Tối mật”." in paragraphs
    assert any(p.startswith(EXAM_CITATION + " (độ Tối mật): “Đề thi chính thức") for p in paragraphs)
    assert "20 năm đối với bí mật nhà nước độ Tối mật (điểm b khoản 1 Điều 19 Luật số 29/2018/QH14" in text
    assert "còn hiệu lực vào ngày 12/12/2024" in text
    assert GROUND + ":" in paragraphs
    law_text = next(row for row in laws.provision("26/2020/NĐ-CP", 2, 1).text.splitlines())
    assert f"“{law_text}”" in paragraphs  # the KB's words, not ours
    for label in ("Nơi nhận: ", "Số lượng bản phát hành: ", "Sao, chụp: ", "Người soạn thảo: "):
        assert any(p.startswith(label) for p in paragraphs), label
    assert "Tên, trích yếu văn bản: Báo cáo kết quả hoàn thiện đề thi môn Hóa học" in paragraphs
    assert "Điều kiện: “chưa công khai”" in paragraphs  # the item's own condition, for the drafter to confirm
    assert "không thay thế quyết định của người đứng đầu cơ quan" in text
    # alternatives are listed apart and never as the basis
    basis = text.split("Căn cứ xác định độ mật")[1].split("Quyết định ban hành danh mục")[0]
    assert all(b.citation in basis for b in document.bases)
    assert all(a.citation not in basis for a in document.alternatives)


def test_not_in_any_catalog_cites_nothing(kb, laws):
    nothing = Classification(as_of=dt.date(2024, 12, 12), as_of_source="option", level=None, proposals=())
    document = build_proposal(nothing, kb, laws, title=None)
    text = to_text(document)
    assert "KHÔNG thuộc danh mục bí mật nhà nước nào có hiệu lực vào ngày 12/12/2024" in text
    assert "Quyết định số" not in text and "Nghị định số" not in text and "Nơi nhận" not in text
    draft = (DRAFTS / "thong-bao-nghi-tet.txt").read_text(encoding="utf-8")
    real = build_proposal(classify(draft, kb), kb, laws)
    assert real.bases == () and real.ground is None


def test_review_items_are_shown_but_never_the_basis(kb, laws, exam_draft):
    result = classify(exam_draft, kb, as_of=dt.date(2024, 12, 12))
    accepted = result.proposals[0]
    review_only = dataclasses.replace(result, level=None, proposals=())
    review_only = _with_review(review_only, accepted)
    text = to_markdown(build_proposal(review_only, kb, laws))
    assert "## Cần xem xét (không ghi làm căn cứ)" in text
    assert f"- {EXAM_CITATION} (độ Tối mật)" in text.split("## Cần xem xét")[1]
    assert "Căn cứ xác định độ mật" not in text and "Nghị định số" not in text


def _with_review(result: Classification, item):
    """The classifier's review band (a `review` field, added by the classifier work) or a stand-in."""
    if any(f.name == "review" for f in dataclasses.fields(result)):
        return dataclasses.replace(result, review=(item,))

    class WithReview:
        def __init__(self, base):
            self.__dict__.update({f.name: getattr(base, f.name) for f in dataclasses.fields(base)})
            self.review = (item,)

    return WithReview(result)


@pytest.mark.parametrize(
    "day,cited",
    [(dt.date(2024, 12, 12), True), (dt.date(2020, 6, 30), False), (dt.date(2026, 3, 5), False)],
)
def test_the_legal_ground_is_cited_only_when_the_kb_is_sure(laws, day, cited):
    provision, note = legal_ground(laws, day)
    assert (provision is not None) == cited
    if cited:
        assert provision.citation == GROUND
    else:
        assert note and "26/2020/NĐ-CP" in note
    if day >= dt.date(2026, 3, 1):
        assert "63/2026/NĐ-CP" in note and "Kho chưa chắc" in note


def test_after_the_new_law_the_proposal_says_it_is_unsure(kb, laws, exam_draft):
    result = classify(exam_draft, kb, as_of=dt.date(2026, 3, 5))
    text = to_text(build_proposal(result, kb, laws, title=draft_title(exam_draft)))
    assert GROUND not in text and "Kho chưa chắc văn bản nào quy định thủ tục đề xuất độ mật" in text
    assert "Luật số 117/2025/QH15" in text and "không ghi số năm" in text  # no invented term


@pytest.mark.parametrize(
    "header,expected",
    [
        ("BỘ Y TẾ\nKẾ HOẠCH\nPhòng, chống dịch bệnh", "Kế hoạch phòng, chống dịch bệnh"),
        ("UBND TỈNH X\nSố: 12/UBND-VP\nV/v báo cáo số liệu", "V/v báo cáo số liệu"),
        ("Một đoạn văn bình thường.\nKhông có tên loại.", None),
    ],
)
def test_draft_title(header, expected):
    assert draft_title(header) == expected


def test_cli_de_xuat_writes_docx_and_markdown(kb_path, tmp_path, exam_draft):
    draft = tmp_path / "bao-cao.txt"
    draft.write_text(exam_draft, encoding="utf-8")
    target = tmp_path / "de-xuat.docx"
    runner = CliRunner()
    result = runner.invoke(cli, ["de-xuat", str(draft), "--db", str(kb_path), "--as-of", "2024-12-12",
                                 "--format", "docx", "--output", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert any(p.startswith(EXAM_CITATION) for p in _paragraphs(target.read_bytes()))
    result = runner.invoke(cli, ["de-xuat", str(draft), "--db", str(kb_path), "--as-of", "12/12/2024",
                                 "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith("# ĐỀ XUẤT XÁC ĐỊNH BÍ MẬT NHÀ NƯỚC VÀ ĐỘ MẬT\n")
    assert f"- {EXAM_CITATION} (độ Tối mật)" in result.output


def test_cli_errors_and_usage_are_vietnamese(kb_path, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["classify", "x.txt", "--khong-co"], prog_name="cancu")
    assert bad.exit_code == 2
    assert "Cách dùng: cancu classify [TÙY CHỌN] TỆP..." in bad.output
    assert "Lỗi: Không có tùy chọn '--khong-co'." in bad.output
    bad = runner.invoke(cli, ["check", str(tmp_path), "--format", "pdf"], prog_name="cancu")
    assert "Giá trị không hợp lệ cho '--format': 'pdf' không thuộc các giá trị" in bad.output
    missing = runner.invoke(cli, ["de-xuat", str(tmp_path / "khong-co.txt"), "--db", str(kb_path)])
    assert missing.exit_code == 1 and "Lỗi:" in missing.output and "khong-co.txt" in missing.output


@pytest.mark.parametrize("command", ["classify", "check", "de-xuat"])
def test_one_format_and_output_pair(command):
    flat = " ".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
    assert "--format [" in flat and "-o, --output TỆP Ghi kết quả ra tệp thay vì màn hình ('-': màn hình)." in flat


def test_classify_format_md_and_json_alias(kb_path, tmp_path, exam_draft):
    draft = tmp_path / "a.txt"
    draft.write_text(exam_draft, encoding="utf-8")
    out = tmp_path / "ket-qua.md"
    result = CliRunner().invoke(cli, ["classify", str(draft), "--db", str(kb_path), "--as-of", "2024-12-12",
                                      "--format", "md", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    markdown = out.read_text(encoding="utf-8")
    assert f"— {EXAM_CITATION} (độ khớp 0," in markdown and "Đoạn trong dự thảo" in markdown
    legacy = CliRunner().invoke(cli, ["classify", str(draft), "--db", str(kb_path), "--json"])
    assert legacy.output.lstrip().startswith("{") and '"as_of"' in legacy.output


def test_tra_cuu_ranks_items_in_force_and_marks_unknown_status(kb_path):
    from cancu.questions import ask, is_question

    assert is_question("Đề thi tốt nghiệp THPT có phải là bí mật nhà nước độ Tối mật không?")
    assert not is_question((DRAFTS / "d-008.txt").read_text(encoding="utf-8"))
    answer = ask("Đề thi tốt nghiệp THPT có phải là bí mật nhà nước độ Tối mật không?", kb_path,
                 as_of=dt.date(2024, 12, 12))
    assert answer.items[0].citation == EXAM_CITATION and answer.level == "Tối mật"
    bank = ask("ngân hàng", kb_path, as_of=dt.date(2024, 12, 12), limit=30)
    unknown = [item.status_unknown for item in bank.items]
    assert any(unknown) and unknown == sorted(unknown)
    result = CliRunner().invoke(cli, ["tra-cuu", "Danh mục bí mật nhà nước độ Mật lĩnh vực y tế gồm những gì?",
                                      "--db", str(kb_path), "--as-of", "2025-01-01"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Danh mục được hỏi: 440/QĐ-TTg" in result.output
    assert all("440/QĐ-TTg" in line and line.startswith(("1. MẬT", "2. MẬT"))
               for line in result.output.splitlines() if line[:2] in ("1.", "2.", "3."))


def test_first_command_says_it_builds_the_knowledge_base(tmp_path, exam_draft):
    draft = tmp_path / "a.txt"
    draft.write_text(exam_draft, encoding="utf-8")
    fresh = tmp_path / "moi" / "cancu.db"
    first = CliRunner().invoke(cli, ["tra-cuu", "đề thi", "--db", str(fresh)], catch_exceptions=False)
    assert first.exit_code == 0 and "Đang dựng kho danh mục" in first.stderr and fresh.exists()
    again = CliRunner().invoke(cli, ["tra-cuu", "đề thi", "--db", str(fresh)], catch_exceptions=False)
    assert "Đang dựng kho danh mục" not in again.stderr


def test_every_draft_date_source_is_worded_in_the_proposal(kb, laws, exam_draft):
    """A header "ngày    tháng 3 năm 2026" dates the draft by its month: the proposal says so, never a raw code."""
    from cancu.render import AS_OF_SOURCES

    result = classify(exam_draft, kb, as_of=dt.date(2024, 12, 12))
    for source in AS_OF_SOURCES:
        text = to_text(build_proposal(dataclasses.replace(result, as_of_source=source), kb, laws))
        line = next(line for line in text.splitlines() if line.startswith("Ngày xét hiệu lực của danh mục"))
        assert source not in line and "(" in line


def test_tra_cuu_refuses_an_empty_question_and_links_the_decision_page(kb_path):
    runner = CliRunner()
    for question in ("", "   ", "có phải là bí mật nhà nước không?", "có phải không", "co phai khong?"):
        empty = runner.invoke(cli, ["tra-cuu", question, "--db", str(kb_path)], prog_name="cancu")
        assert empty.exit_code == 2 and "Lỗi:" in empty.output and "câu hỏi rỗng" in empty.output
    asked = runner.invoke(cli, ["tra-cuu", "Danh mục bí mật nhà nước độ Mật lĩnh vực y tế gồm những gì?",
                                "--db", str(kb_path), "--as-of", "2025-01-01"], catch_exceptions=False)
    assert "/-/danh-muc/440-qd-ttg" in asked.output
    assert "chỉ liệt kê các mục độ Mật" in asked.output and "đối chiếu độ mật" not in asked.output
    from cancu.questions import ask

    assert not ask("có phải không?", kb_path).items  # the classify page's question path finds nothing to look up
    assert ask("đề thi có phải không?", kb_path).items
    # typed without diacritics, "de thi" may be "để thì" but is a phrase to look up, as "đề thi" is
    assert ask("de thi co phai khong?", kb_path).items
    bare = runner.invoke(cli, ["tra-cuu", "de thi co phai khong?", "--db", str(kb_path)], prog_name="cancu")
    assert bare.exit_code == 0, bare.output


def test_missing_path_message_is_plain_vietnamese(kb_path, tmp_path):
    """click builds "Path 'x' does not exist." with "Path".title(): no "Đường Dẫn" in a Vietnamese sentence."""
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "khong-co"), "--db", str(kb_path)], prog_name="cancu")
    assert result.exit_code == 2
    assert "không tìm thấy tệp hoặc thư mục" in result.output and "khong-co" in result.output
    assert "Đường Dẫn" not in result.output and "does not exist" not in result.output


def test_classify_markdown_keeps_item_text_term_and_separates_review(kb, exam_draft):
    from cancu.render import format_classification, format_classification_md

    kb_result = classify(exam_draft, kb, as_of=dt.date(2024, 12, 12))
    accepted = kb_result.proposals[0]
    markdown = format_classification_md(kb_result, "a.txt")
    assert f"“{accepted.text}”" in markdown and "Thời hạn bảo vệ: 20 năm" in markdown
    review_only = _with_review(dataclasses.replace(kb_result, level=None, proposals=()), accepted)
    for text in (format_classification_md(review_only), format_classification(review_only)):
        assert "KHÔNG thuộc danh mục bí mật nhà nước nào" in text and "Cần xem xét" in text
        assert "Đề xuất độ mật" not in text and "Thời hạn bảo vệ" not in text
    assert format_classification(kb_result).startswith("Ngày xét hiệu lực: 12/12/2024")
    terminal = format_classification(review_only).splitlines()
    block = terminal.index("Cần xem xét (không tính vào độ mật, không ghi làm căn cứ; người soạn thảo tự đánh giá):")
    assert terminal[block + 1].startswith(f"   - TỐI MẬT — {accepted.citation} (độ khớp ")



def test_docx_proposal_is_marked_vietnamese(kb, laws, exam_draft):
    """Word spell-checks by the text's language: an en-US default underlines every Vietnamese word."""
    from docx.oxml.ns import qn

    result = classify(exam_draft, kb, as_of=dt.date(2024, 12, 12))
    word = docx.Document(io.BytesIO(to_docx(build_proposal(result, kb, laws))))
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert not [e for e in word.element.body.iter(qn("w:lang")) if e.get(qn("w:val")) != "vi-VN"]
    assert word.core_properties.language == "vi-VN"


def test_check_markdown_summary_names_findings_in_vietnamese(kb_path, tmp_path):
    """The inspector's report table says "Căn cứ không tồn tại"; the stable code stays in the detail below."""
    draft = tmp_path / "du-thao.txt"
    draft.write_text("BỘ TƯ PHÁP\nMẬT\nHà Nội, ngày 12 tháng 9 năm 2023\nBÁO CÁO\nCăn cứ điểm đ khoản 2 Điều 1 "
                     "Quyết định số 774/QĐ-TTg.\nKết quả xác minh nội dung tố cáo.\n", encoding="utf-8")
    report = CliRunner().invoke(cli, ["check", str(draft), "--db", str(kb_path), "--format", "md"]).output
    row = next(line for line in report.splitlines() if line.startswith(f"| {draft}"))
    assert "| Căn cứ không tồn tại" in row and "unknown_basis" not in row
    assert "(`unknown_basis`)" in report


def test_a_closed_pipe_is_not_reported_as_a_file_system_error(capfd):
    """`cancu stats | head -1` printed "Lỗi: lỗi hệ thống tệp: Broken pipe" once head had its line."""
    from cancu.cli import translate_errors

    @translate_errors
    def writes_into_a_closed_pipe():
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(SystemExit) as stopped:
        writes_into_a_closed_pipe()
    assert stopped.value.code == 1 and "Lỗi" not in capfd.readouterr().err


@pytest.mark.parametrize("command", ["ingest", "stats", "classify", "check", "de-xuat", "tra-cuu", "serve"])
def test_help_has_no_english_metavar(command):
    """click names an option's value INTEGER RANGE, TEXT, PATH unless told: every value is named in Vietnamese."""
    import re

    help_text = CliRunner().invoke(cli, [command, "--help"]).output
    assert not re.findall(r"\b(INTEGER|RANGE|TEXT|FLOAT|PATH|FILENAME|DIRECTORY|BOOLEAN|FILE)\b", help_text)


def test_serve_on_a_taken_port_says_so_in_vietnamese(kb_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port), "--db", str(kb_path)], prog_name="cancu")
    assert result.exit_code == 1
    assert f"Lỗi: không mở được 127.0.0.1:{port}: cổng đang được chương trình khác dùng" in result.output
    assert "Đang phục vụ" not in result.output


def test_unwritable_output_is_explained_in_vietnamese(kb_path, tmp_path, exam_draft):
    draft = tmp_path / "a.txt"
    draft.write_text(exam_draft, encoding="utf-8")
    target = tmp_path / "khong-co" / "ket-qua.md"
    for command in (["classify", str(draft)], ["de-xuat", str(draft)], ["check", str(draft)]):
        result = CliRunner().invoke(cli, [*command, "--db", str(kb_path), "-o", str(target)], prog_name="cancu")
        assert result.exit_code == 2, command
        assert f"{target}: thư mục chứa tệp không tồn tại" in result.output and "No such file" not in result.output


@pytest.mark.parametrize("command", ["classify", "de-xuat"])
def test_empty_standard_input_is_named_as_such(kb_path, command):
    result = CliRunner().invoke(cli, [command, "-", "--db", str(kb_path)], input=b"", prog_name="cancu")
    assert result.exit_code == 1
    assert "Lỗi: không đọc được dự thảo từ đầu vào chuẩn (-): tệp rỗng" in result.output


def test_ingest_of_an_empty_folder_is_an_error_not_a_silent_rebuild(tmp_path):
    folder = tmp_path / "van-ban-moi"
    folder.mkdir()
    (folder / "ghi-chu.odt").write_bytes(b"x")
    db = tmp_path / "kho.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)], prog_name="cancu")
    assert result.exit_code == 1 and not db.exists()
    assert f"Lỗi: thư mục {folder} không có văn bản nào nhập được (" in result.output and ".docx" in result.output
