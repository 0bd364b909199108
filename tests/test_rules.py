"""Rules and terms an officer can change safely: own rules file on top, one-line errors, freshness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.classifier.rules import RulesError, load_rules
from cancu.cli import cli
from cancu.ingest import build
from cancu.ingest.build import build_kb, kb_is_current, shipped_data_dir
from cancu.ingest.datafiles import DataFileError

DRAFT = Path(__file__).parent / "data" / "drafts" / "d-008.txt"


@pytest.fixture
def officer_rules(tmp_path, monkeypatch):
    """Write an officer's rules file; $CANCU_RULES is restored after the test whatever the CLI sets.

    (``setenv`` records the value before the test, so undoing it also undoes what --rules wrote.)
    """
    monkeypatch.setenv("CANCU_RULES", "")

    def write(text: str, name: str = "quy-tac-rieng.yml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def own_kb(kb_path, tmp_path) -> Path:
    """A copy of the session's KB, so the classifier's per-item cache for the officer's rules lands beside it."""
    copy = tmp_path / "kb.db"
    shutil.copyfile(kb_path, copy)
    return copy


BROKEN = [
    ('synonyms:\n  "trung học": "THPT"\n', "synonyms 'trung học'", "danh sách chuỗi"),
    ("conditions:\n  - name: x\n    message: y\n", "điều kiện thứ 1 'x'", "thiếu hoặc rỗng: defeaters, item_pattern"),
    ("conditions: [\n  - a\n", "dòng 2, cột 3", "viết sai cú pháp YAML: thiếu giá trị"),
    ('synonyms:\n  "học sinh": [HS\n', "dòng 3, cột 1", "thiếu dấu ',' hoặc ']'"),
    ("synonym:\n  a: [b]\n", "synonym", "mục 'synonym' không có"),
    ('items:\n  - refs: ["562/QĐ-TTg khoản 99 Điều 2"]\n    message: m\n', None, "không có trong kho dữ liệu"),
    ("items:\n  - refs: [\"562/QĐ-TTg Điều 2\"]\n    area_km2_above: nhiều\n", "items thứ 1", "phải là một số"),
    ("conditions:\n  - name: a\n    message: b\n    item_pattern: '(chua'\n    defeaters: x\n", None, "biểu thức của 'a' sai"),
    ("conditions:\n  - name: a\n    message: b\n    item_pattern: chua cong khai\n    defeaters: da cong bo\n"
     "    examples:\n      draft: [\"Kết quả chưa công bố.\"]\n", None, "ví dụ draft không khớp"),
    ("- một\n- hai\n", None, "phải gồm các mục"),
]


@pytest.mark.parametrize("text, entry, what", BROKEN)
def test_a_broken_rules_file_is_one_line_naming_file_entry_and_fault(own_kb, officer_rules, text, entry, what):
    path = officer_rules(text)
    outcome = CliRunner().invoke(cli, ["classify", "--rules", str(path), "--db", str(own_kb), "--json", str(DRAFT)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    [message] = [line for line in outcome.stderr.splitlines() if line.startswith("Lỗi:")]  # one line
    assert message.startswith(f"Lỗi: {path}")
    assert what in message and "quy tắc không hợp lệ" in message
    if entry:
        assert f"{path}, {entry}:" in message


def test_check_stops_with_exit_two_on_broken_rules_even_with_workers(own_kb, officer_rules, tmp_path):
    path = officer_rules("conditions:\n  - name: x\n")
    (tmp_path / "a.txt").write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", str(own_kb),
                                       "--rules", str(path), "--workers", "2"])
    assert outcome.exit_code == 2
    [message] = [line for line in outcome.stderr.splitlines() if line.startswith("Lỗi:")]
    assert message.startswith(f"Lỗi: {path}, điều kiện thứ 1 'x': quy tắc không hợp lệ: thiếu")


def test_the_error_survives_a_worker_process():
    import pickle

    error = RulesError("/tmp/r.yml", "thiếu: name", "điều kiện thứ 1")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RulesError and str(copy) == str(error) == "/tmp/r.yml, điều kiện thứ 1: quy tắc không hợp lệ: thiếu: name"


def test_officer_rules_apply_on_top_of_the_shipped_ones(kb, officer_rules, monkeypatch):
    shipped = load_rules(kb)
    path = officer_rules(
        'synonyms:\n  "ủy ban nhân dân": ["UB"]\nstopwords: "chẳng"\nweak_words: ["bản sao"]\n'
        "conditions:\n  - name: chưa công khai\n    message: thông điệp của cán bộ\n"
        "    item_pattern: chua cong khai\n    defeaters: da cong bo\n")
    monkeypatch.setenv("CANCU_RULES", str(path))
    merged = load_rules(kb)
    assert len(merged.synonyms) == len(shipped.synonyms) + 1 and merged.synonyms[:-1] == shipped.synonyms
    assert merged.synonyms[-1][0] == "ủy ban nhân dân"
    assert merged.stopwords == shipped.stopwords | {"chẳng"} and "ban sao" in merged.weak_words
    names = [c.name for c in merged.conditions]
    assert len(names) == len(set(names)) and set(names) == {c.name for c in shipped.conditions} | {"chưa công khai"}
    assert next(c for c in merged.conditions if c.name == "chưa công khai").message == "thông điệp của cán bộ"
    assert merged.item_rules == shipped.item_rules


def test_a_later_officer_file_replaces_a_condition_of_the_same_name(kb, officer_rules, monkeypatch):
    import os

    condition = ("conditions:\n  - name: đã giải mật\n    message: {message}\n"
                 "    item_pattern: chua cong khai\n    defeaters: da giai mat\n")
    first = officer_rules(condition.format(message="thứ nhất"), "a.yml")
    second = officer_rules(condition.format(message="thứ hai"), "b.yml")
    monkeypatch.setenv("CANCU_RULES", os.pathsep.join([str(first), str(second)]))
    merged = [c for c in load_rules(kb).conditions if c.name == "đã giải mật"]
    assert [c.message for c in merged] == ["thứ hai"]


def test_terms_and_shipped_rules_are_in_the_freshness_fingerprint_an_officers_rules_are_not(
        tmp_path, officer_rules, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), data)
    monkeypatch.setattr(build, "shipped_data_dir", lambda: data)
    db = tmp_path / "kb.db"
    build_kb(db)
    assert kb_is_current(db)
    # no row of the KB comes from an officer's rules: switching them on and off rebuilds nothing
    monkeypatch.setenv("CANCU_RULES", str(officer_rules('stopwords: "chẳng"\n')))
    assert kb_is_current(db)
    monkeypatch.setenv("CANCU_RULES", "")
    assert kb_is_current(db)
    with (data / "terms.yml").open("a", encoding="utf-8") as terms:
        terms.write("\n# ghi chú của cán bộ\n")
    assert not kb_is_current(db)
    build_kb(db)
    (data / "rules.yml").write_text((data / "rules.yml").read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8")
    assert not kb_is_current(db)
    build_kb(db)
    assert kb_is_current(db)


def test_a_broken_officer_file_fails_before_a_stale_kb_is_rebuilt(own_kb, officer_rules):
    import sqlite3

    with sqlite3.connect(own_kb) as conn:
        conn.execute("update meta set value = 'cu' where key = 'data_fingerprint'")  # stale: would be rebuilt
    before = own_kb.read_bytes()
    path = officer_rules("conditions:\n  - name: x\n")
    outcome = CliRunner().invoke(cli, ["classify", "--rules", str(path), "--db", str(own_kb), str(DRAFT)])
    assert outcome.exit_code == 1 and "Đang dựng" not in outcome.stderr
    assert outcome.stderr.strip().startswith(f"Lỗi: {path}, điều kiện thứ 1 'x': quy tắc không hợp lệ")
    assert own_kb.read_bytes() == before


@pytest.mark.parametrize("text, what", [
    ("- law: \"29/2018/QH14\"\n  years:\n    Tối mật: hai mươi\n", "mục thứ 1 (29/2018/QH14): thời hạn bảo vệ không hợp lệ: số năm của độ Tối mật"),
    ("- years: null\n", "mục thứ 1: thời hạn bảo vệ không hợp lệ: thiếu 'law'"),
    ("- law: \"117/2025/QH15\"\n  valid_from: \"01/3/2026\"\n", "'valid_from' phải là ngày dạng YYYY-MM-DD"),
    ("- law: \"117/2025/QH15\"\n  years:\n    Bí mật: 5\n", "'Bí mật' không phải độ mật"),
    ("law: x\n", "tệp phải là một danh sách"),
    ("- law: [\n", "viết sai cú pháp YAML"),
])
def test_a_broken_terms_file_is_one_line_and_the_kb_is_kept(tmp_path, monkeypatch, text, what):
    data = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), data)
    monkeypatch.setattr(build, "shipped_data_dir", lambda: data)
    db = tmp_path / "kb.db"
    build_kb(db)
    before = db.read_bytes()
    (data / "terms.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        build_kb(db)
    assert str(raised.value).startswith(str(data / "terms.yml")) and what in str(raised.value)
    assert "\n" not in str(raised.value) and db.read_bytes() == before
    outcome = CliRunner().invoke(cli, ["ingest", "--db", str(db)])
    assert outcome.exit_code == 1 and outcome.stderr.strip() == f"Lỗi: {raised.value}"
