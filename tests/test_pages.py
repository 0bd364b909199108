"""Page furniture of PDF text layers: a running header or footer and a page number on every page read as
nothing, in a real multi-page PDF (built here with pypdf) and in text copied from one.

The same draft printed on pages is the same draft: `classify` reads the same date and level, `cancu check`
the same stamp, date and basis; and a lone number that is not one of a run of page numbers (a table's cell)
is read as written.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def make_pages_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of several pages, each with its lines in a Unicode text layer (Type0 font, Identity-H,
    ToUnicode map), built with pypdf as tests/test_check.py builds a one-page one."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    code = {ch: index + 1 for index, ch in enumerate(chars)}
    writer = PdfWriter()
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange", "<0000> <FFFF>",
            "endcodespacerange"]
    pairs = list(code.items())
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        cmap += [f"{len(chunk)} beginbfchar", *(f"<{c:04X}> <{ord(ch):04X}>" for ch, c in chunk), "endbfchar"]
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    to_unicode = DecodedStreamObject()
    to_unicode.set_data("\n".join(cmap).encode("ascii"))
    descendant = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/DejaVuSans"), NameObject("/DW"): NumberObject(500),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
    })
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/DejaVuSans"), NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        NameObject("/ToUnicode"): writer._add_object(to_unicode),
    }))
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        operators = ["BT", "/F1 9 Tf", "11 TL", "40 800 Td"]
        operators += ["<" + "".join(f"{code[ch]:04X}" for ch in line) + "> Tj T*" for line in lines]
        content = DecodedStreamObject()
        content.set_data("\n".join(operators + ["ET"]).encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path
