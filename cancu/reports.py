"""Reports of `cancu check`: terminal table, JSON, CSV and Markdown, without click.

A report holds the verdicts, findings and short evidence spans of each draft,
never a draft's text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from cancu.checker.check import CheckResult
from cancu.ingest.text import vn_date
from cancu.render import AS_OF_SOURCES

FORMATS = ("table", "json", "csv", "md")
CSV_COLUMNS = ("file", "date", "date_source", "stamp", "has_basis", "basis_exists", "basis_in_force", "stamp_matches_basis",
               "basis", "level", "proposal", "findings", "messages")


def _yes_no(value: bool | None) -> str:
    return {True: "có", False: "không", None: "—"}[value]


def _date(result: CheckResult) -> str:
    if not result.date:
        return "—"
    # an assumed date is said so, in classify's words; a date the draft or --as-of gives is shown bare
    suffix = f" ({AS_OF_SOURCES[result.date_source]})" if result.date_source in ("today", "header_month") else ""
    return vn_date(result.date.isoformat()) + suffix


def _bases(result: CheckResult) -> str:
    return "; ".join(check.basis.reference for check in result.bases)


def _proposal(result: CheckResult) -> str:
    if not result.level or not result.proposals:
        return ""
    best = result.proposals[0]
    return f"{best.level}: {best.citation}"


def summary(results: Sequence[CheckResult]) -> str:
    """One line: how many drafts, how many with findings, how many unreadable."""
    flagged = sum(1 for r in results if r.findings)
    unreadable = sum(1 for r in results if r.error)
    text = f"Đã kiểm tra {len(results)} dự thảo: {flagged} có phát hiện, {len(results) - flagged} không có phát hiện"
    return text + (f"; {unreadable} tệp không đọc được." if unreadable else ".")


def to_json(results: Sequence[CheckResult]) -> str:
    """A JSON array, one object per draft (fields documented in README "cancu check")."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


def to_csv(results: Sequence[CheckResult]) -> str:
    """One row per draft; booleans as true/false, unknown as empty; finding codes joined by ';'."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        row = r.to_dict()
        writer.writerow([
            r.file, row["date"] or "", r.date_source or "", r.stamp or "",
            *("" if row[k] is None else str(row[k]).lower()
              for k in ("has_basis", "basis_exists", "basis_in_force", "stamp_matches_basis")),
            _bases(r), r.level or "", _proposal(r),
            ";".join(f.code for f in r.findings), " | ".join(f.message for f in r.findings),
        ])
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def to_markdown(results: Sequence[CheckResult]) -> str:
    """A summary table, then the findings of each draft that has some."""
    lines = ["# Kết quả kiểm tra dự thảo", "", summary(results), "",
             "| Tệp | Ngày | Dấu | Căn cứ | Tồn tại | Còn hiệu lực | Khớp dấu | Công cụ đề xuất | Phát hiện |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append("| " + " | ".join(_md_cell(cell) for cell in (
            r.file, _date(r), r.stamp or "", _bases(r), _yes_no(r.basis_exists), _yes_no(r.basis_in_force),
            _yes_no(r.stamp_matches_basis), _proposal(r), "; ".join(f.title for f in r.findings))) + " |")
    for r in results:
        if r.findings:
            lines += ["", f"## {r.file}", ""]
            lines += [f"- **{f.title}** (`{f.code}`): {f.message}" for f in r.findings]
    return "\n".join(lines) + "\n"


def to_table(results: Sequence[CheckResult]) -> str:
    """Plain text for the terminal: one block per draft, findings indented under it."""
    lines = []
    for r in results:
        mark = "✗" if r.findings else "✓"
        lines.append(f"{mark} {r.file}")
        if r.error is None:
            lines.append(f"    ngày {_date(r)} · dấu {r.stamp or 'không có'} · căn cứ: {_bases(r) or 'không có'}")
            lines.append(f"    căn cứ tồn tại: {_yes_no(r.basis_exists)} · còn hiệu lực: {_yes_no(r.basis_in_force)}"
                         f" · khớp dấu: {_yes_no(r.stamp_matches_basis)}")
            lines.append(f"    công cụ đề xuất: {_proposal(r) or 'không thuộc danh mục nào'}")
        lines.extend(f"    [{f.code}] {f.message}" for f in r.findings)
    lines.append(summary(results))
    return "\n".join(lines) + "\n"


def render(results: Sequence[CheckResult], output_format: str) -> str:
    """The report in one of FORMATS."""
    return {"table": to_table, "json": to_json, "csv": to_csv, "md": to_markdown}[output_format](results)
