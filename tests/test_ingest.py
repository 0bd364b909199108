"""Ingest: the parser on each layout the corpus uses, the loader, validity over time."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import textwrap
from collections import Counter
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cancu.classifier import load_kb
from cancu.cli import cli
from cancu.ingest.build import BuildFailed, build_kb, shipped_data_dir
from cancu.ingest.errors import ParseError, SourceUnreadable
from cancu.ingest.parse import normalize_number, parse_decision
from cancu.ingest.readers import read_document

DATA = shipped_data_dir()
FRONT = '---\nnumber: "{number}"\ndate: "{date}"\ntitle: "t"\nstatus: "in_force"\ntext_completeness: "full"\n---\n'


def parse(body: str, number: str = "774/QĐ-TTg", date: str = "2020-06-05"):
    return parse_decision(FRONT.format(number=number, date=date) + body, "excerpt.txt")


def items(decision):
    return [(u.article, u.clause, u.point, u.level.value, u.kind.value) for u in decision.units if u.is_catalog_item]


# --- layout variants, each from a real decision's text --------------------------------------------


def test_level_on_article_line_with_clauses_and_points():
    decision = parse("Điều 1. Bí mật nhà nước độ Mật\n1. Trong hoạt động thanh tra gồm:\n"
                     "a) Kế hoạch tiến hành thanh tra đột xuất trước khi công bố với đối tượng thanh tra theo quy định của Luật Thanh tra;\n"
                     "b) Báo cáo kết quả thanh tra của thành viên Đoàn thanh tra, của Đoàn thanh tra;\n"
                     "Điều 2. Hiệu lực thi hành\nQuyết định này có hiệu lực kể từ ngày 01 tháng 7 năm 2020.\n")
    assert items(decision) == [(1, 1, "a", "Mật", "point"), (1, 1, "b", "Mật", "point")]
    clause = next(u for u in decision.units if u.kind.value == "clause")
    assert clause.is_heading and clause.path == "1.1."
    assert decision.stated_effective == dt.date(2020, 7, 1)
    assert decision.units[-1].level is None  # the effect article is not a catalog item


def test_level_heading_on_its_own_line_without_article_number():
    decision = parse("Điều 1. Bí mật nhà nước độ Tối mật gồm:\n1. Đề thi chính thức … chưa công khai.\n"
                     "Bí mật nhà nước độ Mật gồm:\n1. Văn bản có nội dung phản ánh …\n2. Thông tin về địa điểm ra đề thi …\n",
                     number="531/QĐ-TTg", date="2023-05-19")
    assert items(decision) == [(1, 1, None, "Tối mật", "clause"), (None, 1, None, "Mật", "clause"),
                               (None, 2, None, "Mật", "clause")]


def test_group_heading_clause_with_points_up_to_đ_and_a_paragraph_under_a_clause():
    decision = parse("Điều 1. Bí mật nhà nước độ Tối mật gồm:\n5. Về đất đai:\n"
                     "Nghị quyết, quyết định quy hoạch, kế hoạch sử dụng đất … chưa công khai.\n"
                     "6. Về biển và hải đảo:\na) Văn bản xin chủ trương …;\nd) Tọa độ, trữ lượng …;\n"
                     "đ) Bản đồ Quy hoạch không gian biển quốc gia …\n", number="562/QĐ-TTg", date="2025-03-10")
    assert items(decision) == [(1, 5, None, "Tối mật", "paragraph"), (1, 6, "a", "Tối mật", "point"),
                               (1, 6, "d", "Tối mật", "point"), (1, 6, "đ", "Tối mật", "point")]
    paragraph = next(u for u in decision.units if u.kind.value == "paragraph")
    assert paragraph.heading == ("Điều 1. Bí mật nhà nước độ Tối mật gồm:", "5. Về đất đai:")


def test_item_without_clause_number_and_level_heading_without_gom():
    decision = parse("Điều 1. Bí mật nhà nước độ Tối mật gồm:\nKế hoạch xét xử … vụ án dư luận xã hội đặc biệt quan tâm.\n"
                     "Bí mật nhà nước độ Tuyệt mật gồm văn bản về quá trình chuẩn bị, đề án, phương án … chưa công khai.\n",
                     number="970/QĐ-TTg", date="2020-07-07")
    assert items(decision) == [(1, None, None, "Tối mật", "paragraph"), (None, None, None, "Tuyệt mật", "paragraph")]
    inline = decision.units[-1]
    assert inline.text.startswith("văn bản về quá trình chuẩn bị")


def test_inline_item_after_heading_and_bullets_under_a_lead_in():
    decision = parse("Bí mật nhà nước độ Tối mật gồm: Hồ sơ bệnh án … Ban Bí thư Trung ương Đảng.\n"
                     "Bí mật nhà nước độ Tối mật bao gồm nội dung báo cáo kiểm toán … đối với:\n"
                     "- Cuộc kiểm toán theo yêu cầu của Quốc hội …\n- Cuộc kiểm toán vụ việc có dấu hiệu tham nhũng chưa công khai.\n",
                     number="440/QĐ-TTg", date="2024-05-22")
    kinds = [(u.kind.value, u.level.value if u.level else None, u.is_catalog_item) for u in decision.units]
    assert kinds == [("level", "Tối mật", False), ("paragraph", "Tối mật", True), ("level", "Tối mật", False),
                     ("bullet", "Tối mật", True), ("bullet", "Tối mật", True)]
    assert decision.units[1].text == "Hồ sơ bệnh án … Ban Bí thư Trung ương Đảng."


def test_lead_in_paragraph_before_clauses_is_a_heading_not_an_item():
    decision = parse("Bí mật nhà nước độ Tối mật gồm:\nThông tin về nhiệm vụ … trừ các nội dung thuộc bí mật nhà nước độ tuyệt mật.\n"
                     "1. Chương trình, thuyết minh …\n2. Báo cáo thẩm định …\n", number="137/QĐ-TTg", date="2026-01-19")
    assert items(decision) == [(None, 1, None, "Tối mật", "clause"), (None, 2, None, "Tối mật", "clause")]
    assert decision.units[2].heading[-1].startswith("Thông tin về nhiệm vụ")


def test_closing_provisions_without_article_are_not_items():
    decision = parse("Bí mật nhà nước độ Mật gồm: Văn bản chỉ đạo, hướng dẫn …\n"
                     "Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành và thay thế Quyết định số 1192/QĐ-TTg ngày 05/8/2020.\n"
                     "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch chủ trì, … kiểm tra việc thi hành Quyết định này.\n",
                     number="1285/QĐ-TTg", date="2022-10-25")
    assert items(decision) == [(None, None, None, "Mật", "paragraph")]
    assert decision.stated_replaces == ("1192/QĐ-TTg",)
    assert decision.stated_effective == dt.date(2022, 10, 25)


def test_numbers_are_kept_as_printed():
    assert normalize_number("Quyết định số 07/2018/QĐ-TTg") == "07/2018/QĐ-TTg"
    assert normalize_number("QĐ 531/QD-TTg") == "531/QĐ-TTg"
    assert normalize_number("Số: 531/QÐ-TTg") == "531/QĐ-TTg"  # Latin eth, as old fonts print it


# --- the whole corpus ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((DATA / "decisions").glob("*.txt")), ids=lambda p: p.name)
def test_every_corpus_file_parses(path):
    decision = parse_decision(path.read_text(encoding="utf-8"), path)
    assert any(u.is_catalog_item for u in decision.units)


def count_items(kb_path: Path, number: str) -> Counter:
    with sqlite3.connect(kb_path) as connection:
        rows = connection.execute("select level, kind, clause from items where decision = ? and catalog_item",
                                  (number,)).fetchall()
    return Counter((level, kind) for level, kind, _ in rows)


def test_item_counts_of_the_complete_decisions(kb_path):
    assert count_items(kb_path, "970/QĐ-TTg") == {("Tối mật", "paragraph"): 1, ("Mật", "clause"): 5}
    assert count_items(kb_path, "774/QĐ-TTg") == {("Mật", "point"): 10}
    assert count_items(kb_path, "19/QĐ-TTg") == {("Tối mật", "clause"): 2, ("Mật", "clause"): 6}
    assert count_items(kb_path, "562/QĐ-TTg") == {("Tối mật", "point"): 14, ("Tối mật", "paragraph"): 1,
                                                  ("Mật", "point"): 15}
    with sqlite3.connect(kb_path) as connection:
        groups = connection.execute(
            "select level, count(*) from items where decision = '562/QĐ-TTg' and kind = 'clause' and level is not null group by level"
        ).fetchall()
        mat_groups = connection.execute(
            "select count(*) from items where decision = '774/QĐ-TTg' and kind = 'clause' and level = 'Mật'").fetchone()
    assert dict(groups) == {"Tối mật": 6, "Mật": 5}
    assert mat_groups == (3,)


def test_citations_and_null_numbers(kb):
    point = kb.find_units("562/QĐ-TTg", 1, 4, "a")[0]
    assert point.citation == "điểm a khoản 4 Điều 1 Quyết định số 562/QĐ-TTg ngày 10/3/2025 của Thủ tướng Chính phủ"
    mat = [u for u in kb.find_units("531/QĐ-TTg", None, 2, None) if u.level == "Mật"][0]
    assert mat.citation.startswith("khoản 2 phần “Bí mật nhà nước độ Mật” Quyết định số 531/QĐ-TTg ngày 19/5/2023")
    assert kb.decision("19/QĐ-TTg").replaces == ("1285/QĐ-TTg",)


def test_replacement_chains_resolve(kb):
    def culture_on(day: str) -> list[str]:
        on = dt.date.fromisoformat(day)
        return sorted(d.number for d in kb.decisions.values()
                      if d.has_text and d.in_force_on(on) and d.number in ("1192/QĐ-TTg", "1285/QĐ-TTg", "19/QĐ-TTg"))

    assert culture_on("2021-06-01") == ["1192/QĐ-TTg"]
    assert culture_on("2023-01-01") == ["1285/QĐ-TTg"]
    assert culture_on("2026-06-01") == ["19/QĐ-TTg"]
    assert kb.successor_on("1660/QĐ-TTg", dt.date(2025, 8, 12)).number == "562/QĐ-TTg"


def test_items_in_force_view_and_partial_repeal(kb_path):
    with sqlite3.connect(kb_path) as connection:
        in_force = {row[0] for row in connection.execute(
            "select decision from item_validity where valid_from <= '2024-01-01' "
            "and (valid_until is null or valid_until > '2024-01-01')")}
        repeal = connection.execute("select decision, article, group_concat(clause), repealed_by, effective "
                                    "from repeals group by decision").fetchall()
    assert "1660/QĐ-TTg" in in_force and "562/QĐ-TTg" not in in_force and "809/QĐ-TTg" not in in_force
    assert repeal == [("2238/QĐ-TTg", 1, "7,8,9,10,11,12", "19/QĐ-TTg", "2026-01-06")]


def test_protection_terms_come_from_the_law_text(kb):
    assert kb.protection_years("Tuyệt mật", dt.date(2024, 1, 1)) == 30
    assert kb.protection_years("Mật", dt.date(2024, 1, 1)) == 10
    assert kb.protection_years("Mật", dt.date(2026, 6, 1)) is None  # Law 117/2025/QH15: not in the corpus


def test_full_text_search_finds_text_typed_without_diacritics(kb_path):
    with sqlite3.connect(kb_path) as connection:
        rows = connection.execute(
            "select items.decision, items.clause from items_fts join items on items.id = items_fts.rowid "
            "where items_fts match '{text_folded heading_folded} : \"dat dai\"' and items.catalog_item").fetchall()
    assert ("562/QĐ-TTg", 5) in rows


def test_rebuild_gives_the_same_database(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build_kb(first)
    build_kb(second)
    dump = lambda path: "\n".join(sqlite3.connect(path).iterdump())  # noqa: E731
    assert dump(first) == dump(second)


# --- other formats ------------------------------------------------------------------------------


HEADER = ["THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Số: 774/QĐ-TTg", "Hà Nội, ngày 05 tháng 6 năm 2020", "QUYẾT ĐỊNH",
          "Ban hành Danh mục bí mật nhà nước thuộc lĩnh vực thanh tra, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng",
          "THỦ TƯỚNG CHÍNH PHỦ", "Căn cứ Luật Bảo vệ bí mật nhà nước ngày 15 tháng 11 năm 2018;", "QUYẾT ĐỊNH:"]


def body_lines(number_file: str) -> list[str]:
    text = (DATA / "decisions" / number_file).read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1].strip().splitlines()


def unit_keys(decision):
    return [(u.path, u.kind, u.article, u.clause, u.point, u.level, u.text) for u in decision.units]


def test_docx_and_html_give_the_same_items_as_the_txt(tmp_path):
    reference = parse_decision((DATA / "decisions" / "774-qd-ttg-2020.txt").read_text(encoding="utf-8"), "774.txt")
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)  # the usual two-column header of a decision
    table.cell(0, 0).text, table.cell(0, 1).text = HEADER[0], HEADER[1]
    for line in HEADER[2:] + body_lines("774-qd-ttg-2020.txt"):
        document.add_paragraph(line)
    docx_path = tmp_path / "774.docx"
    document.save(docx_path)
    from_docx = parse_decision(read_document(docx_path), docx_path)

    summary = ("<div class='tomtat'><p>Tóm tắt: Bí mật nhà nước độ Mật gồm: kế hoạch thanh tra đột xuất.</p>"
               "<p>1. Điểm mới của văn bản</p></div>")
    html = ("<html><head><title>774</title><script>var x = 'Điều 1.';</script></head><body>" + summary
            + "".join(f"<p>{line}</p>" for line in HEADER + body_lines("774-qd-ttg-2020.txt")) + "</body></html>")
    html_path = tmp_path / "774.html"
    html_path.write_text(html, encoding="utf-8")
    from_html = parse_decision(read_document(html_path), html_path)

    for decision in (from_docx, from_html):
        assert decision.number == "774/QĐ-TTg" and decision.date == dt.date(2020, 6, 5)
        assert decision.title.startswith("Ban hành Danh mục bí mật nhà nước thuộc lĩnh vực thanh tra")
        assert decision.effective == dt.date(2020, 7, 1)
        assert unit_keys(decision) == unit_keys(reference)


# --- broken files -------------------------------------------------------------------------------


BROKEN = {
    "truncated.txt": ('---\nnumber: "9/QĐ-TTg"\ndate: "2020-01-01"\ntitle: "x"\n'.encode(), "không có dòng '---' đóng lại"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "tệp nhị phân"),
    "latin1.txt": ('---\nnumber: "9/QĐ-TTg"\n---\nĐiều 1. Bí mật nhà nước độ Mật gồm:\n'.encode("utf-8")
                   + "1. Kê\u0301 hoa\u0323ch\n".encode("cp1258"), "không phải mã UTF-8"),
    "no-article.txt": ('---\nnumber: "9/QĐ-TTg"\ndate: "2020-01-01"\n---\nMột đoạn văn không có điều khoản nào.\n'.encode(),
                       "cần dòng 'Điều N.'"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gets_a_clear_message_and_the_database_is_kept(tmp_path, name):
    content, message = BROKEN[name]
    db_path = tmp_path / "kb.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--db", str(db_path)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    broken = tmp_path / name
    broken.write_bytes(content)
    result = runner.invoke(cli, ["ingest", str(broken), "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"Lỗi: {broken}" in result.stderr and message in result.stderr
    assert "giữ nguyên" in result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob(".kb.db.*.tmp"))


def test_keep_going_ingests_the_rest_and_lists_what_was_skipped(tmp_path):
    broken = tmp_path / "binary.txt"
    broken.write_bytes(BROKEN["binary.txt"][0])
    db_path = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["ingest", str(broken), "--db", str(db_path), "--keep-going"],
                                catch_exceptions=False)
    assert result.exit_code == 1  # as make -k: built, but a file needs the user
    assert "Bỏ qua:" in result.stderr and "binary.txt" in result.stderr and "1 tệp bị bỏ qua." in result.stdout
    assert load_kb(db_path).decision("562/QĐ-TTg") is not None


def test_errors_name_the_file_and_line():
    with pytest.raises(ParseError) as raised:
        parse_decision('---\nnumber: "9/QĐ-TTg"\n---\nLời mở đầu\nĐiều 1. Bí mật nhà nước độ Mật gồm:\n', "x.txt")
    assert str(raised.value).startswith("x.txt, dòng 4: cần dòng 'Điều N.'")
    with pytest.raises(BuildFailed):
        build_kb(Path("/nonexistent/kb.db"), [Path(__file__).parent / "data" / "eval" / "README.md"],
                 include_shipped=False)


def test_read_document_refuses_empty_and_reports_pdf_without_text(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SourceUnreadable, match="tệp rỗng"):
        read_document(empty)


# --- one rule for "in force on D" and "today" ---------------------------------------------------


def _grid(kb_path) -> list[dt.date]:
    """Every day from two days before to two days after each start and end of validity in the KB."""
    with sqlite3.connect(kb_path) as connection:
        edges = {value for row in connection.execute(
            "select valid_from, valid_until from decisions union select valid_from, valid_until from items "
            "union select effective, null from repeals") for value in row if value}
    return sorted({dt.date.fromisoformat(edge) + dt.timedelta(days=shift) for edge in edges for shift in range(-2, 3)})


def test_view_sql_function_and_python_rule_agree_around_every_replacement(kb_path, kb):
    from cancu.ingest.store import TODAY_SQL, in_force_predicate
    from cancu.kb.validity import in_force, register_sql_functions

    grid = _grid(kb_path)
    assert len(grid) > 60 and dt.date(2023, 5, 19) in grid and dt.date(2026, 1, 6) in grid
    connection = sqlite3.connect(kb_path)
    register_sql_functions(connection)
    try:
        view_sql = connection.execute("select sql from sqlite_master where name = 'items_in_force_today'").fetchone()[0]
        assert in_force_predicate("items", TODAY_SQL) in view_sql  # the view is this predicate on today
        for day in grid:
            iso = day.isoformat()
            for table in ("items", "decisions"):
                key = "id" if table == "items" else "number"
                plain = {row[0] for row in connection.execute(
                    f"select {key} from {table} where {in_force_predicate(table, repr(iso))}")}
                function = {row[0] for row in connection.execute(
                    f"select {key} from {table} where cancu_in_force(valid_from, valid_until, ?)", (iso,))}
                assert plain == function, (table, iso)
            python = {item.id for item in kb.items if in_force(item.valid_from, item.valid_until, day)}
            assert python == {row[0] for row in connection.execute(
                "select id from items where cancu_in_force(valid_from, valid_until, ?)", (iso,))}, iso
            assert {n for n, d in kb.decisions.items() if d.in_force_on(day)} == {row[0] for row in connection.execute(
                "select number from decisions where cancu_in_force(valid_from, valid_until, ?)", (iso,))}, iso
    finally:
        connection.close()


def test_items_in_force_today_is_readable_without_cancu_and_means_today_in_vietnam(kb_path, kb):
    """Plain sqlite3 (no cancu functions) reads the view; its rows are the Python rule on today in Vietnam."""
    from cancu.ingest.dates import today

    with sqlite3.connect(kb_path) as connection:
        viewed = {row[0] for row in connection.execute("select id from items_in_force_today")}
        sql_today = connection.execute("select date('now', '+7 hours')").fetchone()[0]
    assert sql_today == today().isoformat()
    assert viewed == {i.id for i in kb.catalog_items if i.in_force_on(today())}
    utc_now = dt.datetime.now(dt.timezone.utc)
    assert today() == (utc_now + dt.timedelta(hours=7)).date()


def test_sql_in_force_and_today_functions():
    from cancu.ingest.dates import today
    from cancu.kb.validity import register_sql_functions

    connection = sqlite3.connect(":memory:")
    register_sql_functions(connection)
    cases = [(("2020-06-10", "2023-05-19", "2023-05-18"), 1), (("2020-06-10", "2023-05-19", "2023-05-19"), 0),
             (("2020-06-10", None, "2020-06-10"), 1), (("2020-06-10", None, "2020-06-09"), 0),
             ((None, "2018-04-10", "2010-01-01"), 1), (("2020-06-10", None, None), None),
             (("2020-06-10", None, "không phải ngày"), None)]
    for args, expected in cases:
        assert connection.execute("select cancu_in_force(?, ?, ?)", args).fetchone()[0] == expected, args
    assert connection.execute("select cancu_today()").fetchone()[0] == today().isoformat()


def test_one_collector_for_ingest_and_check(tmp_path):
    from cancu.checker.check import collect_drafts
    from cancu.ingest.build import collect_sources

    for name in ("a.txt", "b.csv", "~$c.docx", ".an.txt", ".git/d.txt", "con/e.docx", "f.doc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in collect_sources([tmp_path])] == ["a.txt", "b.csv", "con/e.docx"]
    assert [p.relative_to(tmp_path).as_posix() for p in collect_drafts([tmp_path], recursive=True)] == [
        "a.txt", "con/e.docx", "f.doc"]
    named = tmp_path / ".an.txt"
    assert collect_sources([named]) == [named] == collect_drafts([named])  # a file named explicitly is always taken


def test_one_fts_query_builder_for_the_classifier_and_the_browser(kb_path):
    from cancu.kb.search import NO_MATCH, fts_query
    from cancu.plugin import fts_all, fts_any

    query = fts_query(["dat dai", 'a"b', "dat dai", " "])
    assert query == '{text_folded heading_folded} : ("dat dai" OR "a""b")'
    with sqlite3.connect(kb_path) as connection:
        assert connection.execute("select count(*) from items_fts where items_fts match ?", (query,)).fetchone()[0] > 0
    assert fts_query([]) == NO_MATCH == fts_any("?!")
    assert fts_all("Đất đai") == fts_query(["dat", "dai"], operator="AND")
    assert fts_any("đất đai") == fts_query(["dat dai", "dat", "dai"])


def test_stats_speak_vietnamese_with_the_labels_the_browser_shows(kb_path):
    from cancu.ingest.labels import VN_LABELS
    from cancu.plugin import prepare_connection

    outcome = CliRunner().invoke(cli, ["stats", "--db", str(kb_path)])
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    for code in ("in_force", "replaced", "unknown", "full", "partial", "summary", "none"):
        assert not any(f" {code} " in f"{line} " or line.endswith(f", {code}") for line in lines), code
    connection = sqlite3.connect(kb_path)
    prepare_connection(connection)
    shown = {row[0] for row in connection.execute(
        "select cancu_vn_label(status) from decisions union select cancu_vn_label(text_completeness) from decisions")}
    connection.close()
    assert {"còn hiệu lực", "đã bị thay thế", "toàn văn", "một phần", "tóm tắt"} <= shown
    assert shown - {None} <= set(VN_LABELS.values())
    assert "  còn hiệu lực" in outcome.stdout and "  không có văn bản" in outcome.stdout
    assert "  774/QĐ-TTg         0   0  10  toàn văn, còn hiệu lực" in lines
    assert "Mục danh mục theo quyết định (Tuyệt mật / Tối mật / Mật):" in lines


def test_every_code_the_parser_accepts_has_its_words():
    """A status or completeness a decision's front matter may carry is shown in words, never as the code."""
    from cancu.ingest.labels import COMPLETENESS_LABELS, STATUS_LABELS
    from cancu.ingest.parse import COMPLETENESS_VALUES, STATUS_VALUES

    assert set(STATUS_VALUES) <= set(STATUS_LABELS)
    assert set(COMPLETENESS_VALUES) <= set(COMPLETENESS_LABELS)


@pytest.mark.asyncio
async def test_canned_queries_use_the_same_rule_and_today_in_vietnam(kb_path, kb, tmp_path):
    """danh_muc_theo_ngay through Datasette lists exactly the items the Python rule gives, around replacements."""
    import shutil

    import yaml
    from datasette.app import Datasette

    from cancu.ingest.dates import today
    from cancu.ingest.text import vn_date
    from cancu.serve import metadata_path

    db = tmp_path / "cancu.db"  # named as datasette-metadata.yml expects
    shutil.copyfile(kb_path, db)
    ds = Datasette([str(db)], metadata=yaml.safe_load(metadata_path().read_text(encoding="utf-8")))
    for day in [dt.date(2023, 5, 18), dt.date(2023, 5, 19), dt.date(2025, 3, 9), dt.date(2025, 3, 10),
                dt.date(2026, 1, 5), dt.date(2026, 1, 6), today()]:
        typed = f"{day.day}/{day.month}/{day.year}"
        response = await ds.client.get(f"/cancu/danh_muc_theo_ngay.json?ngay={typed}&_shape=array&_size=max")
        assert response.status_code == 200, response.text
        listed = {row["Mục"] for row in response.json()}
        assert listed == {i.id for i in kb.catalog_items if i.in_force_on(day)}, day
    response = await ds.client.get("/cancu/danh_muc_theo_ngay.json?ngay=&_shape=array&_size=1")
    assert response.json()[0]["Ngày xét"] == vn_date(today().isoformat())  # empty date: today in Vietnam


def test_continued_lines_blanks_only_breaks_inside_sentences():
    from cancu.ingest.text import continued_lines, without_quote_marks

    paragraph = ("Đoàn kiểm tra đề nghị Sở Tài chính, Sở Xây dựng và Ban Quản lý các khu công nghiệp khắc "
                 "phục ngay các tồn tại đã nêu trong kết luận, báo cáo Ủy ban nhân dân tỉnh.")
    text = textwrap.fill(paragraph, 40) + "\nKết quả gửi về Sở.\n- Lưu: VT.\n\nNơi nhận"
    assert any(line[:1].isupper() for line in textwrap.fill(paragraph, 40).split("\n")[1:])  # a break before a capital
    joined = continued_lines(text)
    assert len(joined) == len(text)  # offsets stay the draft's
    assert joined.split("\n") == [paragraph, "Kết quả gửi về Sở.", "- Lưu: VT.", "", "Nơi nhận"]
    assert continued_lines("BÁO CÁO\nKết quả kiểm tra") == "BÁO CÁO\nKết quả kiểm tra"  # a short line is its own
    header = ("ỦY BAN NHÂN DÂN TỈNH HÀ LÂM      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "SỞ Y TẾ                          Độc lập - Tự do - Hạnh phúc\nBÁO CÁO\nKết quả kiểm tra.\n")
    assert continued_lines(header) == header  # its two longest lines are columns, not a wrapped paragraph
    quoted = "> > Số: 12/BC-UBND\n> Nội dung"
    assert without_quote_marks(quoted) == "    Số: 12/BC-UBND\n  Nội dung" and len(without_quote_marks(quoted)) == len(quoted)


def test_a_forwarded_e_mail_header_is_not_the_documents():
    from cancu.ingest.text import mail_header_end

    mail = ("Từ: Văn thư <vanthu@so.gov.vn>\nGửi lúc: Thứ Hai, 14/10/2024 09:12\nĐến: Lãnh đạo Sở\n"
            "Tiêu đề: Fw: Dự thảo\n\n-------- Thư chuyển tiếp --------\n")
    document = "> SỞ Y TẾ\n> Số: 12/BC-SYT     Hà Nội, ngày 12 tháng 3 năm 2024\n> BÁO CÁO\n"
    assert mail_header_end(mail + document) == len(mail)
    assert mail_header_end(document) == 0
    assert mail_header_end("Gửi: Sở Y tế\n" + document) == 0  # one field line is not an e-mail's header


def test_the_note_above_a_quoted_or_forwarded_message_is_the_senders_and_the_document_starts_below():
    from cancu.ingest.text import mail_layout

    document = "> SỞ Y TẾ\n> Số: 12/BC-SYT     Hà Nội, ngày 12 tháng 3 năm 2024\n> BÁO CÁO\n"
    note = "Kính gửi anh Hùng,\nEm gửi anh dự thảo dưới đây.\nTrân trọng,\nLan\n\n"
    for block in ("Vào Th 2, 14 thg 10, 2024 lúc 09:12 Phòng Tổng hợp <th@so.gov.vn> đã viết:\n",
                  "On Mon, Oct 14, 2024 at 9:12 AM Tong hop <th@so.gov.vn> wrote:\n",
                  "-----Original Message-----\nFrom: Tong hop\nSent: Monday, October 14, 2024\nTo: Lanh dao\n\n",
                  "-----Thư gốc-----\nTừ: Phòng Tổng hợp\nĐã gửi: Thứ Hai, 14/10/2024 09:12\nĐến: Lãnh đạo Sở\n"
                  "Chủ đề: Dự thảo\n\n",  # Outlook in Vietnamese
                  "---------- Forwarded message ---------\nFrom: Tong hop\nDate: Mon, 14 Oct 2024\n\n"):
        assert mail_layout(note + block + document) == (len(note), len(note + block)), block
    # the dashes under an issuing body and a "Từ: … đến …" line are a document's, not an e-mail's
    header = "ỦY BAN NHÂN DÂN\n-------\nSố: 12/KH-UBND\n----------\nTừ: ngày 01 đến ngày 05 tháng 3\nKẾ HOẠCH\n"
    assert mail_layout(header) == (0, 0)
    assert mail_layout(note + document) == (0, 0)  # a note with no mail client's line: nothing to skip


def test_a_document_line_that_mentions_an_original_letter_or_ends_in_da_viet_is_not_an_e_mail_block():
    """Only a line a mail client writes starts the block under a note: a whole separator line, or an
    attribution with its time or address. A document's own sentence does not, else its header is lost."""
    from cancu.checker.drafts import read_draft
    from cancu.ingest.text import mail_layout

    header = "SỞ Y TẾ\nSố: 12/BC-SYT\nHà Nội, ngày 12 tháng 3 năm 2024\nTỐI MẬT\nBÁO CÁO\n"
    for sentence in ("Thư gốc của Bộ Y tế gửi ngày 02/3 yêu cầu báo cáo.",
                     "Original message của Bộ đã được lưu.",
                     "Như Thông báo số 5/TB-UBND ngày 02/3/2024 đã viết:"):
        draft = header + "Kết quả kiểm tra\n" + sentence + "\nNội dung báo cáo.\n"
        assert mail_layout(draft) == (0, 0), sentence
        facts = read_draft(draft)
        assert facts.stamp is not None and facts.date == dt.date(2024, 3, 12), sentence


def test_unicode_spaces_and_invisible_characters_read_as_plain_spaces():
    from cancu.ingest.text import nfc

    typed = "\ufeffĐề\u00a0thi chưa\u00adcông\u202fbố\u200b."
    assert nfc(typed) == " Đề thi chưa công bố ." and len(nfc(typed)) == len(typed)  # one for one
    assert nfc("đề thi\u200b chưa") == "đề thi chưa"
    assert nfc("Thời  gian:  08  giờ") == "Thời gian: 08 giờ"  # two spaces between words are one
    assert nfc("SỞ Y TẾ      CỘNG HÒA") == "SỞ Y TẾ      CỘNG HÒA"  # a gap between columns stays
    assert nfc("dòng một\u2028dòng hai") == "dòng một\ndòng hai"
    assert nfc("một\r\nhai\rba") == "một\nhai\nba"


def test_fold_and_fold_aligned_fold_every_character_as_the_whole_nfd_string_does():
    """fold translates character by character: the same as dropping the combining marks of the NFD string."""
    import unicodedata

    from cancu.ingest.text import fold, fold_aligned, nfc

    def by_nfd(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", nfc(text).lower())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")

    samples = ["Đề thi", "ĐẤT ĐAI", "Ủy ban nhân dân", "Ð", "e\u0301", "İstanbul", "ǅ", "ﬁ", "Ω", "ά", "й"]
    samples += [chr(code) for code in range(0, 0x3000, 7) if not 0xD800 <= code <= 0xDFFF]
    for text in samples:
        assert fold(text) == by_nfd(text), repr(text)
        aligned = fold_aligned(text + "  x")
        assert len(aligned) == len(text) + 3 and aligned[-1] == "x", repr(text)
    assert fold_aligned("Hà  Nội,\r\nngày") == "ha  noi,\n\nngay"  # one for one, though nfc would shorten it
