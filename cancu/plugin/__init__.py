"""Datasette plugin: SQL functions for Vietnamese search and the "Phân loại dự thảo" page.

The hooks stay thin. The SQL functions are one table (``SQL_FUNCTIONS``) and one
loop, like datasette-jellyfish; the classify page hands the pasted draft to
``cancu.classifier.classify`` and renders the answer.

Privacy: the draft arrives in a POST body, is classified in memory and is only
written back into the response. It is never stored, logged, put in a URL or a
cookie, and the response is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import json
import re
import sqlite3
from pathlib import Path
from typing import Callable

from datasette import hookimpl
from datasette.utils.asgi import Response
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

from cancu.ingest.dates import parse_typed_date
from cancu.ingest.labels import vn_label  # one map of labels, shared with `cancu stats`
from cancu.ingest.text import fold, nfc, vn_date
from cancu.kb.search import NO_MATCH, folded_words, fts_query
from cancu.kb.validity import register_sql_functions

from . import security
from .labels import CANCU_TABLES, DATE_COLUMNS, source_label, value_label

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CLASSIFY_PATH = "/-/phan-loai"

# Markers that snippet() puts around matched words; render_cell turns them into <mark>.
MARK_OPEN, MARK_CLOSE = "【", "】"
SNIPPET_ELLIPSIS = "…"

# A pasted draft is a few pages; anything far larger is a mistake (or a whole archive).
MAX_DRAFT_CHARS = 200_000
# Free text becomes at most this many FTS5 terms, so a pasted page stays a fast query.
MAX_FTS_TERMS = 300

# Shown in parentheses after the date: no parentheses inside.
AS_OF_SOURCES = {
    "option": "ngày bạn nhập",
    "header": "ngày ghi ở phần đầu dự thảo",
    "header_month": "ngày 1 của tháng ghi ở phần đầu dự thảo; dự thảo chưa ghi ngày",
    "today": "hôm nay; dự thảo không ghi ngày",
}

_WORD = re.compile(r"\w+")


# --- SQL functions -------------------------------------------------------------------


def fts_any(text: str | None) -> str:
    """An FTS5 query over the folded columns matching any word of ``text``.

    Adjacent word pairs are added as phrases, so bm25 ranks items that share a
    whole expression ("đề thi") above items that share its words apart. The query
    itself comes from cancu.kb.search.fts_query, as the classifier's does.
    """
    sequence = folded_words(text)
    words = list(dict.fromkeys(sequence))[:MAX_FTS_TERMS // 2]
    if not words:
        return NO_MATCH
    pairs = list(dict.fromkeys(f"{a} {b}" for a, b in zip(sequence, sequence[1:])))[:MAX_FTS_TERMS // 2]
    return fts_query([*pairs, *words])


def fts_all(text: str | None) -> str:
    """An FTS5 query over the folded columns matching items that contain every word."""
    return fts_query(list(dict.fromkeys(folded_words(text)))[:MAX_FTS_TERMS], operator="AND")


def unfold_snippet(text: str | None, folded_snippet: str | None) -> str | None:
    """Put the diacritics back into a snippet() taken from ``text_folded``.

    The index matches folded words, so snippet() must read the folded column.
    Folding keeps one character per character for NFC Vietnamese text, so the
    fragment is found in ``fold(text)`` and copied from ``text`` itself. When the
    lengths differ (a rare letter that folds to two), the folded snippet is kept.
    """
    if text is None or folded_snippet is None:
        return folded_snippet
    text = nfc(text)
    folded = fold(text)
    plain = folded_snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").strip(SNIPPET_ELLIPSIS)
    start = folded.find(plain)
    if len(folded) != len(text) or not plain or start < 0:
        return folded_snippet
    restored, position = [], start
    for char in folded_snippet:
        if char in (MARK_OPEN, MARK_CLOSE) or (char == SNIPPET_ELLIPSIS and folded[position:position + 1] != char):
            restored.append(char)
        else:
            restored.append(text[position])
            position += 1
    return "".join(restored)


def parse_date(value: str | None) -> str | None:
    """An ISO date from "2026-03-12" or the Vietnamese "12/3/2026"; None if empty or invalid."""
    typed = parse_typed_date(value)
    return typed.isoformat() if typed else None


def number_matches(number: str | None, query: str | None) -> int:
    """1 when ``query`` names decision ``number``: "531", "531/QD-TTg", "Quyết định số 531/QĐ-TTg"."""
    if not number or not query:
        return 0
    wanted = re.sub(r"^(quyet dinh|qd)?\s*(so)?\s*", "", fold(query).strip()).replace(" ", "")
    folded_number = fold(number).replace(" ", "")
    if not wanted:
        return 0
    return int(folded_number == wanted or folded_number.startswith(wanted + "/"))


def vn_date_or_none(iso: str | None) -> str | None:
    """dd/mm/yyyy as Vietnamese texts write dates (Nghị định 30/2020/NĐ-CP); None stays None."""
    if not iso:
        return None
    try:
        return vn_date(iso)
    except ValueError:
        return iso


def vn_score(value: float) -> str:
    """A 0..1 score with two decimals and the Vietnamese decimal comma."""
    return f"{value:.2f}".replace(".", ",")


SQL_FUNCTIONS: tuple[tuple[str, int, Callable], ...] = (
    ("cancu_fold", 1, lambda text: fold(text) if text is not None else None),
    ("cancu_fts_any", 1, fts_any),
    ("cancu_fts_all", 1, fts_all),
    ("cancu_unfold_snippet", 2, unfold_snippet),
    ("cancu_date", 1, parse_date),
    ("cancu_number_matches", 2, number_matches),
    ("cancu_vn_date", 1, vn_date_or_none),
    ("cancu_vn_label", 1, vn_label),
)


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Register every function of SQL_FUNCTIONS (deterministic, so usable in indexes and views),
    and the in-force rule with today in Vietnam (cancu.kb.validity)."""
    for name, arity, function in SQL_FUNCTIONS:
        conn.create_function(name, arity, function, deterministic=True)
    register_sql_functions(conn)  # cancu_in_force(valid_from, valid_until, day), cancu_today()
    security.limit_connection(conn)


@hookimpl
def startup(datasette) -> None:
    security.quiet_sql_errors(datasette)


@hookimpl
def asgi_wrapper(datasette):
    return security.guard_requests


@hookimpl
def handle_exception(datasette, request, exception):
    """A 400 with Datasette's own error page for the 500s a URL causes (``security.client_mistake``)."""
    message = security.client_mistake(request, exception)
    if message is None:
        return None
    from datasette.handle_exception import handle_exception as datasette_error_page
    from datasette.utils.asgi import BadRequest

    return datasette_error_page(datasette, request, BadRequest(message))


@hookimpl
def skip_csrf(datasette, scope):
    return security.checks_own_csrf(scope) or None


# --- templates, menu, cells -----------------------------------------------------------


@hookimpl
def prepare_jinja2_environment(env, datasette) -> None:
    """Add cancu/templates after Datasette's own loaders.

    Datasette looks for a plugin's templates with importlib.resources.files(), which
    accepts only packages on Python 3.11, and this plugin is a module.
    """
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))])
    from .labels import column_label, error_label, lookup_label, parameter_label, source_label, value_label, vn_count

    def table_title(database: str, table: str) -> str:
        return datasette.metadata("title", database=database, table=table) or table

    env.globals.update(cancu_column=column_label, cancu_value=value_label, cancu_count=vn_count,
                       cancu_parameter=parameter_label, cancu_table_title=table_title,
                       cancu_lookup=lookup_label, cancu_source_label=source_label, cancu_error=error_label,
                       cancu_is_date=lambda text: parse_date(text) is not None)


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": datasette.urls.path(CLASSIFY_PATH), "label": "Phân loại dự thảo"},
            {"href": datasette.urls.path("/-/danh-muc"), "label": "Danh mục theo lĩnh vực"}]


@hookimpl(specname="asgi_wrapper")  # named apart: the security wrapper is this module's asgi_wrapper
def readable_tables_wrapper(datasette):
    """Readable table pages: internal columns hidden unless asked for (cancu/plugin/pages.py)."""
    from .pages import hide_internal_columns

    return hide_internal_columns


@hookimpl(specname="extra_template_vars")
def home_catalogs_vars(template, datasette):
    """The catalogs listed on the home page (cancu/plugin/pages.py)."""
    from .pages import home_template_vars

    return home_template_vars(template, datasette)


@hookimpl
def extra_css_urls(template, database, table, columns, view_name, request, datasette):
    return [datasette.urls.path("/-/cancu.css")]


MATCH_COLUMN = "Mức khớp"  # the bm25 column of the canned query "Điều khoản nào áp dụng?"
ITEM_COLUMN = "Mục"  # the item id column of the canned queries
# Columns of the canned queries (datasette-metadata.yml) that hold a decision number: links to its page.
DECISION_COLUMNS = ("Quyết định", "Quyết định bị thay thế", "Quyết định thay thế", "Bị thay thế bởi")
TABLE_DECISION_COLUMNS = {"items": ("decision",), "items_in_force_today": ("decision",), "item_validity": ("decision",),
                          "decisions": ("replaced_by",), "repeals": ("decision", "repealed_by"),
                          "replacements": ("replaced", "replaced_by")}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


async def _item_link(item_id: int, database: str, datasette) -> Markup | None:
    """The item id of a canned query as a link to the item on its decision's page (the JSON keeps the id)."""
    from .pages import decision_path

    row = (await datasette.get_database(database).execute(
        "select decision from items where id = ?", [item_id])).first()
    if row is None:
        return None
    href = datasette.urls.path(decision_path(row[0])) + f"#muc-{item_id}"
    return Markup(f'<a href="{html.escape(href)}">xem trong danh mục</a>')


async def _unlabelled_reference(value: dict, column: str, table: str, database: str, datasette) -> Markup | None:
    """A foreign key whose row has no label (Datasette 0.65 would print "None"): a link showing the key itself."""
    from datasette.utils import tilde_encode

    keys = await datasette.get_database(database).foreign_keys_for_table(table)
    other = next((key["other_table"] for key in keys if key["column"] == column), None)
    if other is None:
        return None
    href = datasette.urls.row(database, other, tilde_encode(str(value["value"])))
    return Markup(f'<a href="{html.escape(href)}">{html.escape(str(value["value"]))}</a>')


def _marked_html(value: str) -> Markup:
    escaped = html.escape(value)
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def _sources_html(value: str) -> Markup | None:
    try:
        sources = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(sources, list) or not all(isinstance(s, dict) and s.get("url") for s in sources):
        return None
    entries = []
    for source in sources:
        note = f" — {html.escape(source['note'])}" if source.get("note") else ""
        entries.append(f'<li><a href="{html.escape(source["url"])}" rel="noreferrer">'
                       f'{html.escape(source_label(source))}</a>{note}</li>')
    return Markup('<ul class="cancu-sources">' + "".join(entries) + "</ul>")


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Highlight snippet() markers in query results; show JSON sources as links. Otherwise decline."""
    if table is None and isinstance(value, str) and MARK_OPEN in value and MARK_CLOSE in value:
        return _marked_html(value)
    if column == "sources" and table in ("decisions", "laws") and isinstance(value, str) and value.startswith("["):
        return _sources_html(value)
    if (table is None and column in DECISION_COLUMNS) or column in TABLE_DECISION_COLUMNS.get(table, ()):
        from .pages import decision_link

        return decision_link(value, datasette)
    if isinstance(value, dict) and table and value.get("label") in (None, "") and value.get("value") is not None:
        return _unlabelled_reference(value, column, table, database, datasette)
    if table is None and column == ITEM_COLUMN and isinstance(value, int) and not isinstance(value, bool):
        return _item_link(value, database, datasette)
    if table is None and column == MATCH_COLUMN and isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if table in CANCU_TABLES and column in DATE_COLUMNS and isinstance(value, str) and ISO_DAY.fullmatch(value):
        return vn_date(value)
    label = value_label(column, value, table)
    return label if label is not value else None


# --- routes -----------------------------------------------------------------------------

PAGE_CSS = """
mark { background: #fff3a8; padding: 0 0.1em; }
.cancu-sources { margin: 0; padding-left: 1.2em; }
.cancu-form textarea { width: 100%; min-height: 16em; font-family: inherit; font-size: 1rem; }
.cancu-form .cancu-row { margin: 0.6em 0; }
.cancu-form label { display: block; width: auto; margin-bottom: 0.2em; }
.cancu-form input[type=text] { width: 16em; }
.cancu-note { color: #555; font-size: 0.9rem; }
.cancu-answer { border-left: 4px solid #888; padding: 0.4em 0.8em; margin: 1em 0; }
.cancu-answer.secret { border-color: #b00020; }
.cancu-level { font-weight: bold; }
.cancu-proposal { border: 1px solid #ddd; border-radius: 4px; padding: 0.6em 0.9em; margin: 0.8em 0; }
.cancu-alternative { color: #555; font-style: italic; }
.cancu-citation { font-weight: bold; }
.cancu-warnings li, .cancu-error { color: #8a4b00; }
.cancu-evidence td, .cancu-evidence th { vertical-align: top; }
.cancu-form .cancu-file-input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
.cancu-form label.cancu-file-button { display: inline-block; width: auto; padding: 0.3em 0.9em; margin-right: 0.5em;
  border: 1px solid #888; border-radius: 3px; background: #f0f0f0; cursor: pointer; font-weight: normal; }
.cancu-form .cancu-file-input:focus + label.cancu-file-button { outline: 2px solid #276890; }
/* The column menu's "Type: TEXT NOT NULL" line is SQLite's English; the description under it stays. */
.dropdown-menu .dropdown-column-type { display: none !important; }
/* The column legend above table rows: the descriptions stay in the metadata and the JSON API. */
dl.column-descriptions { display: none; }
/* Folded copies of text and heading only feed the search index. */
td.col-text_folded, th.col-text_folded, td.col-heading_folded, th.col-heading_folded { display: none; }
"""


# Datasette's table.js builds one column menu with English labels; run after it, this relabels that menu.
TABLE_JS = """(function () {
  var labels = {"dropdown-sort-asc": "Sắp xếp tăng dần", "dropdown-sort-desc": "Sắp xếp giảm dần",
                "dropdown-facet": "Lọc nhanh theo cột này", "dropdown-hide-column": "Ẩn cột này",
                "dropdown-show-all-columns": "Hiện mọi cột", "dropdown-not-blank": "Chỉ dòng có giá trị"};
  document.querySelectorAll("body > .dropdown-menu a").forEach(function (link) {
    if (labels[link.className]) { link.textContent = labels[link.className]; }
  });
})();
"""


async def cancu_table_js(request) -> Response:
    return Response(TABLE_JS, content_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})


async def cancu_css(request) -> Response:
    return Response(PAGE_CSS, content_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})


class KnowledgeBaseMissing(Exception):
    """No attached database has the cancu tables (decisions, items)."""


async def kb_path(datasette) -> Path:
    """The file of the knowledge base: plugin setting ``database``, else the first with cancu's tables."""
    configured = (datasette.plugin_config("cancu") or {}).get("database")
    for name, database in datasette.databases.items():
        if database.is_memory or not database.path or (configured and name != configured):
            continue
        if {"decisions", "items"} <= set(await database.table_names()):
            return Path(database.path)
    raise KnowledgeBaseMissing("không có cơ sở dữ liệu danh mục nào được mở")


@functools.lru_cache(maxsize=4)
def _kb_snapshot(path: str, mtime_ns: int):
    from cancu.classifier import load_kb

    return load_kb(Path(path))


def shared_kb(path: Path):
    """One immutable snapshot per knowledge-base file for the life of the process."""
    return _kb_snapshot(str(path), path.stat().st_mtime_ns)


def classify_draft(draft_text: str, path: Path, as_of: dt.date | None):
    """Run the classifier on a draft held only in memory."""
    from cancu.classifier import classify

    return classify(draft_text, shared_kb(path), as_of=as_of, top=5)


def read_pasted(draft_text: str):
    """A paste read through the same boundary as a file (stacked marks trimmed, legacy font encodings
    converted or refused): the page, its proposal and the proposal download all read this text."""
    from cancu.ingest.errors import SourceUnreadable
    from cancu.ingest.readers import read_bytes

    try:
        return read_bytes(draft_text.encode("utf-8", errors="replace"), "dự thảo dán vào")
    except SourceUnreadable as error:
        raise security.RequestRefused(400, f"Không phân loại được: {error.reason}.") from None


def classify_pasted(draft_text: str, path: Path, as_of: dt.date | None):
    """A paste as ``read_pasted`` reads it, then to ``classify_draft``; what the reader noted leads the warnings."""
    document = read_pasted(draft_text)
    result = classify_draft(document.text, path, as_of)
    if document.warnings:
        result = dataclasses.replace(result, warnings=(*(f"Nội dung dán vào: {w}." for w in document.warnings),
                                                       *result.warnings))
    return result


def _as_of_from_form(value: str) -> tuple[dt.date | None, str | None]:
    """(date, error): the optional date field of the form."""
    if not value.strip():
        return None, None
    iso = parse_date(value)
    if iso is None:
        return None, f"“{value.strip()[:20]}” không phải ngày hợp lệ; hãy nhập dạng 12/3/2026 hoặc 2026-03-12."
    return dt.date.fromisoformat(iso), None


CLASSIFY_RUNNER = security.BoundedRunner()


async def classify_page(datasette, request) -> Response:
    """GET: the form. POST: the same form with the classifier's answer and the proposal below it.

    The draft is pasted or uploaded (.docx, .pdf, .txt), read in memory by ``.upload``;
    the POST must come from this site with Datasette's CSRF pair (``security.refusal``).
    """
    from .proposal_view import page_context
    from .upload import FormRejected, read_form

    context = page_context(datasette)
    status = 200
    if request.method == "POST":
        try:
            form = await read_form(request)
            refused = security.refusal(request, form.fields)
            if refused:
                raise refused
            await _classify_form(datasette, form, context)
        except (FormRejected, security.RequestRefused) as refused:
            context["error"], status = refused.message, refused.status
    page = await datasette.render_template("cancu_phan_loai.html", context, request=request)
    if context["error"] and status == 200:
        status = 400
    return Response.html(page, status=status, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def _classify_form(datasette, form, context: dict) -> None:
    """Check the fields, then answer off the event loop (bounded queue): a question gets items, a draft its
    classification and proposal."""
    from cancu.questions import ask, is_question

    from .proposal_view import draft_of, proposal_document

    draft_text, file_name, noted = await draft_of(form)
    as_of_text = form.fields.get("as_of", "")
    context.update(draft_text=draft_text, as_of_text=as_of_text, file_name=file_name)
    as_of, error = _as_of_from_form(as_of_text)
    if error:
        context["error"] = error
    elif not draft_text.strip():
        context["error"] = "Hãy dán nội dung dự thảo vào ô bên dưới hoặc chọn tệp dự thảo."
    elif len(draft_text) > MAX_DRAFT_CHARS:
        context["draft_text"] = ""  # not echoed back: the page would be as large as the paste
        context["error"] = f"Dự thảo dài quá {MAX_DRAFT_CHARS:,} ký tự; hãy dán từng phần.".replace(",", ".")
    else:
        try:
            path = await kb_path(datasette)
        except KnowledgeBaseMissing as missing:
            context["error"] = f"Không phân loại được: {missing}."
            return
        if file_name is None and is_question(draft_text):
            context["answer"] = await CLASSIFY_RUNNER.run(ask, draft_text, path, as_of)
        else:
            # an upload was read through the reading boundary already; a paste goes through it here
            classify_one = classify_draft if file_name else classify_pasted
            result = await CLASSIFY_RUNNER.run(classify_one, draft_text, path, as_of)
            if noted:  # what reading the file found (a legacy font encoding converted…) leads the warnings
                result = dataclasses.replace(result, warnings=(*(f"Tệp “{file_name}”: {w}." for w in noted),
                                                               *result.warnings))
            context["result"] = result
            read_text = draft_text if file_name else read_pasted(draft_text).text  # the title as classified
            context["proposal"] = proposal_document(result, path, read_text)


@hookimpl
def register_routes(datasette):
    from .pages import PAGE_ROUTES
    from .proposal_view import download_proposal

    return [
        (r"^/-/phan-loai$", classify_page),
        (r"^/-/phan-loai/de-xuat$", download_proposal),
        *PAGE_ROUTES,
        (r"^/-/cancu\.css$", cancu_css),
        (r"^/-/cancu-table\.js$", cancu_table_js),
    ]
