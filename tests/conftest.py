"""Shared fixtures: a knowledge base built by the real ingest from the shipped data."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from cancu.classifier import load_kb
from cancu.ingest.build import build_kb

from kb_citations import without_diacritics

DATA = Path(__file__).parent / "data"
MAIL = ("Từ: Văn thư <vanthu@so.gov.vn>\nGửi lúc: Thứ Hai, 14/10/2024 09:12\nĐến: Lãnh đạo Sở\n"
        "Tiêu đề: Fw: Dự thảo xin ý kiến\n\n-------- Thư chuyển tiếp --------\n")  # an e-mail's own header


def wrapped_and_quoted(text: str, width: int = 60) -> str:
    """Hard-wrapped mid-sentence (as a PDF text layer or a mail client does) and "> " quoted."""
    wrapped = "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n"))
    return "\n".join("> " + line for line in wrapped.split("\n"))


REPLY_NOTES = (  # the sender's note, then the line a mail client writes above the message a reply quotes
    "Kính gửi anh Hùng,\nEm gửi anh dự thảo dưới đây, anh cho ý kiến giúp em ạ.\nTrân trọng,\nLan\n\n"
    "Vào Th 2, 14 thg 10, 2024 vào lúc 09:12 Phòng Tổng hợp <tonghop@so.gov.vn> đã viết:\n",
    "Anh xem giúp em.\n\n-----Original Message-----\nFrom: Tong hop <tonghop@so.gov.vn>\n"
    "Sent: Monday, October 14, 2024 9:12 AM\nTo: Lanh dao So\nSubject: Du thao\n\n",
)


def replied(text: str, note: int = 0) -> str:
    """The draft quoted ("> ") in a reply, under the sender's note and the mail client's line above it."""
    return REPLY_NOTES[note] + "\n".join("> " + line for line in text.split("\n"))


def partly_stripped(text: str, parity: int) -> str:
    """Every other non-empty line typed without diacritics (the first such line when ``parity`` is 0)."""
    lines = text.split("\n")
    bare = {n for k, n in enumerate(n for n, line in enumerate(lines) if line.strip()) if k % 2 == parity}
    return "\n".join(without_diacritics(line) if n in bare else line for n, line in enumerate(lines))


def tab_cells(text: str) -> str:
    """Copied from a Word or Excel table: a list line's number, and the header's two columns, in tab cells."""
    text = re.sub(r"(?m)^(\d+[.)]|[-+]) +", "\\1\t", text)
    return re.sub(r"(?<=\S) {8,}(?=\S)", "\t", text)


SPEAKER = "Ông Nguyễn Văn An (Phó Giám đốc): "


def speaker_turns(text: str) -> str:
    """Minutes: each sentence line of ten words or more that is not a basis ("Căn cứ …") said by a speaker,
    before the sentence or on a line of its own above it, in turn."""
    lines, turn = [], 0
    for line in text.split("\n"):
        if len(line.split()) >= 10 and line.rstrip()[-1:] in ".;" and not line.startswith(("Căn cứ", "Kính gửi")):
            line = (SPEAKER if turn % 2 == 0 else "Bà Trần Thị Bình - Trưởng phòng Tổng hợp:\n") + line
            turn += 1
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    """The whole shipped knowledge base, built once per test session."""
    db_path = tmp_path_factory.mktemp("kb") / "cancu.db"
    build_kb(db_path)
    return db_path


@pytest.fixture(scope="session")
def kb(kb_path):
    return load_kb(kb_path)


@pytest.fixture(scope="session")
def dev_drafts() -> dict[str, dict]:
    """The labelled development drafts, by id (copy in tests/data/eval)."""
    lines = (DATA / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return {draft["id"]: draft for draft in map(json.loads, filter(None, lines))}


@pytest.fixture(scope="session")
def reviewing_model():
    """The shipped model with a "cần xem xét" band below its acceptance threshold, whatever width
    the fitting chose (it may choose none): tests of the band must not depend on the fit."""
    import dataclasses

    from cancu.classifier.decision import load_model

    shipped = load_model()
    return dataclasses.replace(shipped, review=round(shipped.accept / 2, 3))
