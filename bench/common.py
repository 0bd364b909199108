"""Helpers shared by the bench scripts."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON Lines file, skipping blank lines."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


MAIL_HEADER = ("Từ: Văn thư <vanthu@so.gov.vn>\nGửi lúc: Thứ Hai, 14/10/2024 09:12\nĐến: Lãnh đạo Sở\n"
               "Tiêu đề: Fw: Dự thảo văn bản gửi xin ý kiến\n\n-------- Thư chuyển tiếp --------\n")


def as_forwarded(text: str, width: int = 60) -> str:
    """The draft as a forwarded e-mail gives it: the e-mail's own header, then the draft with its
    lines hard-wrapped at ``width`` characters in the middle of sentences (as a PDF text layer or a
    mail client does), each quoted with "> "."""
    wrapped = "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n"))
    return MAIL_HEADER + "\n".join("> " + line for line in wrapped.split("\n"))


REPLY_NOTE = ("Kính gửi anh Hùng,\nEm gửi anh bản dự thảo dưới đây, anh cho ý kiến giúp em trước thứ Sáu ạ.\n"
              "Trân trọng,\nLan\n\nVào Th 2, 14 thg 10, 2024 vào lúc 09:12 Phòng Tổng hợp <tonghop@so.gov.vn> "
              "đã viết:\n")


def as_replied(text: str) -> str:
    """The draft as a reply carries it: the sender's short note on top, the line a mail client writes
    above the message it quotes ("… đã viết:"), then the draft with each line quoted with "> "."""
    return REPLY_NOTE + "\n".join("> " + line for line in text.split("\n"))


_LIST_LINE = re.compile(r"^\s*(\d+[.)]|[-+•]|[a-zđ]\))\s+(.*)$")
_CELL_BREAK = re.compile(r"[;:,]\s+")


def as_table(text: str) -> str:
    """The draft as a table export gives it: each numbered or dashed line a row of "|" cells,
    its first two "," ";" ":" starting new cells ("| 1 | Đề thi | chưa công bố |")."""
    rows = []
    for line in text.split("\n"):
        item = _LIST_LINE.match(line)
        if item:
            line = f"| {item.group(1)} | {_CELL_BREAK.sub(' | ', item.group(2), count=2)} |"
        rows.append(line)
    return "\n".join(rows)


_CELL_GAP = re.compile(r"(?<=\S)[ \u00a0]{8,}(?=\S)")  # the gap between the two columns of a header or signature


def as_tab_table(text: str) -> str:
    """The draft as copying a Word or Excel table gives it: cells separated by tabs. Each numbered
    or dashed line is a row (its number, then its first two "," ";" ":" starting new cells, as in
    ``as_table``), and the two columns of the header and signature blocks are one row of two cells."""
    rows = []
    for line in text.split("\n"):
        item = _LIST_LINE.match(line)
        if item:
            line = item.group(1) + "\t" + _CELL_BREAK.sub("\t", item.group(2), count=2)
        rows.append(_CELL_GAP.sub("\t", line))
    return "\n".join(rows)


# Who speaks in a meeting: a person and a post that name no field of the catalog.
SPEAKERS = (("Ông Nguyễn Văn An", "Phó Giám đốc"), ("Bà Trần Thị Bình", "Trưởng phòng Tổng hợp"),
            ("Đ/c Lê Văn Cường", "Chánh Văn phòng"))
_TURN_STYLES = ("{name} ({post}): ", "{name} - {post}:\n", "{name}, {post}, phát biểu: ", "Đồng chí {post}: ")
_LABEL = re.compile(r"\W*\w+(?:\s+\w+){0,4}\s*:")  # "Thời gian:", "Thành phần:", "Kính gửi:", "Số:"
# the lines of the document's frame, said by no one: its basis, addressees, opening ("Hôm nay, …", "Hồi 14 giờ …")
_NOT_SPOKEN = re.compile(r"\W*(?:căn cứ|kính gửi|hôm nay|nơi nhận|(?:vào\s+)?(?:hồi|lúc)\s+\d)", re.IGNORECASE)


def as_minutes(text: str) -> str:
    """The draft as meeting minutes (biên bản) write it: each sentence line of the body said by a
    speaker, in turn: "Ông X (chức vụ): …" before the sentence, "Bà Y - chức vụ:" on a line of its own
    above it, "Đ/c Z, chức vụ, phát biểu: …", or "Đồng chí chức vụ: …"; a numbered line keeps its number
    first ("2. Bà Y - …"). A sentence line has ten words or more and ends with ". ; : ! ?" (not "…");
    a "Label: …" line and the document's frame ("Căn cứ …", "Kính gửi", "Hôm nay, …", "Hồi 14 giờ …")
    are said by no one."""
    lines, turn = [], 0
    for line in text.split("\n"):
        body = line.rstrip().removesuffix("/.")
        if (len(line.split()) >= 10 and body[-1:] in ".;:!?" and not body.endswith(("..", "…"))
                and not _LABEL.match(line) and not _NOT_SPOKEN.match(line)):
            name, post = SPEAKERS[turn % len(SPEAKERS)]
            said = _TURN_STYLES[turn % len(_TURN_STYLES)].format(name=name, post=post)
            item = _LIST_LINE.match(line)
            line = f"{item.group(1)} {said}{item.group(2)}" if item else said + line.lstrip()
            turn += 1
        lines.append(line)
    return "\n".join(lines)


def as_one_line(text: str) -> str:
    """The draft with its line breaks lost, each a space: what a web form's one-line field, some PDF
    viewers' copy and one of the 36 real pool documents give."""
    return text.replace("\n", " ")


def without_diacritics(text: str) -> str:
    """The text as typed without diacritics (case kept, đ→d): what drafters on some keyboards send."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text)
                                                if not unicodedata.combining(ch)))


def as_partly_stripped(text: str, every_other: bool = False) -> str:
    """The draft partly typed without diacritics. By default the header block of the template stays
    accented (the lines before the first sentence of ten words or more ending with ". ; : ! ?") and
    the body typed after it is stripped; with ``every_other``, every second non-empty line is stripped
    (text pasted from accented sources between lines typed without diacritics)."""
    lines = text.split("\n")
    if every_other:
        written = [n for n, line in enumerate(lines) if line.strip()]
        stripped = set(written[1::2])
    else:
        body = next((n for n, line in enumerate(lines) if len(line.split()) >= 10
                     and line.rstrip().removesuffix("/.")[-1:] in ".;:!?"), len(lines))
        stripped = set(range(body, len(lines)))
    return "\n".join(without_diacritics(line) if n in stripped else line for n, line in enumerate(lines))


_WORDS = re.compile(r"\w+")


def as_words_stripped(text: str, share: float = 0.3) -> str:
    """The draft with some words typed without diacritics inside accented sentences (a drafter who skips
    the marks now and then): each word is stripped when a hash of the word and its offset falls in
    ``share``; deterministic, and the same word is stripped in some places and not in others."""
    def strip(match: re.Match) -> str:
        word = match.group()
        return without_diacritics(word) if zlib.crc32(f"{match.start()}:{word}".encode()) % 1000 < share * 1000 else word
    return _WORDS.sub(strip, text)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, for a `cancu serve` the script starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ingest_in_child(db: Path) -> None:
    """Build the KB at ``db`` with `cancu ingest` in a child process.

    The measuring process then holds only what classification needs: an in-process
    build leaves the ingest's heap behind, and the first timed pass pays for it in
    garbage collection.
    """
    subprocess.run([str(Path(sys.executable).with_name("cancu")), "ingest", "--db", str(db)],
                   check=True, capture_output=True)


def stop_server(server: subprocess.Popen) -> None:
    """Stop a `cancu serve` the script started: politely, then by force after 10 s, and reap it."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def knowledge_base(db: Path | None) -> Iterator[Path]:
    """``db`` when the user gave one (--db), else the shipped KB built by ``ingest_in_child``
    into a temporary folder that is removed afterwards."""
    if db is not None:
        yield db
        return
    with tempfile.TemporaryDirectory() as folder:
        built = Path(folder) / "cancu.db"
        ingest_in_child(built)
        yield built
