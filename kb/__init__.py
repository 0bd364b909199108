"""Knowledge-base read model: an immutable snapshot of the SQLite file that ingest wrote.

Installed as ``cancu.kb`` (pyproject maps this top-level folder into the ``cancu``
namespace, like ``ingest/`` and ``classifier/``). The classifier, the checker, the
CLI and the Datasette plugin read the catalogs through it; nothing here writes.
"""

from .search import fts_query
from .snapshot import KB, DecisionRecord, ItemRecord, load_kb
from .validity import in_force

__all__ = ["KB", "DecisionRecord", "ItemRecord", "fts_query", "in_force", "load_kb"]
