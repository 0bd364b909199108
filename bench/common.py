"""Helpers shared by the bench scripts."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
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
