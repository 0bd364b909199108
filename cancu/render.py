"""Readable Vietnamese rendering of a classification, for the terminal."""

from __future__ import annotations

from cancu.classifier.model import Classification, Proposal
from cancu.ingest.text import vn_date

AS_OF_SOURCES = {"option": "theo tùy chọn --as-of", "header": "theo ngày ghi ở phần đầu dự thảo",
                 "header_month": "ngày 1 của tháng ghi ở phần đầu dự thảo; dự thảo chưa ghi ngày",
                 "today": "hôm nay; dự thảo không ghi ngày"}



ALTERNATIVE_NOTE = ("Phương án khác: mục này cũng đạt ngưỡng nhưng phần lớn bằng chứng trùng với mục xếp trên; "
                    "chỉ chọn nếu mục trên không đúng. Nó không làm thay đổi độ mật đề xuất.")


def vn_number(value: float, digits: int = 2) -> str:
    """A number with the Vietnamese decimal comma: 0,83."""
    return f"{value:.{digits}f}".replace(".", ",")


def _proposal_lines(rank: int, proposal: Proposal) -> list[str]:
    lines = [f"{rank}. {proposal.level.upper()} — {proposal.citation}  (độ khớp {vn_number(proposal.score)})",
             f"   Mục danh mục: “{proposal.text}”"]
    if proposal.alternative:
        lines.append(f"   {ALTERNATIVE_NOTE}")
    for evidence in proposal.evidence:
        lines.append(f"   Đoạn trong dự thảo (câu {evidence.sentence + 1}): “{evidence.quoted}”")
        if evidence.matched_words:
            lines.append(f"     từ khớp: {', '.join(evidence.matched_words)}")
    if proposal.protection_years:
        lines.append(f"   Thời hạn bảo vệ: {proposal.protection_years} năm (Điều 19 Luật Bảo vệ bí mật nhà nước số 29/2018/QH14)")
    lines.extend(f"   Lưu ý: {warning}" for warning in proposal.warnings)
    return lines


def format_classification(result: Classification, name: str | None = None) -> str:
    """Several lines of plain text: the answer first, then each proposal with its evidence."""
    heading = f"{name} — ngày" if name else "Ngày"
    lines = [f"{heading} xét hiệu lực: {vn_date(result.as_of.isoformat())} ({AS_OF_SOURCES[result.as_of_source]})"]
    if result.level is None:
        lines.append("Kết quả: KHÔNG thuộc danh mục bí mật nhà nước nào (trong các danh mục có hiệu lực vào ngày đó).")
    else:
        lines.append(f"Đề xuất độ mật: {result.level.upper()} (độ mật cao nhất trong các mục áp dụng)")
        for rank, proposal in enumerate(result.proposals, start=1):
            lines.extend(_proposal_lines(rank, proposal))
    if result.review:  # a block of its own: these items are never the basis
        lines.append("Cần xem xét (không tính vào độ mật, không ghi làm căn cứ; người soạn thảo tự đánh giá):")
    for review in result.review:
        reason = review.reason.message if review.reason else "độ khớp dưới ngưỡng chấp nhận"
        lines.append(f"   - {review.level.upper()} — {review.citation} (độ khớp {vn_number(review.score)}) — {reason}")
    if result.near_misses:
        lines.append("Gần giống nhưng không áp dụng:")
    for near in result.near_misses:
        reason = near.reason.message if near.reason else "độ khớp dưới ngưỡng"
        lines.append(f"   - {near.citation} — {reason}")
    lines.extend(f"Lưu ý chung: {warning}" for warning in result.warnings)
    return "\n".join(lines)


def format_classification_md(result: Classification, name: str | None = None) -> str:
    """The same answer as Markdown: a heading per draft, the proposals as a list."""
    lines = [f"## {name}" if name else "## Kết quả phân loại", "",
             f"Ngày xét hiệu lực: {vn_date(result.as_of.isoformat())} ({AS_OF_SOURCES[result.as_of_source]})", ""]
    if result.level is None:
        lines.append("**KHÔNG thuộc danh mục bí mật nhà nước nào** (trong các danh mục có hiệu lực vào ngày đó).")
    else:
        lines.append(f"Đề xuất độ mật: **{result.level}**")
        lines.append("")
        for proposal in result.proposals:
            tag = " *(phương án khác)*" if proposal.alternative else ""
            lines.append(f"- **{proposal.level}** — {proposal.citation} (độ khớp {vn_number(proposal.score)}){tag}")
            lines.append(f"  - Mục danh mục: “{proposal.text}”")
            if proposal.alternative:
                lines.append(f"  - {ALTERNATIVE_NOTE}")
            lines.extend(f"  - Đoạn trong dự thảo (câu {e.sentence + 1}): “{e.quoted}”" for e in proposal.evidence)
            if proposal.protection_years:
                lines.append(f"  - Thời hạn bảo vệ: {proposal.protection_years} năm "
                             "(Điều 19 Luật Bảo vệ bí mật nhà nước số 29/2018/QH14)")
            lines.extend(f"  - Lưu ý: {w}" for w in proposal.warnings)
    if result.review:
        lines += ["", "Cần xem xét (không tính vào độ mật, không ghi làm căn cứ):", ""]
    for review in result.review:
        reason = review.reason.message if review.reason else "độ khớp dưới ngưỡng chấp nhận"
        lines.append(f"- {review.level} — {review.citation} (độ khớp {vn_number(review.score)}) — {reason}")
    if result.near_misses:
        lines += ["", "Gần giống nhưng không áp dụng:", ""]
    for near in result.near_misses:
        reason = near.reason.message if near.reason else "độ khớp dưới ngưỡng"
        lines.append(f"- {near.citation} — {reason}")
    if result.warnings:
        lines.append("")
        lines.extend(f"> Lưu ý chung: {w}" for w in result.warnings)
    return "\n".join(lines)
