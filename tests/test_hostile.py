"""Hostile files, faults and requests (issue 10): no wrong answer, no stopped batch, no exhausted machine.

Every test uses real parts: files written byte by byte (tests/hostile_files.py), the
real CLI through CliRunner, a real SQLite knowledge base, Datasette's test client.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

import hostile_files
from cancu import plugin
from cancu.checker.check import check_file
from cancu.classifier import classify, load_kb
from cancu.cli import cli
from cancu.ingest import build, readers
from cancu.ingest.build import build_kb, ensure_kb, kb_is_current, remove_leftovers
from cancu.ingest.errors import KnowledgeBaseUnusable, ParseError, SourceUnreadable
from cancu.ingest.parse import parse_decision
from cancu.serve import load_metadata

DATA = Path(__file__).parent / "data"
SECRET_DRAFT = (DATA / "drafts" / "d-008.txt").read_text(encoding="utf-8")  # Tối mật: exam questions
PLAIN_DRAFT = (DATA / "drafts" / "thong-bao-nghi-tet.txt").read_text(encoding="utf-8")
SHIPPED = Path(__file__).parent.parent / "data"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# --------------------------------------------------------------------------- one reading boundary


@pytest.fixture
def damaged_batch(tmp_path) -> Path:
    folder = tmp_path / "du-thao"
    folder.mkdir()
    (folder / "tot.txt").write_text(SECRET_DRAFT, encoding="utf-8")
    hostile_files.damage_docx(folder / "hong.docx", SECRET_DRAFT)
    hostile_files.pdf_unknown_filter(folder / "hong.pdf")
    return folder


def test_a_damaged_docx_and_pdf_do_not_stop_the_batch(damaged_batch, kb_path, tmp_path):
    report_path = tmp_path / "bao-cao.json"
    result = run("check", str(damaged_batch), "--db", str(kb_path), "--format", "json", "--output", str(report_path))
    assert result.exit_code == 1, result.output  # findings, not "could not run"
    report = {Path(r["file"]).name: r for r in json.loads(report_path.read_text(encoding="utf-8"))}
    assert sorted(report) == ["hong.docx", "hong.pdf", "tot.txt"]
    assert report["tot.txt"]["level"] == "Tối mật"
    assert [f["code"] for f in report["hong.docx"]["findings"]] == ["unreadable"]
    assert "không phải tệp .docx hợp lệ" in report["hong.docx"]["findings"][0]["message"]
    assert [f["code"] for f in report["hong.pdf"]["findings"]] == ["unreadable"]
    assert "PDF hỏng hoặc không hợp lệ: dùng kiểu nén chưa được hỗ trợ" in report["hong.pdf"]["findings"][0]["message"]
    for file in ("hong.docx", "hong.pdf"):  # plain words for the officer, no library exception name
        assert "Error" not in report[file]["findings"][0]["message"]
        assert "(" not in report[file]["error"]


def test_the_damaged_files_survive_two_workers(damaged_batch, kb_path):
    result = run("check", str(damaged_batch), "--db", str(kb_path), "--workers", "2", "--format", "json")
    assert result.exit_code == 1
    codes = {Path(r["file"]).name: [f["code"] for f in r["findings"]] for r in json.loads(result.stdout)}
    assert codes["hong.docx"] == codes["hong.pdf"] == ["unreadable"]


def test_classify_several_files_reports_the_damaged_one_and_goes_on(damaged_batch, kb_path):
    result = run("classify", str(damaged_batch / "hong.docx"), str(damaged_batch / "tot.txt"), "--db", str(kb_path),
                 "--json")
    assert result.exit_code == 1
    assert f"Lỗi: {damaged_batch / 'hong.docx'}: không đọc được tệp: không phải tệp .docx hợp lệ" in result.stderr
    assert json.loads(result.stdout)["level"] == "Tối mật"


def test_ingest_keep_going_skips_a_damaged_docx(tmp_path):
    hostile_files.damage_docx(tmp_path / "hong.docx", "Điều 1. Bí mật nhà nước độ Mật gồm:\n1. Thông tin.")
    db_path = tmp_path / "kho.db"
    result = run("ingest", str(tmp_path / "hong.docx"), "--db", str(db_path), "--keep-going")
    assert result.exit_code == 1  # the rest is built; the exit status says a file needs the user
    assert f"Bỏ qua: {tmp_path / 'hong.docx'}: không đọc được tệp: không phải tệp .docx hợp lệ" in result.stderr
    assert db_path.exists()


def test_a_declared_size_over_the_limit_is_refused_before_inflating(tmp_path, monkeypatch):
    path = hostile_files.declare_size(tmp_path / "bom.docx", SECRET_DRAFT, 1 << 30)
    inflated = []
    original = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, *a: inflated.append(name) or original(self, name, *a))
    with pytest.raises(SourceUnreadable, match=r"khai báo giải nén ra 1\.073\.74\d\.\d+ byte"):
        readers.read_file(path)
    assert "word/document.xml" not in inflated


def test_a_docx_of_endless_paragraphs_is_refused(tmp_path):
    path = hostile_files.make_paragraph_bomb(tmp_path / "doan.docx", 2 << 20)
    with pytest.raises(SourceUnreadable, match="có hơn 100.000 đoạn"):
        readers.read_file(path)


def test_size_limit_is_checked_before_reading_and_can_be_raised(tmp_path, monkeypatch):
    path = tmp_path / "dai.txt"
    path.write_text(SECRET_DRAFT, encoding="utf-8")
    monkeypatch.setenv("CANCU_MAX_BYTES", "1000")
    with pytest.raises(SourceUnreadable, match="quá giới hạn 1.000 byte"):
        readers.read_file(path)
    monkeypatch.setenv("CANCU_MAX_BYTES", str(10 * len(SECRET_DRAFT.encode())))
    assert readers.read_file(path).text.startswith(SECRET_DRAFT.splitlines()[0])


def test_uploaded_bytes_go_through_the_same_boundary(tmp_path):
    data = hostile_files.damage_docx(tmp_path / "x.docx", SECRET_DRAFT).read_bytes()
    with pytest.raises(SourceUnreadable, match="du-thao.docx: không đọc được tệp: không phải tệp .docx hợp lệ") as refused:
        readers.read_bytes(data, "du-thao.docx")
    assert refused.value.reason == "không phải tệp .docx hợp lệ: tệp nén bị hỏng"
    assert refused.value.detail.split(":")[0] in ("BadZipFile", "error")  # the library's class, for logs only
    assert readers.read_bytes(SECRET_DRAFT.encode(), "du-thao.txt").text == SECRET_DRAFT


# --------------------------------------------------------------------------- honest decoding


def test_a_stray_byte_keeps_the_level_and_carries_a_warning(tmp_path, kb):
    path = tmp_path / "du-thao.txt"
    path.write_bytes(hostile_files.with_stray_byte(SECRET_DRAFT))
    result = check_file(path, kb)
    assert result.level == "Tối mật"
    assert result.findings[0].code == "damaged_text"
    assert "byte không hợp lệ theo mã UTF-8 ở dòng 5" in result.findings[0].message


def test_classify_prints_the_stray_byte_warning(tmp_path, kb_path):
    path = tmp_path / "du-thao.txt"
    path.write_bytes(hostile_files.with_stray_byte(SECRET_DRAFT))
    result = run("classify", str(path), "--db", str(kb_path), "--json")
    answer = json.loads(result.stdout)
    assert result.exit_code == 0 and answer["level"] == "Tối mật"
    assert any("byte không hợp lệ theo mã UTF-8" in warning for warning in answer["warnings"])


def test_a_mixed_file_is_read_line_by_line_and_flagged():
    data = hostile_files.mixed_encoding("Kế hoạch tổ chức kỳ thi", "Đề thi chính thức môn Hóa học")
    document = readers.read_bytes(data, "tron.txt")
    assert document.text.splitlines() == ["Kế hoạch tổ chức kỳ thi", "Đề thi chính thức môn Hóa học"]
    assert len(document.warnings) == 1 and "trộn hai bảng mã: dòng 2 đọc theo Windows-1258" in document.warnings[0]


def test_knowledge_base_sources_still_insist_on_utf8(tmp_path):
    path = tmp_path / "qd.txt"
    path.write_bytes(hostile_files.with_stray_byte(SECRET_DRAFT))
    with pytest.raises(SourceUnreadable, match="không phải mã UTF-8"):
        readers.read_file(path)


@pytest.mark.parametrize("data,message", [(b"", "tệp rỗng"), (b"  \n", "tệp rỗng"),
                                          (b"\x00\x01\x02\x03" * 50, "tệp nhị phân")])
def test_standard_input_is_checked_like_a_file(kb_path, data, message):
    result = run("classify", "-", "--db", str(kb_path), input=data)
    assert result.exit_code == 1
    assert f"Lỗi: không đọc được dự thảo từ đầu vào chuẩn (-): {message}" in result.stderr


# --------------------------------------------------------------------------- no silent skips


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_and_a_link_to_a_device_are_reported_not_read(tmp_path, kb_path):
    folder = tmp_path / "du-thao"
    folder.mkdir()
    (folder / "tot.txt").write_text(PLAIN_DRAFT, encoding="utf-8")
    os.mkfifo(folder / "ong.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "gay.txt").symlink_to(folder / "khong-co.txt")
    result = run("check", str(folder), "--db", str(kb_path), "--format", "json")
    assert result.exit_code == 1
    reasons = {Path(r["file"]).name: r["error"] for r in json.loads(result.stdout)}
    assert reasons["ong.txt"] == "không phải tệp thường mà là ống dẫn (FIFO); chỉ đọc tệp văn bản thường"
    assert reasons["zero.txt"] == "không phải tệp thường mà là thiết bị; chỉ đọc tệp văn bản thường"
    assert reasons["gay.txt"] == "không mở được vì tệp không tồn tại hoặc là liên kết hỏng"
    assert reasons["tot.txt"] is None
    named = run("check", str(folder / "ong.txt"), "--db", str(kb_path))  # named on the command line: no hang
    assert named.exit_code == 1 and "ống dẫn (FIFO)" in named.stdout


def test_a_locked_sub_folder_is_reported(tmp_path, kb_path, monkeypatch):
    folder = tmp_path / "du-thao"
    locked = folder / "khoa"
    locked.mkdir(parents=True)
    (locked / "mat.txt").write_text(SECRET_DRAFT, encoding="utf-8")
    (folder / "tot.txt").write_text(PLAIN_DRAFT, encoding="utf-8")
    if os.geteuid() == 0:
        # root lists a chmod 000 folder anyway (CI runs as root): make listing that folder fail as it
        # does for everyone else, at the one call that lists folders.
        real_scandir = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(readers.os, "scandir", scandir)
    locked.chmod(0)
    try:
        result = run("check", str(folder), "--recursive", "--db", str(kb_path), "--format", "json")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    reasons = {Path(r["file"]).name: r["error"] for r in json.loads(result.stdout)}
    assert reasons["khoa"].startswith("thư mục không liệt kê được vì không có quyền đọc;")
    assert reasons["tot.txt"] is None


# --------------------------------------------------------------------------- bounded work on the server


@pytest.fixture
def ds(kb_path) -> Datasette:
    return Datasette([str(kb_path)], metadata=load_metadata(kb_path.stem))


async def _token(ds: Datasette) -> tuple[str, dict]:
    response = await ds.client.get("/-/phan-loai")
    token = re.search(r'name="csrftoken" value="([^"]+)"', response.text).group(1)
    return token, {"ds_csrftoken": response.cookies["ds_csrftoken"]}


@pytest.mark.asyncio
async def test_a_post_without_cookie_or_token_is_refused(ds):
    """What a cross-site form sends: no cookie, no token (asgi-csrf alone lets it through)."""
    response = await ds.client.post("/-/phan-loai", data={"draft_text": SECRET_DRAFT})
    assert response.status_code == 403
    assert "Không xử lý: thiếu mã chống giả mạo" in response.text
    assert "Tổ ra đề" not in response.text and "cancu-citation" not in response.text


@pytest.mark.asyncio
async def test_a_post_from_another_site_is_refused_even_with_the_pair(ds):
    token, cookies = await _token(ds)
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": SECRET_DRAFT},
                                    cookies=cookies, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403 and "yêu cầu gửi từ trang web khác" in response.text
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": SECRET_DRAFT},
                                    cookies=cookies, headers={"origin": "http://evil.example"})
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_the_oversize_draft_is_not_echoed_back(ds):
    token, cookies = await _token(ds)
    draft_text = "đề thi " * (plugin.MAX_DRAFT_CHARS // 7 + 10)
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": draft_text},
                                    cookies=cookies)
    assert response.status_code == 400 and "Dự thảo dài quá 200.000 ký tự" in response.text
    assert len(response.text) < 50_000


@pytest.mark.asyncio
async def test_a_paste_goes_through_the_reading_boundary(ds):
    token, cookies = await _token(ds)
    draft_text = SECRET_DRAFT.replace("Tổ ra đề", "Tổ" + "\u0301" * 300 + " ra đề", 1)
    response = await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": draft_text},
                                    cookies=cookies)
    assert response.status_code == 200
    assert "Nội dung dán vào: bỏ 298 dấu phụ chồng lên nhau" in response.text  # two kept on the letter
    assert 'Độ mật đề xuất: <span class="cancu-level">Tối mật</span>' in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize("request_args,status", [
    (("get", "/{db}/items?_timelimit=abc"), {400}),
    (("post", "/{db}/dieu_khoan_ap_dung"), {405}),
    (("post", "/-/phan-loai", b"draft_text=\xff\xfe", "application/x-www-form-urlencoded"), {403}),
    (("post", "/-/phan-loai", b"--x\r\n\r\n--x--\r\n", "multipart/form-data; boundary=x"), {400, 403}),
    (("post", "/-/phan-loai", b"--x\r\n", "multipart/form-data"), {400}),
    (("post", "/-/phan-loai/de-xuat", b"--x\r\n\r\n--x--\r\n", "multipart/form-data; boundary=x"), {400, 403}),
])
async def test_malformed_requests_get_a_4xx_not_a_500(ds, kb_path, request_args, status):
    _, cookies = await _token(ds)
    method, path, *body = request_args
    path = path.format(db=kb_path.stem)
    if method == "get":
        response = await ds.client.get(path)
    else:
        content, content_type = body or (b"a=b", "application/x-www-form-urlencoded")
        # the cookie without the x-csrftoken header: the body itself must be read (asgi-csrf used to crash on it)
        response = await ds.client.post(path, content=content, cookies=cookies, headers={"content-type": content_type})
    assert response.status_code in status
    assert not re.search(r"\w+(Error|Exception)\b", response.text)  # plain words, no library exception name


@pytest.mark.asyncio
async def test_sql_cannot_build_huge_values_and_errors_are_not_printed(ds, kb_path, capsys):
    response = await ds.client.get(f"/{kb_path.stem}.json?sql=select+zeroblob(500000000)")
    assert response.status_code == 400 and "too big" in response.text
    response = await ds.client.get(f"/{kb_path.stem}.json?sql=select+printf('%.*c',+300000000,+'x')+as+v")
    assert response.status_code in (200, 400) and len(response.content) < 10_000  # NULL or an error, not 300 MB
    assert "zeroblob" not in capsys.readouterr().err


def test_prepare_connection_limits_value_length():
    conn = sqlite3.connect(":memory:")
    plugin.prepare_connection(conn)
    assert conn.execute("select length(zeroblob(50000))").fetchone() == (50000,)
    with pytest.raises(sqlite3.DataError):
        conn.execute("select zeroblob(100000000)").fetchone()


# --------------------------------------------------------------------------- the knowledge base under change


def test_classification_while_the_kb_is_replaced_returns_the_same_answer(tmp_path, kb_path):
    db_path = tmp_path / "cancu.db"
    db_path.write_bytes(kb_path.read_bytes())
    expected = classify(SECRET_DRAFT, load_kb(kb_path))
    kb = load_kb(db_path)
    # ingest replaces the file (a KB of one unrelated decision) before the first search of this run
    other = tmp_path / "khac.db"
    build_kb(other, [SHIPPED / "decisions" / "562-qd-ttg-2025.txt"], include_shipped=False)
    os.replace(other, db_path)
    answer = classify(SECRET_DRAFT, kb)
    assert (answer.level, [p.citation for p in answer.proposals]) == \
           (expected.level, [p.citation for p in expected.proposals])
    assert answer.level == "Tối mật"


def test_batch_workers_read_the_parents_knowledge_base(tmp_path, kb_path):
    from cancu.checker.check import check_files

    db_path = tmp_path / "cancu.db"
    db_path.write_bytes(kb_path.read_bytes())
    kb = load_kb(db_path)
    drafts = []
    for index in range(2):
        drafts.append(tmp_path / f"du-thao-{index}.txt")
        drafts[-1].write_text(SECRET_DRAFT, encoding="utf-8")
    other = tmp_path / "khac.db"
    build_kb(other, [SHIPPED / "decisions" / "562-qd-ttg-2025.txt"], include_shipped=False)
    os.replace(other, db_path)  # replaced after the run loaded its snapshot, before the workers start
    results = list(check_files(drafts, db_path, workers=2, kb=kb))
    assert [r.level for r in results] == ["Tối mật", "Tối mật"]


def test_no_shipped_works_with_catalog_texts_only(tmp_path):
    db_path = tmp_path / "rieng.db"
    result = run("ingest", str(SHIPPED / "decisions" / "531-qd-ttg-2023.txt"), "--no-shipped", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "1 quyết định có văn bản" in result.stdout and "0 văn bản luật" in result.stdout
    draft = tmp_path / "du-thao.txt"
    draft.write_text(SECRET_DRAFT, encoding="utf-8")
    result = run("classify", str(draft), "--db", str(db_path), "--json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    # only the user's catalog can be cited (how well it ranks without the shipped background is the classifier's)
    assert {p["decision"] for p in answer["proposals"] + answer["near_misses"]} == {"531/QĐ-TTg"}
    assert run("check", str(draft), "--db", str(db_path)).exit_code in (0, 1)


def test_an_older_schema_is_refused_or_rebuilt(tmp_path, kb_path):
    db_path = tmp_path / "cu.db"
    db_path.write_bytes(kb_path.read_bytes())
    with sqlite3.connect(db_path) as conn:
        conn.execute("pragma user_version = 0")
    with pytest.raises(KnowledgeBaseUnusable, match="lược đồ phiên bản 0"):
        load_kb(db_path)
    assert not kb_is_current(db_path)  # built from the shipped data: the next command rebuilds it
    ensure_kb(db_path)
    assert load_kb(db_path).catalog_items


def test_a_failed_rebuild_falls_back_to_the_existing_database(tmp_path, kb_path, monkeypatch):
    db_path = tmp_path / "cancu.db"
    db_path.write_bytes(kb_path.read_bytes())
    with sqlite3.connect(db_path) as conn:
        conn.execute("update meta set value = 'cu' where key = 'data_fingerprint'")  # stale

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "build_kb", disk_full)
    warnings = []
    assert ensure_kb(db_path, warn=warnings.append) == db_path
    assert warnings == [f"không dựng lại được {db_path} từ dữ liệu đi kèm (No space left on device); "
                        "dùng bản hiện có, có thể đã cũ"]
    draft = tmp_path / "du-thao.txt"
    draft.write_text(SECRET_DRAFT, encoding="utf-8")
    result = run("check", str(draft), "--db", str(db_path))
    assert "Cảnh báo: không dựng lại được" in result.stderr and result.exit_code in (0, 1)


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    db_path = tmp_path / "cancu.db"
    dead = tmp_path / f".cancu.db.{2**22 + 12345}.tmp"  # above any pid_max default: no such process
    alive = tmp_path / f".cancu.db.{os.getppid()}.tmp"
    dead.write_bytes(b"half a database")
    alive.write_bytes(b"another build in progress")
    assert remove_leftovers(db_path) == [dead]
    assert alive.exists() and not dead.exists()


def test_a_damaged_database_is_a_message_not_a_traceback(tmp_path):
    db_path = tmp_path / "hong.db"
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a traceback
    assert result.stderr.startswith(f"Lỗi: {db_path}: ") and result.stderr.count("\n") == 1
    result = CliRunner().invoke(cli, ["check", str(DATA / "drafts" / "d-008.txt"), "--db", str(db_path)])
    assert result.exit_code == 2 and result.stderr.startswith("Lỗi: ")


# --------------------------------------------------------------------------- ingest validates what it stores


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bom.txt"
    with pytest.raises(ParseError, match="dòng 3: phần đầu YAML dùng neo/bí danh"):
        parse_decision(hostile_files.alias_bomb_header(), path)


@pytest.mark.parametrize("header,message", [
    ('number: 9103', "trường 'number' không phải số quyết định"),
    ('number: "1/QĐ-TTg"\ntext_completeness: bogus', "'text_completeness' phải là một trong full, partial, summary"),
    ('number: "1/QĐ-TTg"\nsources: "http://x"', "trường 'sources' phải là danh sách"),
])
def test_ingest_refuses_values_it_would_store_wrongly(tmp_path, header, message):
    path = tmp_path / "qd.txt"
    path.write_text(f"---\n{header}\n---\nĐiều 1. Bí mật nhà nước độ Mật gồm:\n1. Thông tin.\n", encoding="utf-8")
    result = run("ingest", str(path), "--no-shipped", "--db", str(tmp_path / "kho.db"))
    assert result.exit_code == 1 and message in result.stderr


def test_a_huge_article_number_names_file_and_line(tmp_path):
    text = '---\nnumber: "1/QĐ-TTg"\n---\nĐiều 1. Bí mật nhà nước độ Mật gồm:\n1. Thông tin.\nĐiều 123456789012345678901234. Hết.\n'
    with pytest.raises(ParseError, match=r"qd.txt, dòng 6: số Điều/khoản quá lớn \(123456789012345678901234\)"):
        parse_decision(text, tmp_path / "qd.txt")


# --------------------------------------------------------------------------- the CLI's error boundary


def test_a_full_disk_during_ingest_is_one_line_and_keeps_the_old_kb(tmp_path, kb_path, monkeypatch):
    db_path = tmp_path / "kho.db"
    db_path.write_bytes(kb_path.read_bytes())
    before = db_path.read_bytes()

    def disk_full(path, *args, **kwargs):
        Path(path).write_bytes(b"partial")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build, "write_kb", disk_full)
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db_path)])
    assert result.exit_code == 1 and not isinstance(result.exception, sqlite3.Error)
    assert result.stderr == ("Lỗi: ổ đĩa đã đầy khi ghi cơ sở dữ liệu; giải phóng chỗ trống rồi chạy lại "
                             "(bản cũ vẫn giữ nguyên)\n")
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob(".kho.db.*.tmp"))


def test_a_bug_still_surfaces_with_its_traceback(tmp_path, kb_path, monkeypatch):
    monkeypatch.setattr(build, "write_kb", lambda *a, **k: {}["not an environment error"])
    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "kho.db")])
    assert isinstance(result.exception, KeyError)


@pytest.mark.parametrize("code", [errno.ENOENT, errno.EACCES, errno.ENOSPC, errno.EXDEV, errno.EBUSY])
@pytest.mark.parametrize("writing", [False, True])
def test_system_reason_never_shows_the_systems_english_text(code, writing):
    from cancu.ingest.errors import system_reason

    error = OSError(code, os.strerror(code), "/tmp/x")
    reason = system_reason(error, writing=writing)
    assert os.strerror(code) not in reason
    assert reason.startswith(("hệ điều hành báo lỗi", "tệp", "thư mục", "không", "ổ đĩa", "đó là", "tên", "lỗi",
                              "liên kết", "mở quá"))
