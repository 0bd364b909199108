"""Item conditions: extracted from the catalog text at ingest, stored, loaded, and checked locally.

The knowledge base is the real one (conftest ``kb_path``: the real ingest of the
shipped data into a real SQLite file); the evaluator is checked on sentences
written the ways drafts say "already public" and "not yet public".
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import yaml
from datasette.app import Datasette

from cancu.classifier.conditions import FAILED, MET, UNKNOWN, evaluate, restrictor_terms
from cancu.ingest.conditions import (KINDS, ItemCondition, NamedPattern, extract_conditions,
                                     extract_heading_conditions)
from cancu.kb import load_kb
from cancu.serve import load_metadata


def _item(kb, number: str, article: int, clause: int | None, point: str | None = None):
    (item,) = [unit for unit in kb.find_units(number, article, clause, point) if unit.catalog_item]
    return item


def _codes(item) -> set[str]:
    return {part.code for part in item.conditions}


def _only(item, code: str) -> ItemCondition:
    (part,) = [p for p in item.conditions if p.code == code]
    return part


# --------------------------------------------------------------------------- the table

def test_every_stored_span_is_the_item_text_at_that_span(kb_path):
    connection = sqlite3.connect(kb_path)
    rows = connection.execute(
        "select c.text, c.source, c.kind, i.catalog_item,"
        " substr(case c.source when 'heading' then i.heading else i.text end, c.start + 1, c.[end] - c.start)"
        " from item_conditions c join items i on i.id = c.item_id").fetchall()
    connection.close()
    assert len(rows) > 300
    assert {source for _, source, *_ in rows} == {"text", "heading"}
    for text, source, kind, catalog_item, at_span in rows:
        assert text == at_span
        assert kind in KINDS and catalog_item == 1
        assert source == "text" or kind != "object"


def test_every_catalog_item_has_an_object_and_its_parts_do_not_overlap(kb):
    for item in kb.catalog_items:
        assert any(part.kind == "object" for part in item.conditions), item.citation
        spans = sorted((part.start, part.end) for part in item.conditions if part.source == "text")
        assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:])), item.citation


def test_snapshot_holds_what_the_extractor_gives(kb):
    for item in kb.catalog_items:
        assert item.conditions == tuple(extract_conditions(item.text)
                                        + extract_heading_conditions(item.heading, item.text))
    assert all(item.conditions == () for item in kb.items if not item.catalog_item)


def test_a_knowledge_base_without_the_table_still_loads(kb_path, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(kb_path, old)
    connection = sqlite3.connect(old)
    connection.execute("drop table item_conditions")
    connection.commit()
    connection.close()
    snapshot = load_kb(old)
    assert snapshot.catalog_items and all(item.conditions == () for item in snapshot.catalog_items)


# --------------------------------------------------------------------------- known items

def test_exam_papers_are_secret_only_while_not_public(kb):
    exam = _item(kb, "531/QĐ-TTg", 1, 1)
    assert exam.conditions[0].kind == "object" and exam.conditions[0].text.startswith("Đề thi chính thức")
    assert _only(exam, "not_public").text == "chưa công khai"
    assert "kỳ thi tốt nghiệp trung học phổ thông" in restrictor_terms(_only(exam, "which"))


def test_map_item_of_562_has_its_area_threshold(kb):
    maps = _item(kb, "562/QĐ-TTg", 2, 3, "c")
    areas = [part for part in maps.conditions if part.code == "area_min_km2"]
    assert areas and all(part.params == {"km2": 200, "urban_km2": 400} for part in areas)
    assert _only(maps, "scale_in").params == {"denominators": [2000, 5000, 10000, 25000, 100000]}
    assert _only(_item(kb, "562/QĐ-TTg", 2, 3, "b"), "area_min_km2").params == {"km2": 800}


@pytest.mark.parametrize("number,article,clause,point,code,params", [
    ("562/QĐ-TTg", 1, 6, "c", "scale_min", {"denominator": 10000}),
    ("562/QĐ-TTg", 1, 6, "d", "category_min", {"category": 333}),
    ("562/QĐ-TTg", 1, 4, "a", "grade_min", {"grade": "II", "rank": 2}),
])
def test_thresholds_read_from_the_item_words(kb, number, article, clause, point, code, params):
    assert _only(_item(kb, number, article, clause, point), code).params == params


def test_restrictors_of_known_items(kb):
    health = _item(kb, "1295/QĐ-TTg", 1, 1)
    assert restrictor_terms(_only(health, "whose")) == ("Ủy viên Bộ Chính trị", "Ban Bí thư Trung ương Đảng")
    trials = _item(kb, "970/QĐ-TTg", 1, None)
    which = restrictor_terms(_only(trials, "which"))
    assert "xâm phạm an ninh quốc gia" in which and "dư luận xã hội đặc biệt quan tâm" in which
    inspection = _item(kb, "774/QĐ-TTg", 1, 1, "a")
    assert _only(inspection, "before_announcement").text.startswith("trước khi công bố")


@pytest.mark.parametrize("text,short", [
    ("Đề thi chính thức của các kỳ thi tốt nghiệp trung học phổ thông, thi chọn đội tuyển Olympic quốc tế và khu vực.",
     "khu vực"),
    ("Hồ sơ, tài liệu phục vụ cho việc hoạch định, cắm mốc biên giới trên sông, suối.", "suối"),
])
def test_a_short_conjunct_shares_the_head_before_it(text, short):
    # Alone, "khu vực" or "suối" would be evidence in any draft that uses the word.
    terms = [t for part in extract_conditions(text) for t in restrictor_terms(part)]
    assert short not in terms
    assert any(t.endswith(" " + short) and len(t.split()) > len(short.split()) + 1 for t in terms)


def test_a_conjunct_with_its_own_head_keeps_it(kb):
    # "tội phạm xâm phạm hoạt động tư pháp, tội phạm tham nhũng, …": "tham nhũng" has its own head.
    terms = [t for part in _item(kb, "1180/QĐ-TTg", 1, 4).conditions for t in restrictor_terms(part)]
    assert "tham nhũng" in terms and not any("tư pháp tham nhũng" in t or "hoạt động tham nhũng" in t for t in terms)


def test_an_item_inherits_the_restrictor_of_its_heading(kb):
    # 137/QĐ-TTg lists only document kinds; what makes them Tuyệt mật is said once, in the heading above.
    report = _item(kb, "137/QĐ-TTg", 1, 2)
    (purpose,) = [p for p in report.conditions if p.source == "heading" and p.code == "purpose"]
    assert report.heading[purpose.start:purpose.end] == purpose.text
    assert restrictor_terms(purpose) == ("quốc phòng", "an ninh")


def test_an_item_without_when_or_whose_is_all_object():
    text = "Kế hoạch phát hành, cung ứng tiền hàng năm."
    assert [(p.kind, p.text) for p in extract_conditions(text)] == [("object", "Kế hoạch phát hành, cung ứng tiền hàng năm")]


# --------------------------------------------------------------------------- "already public?"

NOT_PUBLIC = ItemCondition("condition", "not_public", "chưa công khai", 0, 14, {})


@pytest.mark.parametrize("region", [
    "Đề thi, đáp án chưa công bố.",
    "Báo cáo chỉ gửi các cơ quan có tên tại Nơi nhận, không đăng tải trên trang thông tin điện tử.",
    "Kết luận sẽ công khai sau khi có ý kiến của Thanh tra Chính phủ.",
    "Sở dự kiến công bố kết quả vào ngày 15/7/2025.",
    "Báo cáo được gửi trước khi công bố kết luận thanh tra.",
    "Số liệu chưa được Bộ Y tế công khai.",
    "De thi chua cong bo, de nghi giu bi mat.",
    "Đề nghị không công khai nội dung này.",
    "Dự kiến ngày 15/4/2025 ban hành quyết định và công bố tại trụ sở đơn vị.",
])
def test_not_yet_public_is_not_failed(region):
    verdict = evaluate(NOT_PUBLIC, region)
    assert verdict.state == MET
    assert verdict.span and region[verdict.span[0]:verdict.span[1]]


@pytest.mark.parametrize("region", [
    "Bộ đã công bố đề thi và đáp án.",
    "Kết luận thanh tra đã được đăng tải trên Cổng thông tin điện tử tỉnh.",
    "Thông tin này đã công khai từ tháng 3.",
    "Kết luận được đăng tải trên Cổng thông tin điện tử của Bộ.",
    "Ket luan da duoc dang tai tren cong thong tin dien tu.",
    "Đề thi chưa công bố nhưng đáp án đã được công khai.",
])
def test_already_public_fails(region):
    verdict = evaluate(NOT_PUBLIC, region)
    assert verdict.state == FAILED
    assert "đã được công bố" in verdict.reason
    start, end = verdict.span
    assert region[start:end] in verdict.reason


@pytest.mark.parametrize("region", [
    "Báo cáo tình hình công tác quý II.",
    "Thời hạn thanh tra 30 ngày kể từ ngày công bố quyết định thanh tra.",
    "Một số người đã quay video, đưa lên mạng xã hội để xuyên tạc.",
    "Một nhóm công nhân đã đăng tải nội dung sai sự thật trên mạng xã hội.",
])
def test_no_claim_about_this_information_is_unknown(region):
    assert evaluate(NOT_PUBLIC, region).state == UNKNOWN


def test_silence_is_unknown_and_a_repaired_word_is_not_a_negation():
    assert evaluate(NOT_PUBLIC, "Báo cáo tình hình công tác quý II.").state == UNKNOWN
    # "chữa" (to repair) is not "chưa" (not yet): the accented text is read with its marks.
    assert evaluate(NOT_PUBLIC, "Đội đang chữa công khai bảng tin.").state != MET


def test_an_unrelated_public_sentence_elsewhere_does_not_fail_the_item():
    evidence = "Đề thi chính thức, đáp án kỳ thi tốt nghiệp trung học phổ thông năm 2025 được bảo quản tại phòng bảo mật."
    elsewhere = "Lịch thi đã được đăng tải trên Cổng thông tin điện tử của Sở."
    draft = evidence + "\n\n" + elsewhere
    assert evaluate(NOT_PUBLIC, evidence).state != FAILED
    # The same words in the region would fail it: locality is what keeps the item.
    assert evaluate(NOT_PUBLIC, draft).state == FAILED


def test_before_the_official_conclusion():
    condition = extract_conditions("Kế hoạch điều tra nguyên nhân sự cố cho đến khi Kết luận điều tra nguyên nhân "
                                   "chính thức của cơ quan, người có thẩm quyền.")
    (until,) = [p for p in condition if p.code == "before_announcement"]
    assert evaluate(until, "Cơ quan đã có kết luận điều tra chính thức.").state == FAILED
    assert evaluate(until, "Hiện chưa có kết luận điều tra.").state != FAILED


def test_approval_conditions():
    (pending,) = [p for p in extract_conditions("Đề án thành lập mới bộ khi chưa được Quốc hội thông qua.")
                  if p.code == "not_approved"]
    assert evaluate(pending, "Đề án đã được Quốc hội thông qua ngày 12/6/2025.").state == FAILED
    assert evaluate(pending, "Đề án trình Quốc hội xem xét, chưa được thông qua.").state == MET


def test_the_accusers_own_request_is_the_items_exception(kb):
    exception = _only(_item(kb, "774/QĐ-TTg", 1, 2, "a"), "exception")
    assert evaluate(exception, "Ông A có văn bản đề nghị được công khai họ tên của mình.").state == FAILED
    assert evaluate(exception, "Ông A không đồng ý công khai họ tên.").state == UNKNOWN
    assert evaluate(exception, "Đơn tố cáo gửi ngày 12/3/2025.").state == UNKNOWN


# --------------------------------------------------------------------------- thresholds

MAP_ITEM = ("bản đồ địa hình quốc gia các tỷ lệ 1:2.000, 1:5.000, 1:10.000, 1:25.000, 1:100.000 có diện tích "
            "liên kết lớn hơn 200 km2 trên thực địa ở khu vực ngoài đô thị hoặc 400 km2 ở khu vực đô thị.")


@pytest.mark.parametrize("region,state", [
    ("Bộ bản đồ phủ diện tích 350 km2 tại khu vực miền núi.", MET),
    ("Bộ bản đồ phủ diện tích 150 km2 tại khu vực miền núi.", FAILED),
    ("Bộ bản đồ phủ diện tích 350 km2 trong khu vực đô thị.", FAILED),
    ("Bộ bản đồ phủ diện tích 450 km2 trong khu vực đô thị.", MET),
    ("Bộ bản đồ gồm 12 mảnh.", UNKNOWN),
])
def test_area_threshold(region, state):
    (area,) = [p for p in extract_conditions(MAP_ITEM) if p.code == "area_min_km2"]
    assert evaluate(area, region).state == state


@pytest.mark.parametrize("text,code,region,state", [
    ("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng", "scale_min", "bản đồ tỷ lệ 1:5.000", MET),
    ("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng", "scale_min", "bản đồ tỷ lệ 1:10.000", FAILED),
    ("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng", "scale_min", "bản đồ tỷ lệ 1:50.000", FAILED),
    ("bãi ngầm có tỷ lệ lớn hơn 1:10.000 phục vụ mục đích quốc phòng", "scale_min", "bản đồ vùng biển", UNKNOWN),
    (MAP_ITEM, "scale_in", "bản đồ tỷ lệ 1:50.000", FAILED),
    (MAP_ITEM, "scale_in", "bản đồ tỷ lệ 1:25.000", MET),
    ("trữ lượng và tài nguyên cấp 333 trở lên các mỏ khoáng sản", "category_min", "tài nguyên cấp 334a", FAILED),
    ("trữ lượng và tài nguyên cấp 333 trở lên các mỏ khoáng sản", "category_min", "trữ lượng cấp 122", MET),
    ("mạng lưới tọa độ quốc gia hạng II trở lên", "grade_min", "lưới tọa độ hạng III", FAILED),
    ("mạng lưới tọa độ quốc gia hạng II trở lên", "grade_min", "lưới tọa độ hạng I", MET),
    ("sự cố kết cấu hạ tầng giao thông từ cấp I trở lên", "grade_min", "sự cố cầu cấp II", FAILED),
    ("sự cố kết cấu hạ tầng giao thông từ cấp I trở lên", "grade_min", "sự cố cầu cấp đặc biệt", MET),
    ("sự cố kết cấu hạ tầng giao thông từ cấp I trở lên", "grade_min", "sự cố cầu Rạch Miễu", UNKNOWN),
])
def test_thresholds(text, code, region, state):
    (condition,) = [p for p in extract_conditions(text) if p.code == code]
    verdict = evaluate(condition, region)
    assert verdict.state == state
    if state != UNKNOWN:
        assert verdict.span is not None


def test_restrictor_evidence_is_met_or_unknown_never_failed():
    (whose,) = [p for p in extract_conditions("Hồ sơ bệnh án của các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư.")
                if p.kind == "restrictor"]
    assert restrictor_terms(whose) == ("Ủy viên Bộ Chính trị", "Ban Bí thư")
    assert evaluate(whose, "Kết quả khám sức khỏe của đồng chí Ủy viên Bộ Chính trị.").state == MET
    assert evaluate(whose, "Kết quả khám sức khỏe định kỳ của cán bộ, công chức Sở.").state == UNKNOWN


# --------------------------------------------------------------------------- patterns

def test_a_pattern_with_a_failing_example_is_refused():
    with pytest.raises(ValueError, match="does not match its example"):
        NamedPattern("broken", r"\bchưa công bố\b", matches=("đã công bố",))
    with pytest.raises(ValueError, match="counterexample"):
        NamedPattern("broken", r"\bch.a công bố\b", matches=("chưa công bố",), excludes=("chữa công bố",))


# --------------------------------------------------------------------------- Datasette

@pytest.mark.asyncio
async def test_datasette_shows_the_table_with_its_description(kb_path, tmp_path):
    db_path = tmp_path / "cancu.db"
    shutil.copy(kb_path, db_path)
    ds = Datasette([str(db_path)], metadata=load_metadata())
    page = await ds.client.get("/cancu/item_conditions")
    assert page.status_code == 200
    assert "Đối tượng, phạm vi và điều kiện của từng mục danh mục" in page.text
    assert "chưa công khai" in page.text
    rows = (await ds.client.get("/cancu/item_conditions.json?code=area_min_km2&_shape=array")).json()
    assert rows and all(yaml.safe_load(row["params"])["km2"] in (200, 800) for row in rows)
