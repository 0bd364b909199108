"""Turn the files agencies exchange (.txt, .docx, .html, .pdf) into plain text lines.

Both the ingest of decisions and the checking of drafts read files here. Text is
returned to the caller and never written anywhere.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from .errors import SourceUnreadable
from .text import nfc

TEXT_SUFFIXES = {".txt", ".md"}
DOCX_SUFFIXES = {".docx"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


def read_document(path: str | Path, *, guess_encoding: bool = False) -> str:
    """The text of a .txt, .docx, .html or .pdf file, NFC-normalised.

    ``guess_encoding`` lets a .txt that is not UTF-8 be read as Windows-1258
    (drafts); the knowledge base insists on UTF-8 so that law text is never
    silently mis-decoded. Raises SourceUnreadable with the reason in Vietnamese.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceUnreadable(path, f"không mở được ({error.strerror or error})") from None
    if not data.strip():
        raise SourceUnreadable(path, "tệp rỗng")
    if suffix in DOCX_SUFFIXES:
        text = _docx_text(path)
    elif suffix in PDF_SUFFIXES:
        text = _pdf_text(path)
    elif suffix in HTML_SUFFIXES:
        text = html_to_text(decode_bytes(data, path, guess_encoding=True))
    elif suffix in TEXT_SUFFIXES or suffix == "":
        text = decode_bytes(data, path, guess_encoding=guess_encoding)
    else:
        raise SourceUnreadable(path, f"định dạng '{suffix}' chưa được hỗ trợ (dùng .txt, .docx, .html, .pdf)")
    text = nfc(text)
    if not text.strip():
        raise SourceUnreadable(path, "không có nội dung chữ")
    _refuse_legacy_encoding(text, path)
    return text


def decode_bytes(data: bytes, path: str | Path, *, guess_encoding: bool) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 if allowed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path)
    if b"\x00" in data:
        if _looks_like_bomless_utf16(data):
            return _decode(data, "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be", path)
        raise SourceUnreadable(path, "tệp nhị phân, không phải văn bản")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if guess_encoding:
            return data.decode("cp1258", errors="replace")
        line = data[: error.start].count(b"\n") + 1
        raise SourceUnreadable(
            path, f"không phải mã UTF-8 (byte 0x{data[error.start]:02x} ở dòng {line}); hãy lưu lại tệp dưới dạng UTF-8"
        ) from None


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


# Latin-1 characters that never occur in Vietnamese but fill text typed in the legacy
# TCVN3 (.Vn fonts) or VNI encodings once it is read as Unicode: "Céng hoµ x· héi",
# "Coäng hoøa xaõ hoäi".
_LEGACY = set("µ¸¶·¹¨»¾¼½Æ©Ç®ÎÏÑªÖ×ØÜÞ«ß¬åæç\xadñëîïö¦øûüä")
_VIETNAMESE = re.compile("[đĐ\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]")


def _refuse_legacy_encoding(text: str, path: str | Path) -> None:
    """Refuse text typed in a pre-Unicode Vietnamese font encoding rather than misread it."""
    sample = text[:20000]
    vietnamese = len(_VIETNAMESE.findall(unicodedata.normalize("NFD", sample)))
    legacy = sum(1 for ch in sample if ch in _LEGACY)
    if legacy >= 8 and legacy > vietnamese:
        raise SourceUnreadable(
            path, "văn bản gõ bằng bảng mã cũ (TCVN3/.VnTime hoặc VNI), chưa chuyển được sang Unicode; "
            "hãy chuyển mã sang Unicode (ví dụ bằng Unikey) rồi kiểm tra lại",
        )


# --------------------------------------------------------------------------- docx


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _docx_body(path: Path):
    """The w:body element of a .docx's main part.

    Reads the main part straight from the zip with lxml (about 0.2 ms) instead of
    opening the whole package with python-docx (about 9 ms): a batch of drafts
    spends most of its reading time here.
    """
    from lxml import etree
    from docx.oxml.ns import qn

    try:
        with zipfile.ZipFile(path) as package:
            relationships = etree.fromstring(package.read("_rels/.rels"))
            target = next((r.get("Target") for r in relationships if r.get("Type") == _OFFICE_DOCUMENT), None)
            if not target:
                raise KeyError("officeDocument")
            root = etree.fromstring(package.read(target.lstrip("/")))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as error:
        raise SourceUnreadable(path, f"không phải tệp .docx hợp lệ ({error.__class__.__name__})") from None
    body = root.find(qn("w:body"))
    if body is None:
        raise SourceUnreadable(path, "không phải tệp .docx hợp lệ (không có phần thân văn bản)")
    return body


def _docx_text(path: Path) -> str:
    """Paragraphs and table cells of a .docx in document order."""
    from docx.oxml.ns import qn  # python-docx; imported here so plain-text work does not pay for it

    lines: list[str] = []
    for block in _docx_body(path).iterchildren():
        if block.tag == qn("w:p"):
            lines.append(_docx_paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                for cell in row.iter(qn("w:tc")):
                    lines.extend(_docx_paragraph_text(p) for p in cell.iter(qn("w:p")))
    return "\n".join(lines)


def _docx_paragraph_text(paragraph) -> str:
    from docx.oxml.ns import qn

    parts = []
    for node in paragraph.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


# --------------------------------------------------------------------------- pdf


def _pdf_text(path: Path) -> str:
    """Text layer of a PDF; an encrypted or scanned PDF is refused with the reason."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # pypdf raises several types for unsupported ciphers
                opened = 0
            if not opened:
                raise SourceUnreadable(path, "PDF được mã hóa bằng mật khẩu")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as error:
        raise SourceUnreadable(path, f"PDF hỏng hoặc không hợp lệ ({error})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise SourceUnreadable(path, "PDF không có lớp chữ (bản quét ảnh?); cần bản PDF có chữ hoặc .docx")
    return text


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
