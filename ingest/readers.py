"""Turn the files agencies exchange (.txt, .docx, .html, .pdf) into plain text lines.

Both the ingest of decisions and the checking of drafts read files here, and so do
standard input and the classify page's upload (``read_bytes``). This module is the
one reading boundary: whatever a file holds, the caller gets text or one
``SourceUnreadable`` naming the file and the reason, never a library's exception,
and no file makes it block (FIFO, device) or inflate without bound (zip bomb).
Text is returned to the caller and never written anywhere.

Limits (documented in README "Giới hạn khi đọc tệp"):

- a file is read only if it is a regular file (a link is followed, but not to a FIFO or
  a device) of at most ``$CANCU_MAX_BYTES`` bytes (default 20 MiB);
- the text taken out of it is at most ``$CANCU_MAX_CHARS`` characters (default 1,000,000,
  some 300 pages: a draft, not an archive);
- a .docx may declare at most 64 MiB inflated in all, and hold at most 100,000 paragraphs;
- a PDF may have at most 2,000 pages; its page furniture (a running header or footer, page numbers)
  is dropped where the pages are known (``without_page_furniture_lines``).
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from . import legacy
from .errors import SourceUnreadable, system_reason
from .model import Level
from .text import clean_line, fold, nfc, page_number

TEXT_SUFFIXES = {".txt", ".md"}
DOCX_SUFFIXES = {".docx"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_CHARS = 1_000_000
MAX_DOCX_INFLATED = 64 * 1024 * 1024
MAX_DOCX_PARAGRAPHS = 100_000
MAX_PDF_PAGES = 2_000


def max_bytes() -> int:
    """The size limit of one file: ``$CANCU_MAX_BYTES`` or 20 MiB."""
    return _env_limit("CANCU_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_chars() -> int:
    """The limit on the text of one document: ``$CANCU_MAX_CHARS`` or 1,000,000 characters."""
    return _env_limit("CANCU_MAX_CHARS", DEFAULT_MAX_CHARS)


def _env_limit(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip().replace("_", "")
    return int(value) if value.isdigit() and int(value) > 0 else default


@dataclass(frozen=True)
class Document:
    """The text of a file, and what the reader had to say about it (replaced bytes, mixed encodings)."""

    name: str
    text: str
    warnings: tuple[str, ...] = ()


def read_document(path: str | Path, *, guess_encoding: bool = False) -> str:
    """The text of a .txt, .docx, .html or .pdf file, NFC-normalised (see ``read_file``)."""
    return read_file(path, guess_encoding=guess_encoding).text


def read_file(path: str | Path, *, guess_encoding: bool = False) -> Document:
    """Read one file through the boundary: regular file, size limit, then ``read_bytes``.

    ``guess_encoding`` lets a draft that is not clean UTF-8 be read anyway (Windows-1258,
    or UTF-8 with a few bad bytes replaced), with a warning; the knowledge base insists
    on UTF-8 so that law text is never silently mis-decoded. Raises SourceUnreadable.
    """
    path = Path(path)
    _check_suffix(path.suffix.lower(), path)
    return read_bytes(read_regular_bytes(path), path, guess_encoding=guess_encoding)


def read_bytes(data: bytes, name: str | Path, *, guess_encoding: bool = True) -> Document:
    """The text of a document held in memory (standard input, an upload), by the name's suffix.

    Standard input ("-") has no name to go by: its format is told by its first bytes
    (``sniffed_suffix``), so a PDF or web page piped in is not read as plain text. Every
    library error becomes SourceUnreadable naming ``name``.
    """
    path = Path(str(name))
    suffix = path.suffix.lower() if str(name) != "-" else sniffed_suffix(data)
    _check_suffix(suffix, path)
    if len(data) > max_bytes():
        raise SourceUnreadable(path, _too_big(len(data)))
    if not data.strip():
        raise SourceUnreadable(path, "tệp rỗng")
    warnings: tuple[str, ...] = ()
    converted: set[str] = set()  # legacy encodings converted, whose warning is added once
    try:
        if suffix in DOCX_SUFFIXES:
            text = _docx_text(data, path, converted)
        elif suffix in PDF_SUFFIXES:
            text = _pdf_text(data, path)
        elif suffix in HTML_SUFFIXES:
            text, warnings = decode_text(data, path, guess_encoding=True)
            text = html_to_text(text)
        else:
            text, warnings = decode_text(data, path, guess_encoding=guess_encoding)
    except RecursionError:
        raise SourceUnreadable(path, "cấu trúc lồng nhau quá sâu") from None
    _check_length(text, path)  # before normalising: NFC and the mark trimming are linear but not free
    text = _convert_legacy_encoding(text, path, converted)  # before NFC, which reads Ð as Đ, a soft hyphen as space
    warnings += tuple(legacy.conversion_note(encoding) for encoding in sorted(converted))
    text, stacked = _trim_stacked_marks(nfc(text))
    if stacked:
        warnings += (f"bỏ {_n(stacked)} dấu phụ chồng lên nhau (một chữ cái tiếng Việt có nhiều nhất hai dấu)",)
    if not text.strip():
        raise SourceUnreadable(path, "không có nội dung chữ")
    _check_length(text, path)
    return Document(str(name), text, warnings)


def sniffed_suffix(data: bytes) -> str:
    """The suffix a nameless document's own signature gives: ".pdf", ".docx", ".html", or "" (plain text).

    PDF and zip (a .docx is one) files open with a fixed signature; a web page opens with
    its doctype or <html> tag, after an optional byte-order mark and blank space.
    """
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return ".docx"
    head = data[:256].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return ""


# Combining marks: after NFC a Vietnamese letter keeps at most two (a shape and a tone that have
# no precomposed form). Longer stacks are noise ("Zalgo" text) that multiplies tokenizer work.
_STACKED_MARKS = re.compile("([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{2})"
                            "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _trim_stacked_marks(text: str) -> tuple[str, int]:
    """The text with stacks of combining marks cut to two, and how many marks were dropped."""
    dropped = 0

    def keep_two(match: re.Match) -> str:
        nonlocal dropped
        dropped += len(match[0]) - 2
        return match[1]

    return _STACKED_MARKS.sub(keep_two, text), dropped


def _check_length(text: str, path: Path) -> None:
    if len(text) > max_chars():
        raise SourceUnreadable(path, f"nội dung dài {_n(len(text))} ký tự, quá giới hạn {_n(max_chars())} ký tự "
                               "(đặt CANCU_MAX_CHARS để nâng giới hạn)")


def _check_suffix(suffix: str, path: Path) -> None:
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise SourceUnreadable(path, f"định dạng '{suffix}' chưa được hỗ trợ (dùng .txt, .docx, .html, .pdf)")


def _n(number: int) -> str:
    """A count written the Vietnamese way: 1.048.576."""
    return f"{number:,}".replace(",", ".")


def _too_big(size: int) -> str:
    return f"tệp lớn {_n(size)} byte, quá giới hạn {_n(max_bytes())} byte (đặt CANCU_MAX_BYTES để nâng giới hạn)"


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of a regular file, refusing FIFOs, devices, sockets, folders and oversize files.

    The file is opened non-blocking (a FIFO put in its place after the check cannot
    block the open) and checked again on the open descriptor, so what is read is
    what was checked. A link is followed; a link to /dev/zero is a device.
    """
    try:
        before = os.stat(path)
    except OSError as error:
        raise _os_unreadable(path, error) from None
    _require_regular(before.st_mode, path)
    if before.st_size > max_bytes():
        raise SourceUnreadable(path, _too_big(before.st_size))
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise _os_unreadable(path, error) from None
    try:
        opened = os.fstat(descriptor)
        _require_regular(opened.st_mode, path)
        limit = max_bytes()
        chunks, total = [], 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SourceUnreadable(path, _too_big(total))
        return b"".join(chunks)
    except OSError as error:
        raise _os_unreadable(path, error) from None
    finally:
        os.close(descriptor)


def _require_regular(mode: int, path: Path) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        try:
            next(os.scandir(path), None)
        except OSError as error:
            raise SourceUnreadable(path, f"thư mục không liệt kê được vì {system_reason(error)}; "
                                   "các dự thảo trong đó chưa được kiểm tra", _os_detail(error)) from None
    kind = ("thư mục" if stat.S_ISDIR(mode) else "ống dẫn (FIFO)" if stat.S_ISFIFO(mode)
            else "thiết bị" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode)
            else "tệp đặc biệt")
    raise SourceUnreadable(path, f"không phải tệp thường mà là {kind}; chỉ đọc tệp văn bản thường")


def _os_unreadable(path: Path, error: OSError) -> SourceUnreadable:
    return SourceUnreadable(path, f"không mở được vì {system_reason(error)}", _os_detail(error))


def _os_detail(error: OSError) -> str:
    import errno

    return f"{type(error).__name__} {errno.errorcode.get(error.errno or 0, error.errno)}: {error.strerror or error}"


def walk_folder(folder: str | Path, *, recursive: bool) -> list[Path]:
    """The entries of a folder that a batch must account for, sorted, hidden ones left out.

    Unlike Path.rglob, nothing is skipped silently: a sub-folder that cannot be listed
    is returned itself, and so are FIFOs, devices and broken links, so that reading
    them through this module reports why (the caller filters regular files by suffix).
    Links to folders are not followed (no loops).
    """
    found: list[Path] = []
    pending = [Path(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError:
            found.append(current)
            continue
        for entry in listed:
            if entry.name.startswith((".", "~$")):
                continue
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                if recursive:
                    pending.append(path)
            else:
                found.append(path)
    return sorted(found)


def is_special(path: Path) -> bool:
    """Not a regular file once links are followed: a FIFO, a device, a socket, a broken link, a locked folder."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, path: str | Path, *, guess_encoding: bool) -> str:
    """The text of ``data`` (see ``decode_text``), without the warnings."""
    return decode_text(data, path, guess_encoding=guess_encoding)[0]


def decode_text(data: bytes, path: str | Path, *, guess_encoding: bool) -> tuple[str, tuple[str, ...]]:
    """(text, warnings): UTF-8 (with or without BOM), UTF-16 with BOM; drafts also Windows-1258.

    Without ``guess_encoding`` only clean UTF-8 passes. With it, the file is never
    silently reinterpreted: UTF-8 that has a few bad bytes stays UTF-8, the bytes
    become U+FFFD and a warning says where; Windows-1258 is used only when the whole
    file fits it and holds no UTF-8 letter; a file mixing both is read line by line
    and flagged.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path), ()
    if b"\x00" in data:
        if _looks_like_bomless_utf16(data):
            return _decode(data, "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be", path), ()
        raise SourceUnreadable(path, "tệp nhị phân, không phải văn bản")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as error:
        if not guess_encoding:
            line = data[: error.start].count(b"\n") + 1
            raise SourceUnreadable(
                path, f"không phải mã UTF-8 (byte 0x{data[error.start]:02x} ở dòng {line}); hãy lưu lại tệp dưới dạng UTF-8"
            ) from None
    return _decode_draft(data)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_draft(data: bytes) -> tuple[str, tuple[str, ...]]:
    """A draft that is not clean UTF-8: Windows-1258 as a whole, UTF-8 with replacements, or line by line."""
    typed = legacy.single_byte_text(data)  # a .VnTime or VNI-Times text saved as plain text
    try:
        as_cp1258 = data.decode("cp1258")
    except UnicodeDecodeError:
        as_cp1258 = None
    # Tried first: a legacy text may hold a byte pair that looks like UTF-8 ("Ð" before a dash).
    if legacy.choose_encoding(typed, alternatives=(as_cp1258,) if as_cp1258 else ()).encoding:
        return typed, ()  # read_bytes converts it, and says so
    has_utf8_letters = bool(_UTF8_MULTIBYTE.search(data))
    if not has_utf8_letters and as_cp1258 is not None:
        return as_cp1258, ()
    lines = data.split(b"\n")
    out: list[str] = []
    bad_lines: list[int] = []
    legacy_lines: list[int] = []
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        if has_utf8_letters and not _UTF8_MULTIBYTE.search(line) and _fits_cp1258(line) and _looks_vietnamese_cp1258(line):
            out.append(line.decode("cp1258"))
            legacy_lines.append(number)
        else:
            out.append(line.decode("utf-8", errors="replace"))
            bad_lines.append(number)
    warnings = []
    if bad_lines:
        warnings.append(f"tệp có byte không hợp lệ theo mã UTF-8 ở {_lines(bad_lines)}; các byte đó được thay bằng "
                        "“�”, phần còn lại đọc theo UTF-8. Kiểm tra lại tệp gốc (có thể bị hỏng khi sao chép)")
    if legacy_lines:
        warnings.append(f"tệp trộn hai bảng mã: {_lines(legacy_lines)} đọc theo Windows-1258, phần còn lại theo UTF-8. "
                        "Hãy lưu lại toàn bộ tệp dưới dạng UTF-8 rồi kiểm tra lại")
    return "\n".join(out), tuple(warnings)


def _fits_cp1258(line: bytes) -> bool:
    try:
        line.decode("cp1258")
    except UnicodeDecodeError:
        return False
    return True


def _looks_vietnamese_cp1258(line: bytes) -> bool:
    """A line typed in Windows-1258: its high bytes are mostly Vietnamese letters or tone marks."""
    high = [b for b in line if b >= 0x80]
    vietnamese = set(b"\xc3\xe3\xc2\xe2\xca\xea\xd4\xf4\xd5\xf5\xdd\xfd\xd0\xf0\xcc\xec\xd2\xf2\xde\xfe\xcd\xed"
                     b"\xc0\xe0\xc1\xe1\xc8\xe8\xc9\xe9\xd3\xf3\xda\xfa\xd9\xf9\xed\xec\xf1")
    return len(high) >= 2 and sum(b in vietnamese for b in high) >= 0.8 * len(high)


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:5]))
    more = f" và {len(numbers) - 5} dòng khác" if len(numbers) > 5 else ""
    return f"dòng {shown}{more}"


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """UTF-16 text without a BOM: NUL bytes on one parity only, and it decodes to printable text."""
    sample = data[:4000]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if min(even, odd) > 0.05 * max(even, odd) or max(even, odd) < len(sample) // 8:
        return False
    text = sample[: len(sample) // 2 * 2].decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * len(text)


def _decode(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise SourceUnreadable(path, f"nội dung không hợp lệ theo mã {encoding.upper()}") from None


def _convert_legacy_encoding(text: str, path: str | Path, converted: set[str]) -> str:
    """Text typed in a pre-Unicode Vietnamese font encoding (TCVN3, VNI) in Unicode; the encoding is
    added to ``converted``. Text that looks legacy but that no table reads cleanly is refused rather
    than misread."""
    text, detection = legacy.convert(text)
    if detection.encoding:
        converted.add(detection.encoding)
    elif detection.unsure:
        raise SourceUnreadable(
            path, "văn bản gõ bằng bảng mã cũ (TCVN3/.VnTime hoặc VNI), chưa chuyển được sang Unicode; "
            "hãy chuyển mã sang Unicode (ví dụ bằng Unikey) rồi kiểm tra lại",
        )
    return text


# --------------------------------------------------------------------------- docx


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
# What a damaged or hostile zip/XML can raise from zipfile, zlib and lxml.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ValueError, OSError, EOFError,
               NotImplementedError, RuntimeError, struct.error, OverflowError, IndexError, UnicodeError)


def _docx_member(package: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """One member of the package, refused before inflating when it declares more than the limit."""
    info = package.getinfo(name)
    if info.file_size > MAX_DOCX_INFLATED:
        raise SourceUnreadable(path, f"tệp .docx khai báo phần '{name}' giải nén ra {_n(info.file_size)} byte, "
                               f"quá giới hạn {_n(MAX_DOCX_INFLATED)} byte (nghi là bom nén)")
    return package.read(name)


def _docx_body(data: bytes, path: Path):
    """The w:body element of a .docx's main part.

    Reads the main part straight from the zip with lxml (about 0.2 ms) instead of
    opening the whole package with python-docx (about 9 ms). The declared sizes of
    all members are checked before anything is inflated (zipfile never inflates
    past a member's declared size), and the XML parser resolves no entity and
    keeps lxml's default limits on depth and node size.
    """
    from lxml import etree
    from docx.oxml.ns import qn

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    if data.startswith(_OLE_SIGNATURE):  # what Word writes for a .docx with a password, and for a .doc
        raise SourceUnreadable(path, "tệp có đặt mật khẩu (mã hóa) hoặc là tệp .doc cũ đổi tên thành .docx; "
                               "mở bằng Word, bỏ mật khẩu hoặc lưu lại dạng .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = sum(info.file_size for info in package.infolist())
            if declared > 4 * MAX_DOCX_INFLATED:
                raise SourceUnreadable(path, f"tệp .docx khai báo giải nén ra {_n(declared)} byte, quá giới hạn "
                                       f"{_n(4 * MAX_DOCX_INFLATED)} byte (nghi là bom nén)")
            relationships = etree.fromstring(_docx_member(package, "_rels/.rels", path), parser)
            target = next((r.get("Target") for r in relationships if r.get("Type") == _OFFICE_DOCUMENT), None)
            if not target:
                raise KeyError("officeDocument")
            root = etree.fromstring(_docx_member(package, target.lstrip("/"), path), parser)
    except (*_ZIP_ERRORS, etree.LxmlError) as error:
        raise SourceUnreadable(path, f"không phải tệp .docx hợp lệ: {_docx_problem(error)}", _detail(error)) from None
    body = root.find(qn("w:body"))
    if body is None:
        raise SourceUnreadable(path, "không phải tệp .docx hợp lệ: không có phần thân văn bản")
    return body


_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def _docx_problem(error: Exception) -> str:
    """What a zipfile, zlib or lxml error says about a .docx, in words."""
    from lxml import etree

    if isinstance(error, etree.LxmlError):
        return "phần nội dung XML bị hỏng"
    if isinstance(error, KeyError):
        return "thiếu phần nội dung chính"
    if isinstance(error, RuntimeError):  # zipfile: a member needs a password
        return "tệp nén có mật khẩu"
    if isinstance(error, NotImplementedError):  # zipfile: a compression method it does not know
        return "tệp nén dùng kiểu nén chưa được hỗ trợ"
    if isinstance(error, (zipfile.LargeZipFile, OverflowError)):
        return "tệp nén quá lớn"
    return "tệp nén bị hỏng"


def _detail(error: BaseException) -> str:
    """The library's exception for logs and tests: its class and the first line of its text."""
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _docx_text(data: bytes, path: Path, converted: set[str]) -> str:
    """Paragraphs and table cells of a .docx in document order, at most MAX_DOCX_PARAGRAPHS of them.
    Runs in a legacy font (.VnTime, VNI-Times) are converted; their encodings are added to ``converted``."""
    lines: list[str] = []
    for paragraph in _docx_paragraphs(_docx_body(data, path)):
        lines.append(_docx_paragraph_text(paragraph, converted))
        if len(lines) > MAX_DOCX_PARAGRAPHS:
            raise SourceUnreadable(path, f"tệp .docx có hơn {_n(MAX_DOCX_PARAGRAPHS)} đoạn, quá giới hạn")
    return "\n".join(lines)


def _docx_paragraphs(parent):
    """The paragraphs under ``parent`` in document order, each once: those of tables (row by row, cell
    by cell, a table inside a cell where it stands) and those Word keeps inside content controls
    (w:sdt, as templates do for the stamp, number and subject) or custom XML."""
    from docx.oxml.ns import qn  # python-docx; imported here so plain-text work does not pay for it

    containers = {qn(tag) for tag in ("w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:customXml")}
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield child
        elif child.tag in containers:  # properties (w:tblPr, w:sdtPr, …) hold no paragraph of the draft
            yield from _docx_paragraphs(child)


def _docx_paragraph_text(paragraph, converted: set[str]) -> str:
    """A paragraph's text; a text box anchored in it (a boxed stamp, often) becomes a line of its own.
    Runs in a legacy font are converted (``legacy.convert_runs``)."""
    parts: list[tuple[str, str | None]] = []
    _docx_runs_text(paragraph, parts, None)
    text, encodings = legacy.convert_runs(parts)
    converted.update(encodings)
    return text


def _docx_runs_text(element, parts: list[tuple[str, str | None]], font: str | None) -> None:
    """(text, font of its run) of every piece under ``element``, in order."""
    for node in element.iterchildren():
        if node.tag == _W_T:
            parts.append((node.text or "", font))
        elif node.tag == _W_TAB:
            parts.append(("\t", font))
        elif node.tag in _W_BREAKS:
            parts.append(("\n", font))
        elif node.tag == _MC_FALLBACK:
            continue  # the same drawing or text box again, for readers older than Word 2010
        elif node.tag == _W_P:  # a text box's paragraph inside this one
            parts.append(("\n", None))
            _docx_runs_text(node, parts, None)
            parts.append(("\n", None))
        elif node.tag == _W_R:
            _docx_runs_text(node, parts, _run_font(node))
        else:
            _docx_runs_text(node, parts, font)


def _run_font(run) -> str | None:
    """The font a run names for its letters: w:hAnsi (what Word uses for bytes above ASCII), else w:ascii."""
    fonts = run.find(f"{_W}rPr/{_W}rFonts")
    if fonts is None:
        return None
    return fonts.get(f"{_W}hAnsi") or fonts.get(f"{_W}ascii")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_T, _W_TAB, _W_P, _W_BREAKS = f"{_W}t", f"{_W}tab", f"{_W}p", (f"{_W}br", f"{_W}cr")
_W_R = f"{_W}r"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


# --------------------------------------------------------------------------- pdf


def _pdf_text(data: bytes, path: Path) -> str:
    """Text layer of a PDF; an encrypted, scanned, damaged or oversize PDF is refused with the reason.

    pypdf raises many types on damaged input (its own errors, zlib.error,
    NotImplementedError for an unknown filter, KeyError/TypeError on a malformed
    object, RecursionError on a self-referencing one): all become SourceUnreadable.
    Its own limits (LimitReachedError) bound what a compression bomb inflates.
    """
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs what it repairs, sometimes with bytes of the document: nothing of a draft reaches the terminal.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    pdf_errors = (PyPdfError, *_ZIP_ERRORS, TypeError, AttributeError, AssertionError, ZeroDivisionError)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except pdf_errors:
                opened = 0
            if not opened:
                raise SourceUnreadable(path, "PDF được mã hóa bằng mật khẩu")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise SourceUnreadable(path, f"PDF có {_n(len(reader.pages))} trang, quá giới hạn {_n(MAX_PDF_PAGES)} trang")
        pages, total = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            total += len(pages[-1])
            if total > max_chars():
                break
    except pdf_errors as error:
        raise SourceUnreadable(path, f"PDF hỏng hoặc không hợp lệ: {_pdf_problem(error)}", _detail(error)) from None
    text = "\n".join(without_page_furniture_lines(pages))
    if not text.strip():
        raise SourceUnreadable(path, "PDF không có lớp chữ (bản quét ảnh?); cần bản PDF có chữ hoặc .docx")
    return text


PAGE_EDGE = 2  # lines at a page's top and at its bottom where a running header, footer or page number stands


def without_page_furniture_lines(pages: list[str]) -> list[str]:
    """The pages' texts without their furniture, where the pages are known: a line at a page's edge (its
    first or last PAGE_EDGE lines) that recurs at an edge of most pages, digits aside ("Trang 2/5",
    "Công văn số 12/SYT - trang 3"), and a page-number line at an edge whose number follows the page order
    (the page's own number, or the same distance from it on two pages or more). A secrecy stamp printed
    on every page keeps its first copy. Each page but the last without its closing line breaks."""
    if len(pages) < 2:
        return pages
    lines = [page.split("\n") for page in pages]
    edges = [[at for at in dict.fromkeys([*range(min(PAGE_EDGE, len(page))), *range(max(0, len(page) - PAGE_EDGE), len(page))])
              if page[at].strip()] for page in lines]
    keys: dict[str, set[int]] = {}
    for number, (page, at_edge) in enumerate(zip(lines, edges)):
        for at in at_edge:
            keys.setdefault(re.sub(r"\d+", "#", clean_line(page[at])), set()).add(number)
    running = {key for key, on in keys.items() if len(on) >= 2 and 2 * len(on) > len(pages)
               and sum(ch.isalnum() for ch in key) >= 2}
    offsets: dict[int, set[int]] = {}
    for number, (page, at_edge) in enumerate(zip(lines, edges), 1):
        for at in at_edge:
            found = page_number(page[at].strip())
            if found and (not found[1] or found[1] >= len(pages)):
                offsets.setdefault(found[0] - number, set()).add(number)
    numbering = {offset for offset, on in offsets.items() if offset == 0 or len(on) >= 2}
    levels = {fold(level.value) for level in Level}
    stamp_kept, kept_pages = False, []
    for number, (page, at_edge) in enumerate(zip(lines, edges), 1):
        drop = set()
        for at in at_edge:
            found = page_number(page[at].strip())
            if found and found[0] - number in numbering and (not found[1] or found[1] >= len(pages)):
                drop.add(at)
            elif re.sub(r"\d+", "#", clean_line(page[at])) in running:
                if fold(page[at]).strip(" []()*") in levels and not stamp_kept:
                    stamp_kept = True
                    continue
                drop.add(at)
        kept_pages.append("\n".join(line for at, line in enumerate(page) if at not in drop))
    # a page's text ends with a line break: joined with another, a page break inside a sentence would read
    # as a blank line, which ends it (see continued_lines); one line break it is
    return [page.rstrip("\n") for page in kept_pages[:-1]] + kept_pages[-1:]


def _pdf_problem(error: Exception) -> str:
    """What a pypdf (or zlib) error says about a PDF, in words."""
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    if isinstance(error, LimitReachedError):
        return "nội dung nén giải ra quá lớn (nghi là bom nén)"
    if isinstance(error, FileNotDecryptedError):
        return "tệp được mã hóa theo cách chưa mở được"
    if isinstance(error, NotImplementedError):  # pypdf: a stream filter it does not know
        return "dùng kiểu nén chưa được hỗ trợ"
    if isinstance(error, zlib.error):
        return "luồng nén bị hỏng"
    return "cấu trúc tệp bị hỏng"


# --------------------------------------------------------------------------- html


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "td", "th"}
    SKIP = {"script", "style", "noscript", "head", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
