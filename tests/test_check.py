"""`cancu check`: verdicts on the labelled drafts, findings, readers in a batch, reports, exit codes, privacy.

Everything runs against a knowledge base built by the real ingest from the
shipped data; .docx and .pdf drafts are built here with python-docx and pypdf.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
import textwrap
import time
import unicodedata
import uuid
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from cancu.checker.check import check_files, check_text, collect_drafts
from cancu.cli import cli

CHECK_DEV = Path(__file__).parent / "data" / "check" / "check-dev.jsonl"
DEV = {d["id"]: d for d in (json.loads(line) for line in CHECK_DEV.read_text(encoding="utf-8").splitlines() if line.strip())}
VERDICTS = ("stamp", "has_basis", "basis_exists", "basis_in_force", "stamp_matches_basis")


# kb_path and kb: the session fixtures of conftest.py (the real ingest over the shipped data)


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


# --------------------------------------------------------------------------- files of every kind


def make_docx(path: Path, text: str) -> Path:
    """A .docx laid out like an agency document: header table (agency | motto), then paragraphs."""
    lines = text.splitlines()
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = lines[0]
    for line in lines[1:3]:
        left.add_paragraph(line)
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    for line in lines[3:]:
        document.add_paragraph(line)
    document.save(path)
    return path


def make_pages_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of several pages, each with its lines in a Unicode text layer (Type0 font, Identity-H,
    ToUnicode map), built with pypdf."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    code = {ch: index + 1 for index, ch in enumerate(chars)}
    writer = PdfWriter()
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange", "<0000> <FFFF>",
            "endcodespacerange"]
    pairs = list(code.items())
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        cmap += [f"{len(chunk)} beginbfchar", *(f"<{c:04X}> <{ord(ch):04X}>" for ch, c in chunk), "endbfchar"]
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    to_unicode = DecodedStreamObject()
    to_unicode.set_data("\n".join(cmap).encode("ascii"))
    descendant = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/DejaVuSans"), NameObject("/DW"): NumberObject(500),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
    })
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/DejaVuSans"), NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        NameObject("/ToUnicode"): writer._add_object(to_unicode),
    }))
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        operators = ["BT", "/F1 9 Tf", "11 TL", "40 800 Td"]
        operators += ["<" + "".join(f"{code[ch]:04X}" for ch in line) + "> Tj T*" for line in lines]
        content = DecodedStreamObject()
        content.set_data("\n".join(operators + ["ET"]).encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def make_text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with a Unicode text layer (``make_pages_pdf``)."""
    return make_pages_pdf(path, [lines])


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese editors write it: base letters precomposed, tone marks combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in decomposed[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in decomposed[1:] if m not in shape)
        out += unicodedata.normalize("NFC", decomposed[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


@pytest.fixture
def mixed_batch(tmp_path) -> Path:
    """Drafts as .docx, .pdf, Windows-1258 and UTF-16 text, plus a binary, a broken .docx and an empty file."""
    folder = tmp_path / "du-thao"
    folder.mkdir()
    make_docx(folder / "dc-003.docx", DEV["dc-003"]["text"])
    # lines wrapped at 45 characters, as a word processor lays out a page: citations span two lines
    wrapped = [part for line in DEV["dc-011"]["text"].splitlines() for part in textwrap.wrap(line, 45) or [""]]
    make_text_pdf(folder / "dc-011.pdf", wrapped)
    (folder / "dc-005-cp1258.txt").write_bytes(to_cp1258(DEV["dc-005"]["text"]))
    (folder / "dc-012-utf16.txt").write_text(DEV["dc-012"]["text"], encoding="utf-16")
    (folder / "dc-010.txt").write_text(DEV["dc-010"]["text"], encoding="utf-8")
    (folder / "anh-chup.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "rong.txt").write_bytes(b"")
    (folder / "~$dc-003.docx").write_bytes(b"\x00lock")  # Word's lock file: skipped in folders
    return folder


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize("draft_id", sorted(DEV))
def test_every_verdict_on_the_development_drafts(kb, draft_id):
    draft = DEV[draft_id]
    result = check_text(draft["text"], kb, file=draft_id, as_of=dt.date.fromisoformat(draft["date"]))
    verdicts = result.to_dict()
    assert {k: verdicts[k] for k in VERDICTS} == draft["expected"]


EXPECTED_BASIS_FINDINGS = {
    "dc-001": [], "dc-003": [], "dc-007": [], "dc-010": [],
    "dc-002": ["unknown_basis"], "dc-004": ["unknown_basis"],
    "dc-005": ["stamp_mismatch"], "dc-009": ["stamp_mismatch"],
    "dc-006": ["missing_basis"], "dc-008": ["missing_basis"],
    "dc-011": ["basis_not_in_force"], "dc-012": ["basis_not_in_force"],
}


@pytest.mark.parametrize("draft_id", sorted(DEV))
def test_findings_on_the_development_drafts(kb, draft_id):
    """Basis and stamp findings are exact; not_in_catalog/unstamped_secret depend on the classifier."""
    draft = DEV[draft_id]
    result = check_text(draft["text"], kb, as_of=dt.date.fromisoformat(draft["date"]))
    found = [c for c in codes(result) if c not in ("not_in_catalog", "unstamped_secret")]
    assert found == EXPECTED_BASIS_FINDINGS[draft_id]
    if draft["expected"]["stamp"] is None:
        assert "not_in_catalog" not in codes(result)
    if draft["expected"]["stamp"] is not None:
        assert "unstamped_secret" not in codes(result)


def test_replaced_basis_names_the_decision_in_force_with_its_kb_citation(kb):
    result = check_text(DEV["dc-012"]["text"], kb, as_of=dt.date(2024, 6, 3))
    [finding] = [f for f in result.findings if f.code == "basis_not_in_force"]
    assert "đã được thay thế bởi Quyết định số 531/QĐ-TTg từ 19/5/2023" in finding.message
    assert "Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ" in finding.message
    assert result.bases[0].successor == "531/QĐ-TTg"
    result = check_text(DEV["dc-011"]["text"], kb, as_of=dt.date(2025, 8, 12))
    assert result.bases[0].successor_citation == "Quyết định số 562/QĐ-TTg ngày 10/3/2025 của Thủ tướng Chính phủ"


def test_basis_cited_before_its_decision_took_effect(kb):
    text = "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nTỐI MẬT\nPHIẾU TRÌNH\nKính gửi: Trưởng ban.\n" \
           "Độ mật: Tối mật, căn cứ khoản 1 Điều 1 Quyết định số 531/QĐ-TTg.\n"
    result = check_text(text, kb, as_of=dt.date(2022, 6, 20))
    assert (result.basis_exists, result.basis_in_force, result.stamp_matches_basis) == (True, False, True)
    [finding] = [f for f in result.findings if f.code == "basis_not_in_force"]
    assert "chưa có hiệu lực vào ngày 20/6/2022" in finding.message
    assert "Quyết định số 809/QĐ-TTg ngày 10/6/2020 của Thủ tướng Chính phủ" in finding.message


HEAD = "ỦY BAN NHÂN DÂN TỈNH ...\n{stamp}\nSố:  /BC-UBND     ..., ngày 10 tháng 01 năm 2026\nBÁO CÁO\nKính gửi: Chủ tịch.\n"


@pytest.mark.parametrize("citation, completeness", [
    ("điểm a khoản 9 Điều 1 Quyết định số 1660/QĐ-TTg", "chỉ có một phần văn bản"),
    ("khoản 1 Điều 1 Quyết định số 969/QĐ-TTg", "không có văn bản"),
    ("khoản 3 Điều 1 Quyết định số 2238/QĐ-TTg", "chỉ có bản tóm tắt"),
])
def test_items_missing_from_an_incomplete_text_are_unverifiable(kb, citation, completeness):
    result = check_text(HEAD.format(stamp="MẬT") + f"Căn cứ {citation}.\n", kb)
    assert result.has_basis and result.basis_exists is None and result.stamp_matches_basis is None
    [finding] = [f for f in result.findings if f.code == "basis_unverifiable"]
    assert completeness in finding.message
    assert "unknown_basis" not in codes(result)


def test_register_only_decision_is_unverifiable_but_its_replacement_is_known(kb):
    result = check_text(HEAD.format(stamp="MẬT") + "Căn cứ khoản 1 Điều 1 Quyết định số 969/QĐ-TTg.\n", kb)
    assert result.date == dt.date(2026, 1, 10) and result.date_source == "header"
    assert result.basis_in_force is False
    assert result.bases[0].successor == "2440/QĐ-TTg"


@pytest.mark.parametrize("citation, kb_citation, in_force", [
    ("khoản 1 phần Bí mật nhà nước độ Mật Quyết định số 440/QĐ-TTg",
     "khoản 1 phần “Bí mật nhà nước độ Mật” Quyết định số 440/QĐ-TTg ngày 22/5/2024 của Thủ tướng Chính phủ", True),
    ("khoản 2 danh mục độ Mật Quyết định số 531/QĐ-TTg",
     "khoản 2 phần “Bí mật nhà nước độ Mật” Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ", True),
    ("khoản 2 danh mục độ Mật Quyết định số 809/QĐ-TTg",
     "khoản 2 Điều 2 Quyết định số 809/QĐ-TTg ngày 10/6/2020 của Thủ tướng Chính phủ", False),
])
def test_items_cited_by_their_level_list(kb, citation, kb_citation, in_force):
    head = HEAD.format(stamp="MẬT").replace("ngày 10 tháng 01 năm 2026", "ngày     tháng 9 năm 2024")
    result = check_text(head + f"Căn cứ {citation}.\n", kb)
    assert (result.date, result.date_source) == (dt.date(2024, 9, 1), "header_month")
    [check] = result.bases
    assert (check.exists, check.level, check.citation, check.in_force) == (True, "Mật", kb_citation, in_force)
    assert result.stamp_matches_basis is True


def test_repealed_provision_of_a_decision_in_force(kb):
    """An item whose own validity ended (a clause repealed by a later decision) is not in force."""
    from dataclasses import replace

    from cancu.kb import KB

    items = tuple(replace(i, valid_until=dt.date(2025, 1, 1))
                  if (i.decision, i.article, i.clause, i.point) == ("774/QĐ-TTg", 1, 1, "a") else i for i in kb.items)
    repealed = KB(kb.path, kb.decisions, items, kb.terms, kb.meta)
    text = HEAD.format(stamp="MẬT") + "Căn cứ điểm a khoản 1 Điều 1 Quyết định số 774/QĐ-TTg.\n"
    result = check_text(text, repealed)
    assert (result.basis_exists, result.basis_in_force) == (True, False)
    [finding] = [f for f in result.findings if f.code == "basis_not_in_force"]
    assert "đã hết hiệu lực từ 01/01/2025 (bị bãi bỏ)" in finding.message
    assert check_text(text, repealed, as_of=dt.date(2024, 12, 31)).basis_in_force is True


def test_unknown_decision_number_is_unverifiable(kb):
    result = check_text(HEAD.format(stamp="MẬT") + "Căn cứ khoản 1 Điều 1 Quyết định số 9999/QĐ-TTg.\n", kb)
    assert result.basis_exists is None and result.basis_in_force is None
    assert "không có trong sổ đăng ký" in result.findings[0].message


def test_article_that_is_not_a_catalog_item_is_unknown_basis(kb):
    result = check_text(HEAD.format(stamp="MẬT") + "Căn cứ Điều 3 Quyết định số 970/QĐ-TTg.\n", kb)
    assert result.basis_exists is False and "unknown_basis" in codes(result)


def test_wrong_decision_date_is_reported(kb):
    text = HEAD.format(stamp="MẬT") + "Căn cứ điểm a khoản 1 Điều 1 Quyết định số 774/QĐ-TTg ngày 05/7/2020.\n"
    result = check_text(text, kb)
    assert result.basis_exists is True
    [finding] = [f for f in result.findings if f.code == "basis_date_mismatch"]
    assert "Quyết định số 774/QĐ-TTg ngày 05/6/2020 của Thủ tướng Chính phủ" in finding.message


def test_unstamped_draft_citing_an_item(kb):
    text = HEAD.format(stamp="") + "Căn cứ điểm a khoản 1 Điều 1 Quyết định số 774/QĐ-TTg.\n"
    result = check_text(text, kb)
    assert (result.stamp, result.basis_exists, result.stamp_matches_basis) == (None, True, False)
    assert "unstamped_secret" in codes(result) and "stamp_mismatch" not in codes(result)


def test_date_precedence(kb):
    undated = "BAN RA ĐỀ THI\nTỐI MẬT\nPHIẾU TRÌNH\nKính gửi: Trưởng ban.\nNội dung.\n"
    assert check_text(undated, kb, today=dt.date(2030, 1, 2)).date_source == "today"
    dated = HEAD.format(stamp="MẬT") + "Nội dung.\n"
    assert check_text(dated, kb).date == dt.date(2026, 1, 10)
    overridden = check_text(dated, kb, as_of=dt.date(2024, 1, 1))
    assert (overridden.date, overridden.date_source) == (dt.date(2024, 1, 1), "option")


# --------------------------------------------------------------------------- batch, CLI and reports


def run(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_batch_of_every_kind_of_file(kb_path, mixed_batch):
    outcome = run(["check", str(mixed_batch), "--db", str(kb_path), "--format", "json"])
    assert outcome.exit_code == 1
    report = {Path(r["file"]).name: r for r in json.loads(outcome.stdout)}
    assert sorted(report) == ["anh-chup.txt", "dc-003.docx", "dc-005-cp1258.txt", "dc-010.txt", "dc-011.pdf",
                              "dc-012-utf16.txt", "hong.docx", "rong.txt"]
    for name, draft_id in [("dc-003.docx", "dc-003"), ("dc-011.pdf", "dc-011"), ("dc-005-cp1258.txt", "dc-005"),
                           ("dc-012-utf16.txt", "dc-012"), ("dc-010.txt", "dc-010")]:
        assert {k: report[name][k] for k in VERDICTS} == DEV[draft_id]["expected"], name
        assert report[name]["date"] == DEV[draft_id]["date"] and report[name]["date_source"] == "header"
    assert report["dc-003.docx"]["findings"] == []
    assert [f["code"] for f in report["dc-011.pdf"]["findings"]] == ["basis_not_in_force"]
    for name, reason in [("anh-chup.txt", "tệp nhị phân"), ("hong.docx", "không phải tệp .docx hợp lệ"),
                         ("rong.txt", "tệp rỗng")]:
        assert report[name]["error"].startswith(reason)
        assert [f["code"] for f in report[name]["findings"]] == ["unreadable"]
        assert report[name]["stamp"] is None and report[name]["has_basis"] is False


def test_clean_batch_exits_zero(kb_path, tmp_path):
    (tmp_path / "dc-001.txt").write_text(DEV["dc-001"]["text"], encoding="utf-8")
    make_docx(tmp_path / "dc-003.docx", DEV["dc-003"]["text"])
    outcome = run(["check", str(tmp_path / "dc-001.txt"), str(tmp_path / "dc-003.docx"), "--db", str(kb_path)])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.endswith("Đã kiểm tra 2 dự thảo: 0 có phát hiện, 2 không có phát hiện.\n")
    assert "✓" in outcome.stdout and "Đang kiểm tra" not in outcome.stderr  # no progress bar off a terminal


def test_reports_in_every_format(kb_path, mixed_batch, tmp_path):
    out = tmp_path / "bao-cao.csv"
    outcome = run(["check", str(mixed_batch), "--db", str(kb_path), "--format", "csv", "--output", str(out)])
    assert outcome.exit_code == 1 and "Đã kiểm tra 8 dự thảo" in outcome.stderr and outcome.stdout == ""
    rows = {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["dc-011.pdf"]["basis_in_force"] == "false" and rows["dc-011.pdf"]["findings"] == "basis_not_in_force"
    assert rows["dc-010.txt"]["basis_exists"] == "" and rows["rong.txt"]["findings"] == "unreadable"
    markdown = run(["check", str(mixed_batch), "--db", str(kb_path), "--format", "md"]).stdout
    assert markdown.startswith("# Kết quả kiểm tra dự thảo\n")
    assert "| Tệp | Ngày | Dấu | Căn cứ | Tồn tại | Còn hiệu lực | Khớp dấu | Công cụ đề xuất | Phát hiện |" in markdown
    assert f"## {mixed_batch / 'dc-011.pdf'}" in markdown and "(`basis_not_in_force`)" in markdown
    table = run(["check", str(mixed_batch), "--db", str(kb_path)]).stdout
    assert f"✗ {mixed_batch / 'rong.txt'}\n    [unreadable] Không đọc được tệp: tệp rỗng." in table


def test_command_errors_exit_two(kb_path, tmp_path):
    empty = tmp_path / "trong"
    empty.mkdir()
    outcome = run(["check", str(empty), "--db", str(kb_path)])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("Lỗi: không tìm thấy dự thảo nào")
    (tmp_path / "a.txt").write_text(DEV["dc-001"]["text"], encoding="utf-8")
    outcome = run(["check", str(tmp_path / "a.txt"), "--db", str(kb_path), "--output", str(tmp_path / "khong" / "r.md")])
    assert outcome.exit_code == 2 and "không ghi được báo cáo" in outcome.stderr
    assert run(["check", str(tmp_path / "khong-co.txt"), "--db", str(kb_path)]).exit_code == 2


def test_recursive_and_folders(tmp_path):
    (tmp_path / "con").mkdir()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "con" / "b.docx").write_bytes(b"x")
    (tmp_path / "con" / "ghi-chu.xlsx").write_bytes(b"x")
    (tmp_path / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy Word")
    assert [p.name for p in collect_drafts([tmp_path])] == ["a.txt", "cu.doc"]
    assert [p.name for p in collect_drafts([tmp_path], recursive=True)] == ["a.txt", "b.docx", "cu.doc"]


def test_legacy_word_file_is_reported_not_skipped(kb):
    from cancu.checker.check import check_file

    with tempfile.TemporaryDirectory() as folder:
        legacy = Path(folder) / "cu.doc"
        legacy.write_bytes(b"\xd0\xcf\x11\xe0 legacy Word")
        result = check_file(legacy, kb)
    assert codes(result) == ["unreadable"] and "định dạng '.doc' chưa được hỗ trợ" in result.error


def test_workers_give_the_same_results_in_the_same_order(kb_path, mixed_batch):
    paths = collect_drafts([mixed_batch])
    one = [r.to_dict() for r in check_files(paths, kb_path, today=dt.date(2026, 1, 5))]
    two = [r.to_dict() for r in check_files(paths, kb_path, workers=2, today=dt.date(2026, 1, 5))]
    assert one == two and len(one) == 8


# --------------------------------------------------------------------------- privacy

CANARY = f"QX7-{uuid.uuid4().hex[:12].upper()}"  # unique per run, so other processes' files never match


def _recent_files(root: Path, since: float, skip: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not Path(dirpath, d).is_relative_to(skip) and d != ".git"]
        for name in filenames:
            path = Path(dirpath, name)
            try:
                if path.is_file() and path.stat().st_mtime >= since and path.stat().st_size < 50_000_000:
                    found.append(path)
            except OSError:
                continue
    return found


def test_no_draft_text_is_stored_anywhere(kb_path, tmp_path):
    """After a batch (2 workers), neither the KB, the working directory nor the temp dirs hold draft text."""
    drafts = tmp_path / "in"
    drafts.mkdir()
    secret = DEV["dc-011"]["text"].replace("\nNơi nhận:", f"\nMã lưu trữ nội bộ: {CANARY}.\nNơi nhận:")
    assert CANARY in secret
    (drafts / "canary.txt").write_text(secret, encoding="utf-8")
    make_docx(drafts / "canary.docx", secret)
    for draft_id, draft in DEV.items():
        (drafts / f"{draft_id}.txt").write_text(draft["text"], encoding="utf-8")
    long_lines = [line for d in DEV.values() for line in d["text"].splitlines() if len(line) > 230]
    assert len(long_lines) >= 10
    kb_before = kb_path.read_bytes()
    since = time.time() - 1
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    outcome = run(["check", str(drafts), "--db", str(kb_path), "--workers", "2", "--format", "json", "--output", str(report)])
    assert outcome.exit_code == 1
    assert kb_path.read_bytes() == kb_before  # the KB is opened read-only
    # the canary is looked for everywhere; whole paragraphs of the labelled drafts in the report,
    # the KB and the working directory (other test runs may legitimately write those drafts to /tmp)
    ours = [report, kb_path] + [p for p in _recent_files(Path.cwd(), since, skip=drafts)
                                if not p.is_relative_to(Path(__file__).parent / "data")]
    anywhere = list(ours)
    for root in {Path(tempfile.gettempdir()), Path.home() / ".cache", Path.home() / ".local" / "share" / "cancu"}:
        if root.exists():
            anywhere += _recent_files(root, since, skip=drafts)
    assert report in anywhere
    for path in set(anywhere):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        assert CANARY.encode() not in content, path
        if path in ours:
            for line in long_lines:
                assert line.encode("utf-8") not in content, (path, line[:40])
    assert CANARY not in outcome.output


def test_a_repealed_clause_missing_from_a_summary_text_is_known_through_its_repeal(kb):
    """19/QĐ-TTg repealed khoản 7–12 Điều 1 of 2238/QĐ-TTg, whose text the KB has only as a summary."""
    draft = ("SỞ VĂN HÓA VÀ THÔNG TIN\nMẬT\nSố: /BC-SVHTT        ..., ngày {day}\nBÁO CÁO\nNội dung báo cáo.\n"
             "Căn cứ khoản 8 Điều 1 Quyết định số 2238/QĐ-TTg ngày 29/12/2020 của Thủ tướng Chính phủ.\n")
    after = check_text(draft.format(day="02 tháng 4 năm 2026"), kb).to_dict()
    assert (after["has_basis"], after["basis_exists"], after["basis_in_force"]) == (True, True, False)
    assert after["stamp_matches_basis"] is None  # the KB does not know the repealed clause's level
    repealed = [f for f in after["findings"] if f["code"] == "basis_not_in_force"]
    assert repealed and "bãi bỏ từ 06/01/2026" in repealed[0]["message"] and "19/QĐ-TTg" in repealed[0]["message"]
    before = check_text(draft.format(day="02 tháng 4 năm 2025"), kb).to_dict()
    assert (before["basis_exists"], before["basis_in_force"]) == (True, True)


# --------------------------------------------------------------------------- one date, one map


def _pool() -> list[dict]:
    """Every draft of the development pool copied in tests/data (classifier and checker sets)."""
    drafts = list(DEV.values())
    for name in ("dev.jsonl", "dev2.jsonl", "real-public-dev.jsonl"):
        path = Path(__file__).parent / "data" / "eval" / name
        drafts += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return drafts


def test_classify_and_check_judge_every_pool_draft_on_the_same_date(kb):
    """Without --as-of, classify and check take the same date from the same source for every draft."""
    from cancu.classifier.classify import resolve_as_of
    from cancu.classifier.model import Classification
    from cancu.ingest.text import nfc

    def no_classifier(text, kb, as_of=None):  # the checker's date alone, without the classifier's cost
        return Classification(as_of=as_of, as_of_source="option", level=None, proposals=(), warnings=(), near_misses=())

    pool = _pool()
    assert len(pool) >= 50
    sources = set()
    for draft in pool:
        checked = check_text(draft["text"], kb, today=dt.date(2030, 1, 2), classify=no_classifier)
        classified = resolve_as_of(nfc(draft["text"]), None)
        if classified[1] == "today":
            classified = (dt.date(2030, 1, 2), "today")
        assert (checked.date, checked.date_source) == classified, draft["id"]
        sources.add(classified[1])
    assert {"header", "today"} <= sources


def test_classify_reports_a_blank_day_header_as_its_month(kb):
    from cancu.classifier import classify

    text = HEAD.format(stamp="MẬT").replace("ngày 10 tháng 01 năm 2026", "ngày     tháng 9 năm 2024") + "Nội dung.\n"
    result = classify(text, kb)
    assert (result.as_of, result.as_of_source) == (dt.date(2024, 9, 1), "header_month")
    assert (check_text(text, kb).date, check_text(text, kb).date_source) == (dt.date(2024, 9, 1), "header_month")


@pytest.mark.parametrize("typed, expected", [
    ("2026-03-12", dt.date(2026, 3, 12)), ("12/3/2026", dt.date(2026, 3, 12)), ("12/03/2026", dt.date(2026, 3, 12)),
    (" 5-6-2020 ", dt.date(2020, 6, 5)), ("31/2/2026", None), ("", None), ("hôm qua", None), ("2026-3-12", None),
])
def test_one_parser_for_typed_dates_in_cli_and_browser(kb_path, tmp_path, typed, expected):
    from cancu.ingest.dates import parse_typed_date
    from cancu.plugin import parse_date

    assert parse_typed_date(typed) == expected
    assert parse_date(typed) == (expected.isoformat() if expected else None)
    if typed.strip():
        draft = tmp_path / "a.txt"
        draft.write_text(DEV["dc-001"]["text"], encoding="utf-8")
        outcome = CliRunner().invoke(cli, ["check", str(draft), "--db", str(kb_path), "--format", "json",
                                           "--as-of", typed])
        if expected:
            assert json.loads(outcome.stdout)[0]["date"] == expected.isoformat()
        else:
            assert outcome.exit_code == 2 and "không phải ngày hợp lệ" in outcome.stderr


def test_every_way_a_draft_is_dated_has_words_in_the_terminal_and_the_browser():
    """judged_date's sources (DATE_SOURCES) each read in words; a new source without them would show its code."""
    from cancu.ingest.dates import DATE_SOURCES
    from cancu.plugin import AS_OF_SOURCES as page_words
    from cancu.render import AS_OF_SOURCES as terminal_words

    assert set(terminal_words) == set(page_words) == set(DATE_SOURCES)


def test_one_map_of_levels_and_stamps():
    from cancu.checker.drafts import find_stamp
    from cancu.ingest.model import Level

    for level in Level:
        assert Level.from_stamp(level.stamp) is level is Level.parse(level.value.lower())
        found = find_stamp(HEAD.format(stamp=level.stamp) + "Nội dung.\n")
        assert found.stamp == level.stamp and Level.from_stamp(found.stamp) is level
    assert [level.rank for level in Level] == [3, 2, 1]
    assert Level.from_folded("toi mat") is Level.from_folded("TOIMAT") is Level.SECRET


# --------------------------------------------------------------------------- citations as drafters write them

ABBREVIATIONS = [
    # (pattern, replacement): the full citation of a labelled draft rewritten the way drafters shorten it
    (r"điểm (\w) khoản (\d+) Điều (\d+) Quyết định số", r"điểm \1 k\2 Đ\3 QĐ"),
    (r"(?<!điểm \w )khoản (\d+) Điều (\d+) Quyết định số", r"k.\1 Đ.\2 QĐ số"),
    (r"Khoản (\d+), Điều (\d+), QĐ số", r"khoản \1 Đ\2 QĐ"),
    (r"căn cứ Điều (\d+) Quyết định số", r"căn cứ Đ\1 QĐ"),
    (r"khoản (\d+) Điều (\d+) Quyết định số", r"khoản \1\nĐiều \2 Quyết định\nsố"),  # wrapped lines
]


@pytest.mark.parametrize("pattern, replacement", ABBREVIATIONS)
def test_abbreviated_and_wrapped_citations_give_the_same_verdicts(kb, pattern, replacement):
    import re

    rewritten = 0
    for draft_id, draft in DEV.items():
        text = re.sub(pattern, replacement, draft["text"])
        if text == draft["text"]:
            continue
        rewritten += 1
        result = check_text(text, kb, as_of=dt.date.fromisoformat(draft["date"]))
        assert {k: result.to_dict()[k] for k in VERDICTS} == draft["expected"], (draft_id, text[-300:])
        assert [c for c in codes(result) if c not in ("not_in_catalog", "unstamped_secret")] == \
            EXPECTED_BASIS_FINDINGS[draft_id], draft_id
    assert rewritten >= 1


def test_basis_in_parentheses_after_the_decision_title(kb):
    text = (HEAD.format(stamp="MẬT") + "Báo cáo thuộc danh mục bí mật nhà nước (theo Quyết định số 774/QĐ-TTg "
            "ngày 05/6/2020 của Thủ tướng Chính phủ, điểm a k1 Đ1).\n")
    result = check_text(text, kb)
    assert [(b.basis.decision, b.basis.article, b.basis.clause, b.basis.point) for b in result.bases] == [
        ("774/QĐ-TTg", 1, 1, "a")]
    assert (result.basis_exists, result.basis_in_force, result.stamp_matches_basis) == (True, True, True)


EDUCATION = "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTỐI MẬT\nSố:  /BC-SGDĐT     ..., ngày 10 tháng 01 năm 2026\nBÁO CÁO\nKính gửi: Giám đốc.\n"


@pytest.mark.parametrize("citation", [
    "Căn cứ khoản 1 Điều 1 Quyết định số 513/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ.",
    "Căn cứ k1 Đ1 QĐ 513/QĐ-TTg ngày 19/5/2023.",
])
def test_an_unregistered_number_with_the_date_and_field_of_a_decision_names_it_as_likely(kb, citation):
    result = check_text(EDUCATION + citation + "\n", kb)
    [check] = result.bases
    assert check.basis.decision == "513/QĐ-TTg" and check.likely_decision == "531/QĐ-TTg"
    assert (result.basis_exists, result.basis_in_force, result.stamp_matches_basis) == (None, None, None)  # not corrected
    [finding] = [f for f in result.findings if f.code == "basis_likely_decision"]
    assert "basis_unverifiable" not in codes(result)
    assert "513/QĐ-TTg không có trong sổ đăng ký" in finding.message
    assert "Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ" in finding.message
    assert "khoản 1 Điều 1 Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ (độ Tối mật)" in finding.message
    assert result.to_dict()["basis"][0]["likely_decision"] == "531/QĐ-TTg"


@pytest.mark.parametrize("text", [
    EDUCATION + "Căn cứ khoản 1 Điều 1 Quyết định số 513/QĐ-TTg ngày 20/5/2023.\n",  # no decision of that date
    EDUCATION + "Căn cứ khoản 1 Điều 1 Quyết định số 513/QĐ-TTg.\n",  # no date written
    # four decisions signed on 07/7/2020 (nội vụ, giao thông vận tải, Tòa án nhân dân, công tác dân tộc):
    # an education draft names none of their fields
    EDUCATION + "Căn cứ khoản 1 Điều 1 Quyết định số 9700/QĐ-TTg ngày 07/7/2020.\n",
])
def test_no_likely_decision_without_both_date_and_field(kb, text):
    result = check_text(text, kb)
    assert result.bases[0].likely_decision is None and "basis_likely_decision" not in codes(result)
    assert "basis_unverifiable" in codes(result)


def test_the_field_picks_one_of_the_decisions_signed_on_the_same_day(kb):
    court = EDUCATION.replace("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TÒA ÁN NHÂN DÂN TỈNH ...")
    result = check_text(court + "Căn cứ khoản 7 Điều 2 Quyết định số 907/QĐ-TTg ngày 07/7/2020.\n", kb)
    assert result.bases[0].likely_decision == "970/QĐ-TTg"


INTERRUPT = """
import os, signal, sys
from pathlib import Path
from cancu.checker.check import check_files
paths = sorted(Path(sys.argv[1]).glob("*.txt"))
results = check_files(paths, sys.argv[2], workers=2)
next(results)
try:
    os.killpg(0, signal.SIGINT)  # Ctrl+C in a terminal: the whole process group
    for _ in results:
        pass
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_stops_a_parallel_check_without_a_word_from_the_workers(kb_path, tmp_path):
    """Ctrl+C reaches the workers too: each printed 'Process ForkPoolWorker-N:' and a traceback in English."""
    import signal
    import subprocess
    import sys

    for index in range(40):
        draft = DEV[sorted(DEV)[index % len(DEV)]]
        (tmp_path / f"{index:02d}.txt").write_text(draft["text"], encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", INTERRUPT, str(tmp_path), str(kb_path)], capture_output=True,
                          text=True, timeout=300, start_new_session=True,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "interrupted" in done.stdout, done.stderr
    assert "ForkPoolWorker" not in done.stderr and "Traceback" not in done.stderr


def test_a_check_stopped_with_ctrl_c_reports_the_drafts_already_checked(kb_path, tmp_path, monkeypatch):
    """Nothing already done is lost: the report holds the drafts checked before Ctrl+C and says it is partial."""
    import cancu.checker.check as checking

    folder = tmp_path / "du-thao"
    folder.mkdir()
    for index, draft_id in enumerate(sorted(DEV)[:5]):
        (folder / f"{index}-{draft_id}.txt").write_text(DEV[draft_id]["text"], encoding="utf-8")
    real, calls = checking.check_file, []

    def until_ctrl_c(path, kb, **options):
        calls.append(path)
        if len(calls) == 4:
            raise KeyboardInterrupt  # what Python raises in the main process when the user presses Ctrl+C
        return real(path, kb, **options)

    monkeypatch.setattr(checking, "check_file", until_ctrl_c)
    for output_format, name in (("json", "bao-cao.json"), ("md", "bao-cao.md")):
        calls.clear()
        report = tmp_path / name
        result = CliRunner().invoke(cli, ["check", str(folder), "--db", str(kb_path), "--format", output_format,
                                          "-o", str(report)])
        assert result.exit_code == 130, result.output
        assert "đã dừng sau 3/5 dự thảo" in result.output
        written = report.read_text(encoding="utf-8")
        if output_format == "json":
            assert [Path(r["file"]).name for r in json.loads(written)] == [p.name for p in calls[:3]]
        else:
            assert written.startswith("Báo cáo chưa đủ") and all(p.name in written for p in calls[:3])
            assert calls[3].name not in written
