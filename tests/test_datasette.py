"""Datasette: metadata, canned queries, the cancu plugin's SQL functions and the classify page.

Every page runs against a knowledge base built by the real ingest from the
shipped data, through Datasette's in-process client; results are checked, not
only status codes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

from cancu import plugin
from cancu.classifier.model import Classification, Proposal
from cancu.cli import cli
from cancu.ingest.text import fold
from cancu.serve import load_metadata, make_datasette, metadata_path

DRAFTS = Path(__file__).parent / "data" / "drafts"
EXAM_CITATION = "khoản 1 Điều 1 Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ"


@pytest.fixture(scope="session")
def datasette_kb(kb_path) -> Path:
    """The session's real knowledge base (conftest), named cancu.db so that datasette-metadata.yml applies as written."""
    assert kb_path.name == "cancu.db"
    return kb_path


@pytest.fixture
def ds(datasette_kb) -> Datasette:
    metadata = yaml.safe_load(metadata_path().read_text(encoding="utf-8"))
    return Datasette([str(datasette_kb)], metadata=metadata)


async def get_rows(ds: Datasette, path: str) -> list[dict]:
    response = await ds.client.get(path + ("&" if "?" in path else "?") + "_shape=array")
    assert response.status_code == 200, response.text
    return response.json()


# --- SQL functions on a bare connection ----------------------------------------------


@pytest.fixture
def conn() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    plugin.prepare_connection(connection)
    return connection


@pytest.mark.parametrize(
    "sql,params,expected",
    [
        ("select cancu_fold(?)", ["Đất đai"], "dat dai"),
        ("select cancu_fold(?)", ["ĐỀ THI"], "de thi"),
        ("select cancu_fold(?)", [None], None),
        ("select cancu_date(?)", ["12/3/2026"], "2026-03-12"),
        ("select cancu_date(?)", ["2026-03-12"], "2026-03-12"),
        ("select cancu_date(?)", ["31/2/2026"], None),
        ("select cancu_date(?)", [""], None),
        ("select cancu_vn_date(?)", ["2023-05-19"], "19/5/2023"),
        ("select cancu_vn_date(?)", ["2026-01-06"], "06/01/2026"),
        ("select cancu_vn_label(?)", ["in_force"], "còn hiệu lực"),
        ("select cancu_vn_label(?)", ["partial"], "một phần"),
        ("select cancu_number_matches(?, ?)", ["531/QĐ-TTg", "531"], 1),
        ("select cancu_number_matches(?, ?)", ["531/QĐ-TTg", "531/QD-TTg"], 1),
        ("select cancu_number_matches(?, ?)", ["531/QĐ-TTg", "Quyết định số 531/QĐ-TTg"], 1),
        ("select cancu_number_matches(?, ?)", ["531/QĐ-TTg", "53"], 0),
        ("select cancu_number_matches(?, ?)", ["15/2003/QĐ-TTg", "15/2003"], 1),
        ("select cancu_number_matches(?, ?)", ["531/QĐ-TTg", ""], 0),
        ("select cancu_fts_all(?)", ["Đất  đai"], '{text_folded heading_folded} : ("dat" AND "dai")'),
        ("select cancu_fts_any(?)", ["đề thi"], '{text_folded heading_folded} : ("de thi" OR "de" OR "thi")'),
        ("select cancu_fts_any(?)", ['" OR NEAR(*'], '{text_folded heading_folded} : ("or near" OR "or" OR "near")'),
        ("select cancu_fts_any(?)", ["  ?! "], '""'),
    ],
)
def test_sql_functions(conn, sql, params, expected):
    assert conn.execute(sql, params).fetchone()[0] == expected


@pytest.fixture
def fts_conn(conn) -> sqlite3.Connection:
    """A two-row copy of the items table and its index, folded with the shared fold()."""
    conn.execute("create table items (id integer primary key, text text, heading text, "
                 "text_folded text, heading_folded text)")
    for row_id, text, heading in [
        (1, "Đề thi chính thức, đáp án đề thi của kỳ thi tốt nghiệp chưa công khai.", "Điều 1"),
        (2, "Quy hoạch sử dụng đất quốc phòng.", "Về đất đai:"),
    ]:
        conn.execute("insert into items values (?, ?, ?, cancu_fold(?), cancu_fold(?))",
                     [row_id, text, heading, text, heading])
    conn.execute("create virtual table items_fts using fts5(text, heading, text_folded, heading_folded, "
                 "content=items, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("insert into items_fts(items_fts) values ('rebuild')")
    return conn


SEARCH = """
    select items.id, cancu_unfold_snippet(items.text, snippet(items_fts, 2, '【', '】', '…', 8))
    from items_fts join items on items.id = items_fts.rowid
    where items_fts match cancu_fts_any(?) order by bm25(items_fts, 0, 0, 1.0, 0.5)
"""


@pytest.mark.parametrize(
    "typed,expected_id,expected_snippet",
    [
        ("de thi", 1, "【Đề thi】 chính thức, đáp án 【đề thi】…"),
        ("ĐỀ THI", 1, "【Đề thi】 chính thức, đáp án 【đề thi】…"),
        ("dat dai", 2, "Quy hoạch sử dụng 【đất】 quốc phòng."),
        ('"đề thi" OR NEAR( AND', 1, "【Đề thi】 chính thức, đáp án 【đề thi】…"),
    ],
    ids=["folded", "upper-case-accents", "d-bar", "fts-syntax"],
)
def test_folded_search_with_snippet(fts_conn, typed, expected_id, expected_snippet):
    rows = fts_conn.execute(SEARCH, [typed]).fetchall()
    assert rows[0] == (expected_id, expected_snippet)


def test_empty_search_matches_nothing(fts_conn):
    assert fts_conn.execute(SEARCH, [""]).fetchall() == []


def test_unfold_snippet_falls_back_when_text_is_not_found():
    assert plugin.unfold_snippet("Đất đai", "【khac】") == "【khac】"
    assert plugin.unfold_snippet(None, None) is None


# --- metadata --------------------------------------------------------------------------


def test_metadata_file_is_found_and_renamed_for_other_database_names():
    assert metadata_path().name == "datasette-metadata.yml"
    renamed = load_metadata("kho")
    assert "cancu" not in renamed["databases"]
    assert set(renamed["databases"]["kho"]["queries"]) == {
        "dieu_khoan_ap_dung", "danh_muc_theo_ngay", "quyet_dinh_bi_thay_the", "tra_cuu_so_quyet_dinh"}


@pytest.mark.asyncio
async def test_make_datasette_serves_any_file_name_immutable(tmp_path, datasette_kb):
    copy = tmp_path / "kho.db"
    copy.write_bytes(datasette_kb.read_bytes())
    ds = make_datasette(copy)
    assert not ds.get_database("kho").is_mutable
    rows = await get_rows(ds, "/kho/tra_cuu_so_quyet_dinh.json?so_quyet_dinh=531")
    assert {row["Quyết định"] for row in rows} == {"531/QĐ-TTg"}


# --- pages -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_home_page_has_title_licence_and_classify_link(ds):
    response = await ds.client.get("/")
    assert response.status_code == 200
    html = response.text
    assert "Căn cứ — danh mục bí mật nhà nước" in html
    assert "Điều 15 Luật Sở hữu trí tuệ" in html
    assert '<a href="-/phan-loai"><strong>Phân loại dự thảo</strong></a>' in html
    assert '<li><a href="/-/phan-loai">Phân loại dự thảo</a></li>' in html  # the menu


@pytest.mark.asyncio
async def test_database_page_lists_the_canned_queries(ds):
    response = await ds.client.get("/cancu")
    assert response.status_code == 200
    for title in ("Điều khoản nào áp dụng?", "Danh mục có hiệu lực vào ngày…",
                  "Các quyết định đã bị thay thế và quyết định thay thế", "Tra cứu theo số quyết định"):
        assert title in response.text
    assert "Kho danh mục bí mật nhà nước" in response.text


@pytest.mark.asyncio
async def test_the_actions_menu_of_database_and_table_pages_is_in_vietnamese(ds):
    from datasette import hookimpl
    from datasette.plugins import pm

    class Actions:
        @hookimpl
        def database_actions(self):
            return [{"href": "/x-db", "label": "Việc của kho"}]

        @hookimpl
        def table_actions(self):
            return [{"href": "/x-bang", "label": "Việc của bảng"}]

    pm.register(Actions(), name="test-actions")
    try:
        database, table = (await ds.client.get("/cancu")).text, (await ds.client.get("/cancu/decisions")).text
    finally:
        pm.unregister(name="test-actions")
    assert '<title id="actions-menu-links-title">Thao tác</title>' in database
    assert '<li><a href="/x-db">Việc của kho</a></li>' in database
    assert '<title id="actions-menu-links-title">Thao tác với bảng</title>' in table
    assert '<li><a href="/x-bang">Việc của bảng</a></li>' in table


@pytest.mark.asyncio
async def test_decisions_table_facets_sort_and_sources(ds):
    response = await ds.client.get("/cancu/decisions?number=531/QĐ-TTg")
    html = response.text
    assert response.status_code == 200
    assert "Quyết định ban hành danh mục bí mật nhà nước" in html
    assert 'data-column="status"' in html and 'data-column="text_completeness"' in html  # facets
    assert '<ul class="cancu-sources"><li><a href="' in html  # JSON sources shown as links
    assert "xếp theo Hiệu lực từ" in (await ds.client.get("/cancu/decisions")).text
    data = (await ds.client.get("/cancu/decisions.json?_shape=objects&_size=max")).json()
    dates = [row["valid_from"] for row in data["rows"] if row["valid_from"]]
    assert dates == sorted(dates)


@pytest.mark.asyncio
async def test_items_table_search_without_diacritics(ds):
    rows = await get_rows(ds, "/cancu/items.json?_search=dat+dai&_col=text&_col=heading")
    assert rows and all("đất đai" in (row["text"] + " " + row["heading"]).lower() for row in rows)
    rows = await get_rows(ds, "/cancu/items.json?_search=de+thi&_col=citation&catalog_item=1")
    assert EXAM_CITATION in [row["citation"] for row in rows]


@pytest.mark.asyncio
async def test_items_table_in_document_order_with_level_facet_and_hidden_folded_columns(ds):
    data = (await ds.client.get("/cancu/items.json?_shape=objects&decision=531/QĐ-TTg")).json()
    assert [row["path"] for row in data["rows"]] == ["1.", "1.1.", "1.2.", "mat.", "mat.1.", "mat.2."]
    html = (await ds.client.get("/cancu/items?decision=531/QĐ-TTg")).text
    assert 'data-column="level"' in html
    assert "/-/cancu.css" in html
    css = (await ds.client.get("/-/cancu.css")).text
    assert "td.col-text_folded" in css and "display: none" in css
    in_force = (await ds.client.get("/cancu/items_in_force_today.json?_shape=objects&_size=1")).json()
    assert in_force["rows"]


# --- canned queries --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_which_clause_applies_typed_without_diacritics(ds):
    rows = await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?tu_khoa=de+thi")
    assert rows[0]["Căn cứ"] == EXAM_CITATION
    assert rows[0]["Độ mật"] == "Tối mật"
    assert rows[0]["Đoạn khớp"].startswith("【Đề thi】 chính thức, 【đề thi】 dự bị")
    assert all("809/QĐ-TTg" not in row["Căn cứ"] for row in rows)  # replaced in 2023
    scores = [row["Mức khớp"] for row in rows]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.asyncio
async def test_which_clause_applies_html_highlights_and_accepts_accents(ds):
    html = (await ds.client.get("/cancu/dieu_khoan_ap_dung?tu_khoa=%C4%91%E1%BB%81+thi")).text  # "đề thi"
    assert "<mark>Đề thi</mark> chính thức" in html
    assert EXAM_CITATION in html
    assert "Phân loại dự thảo" in html  # points drafters to the POST form


@pytest.mark.asyncio
async def test_which_clause_applies_dat_dai(ds):
    rows = await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?tu_khoa=dat+dai")
    top = rows[0]
    assert top["Căn cứ"].startswith("khoản 5 Điều 1 Quyết định số 562/QĐ-TTg")
    assert "【đất】" in top["Đoạn khớp"]


@pytest.mark.parametrize("typed", ['"de thi', "de thi) OR NEAR(", "de* -thi ^", "đề thi AND"])
@pytest.mark.asyncio
async def test_which_clause_applies_survives_fts_syntax(ds, typed):
    rows = await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?" + _query({"tu_khoa": typed}))
    assert rows[0]["Căn cứ"] == EXAM_CITATION


@pytest.mark.asyncio
async def test_which_clause_applies_empty_input_returns_nothing(ds):
    assert await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?tu_khoa=") == []


@pytest.mark.asyncio
async def test_catalog_in_force_on_a_date(ds):
    rows = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=20/6/2022&linh_vuc=giao+duc")
    assert {row["Ngày xét"] for row in rows} == {"20/6/2022"}
    assert rows and all("809/QĐ-TTg" in row["Căn cứ"] for row in rows)
    rows = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=2024-12-12&linh_vuc=gi%C3%A1o+d%E1%BB%A5c")
    citations = [row["Căn cứ"] for row in rows]
    assert EXAM_CITATION in citations and all("531/QĐ-TTg" in c for c in citations)


@pytest.mark.asyncio
async def test_catalog_in_force_filtered_by_every_word(ds):
    rows = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=2024-12-12&linh_vuc=&tu_khoa=DE+THI")
    assert EXAM_CITATION in [row["Căn cứ"] for row in rows]
    assert all({"de", "thi"} <= set(re.findall(r"\w+", fold(row["Nội dung"]))) for row in rows)
    assert await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=2024-12-12&tu_khoa=de+thi+zzzz") == []


@pytest.mark.asyncio
async def test_catalog_in_force_respects_replacement_day(ds):
    before = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=18/5/2023&linh_vuc=giao+duc")
    on_day = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=19/5/2023&linh_vuc=giao+duc")
    assert all("809/QĐ-TTg" in row["Căn cứ"] for row in before)
    assert all("531/QĐ-TTg" in row["Căn cứ"] for row in on_day)


@pytest.mark.asyncio
async def test_catalog_in_force_defaults_to_today(ds):
    rows = await get_rows(ds, "/cancu/danh_muc_theo_ngay.json?ngay=&linh_vuc=")
    assert len({row["Ngày xét"] for row in rows}) == 1
    assert EXAM_CITATION in [row["Căn cứ"] for row in rows]


@pytest.mark.asyncio
async def test_replaced_decisions_and_their_replacements(ds):
    rows = await get_rows(ds, "/cancu/quyet_dinh_bi_thay_the.json?linh_vuc=")
    pairs = {(row["Quyết định bị thay thế"], row["Quyết định thay thế"]): row for row in rows}
    assert pairs[("809/QĐ-TTg", "531/QĐ-TTg")]["Hết hiệu lực từ"] == "19/5/2023"
    assert ("1295/QĐ-TTg", "440/QĐ-TTg") in pairs
    filtered = await get_rows(ds, "/cancu/quyet_dinh_bi_thay_the.json?linh_vuc=y+te")
    assert [(r["Quyết định bị thay thế"], r["Quyết định thay thế"]) for r in filtered] == [("1295/QĐ-TTg", "440/QĐ-TTg")]


@pytest.mark.parametrize("typed", ["531", "531/QD-TTg", "531/QĐ-TTg", " 531/qđ-ttg "])
@pytest.mark.asyncio
async def test_lookup_by_decision_number(ds, typed):
    rows = await get_rows(ds, "/cancu/tra_cuu_so_quyet_dinh.json?" + _query({"so_quyet_dinh": typed}))
    assert {row["Quyết định"] for row in rows} == {"531/QĐ-TTg"}
    assert rows[0]["Căn cứ"] == EXAM_CITATION
    assert rows[0]["Tình trạng"] == "còn hiệu lực"
    assert len(rows) == 4


@pytest.mark.asyncio
async def test_lookup_register_only_decision(ds):
    rows = await get_rows(ds, "/cancu/tra_cuu_so_quyet_dinh.json?so_quyet_dinh=476")
    assert len(rows) == 1
    assert rows[0]["Văn bản trong kho"] == "không có văn bản" and rows[0]["Căn cứ"] is None


@pytest.mark.asyncio
async def test_lookup_unknown_number_finds_nothing(ds):
    assert await get_rows(ds, "/cancu/tra_cuu_so_quyet_dinh.json?so_quyet_dinh=53") == []


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# --- the classify page -------------------------------------------------------------------


async def _form_token(ds: Datasette) -> tuple[str, dict]:
    response = await ds.client.get("/-/phan-loai")
    assert response.status_code == 200
    token = re.search(r'name="csrftoken" value="([^"]+)"', response.text).group(1)
    return token, {"ds_csrftoken": response.cookies["ds_csrftoken"]}


async def _classify(ds: Datasette, draft_text: str, as_of: str = ""):
    token, cookies = await _form_token(ds)
    return await ds.client.post("/-/phan-loai", data={"csrftoken": token, "draft_text": draft_text, "as_of": as_of},
                                cookies=cookies)


@pytest.mark.asyncio
async def test_classify_page_form(ds):
    response = await ds.client.get("/-/phan-loai")
    html = response.text
    assert '<form class="cancu-form" id="cancu-form" action="/-/phan-loai" method="post" enctype="multipart/form-data"' in html
    assert '<input type="file" id="draft_file" name="draft_file" accept=".docx,.pdf,.txt"' in html
    assert '<textarea id="draft_text" name="draft_text"' in html
    assert "không lưu" in html
    assert "no-store" in response.headers["cache-control"]


@pytest.mark.asyncio
async def test_classify_page_proposes_the_exam_clause(ds):
    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    response = await _classify(ds, draft_text)
    assert response.status_code == 200
    html = response.text
    assert f'<span class="cancu-citation">{EXAM_CITATION}</span>' in html
    assert 'Độ mật đề xuất: <span class="cancu-level">Tối mật</span>' in html
    assert "(hôm nay; dự thảo không ghi ngày)" in html  # d-008 has no date in its header
    assert "Đoạn trong dự thảo" in html  # evidence spans
    assert "no-store" in response.headers["cache-control"]
    assert "set-cookie" not in response.headers or "Kết quả" not in response.headers["set-cookie"]


@pytest.mark.asyncio
async def test_classify_page_says_when_nothing_applies(ds):
    draft_text = (DRAFTS / "thong-bao-nghi-tet.txt").read_text(encoding="utf-8")
    response = await _classify(ds, draft_text)
    assert response.status_code == 200
    assert '<p class="cancu-level">Không thuộc danh mục bí mật nhà nước nào.</p>' in response.text
    assert "cancu-citation" not in response.text


@pytest.mark.asyncio
async def test_classify_page_marks_alternatives(ds, dev_drafts, kb):
    """The page shows the classifier's proposals, the alternatives among them labelled as such."""
    from cancu.classifier import classify

    expected = classify(dev_drafts["d-004"]["text"], kb)
    html = (await _classify(ds, dev_drafts["d-004"]["text"])).text.split('class="cancu-near-misses"')[0]
    assert html.count('class="cancu-proposal"') == len(expected.proposals)
    assert html.count('<p class="cancu-alternative">') == sum(p.alternative for p in expected.proposals)
    assert all(p.citation in html for p in expected.proposals)


@pytest.mark.asyncio
async def test_classify_page_shows_warnings_and_near_misses(ds, monkeypatch):
    """The page renders every part of a Classification (the classifier itself is tested elsewhere)."""
    near = Proposal(item_id=201, decision="531/QĐ-TTg", article=None, clause=2, point=None, level="Mật", score=0.3,
                    citation="khoản 2 phần “Bí mật nhà nước độ Mật” Quyết định số 531/QĐ-TTg ngày 19/5/2023 "
                             "của Thủ tướng Chính phủ",
                    text="Thông tin về địa điểm ra đề thi", warnings=("Điều kiện “chưa công khai” không thỏa.",))
    answer = Classification(as_of=dt.date(2025, 5, 16), as_of_source="option", level=None, proposals=(),
                            warnings=("Kết luận dựa trên các danh mục có trong kho.",), near_misses=(near,))
    monkeypatch.setattr(plugin, "classify_draft", lambda draft_text, path, as_of: answer)
    html = (await _classify(ds, "Địa điểm ra đề thi", as_of="16/5/2025")).text
    assert "Ngày xét hiệu lực: <strong>16/5/2025</strong>" in html
    assert "<li>Kết luận dựa trên các danh mục có trong kho.</li>" in html
    assert "Các mục gần khớp nhưng không được đề xuất (1)" in html
    assert near.citation + " — Mật · Độ khớp: 0,30" in html
    assert "<li>Điều kiện “chưa công khai” không thỏa.</li>" in html


@pytest.mark.asyncio
async def test_classify_page_date_option_changes_the_catalog(ds):
    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    html = (await _classify(ds, draft_text, as_of="20/6/2022")).text
    assert "Ngày xét hiệu lực: <strong>20/6/2022</strong>\n     (ngày bạn nhập)" in html
    assert EXAM_CITATION not in html  # 531 was not yet in force
    html = (await _classify(ds, draft_text, as_of="2024-12-12")).text
    assert "Ngày xét hiệu lực: <strong>12/12/2024</strong>" in html
    assert f'<span class="cancu-citation">{EXAM_CITATION}</span>' in html


@pytest.mark.parametrize(
    "draft_text,as_of,message",
    [
        ("   ", "", "Hãy dán nội dung dự thảo"),
        ("Đề thi chính thức", "32/13/2024", "không phải ngày hợp lệ"),
        ("x" * (plugin.MAX_DRAFT_CHARS + 1), "", "Dự thảo dài quá 200.000 ký tự"),
    ],
)
@pytest.mark.asyncio
async def test_classify_page_rejects_bad_input(ds, draft_text, as_of, message):
    response = await _classify(ds, draft_text, as_of)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.asyncio
async def test_classify_page_requires_csrf_token(ds):
    token, cookies = await _form_token(ds)
    missing = await ds.client.post("/-/phan-loai", data={"draft_text": "Đề thi chính thức"}, cookies=cookies)
    forged = await ds.client.post("/-/phan-loai", data={"draft_text": "Đề thi chính thức", "csrftoken": token[::-1]},
                                  cookies=cookies)
    assert (missing.status_code, forged.status_code) == (403, 403)


@pytest.mark.asyncio
async def test_classify_page_does_not_log_or_keep_the_draft(ds, caplog, datasette_kb):
    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    before = datasette_kb.stat().st_mtime_ns
    with caplog.at_level(logging.DEBUG):
        response = await _classify(ds, draft_text)
    assert response.status_code == 200
    marker = "Tổ ra đề môn Hóa học đã hoàn thành nhiệm vụ"
    assert all(marker not in record.getMessage() for record in caplog.records)
    assert marker not in str(response.url) and marker not in response.headers.get("set-cookie", "")
    assert datasette_kb.stat().st_mtime_ns == before


# --- the command -----------------------------------------------------------------------------


def test_serve_help_is_vietnamese_with_example():
    result = CliRunner().invoke(cli, ["serve", "--help"], catch_exceptions=False, prog_name="cancu")
    assert result.exit_code == 0
    assert "Ví dụ:" in result.output and "\n      cancu serve --port 8080 --db kho.db\n" in result.output
    flat = " ".join(result.output.split())
    assert "[mặc định: 127.0.0.1]" in flat and flat.startswith("Cách dùng: cancu serve [TÙY CHỌN]")


# --- upload, proposal download, decision pages (issue 13) ----------------------------------------


def _docx_bytes(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(tmp_path: Path, text: str) -> bytes:
    from test_check import make_text_pdf  # the same PDF builder the check tests use

    lines = [line for line in text.splitlines() if line.strip()]
    return make_text_pdf(tmp_path / "du-thao.pdf", lines).read_bytes()


async def _upload(ds: Datasette, name: str, data: bytes, as_of: str = "12/12/2024", path: str = "/-/phan-loai"):
    token, cookies = await _form_token(ds)
    return await ds.client.post(path, data={"csrftoken": token, "as_of": as_of, "draft_text": ""},
                                files={"draft_file": (name, data, "application/octet-stream")}, cookies=cookies)


@pytest.mark.parametrize("kind", ["docx", "pdf", "txt"])
@pytest.mark.asyncio
async def test_classify_page_reads_an_uploaded_draft(ds, kind, tmp_path):
    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    data = {"docx": lambda: _docx_bytes(draft_text), "pdf": lambda: _pdf_bytes(tmp_path, draft_text),
            "txt": lambda: draft_text.encode("utf-8")}[kind]()
    response = await _upload(ds, f"bao-cao.{kind}", data)
    assert response.status_code == 200, response.text[-2000:]
    html = response.text
    assert f'<span class="cancu-citation">{EXAM_CITATION}</span>' in html
    assert f"Đã đọc tệp: <strong>bao-cao.{kind}</strong>" in html
    assert 'id="de-xuat"' in html and "Căn cứ xác định độ mật" in html  # the proposal, on the page
    assert 'href="/-/danh-muc/531-qd-ttg#muc-' in html  # every proposal links to its decision page
    assert "no-store" in response.headers["cache-control"]


@pytest.mark.parametrize(
    "name,data,status,message",
    [
        ("du-thao.docx", b"PK\x03\x04 not really a zip", 400, "Không đọc được tệp “du-thao.docx”"),
        ("du-thao.pdf", b"%PDF-1.4 broken", 400, "Không đọc được tệp “du-thao.pdf”"),
        ("du-thao.txt", b"   ", 400, "tệp rỗng"),
        ("anh.png", b"\x89PNG\r\n", 400, "chỉ nhận tệp .docx, .pdf (có lớp chữ) hoặc .txt"),
    ],
)
@pytest.mark.asyncio
async def test_classify_page_refuses_unreadable_uploads(ds, name, data, status, message):
    response = await _upload(ds, name, data)
    assert response.status_code == status
    assert message in response.text
    assert 'class="cancu-citation"' not in response.text


@pytest.mark.asyncio
async def test_classify_page_refuses_a_too_large_upload(ds, monkeypatch):
    from cancu.plugin import upload

    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1000)
    response = await _upload(ds, "lon.txt", ("Đề thi chính thức. " * 200).encode("utf-8"))
    assert response.status_code == 413
    assert "lớn quá" in response.text


@pytest.mark.asyncio
async def test_upload_without_csrf_token_is_refused(ds):
    _, cookies = await _form_token(ds)
    response = await ds.client.post("/-/phan-loai", data={"as_of": ""}, files={"draft_file": ("a.txt", b"x")},
                                    cookies=cookies)
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_proposal_download_is_a_docx_built_in_memory(ds):
    import io

    import docx

    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    response = await _upload(ds, "bao-cao.docx", _docx_bytes(draft_text), path="/-/phan-loai/de-xuat")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"] == 'attachment; filename="de-xuat-do-mat-2024-12-12.docx"'
    assert "no-store" in response.headers["cache-control"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert EXAM_CITATION in text and "độ “Tối mật”" in text
    token, cookies = await _form_token(ds)
    markdown = await ds.client.post("/-/phan-loai/de-xuat?format=md", cookies=cookies,
                                    data={"csrftoken": token, "as_of": "2024-12-12", "draft_text": draft_text})
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert f"- {EXAM_CITATION} (độ Tối mật)" in markdown.text


@pytest.mark.asyncio
async def test_uploads_and_downloads_leave_no_trace(ds, caplog, datasette_kb, tmp_path, monkeypatch):
    """Nothing of an uploaded draft reaches a log, a temporary file, a cookie or the URL."""
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    draft_text = (DRAFTS / "d-008.txt").read_text(encoding="utf-8")
    marker = "Tổ ra đề môn Hóa học đã hoàn thành nhiệm vụ"
    before = datasette_kb.stat().st_mtime_ns
    with caplog.at_level(logging.DEBUG):
        page = await _upload(ds, "bao-cao.docx", _docx_bytes(draft_text))
        download = await _upload(ds, "bao-cao.docx", _docx_bytes(draft_text), path="/-/phan-loai/de-xuat")
    assert (page.status_code, download.status_code) == (200, 200)
    assert all(marker not in record.getMessage() for record in caplog.records)
    for response in (page, download):
        assert marker not in str(response.url) and marker not in response.headers.get("set-cookie", "")
        assert "no-store" in response.headers["cache-control"]
    assert list(spool.iterdir()) == []
    assert datasette_kb.stat().st_mtime_ns == before


@pytest.mark.asyncio
async def test_decision_page_tree_badges_and_links(ds):
    response = await ds.client.get("/-/danh-muc/531-qd-ttg")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Quyết định số 531/QĐ-TTg</h1>" in html
    assert '<a href="/-/danh-muc/809-qd-ttg">809/QĐ-TTg</a>' in html  # what it replaced
    assert html.count('<span class="cancu-badge toi-mat">Tối mật</span>') == 2
    assert html.count('<span class="cancu-badge mat">Mật</span>') == 2
    assert f'<code class="cancu-cite">{EXAM_CITATION}</code>' in html
    tree = html.split("<h2>Nội dung</h2>")[1]
    assert tree.index("<strong>Điều 1</strong>") < tree.index("<strong>1.</strong>")  # Điều → khoản, nested
    assert re.search(r'<li id="muc-\d+" class="cancu-item kind-article">.*?<ul class="cancu-tree">.*?kind-clause',
                     tree, re.S)
    assert "Kho không có toàn văn quyết định này" in html  # 531 is partial
    assert "<li>Điều kiện: “chưa công khai”</li>" in html  # the conditions the classifier reads (item_conditions)
    old = (await ds.client.get("/-/danh-muc/809-qd-ttg")).text
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in old and "đã bị thay thế" in old
    assert (await ds.client.get("/-/danh-muc/khong-co")).status_code == 404


@pytest.mark.asyncio
async def test_decision_page_marks_unknown_status(ds):
    html = (await ds.client.get("/-/danh-muc/15-2003-qd-ttg")).text
    assert "chưa rõ tình trạng hiệu lực" in html and "30/2000/PL-UBTVQH10" in html


@pytest.mark.asyncio
async def test_home_and_index_list_catalogs_in_force_first(ds):
    for path in ("/", "/-/danh-muc"):
        html = (await ds.client.get(path)).text
        ranks = [int(r) for r in re.findall(r'<tr class="rank-(\d)">', html)]
        assert ranks and ranks == sorted(ranks)
        assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in html
        assert html.index("/-/danh-muc/531-qd-ttg") < html.index("/-/danh-muc/15-2003-qd-ttg") < html.index(
            "/-/danh-muc/809-qd-ttg")


@pytest.mark.asyncio
async def test_items_page_shows_reader_columns_and_keeps_the_rest_queryable(ds):
    html = (await ds.client.get("/cancu/items?decision=531/QĐ-TTg")).text
    assert 'class="col-citation' in html and 'class="col-text_folded' not in html and 'class="col-path' not in html
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a></td>' in html  # to the decision page
    shown = (await ds.client.get("/cancu/items?decision=531/QĐ-TTg&_col=path")).text
    assert 'class="col-path' in shown
    data = (await ds.client.get("/cancu/items.json?_shape=objects&_size=1")).json()
    assert "text_folded" in data["rows"][0]  # the API keeps every column


@pytest.mark.asyncio
async def test_canned_query_lists_unknown_status_items_after_items_in_force(ds):
    rows = await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?tu_khoa=ngan+hang")
    states = [row["Hiệu lực của quyết định"] for row in rows]
    assert "chưa rõ tình trạng hiệu lực" in states
    assert states == sorted(states, key=lambda state: state == "chưa rõ tình trạng hiệu lực")
    html = (await ds.client.get("/cancu/dieu_khoan_ap_dung?tu_khoa=de+thi")).text
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in html


@pytest.mark.asyncio
async def test_classify_page_answers_a_question(ds):
    response = await _classify(ds, "Đề thi tốt nghiệp THPT có phải là bí mật nhà nước độ Tối mật không?",
                               as_of="12/12/2024")
    assert response.status_code == 200
    html = response.text
    assert 'id="tra-loi"' in html and 'id="ket-qua"' not in html
    answer = html.split('id="tra-loi"')[1]
    assert answer.index(EXAM_CITATION) < answer.index("cancu-answer-item") + 2000
    asked = (await _classify(ds, "Danh mục bí mật nhà nước độ Mật lĩnh vực y tế gồm những gì?")).text
    assert 'Danh mục được hỏi: <a href="/-/danh-muc/440-qd-ttg">440/QĐ-TTg</a>' in asked


@pytest.mark.asyncio
async def test_served_instance_suggests_no_facets(datasette_kb):
    served = make_datasette(datasette_kb)
    assert served.setting("suggest_facets") is False
    html = (await served.client.get("/cancu/items")).text
    assert "Suggested facets" not in html
    assert '<dl class="column-descriptions">' in html and "dl.column-descriptions { display: none; }" in (
        await served.client.get("/-/cancu.css")).text  # the legend stays in the page source, not above the rows


@pytest.mark.asyncio
async def test_proposal_download_requires_csrf_token(ds):
    _, cookies = await _form_token(ds)
    response = await ds.client.post("/-/phan-loai/de-xuat", data={"draft_text": "Đề thi chính thức"}, cookies=cookies)
    assert response.status_code == 403
    assert (await ds.client.get("/-/phan-loai/de-xuat")).status_code == 302


@pytest.mark.asyncio
async def test_classify_page_shows_review_items_apart_and_never_as_basis(ds, monkeypatch):
    """Items in the review band ("cần xem xét") are listed, never written into the proposal as the basis."""
    review = Proposal(item_id=197, decision="531/QĐ-TTg", article=1, clause=1, point=None, level="Tối mật",
                      score=0.55, citation=EXAM_CITATION, text="Đề thi chính thức, đề thi dự bị …")
    base = Classification(as_of=dt.date(2024, 12, 12), as_of_source="option", level=None, proposals=())

    class WithReview:  # Classification.review is added by the classifier work; until then, a stand-in
        def __init__(self):
            self.__dict__.update({name: getattr(base, name) for name in
                                  ("as_of", "as_of_source", "level", "proposals", "warnings", "near_misses")})
            self.review = (review,)

    monkeypatch.setattr(plugin, "classify_draft", lambda draft_text, path, as_of: WithReview())
    html = (await _classify(ds, "Tổ ra đề đã hoàn thiện đề thi", as_of="12/12/2024")).text
    assert "<h3>Cần xem xét</h3>" in html and f"{EXAM_CITATION} — Tối mật · Độ khớp: 0,55" in html
    assert f'<span class="cancu-citation">{EXAM_CITATION}</span>' not in html
    proposal = html.split('id="de-xuat"')[1]
    assert "Cần xem xét (không ghi làm căn cứ)" in proposal and "Căn cứ xác định độ mật" not in proposal
    assert "KHÔNG thuộc danh mục bí mật nhà nước nào" in proposal


@pytest.mark.asyncio
async def test_decision_page_of_a_register_only_decision(ds):
    response = await ds.client.get("/-/danh-muc/476-qd-ttg")
    assert response.status_code == 200
    assert "Kho chưa có văn bản của quyết định này (chỉ có trong sổ đăng ký)." in response.text
    assert "cancu-badge toi-mat" not in response.text


# --- Datasette's own pages in Vietnamese ---------------------------------------------

ENGLISH_CHROME = ("rows sorted by", "Data license", "Data source", "Powered by", ">home<", "This data as",
                  "Advanced export", "Next page", "Custom SQL query", "Query parameters", "Run SQL", "rows in",
                  " rows<", ">Tables<", ">Views<", ">Queries<", "hidden table",
                  "Links from other tables")


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/", "/cancu/items", "/cancu/decisions?status=in_force",
                                  "/cancu/items?_search=de+thi+tot+nghiep", "/cancu/dieu_khoan_ap_dung?tu_khoa=de+thi",
                                  "/cancu/danh_muc_theo_ngay?ngay=2024-12-12", "/-/danh-muc/531-qd-ttg", "/cancu",
                                  "/cancu/items/197"])
async def test_datasette_pages_speak_vietnamese(ds, path):
    html = (await ds.client.get(path)).text
    assert [words for words in ENGLISH_CHROME if words in html] == []
    assert ">Trang chủ</a>" in html or path == "/"


@pytest.mark.asyncio
async def test_table_pages_show_vietnamese_headers_codes_dates_and_counts(ds):
    html = (await ds.client.get("/cancu/decisions?_search=&status=in_force")).text
    assert re.search(r"<h3>\d+ dòng, Tình trạng = “còn hiệu lực”", html)
    assert '<td class="col-status type-str">còn hiệu lực</td>' in html and ">in_force<" not in html
    assert '<td class="col-text_completeness type-str">toàn văn</td>' in html
    assert "<td class=\"col-date type-str\">19/5/2023</td>" in html  # 531/QĐ-TTg, not 2023-05-19
    assert 'data-column="status"' in html and ">Tình trạng" in html  # header label, name kept for the API
    items = (await ds.client.get("/cancu/items")).text
    assert re.search(r"<h3>\d+ dòng", items) and "<label for=\"_search\">Tìm kiếm:</label>" in items
    assert '<option value="level">Độ mật</option>' in items
    conditions = (await ds.client.get("/cancu/item_conditions")).text
    assert ">chưa công khai</a>" in conditions and ">not_public<" not in conditions  # the code facet
    assert ">đối tượng</a>" in conditions and '<td class="col-kind type-str">đối tượng</td>' in conditions
    rows = await get_rows(ds, "/cancu/decisions.json?status=in_force&_shape=array")
    assert {row["status"] for row in rows} == {"in_force"}  # the JSON API keeps the stored codes


@pytest.mark.asyncio
async def test_home_counts_use_the_vietnamese_thousands_separator(ds):
    html = (await ds.client.get("/")).text
    total = re.search(r"([\d.]+) dòng trong (\d+) bảng", html)
    assert total and "," not in total.group(1)
    assert "Điểm, khoản, Điều của các danh mục</a>" in html  # tables listed by their Vietnamese titles


@pytest.mark.asyncio
async def test_canned_query_page_labels_parameters_and_writes_decimal_commas(ds):
    html = (await ds.client.get("/cancu/dieu_khoan_ap_dung?tu_khoa=de+thi")).text
    assert "<title>Điều khoản nào áp dụng?</title>" in html and "select " not in html.split("</title>")[0]
    assert ">Từ khóa</label>" in html and 'value="Tra cứu"' in html
    scores = re.findall(r'<td class="col-Mc-khp-[0-9a-f]+">([^<]*)</td>', html)  # to_css_class drops accents
    assert scores and all(re.fullmatch(r"\d+,\d\d", s) for s in scores)
    assert '<a href="/-/danh-muc/531-qd-ttg#muc-' in html and ">xem trong danh mục</a>" in html  # column "Mục"
    first = (await get_rows(ds, "/cancu/dieu_khoan_ap_dung.json?tu_khoa=de+thi"))[0]
    assert isinstance(first["Mục"], int) and f'id="muc-{first["Mục"]}"' in (
        await ds.client.get("/-/danh-muc/531-qd-ttg")).text


@pytest.mark.asyncio
async def test_decision_page_names_sources_and_marks_the_english_note(ds):
    html = (await ds.client.get("/-/danh-muc/531-qd-ttg")).text
    assert ">dhcsnd.edu.vn (bài viết trích dẫn, tóm tắt)</a>" in html and ">news_summary<" not in html
    assert '<details class="cancu-missing"><summary>' in html and '<p lang="en">No full-text page found' in html
    register_only = (await ds.client.get("/-/danh-muc/476-qd-ttg")).text  # no text: a Vietnamese sentence, shown
    assert "<td>Không có văn bản trong kho dữ liệu" in register_only and "bằng tiếng Anh" not in register_only


@pytest.mark.asyncio
async def test_canned_query_says_when_the_typed_date_is_not_a_date(ds):
    bad = (await ds.client.get("/cancu/danh_muc_theo_ngay?ngay=31/02/2024")).text
    assert "“31/02/2024” không phải ngày hợp lệ" in bad and "kết quả dưới đây là của hôm nay" in bad
    good = (await ds.client.get("/cancu/danh_muc_theo_ngay?ngay=12/12/2024")).text
    assert "không phải ngày hợp lệ" not in good


@pytest.mark.asyncio
async def test_not_found_page_is_vietnamese_with_a_way_back(ds):
    response = await ds.client.get("/-/danh-muc/khong-co")
    assert response.status_code == 404
    assert "<title>Không tìm thấy trang</title>" in response.text and "Error 404" not in response.text
    assert ">Về trang chủ</a>" in response.text


@pytest.mark.asyncio
async def test_near_miss_reason_is_labelled_once(ds, monkeypatch):
    """A near miss says why it is not proposed, once, even when the classifier also lists it as a warning."""
    from cancu.classifier.features import Reason

    because = "dự thảo nói thông tin đã được công bố: “đã công bố”"
    near = Proposal(item_id=197, decision="531/QĐ-TTg", article=1, clause=1, point=None, level="Tối mật", score=0.95,
                    citation=EXAM_CITATION, text="Đề thi chính thức", warnings=("Kho chỉ có một phần văn bản.", because),
                    reason=Reason(code="condition_failed", words=("đã công bố",), message=because))
    answer = Classification(as_of=dt.date(2024, 7, 2), as_of_source="header", level=None, proposals=(),
                            near_misses=(near,))
    monkeypatch.setattr(plugin, "classify_draft", lambda draft_text, path, as_of: answer)
    html = (await _classify(ds, "Đề thi đã công bố")).text
    assert html.count(because) == 1 and f"Lý do không đề xuất: {because}" in html
    assert "<li>Kho chỉ có một phần văn bản.</li>" in html
    assert "áp dụng cho dự thảo" in html and "khớp với dự thảo" not in html  # a near miss may match well


@pytest.mark.asyncio
async def test_every_decision_number_in_canned_queries_links_to_its_page(ds):
    replaced = (await ds.client.get("/cancu/quyet_dinh_bi_thay_the")).text
    assert '<a href="/-/danh-muc/809-qd-ttg">809/QĐ-TTg</a>' in replaced  # replaced
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in replaced  # and its replacement
    by_number = (await ds.client.get("/cancu/tra_cuu_so_quyet_dinh?so_quyet_dinh=809")).text
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in by_number  # column "Bị thay thế bởi"
    table = (await ds.client.get("/cancu/decisions?number=809/QĐ-TTg")).text
    assert '<a href="/-/danh-muc/531-qd-ttg">531/QĐ-TTg</a>' in table  # decisions.replaced_by


# --- found by walking the served pages (qaweb) ----------------------------------------------


@pytest.mark.asyncio
async def test_every_listed_table_and_column_has_a_vietnamese_title_and_description(ds, datasette_kb):
    """A security officer reads what a column means from the metadata; no visible table or column is left bare."""
    listing = (await ds.client.get("/cancu.json")).json()
    shown = [t["name"] for t in listing["tables"] if not t["hidden"]] + [v["name"] for v in listing["views"]]
    connection = sqlite3.connect(datasette_kb)
    bare = []
    for table in shown:
        if not ds.metadata("title", database="cancu", table=table):
            bare.append((table, "title"))
        if not (ds.metadata("description", database="cancu", table=table)
                or ds.metadata("description_html", database="cancu", table=table)):
            bare.append((table, "description"))
        described = ds.metadata("columns", database="cancu", table=table) or {}
        columns = [row[1] for row in connection.execute(f'pragma table_info("{table}")')]
        bare += [(table, column) for column in columns if not described.get(column)]
    assert shown and bare == []
    database_page = (await ds.client.get("/cancu")).text
    assert "<title>cancu</title>" not in database_page and "<h1>cancu</h1>" not in database_page


PAGES_TO_WALK = ["/", "/cancu", "/cancu/items", "/cancu/items/197", "/cancu/decisions", "/cancu/item_conditions",
                 "/cancu/dieu_khoan_ap_dung?tu_khoa=de+thi", "/cancu?sql=select+1", "/-/phan-loai", "/-/danh-muc",
                 "/-/danh-muc/531-qd-ttg", "/cancu/khong-co"]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", PAGES_TO_WALK)
async def test_every_page_declares_vietnamese_and_labels_its_form_fields(ds, path):
    """Screen readers pick the voice from <html lang>; a field without a label is read as "edit text"."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.lang, self.fields, self.label_for, self.in_label = None, [], set(), 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "html":
                self.lang = attrs.get("lang")
            elif tag == "label":
                self.in_label += 1
                if attrs.get("for"):
                    self.label_for.add(attrs["for"])
            elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
                self.fields.append((attrs, self.in_label > 0))

        def handle_endtag(self, tag):
            if tag == "label":
                self.in_label -= 1

    page = Fields()
    page.feed((await ds.client.get(path)).text)
    unlabelled = [attrs.get("name") for attrs, wrapped in page.fields
                  if not (wrapped or attrs.get("aria-label") or attrs.get("id") in page.label_for)]
    assert page.lang == "vi" and unlabelled == []


@pytest.mark.asyncio
async def test_catalog_pages_have_json_with_the_stored_citations(ds, datasette_kb):
    index = await ds.client.get("/-/danh-muc.json")
    assert index.status_code == 200 and index.headers["content-type"].startswith("application/json")
    numbers = {row["number"] for row in index.json()["decisions"]}
    assert {"531/QĐ-TTg", "809/QĐ-TTg"} <= numbers
    decision = (await ds.client.get("/-/danh-muc/809-qd-ttg.json")).json()
    assert decision["decision"]["number"] == "809/QĐ-TTg" and decision["decision"]["replaced_by"] == "531/QĐ-TTg"
    stored = {row[0] for row in sqlite3.connect(datasette_kb).execute(
        "select citation from items where decision = '809/QĐ-TTg' and catalog_item = 1")}
    assert stored and {item["citation"] for item in decision["items"] if item["catalog_item"]} == stored
    missing = await ds.client.get("/-/danh-muc/khong-co.json")
    assert missing.status_code == 404 and "Không có quyết định" in missing.json()["error"]


@pytest.mark.asyncio
async def test_a_reference_whose_row_has_no_label_shows_its_id_not_none(ds):
    """item_conditions.item_id points at items; an item without a printed label must not read "None"."""
    html = (await ds.client.get("/cancu/item_conditions?item_id=50")).text
    assert '<a href="/cancu/items/50">' in html and ">None<" not in html


@pytest.mark.asyncio
@pytest.mark.parametrize(("path", "english"), [
    ("/cancu/decisions/khong-co", "Record not found"), ("/cancu/khong-co", "Table not found"),
    ("/khong-co", "Database not found"), ("/cancu/items?_sort=khong_co", "Cannot sort table by")])
async def test_datasette_error_messages_are_vietnamese(ds, path, english):
    response = await ds.client.get(path)
    assert response.status_code in (400, 404) and english not in response.text


@pytest.mark.asyncio
async def test_a_paste_refused_for_its_size_is_not_called_a_5_mb_file(ds):
    """A pasted draft within the character limit is classified however its letters are encoded in the form."""
    token, cookies = await _form_token(ds)
    dense = "Đề thi tốt nghiệp. " + "ệệệệ ệệệệ " * 19000  # 190,019 characters, most 3 bytes
    body = _query({"csrftoken": token, "draft_text": dense, "as_of": "12/12/2024"})
    response = await ds.client.post("/-/phan-loai", content=body, cookies=cookies,
                                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert len(dense) < plugin.MAX_DRAFT_CHARS and len(body) > 1.2 * 1024 * 1024
    assert response.status_code == 200 and 'id="ket-qua"' in response.text and "lớn quá 5 MB" not in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/cancu/items?_sort=khong_co", "/cancu/items?_sort_desc=khong_co",
                                  "/cancu/items?_sort=id&_sort_desc=id", "/cancu/items.json?_sort=khong_co",
                                  "/cancu/items_in_force_today?_sort=khong_co", "/cancu/items?_through=khong-co",
                                  "/cancu/items_in_force_today?_next=khong-co", "/cancu/replacements.json?_next=x"])
async def test_a_mistyped_table_parameter_is_the_readers_mistake_not_a_server_error(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 400 and "Lỗi 500" not in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize("column", ["path", "text_folded", "position"])
async def test_a_table_sorts_by_a_column_hidden_from_the_page(ds, column):
    """Hidden columns stay queryable (README): sorting by one shows it instead of failing."""
    for path in (f"/cancu/items?_sort={column}", f"/cancu/items?_nocol={column}&_nocol=kind&_sort_desc={column}"):
        response = await ds.client.get(path)
        assert response.status_code == 200 and f'data-column="{column}"' in response.text
        assert 'data-column="kind"' not in response.text or "_nocol=kind" not in path


@pytest.mark.asyncio
async def test_tables_without_primary_key_label_their_link_column_in_vietnamese(ds):
    html = (await ds.client.get("/cancu/law_articles")).text
    assert 'data-column="Link"' in html and re.search(r">\s*Link\s*<", html) is None and 'content: "Link"' not in html


@pytest.mark.asyncio
@pytest.mark.parametrize(("path", "title"), [
    ("/", "Căn cứ — danh mục bí mật nhà nước"), ("/cancu", "Kho danh mục bí mật nhà nước"),
    ("/cancu?sql=select+1", "Kho danh mục bí mật nhà nước: truy vấn SQL"),
    ("/cancu/dieu_khoan_ap_dung", "Điều khoản nào áp dụng?")])
async def test_page_titles_name_the_page_in_vietnamese(ds, path, title):
    html = (await ds.client.get(path)).text
    assert re.search(r"<title>(.*?)</title>", html).group(1) == title


@pytest.mark.parametrize(("field_asked", "expected"), [
    ("giáo dục", ("531/QĐ-TTg",)), ("giao duc", ("531/QĐ-TTg",)), ("giáo dục và đào tạo", ("531/QĐ-TTg",)),
    ("giao thông vận tải", ("2440/QĐ-TTg",)), ("tư pháp", ("741/QĐ-TTg",)),
    ("thông tin và truyền thông", ("2238/QĐ-TTg",))])
def test_a_catalog_question_names_its_field_as_people_say_it(datasette_kb, field_asked, expected):
    """"Lĩnh vực giáo dục" is the catalog of "giáo dục và đào tạo": a field is named by the whole name or one of its
    parts (the name's own list, "A, B và C"); the whole name, when given, wins over a part another field shares."""
    from cancu.questions import ask

    answer = ask(f"Danh mục bí mật nhà nước lĩnh vực {field_asked} gồm những gì?", datasette_kb,
                 as_of=dt.date(2026, 3, 12))
    assert answer.decisions == expected and answer.items
    assert {item.decision for item in answer.items} == set(expected)


@pytest.mark.asyncio
async def test_each_copy_button_says_which_citation_it_copies(ds):
    """A screen reader lists buttons by name: four "Chép" buttons cannot be told apart."""
    html = (await ds.client.get("/-/danh-muc/531-qd-ttg")).text
    buttons = re.findall(r'<button type="button" class="cancu-copy"[^>]*>', html)
    assert buttons and all(f'aria-label="Chép căn cứ: {cite}"' in button
                           for button, cite in zip(buttons, re.findall(r'data-cite="([^"]+)"', "".join(buttons))))
