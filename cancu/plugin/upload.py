"""The classify page's form: pasted text or an uploaded .docx, .pdf or .txt, read in memory only.

Datasette 0.65 parses only url-encoded forms. A file arrives as multipart/form-data,
so the body is read here, with a byte limit, and split with python-multipart's
streaming ``MultipartParser`` into Python bytes: unlike its ``FormParser`` (and
Starlette's), nothing is ever spooled to a temporary file. The bytes are turned into
text by the same readers as ``cancu check`` and dropped with the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import parse_qsl

from cancu.ingest.errors import SourceUnreadable

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a draft with a few images; anything larger is not one draft
MAX_TEXT_BYTES = 1024 * 1024  # pasted text: well above the page's character limit in UTF-8
# A url-encoded form writes each byte of a non-ASCII letter as "%XX": a paste within the page's
# character limit may take three times its UTF-8 size (Vietnamese letters are 2-3 bytes each).
MAX_URLENCODED_TEXT_BYTES = 3 * MAX_TEXT_BYTES
FORM_OVERHEAD = 64 * 1024  # boundaries, headers and the small fields
UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt")
SIZE_WORDS = f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


class FormRejected(Exception):
    """The form cannot be used; str() is the Vietnamese message shown on the page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class UploadedFile:
    name: str  # the base name the browser sent, shown back to the user only
    data: bytes


@dataclass(frozen=True)
class DraftForm:
    fields: dict[str, str]
    upload: UploadedFile | None


TOO_LARGE = f"Tệp hoặc nội dung gửi lên lớn quá {SIZE_WORDS}; hãy gửi dự thảo nhỏ hơn."
TEXT_TOO_LARGE = "Nội dung dán vào quá lớn; hãy dán từng phần."


async def _body(request, limit: int, too_large: str = TOO_LARGE) -> bytes:
    """The request body, refused with ``too_large`` as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FormRejected(too_large, 413)
    chunks, size, more = [], 0, True
    while more:
        message = await request.receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise FormRejected(too_large, 413)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _multipart(body: bytes, boundary: bytes) -> DraftForm:
    """Fields and at most one file of a multipart body, all in memory."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header

    parts: list[dict] = []
    current: dict = {}
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}

    def on_part_begin():
        current.clear()
        current.update(headers={}, data=bytearray())

    def on_header_field(data, start, end):
        header["field"] += data[start:end]

    def on_header_value(data, start, end):
        header["value"] += data[start:end]

    def on_header_end():
        current["headers"][bytes(header["field"]).lower()] = bytes(header["value"])
        header["field"], header["value"] = bytearray(), bytearray()

    def on_part_data(data, start, end):
        current["data"] += data[start:end]

    def on_part_end():
        parts.append(dict(current))

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        parser.write(body)
        parser.finalize()
    except FormParserError as error:  # every parse error of python-multipart derives from it
        raise FormRejected("Biểu mẫu gửi lên không hợp lệ; hãy tải lại trang và gửi lại.") from error
    fields: dict[str, str] = {}
    upload = None
    for part in parts:
        _, options = parse_options_header(part["headers"].get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            filename = PurePath(options[b"filename"].decode("utf-8", "replace").replace("\\", "/")).name
            if filename or part["data"]:
                upload = UploadedFile(filename, bytes(part["data"]))
        else:
            fields[name] = bytes(part["data"]).decode("utf-8", "replace")
    return DraftForm(fields, upload)


async def read_form(request) -> DraftForm:
    """The posted form, url-encoded or multipart, with the upload limits applied."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if not boundary:
            raise FormRejected("Biểu mẫu gửi lên không hợp lệ; hãy tải lại trang và gửi lại.")
        body = await _body(request, MAX_UPLOAD_BYTES + MAX_TEXT_BYTES + FORM_OVERHEAD)
        form = _multipart(body, boundary)
    else:
        body = await _body(request, MAX_URLENCODED_TEXT_BYTES + FORM_OVERHEAD, TEXT_TOO_LARGE)
        form = DraftForm(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), None)
    if form.upload and len(form.upload.data) > MAX_UPLOAD_BYTES:
        raise FormRejected(f"Tệp “{form.upload.name}” lớn quá {SIZE_WORDS}; hãy gửi dự thảo nhỏ hơn.", 413)
    return form


def _read_bytes(data: bytes, name: str):
    """An uploaded draft (text and the reader's warnings) through the reading boundary ``cancu check`` uses."""
    from cancu.ingest.readers import read_bytes

    return read_bytes(data, name, guess_encoding=True)


# The one reader the upload path calls.
READ_UPLOAD = _read_bytes


def read_upload(upload: UploadedFile):
    """The uploaded file read (``.text``, ``.warnings``: a legacy font encoding converted, damaged bytes),
    or FormRejected with a message naming the file and the problem."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise FormRejected(f"Tệp “{upload.name}”: chỉ nhận tệp .docx, .pdf (có lớp chữ) hoặc .txt.")
    try:
        return READ_UPLOAD(upload.data, upload.name)
    except SourceUnreadable as error:
        raise FormRejected(f"Không đọc được tệp “{upload.name}”: {error.reason}.") from None
