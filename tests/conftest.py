"""Shared fixtures: a knowledge base built by the real ingest from the shipped data."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cancu.classifier import load_kb
from cancu.ingest.build import build_kb

DATA = Path(__file__).parent / "data"
MAIL = ("Từ: Văn thư <vanthu@so.gov.vn>\nGửi lúc: Thứ Hai, 14/10/2024 09:12\nĐến: Lãnh đạo Sở\n"
        "Tiêu đề: Fw: Dự thảo xin ý kiến\n\n-------- Thư chuyển tiếp --------\n")  # an e-mail's own header


def wrapped_and_quoted(text: str, width: int = 60) -> str:
    """Hard-wrapped mid-sentence (as a PDF text layer or a mail client does) and "> " quoted."""
    wrapped = "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n"))
    return "\n".join("> " + line for line in wrapped.split("\n"))


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    """The whole shipped knowledge base, built once per test session."""
    db_path = tmp_path_factory.mktemp("kb") / "cancu.db"
    build_kb(db_path)
    return db_path


@pytest.fixture(scope="session")
def kb(kb_path):
    return load_kb(kb_path)


@pytest.fixture(scope="session")
def dev_drafts() -> dict[str, dict]:
    """The labelled development drafts, by id (copy in tests/data/eval)."""
    lines = (DATA / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return {draft["id"]: draft for draft in map(json.loads, filter(None, lines))}


@pytest.fixture(scope="session")
def reviewing_model():
    """The shipped model with a "cần xem xét" band below its acceptance threshold, whatever width
    the fitting chose (it may choose none): tests of the band must not depend on the fit."""
    import dataclasses

    from cancu.classifier.decision import load_model

    shipped = load_model()
    return dataclasses.replace(shipped, review=round(shipped.accept / 2, 3))
