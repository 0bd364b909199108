"""Start-up of the `cancu` commands: cold starts beside Python's own, imports by package, `cancu serve`.

Usage: python bench/startup.py [--runs N] [--db PATH] [--no-serve]

Cold start: each command runs N times as a new process (rounds interleaved, so a
burst of load on the shared machine hits every command alike), beside
`python3 -c "import sqlite3"`, the floor any Python tool pays; medians and the
ratio to the floor are printed. Imports: `cancu classify FILE --json` once under
`python -X importtime`, self time summed by package (cancu's own sub-packages
apart). Serve: from launch to the first answered page, then the first and second
classification posted to /-/phan-loai. Timings on a shared 2-core machine are
noisy: compare medians of one run, not figures of different runs.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import free_port, knowledge_base, stop_server

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "tests" / "data" / "drafts" / "d-008.txt"
CANCU = str(Path(sys.executable).with_name("cancu"))


def commands(db: Path) -> dict[str, list[str]]:
    return {
        'python3 -c "import sqlite3"': [sys.executable, "-c", "import sqlite3"],
        "cancu --help": [CANCU, "--help"],
        "cancu stats": [CANCU, "stats", "--db", str(db)],
        "cancu classify FILE --json": [CANCU, "classify", str(DRAFT), "--json", "--db", str(db)],
        "cancu check FILE --format json": [CANCU, "check", str(DRAFT), "--format", "json", "--db", str(db)],
    }


def cold_starts(db: Path, runs: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(runs):
        for name, argv in commands(db).items():
            started = time.perf_counter()
            done = subprocess.run(argv, capture_output=True)
            timings[name].append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return timings


def import_times(db: Path) -> tuple[collections.Counter, float]:
    """Self import time (s) by package of `cancu classify FILE --json`, and the total."""
    code = ("import sys\nfrom cancu.cli import cli\n"
            f"cli(['classify', {str(DRAFT)!r}, '--json', '--db', {str(db)!r}])")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    by_package: collections.Counter = collections.Counter()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line)
        if not match:
            continue
        parts = match.group(3).split(".")
        package = ".".join(parts[:2]) if parts[0] == "cancu" and len(parts) > 1 else parts[0]
        by_package[package] += int(match.group(1)) / 1e6
    return by_package, sum(by_package.values())


def serve_timings(db: Path) -> dict[str, float]:
    """Launch → first page, then the first and second classification through the classify page."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    started = time.perf_counter()
    server = subprocess.Popen([CANCU, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures: dict[str, float] = {}
    try:
        deadline = started + 60
        while True:
            try:
                with opener.open(base + "/", timeout=5) as response:
                    response.read()
                break
            except OSError:
                if time.perf_counter() > deadline or server.poll() is not None:
                    raise SystemExit("cancu serve did not answer")
                time.sleep(0.02)
        figures["launch → first page"] = time.perf_counter() - started
        text = DRAFT.read_text(encoding="utf-8")
        for label in ("first classification (POST)", "second classification (POST)"):
            with opener.open(base + "/-/phan-loai", timeout=30) as response:
                token = re.search(r'name="csrftoken" value="([^"]+)"', response.read().decode()).group(1)
            body = urllib.parse.urlencode({"csrftoken": token, "draft_text": text, "as_of": ""}).encode()
            request = urllib.request.Request(base + "/-/phan-loai", data=body, headers={"Origin": base})
            posted = time.perf_counter()
            with opener.open(request, timeout=60) as response:
                assert response.status == 200, response.status
                response.read()
            figures[label] = time.perf_counter() - posted
    finally:
        stop_server(server)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--no-serve", action="store_true")
    args = parser.parse_args()
    with knowledge_base(args.db) as db:
        for argv in commands(db).values():  # warm the page cache and any cache next to the KB
            subprocess.run(argv, capture_output=True)
        timings = cold_starts(db, args.runs)
        floor = statistics.median(timings['python3 -c "import sqlite3"'])
        print(f"cold start, median of {args.runs} runs ({os.cpu_count()} cores, shared: noisy)")
        for name, values in timings.items():
            median = statistics.median(values)
            print(f"  {name:<34}{median:7.3f} s  (min {min(values):.3f}, max {max(values):.3f})  {median / floor:5.1f}× floor")
        by_package, total = import_times(db)
        print(f"imports of `cancu classify FILE --json` (-X importtime, self time by package): {total:.3f} s")
        for package, seconds in by_package.most_common(15):
            print(f"  {package:<34}{seconds:7.3f} s")
        if not args.no_serve:
            print("cancu serve:")
            for label, seconds in serve_timings(db).items():
                print(f"  {label:<34}{seconds:7.3f} s")


if __name__ == "__main__":
    main()
