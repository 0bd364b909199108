"""Named errors of the ingest package; their str() is the Vietnamese message."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """Base class: a source could not be turned into knowledge-base rows."""


class SourceUnreadable(IngestError):
    """The file cannot be read as text (binary, wrong encoding, encrypted, empty…).

    ``reason`` is plain Vietnamese for the user; ``detail`` names what the library
    raised (exception class, errno, its first line of text) for logs and tests, and
    is never part of the message.
    """

    def __init__(self, path: str | Path, reason: str, detail: str = ""):
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{self.path}: không đọc được tệp: {reason}")


class ParseError(IngestError):
    """The text was read but does not have the shape of a catalog decision."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, dòng {line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class KnowledgeBaseUnusable(IngestError):
    """The knowledge-base file cannot be used: damaged, not cancu's, or from an older schema."""

    def __init__(self, path: str | Path, reason: str, hint: str = ""):
        self.path = str(path)
        self.reason = reason
        hint = hint or "chạy lại `cancu ingest` (với --db nếu dùng tệp riêng) để dựng lại"
        super().__init__(f"{self.path}: {reason}; {hint}")
