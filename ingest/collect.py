"""Which files a list of paths stands for: one rule for `cancu ingest` and `cancu check`.

A file named explicitly is always taken, whatever its suffix (the reader then says
what is wrong with it). A folder gives, sorted, recursively or not, its files with
one of the wanted suffixes, and also whatever it holds that is not a regular file
(FIFOs, devices, broken links, sub-folders that cannot be listed), so that reading
them reports why instead of skipping them silently; lock files of word processors
("~$du-thao.docx"), hidden files and hidden folders (".git") are left out
(``readers.walk_folder``, the reading boundary's folder walk).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .readers import is_special, walk_folder


def collect_files(paths: Iterable[str | Path], suffixes: frozenset[str] | set[str], *,
                  recursive: bool = True) -> list[Path]:
    """Files named in ``paths``, and the files of named folders with a suffix in ``suffixes``, in order;
    a file named twice (itself and in its folder) is listed once, where it first appears."""
    suffixes = {suffix.lower() for suffix in suffixes}
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(child for child in walk_folder(path, recursive=recursive)
                         if is_special(child) or child.suffix.lower() in suffixes)
        else:
            found.append(path)
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())
