"""The commands as drafters and inspectors run them: where results go, what standard input holds, --rules.

Each test runs the real `cancu` command (CliRunner) against the knowledge base built by the
real ingest, on real files written here, and asserts what must never happen to the user's
files: a draft overwritten by its own report, a report lost after the work was done, an
earlier result wiped by a run that produced nothing, a PDF piped in read as plain text.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import cli

from test_check import DEV, make_docx, make_text_pdf

# A stamped draft with a stated basis that the catalog holds (field: water resources, border rivers).
DRAFT = DEV["dc-001"]["text"]


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def draft(tmp_path) -> Path:
    path = tmp_path / "du-thao.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- --output never eats a draft


@pytest.mark.parametrize("command, extra", [("classify", []), ("de-xuat", []), ("check", ["--format", "md"])])
def test_output_naming_an_input_draft_is_refused_and_the_draft_kept(command, extra, draft, kb_path):
    before = draft.read_bytes()
    result = run(command, str(draft), "--db", str(kb_path), *extra, "--output", str(draft))
    assert result.exit_code == 2
    assert draft.read_bytes() == before
    assert "du-thao.txt" in result.output and "--output" in result.output


def test_check_refuses_an_output_inside_the_folder_it_reads_only_when_it_is_a_draft(draft, kb_path, tmp_path):
    # a report next to the drafts is fine as long as it is not one of them
    report = tmp_path / "bao-cao.csv"
    result = run("check", str(tmp_path), "--db", str(kb_path), "--format", "csv", "--output", str(report))
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8-sig").startswith("file,")


# --------------------------------------------------------------------------- an unwritable --output fails first


@pytest.mark.parametrize("command", ["classify", "de-xuat", "check"])
def test_an_output_in_a_missing_folder_is_refused_before_any_work(command, draft, kb_path, tmp_path, monkeypatch):
    import cancu.classifier as classifier

    def must_not_run(*args, **kwargs):
        raise AssertionError("the drafts were processed although the result could not be written")

    monkeypatch.setattr(classifier, "classify", must_not_run)
    monkeypatch.setattr("cancu.checker.check.check_files", must_not_run)
    target = tmp_path / "khong-co" / "ket-qua.txt"
    result = run(command, str(draft), "--db", str(kb_path), "--output", str(target))
    assert result.exit_code == 2
    assert "khong-co" in result.output and "Traceback" not in result.output
    assert not target.exists()


# --------------------------------------------------------------------------- nothing done, nothing overwritten


def test_classify_whose_every_input_fails_leaves_an_earlier_result_alone(kb_path, tmp_path):
    earlier = tmp_path / "ket-qua.md"
    earlier.write_text("## Kết quả lần trước\n", encoding="utf-8")
    result = run("classify", str(tmp_path / "khong-co.txt"), "--db", str(kb_path), "--format", "md",
                 "--output", str(earlier))
    assert result.exit_code == 1
    assert earlier.read_text(encoding="utf-8") == "## Kết quả lần trước\n"
    assert "khong-co.txt" in result.output


def test_classify_writes_what_it_could_when_some_inputs_fail(draft, kb_path, tmp_path):
    target = tmp_path / "ket-qua.json"
    result = run("classify", str(draft), str(tmp_path / "khong-co.txt"), "--db", str(kb_path), "--format", "json",
                 "--output", str(target))
    assert result.exit_code == 1
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(draft)]


# --------------------------------------------------------------------------- standard input of any format


def _as_html(text: str) -> bytes:
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Dự thảo</title></head><body>"
            + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()) + "</body></html>").encode()


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_a_document_piped_in_is_read_like_the_same_file(kind, kb_path, tmp_path):
    path = tmp_path / f"du-thao.{kind}"
    if kind == "pdf":
        make_text_pdf(path, DRAFT.splitlines())
    elif kind == "docx":
        make_docx(path, DRAFT)
    else:
        path.write_bytes(_as_html(DRAFT))
    from_file = run("classify", str(path), "--db", str(kb_path), "--format", "json")
    piped = run("classify", "-", "--db", str(kb_path), "--format", "json", input=path.read_bytes())
    assert from_file.exit_code == 0 and piped.exit_code == 0, piped.output
    expected, got = json.loads(from_file.stdout), json.loads(piped.stdout)
    assert expected["level"] is not None
    assert (got["level"], got["as_of"]) == (expected["level"], expected["as_of"])
    assert [p["citation"] for p in got["proposals"]] == [p["citation"] for p in expected["proposals"]]


def test_plain_text_that_mentions_html_is_still_plain_text(kb_path):
    text = "Ghi chú: trang <html> của cổng thông tin.\n" + DRAFT
    result = run("classify", "-", "--db", str(kb_path), "--format", "json", input=text.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] is not None


# --------------------------------------------------------------------------- the officer's rules, everywhere


def test_de_xuat_takes_the_officers_rules_like_classify(draft, kb_path, tmp_path, monkeypatch):
    monkeypatch.setenv("CANCU_RULES", "")  # restored after the test, whatever --rules writes
    broken = tmp_path / "quy-tac.yml"
    broken.write_text("synonyms: [1, 2\n", encoding="utf-8")
    for command in ("classify", "de-xuat"):
        result = run(command, str(draft), "--db", str(kb_path), "--rules", str(broken))
        assert result.exit_code == 1, (command, result.output)
        assert "quy-tac.yml" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- sub-folders left out are said


def test_check_without_recursive_says_which_sub_folders_it_left_out(draft, kb_path, tmp_path):
    inner = tmp_path / "phong-ke-hoach"
    inner.mkdir()
    (inner / "du-thao-2.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / ".git").mkdir()  # hidden: never a folder of drafts
    result = run("check", str(tmp_path), "--db", str(kb_path), "--format", "json")
    assert [r["file"] for r in json.loads(result.stdout)] == [str(draft)]
    assert "phong-ke-hoach" in result.stderr and "--recursive" in result.stderr
    assert ".git" not in result.stderr
    recursive = run("check", str(tmp_path), "--db", str(kb_path), "--format", "json", "--recursive")
    assert len(json.loads(recursive.stdout)) == 2
    assert "--recursive" not in recursive.stderr


# --------------------------------------------------------------------------- an assumed date is said so


@pytest.mark.parametrize("output_format", ["table", "md"])
def test_check_says_when_the_date_is_the_first_of_a_month_left_without_a_day(output_format, kb_path, tmp_path):
    path = tmp_path / "chua-ghi-ngay.txt"
    path.write_text(DRAFT.replace("ngày 07 tháng 5 năm 2024", "ngày      tháng 5 năm 2024"), encoding="utf-8")
    classified = run("classify", str(path), "--db", str(kb_path))
    checked = run("check", str(path), "--db", str(kb_path), "--format", output_format)
    assert "01/5/2024 (ngày 1 của tháng ghi ở phần đầu dự thảo; dự thảo chưa ghi ngày)" in classified.stdout
    assert "01/5/2024 (ngày 1 của tháng ghi ở phần đầu dự thảo; dự thảo chưa ghi ngày)" in checked.stdout


def test_a_draft_named_twice_is_checked_once(draft, kb_path, tmp_path):
    """`cancu check thu-muc/ thu-muc/du-thao.txt`: the report counts drafts, not mentions."""
    result = run("check", str(tmp_path), str(draft), str(tmp_path / "." / draft.name), "--db", str(kb_path),
                 "--format", "json")
    assert [r["file"] for r in json.loads(result.stdout)] == [str(draft)]


# --------------------------------------------------------------------------- file names that are not UTF-8


@pytest.mark.parametrize("command, output_format", [("check", "csv"), ("check", "md"), ("check", "json"),
                                                     ("classify", "md")])
def test_a_file_name_in_a_legacy_encoding_does_not_stop_the_report(command, output_format, kb_path, tmp_path):
    """Drafts unpacked from a Windows zip keep names in Windows-1258 bytes ("báo-cáo" as b"b\\xe1o-c\\xe1o")."""
    import os

    folder = tmp_path / "giai-nen"
    folder.mkdir()
    name = os.fsdecode(b"b\xe1o-c\xe1o.txt")
    (folder / name).write_text(DRAFT, encoding="utf-8")
    target = tmp_path / f"bao-cao.{output_format}"
    source = str(folder) if command == "check" else str(folder / name)
    result = run(command, source, "--db", str(kb_path), "--format", output_format, "--output", str(target))
    assert result.exit_code == 0, result.output
    report = target.read_text(encoding="utf-8-sig")  # strict: the report is clean UTF-8
    assert "b\ufffdo-c\ufffdo.txt" in report  # shown as the terminal shows it


# --------------------------------------------------------------------------- a console that is not UTF-8


def test_output_redirected_through_a_legacy_code_page_is_written_in_utf8(draft, kb_path, tmp_path):
    """On Windows, `cancu classify du-thao.txt > ket-qua.txt` writes through the ANSI code page (cp1252),
    which has no Vietnamese letters: the report must still be written, in UTF-8, and errors too."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "CANCU_DB": str(kb_path), "CANCU_RULES": ""}
    script = "from cancu.cli import cli; cli()"
    done = subprocess.run([sys.executable, "-c", script, "classify", str(draft), str(tmp_path / "khong-co.txt")],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")  # one file missing, no traceback
    assert "Đề xuất độ mật" in done.stdout.decode("utf-8")
    assert "Lỗi: " in done.stderr.decode("utf-8") and "Traceback" not in done.stderr.decode("utf-8")


def test_the_proposal_docx_carries_no_template_metadata(draft, kb_path, tmp_path):
    """The file goes to the head of the agency: no "generated by python-docx", no 2013 creation date."""
    import datetime as dt

    import docx

    target = tmp_path / "de-xuat.docx"
    assert run("de-xuat", str(draft), "--db", str(kb_path), "--format", "docx", "-o", str(target)).exit_code == 0
    properties = docx.Document(target).core_properties
    assert "python-docx" not in (properties.comments or "")
    assert properties.created.replace(tzinfo=None) > dt.datetime(2020, 1, 1)


def test_the_csv_report_says_where_each_date_comes_from(draft, kb_path, tmp_path):
    """A spreadsheet of the batch must tell a draft dated 07/5/2024 from one judged on today's date."""
    import csv
    import io

    undated = tmp_path / "khong-ngay.txt"
    undated.write_text(DRAFT.replace("Hà Nội, ngày 07 tháng 5 năm 2024", "Hà Nội"), encoding="utf-8")
    result = run("check", str(draft), str(undated), "--db", str(kb_path), "--format", "csv")
    rows = {Path(row["file"]).name: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["du-thao.txt"]["date"], rows["du-thao.txt"]["date_source"]) == ("2024-05-07", "header")
    assert rows["khong-ngay.txt"]["date_source"] == "today"


@pytest.mark.parametrize("command", ["classify", "check", "de-xuat"])
def test_output_dash_is_standard_output_as_in_every_unix_tool(command, draft, kb_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(command, str(draft), "--db", str(kb_path), "--output", "-")
    assert result.exit_code in (0, 1)
    assert "1660/QĐ-TTg" in result.stdout
    assert not (tmp_path / "-").exists()
