"""Pages to read a catalog as a document: one per decision (/-/danh-muc/<slug>) and their index.

Each decision page shows the header facts, status and validity, what it replaced
and what replaced it, how complete the stored text is, and the text as a tree
(Điều → khoản → điểm) with each item's level, its citation to copy and, when the
knowledge base has them (table ``item_conditions``), the conditions the classifier
reads. Everything comes from the read-only database through Datasette.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from cancu.ingest.dates import parse_iso, today
from cancu.ingest.labels import COMPLETENESS_LABELS, STATUS_LABELS
from cancu.ingest.model import Level
from cancu.ingest.text import fold, vn_date
from cancu.kb.validity import in_force

from . import vn_date_or_none

CATALOG_PATH = "/-/danh-muc"
LEVEL_CLASSES = {level.value: level.key for level in Level}  # "toi-mat"…
UNKNOWN_STATUS_NOTE = ("Kho không xác định được quyết định này còn hiệu lực hay không (ví dụ quyết định ban hành "
                       "theo Pháp lệnh Bảo vệ bí mật nhà nước số 30/2000/PL-UBTVQH10, hết hiệu lực từ 01/7/2020 "
                       "theo khoản 3 Điều 27 Luật số 29/2018/QH14, hoặc sổ đăng ký không ghi ngày hết hiệu lực): "
                       "các mục của nó được liệt kê sau các mục còn hiệu lực.")


def decision_slug(number: str) -> str:
    """"531/QĐ-TTg" → "531-qd-ttg"; "15/2003/QĐ-TTg" → "15-2003-qd-ttg"."""
    return fold(number).replace("/", "-").replace(" ", "")


def decision_path(number: str) -> str:
    return f"{CATALOG_PATH}/{decision_slug(number)}"


def decision_link(value, datasette) -> Markup | None:
    """A decision number (or Datasette's expanded foreign key {value, label}) as a link to its page."""
    number = value.get("value") if isinstance(value, dict) else value
    if not isinstance(number, str) or not number:
        return None
    label = value.get("label") if isinstance(value, dict) else None
    suffix = f" ({html.escape(label)})" if label and label != number else ""
    return Markup(f'<a href="{html.escape(datasette.urls.path(decision_path(number)))}">{html.escape(number)}</a>{suffix}')


async def kb_database(datasette):
    """The Datasette database holding cancu's tables (decisions, items)."""
    for database in datasette.databases.values():
        if not database.is_memory and {"decisions", "items"} <= set(await database.table_names()):
            return database
    raise NotFound("Không có cơ sở dữ liệu danh mục nào được mở")


def in_force_rank(row: dict, day: dt.date) -> int:
    """0 in force on ``day``, 1 status unknown, 2 no longer (or not yet) in force: the order of every list."""
    if row.get("status") == "unknown":
        return 1
    return 0 if in_force(parse_iso(row.get("valid_from")), parse_iso(row.get("valid_until")), day) else 2


# --------------------------------------------------------------------------- the tree


@dataclass
class Node:
    row: dict
    children: list["Node"] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)


def build_tree(rows: list[dict]) -> list[Node]:
    """Items in document order, nested by parent_id (Điều → khoản → điểm)."""
    nodes = {row["id"]: Node(row) for row in rows}
    roots = []
    for row in rows:
        parent = nodes.get(row["parent_id"])
        (parent.children if parent else roots).append(nodes[row["id"]])
    return roots


async def _conditions(database, item_ids: list[int]) -> dict[int, list[str]]:
    """Lines of item_conditions by item, when that table exists (older knowledge bases lack it)."""
    from cancu.conditions_text import condition_lines, conditions_sql

    if not item_ids or "item_conditions" not in await database.table_names():
        return {}
    return condition_lines((await database.execute(conditions_sql(item_ids), item_ids)).rows)


async def decision_page(datasette, request) -> Response:
    database = await kb_database(datasette)
    slug = request.url_vars["slug"]
    decisions = [dict(r) for r in (await database.execute("select * from decisions")).rows]
    row = next((d for d in decisions if decision_slug(d["number"]) == slug), None)
    if row is None:
        raise NotFound(f"Không có quyết định “{slug}” trong kho")
    by_number = {d["number"]: d for d in decisions}
    items = [dict(r) for r in (await database.execute(
        "select id, path, kind, label, article, clause, point, level, catalog_item, text, heading, citation, "
        "parent_id, valid_from, valid_until from items where decision = ? order by position, id",
        [row["number"]])).rows]
    repeals = [dict(r) for r in (await database.execute(
        "select * from repeals where decision = ? or repealed_by = ?", [row["number"], row["number"]])).rows]
    conditions = await _conditions(database, [i["id"] for i in items if i["catalog_item"]])
    tree = build_tree(items)

    def attach(nodes):
        for node in nodes:
            node.conditions = conditions.get(node.row["id"], [])
            attach(node.children)

    attach(tree)
    if request.url_vars.get("format"):
        return Response.json(decision_json(row, items, conditions, repeals, datasette))
    replaces = [by_number.get(n, {"number": n}) for n in json.loads(row["replaces"] or "[]")]
    context = {
        "decision": row, "tree": tree, "repeals": repeals, "replaces": replaces,
        "replaced_by": by_number.get(row["replaced_by"]) if row["replaced_by"] else None,
        "sources": json.loads(row["sources"] or "[]"), "status_words": STATUS_LABELS,
        "completeness_words": COMPLETENESS_LABELS, "level_classes": LEVEL_CLASSES, "vn": vn_date_or_none,
        "decision_path": lambda number: datasette.urls.path(decision_path(number)),
        "in_force_today": in_force_rank(row, today()) == 0, "today": vn_date(today().isoformat()),
        "unknown_note": UNKNOWN_STATUS_NOTE, "database_name": database.name,
        "catalog_count": sum(1 for i in items if i["catalog_item"]),
    }
    page = await datasette.render_template("cancu_danh_muc.html", context, request=request)
    return Response.html(page)


def decision_json(row: dict, items: list[dict], conditions: dict[int, list[str]], repeals: list[dict],
                  datasette) -> dict:
    """The decision page as data: the stored row (JSON columns parsed), its items with their conditions."""
    decision = dict(row, replaces=json.loads(row["replaces"] or "[]"), sources=json.loads(row["sources"] or "[]"),
                    in_force_today=in_force_rank(row, today()) == 0,
                    url=datasette.urls.path(decision_path(row["number"])))
    return {"decision": decision, "repeals": repeals,
            "items": [dict(item, conditions=conditions.get(item["id"], [])) for item in items]}


# --------------------------------------------------------------------------- index and home page


async def catalog_rows(datasette) -> list[dict]:
    """Every decision, in force today first, then status unknown, then the rest; by field inside."""
    database = await kb_database(datasette)
    rows = [dict(r) for r in (await database.execute(
        "select number, date, title, field, status, valid_from, valid_until, replaced_by, text_completeness, "
        "has_text, item_count, top_level from decisions")).rows]
    day = today()
    for row in rows:
        row["rank"] = in_force_rank(row, day)
        row["href"] = datasette.urls.path(decision_path(row["number"]))
    return sorted(rows, key=lambda r: (r["rank"], fold(r["field"] or ""), r["valid_from"] or ""))


async def catalog_index(datasette, request) -> Response:
    if request.url_vars.get("format"):
        day = today()
        return Response.json({"today": day.isoformat(), "decisions": [
            dict({k: v for k, v in row.items() if k not in ("rank", "href")}, url=row["href"],
                 in_force_today=row["rank"] == 0) for row in await catalog_rows(datasette)]})
    page = await datasette.render_template("cancu_danh_muc_index.html", {
        "catalogs": await catalog_rows(datasette), "status_words": STATUS_LABELS,
        "completeness_words": COMPLETENESS_LABELS, "vn": vn_date_or_none, "today": vn_date(today().isoformat()),
        "unknown_note": UNKNOWN_STATUS_NOTE}, request=request)
    return Response.html(page)


def home_template_vars(template, datasette):
    """The list of catalogs for the home page (index.html), in force today first."""
    if template != "index.html":
        return {}

    async def inner():
        try:
            return {"cancu_catalogs": await catalog_rows(datasette), "cancu_status_words": STATUS_LABELS,
                    "cancu_completeness_words": COMPLETENESS_LABELS}
        except NotFound:
            return {}

    return inner


PAGE_ROUTES = [
    (r"^/-/danh-muc(?P<format>\.json)?$", catalog_index),
    (r"^/-/danh-muc/(?P<slug>[a-z0-9-]+)(?P<format>\.json)?$", decision_page),
]


# --------------------------------------------------------------------------- readable table pages

# Columns a reader of the HTML table does not need: search-only folded copies, internal
# ordering and tree links, numbers the citation already spells out. They stay in the
# table, in the JSON API and in SQL; a URL with its own _col/_nocol shows them again.
HIDDEN_COLUMNS = {
    "items": ("path", "kind", "article", "clause", "point", "level_rank", "catalog_item", "position", "parent_id",
              "line", "text_folded", "heading_folded"),
    "decisions": ("issuer", "effective", "replaces", "source_file", "has_text", "warnings", "missing"),
}


def hide_internal_columns(app):
    """ASGI wrapper: add _nocol=… to HTML table pages of items and decisions that choose no columns.

    Datasette 0.65 fails (KeyError, a 500) on a sort by a column left out with _nocol, and its
    forms carry the added _nocol on: a column the page is sorted by is never left out.
    """

    async def wrapped(scope, receive, send):
        if scope.get("type") == "http" and scope.get("method") == "GET":
            parts = scope.get("path", "").strip("/").split("/")
            query = scope.get("query_string", b"")
            if len(parts) == 2 and parts[1] in HIDDEN_COLUMNS:
                sorted_by = {value for name, value in parse_qsl(query.decode("latin-1"))
                             if name in ("_sort", "_sort_desc")}
                if b"_col=" not in query and b"_nocol=" not in query:
                    extra = "&".join(f"_nocol={column}" for column in HIDDEN_COLUMNS[parts[1]]
                                     if column not in sorted_by).encode()
                    query = (query + b"&" + extra) if query else extra
                elif sorted_by:
                    dropped = {f"_nocol={column}".encode() for column in sorted_by}
                    query = b"&".join(part for part in query.split(b"&") if part not in dropped)
                scope = dict(scope, query_string=query)
        await app(scope, receive, send)

    return wrapped
