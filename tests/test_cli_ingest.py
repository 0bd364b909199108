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
