"""Inverse tables of cancu.ingest.legacy, for round-trip tests: Unicode text typed into TCVN3 or VNI.

Built from the decoding tables themselves (not written twice), so a round trip checks that every
Vietnamese letter has exactly one legacy form and comes back as itself.
"""

from __future__ import annotations

import unicodedata

from cancu.ingest import legacy

# Letters of Vietnamese outside ASCII: 12 vowels with each tone, ă â ê ô ơ ư đ, in both cases (134).
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER_LETTERS = sorted({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} - set(VOWELS)
                       | set("ăâêôơưđ"))
VIETNAMESE_LETTERS = LOWER_LETTERS + [ch.upper() for ch in LOWER_LETTERS]

_TCVN3_ENCODING = {letter: chr(code) for code, letter in legacy.TCVN3_DECODING.items()}


def tcvn3_letter(ch: str) -> tuple[str, bool]:
    """(code, needs a capital font): VN3 prints a toned capital with its small letter's code."""
    if ch in _TCVN3_ENCODING:
        return _TCVN3_ENCODING[ch], False
    if ch.lower() in _TCVN3_ENCODING and ch != ch.lower():
        return _TCVN3_ENCODING[ch.lower()], True
    return ch, False


def to_tcvn3(text: str) -> str:
    """``text`` as a .VnTime/.VnTimeH document saved as plain text holds it."""
    return "".join(tcvn3_letter(ch)[0] for ch in unicodedata.normalize("NFC", text))


_VNI_SINGLE = {letter: code for code, letter in legacy._VNI_SINGLE_DECODING.items()}
_VNI_ACCENT = {marks: code for code, marks in legacy._VNI_ACCENTS.items() if code.islower()}


def vni_letter(ch: str) -> str:
    if ch in _VNI_SINGLE:
        return _VNI_SINGLE[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii():
        return ch
    horn = "\u031b" in marks
    if horn:
        base, marks = _VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")], marks.replace("\u031b", "")
    if not marks:
        return base
    shape = "".join(mark for mark in marks if mark in "\u0302\u0306")
    accent = _VNI_ACCENT[shape + marks.replace(shape, "")]  # the circumflex or breve first, then the tone
    return base + (accent.upper() if base.isupper() else accent)


def to_vni(text: str) -> str:
    """``text`` as a VNI-Times document holds it."""
    return "".join(vni_letter(ch) for ch in unicodedata.normalize("NFC", text))


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 holds it: a letter the code page lacks as its base and a tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            shape = "".join(mark for mark in decomposed[1:] if mark in "\u0302\u0306\u031b")
            tones = "".join(mark for mark in decomposed[1:] if mark not in shape)
            out += unicodedata.normalize("NFC", decomposed[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def without_diacritics(text: str) -> str:
    """``text`` as typed without any Vietnamese diacritic (đ as d)."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def tcvn3_runs(line: str) -> list[tuple[str, str]]:
    """(text, font) runs of ``line`` typed in TCVN3 as Word users do: the .VnTime font, and the capital
    font .VnTimeH for each capital letter with a tone, which VN3 prints with the small letter's code."""
    runs: list[tuple[str, str]] = []
    for ch in line:
        code, capital = tcvn3_letter(ch)
        font = ".VnTimeH" if capital else ".VnTime"
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + code, font)
        else:
            runs.append((code, font))
    return runs


def docx_bytes(paragraphs: list[list[tuple[str, str | None]]]) -> bytes:
    """A minimal .docx whose paragraphs are runs of (text, font name or None)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    from hostile_files import RELS, W

    def run(text: str, font: str | None) -> str:
        fonts = f"<w:rPr><w:rFonts w:ascii={quoteattr(font)} w:hAnsi={quoteattr(font)}/></w:rPr>" if font else ""
        return f'<w:r>{fonts}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    body = "".join("<w:p>" + "".join(run(text, font) for text, font in runs) + "</w:p>" for runs in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", xml.encode("utf-8"))
    return buffer.getvalue()
