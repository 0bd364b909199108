"""`cancu check` on citations generated from the knowledge base (tests/kb_citations.py).

Each drafter's style of citation is tried on a handful of catalog provisions spread over the
KB, in every variant (right stamp, wrong stamp, outside the decision's validity, a provision the
decision lacks, an unregistered number); the expected verdicts follow from the KB built by the
real ingest, never from a hand-set label. bench/check.py runs all of them.
"""

from __future__ import annotations

import pytest

import kb_citations
from cancu.checker.check import check_text
from cancu.checker.drafts import find_bases, other_references

VERDICTS = ("stamp", "has_basis", "basis_exists", "basis_in_force", "stamp_matches_basis")
PER_STYLE_AND_VARIANT = 2  # provisions tried per style and variant, spread over the KB's decisions


@pytest.fixture(scope="module")
def sample(kb) -> dict[str, list[kb_citations.Case]]:
    """For each style, a few cases of each variant, taken at even steps through the KB's provisions."""
    chosen: dict[str, list[kb_citations.Case]] = {}
    for style in kb_citations.STYLES:
        cases = kb_citations.cases(kb, styles=(style,))
        for variant in dict.fromkeys(c.variant for c in cases):
            of_variant = [c for c in cases if c.variant == variant]
            step = max(1, len(of_variant) // PER_STYLE_AND_VARIANT)
            chosen.setdefault(style, []).extend(of_variant[step // 2::step][:PER_STYLE_AND_VARIANT])
    return chosen


@pytest.mark.parametrize("style", list(kb_citations.STYLES))
def test_generated_citations_get_the_verdicts_the_kb_implies(kb, sample, style):
    assert {c.variant for c in sample[style]} >= {"ok", "stamp_above", "not_yet", "no_such_provision", "unregistered"}
    for case in sample[style]:
        result = check_text(case.text, kb).to_dict()
        got = {k: result[k] for k in VERDICTS}
        assert got == case.expected, (case.variant, case.citation)


@pytest.mark.parametrize("style", list(kb_citations.STYLES))
def test_the_basis_read_is_the_provision_cited(kb, sample, style):
    """The checker reads the very decision, article, clause and point the citation names, and prints
    the KB's own citation of that item."""
    for case in (c for c in sample[style] if c.variant == "ok"):
        result = check_text(case.text, kb)
        (check,) = result.bases
        cited = case.cited
        assert (check.basis.decision, check.basis.article, check.basis.clause, check.basis.point) == \
            (cited.decision, cited.article, cited.clause, cited.point), case.citation
        units = kb.find_units(cited.decision, cited.article, cited.clause, cited.point)
        assert check.citation in {u.citation for u in units if cited.article is not None or u.level == cited.list_level}


def test_every_catalog_provision_is_a_target(kb):
    provisions = {(i.decision, i.article, i.clause, i.point) for i in kb.catalog_items if i.level}
    assert provisions == {(t.decision, t.article, t.clause, t.point) for t in kb_citations.targets(kb)}


@pytest.mark.parametrize("text, decision, article, clause, level_list", [
    ("Căn cứ k1 D1 QD 531/QD-TTg;", "531/QĐ-TTg", 1, 1, None),
    ("can cu D1 QD 970/QD-TTg", "970/QĐ-TTg", 1, None, None),
    ("theo khoan 2, D 2 Quyet dinh so 970/QD-TTg", "970/QĐ-TTg", 2, 2, None),
    ("theo phần Bí mật nhà nước độ Tối mật Quyết định số 07/2018/QĐ-TTg", "07/2018/QĐ-TTg", None, None, "Tối mật"),
    ("căn cứ khoản 1 Điều 1 Quyết định số 531 ngày 19/5/2023 của Thủ tướng Chính phủ", "531/QĐ-TTg", 1, 1, None),
    ("Quyết định số 741/QĐ-TTg của Thủ tướng Chính phủ ban hành Danh mục bí mật nhà nước thuộc lĩnh vực xây dựng "
     "pháp luật, bổ trợ tư pháp (khoản 1 Điều 1)", "741/QĐ-TTg", 1, 1, None),
])
def test_citation_rules(text, decision, article, clause, level_list):
    (basis,), _ = find_bases(text)
    assert (basis.decision, basis.article, basis.clause, basis.level_list) == (decision, article, clause, level_list)


@pytest.mark.parametrize("text", [
    "Học sinh thi khối D1 theo Quyết định số 531/QĐ-TTg.",  # a capital D alone is not "Điều"
    "Tài liệu thuộc danh mục bí mật nhà nước độ Mật ban hành kèm theo Quyết định số 531/QĐ-TTg.",  # describes a list
    "khoản 1 Điều 1 Quyết định số 531 ngày 19/5/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo",  # not the Prime Minister
])
def test_not_citations(text):
    assert find_bases(text)[0] == []


def test_the_law_in_general_is_not_a_law_cited():
    assert other_references("Tài liệu được xác định độ Mật theo quy định của pháp luật.") == []
    assert other_references("Tài liệu được xác định độ Mật theo Luật Bảo vệ bí mật nhà nước.") == ["luật"]
