"""Named errors of the ingest package; their str() is the Vietnamese message."""

from __future__ import annotations

import errno
from pathlib import Path

# Why the system refused a file, in words: the system's own text (strerror) is English.
_READ_REASONS = {
    errno.ENOENT: "tệp không tồn tại hoặc là liên kết hỏng", errno.EACCES: "không có quyền đọc",
    errno.EPERM: "không có quyền đọc", errno.EISDIR: "đó là thư mục", errno.ELOOP: "liên kết vòng",
    errno.ENAMETOOLONG: "tên tệp quá dài", errno.EIO: "lỗi đọc đĩa", errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "mở quá nhiều tệp cùng lúc", errno.ENOMEM: "không đủ bộ nhớ",
}
_WRITE_REASONS = {
    errno.ENOENT: "thư mục chứa tệp không tồn tại", errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi", errno.EISDIR: "đó là một thư mục", errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ đọc", errno.ENAMETOOLONG: "tên tệp quá dài", errno.EIO: "lỗi ghi đĩa",
}


def system_reason(error: OSError, *, writing: bool = False) -> str:
    """The system's refusal in Vietnamese words, for reading or for writing (one map for every command)."""
    reasons = _WRITE_REASONS if writing else _READ_REASONS
    fallback = "hệ điều hành báo lỗi khi ghi" if writing else "hệ điều hành báo lỗi khi đọc"
    code = errno.errorcode.get(error.errno or 0)
    return reasons.get(error.errno, f"{fallback} ({code})" if code else fallback)


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
