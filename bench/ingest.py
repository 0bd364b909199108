"""Time a full build of the shipped knowledge base.

Usage: python bench/ingest.py [--runs N]

Prints the wall time of each `build_kb` over the shipped data (parse every
decision and law text, write SQLite with sqlite-utils, build the full-text
index, validate, rename), and the median. The import of the package is not
counted; the command-line figure includes Python start-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cancu.ingest.build import build_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "kb.db"
        for _ in range(args.runs):
            started = time.perf_counter()
            report = build_kb(db)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("cancu")), "ingest", "--db", str(db)],
                       check=True, capture_output=True)
        command = time.perf_counter() - started
    print(f"knowledge base: {report.decisions} decisions with text, {report.items} catalog items, {report.laws} law texts")
    print("build_kb runs: " + ", ".join(f"{t:.3f} s" for t in times) + f"; median {statistics.median(times):.3f} s")
    print(f"`cancu ingest` end to end (with Python start-up): {command:.3f} s")


if __name__ == "__main__":
    main()
