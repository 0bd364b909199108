"""Vietnamese words for the codes the knowledge base stores in English (status, text completeness).

One map for every place a person reads them: `cancu stats` in the terminal and
the Datasette pages (the plugin's ``cancu_vn_label`` SQL function).
"""

from __future__ import annotations

VN_LABELS = {
    "in_force": "còn hiệu lực",
    "replaced": "đã bị thay thế",
    "repealed": "đã bị bãi bỏ",
    "unknown": "chưa rõ",
    "full": "toàn văn",
    "partial": "một phần",
    "summary": "tóm tắt",
    "none": "không có văn bản",
}


def vn_label(code: str | None) -> str | None:
    """The Vietnamese word for a status or completeness code stored in English; other values unchanged."""
    return VN_LABELS.get(code, code) if code else code
