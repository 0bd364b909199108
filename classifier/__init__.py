"""Classifier: propose the catalog items that apply to a draft, with evidence."""

from .classify import classify, resolve_as_of
from cancu.kb import KB, load_kb
from .model import Classification, Evidence, Proposal

__all__ = ["KB", "Classification", "Evidence", "Proposal", "classify", "load_kb", "resolve_as_of"]
