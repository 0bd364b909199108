"""The data files an officer may edit (rules.yml, terms.yml): where they are, and reading them safely.

``rules_paths`` lists the rules files in force: the shipped ``data/rules.yml``,
then an officer's own file named by ``$CANCU_RULES`` (``cancu … --rules FILE``
sets it), which is applied on top (see the header of data/rules.yml). The shipped
one and terms.yml are part of the knowledge base's freshness fingerprint; the
officer's file is not (nothing in the KB is built from it: see
``cancu.ingest.build.freshness_sources``).

A mistake in one of these files is a DataFileError: one line naming the file, the
entry and what is wrong, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import IngestError, system_reason

# libyaml's parser where PyYAML was built with it: the same safe constructor and resolver,
# so the same values, several times faster than the pure-Python parser that took 75% of ingest.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RULES_ENV = "CANCU_RULES"


class DataFileError(IngestError):
    """An editable data file is wrong; str() is one Vietnamese line: file, entry, what is wrong."""

    what = "tệp dữ liệu không hợp lệ"

    def __init__(self, path: str | Path, reason: str, entry: str | None = None):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the reason held
        self.entry = entry
        where = f"{self.path}, {entry}" if entry else self.path
        super().__init__(f"{where}: {self.what}: {self.reason}")

    def __reduce__(self):
        """Rebuilt from its fields, so that a worker process can send it back to the batch."""
        return (type(self), (self.path, self.reason, self.entry))


def officer_rules_paths() -> list[Path]:
    """The officer's own rules files from $CANCU_RULES (several joined by the path separator)."""
    value = os.environ.get(RULES_ENV, "").strip()
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def rules_paths(data_dir: Path) -> list[Path]:
    """The rules files in force, in the order they apply: the shipped one, then the officer's."""
    return [data_dir / "rules.yml", *officer_rules_paths()]


# What libyaml reports, in the words an officer editing the file needs; anything else is quoted as is.
_YAML_PROBLEMS = {
    "did not find expected ',' or ']'": "thiếu dấu ',' hoặc ']' (danh sách [ … ] chưa đóng?)",
    "did not find expected ',' or '}'": "thiếu dấu ',' hoặc '}' (bảng { … } chưa đóng?)",
    "found character that cannot start any token": "có ký tự không dùng được ở đầu giá trị (dấu tab? hãy thụt lề bằng dấu cách)",
    "mapping values are not allowed in this context": "dấu ':' đặt sai chỗ (chuỗi có dấu ':' phải đặt trong ngoặc kép)",
    "mapping values are not allowed here": "dấu ':' đặt sai chỗ (chuỗi có dấu ':' phải đặt trong ngoặc kép)",
    "found unexpected end of stream": "tệp hết giữa chừng (thiếu dấu ngoặc kép đóng?)",
    "did not find expected key": "thụt lề sai (các mục cùng cấp phải thẳng hàng)",
    "found undefined alias": "dấu '*' ở đầu giá trị (đặt giá trị trong ngoặc kép)",
    "did not find expected node content": "thiếu giá trị",
    "could not find expected ':'": "thiếu dấu ':' sau tên khóa",
    "did not find expected '-' indicator": "thụt lề sai trong danh sách '- …'",
}


def yaml_problem(failure: yaml.YAMLError) -> str:
    """What a YAML mistake is, in Vietnamese when libyaml's words are known (else quoted as is)."""
    problem = getattr(failure, "problem", None) or str(failure).splitlines()[0]
    return _YAML_PROBLEMS.get(problem, problem)


def load_yaml(path: Path, error: type[DataFileError] = DataFileError):
    """The parsed YAML of ``path``; an unreadable file or a YAML mistake raises ``error`` (one line, with the line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(path, "không có tệp này") from None
    except UnicodeDecodeError:
        raise error(path, "tệp không phải văn bản UTF-8") from None
    except OSError as failure:
        raise error(path, f"không đọc được tệp: {system_reason(failure)}") from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else None
        raise error(path, f"viết sai cú pháp YAML: {yaml_problem(failure)}", where) from None
