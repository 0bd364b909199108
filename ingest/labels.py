"""Vietnamese words for the codes the knowledge base stores in English (status, text completeness).

One map for every place a person reads them: `cancu stats` in the terminal, the
decision pages and home page of the browser, and the canned queries (the plugin's
``cancu_vn_label`` SQL function).
"""

from __future__ import annotations

STATUS_LABELS = {
    "in_force": "còn hiệu lực",
    "replaced": "đã bị thay thế",
    "repealed": "đã bị bãi bỏ",
    "unknown": "chưa rõ tình trạng hiệu lực",
}
COMPLETENESS_LABELS = {
    "full": "toàn văn",
    "partial": "một phần",
    "summary": "tóm tắt",
    "unknown": "chưa rõ",  # a text whose front matter does not say (`cancu stats`)
    "none": "không có văn bản",  # a decision known only from the register
}
VN_LABELS = {**COMPLETENESS_LABELS, **STATUS_LABELS}  # the stored columns never hold "unknown" completeness


def vn_label(code: str | None) -> str | None:
    """The Vietnamese word for a status or completeness code stored in English; other values unchanged."""
    return VN_LABELS.get(code, code) if code else code


def completeness_label(code: str | None) -> str:
    """The Vietnamese word for a text completeness; no code is a decision without text."""
    return COMPLETENESS_LABELS.get(code or "none", code)
