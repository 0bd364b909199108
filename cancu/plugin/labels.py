"""Vietnamese words for what Datasette's own pages show in English: column names, stored codes, counts.

The tables keep English column names and codes (they are the JSON API and the SQL a
security officer may write); a person reading a table page sees "Độ mật", "còn hiệu
lực" and "1.268 dòng" instead of ``level``, ``in_force`` and "1,268 rows".
"""

from __future__ import annotations

import re

from cancu.ingest.labels import vn_label

# Short column headers, by column name; TABLE_COLUMN_LABELS overrides one table's meaning.
COLUMN_LABELS = {
    "id": "Mã", "number": "Số hiệu", "date": "Ngày ký", "title": "Trích yếu", "field": "Lĩnh vực",
    "issuer": "Người ban hành", "effective": "Ngày có hiệu lực", "valid_from": "Hiệu lực từ",
    "valid_until": "Hết hiệu lực từ", "status": "Tình trạng", "replaces": "Thay thế",
    "replaced_by": "Bị thay thế bởi", "text_completeness": "Văn bản trong kho", "missing": "Phần còn thiếu",
    "notes": "Ghi chú", "sources": "Nguồn", "source_file": "Tệp nguồn", "has_text": "Có văn bản",
    "item_count": "Số mục", "top_level": "Độ mật cao nhất", "warnings": "Lưu ý",
    "decision": "Quyết định", "path": "Đường dẫn", "kind": "Loại", "label": "Nhãn", "article": "Điều",
    "clause": "Khoản", "point": "Điểm", "level": "Độ mật", "level_rank": "Thứ bậc độ mật",
    "catalog_item": "Mục danh mục", "text": "Nội dung", "heading": "Tiêu đề", "citation": "Căn cứ",
    "position": "Thứ tự", "parent_id": "Mục cha", "line": "Dòng", "text_folded": "Nội dung (bỏ dấu)",
    "heading_folded": "Tiêu đề (bỏ dấu)", "item_id": "Mục", "code": "Mã điều kiện", "start": "Vị trí đầu",
    "end": "Vị trí cuối", "params": "Tham số", "source": "Lấy từ", "law": "Văn bản", "years": "Số năm bảo vệ",
    "repealed_by": "Quyết định bãi bỏ", "statement": "Câu bãi bỏ", "replaced": "Quyết định bị thay thế",
    "replaced_date": "Ngày ký", "replaced_by_date": "Ngày ký quyết định thay thế", "since": "Hết hiệu lực từ",
    "rowid": "Mã dòng", "Link": "Liên kết",  # "Link": the column Datasette adds to a table without primary key
}
TABLE_COLUMN_LABELS = {
    "laws": {"date": "Ngày ban hành", "title": "Tên văn bản", "issuer": "Cơ quan ban hành"},
    "law_articles": {"title": "Tên Điều"},
    "repeals": {"decision": "Quyết định có khoản bị bãi bỏ", "clause": "Khoản bị bãi bỏ", "effective": "Bãi bỏ từ"},
    "protection_terms": {"law": "Luật quy định", "valid_from": "Áp dụng từ", "valid_until": "Áp dụng đến trước"},
}

# Codes stored in English, by column: status and completeness come from cancu.ingest.labels.
VALUE_LABELS = {
    "kind": {"article": "Điều", "level": "phần độ mật", "clause": "khoản", "point": "điểm",
             "bullet": "gạch đầu dòng", "paragraph": "đoạn", "object": "đối tượng",
             "restrictor": "phạm vi", "condition": "điều kiện"},
    "source": {"text": "lời của mục", "heading": "tiêu đề bao ngoài"},
    # item_conditions.code (cancu/ingest/conditions.py): what part of an item's wording each row is
    "code": {"object": "đối tượng", "not_public": "chưa công khai", "which": "loại nào", "whose": "của ai",
             "relation": "liên quan đến", "purpose": "phục vụ việc gì", "impact": "ảnh hưởng đến",
             "recipient": "gửi, trình ai", "on_request": "theo yêu cầu của", "exception": "trừ trường hợp",
             "circumstance": "khi nào", "field": "thuộc lĩnh vực", "before_announcement": "trước khi công bố",
             "not_approved": "chưa được phê duyệt", "category_min": "cấp từ … trở lên",
             "area_min_km2": "diện tích tối thiểu", "grade_min": "hạng từ … trở lên",
             "after_approval": "sau khi được phê duyệt", "scale_min": "tỷ lệ bản đồ lớn hơn",
             "scale_in": "tỷ lệ bản đồ thuộc", "in_progress": "đang xử lý", "distance_max_km": "trong phạm vi km",
             "coverage": "phủ kín diện tích"},
}
CODE_COLUMNS = ("status", "text_completeness")

# What the plugin's tables hold in English codes; any other table (a user's own) is left alone.
CANCU_TABLES = ("decisions", "items", "items_in_force_today", "item_validity", "item_conditions", "laws",
                "law_articles", "protection_terms", "repeals", "replacements")


def column_label(column: str, table: str | None = None) -> str:
    """The Vietnamese header of a column of cancu's tables; other names unchanged."""
    if table not in CANCU_TABLES:
        return column
    return TABLE_COLUMN_LABELS.get(table, {}).get(column) or COLUMN_LABELS.get(column, column)


def value_label(column: str, value, table: str | None = None):
    """The Vietnamese word for a code stored in ``column`` (status, completeness, kind); other values unchanged."""
    if table not in CANCU_TABLES or not isinstance(value, str):
        return value
    if column in CODE_COLUMNS:
        return vn_label(value)
    return VALUE_LABELS.get(column, {}).get(value, value)


def vn_count(number: int | None) -> str:
    """An integer with the Vietnamese thousands separator: 1.268."""
    return f"{number or 0:,}".replace(",", ".")


# Named parameters of the canned queries (datasette-metadata.yml), as the form shows them.
PARAMETER_LABELS = {
    "tu_khoa": "Từ khóa", "ngay": "Ngày (ví dụ 12/3/2026)", "linh_vuc": "Lĩnh vực",
    "so_quyet_dinh": "Số quyết định", "so": "Số quyết định",
}


def parameter_label(name: str) -> str:
    return PARAMETER_LABELS.get(name, name)


# Datasette's filter operators (datasette.filters), by key: the words of the filter form.
LOOKUP_LABELS = {
    "exact": "=", "not": "≠", "contains": "chứa", "endswith": "kết thúc bằng", "startswith": "bắt đầu bằng",
    "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "like": "khớp mẫu (like)", "notlike": "không khớp mẫu (like)",
    "glob": "khớp mẫu (glob)", "in": "thuộc", "notin": "không thuộc", "arraycontains": "danh sách có",
    "arraynotcontains": "danh sách không có", "date": "ngày", "isnull": "trống (null)",
    "notnull": "không trống (null)", "isblank": "để trống", "notblank": "không để trống",
}


def lookup_label(key: str) -> str:
    return LOOKUP_LABELS.get(key, key)


# Datasette 0.65's own error messages (NotFound, BadRequest, DatasetteError), as its error page shows them.
ERROR_MESSAGES = (
    (re.compile(r"Database not found(: .*)?"), "Không có trang hay cơ sở dữ liệu này."),
    (re.compile(r"Table not found(: .*)?"), "Không có bảng này trong cơ sở dữ liệu."),
    (re.compile(r"Record not found(: .*)?"), "Không có dòng này trong bảng."),
    (re.compile(r"No data"), "Không có dữ liệu."),
    (re.compile(r"404"), "Không tìm thấy trang."),
    (re.compile(r"Cannot sort table by (?P<column>.*)"), "Không sắp xếp được theo “{column}”."),
    (re.compile(r"Cannot use _sort and _sort_desc at the same time"),
     "Không dùng được cùng lúc _sort và _sort_desc."),
    (re.compile(r"Cannot search by that column"), "Không tìm kiếm được theo cột đó."),
    (re.compile(r"_size must be a positive integer"), "Tham số _size phải là số nguyên dương."),
    (re.compile(r"_size must be <= (?P<limit>\d+)"), "Tham số _size không được lớn hơn {limit}."),
)


def error_label(message) -> str:
    """The Vietnamese sentence for one of Datasette's error messages; any other message unchanged."""
    text = str(message)
    for pattern, words in ERROR_MESSAGES:
        match = pattern.fullmatch(text)
        if match:
            return words.format(**match.groupdict())
    return message


# Kinds of source a decision's text was taken from (front matter ``sources[].kind`` in data/decisions/).
SOURCE_KIND_LABELS = {"full_text_page": "trang toàn văn", "news_summary": "bài viết trích dẫn, tóm tắt",
                      "repo_cache": "bản lưu của trang toàn văn"}
DATE_COLUMNS = ("date", "effective", "valid_from", "valid_until", "since", "replaced_date", "replaced_by_date")


def source_label(source: dict) -> str:
    """"thuvienphapluat.vn (trang toàn văn)": where a text came from, readable without opening the link."""
    from urllib.parse import urlsplit

    host = urlsplit(str(source.get("url") or "")).hostname or "nguồn"
    kind = SOURCE_KIND_LABELS.get(source.get("kind") or "", source.get("kind"))
    return f"{host.removeprefix('www.')} ({kind})" if kind else host.removeprefix("www.")
