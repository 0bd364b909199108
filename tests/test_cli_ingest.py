"""`cancu ingest` as a security officer runs it on the decisions the agency received.

Real files, the real command (CliRunner), a private knowledge base per test
(--no-shipped): every refusal names the file and says the problem in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cancu.cli import cli

FRONT_MATTER = """---
number: "999/QĐ-TTg"
date: "2025-05-01"
title: {title}
field: "thử nghiệm"
issuer: "Thủ tướng Chính phủ"
effective: "2025-05-01"
status: "in_force"
text_completeness: "full"
---
Điều 1. Bí mật nhà nước độ Tối mật gồm:
1. Kế hoạch thử nghiệm thiết bị đặc biệt chưa công khai.
"""


def ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)


def test_a_decision_whose_front_matter_is_well_formed_is_ingested(tmp_path):
    source = tmp_path / "qd-999.txt"
    source.write_text(FRONT_MATTER.format(title='"Ban hành Danh mục bí mật nhà nước lĩnh vực thử nghiệm"'),
                      encoding="utf-8")
    result = ingest(str(source), "--no-shipped", "--db", str(tmp_path / "kho.db"))
    assert result.exit_code == 0, result.output


def test_a_yaml_mistake_in_the_front_matter_is_told_in_vietnamese_with_file_and_line(tmp_path):
    title = 'Ban hành: "Danh mục'  # an unquoted colon: the officer's most common slip
    source = tmp_path / "qd-999.txt"
    source.write_text(FRONT_MATTER.format(title=title), encoding="utf-8")
    result = ingest(str(source), "--no-shipped", "--db", str(tmp_path / "kho.db"))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert "qd-999.txt" in first and "dòng 4" in first
    assert "mapping values" not in result.output and "not allowed" not in result.output  # libyaml's words
    assert "dấu ':'" in first
    assert not (tmp_path / "kho.db").exists()


def test_a_replacement_link_that_is_no_decision_number_or_points_to_itself_is_refused(tmp_path):
    """A typo in 'replaces' / 'replaced_by' would make a dead link, or a decision replaced by itself, and move
    the day its catalog stops being in force: refused, naming the file and the field."""
    title = '"Ban hành Danh mục bí mật nhà nước lĩnh vực thử nghiệm"'
    for line in ('replaces: "abc"', 'replaced_by: "999/QĐ-TTg"', 'replaces: ["531/QĐ-TTg", "khong ro"]'):
        source = tmp_path / "qd-999.txt"
        source.write_text(FRONT_MATTER.format(title=title).replace('status: "in_force"', line + '\nstatus: "in_force"'),
                          encoding="utf-8")
        result = ingest(str(source), "--no-shipped", "--db", str(tmp_path / "kho.db"))
        assert result.exit_code == 1, line
        field = line.split(":")[0]
        assert "qd-999.txt" in result.output and f"'{field}'" in result.output, line
        assert not (tmp_path / "kho.db").exists()
    source.write_text(FRONT_MATTER.format(title=title).replace('status: "in_force"', 'replaces: "531/QD-TTg"\n'
                                                               'status: "in_force"'), encoding="utf-8")
    assert ingest(str(source), "--no-shipped", "--db", str(tmp_path / "kho.db")).exit_code == 0


HEADER_ONLY = """THỦ TƯỚNG CHÍNH PHỦ
Số: 998/QĐ-TTg
Hà Nội, ngày 12 tháng 3 năm 2025
QUYẾT ĐỊNH
Ban hành Danh mục bí mật nhà nước lĩnh vực thử nghiệm
THỦ TƯỚNG CHÍNH PHỦ
QUYẾT ĐỊNH:
Điều 1. Bí mật nhà nước độ Tối mật gồm:
1. Kế hoạch thử nghiệm thiết bị đặc biệt chưa công khai.
Điều 2. Bí mật nhà nước độ Mật gồm:
1. Số liệu thử nghiệm thiết bị đặc biệt chưa công khai.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_stats_never_calls_a_decision_with_items_one_without_text(tmp_path):
    import docx

    source = tmp_path / "qd-998.docx"
    document = docx.Document()
    for line in HEADER_ONLY.splitlines():
        document.add_paragraph(line)
    document.save(source)
    db = tmp_path / "kho.db"
    assert ingest(str(source), "--no-shipped", "--db", str(db)).exit_code == 0
    stats = CliRunner().invoke(cli, ["stats", "--db", str(db)], catch_exceptions=False)
    row = next(line for line in stats.output.splitlines() if "998/QĐ-TTg" in line)
    assert "không có văn bản" not in row and "chưa rõ" in row  # as the summary above it counts it


def test_a_new_ingest_says_which_decisions_of_the_previous_one_it_no_longer_holds(tmp_path):
    first = tmp_path / "qd-999.txt"
    first.write_text(FRONT_MATTER.format(title='"Danh mục thử nghiệm"'), encoding="utf-8")
    second = tmp_path / "qd-998.txt"
    second.write_text(HEADER_ONLY, encoding="utf-8")
    db = tmp_path / "kho.db"
    assert ingest(str(first), "--no-shipped", "--db", str(db)).exit_code == 0
    again = ingest(str(first), "--no-shipped", "--db", str(db))
    assert "999/QĐ-TTg" not in again.stderr  # nothing lost: nothing said
    result = ingest(str(second), "--no-shipped", "--db", str(db))
    assert result.exit_code == 0
    note = next(line for line in result.stderr.splitlines() if "999/QĐ-TTg" in line)
    assert "qd-999.txt" in note


def test_a_decision_file_whose_name_is_not_utf8_is_ingested(tmp_path):
    """A decision unpacked from a Windows zip: "qđ-999.txt" named in Windows-1258 bytes."""
    import os
    import sqlite3

    source = tmp_path / os.fsdecode(b"q\xf0-999.txt")
    source.write_text(FRONT_MATTER.format(title='"Danh mục thử nghiệm"'), encoding="utf-8")
    db = tmp_path / "kho.db"
    result = ingest(str(source), "--no-shipped", "--db", str(db))
    assert result.exit_code == 0, result.output
    (stored,) = sqlite3.connect(db).execute("select source_file from decisions").fetchone()
    assert stored == "q\ufffd-999.txt"


def test_ingest_never_overwrites_a_file_that_is_not_a_knowledge_base(tmp_path):
    """`cancu ingest --db du-thao.docx qd.docx` (options swapped): the draft must survive."""
    import sqlite3

    draft = tmp_path / "du-thao.txt"
    draft.write_text("MẬT\nBáo cáo kết quả thanh tra.\n", encoding="utf-8")
    other = tmp_path / "ung-dung-khac.db"
    sqlite3.connect(other).execute("create table notes (text)").connection.commit()
    source = tmp_path / "qd-999.txt"
    source.write_text(FRONT_MATTER.format(title='"Danh mục thử nghiệm"'), encoding="utf-8")
    for target in (draft, other):
        before = target.read_bytes()
        result = ingest(str(source), "--no-shipped", "--db", str(target))
        assert result.exit_code == 1
        assert target.read_bytes() == before
        assert target.name in result.output and "--db" in result.output
    kb = tmp_path / "kho.db"
    assert ingest(str(source), "--no-shipped", "--db", str(kb)).exit_code == 0
    assert ingest(str(source), "--no-shipped", "--db", str(kb)).exit_code == 0  # its own rebuild is fine
