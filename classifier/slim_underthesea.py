"""Import only underthesea's ``text_normalize`` and ``word_tokenize``, not the whole package.

``import underthesea`` runs the package's ``__init__``, which imports chunking,
NER, POS tagging, classification, ``requests`` and more (0.2 s of a 0.4 s start)
although cancu uses two functions. underthesea has no import path that skips its
``__init__``: ``from underthesea.pipeline.word_tokenize import word_tokenize``
imports the parent package first. So ``load`` puts the package module object in
``sys.modules`` *without executing it* (``importlib.util.module_from_spec``), then
imports the three submodules the two functions need:

- ``underthesea.pipeline.text_normalize`` (its rules table, read with joblib);
- ``underthesea.pipeline.word_tokenize``;
- ``underthesea.models.fast_crf_sequence_tagger``, which ``word_tokenize`` imports
  lazily on first use (``from underthesea.models… import``): loading it here means
  that import finds it in ``sys.modules`` and never touches the parent again.

Its data files (the normaliser's rules, the segmenter's 72,000-word dictionary)
are plain pickles that ``joblib.load`` reads with Python's pure-Python unpickler;
while loading them here, ``joblib.load`` first tries the C unpickler and keeps its
result only when it is made of plain Python values (else, or for a compressed
file, joblib reads the file as usual). That saves about 0.1 s of every start.

The package module gets a PEP 562 ``__getattr__``: the first access to any other
name (``from underthesea import pos_tag``, anywhere in the process) executes the
real ``__init__`` into the same module object, so the full package still works
after a slim load. If underthesea was already imported whole, that is used as is.
tests/test_startup.py checks both paths give the same words.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import pickle
import sys
from typing import Callable, Iterator

PACKAGE = "underthesea"
_NEEDED = ("underthesea.pipeline.text_normalize", "underthesea.pipeline.word_tokenize",
           "underthesea.models.fast_crf_sequence_tagger")


def _complete_on_demand(package) -> None:
    """Let the first access to a name the slim load did not bring run the package's own __init__."""

    def __getattr__(name: str):
        del package.__dict__["__getattr__"]
        package.__spec__.loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = __getattr__


_PLAIN = (str, int, float, bool, type(None))


def _plain(value, depth: int = 0) -> bool:
    """True when ``value`` holds only built-in values (no object a joblib file would rebuild, such as an array)."""
    if isinstance(value, _PLAIN):
        return True
    if depth > 4:
        return False
    if isinstance(value, dict):
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_plain(item, depth + 1) for item in value)
    return False


@contextlib.contextmanager
def _fast_plain_pickles() -> Iterator[None]:
    """While underthesea loads its data, let joblib.load read plain pickles with the C unpickler."""
    import joblib

    original = joblib.load

    def load(filename, *args, **kwargs):
        if isinstance(filename, str) and not args and not kwargs:
            try:
                with open(filename, "rb") as handle:
                    value = pickle.load(handle)
                if _plain(value):
                    return value
            except Exception:  # not a plain pickle (compressed, numpy arrays…): joblib's own reader decides
                pass
        return original(filename, *args, **kwargs)

    joblib.load = load
    try:
        yield
    finally:
        joblib.load = original


def load() -> tuple[Callable, Callable]:
    """underthesea's (text_normalize, word_tokenize), importing only the submodules they use."""
    if PACKAGE not in sys.modules:
        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or spec.loader is None:
            raise ImportError("underthesea is not installed")
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        try:
            with _fast_plain_pickles():
                for name in _NEEDED:
                    importlib.import_module(name)
                # the segmenter loads its model on first use: load it now, with the fast reader
                importlib.import_module("underthesea.pipeline.word_tokenize").word_tokenize("khởi động")
        except BaseException:
            for name in [PACKAGE, *(n for n in sys.modules if n.startswith(PACKAGE + "."))]:
                sys.modules.pop(name, None)
            raise
        _complete_on_demand(package)
    text_normalize = importlib.import_module("underthesea.pipeline.text_normalize").text_normalize
    word_tokenize = importlib.import_module("underthesea.pipeline.word_tokenize").word_tokenize
    return text_normalize, word_tokenize
