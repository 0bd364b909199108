"""Bounded load on the table pages: 4 concurrent users on loopback against a served instance.

Builds the KB in a child process, starts `cancu serve` on a free local port, then
sends a fixed number of requests (REQUESTS per page, USERS at a time, each request
bounded by TIMEOUT seconds) to the items page and to a search typed without
diacritics, and prints p50/p95 latency per page. Target: p95 ≤ 100 ms. The machine
is shared: run it more than once and treat the figures as noisy.

    python bench/pages.py [--requests 200] [--users 4]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import free_port, ingest_in_child, stop_server  # noqa: E402

PAGES = {
    "items": "/cancu/items",
    "search without diacritics": "/cancu/items?_search=de+thi",
    "decision page": "/-/danh-muc/531-qd-ttg",
}
TIMEOUT = 10.0


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - start) * 1000


def wait_until_up(url: str, deadline: float = 30.0) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--users", type=int, default=4, help="concurrent users")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "cancu.db"
        ingest_in_child(db)
        port = free_port()
        server = subprocess.Popen([str(Path(sys.executable).with_name("cancu")), "serve", "--db", str(db),
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/-/phan-loai")
            for name, path in PAGES.items():
                for _ in range(10):  # warm caches, not counted
                    fetch(base + path)
                with ThreadPoolExecutor(max_workers=args.users) as pool:
                    started = time.perf_counter()
                    timings = list(pool.map(fetch, [base + path] * args.requests))
                    elapsed = time.perf_counter() - started
                print(f"{name:<28} n={len(timings)} users={args.users} p50={statistics.median(timings):6.1f} ms "
                      f"p95={percentile(timings, 0.95):6.1f} ms  ({len(timings) / elapsed:5.1f} req/s)")
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
