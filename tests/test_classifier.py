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

from conftest import MAIL, wrapped_and_quoted


def run(draft: dict, kb, as_of: str | None = None):
    return classify(draft["text"], kb, as_of=dt.date.fromisoformat(as_of or draft["date"]))


RANKS = {"Mật": 1, "Tối mật": 2, "Tuyệt mật": 3}


def key(proposal) -> tuple:
    return proposal.decision, proposal.article, proposal.clause, proposal.point, proposal.level


@pytest.fixture(scope="module")
def answers(dev_drafts, kb, reviewing_model) -> dict:
    """Every dev draft classified once with a long list (top=50) and a "cần xem xét" band."""
    return {draft_id: classify(d["text"], kb, as_of=dt.date.fromisoformat(d["date"]), top=50, model=reviewing_model)
            for draft_id, d in dev_drafts.items()}


def test_level_is_the_highest_accepted_level_and_independent_of_top(dev_drafts, kb, answers):
    """khoản 2 Điều 10 Luật 29/2018/QH14: the document takes the highest level of the items that apply."""
    assert any(a.level for a in answers.values()) and any(a.level is None for a in answers.values())
    for draft_id, answer in answers.items():
        if answer.level is None:
            assert answer.proposals == ()
            continue
        accepted = [p for p in answer.proposals if not p.alternative]
        assert max(RANKS[p.level] for p in accepted) == RANKS[answer.level]
        assert all(RANKS[p.level] <= RANKS[answer.level] for p in answer.proposals)
        flags = [p.alternative for p in answer.proposals]
        assert flags == sorted(flags)  # accepted first, then alternatives
        draft = dev_drafts[draft_id]
        for top in (1, 2):
            cut = classify(draft["text"], kb, as_of=dt.date.fromisoformat(draft["date"]), top=top)
            assert cut.level == answer.level
            assert [key(p) for p in cut.proposals] == [key(p) for p in answer.proposals[:top]]


def test_review_items_never_raise_the_level_and_carry_a_reason(dev_drafts, kb, answers):
    reviewed = [(a, r) for a in answers.values() for r in a.review]
    assert reviewed
    for draft_id, answer in answers.items():  # the shipped model has the same acceptance threshold
        draft = dev_drafts[draft_id]
        if answer.review:
            assert answer.level == classify(draft["text"], kb, as_of=dt.date.fromisoformat(draft["date"])).level
    for answer, item in reviewed:
        assert item.reason is not None and item.reason.code == "below_threshold" and item.reason.message
        assert item.item_id not in {p.item_id for p in answer.proposals}
    for answer in answers.values():
        for near in answer.near_misses:
            assert near.reason.code in ("condition_failed", "restrictor_missing", "threshold_failed")
            assert near.reason.message in near.warnings
            assert key(near) not in {key(p) for p in answer.proposals + answer.review}


def test_every_item_shown_is_in_force_on_the_drafts_date(dev_drafts, kb, answers):
    for draft_id, answer in answers.items():
        for proposal in answer.proposals + answer.review + answer.near_misses:
            assert kb.items_by_id[proposal.item_id].in_force_on(answer.as_of), (draft_id, proposal.citation)


def _an_accepted_item_with_a_condition(dev_drafts, answers, kb):
    """A dev draft with an accepted item whose catalog text says "chưa công khai" (or the like)."""
    for draft_id, answer in sorted(answers.items()):
        for proposal in answer.proposals:
            item = kb.items_by_id[proposal.item_id]
            if any(c.code == "not_public" for c in item.conditions) and proposal.evidence:
                return dev_drafts[draft_id], proposal
    raise AssertionError("no dev draft has an accepted item with a condition")


PUBLISHED = "Lịch tiếp công dân định kỳ của Ủy ban đã được đăng tải trên Cổng thông tin điện tử của tỉnh."


def test_an_unrelated_already_public_sentence_does_not_cancel_an_item(dev_drafts, kb, answers):
    draft, proposal = _an_accepted_item_with_a_condition(dev_drafts, answers, kb)
    day = dt.date.fromisoformat(draft["date"])
    text = draft["text"].rstrip() + "\n\n" + PUBLISHED + "\n"
    again = classify(text, kb, as_of=day, top=50)
    assert key(proposal) in {key(p) for p in again.proposals}
    # The same kind of sentence in the paragraph that carries the item's evidence does stop it.
    evidence = proposal.evidence[0]
    line_end = draft["text"].find("\n", evidence.end)
    line_end = len(draft["text"]) if line_end < 0 else line_end
    local = draft["text"][:line_end] + " Nội dung này đã được công bố công khai trên Cổng thông tin điện tử." + draft["text"][line_end:]
    stopped = classify(local, kb, as_of=day, top=50)
    assert key(proposal) not in {key(p) for p in stopped.proposals + stopped.review}
    reasons = {key(p): p.reason for p in stopped.near_misses}
    assert key(proposal) not in reasons or reasons[key(proposal)].code == "condition_failed"


def test_a_restrictor_the_draft_lacks_stops_its_item(kb):
    """970/QĐ-TTg Điều 1 covers only cases on national security, very serious, corruption or of public concern."""
    from cancu.classifier.classify import analyse, classifier_for

    plan = ("TÒA ÁN NHÂN DÂN TỈNH\nKẾ HOẠCH\nXét xử sơ thẩm vụ án {kind}\n"
            "Tòa án nhân dân tỉnh xây dựng kế hoạch xét xử sơ thẩm vụ án {kind}, dự kiến mở phiên tòa ngày 20/5/2024; "
            "phương án bảo vệ phiên tòa, dẫn giải bị cáo và bố trí lực lượng được thực hiện theo kế hoạch này.\n")
    day = dt.date(2024, 5, 2)
    classifier = classifier_for(kb)
    with_restrictor = {c.item_id: c for c in analyse(classifier, plan.format(kind="xâm phạm an ninh quốc gia"), day)[1]}
    without = {c.item_id: c for c in analyse(classifier, plan.format(kind="trộm cắp tài sản"), day)[1]}
    restricted = [item_id for item_id in with_restrictor
                  if kb.items_by_id[item_id].decision == "970/QĐ-TTg" and kb.items_by_id[item_id].article == 1]
    assert restricted
    for item_id in restricted:
        assert not any(r.code == "restrictor_missing" for r in with_restrictor[item_id].checks.failed)
        if item_id in without:
            assert any(r.code == "restrictor_missing" for r in without[item_id].checks.failed)
    answer = classify(plan.format(kind="trộm cắp tài sản"), kb, as_of=day, top=50)
    assert not set(restricted) & {p.item_id for p in answer.proposals + answer.review}


def test_a_candidate_left_unchecked_could_not_have_been_shown(dev_drafts, kb):
    """classify skips the checks of a candidate the model's bound keeps below any band; checked, it is still below."""
    from cancu.classifier.classify import analyse, classifier_for

    classifier = classifier_for(kb)
    model = classifier.model
    skipped = 0
    for draft in dev_drafts.values():
        day = dt.date.fromisoformat(draft["date"])
        fast = analyse(classifier, draft["text"], day, model)[1]
        full = {c.item_id: c for c in analyse(classifier, draft["text"], day)[1]}
        for candidate in fast:
            checked = full[candidate.item_id]
            if candidate.vector == checked.vector and candidate.checks == checked.checks:
                continue
            skipped += 1
            assert model.probability(checked.vector) < model.shown_from
            assert model.highest(candidate.vector, {"restrictor_present": (0.0, 1.0),
                                                    "restrictor_missing": (0.0, 1.0)}) < model.shown_from
    assert skipped


HASHSEED_SCRIPT = textwrap.dedent("""
    import json, sys, datetime as dt
    from cancu.classifier import classify, load_kb
    kb = load_kb(sys.argv[1])
    drafts = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()][:12]
    for d in drafts:
        print(json.dumps(classify(d["text"], kb, as_of=dt.date.fromisoformat(d["date"])).to_dict(), ensure_ascii=False))
""")


def test_same_output_under_two_hash_seeds(kb_path):
    from conftest import DATA

    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", HASHSEED_SCRIPT, str(kb_path), str(DATA / "eval" / "dev.jsonl")],
                              capture_output=True, text=True, timeout=300, env={"PYTHONHASHSEED": seed,
                                                                             "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 12


def test_the_shipped_model_reproduces_the_fitting_scripts_probabilities(dev_drafts, kb):
    """bench/fit.py stores a few pairs with scikit-learn's probability; run time computes them in plain Python."""
    from cancu.classifier.classify import analyse, classifier_for
    from cancu.classifier.decision import load_model
    from cancu.classifier.features import FEATURES

    model = load_model()
    assert model.features == FEATURES and 0 < model.review <= model.accept < 1
    assert model.meta["pool_sha256"] and model.meta["fitted"]
    checks = model.meta["checks"]
    assert len(checks) >= 3
    classifier = classifier_for(kb)
    for check in checks:
        draft = dev_drafts[check["draft"]]
        _, found = analyse(classifier, draft["text"], dt.date.fromisoformat(draft["date"]))
        [candidate] = [c for c in found if list(key(c.match.profile.item)) == check["item"]]
        assert model.probability(candidate.vector) == pytest.approx(check["probability"], abs=1e-9)


def test_a_draft_without_diacritics_gets_the_proposal_of_its_accented_twin(dev_drafts, kb):
    import unicodedata

    def strip(text: str) -> str:
        text = text.replace("đ", "d").replace("Đ", "D")
        return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))

    for draft_id in ("d-004", "d-008", "d-017", "d-022", "d-039"):
        draft = dev_drafts[draft_id]
        day = dt.date.fromisoformat(draft["date"])
        accented, plain = classify(draft["text"], kb, as_of=day), classify(strip(draft["text"]), kb, as_of=day)
        assert accented.proposals, draft_id
        assert plain.level == accented.level and key(plain.proposals[0]) == key(accented.proposals[0]), draft_id


def forwarded(text: str) -> str:
    """As a forwarded e-mail gives a draft: the e-mail's own header, then the draft wrapped and quoted."""
    return MAIL + wrapped_and_quoted(text)


def test_a_draft_forwarded_as_an_e_mail_gets_its_date_and_proposal(dev_drafts, kb):
    for draft_id in ("d-004", "d-008", "d-017", "d-022", "d-039"):
        text = dev_drafts[draft_id]["text"]
        written, received = classify(text, kb), classify(forwarded(text), kb)  # dates read from the drafts
        if written.as_of_source == "today":  # the draft has no date of its own: the e-mail's is taken
            assert (received.as_of, received.as_of_source) == (dt.date(2024, 10, 14), "header")
            written = classify(text, kb, as_of=received.as_of)
        else:
            assert (received.as_of, received.as_of_source) == (written.as_of, written.as_of_source)
        assert written.proposals, draft_id
        assert received.level == written.level and key(received.proposals[0]) == key(written.proposals[0]), draft_id
        quoted = forwarded(text)
        for evidence in (e for p in received.proposals for e in p.evidence):
            assert quoted[evidence.start:evidence.end] == evidence.draft_span  # the contract: the draft's own text
            assert "\n" not in evidence.quoted and "> " not in evidence.quoted  # what reports print: one line


def test_the_e_mail_header_is_no_evidence_of_what_the_document_holds(dev_drafts, kb):
    """Who sent the e-mail to whom says nothing of what the draft holds: an item's restrictor named only
    in the e-mail's "Đến:" line is as absent as with any other addressee."""
    from cancu.classifier.classify import analyse, classifier_for

    classifier = classifier_for(kb)
    restrictors = [c.text for item in kb.catalog_items for c in (getattr(item, "conditions", ()) or ())
                   if c.kind == "restrictor"]
    assert len(restrictors) > 20  # the catalog has them: the comparison below can fail
    header = ("Từ: Văn thư <vanthu@so.gov.vn>\nĐến: {}\nGửi lúc: Thứ Hai, 14/10/2024 09:12\n"
              "Tiêu đề: Fw: Dự thảo xin ý kiến\n\n")
    for draft_id in ("d-004", "d-005", "d-012", "d-017", "d-021", "d-035"):
        draft = dev_drafts[draft_id]
        day = dt.date.fromisoformat(draft["date"])
        checked = []
        for addressee in ("Lãnh đạo Sở", "; ".join(restrictors)):
            _, candidates = analyse(classifier, header.format(addressee) + draft["text"], day)
            checked.append({c.item_id: (c.checks.restrictor_present, c.checks.failed) for c in candidates})
        assert checked[0] == checked[1], draft_id


def test_a_wrapped_sentence_is_one_sentence_and_its_paragraph_one_paragraph():
    text = ("BÁO CÁO\nKết quả kiểm tra công tác bảo vệ bí mật nhà nước tại Sở Tài chính, "
            "Sở Xây dựng và Ban Quản lý các khu công nghiệp năm 2025. Đoàn kiểm tra đề nghị "
            "các đơn vị khắc phục ngay các tồn tại đã nêu.\n- Lưu: VT.")
    for width in (30, 45, 60):
        sentences = prepare(wrapped_and_quoted(text, width))
        assert [" ".join(t.text for t in s.tokens) for s in sentences] == [
            " ".join(t.text for t in s.tokens) for s in prepare(text)], width
        assert [s.line for s in sentences] == [s.line for s in prepare(text)] == [0, 1, 1, 2, 2], width


def test_the_title_line_is_the_one_naming_a_kind_of_document():
    from cancu.classifier.features import _title_line, doc_type

    for header in ("Số:\n40/2011/QĐ-UBND\nHà Nội, ngày 12 tháng 3 năm 2011\nQUYẾT ĐỊNH\nVề việc ban hành quy chế",
                   "Số: /KH-TGCP\nDỰ THẢO\nHà Nội, ngày 03 tháng 8 năm 2022\nKẾ HOẠCH\nXử lý vụ việc"):
        sentences = prepare(header)
        assert doc_type(sentences, _title_line(sentences)) in ("quyet dinh", "ke hoach"), header


def test_old_style_tone_marks_are_the_words_of_the_catalog():
    # "hoà", "thuỷ", "khoá" (tone on the first vowel) are the catalog's "hòa", "thủy", "khóa"
    old, new = prepare("Quá trình hoà giải, thuỷ lợi và khoá học.")[0], prepare("Quá trình hòa giải, thủy lợi và khóa học.")[0]
    assert old.marked == new.marked and "thủy lợi" in old.marked


def test_stopwords_are_looked_up_with_their_diacritics():
    """Folded, "để" and "đề", "tại" and "tài", "về" and "vệ" are one syllable; only the function words go."""
    from cancu.classifier.words import _syllables, features, phrases

    rules = load_rules()
    sentence = prepare("Để bảo vệ đề thi, tài liệu tại Sở về bàn giao.")[0]
    assert sentence.accented
    assert {"đề thi", "bảo vệ", "tài liệu"} <= features(sentence.words, rules, sentence.marked)
    _, _, keep = _syllables(sentence.words, rules, sentence.marked)
    marked = " ".join(sentence.marked).split()
    assert [m for m, k in zip(marked, keep) if not k] == ["để", "tại", "về"]
    assert phrases("Thanh tra đột xuất tại Ban Quản lý; ngày 2", rules) == {"thanh tra dot", "tra dot xuat", "ban quan ly"}
    # "ý" is a word; a bare "a" is the letter of a list item
    assert "xin y kien" in phrases("Báo cáo xin ý kiến Thường trực", rules)
    assert not any(" a " in f" {p} " for p in phrases("theo điểm a khoản hai mươi hai", rules))


def test_words_keep_their_diacritics_unless_the_draft_has_none(kb):
    """"chữa bệnh" is not "chưa ..."; a sentence typed without diacritics matches folded, and only it."""
    from cancu.classifier.classify import classifier_for
    from cancu.classifier.features import draft_features

    rules = classifier_for(kb).rules
    accented = draft_features(prepare("Kết quả chữa bệnh tại bệnh viện tỉnh trong quý II."), rules)
    plain = draft_features(prepare("Ket qua chua benh tai benh vien tinh trong quy II."), rules)
    assert "chữa bệnh" in accented.all and not any(k.startswith("~") for k in accented.all)
    assert "~chua benh" in plain.all and "chữa bệnh" not in plain.all
    assert "de" not in rules.stopwords_folded  # "đề thi" typed as "de thi" keeps its "de"
    assert "cac" in rules.stopwords_folded  # "các": no catalog word folds to it


def test_compounds_the_segmenter_cuts_are_matched_as_pairs():
    """underthesea leaves "họ tên" and "hợp nhất" as two words; punctuation still separates list entries."""
    from cancu.classifier.textprep import segment_marked
    from cancu.classifier.words import gap_pairs

    rules = load_rules()
    words, marked = segment_marked("Họ tên, địa chỉ của người tố cáo; sáp nhập, chia, tách, hợp nhất bộ", breaks=True)
    pairs = gap_pairs(words, rules, marked)
    assert {"họ tên", "hợp nhất"} <= pairs
    assert "chia tách" not in pairs and "tên địa" not in pairs


def test_header_and_address_lines_say_who_not_what(kb):
    """The issuing body is read from the header; words only in "Kính gửi"/"Nơi nhận" lines count apart."""
    from cancu.classifier.classify import classifier_for
    from cancu.classifier.features import draft_features

    rules = classifier_for(kb).rules
    text = ("LIÊN ĐOÀN LAO ĐỘNG TỈNH ...\nSố: 12/BC-LĐLĐ        ..., ngày 14 tháng 6 năm 2022\nBÁO CÁO\n"
            "Vụ ngừng việc tại công ty\nKính gửi: - Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam.\n"
            "Công nhân đồng loạt ngừng việc, yêu cầu tăng lương.\nNơi nhận: Như trên; Lưu: VT.\n")
    draft = draft_features(prepare(text), rules)
    assert "liên đoàn lao động" in draft.agency and "công đoàn" in draft.agency  # via the synonym in rules.yml
    assert "tổng liên đoàn" in draft.address and "tổng liên đoàn" in draft.all
    assert "tăng lương" not in draft.address
    assert all(not found for s, found in zip(draft.sentences, draft.per_sentence) if s.text.startswith("Kính gửi"))


def test_a_replaced_catalog_is_cited_with_its_replacement(dev_drafts, kb):
    """Judged before 531/QĐ-TTg took effect, an exam draft can only get 809/QĐ-TTg, with a warning naming 531."""
    draft = dev_drafts["d-007"]
    early = run(draft, kb, as_of="2022-06-20")
    assert all(p.decision != "531/QĐ-TTg" for p in early.proposals + early.review + early.near_misses)
    for proposal in early.proposals:
        if proposal.decision == "809/QĐ-TTg":
            assert any("bị thay thế bởi Quyết định 531/QĐ-TTg" in w for w in proposal.warnings)
    later = run(draft, kb, as_of="2024-01-01")
    assert all(p.decision != "809/QĐ-TTg" for p in later.proposals + later.review + later.near_misses)


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
    wrapped = "Đoàn thanh tra đề nghị\nxem xét trách nhiệm của\nông Đ.V.H.\nNơi nhận như trên."
    assert [wrapped[a:b] for a, b in split_sentences(wrapped)] == [
        "Đoàn thanh tra đề nghị\nxem xét trách nhiệm của\nông Đ.V.H.", "Nơi nhận như trên."]
    pasted = " ".join(["từ"] * 1000)  # no sentence end at all: cut into bounded pieces
    assert all(len(pasted[a:b].split()) <= 120 for a, b in split_sentences(pasted))
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


def test_rules_refuse_a_word_the_knowledge_base_never_uses(kb, tmp_path):
    """A synonym or restrictor encodes catalog or law words; one that no text of the KB has is refused."""
    rules = tmp_path / "rules.yml"
    rules.write_text('synonyms:\n  "giải phóng mặt bằng": ["GPMB"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="giải phóng mặt bằng"):
        load_rules(kb, rules)
    rules.write_text('synonyms:\n  "thủ tướng": ["TTg"]\n', encoding="utf-8")
    assert load_rules(kb, rules).synonyms[0][0] == "thủ tướng"


def _draft_with_proposal_and_evidence(dev_drafts, kb) -> tuple[str, dict]:
    for draft_id in sorted(dev_drafts):
        draft = dev_drafts[draft_id]
        answer = run(draft, kb)
        if answer.proposals and answer.proposals[0].evidence:
            return draft_id, draft
    raise AssertionError("no dev draft gets a proposal")


def test_classify_json_contract(dev_drafts, kb, kb_path, tmp_path):
    draft_id, draft = _draft_with_proposal_and_evidence(dev_drafts, kb)
    path = write_draft(tmp_path, draft, "bao-cao.txt")
    result = CliRunner().invoke(cli, ["classify", str(path), "--db", str(kb_path), "--json", "--as-of", draft["date"]],
                                catch_exceptions=False)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert set(payload) == {"as_of", "as_of_source", "level", "proposals", "warnings", "near_misses", "review"}
    assert (payload["as_of"], payload["as_of_source"]) == (draft["date"], "option")
    assert payload["level"] in ("Mật", "Tối mật", "Tuyệt mật")
    for proposal in payload["proposals"] + payload["review"] + payload["near_misses"]:
        assert set(proposal) >= {"decision", "article", "clause", "point", "level", "score", "citation", "text",
                                 "evidence", "warnings", "alternative", "probability"}
        assert isinstance(proposal["probability"], float) and 0 <= proposal["probability"] <= 1
        assert proposal["score"] == proposal["probability"]
    for proposal in payload["review"] + payload["near_misses"]:
        assert set(proposal["reason"]) == {"code", "words", "message"}
    proposal = payload["proposals"][0]
    assert proposal["decision"] in proposal["citation"]
    evidence = proposal["evidence"][0]
    assert set(evidence) == {"draft_span", "item_span", "sentence", "start", "end", "score", "matched_words"}
    assert draft["text"][evidence["start"]:evidence["end"]] == evidence["draft_span"]
    assert len(evidence["draft_span"]) <= 220


def test_classify_several_files_as_json_lines_and_plain_text(dev_drafts, kb, kb_path, tmp_path):
    _, positive_draft = _draft_with_proposal_and_evidence(dev_drafts, kb)
    positive = write_draft(tmp_path, positive_draft, "ke-hoach.txt")
    negative = tmp_path / "thong-bao.txt"
    negative.write_text("ỦY BAN NHÂN DÂN XÃ\nTHÔNG BÁO\nLịch nghỉ Tết Nguyên đán của cơ quan.\n", encoding="utf-8")
    runner = CliRunner()
    lines = runner.invoke(cli, ["classify", str(positive), str(negative), "--db", str(kb_path), "--json"],
                          catch_exceptions=False).stdout.splitlines()
    objects = [json.loads(line) for line in lines]
    expected = run(positive_draft, kb).level
    assert [(o["file"], o["level"]) for o in objects] == [(str(positive), expected), (str(negative), None)]
    text = runner.invoke(cli, ["classify", str(negative), "--db", str(kb_path)], catch_exceptions=False).stdout
    assert "KHÔNG thuộc danh mục bí mật nhà nước nào" in text
    text = runner.invoke(cli, ["classify", "-", "--db", str(kb_path), "--as-of", positive_draft["date"]],
                         input=positive_draft["text"], catch_exceptions=False).stdout
    answer = run(positive_draft, kb)
    assert f"Đề xuất độ mật: {answer.level.upper()}" in text and answer.proposals[0].citation in text


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
    assert "ngày xét hiệu lực: 12/12/2024" in done.stdout
    assert "network use attempted" not in done.stderr


def test_item_profiles_are_cached_next_to_the_kb_and_hold_no_draft_text(kb_path, tmp_path):
    """Start-up reads the per-item data from a file keyed by the KB build; a draft never reaches it."""
    import shutil

    from cancu.classifier.classify import Classifier
    from cancu.kb import load_kb

    db = tmp_path / "kho.db"
    shutil.copy(kb_path, db)
    kb = load_kb(db)
    first = Classifier.from_kb(kb)
    [cache] = list(tmp_path.glob(".kho.db.profiles-*.json"))
    classify("Dự thảo có từ riêng Xylophonquyzt về đề thi chưa công khai.", kb)
    assert "Xylophonquyzt".lower() not in cache.read_text(encoding="utf-8").lower()
    again = Classifier.from_kb(load_kb(db))
    assert again.profiles.keys() == first.profiles.keys()
    assert all(again.profiles[i].weights == p.weights and again.profiles[i].lookup == p.lookup
               for i, p in first.profiles.items())
