"""Which files a list of paths stands for: one rule for `cancu ingest` and `cancu check`.

A file named explicitly is always taken, whatever its suffix (the reader then says
what is wrong with it). A folder gives its files with one of the wanted suffixes,
sorted, recursively or not; lock files of word processors ("~$du-thao.docx"),
hidden files and files inside hidden folders (".git") are never taken from a folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable


def _wanted(child: Path, folder: Path, suffixes: frozenset[str] | set[str]) -> bool:
    if not child.is_file() or child.suffix.lower() not in suffixes:
        return False
    if child.name.startswith(("~$", ".")):
        return False
    return not any(part.startswith(".") for part in child.relative_to(folder).parts[:-1])


def collect_files(paths: Iterable[str | Path], suffixes: frozenset[str] | set[str], *,
                  recursive: bool = True) -> list[Path]:
    """Files named in ``paths``, and the files of named folders with a suffix in ``suffixes``, in order."""
    suffixes = {suffix.lower() for suffix in suffixes}
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            children = path.rglob("*") if recursive else path.iterdir()
            found.extend(sorted(child for child in children if _wanted(child, path, suffixes)))
        else:
            found.append(path)
    return found
