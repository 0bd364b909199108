"""Checker: what a draft says about itself (stamp, date, stated basis), verified against the catalogs.

Installed as ``cancu.checker`` (pyproject maps this top-level folder into the
``cancu`` namespace). Flow: ``drafts`` reads the facts a draft states, ``check``
verifies each stated basis against the knowledge-base snapshot (``cancu.kb``),
asks the classifier for its own proposal and turns faults into findings, one
result per file for batches.
"""
