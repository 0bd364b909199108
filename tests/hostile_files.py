"""Hostile and damaged files, built byte by byte: shared by tests/test_hostile.py and bench/hostile.py.

Each maker writes a file that once escaped the reading boundary or exhausted the
machine (issue 10): a .docx whose compressed stream is damaged, one that declares
more than it may inflate, one of endless tiny paragraphs, PDFs with an unknown
filter or a compression bomb, text with a stray byte or two encodings, a YAML
header with an alias bomb.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(lines: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{paragraphs}</w:body></w:document>'.encode()


def make_docx(path: Path, text: str) -> Path:
    """A minimal .docx (relationships + main part), enough for cancu's reader."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document_xml(text.splitlines()))
    return path


def _member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """(offset, length) of a member's compressed bytes in a zip."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        info = package.getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def damage_docx(path: Path, text: str) -> Path:
    """A .docx whose main part's deflate stream is overwritten in the middle (zlib.error or bad CRC)."""
    make_docx(path, text)
    data = bytearray(path.read_bytes())
    offset, length = _member_data_offset(bytes(data), "word/document.xml")
    middle = offset + length // 3
    data[middle: middle + 24] = b"\xff\x00\xfe\x01" * 6
    path.write_bytes(bytes(data))
    return path


def declare_size(path: Path, text: str, declared: int) -> Path:
    """A small .docx whose central directory says the main part inflates to ``declared`` bytes."""
    make_docx(path, text)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[central + 24: central + 28] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))
    return path


def make_paragraph_bomb(path: Path, size: int) -> Path:
    """A .docx whose main part inflates to about ``size`` bytes of empty paragraphs (from a few hundred KB)."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    tail = b"</w:body></w:document>"
    block = b"<w:p/>" * ((1 << 20) // 6)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts, crc, inflated = [compressor.compress(head)], zlib.crc32(head), len(head)
    for _ in range(max(1, size // len(block))):
        parts.append(compressor.compress(block))
        crc, inflated = zlib.crc32(block, crc), inflated + len(block)
    parts += [compressor.compress(tail), compressor.flush()]
    crc, inflated = zlib.crc32(tail, crc), inflated + len(tail)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", RELS)
    # The bomb member is written by hand: zipfile would hold it inflated in memory.
    _append_member(path, "word/document.xml", b"".join(parts), crc, inflated)
    return path


def _append_member(path: Path, name: str, compressed: bytes, crc: int, size: int) -> None:
    """Rewrite the zip at ``path`` with one more deflated member given as raw bytes."""
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info.filename)) for info in package.infolist()]
    entries, central, body = [], b"", b""
    for info, content in members:
        deflated = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = deflated.compress(content) + deflated.flush()
        entries.append((info.filename.encode(), raw, zlib.crc32(content), len(content)))
    entries.append((name.encode(), compressed, crc, size))
    for filename, raw, member_crc, member_size in entries:
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, member_crc, len(raw), member_size,
                            len(filename), 0) + filename + raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, member_crc, len(raw),
                               member_size, len(filename), 0, 0, 0, 0, 0, offset) + filename
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    path.write_bytes(body + central + end)


def make_pdf(path: Path, content: bytes, filters: str = "") -> Path:
    """A one-page PDF whose page content stream is ``content`` with the /Filter given (xref computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)}{' /Filter ' + filters if filters else ''} >>\nstream\n".encode() + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def pdf_unknown_filter(path: Path) -> Path:
    return make_pdf(path, b"BT /F1 12 Tf 72 720 Td (De thi) Tj ET", "/FooDecode")


def pdf_bomb(path: Path, size: int) -> Path:
    """A PDF whose content stream inflates to ``size`` bytes of spaces."""
    return make_pdf(path, zlib.compress(b" " * size, 9), "/FlateDecode")


def with_stray_byte(text: str) -> bytes:
    """UTF-8 text with one 0xFF byte after its fifth line, as a damaged copy has."""
    data = text.encode("utf-8")
    cut = [i for i, byte in enumerate(data) if byte == 0x0A][4]
    return data[:cut] + b" \xff" + data[cut:]


def mixed_encoding(utf8_text: str, cp1258_text: str) -> bytes:
    """A file whose first part is UTF-8 and whose appended part was typed in Windows-1258."""
    from unicodedata import normalize

    legacy = bytearray()
    for ch in cp1258_text:
        try:
            legacy += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = normalize("NFD", ch)
            shape = "".join(m for m in decomposed[1:] if m in "\u0302\u0306\u031b")
            tones = "".join(m for m in decomposed[1:] if m not in shape)
            legacy += normalize("NFC", decomposed[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return utf8_text.encode("utf-8") + b"\n" + bytes(legacy)


def alias_bomb_header(levels: int = 9) -> str:
    """A decision header whose YAML aliases expand 10^levels times (the "billion laughs" shape)."""
    lines = ['---', 'number: "999/QĐ-TTg"', 'a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines += ["---", "Điều 1. Bí mật nhà nước độ Mật gồm:", "1. Thông tin thử."]
    return "\n".join(lines) + "\n"
