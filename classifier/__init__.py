"""Classifier: propose the catalog items that apply to a draft, with evidence.

Installed as ``cancu.classifier`` (pyproject maps this top-level folder into the
``cancu`` namespace). ``classify`` runs the stages in the order data flows:
``textprep`` → ``candidates`` → ``features`` (with ``words``, ``profiles``,
``conditions``, ``rules``) → ``decision`` → ``evidence``, returning ``model`` dataclasses.
"""

from .classify import classify, resolve_as_of
from cancu.kb import KB, load_kb
from .model import Classification, Evidence, Proposal

__all__ = ["KB", "Classification", "Evidence", "Proposal", "classify", "load_kb", "resolve_as_of"]
