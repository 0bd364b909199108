"""Classifier: real drafts against the real knowledge base, the JSON contract, offline use."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.classifier import classify
from cancu.classifier.rules import RulesError, load_rules
from cancu.classifier.textprep import prepare, split_sentences
from cancu.cli import cli


def run(draft: dict, kb, as_of: str | None = None):
    return classify(draft["text"], kb, as_of=dt.date.fromisoformat(as_of or draft["date"]))


def first(result) -> tuple:
    top = result.proposals[0]
    return top.decision, top.article, top.clause, top.point, top.level


@pytest.mark.parametrize("draft_id, expected", [
    ("d-017", ("19/QĐ-TTg", 2, 2, None, "Mật")),
    ("d-008", ("531/QĐ-TTg", 1, 1, None, "Tối mật")),
    ("d-029", ("137/QĐ-TTg", 1, 2, None, "Tuyệt mật")),
])
def test_a_positive_draft_per_level(dev_drafts, kb, draft_id, expected):
    result = run(dev_drafts[draft_id], kb)
    assert first(result) == expected
    assert result.level == expected[-1]
    top = result.proposals[0]
    assert top.citation == kb.find_units(expected[0], *expected[1:4])[0].citation
    assert top.evidence and all(e.draft_span in dev_drafts[draft_id]["text"] for e in top.evidence)
    assert all(len(e.draft_span) <= 220 for e in top.evidence)
    assert top.protection_years == {"Tuyệt mật": 30, "Tối mật": 20, "Mật": 10}[expected[-1]]


def test_multi_item_draft_takes_the_highest_level(dev_drafts, kb):
    result = run(dev_drafts["d-024"], kb)
    found = {(p.decision, p.article, p.clause, p.point, p.level) for p in result.proposals}
    assert {("562/QĐ-TTg", 1, 6, "c", "Tối mật"), ("562/QĐ-TTg", 2, 4, "đ", "Mật")} <= found
    assert result.level == "Tối mật"


def test_alternatives_follow_the_accepted_items_and_never_raise_the_level(dev_drafts, kb):
    """d-004 is about a report on corruption; 'kết quả xác minh' also fits the tố cáo item ranked first."""
    result = run(dev_drafts["d-004"], kb)
    flags = [p.alternative for p in result.proposals]
    assert flags[0] is False and flags == sorted(flags)  # accepted first, then alternatives
    alternatives = {(p.decision, p.article, p.clause, p.point) for p in result.proposals if p.alternative}
    assert ("774/QĐ-TTg", 1, 3, "c") in alternatives
    ranks = {"Mật": 1, "Tối mật": 2, "Tuyệt mật": 3}
    for draft in dev_drafts.values():
        answer = run(draft, kb)
        if answer.level is None:
            assert answer.proposals == ()
            continue
        accepted = [p for p in answer.proposals if not p.alternative]
        assert max(ranks[p.level] for p in accepted) == ranks[answer.level]
        assert all(ranks[p.level] <= ranks[answer.level] for p in answer.proposals if p.alternative)
        assert sum(p.alternative for p in answer.proposals) <= 2


@pytest.mark.parametrize("draft_id, near", [("d-021", ("774/QĐ-TTg", 1, 1, "c")), ("d-005", ("531/QĐ-TTg", 1, 1, None))])
def test_hard_negative_already_public_is_not_classified(dev_drafts, kb, draft_id, near):
    result = run(dev_drafts[draft_id], kb)
    assert result.level is None and result.proposals == ()
    rejected = {(p.decision, p.article, p.clause, p.point): p.warnings for p in result.near_misses}
    assert any("đã được công khai" in w for w in rejected[near])


def test_a_failed_condition_shadows_the_weaker_neighbours(dev_drafts, kb):
    """d-035: the map item fails on area; its sibling map items must not apply in its place."""
    result = run(dev_drafts["d-035"], kb)
    assert result.level is None and result.proposals == ()
    rejected = {(p.decision, p.article, p.clause, p.point): p.warnings for p in result.near_misses}
    assert any("200 km²" in w for w in rejected[("562/QĐ-TTg", 2, 3, "c")])


def test_stopwords_are_looked_up_with_their_diacritics():
    """Folded, "để" and "đề", "tại" and "tài", "về" and "vệ" are one syllable; only the function words go."""
    from cancu.classifier.match import _syllables, features, phrases

    rules = load_rules()
    sentence = prepare("Để bảo vệ đề thi, tài liệu tại Sở về bàn giao.")[0]
    assert {"de thi", "bao ve", "tai lieu"} <= features(sentence.words, rules, sentence.marked)
    _, _, keep = _syllables(sentence.words, rules, sentence.marked)
    marked = " ".join(sentence.marked).split()
    assert [m for m, k in zip(marked, keep) if not k] == ["để", "tại", "về"]
    assert phrases("Thanh tra đột xuất tại Ban Quản lý; ngày 2", rules) == {"thanh tra dot", "tra dot xuat", "ban quan ly"}
    # "ý" is a word; a bare "a" is the letter of a list item
    assert "xin y kien" in phrases("Báo cáo xin ý kiến Thường trực", rules)
    assert not any(" a " in f" {p} " for p in phrases("theo điểm a khoản hai mươi hai", rules))


def test_compounds_the_segmenter_cuts_are_matched_as_pairs():
    """underthesea leaves "họ tên" and "hợp nhất" as two words; punctuation still separates list entries."""
    from cancu.classifier.match import gap_pairs
    from cancu.classifier.textprep import segment_marked

    rules = load_rules()
    words, marked = segment_marked("Họ tên, địa chỉ của người tố cáo; sáp nhập, chia, tách, hợp nhất bộ", breaks=True)
    pairs = gap_pairs(words, rules, marked)
    assert {"ho ten", "hop nhat"} <= pairs
    assert "chia tach" not in pairs and "ten dia" not in pairs


def test_header_and_address_lines_say_who_not_what(kb):
    """The issuing body is read from the header; words only in "Kính gửi"/"Nơi nhận" lines count apart."""
    from cancu.classifier.classify import classifier_for
    from cancu.classifier.match import draft_features

    rules = classifier_for(kb).rules
    text = ("LIÊN ĐOÀN LAO ĐỘNG TỈNH ...\nSố: 12/BC-LĐLĐ        ..., ngày 14 tháng 6 năm 2022\nBÁO CÁO\n"
            "Vụ ngừng việc tại công ty\nKính gửi: - Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam.\n"
            "Công nhân đồng loạt ngừng việc, yêu cầu tăng lương.\nNơi nhận: Như trên; Lưu: VT.\n")
    draft = draft_features(prepare(text), rules)
    assert "lien doan lao dong" in draft.agency and "cong doan" in draft.agency  # via the synonym in rules.yml
    assert "tong lien doan" in draft.address and "tong lien doan" in draft.all
    assert "tang luong" not in draft.address
    assert all(not found for s, found in zip(draft.sentences, draft.per_sentence) if s.text.startswith("Kính gửi"))


def test_ordinary_letter_about_state_secret_work_is_not_a_secret(dev_drafts, kb):
    for draft_id in ("d-002", "d-014"):  # a BMNN work plan and a BMNN annual report
        assert run(dev_drafts[draft_id], kb).level is None


def test_dated_draft_follows_the_catalog_in_force(dev_drafts, kb):
    draft = dev_drafts["d-007"]
    assert first(run(draft, kb)) == ("809/QĐ-TTg", 1, 2, None, "Tối mật")
    later = run(draft, kb, as_of="2024-01-01")
    assert first(later) == ("531/QĐ-TTg", 1, 1, None, "Tối mật")
    replaced = run(draft, kb).proposals[0]
    assert any("bị thay thế bởi Quyết định 531/QĐ-TTg" in w for w in replaced.warnings)


def test_as_of_comes_from_the_header_then_today(kb):
    dated = "ỦY BAN NHÂN DÂN TỈNH\nSố: 12/BC-UBND       Hà Nội, ngày 12 tháng 3 năm 2026\nBÁO CÁO\nNội dung thường.\n"
    result = classify(dated, kb)
    assert (result.as_of, result.as_of_source) == (dt.date(2026, 3, 12), "header")
    assert any("117/2025/QH15" in w for w in result.warnings)
    assert classify("Một văn bản không ghi ngày.", kb).as_of_source == "today"


def test_sentences_keep_offsets_into_the_draft():
    text = "BÁO CÁO\nKết quả thanh tra. Đề nghị xem xét; chưa công bố.\n"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["BÁO CÁO", "Kết quả thanh tra.", "Đề nghị xem xét; chưa công bố."]
    sentences = prepare(text)
    assert sentences[1].words[:2] == ("ket qua", "thanh tra")
    assert all(text[t.start:t.end] == t.text for s in sentences for t in s.tokens)


def test_rules_refuse_an_item_the_knowledge_base_does_not_have(kb, tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text('items:\n  - refs: ["774/QĐ-TTg điểm đ khoản 2 Điều 1"]\n    requires_any: ["x"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="không có trong kho dữ liệu"):
        load_rules(kb, rules)
    rules.write_text("conditions:\n  - name: x\n    message: m\n    item_pattern: 'chua cong khai'\n"
                     "    defeaters: 'da cong bo'\n    examples:\n      draft: ['Kết quả chưa được công bố.']\n",
                     encoding="utf-8")
    with pytest.raises(RulesError, match="ví dụ draft không khớp"):
        load_rules(kb, rules)


# --- the command ---------------------------------------------------------------------------------


def write_draft(folder: Path, draft: dict, name: str) -> Path:
    path = folder / name
    path.write_text(draft["text"], encoding="utf-8")
    return path


def test_classify_json_contract(dev_drafts, kb_path, tmp_path):
    path = write_draft(tmp_path, dev_drafts["d-024"], "bao-cao.txt")
    result = CliRunner().invoke(cli, ["classify", str(path), "--db", str(kb_path), "--json", "--as-of", "2025-11-18"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert set(payload) == {"as_of", "as_of_source", "level", "proposals", "warnings", "near_misses"}
    assert (payload["as_of"], payload["as_of_source"], payload["level"]) == ("2025-11-18", "option", "Tối mật")
    scores = [p["score"] for p in payload["proposals"]]
    assert all(isinstance(s, float) and 0 < s <= 1 for s in scores)
    proposal = next(p for p in payload["proposals"] if (p["article"], p["clause"], p["point"]) == (1, 6, "c"))
    assert set(proposal) >= {"decision", "article", "clause", "point", "level", "score", "citation", "text",
                             "evidence", "warnings"}
    assert (proposal["decision"], proposal["level"]) == ("562/QĐ-TTg", "Tối mật")
    assert all(isinstance(p["alternative"], bool) for p in payload["proposals"])
    assert proposal["citation"].startswith("điểm c khoản 6 Điều 1 Quyết định số 562/QĐ-TTg ngày 10/3/2025")
    evidence = proposal["evidence"][0]
    assert set(evidence) == {"draft_span", "item_span", "sentence", "start", "end", "score", "matched_words"}
    assert dev_drafts["d-024"]["text"][evidence["start"]:evidence["end"]] == evidence["draft_span"]


def test_classify_several_files_as_json_lines_and_plain_text(dev_drafts, kb_path, tmp_path):
    positive = write_draft(tmp_path, dev_drafts["d-017"], "ke-hoach.txt")
    negative = write_draft(tmp_path, dev_drafts["d-019"], "thang-thanh-nien.txt")
    runner = CliRunner()
    lines = runner.invoke(cli, ["classify", str(positive), str(negative), "--db", str(kb_path), "--json"],
                          catch_exceptions=False).stdout.splitlines()
    objects = [json.loads(line) for line in lines]
    assert [(o["file"], o["level"]) for o in objects] == [(str(positive), "Mật"), (str(negative), None)]
    text = runner.invoke(cli, ["classify", str(negative), "--db", str(kb_path)], catch_exceptions=False).stdout
    assert "KHÔNG thuộc danh mục bí mật nhà nước nào" in text
    text = runner.invoke(cli, ["classify", "-", "--db", str(kb_path)], input=dev_drafts["d-017"]["text"],
                         catch_exceptions=False).stdout
    assert "Đề xuất độ mật: MẬT" in text and "khoản 2 Điều 2 Quyết định số 19/QĐ-TTg ngày 06/01/2026" in text


def test_classify_reports_an_unreadable_file(kb_path, tmp_path):
    binary = tmp_path / "anh.txt"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    result = CliRunner().invoke(cli, ["classify", str(binary), "--db", str(kb_path)], catch_exceptions=False)
    assert result.exit_code == 1 and f"Lỗi: {binary}: không đọc được tệp: tệp nhị phân" in result.stderr


OFFLINE = textwrap.dedent("""
    import socket, sys
    def refuse(*args, **kwargs):
        raise OSError("network use attempted")
    socket.socket.connect = socket.socket.connect_ex = refuse
    socket.create_connection = socket.getaddrinfo = refuse
    from cancu.cli import cli
    sys.exit(cli.main(sys.argv[1:], standalone_mode=False))
""")


def test_classification_runs_with_sockets_blocked(dev_drafts, tmp_path):
    """A fresh process with no network: building the KB, loading the models and classifying."""
    path = write_draft(tmp_path, dev_drafts["d-008"], "de-thi.txt")
    command = [sys.executable, "-c", OFFLINE, "classify", str(path), "--db", str(tmp_path / "kb.db"),
               "--as-of", "2024-12-12"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "khoản 1 Điều 1 Quyết định số 531/QĐ-TTg ngày 19/5/2023" in done.stdout
    assert "network use attempted" not in done.stderr
