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
are plain pickles that ``joblib.load`` reads with Python's pure-Python unpickler,
and importing joblib pulls loky, multiprocessing and asyncio. While these modules
import and the model loads, ``import joblib`` gives a stand-in whose ``load``
reads a file with the C unpickler and keeps the result only when it is made of
plain Python values; any other file, and any other joblib name, goes to the real
joblib, imported then. That saves about 0.15 s of every start.

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
import types
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


def _plain_pickle(filename: str):
    """The value of a plain pickle read with the C unpickler, or None when it is not one (joblib decides)."""
    try:
        with open(filename, "rb") as handle:
            value = pickle.load(handle)
    except Exception:  # compressed, or objects joblib rebuilds (numpy arrays…): not for this reader
        return None
    return value if _plain(value) and value is not None else None


def _real_joblib():
    """The real joblib, imported on first need (the stand-in leaves sys.modules first)."""
    if isinstance(sys.modules.get("joblib"), _JoblibStandIn):
        del sys.modules["joblib"]
    return importlib.import_module("joblib")


class _JoblibStandIn(types.ModuleType):
    """Stands in for joblib while underthesea's modules import and its model loads.

    They only call ``joblib.load`` on plain pickles, which the C unpickler reads;
    importing joblib itself (loky, multiprocessing, asyncio, ssl…) costs 0.05 s of
    every start. Anything else, and any file that is not a plain pickle, goes to the
    real joblib, imported then: the modules keep this object as their ``joblib``.
    """

    def __init__(self) -> None:
        super().__init__("joblib")

    def load(self, filename, *args, **kwargs):
        if isinstance(filename, str) and not args and not kwargs:
            value = _plain_pickle(filename)
            if value is not None:
                return value
        return _real_joblib().load(filename, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(_real_joblib(), name)


@contextlib.contextmanager
def _joblib_stand_in() -> Iterator[None]:
    """``import joblib`` gives the stand-in meanwhile, unless the real one is already imported."""
    if "joblib" in sys.modules:
        yield
        return
    stand_in = _JoblibStandIn()
    sys.modules["joblib"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("joblib") is stand_in:
            del sys.modules["joblib"]


def load() -> tuple[Callable, Callable]:
    """underthesea's (text_normalize, word_tokenize), importing only the submodules they use."""
    if PACKAGE not in sys.modules:
        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or spec.loader is None:
            raise ImportError("underthesea is not installed")
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        try:
            with _joblib_stand_in():
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
