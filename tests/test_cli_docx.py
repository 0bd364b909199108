"""Drafts made from agency templates: Word keeps whole blocks inside content controls (w:sdt).

A template's fields (stamp, number, subject) or a pasted section often sit in a
block-level content control; its paragraphs and tables are part of the draft and
must be read like any other, or a stamped secret draft looks unstamped.
"""

from __future__ import annotations

import json

import docx
from click.testing import CliRunner
from docx.oxml.ns import qn
from lxml import etree

from cancu.cli import cli

from test_check import DEV


def wrap_in_content_control(document, elements) -> None:
    """Move ``elements`` (paragraphs, tables) into one block-level content control, where they stood."""
    body = document.element.body
    sdt = etree.Element(qn("w:sdt"))
    properties = etree.SubElement(sdt, qn("w:sdtPr"))
    etree.SubElement(properties, qn("w:alias")).set(qn("w:val"), "Nội dung")
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    elements[0].addprevious(sdt)
    for element in elements:
        content.append(element)


def test_a_draft_inside_content_controls_is_checked_like_the_same_draft_in_plain_paragraphs(kb_path, tmp_path):
    text = DEV["dc-001"]["text"]
    plain, templated = tmp_path / "thuong.docx", tmp_path / "mau.docx"
    for path in (plain, templated):
        document = docx.Document()
        paragraphs = [document.add_paragraph(line)._p for line in text.splitlines()]
        if path == templated:
            wrap_in_content_control(document, paragraphs[:6])  # the header: stamp, number, date, title
            wrap_in_content_control(document, paragraphs[6:])  # the body, with the stated basis
        document.save(path)
    result = CliRunner().invoke(cli, ["check", str(plain), str(templated), "--db", str(kb_path), "--format", "json"],
                                catch_exceptions=False)
    expected, got = json.loads(result.stdout)
    assert expected["stamp"] and expected["basis"]
    for key in ("stamp", "date", "basis", "level", "findings"):
        assert got[key] == expected[key], key


def test_a_table_inside_a_table_cell_is_read_once(kb_path, tmp_path):
    """Header tables nest (agency | motto, the stamp in an inner cell): each cell's text is read once."""
    text = DEV["dc-001"]["text"]
    lines = text.splitlines()
    nested, plain = tmp_path / "long-bang.docx", tmp_path / "thuong.docx"
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    left, right = outer.rows[0].cells
    left.text = lines[0]
    inner = left.add_table(rows=2, cols=1)
    inner.rows[0].cells[0].text = lines[1]
    inner.rows[1].cells[0].text = lines[2]  # the stamp
    right.text = lines[3]
    for line in lines[4:]:
        document.add_paragraph(line)
    document.save(nested)
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(plain)
    from cancu.ingest.readers import read_file

    read = read_file(nested).text
    for line in lines[:4]:
        assert read.count(line) == text.count(line), line
    result = CliRunner().invoke(cli, ["check", str(plain), str(nested), "--db", str(kb_path), "--format", "json"],
                                catch_exceptions=False)
    expected, got = json.loads(result.stdout)
    assert (got["stamp"], got["basis"], got["findings"]) == (expected["stamp"], expected["basis"], expected["findings"])


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
VML = "urn:schemas-microsoft-com:vml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def text_box_run(text: str):
    """A run holding a text box as Word saves it: the drawing, then the same box again as VML for old readers."""
    from xml.sax.saxutils import escape

    box = f"<w:txbxContent><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:txbxContent>"
    return etree.fromstring(
        f'<w:r xmlns:w="{W}" xmlns:mc="{MC}" xmlns:wps="{WPS}" xmlns:v="{VML}"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>')


def test_a_stamp_in_a_text_box_is_read_once_on_a_line_of_its_own(kb_path, tmp_path):
    lines = DEV["dc-001"]["text"].splitlines()
    stamp = lines[2]
    assert stamp == "TỐI MẬT"
    boxed, plain = tmp_path / "dau-trong-khung.docx", tmp_path / "thuong.docx"
    document = docx.Document()
    for index, line in enumerate(lines):
        if index == 2:
            continue
        paragraph = document.add_paragraph(line)
        if index == 3:  # the stamp's box is anchored to the line below it, as drafters place it
            paragraph._p.append(text_box_run(stamp))
    document.save(boxed)
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(plain)
    from cancu.ingest.readers import read_file

    assert read_file(boxed).text.count(stamp) == 1
    result = CliRunner().invoke(cli, ["check", str(plain), str(boxed), "--db", str(kb_path), "--format", "json"],
                                catch_exceptions=False)
    expected, got = json.loads(result.stdout)
    assert (got["stamp"], got["basis"], got["findings"]) == (expected["stamp"], expected["basis"], expected["findings"])


def test_a_password_protected_docx_is_called_so_not_damaged(kb_path, tmp_path):
    """Word saves a .docx with a password as an OLE compound file (EncryptedPackage), as it saves a .doc:
    the inspector must read "mật khẩu", not that the file is broken."""
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    locked = tmp_path / "co-mat-khau.docx"
    locked.write_bytes(ole + b"\x00" * 1024)
    result = CliRunner().invoke(cli, ["check", str(locked), "--db", str(kb_path), "--format", "json"],
                                catch_exceptions=False)
    (report,) = json.loads(result.stdout)
    assert report["findings"][0]["code"] == "unreadable"
    assert "mật khẩu" in report["error"] and "hỏng" not in report["error"]
