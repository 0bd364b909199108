"""Ingest, the write side: catalog and law texts in data/ (or files given) → parsed dataclasses → SQLite.

Installed as ``cancu.ingest`` (pyproject maps this top-level folder into the ``cancu``
namespace, like ``kb/``, ``classifier/`` and ``checker/``). ``readers`` is the one
reading boundary for every file (drafts too), ``parse`` turns text into ``model``
dataclasses, ``store`` writes them and ``build`` replaces the knowledge base
atomically. The shared rules every later part calls live here too: ``text``
(folding), ``dates`` (today in Vietnam, typed dates, a draft's date), ``model.Level``
(levels and stamps), ``labels``, ``citation``, ``collect``, ``datafiles``. Nothing here
imports the read side, the classifier, click or Datasette.
"""
