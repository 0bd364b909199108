"""Knowledge-base read model: an immutable snapshot of the SQLite file that ingest wrote.

Installed as ``cancu.kb`` (pyproject maps this top-level folder into the ``cancu``
namespace, like ``ingest/`` and ``classifier/``). The classifier, the checker, the
CLI and the Datasette plugin read the catalogs through it; nothing here writes.
"""

from .snapshot import KB, DecisionRecord, ItemRecord, load_kb

__all__ = ["KB", "DecisionRecord", "ItemRecord", "load_kb"]
