"""What keeps one request from harming the server or another user: the web side of issue 10.

- ``refusal`` decides whether a POST to the classify page may run: it must come from
  this site (``Origin`` / ``Sec-Fetch-Site``) and carry Datasette's CSRF pair (the
  ``ds_csrftoken`` cookie and the same token in the form). asgi-csrf lets a POST
  without any cookie through, which is what a cross-site form sends; this does not.
- ``BoundedRunner`` runs classifications off the event loop, one at a time with a
  short queue, so one long draft cannot make the other pages wait or pile up work.
- ``limit_connection`` caps SQLite value length on every Datasette connection, so a
  ``zeroblob``/``printf`` query in ``?sql=`` cannot take gigabytes.
- ``guard_requests`` (an ASGI wrapper) answers malformed parameters and POSTs to
  pages that take none with a 4xx; ``quiet_sql_errors`` keeps failing SQL (and the
  search words in it, which may come from a draft) out of the server's error output.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar
from urllib.parse import parse_qsl, urlsplit

CSRF_COOKIE = "ds_csrftoken"
CSRF_FIELD = "csrftoken"
# Largest string or blob a query may build. The longest value in the KB is ~1.2 KB;
# 100 KB times Datasette's 1,000 returned rows bounds one answer to ~100 MB.
MAX_SQL_VALUE_BYTES = 100_000
MAX_SQL_TEXT_BYTES = 100_000
# Any POST body, checked before asgi-csrf reads it into memory: room for an uploaded
# file at the reading limit (cancu.ingest.readers.DEFAULT_MAX_BYTES) and its encoding.
MAX_POST_BYTES = 30 * 1024 * 1024
# Parameters Datasette converts with int() and answers with a 500 when they are not numbers.
INTEGER_PARAMETERS = ("_timelimit", "_size", "_facet_size")

T = TypeVar("T")


class RequestRefused(Exception):
    """A request that must be answered with ``status`` and a Vietnamese ``message``."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(message)


# --- same-site and CSRF ------------------------------------------------------------------


def cross_site_refusal(headers: dict[str, str]) -> str | None:
    """Why a POST comes from another site, or None.

    ``Sec-Fetch-Site`` decides when the browser sends it (all current ones do). Else
    ``Origin``, when present, must name this host; "null" is accepted there because
    the page's ``Referrer-Policy: no-referrer`` makes browsers send it for their own
    form. Clients that send neither (command line) still need the CSRF pair.
    """
    fetch_site = headers.get("sec-fetch-site", "").lower()
    if fetch_site:
        return None if fetch_site in ("same-origin", "none") else "yêu cầu gửi từ trang web khác"
    origin = headers.get("origin")
    if origin is not None and origin != "null":
        if urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
            return "yêu cầu gửi từ trang web khác"
    return None


def csrf_refusal(request, form_token: str | None) -> str | None:
    """Why the CSRF pair is missing or wrong, or None when the cookie is Datasette's and the form repeats it."""
    cookie = request.cookies.get(CSRF_COOKIE)
    expected = request.scope.get("csrftoken")
    if not cookie or expected is None:
        return "thiếu mã chống giả mạo (cookie); hãy mở lại trang rồi gửi"
    # asgi-csrf hands back the cookie itself only when its signature is valid.
    if not secrets.compare_digest(expected(), cookie) or not secrets.compare_digest(form_token or "", cookie):
        return "mã chống giả mạo không khớp; hãy mở lại trang rồi gửi"
    return None


# Pages that check the CSRF pair themselves (``refusal``) after reading their body within limits.
# asgi-csrf is told to skip them: it would read the whole body first, and with the installed
# python-multipart it fails on every multipart body (FormParser no longer takes FileClass).
OWN_CSRF_PATHS = {"/-/phan-loai", "/-/phan-loai/de-xuat"}


def checks_own_csrf(scope: dict) -> bool:
    """True for a POST to a page that enforces the CSRF pair itself (Datasette's skip_csrf hook)."""
    return scope.get("type") == "http" and scope.get("path") in OWN_CSRF_PATHS


def refusal(request, form: dict[str, str]) -> RequestRefused | None:
    """The 403 a POST to the classify page deserves, or None when it may run."""
    headers = {key.lower(): value for key, value in request.headers.items()}
    reason = cross_site_refusal(headers) or csrf_refusal(request, form.get(CSRF_FIELD))
    return RequestRefused(403, f"Không xử lý: {reason}.") if reason else None


# --- classification off the event loop -------------------------------------------------------


class BoundedRunner:
    """One worker thread and at most ``queue`` requests waiting for it.

    Classification is CPU work: on the event loop it would stop every other page.
    A request that finds the queue full is told the server is busy (503) instead of
    adding work that would only make everyone wait longer.
    """

    def __init__(self, workers: int = 1, queue: int = 4):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cancu-classify")
        self._slots = threading.BoundedSemaphore(workers + queue)

    async def run(self, function: Callable[..., T], *args) -> T:
        if not self._slots.acquire(blocking=False):
            raise RequestRefused(503, "Máy chủ đang bận phân loại các dự thảo khác; hãy thử lại sau ít phút.")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(function, *args))
        finally:
            self._slots.release()


# --- SQLite and Datasette ------------------------------------------------------------------


def limit_connection(conn: sqlite3.Connection) -> None:
    """Cap the length of any string or blob, and of the SQL text, on this connection."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_SQL_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_TEXT_BYTES)


def quiet_sql_errors(datasette) -> None:
    """Make every database's execute() run with log_sql_errors=False, whatever the caller asks.

    Datasette writes a failing query with its parameters to standard error; a search
    word typed into a table (possibly a phrase of a draft) would land in the server's log.
    The error itself still reaches the page that asked.
    """
    for database in datasette.databases.values():
        execute = database.execute
        if getattr(execute, "cancu_quiet", False):
            continue

        async def execute_quietly(*args, _execute=execute, **kwargs):
            kwargs["log_sql_errors"] = False
            return await _execute(*args, **kwargs)

        execute_quietly.cancu_quiet = True
        database.execute = execute_quietly


def parameter_refusal(scope: dict) -> RequestRefused | None:
    """A 400 for integer parameters that are not integers, a 405 for a POST to a page that takes none."""
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in INTEGER_PARAMETERS and value and not (value.strip().isdigit() or value == "max"):
            return RequestRefused(400, f"Tham số {name} phải là số nguyên.")
    if scope.get("method") != "POST":
        return None
    if not scope.get("path", "").startswith("/-/"):
        return RequestRefused(405, "Trang này chỉ để xem, không nhận dữ liệu gửi lên.")
    headers = dict(scope.get("headers") or [])
    length = headers.get(b"content-length", b"").decode("latin-1").strip()
    if not length.isdigit():
        return RequestRefused(411, "Yêu cầu gửi lên phải ghi rõ độ dài (Content-Length).")
    if int(length) > MAX_POST_BYTES:
        return RequestRefused(413, "Nội dung gửi lên quá lớn.")
    return None


# Datasette 0.65 answers these with a 500 though the URL is at fault (a mistyped or hand-edited link).
SORT_MISTAKES = ("Cannot sort table by ", "Cannot use _sort and _sort_desc at the same time")


def client_mistake(request, exception: Exception) -> str | None:
    """The message for an exception Datasette would answer with a 500 that the request caused, or None.

    A sort by a column the table lacks raises DatasetteError (status 500); a ``_through``
    that is not the JSON Datasette expects raises ValueError or KeyError inside the view, and
    a view's ``_next`` that is not a number a ValueError.
    """
    from datasette.views.base import DatasetteError

    if isinstance(exception, DatasetteError) and exception.status == 500 and str(exception.message).startswith(
            SORT_MISTAKES):
        return str(exception.message)
    if isinstance(exception, (ValueError, KeyError, TypeError)) and "_through" in request.args:
        return "Tham số _through không hợp lệ."
    if isinstance(exception, ValueError) and "_next" in request.args:  # a view pages by offset: int(_next)
        return "Tham số _next không hợp lệ."
    return None


def guard_requests(app):
    """ASGI wrapper answering ``parameter_refusal`` before Datasette sees the request."""

    async def guarded(scope, receive, send):
        refused = parameter_refusal(scope) if scope.get("type") == "http" else None
        if refused is not None:
            return await _send_refusal(send, refused)
        started = False

        async def tracked_send(message):
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            return await app(scope, receive, tracked_send)
        except (ValueError, IndexError, AssertionError) as error:
            # asgi-csrf parses a POST body before Datasette sees it and raises on a body that is not
            # UTF-8 (UnicodeDecodeError) or a multipart body without boundary or with bad framing.
            # Datasette's views catch their own errors, so what reaches here is the request's fault.
            if started or scope.get("method") != "POST":
                raise
            why = "không phải văn bản UTF-8" if isinstance(error, UnicodeDecodeError) else "biểu mẫu bị hỏng"
            await _send_refusal(send, RequestRefused(400, f"Nội dung gửi lên không đọc được: {why}."))

    return guarded


async def _send_refusal(send, refused: RequestRefused) -> None:
    body = refused.message.encode("utf-8")
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
