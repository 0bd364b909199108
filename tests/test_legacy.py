"""Drafts typed in the pre-Unicode Vietnamese font encodings TCVN3 (.VnTime) and VNI (VNI-Times).

The tables are checked by round trip, with no outside reference: every Vietnamese letter and every
pool draft is typed into the legacy form with the inverse table, read back through the real reader,
and must come back exactly. Unicode, Windows-1258 and undiacritised drafts must never be converted.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import cli
from cancu.ingest import legacy
from cancu.ingest.errors import SourceUnreadable
from cancu.ingest.readers import read_bytes, read_file
from legacy_encoders import (LOWER_LETTERS, VIETNAMESE_LETTERS, docx_bytes, tcvn3_letter, tcvn3_runs, to_cp1258,
                             to_tcvn3, to_vni, without_diacritics)

EVAL = Path(__file__).parent / "data" / "eval"
POOL = {draft["id"]: unicodedata.normalize("NFC", draft["text"])
        for path in sorted(EVAL.glob("*.jsonl"))
        for draft in map(json.loads, filter(None, path.read_text(encoding="utf-8").splitlines()))}
TCVN3_NOTE = legacy.conversion_note(legacy.TCVN3)
VNI_NOTE = legacy.conversion_note(legacy.VNI)
REFUSAL = ("văn bản gõ bằng bảng mã cũ (TCVN3/.VnTime hoặc VNI), chưa chuyển được sang Unicode; "
           "hãy chuyển mã sang Unicode (ví dụ bằng Unikey) rồi kiểm tra lại")
TONED_CAPITALS = {ch for ch in VIETNAMESE_LETTERS if ch.isupper() and ch not in "ĂÂÊÔƠƯĐ"}


def unicode_reading(text: str) -> str:
    """What the reader makes of the draft saved as UTF-8: the text every legacy reading must equal."""
    return read_bytes(text.encode("utf-8"), "du-thao.txt").text


# --------------------------------------------------------------------------- the tables


def test_there_are_134_vietnamese_letters_outside_ascii_each_with_one_legacy_form():
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    vni_forms = {to_vni(ch) for ch in VIETNAMESE_LETTERS}
    assert len(vni_forms) == 134
    small_font = {tcvn3_letter(ch)[0] for ch in VIETNAMESE_LETTERS if ch not in TONED_CAPITALS}
    assert len(small_font) == 67 + 7 and all(len(code) == 1 and "\u00a1" <= code <= "\u00ff" for code in small_font)


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_comes_back_from_vni(letter):
    assert legacy.decode_vni(to_vni(letter)) == letter


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_comes_back_from_tcvn3_in_its_font(letter):
    """VN3 has no toned capital: .VnTimeH prints it with the small letter's code."""
    code, capital = tcvn3_letter(letter)
    assert capital == (letter in TONED_CAPITALS)
    font = ".VnTimeH" if capital else ".VnTime"
    runs = [("Céng hoµ x· héi ", ".VnTime"), (code, font)]  # a letter alone is rarely a word: in a line
    assert legacy.convert_runs(runs) == (f"Cộng hoà xã hội {letter}", {legacy.TCVN3})


def test_letters_in_words_come_back_from_both_tables():
    words = " ".join(letter + "n" for letter in LOWER_LETTERS)  # each letter inside a word, not alone
    assert legacy.decode_vni(to_vni(words)) == words
    assert legacy.decode_vni(to_vni(words.upper())) == words.upper()
    assert legacy.decode_tcvn3(to_tcvn3(words), capitals=False) == words
    assert legacy.decode_tcvn3(to_tcvn3(words), capitals=True) == words.upper()


# --------------------------------------------------------------------------- whole drafts


def test_every_pool_draft_typed_in_vni_is_read_back_exactly():
    for draft_id, text in POOL.items():
        document = read_bytes(to_vni(text).encode("cp1252"), f"{draft_id}.txt")
        assert document.text == unicode_reading(text), draft_id
        assert document.warnings == (VNI_NOTE,), draft_id


def test_every_pool_draft_in_a_vntime_docx_is_read_back_exactly():
    """Word users type toned capitals in the capital font (.VnTimeH): the runs' fonts give every case back."""
    for draft_id, text in POOL.items():
        data = docx_bytes([tcvn3_runs(line) for line in text.split("\n")])
        document = read_bytes(data, f"{draft_id}.docx")
        assert document.text == read_bytes(docx_bytes([[(line, None)] for line in text.split("\n")]),
                                           "unicode.docx").text, draft_id
        assert document.warnings == (TCVN3_NOTE,), draft_id


def test_every_pool_draft_in_tcvn3_plain_text_is_read_back_but_for_toned_capitals_of_title_words():
    """Plain text keeps no font: a capital word ("KÕ HO¹CH") is read as capitals, and so is a toned vowel
    opening a sentence, but one opening a title word inside a sentence ("đồng chí Ủy viên", typed in
    .VnTimeH) comes back small, as the small font prints it. Nothing else may differ, and no small letter
    may come back a capital."""
    lost = total = 0
    for draft_id, text in POOL.items():
        document = read_bytes(to_tcvn3(text).encode("cp1252"), f"{draft_id}.txt")
        expected = unicode_reading(text)
        assert document.warnings == (TCVN3_NOTE,), draft_id
        assert len(document.text) == len(expected), draft_id
        for got, want in zip(document.text, expected):
            if got != want:
                assert want in TONED_CAPITALS and got == want.lower(), (draft_id, got, want)
                lost += 1
        total += sum(ch in TONED_CAPITALS for ch in expected)
    assert lost < 0.1 * total  # measured: 219 of 3,392 (bench/legacy.py)


def test_a_tcvn3_draft_saved_as_utf8_html_or_pdf_is_converted():
    text = POOL["d-001"]
    typed = to_tcvn3(text)
    as_utf8 = read_bytes(typed.encode("utf-8"), "du-thao.txt")
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in typed.split("\n")) + "</body></html>"
    as_html = read_bytes(html.encode("utf-8"), "du-thao.html")
    for document in (as_utf8, as_html):
        assert document.warnings == (TCVN3_NOTE,)
        assert "Thanh tra đột xuất việc quản lý" in document.text
    assert as_utf8.text.lower().split() == unicode_reading(text).lower().split()  # "Ủy" is "ủy" in .VnTime


def test_a_pdf_whose_text_layer_is_in_tcvn3_is_converted(tmp_path):
    from test_check import make_text_pdf

    lines = [to_tcvn3(line) for line in POOL["d-001"].split("\n")[:12] if line.strip()]
    document = read_file(make_text_pdf(tmp_path / "du-thao.pdf", lines), guess_encoding=True)
    assert document.warnings == (TCVN3_NOTE,)
    assert "KẾ HOẠCH" in document.text and "Thanh tra đột xuất" in document.text


# --------------------------------------------------------------------------- never a false detection


def test_unicode_windows_1258_and_undiacritised_drafts_are_never_converted():
    for draft_id, text in POOL.items():
        expected = unicode_reading(text)
        assert legacy.choose_encoding(expected) == legacy.Detection(None), draft_id
        from_cp1258 = read_bytes(to_cp1258(text), f"{draft_id}.txt")
        assert (from_cp1258.text, from_cp1258.warnings) == (expected, ()), draft_id
        decomposed = unicodedata.normalize("NFD", text).encode("utf-8")
        assert read_bytes(decomposed, f"{draft_id}.txt").text == expected, draft_id
        plain = without_diacritics(text)
        assert read_bytes(plain.encode("utf-8"), f"{draft_id}.txt").text == unicode_reading(plain), draft_id


def test_unicode_in_a_docx_is_left_alone_even_in_a_legacy_font_run():
    """Unicode pasted into a .VnTime run keeps its letters; a Unicode font is never converted."""
    unicode_lines = ["Tài chính công và bí mật nhà nước độ Tối mật", "Tài chính", "Tài chính công"]
    data = docx_bytes([[(unicode_lines[0], ".VnTime")], [(unicode_lines[1], "VNI-Times")],
                       [(unicode_lines[2], "Times New Roman")]])
    document = read_bytes(data, "du-thao.docx")
    assert (document.text, document.warnings) == ("\n".join(unicode_lines), ())


def test_a_docx_mixing_unicode_tcvn3_and_vni_paragraphs_converts_each_by_its_font():
    paragraphs = ["Căn cứ Luật Bảo vệ bí mật nhà nước ngày 15 tháng 11 năm 2018;",
                  "Thực hiện ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh;",
                  "Kế hoạch thanh tra đột xuất việc quản lý vốn đầu tư."]
    data = docx_bytes([[(paragraphs[0], "Times New Roman")], tcvn3_runs(paragraphs[1]),
                       [(to_vni(paragraphs[2][:20]), "VNI-Times"), (to_vni(paragraphs[2][20:]), "VNI-Times")]])
    document = read_bytes(data, "du-thao.docx")
    assert document.text == "\n".join(paragraphs)
    assert set(document.warnings) == {TCVN3_NOTE, VNI_NOTE}


def test_a_text_mixing_unicode_and_tcvn3_lines_converts_only_the_tcvn3_lines():
    text = POOL["d-001"]
    lines = text.split("\n")
    mixed = "\n".join(to_tcvn3(line) if index % 2 else line for index, line in enumerate(lines))
    document = read_bytes(mixed.encode("utf-8"), "du-thao.txt")
    assert document.warnings == (TCVN3_NOTE,)
    got, expected = document.text.split("\n"), unicode_reading(text).split("\n")
    assert got[0::2] == expected[0::2]  # the Unicode lines, untouched
    assert [line.lower() for line in got[1::2]] == [line.lower() for line in expected[1::2]]


def test_text_that_looks_legacy_but_reads_cleanly_in_no_table_is_still_refused():
    """Half typed in TCVN3 and half in VNI: neither table reads it, so the draft is refused, not misread."""
    lines = POOL["d-001"].split("\n")
    garbled = "\n".join(to_vni(line) if index % 2 else to_tcvn3(line) for index, line in enumerate(lines))
    with pytest.raises(SourceUnreadable) as refused:
        read_bytes(garbled.encode("utf-8"), "du-thao.txt")
    assert str(refused.value) == f"du-thao.txt: không đọc được tệp: {REFUSAL}"


@pytest.mark.parametrize(("font", "encoding", "capitals"), [
    (".VnTime", legacy.TCVN3, False), (".VnTimeH", legacy.TCVN3, True), (".VnArial NarrowH", legacy.TCVN3, True),
    ("VNI-Times", legacy.VNI, False), ("VNI-Helve", legacy.VNI, False), ("Times New Roman", None, False),
    ("VnTime", None, False), ("Verdana", None, False), (None, None, False),
])
def test_font_names_tell_the_encoding(font, encoding, capitals):
    assert legacy.font_encoding(font) == encoding
    assert legacy.is_capital_font(font) == capitals


# --------------------------------------------------------------------------- end to end


def _answer(output: str) -> dict:
    """The JSON answer without the reader's notes and the file's name: what the draft was judged."""
    answer = json.loads(output)
    if isinstance(answer, list):  # check: one object per file
        (answer,) = answer
    answer.pop("file", None)
    answer["warnings"] = [w for w in answer.get("warnings", []) if "bảng mã cũ" not in w]
    answer["findings"] = [f for f in answer.get("findings", []) if "bảng mã cũ" not in f["message"]]
    return answer


@pytest.mark.parametrize("draft_id", ["d-001", "rp-003", "dc-001"])
def test_classify_and_check_answer_the_same_for_tcvn3_text_and_a_vntime_docx(draft_id, kb_path, tmp_path):
    from test_check import DEV

    text = POOL[draft_id] if draft_id in POOL else unicodedata.normalize("NFC", DEV[draft_id]["text"])
    unicode_file = tmp_path / "unicode.txt"
    unicode_file.write_text(text, encoding="utf-8")
    tcvn3_file = tmp_path / "tcvn3.txt"
    tcvn3_file.write_bytes(to_tcvn3(text).encode("cp1252"))
    docx_file = tmp_path / "vntime.docx"
    docx_file.write_bytes(docx_bytes([tcvn3_runs(line) for line in text.split("\n")]))
    for command in ("classify", "check"):
        answers = []
        for path in (unicode_file, tcvn3_file, docx_file):
            result = CliRunner().invoke(cli, [command, str(path), "--db", str(kb_path), "--format", "json"],
                                        catch_exceptions=False)
            assert result.exit_code in (0, 1), result.output
            answers.append(result.stdout)
        assert "bảng mã cũ" not in answers[0]
        for answer, name in zip(answers[1:], ("tcvn3.txt", "vntime.docx")):
            assert "bảng mã cũ TCVN3" in answer
            assert command == "check" or f"{name}: văn bản gõ bằng bảng mã cũ" in answer  # the note names the file
            assert _answer(answer) == _answer(answers[0]), (command, name)


def test_the_shipped_law_texts_and_check_drafts_are_never_converted():
    """Real decisions and laws (data/) and the checker's development drafts: all Unicode, none converted."""
    from cancu.ingest.readers import SUPPORTED_SUFFIXES

    data = Path(__file__).parent.parent / "data"
    sources = [path for path in sorted(data.rglob("*")) if path.suffix.lower() in SUPPORTED_SUFFIXES]
    assert len(sources) >= 10
    for path in sources:
        document = read_file(path)
        assert document.warnings == () and legacy.choose_encoding(document.text) == legacy.Detection(None), path
    check_dev = Path(__file__).parent / "data" / "check" / "check-dev.jsonl"
    for draft in map(json.loads, filter(None, check_dev.read_text(encoding="utf-8").splitlines())):
        assert legacy.convert(draft["text"]) == (draft["text"], legacy.Detection(None)), draft["id"]


@pytest.mark.asyncio
async def test_a_draft_pasted_from_a_vntime_document_is_classified_as_its_unicode_text(kb_path):
    """Copying from a .VnTime document pastes the look-alike characters: the classify page converts them."""
    from datasette.app import Datasette

    from test_hostile import SECRET_DRAFT, _token

    ds = Datasette([str(kb_path)])
    token, cookies = await _token(ds)
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": to_tcvn3(SECRET_DRAFT)},
                                    cookies=cookies)
    assert response.status_code == 200
    assert f"Nội dung dán vào: {TCVN3_NOTE}." in response.text
    assert 'Độ mật đề xuất: <span class="cancu-level">Tối mật</span>' in response.text


@pytest.mark.asyncio
async def test_an_uploaded_vntime_file_is_classified_as_its_unicode_text_and_says_it_was_converted(kb_path):
    """The page tells whoever uploads a legacy-encoded file that it was converted, as the command line does."""
    from datasette.app import Datasette

    from test_hostile import SECRET_DRAFT, _token

    ds = Datasette([str(kb_path)])
    token, cookies = await _token(ds)
    data = to_tcvn3(SECRET_DRAFT).encode("latin-1", errors="strict")
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token},
                                    files={"draft_file": ("du-thao.txt", data, "text/plain")}, cookies=cookies)
    assert response.status_code == 200
    assert f"Tệp “du-thao.txt”: {TCVN3_NOTE}." in response.text
    assert 'Độ mật đề xuất: <span class="cancu-level">Tối mật</span>' in response.text


@pytest.mark.asyncio
async def test_the_proposal_of_a_draft_pasted_from_a_vntime_document_is_that_of_its_unicode_text(kb_path):
    """The page's download buttons post the pasted text again: the proposal is built on it as the page read it."""
    from datasette.app import Datasette

    from test_hostile import SECRET_DRAFT, _token

    ds = Datasette([str(kb_path)])
    proposals = []
    for pasted in (SECRET_DRAFT, to_tcvn3(SECRET_DRAFT)):
        token, cookies = await _token(ds)
        response = await ds.client.post("/-/phan-loai/de-xuat?format=md", cookies=cookies,
                                        data={"csrftoken": token, "as_of": "2024-12-12", "draft_text": pasted})
        assert response.status_code == 200
        proposals.append(response.text)
    assert "Tối mật" in proposals[0]
    assert proposals[1] == proposals[0]
