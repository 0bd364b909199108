"""Serve the knowledge base with Datasette: read-only, with cancu's metadata and plugin.

The click command `cancu serve` only parses options and calls ``serve``.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml
from datasette.app import Datasette

from cancu.ingest.datafiles import SAFE_LOADER
from cancu.ingest.errors import system_reason

METADATA_FILE = "datasette-metadata.yml"
METADATA_DB_KEY = "cancu"  # the database name used inside datasette-metadata.yml


class MetadataMissing(FileNotFoundError):
    """datasette-metadata.yml is neither in the repository nor in sys.prefix/share/cancu."""


def metadata_path() -> Path:
    """datasette-metadata.yml: the repository top (editable install) first, then sys.prefix/share/cancu."""
    candidates = (
        Path(__file__).resolve().parent.parent / METADATA_FILE,
        Path(sys.prefix) / "share" / "cancu" / METADATA_FILE,
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise MetadataMissing(f"không tìm thấy {METADATA_FILE} (đã tìm: {', '.join(str(c) for c in candidates)})")


def load_metadata(database_name: str = METADATA_DB_KEY) -> dict:
    """The parsed metadata, its database section filed under ``database_name``.

    Datasette names a database after its file, so a knowledge base served from
    kho.db is "kho"; the YAML is written for "cancu".
    """
    metadata = yaml.load(metadata_path().read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    if database_name != METADATA_DB_KEY:
        metadata = copy.deepcopy(metadata)
        databases = metadata.setdefault("databases", {})
        databases[database_name] = databases.pop(METADATA_DB_KEY, {})
    return metadata


def make_datasette(db_path: Path) -> Datasette:
    """A Datasette on the knowledge base, opened immutable (read-only, no locking)."""
    db_path = Path(db_path)
    return Datasette(
        immutables=[str(db_path)],
        metadata=load_metadata(db_path.stem),
        # Facet suggestions run a query per column on every table page; the facets in the metadata are chosen.
        settings={"sql_time_limit_ms": 3000, "suggest_facets": False},
    )


WARM_UP_TEXT = "Kính gửi: Ủy ban nhân dân tỉnh. Báo cáo kết quả công tác bảo vệ bí mật nhà nước."


def warm_up(db_path: Path) -> None:
    """Load the KB snapshot, the rules, the item profiles and the word segmenter before the first request.

    The first drafter to post a draft then waits for the classification only; and a
    broken rules file stops `cancu serve` at once with its message, not on that post.
    The text classified is this constant sentence, never a draft.
    """
    from cancu.plugin import classify_draft

    classify_draft(WARM_UP_TEXT, Path(db_path), None)


class PortUnavailable(Exception):
    """The address to listen on is taken or not allowed: said before anything starts."""


def check_port(host: str, port: int) -> None:
    """Bind and release (host, port) once, so a taken port is a Vietnamese message, not uvicorn's English log line."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a closing socket does not count
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = ("cổng đang được chương trình khác dùng" if error.errno == errno.EADDRINUSE
                      else "không có quyền dùng cổng này" if error.errno == errno.EACCES
                      else system_reason(error))
            raise PortUnavailable(f"không mở được {host}:{port}: {reason}; chọn cổng khác bằng --port") from error


SWITCH_INTERVAL = 0.0005  # seconds a thread may hold the GIL while another waits (Python's default: 0.005)


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run the server until interrupted.

    Uvicorn's access log is off: search words typed into a canned query travel in
    the URL, and a drafter may type a phrase of a draft there.
    """
    import asyncio

    import uvicorn

    # The classify page's worker thread is CPU-bound. With Python's default 5 ms switch
    # interval, every hand-off between the event loop and Datasette's SQL threads waits for
    # it, and another page took 0.44-0.77 s during a long classification (bench/hostile.py);
    # at 0.5 ms it took 0.14-0.19 s, and the long classification 10-15% longer.
    sys.setswitchinterval(SWITCH_INTERVAL)
    warm_up(db_path)
    datasette = make_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", access_log=False,
                lifespan="on", workers=1)
