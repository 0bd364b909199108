"""Print how the legacy font encodings (TCVN3, VNI) are read: round trips, false detections, time.

Every pool draft (tests/data/eval) is typed into TCVN3 and VNI with the inverse tables of
tests/legacy_encoders.py, saved as plain-text bytes and read back through the real reader;
the Unicode, Windows-1258 and undiacritised forms of the same drafts must not be converted.

    .venv/bin/python bench/legacy.py
    .venv/bin/python bench/legacy.py --classify   # also: same classifier answer as the Unicode draft?

Timings are wall-clock on a shared machine: noisy, compare orders of magnitude.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from legacy_encoders import (VIETNAMESE_LETTERS, docx_bytes, tcvn3_runs, to_cp1258, to_tcvn3,  # noqa: E402
                             to_vni, without_diacritics)

from cancu.ingest import legacy  # noqa: E402
from cancu.ingest.readers import read_bytes  # noqa: E402


def pool() -> dict[str, str]:
    return {draft["id"]: unicodedata.normalize("NFC", draft["text"])
            for path in sorted((ROOT / "tests" / "data" / "eval").glob("*.jsonl"))
            for draft in map(json.loads, filter(None, path.read_text(encoding="utf-8").splitlines()))}


def main() -> None:
    drafts = pool()
    expected = {key: read_bytes(text.encode("utf-8"), "u.txt").text for key, text in drafts.items()}
    print(f"letters: {len(VIETNAMESE_LETTERS)}; VNI round trip exact: "
          f"{sum(legacy.decode_vni(to_vni(ch)) == ch for ch in VIETNAMESE_LETTERS)}")
    toned_capitals = {ch for ch in VIETNAMESE_LETTERS if ch.isupper() and ch not in "ĂÂÊÔƠƯĐ"}
    forms = {
        "VNI .txt": lambda text: (to_vni(text).encode("cp1252"), "d.txt"),
        "TCVN3 .txt": lambda text: (to_tcvn3(text).encode("cp1252"), "d.txt"),
        "TCVN3 .docx (.VnTime/.VnTimeH runs)": lambda text: (
            docx_bytes([tcvn3_runs(line) for line in text.split("\n")]), "d.docx"),
    }
    for label, make in forms.items():
        exact = converted = lost = 0
        files = {key: make(text) for key, text in drafts.items()}  # typed outside the timing
        started = time.perf_counter()
        for key, (data, name) in files.items():
            document = read_bytes(data, name)
            converted += bool(document.warnings)
            exact += document.text == expected[key]
            lost += sum(got != want for got, want in zip(document.text, expected[key]) if want in toned_capitals)
        elapsed = time.perf_counter() - started
        print(f"{label}: {len(drafts)} drafts, converted {converted}, exact {exact}, "
              f"toned capitals read small {lost}, {elapsed * 1000 / len(drafts):.1f} ms/draft")
    total_capitals = sum(ch in toned_capitals for text in expected.values() for ch in text)
    print(f"toned capitals in the pool: {total_capitals}")
    not_legacy = {
        "Unicode": lambda text: text.encode("utf-8"),
        "Unicode NFD": lambda text: unicodedata.normalize("NFD", text).encode("utf-8"),
        "Windows-1258": to_cp1258,
        "no diacritics": lambda text: without_diacritics(text).encode("utf-8"),
    }
    for label, make in not_legacy.items():
        files = [make(text) for text in drafts.values()]
        started = time.perf_counter()
        false = sum(bool(read_bytes(data, "d.txt").warnings) for data in files)
        elapsed = time.perf_counter() - started
        print(f"{label}: {len(drafts)} drafts, converted or warned {false}, {elapsed * 1000 / len(drafts):.1f} ms/draft")
    big = "\n".join(drafts.values())
    big = (big * (1_000_000 // len(big) + 1))[:990_000]
    for label, data in (("Unicode", big.encode("utf-8")), ("TCVN3", to_tcvn3(big).encode("cp1252"))):
        started = time.perf_counter()
        read_bytes(data, "d.txt")
        print(f"{len(big):,} characters in {label}: read in {(time.perf_counter() - started) * 1000:.0f} ms")


def compare_answers(drafts: dict[str, str]) -> None:
    """Classify each draft as read from each legacy form and count answers (level and cited items)
    that differ from the Unicode draft's, on a knowledge base built from data/ in a temporary folder."""
    from cancu.classifier import classify
    from cancu.ingest.build import build_kb
    from cancu.kb import load_kb

    with tempfile.TemporaryDirectory() as folder:
        build_kb(Path(folder) / "kb.db")
        kb = load_kb(Path(folder) / "kb.db")
    as_of = dt.date(2025, 1, 1)

    def answer(data: bytes, name: str) -> tuple:
        result = classify(read_bytes(data, name).text, kb, as_of=as_of)
        return result.level, [proposal.citation for proposal in result.proposals]

    forms = {"VNI .txt": lambda text: (to_vni(text).encode("cp1252"), "d.txt"),
             "TCVN3 .txt": lambda text: (to_tcvn3(text).encode("cp1252"), "d.txt"),
             "TCVN3 .docx": lambda text: (docx_bytes([tcvn3_runs(line) for line in text.split("\n")]), "d.docx")}
    differ = dict.fromkeys(forms, 0)
    for text in drafts.values():
        expected = answer(text.encode("utf-8"), "d.txt")
        for label, make in forms.items():
            differ[label] += answer(*make(text)) != expected
    print("classifier answers that differ from the Unicode draft's (as of 2025-01-01): "
          + ", ".join(f"{label} {count}/{len(drafts)}" for label, count in differ.items()))


if __name__ == "__main__":
    main()
    if "--classify" in sys.argv[1:]:
        compare_answers(pool())
