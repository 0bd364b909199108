"""The proposal on the classify page, and its download as .docx or Markdown (built in memory).

The download is a POST of the same form (the draft travels in the body again, as the
page keeps it only in the text box): nothing about the draft is stored between the
two requests, and the file is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from datasette.utils.asgi import Response

from cancu.proposal import ProposalDocument, build_proposal, docx_filename, draft_title, sections, to_docx, to_markdown

from .upload import DraftForm, FormRejected, read_form, read_upload

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def page_context(datasette) -> dict:
    """What the classify page's template needs before anything is posted."""
    from . import AS_OF_SOURCES, vn_date_or_none, vn_score
    from .pages import decision_path
    from .upload import SIZE_WORDS

    return {"draft_text": "", "as_of_text": "", "error": None, "result": None, "proposal": None, "answer": None,
            "file_name": None, "as_of_sources": AS_OF_SOURCES, "vn_date": vn_date_or_none, "score": vn_score,
            "decision_path": lambda number: datasette.urls.path(decision_path(number)),
            "proposal_sections": sections, "max_upload": SIZE_WORDS}


async def draft_of(form: DraftForm) -> tuple[str, str | None, tuple[str, ...]]:
    """(draft_text, file_name, what the reader noted about the file): an uploaded file wins over the text box.

    docx and pdf parsing is CPU work: it runs off the event loop, so other pages keep answering.
    """
    if form.upload is not None and form.upload.name:
        document = await asyncio.to_thread(read_upload, form.upload)
        return document.text, form.upload.name, tuple(document.warnings)
    return form.fields.get("draft_text", ""), None, ()


@functools.lru_cache(maxsize=4)
def _laws(path: str, mtime_ns: int):
    from cancu.kb.laws import load_laws

    return load_laws(path)


def proposal_document(result, path: Path, draft_text: str) -> ProposalDocument:
    """The proposal section for the page (laws read once per knowledge-base file)."""
    from . import shared_kb

    laws = _laws(str(path), path.stat().st_mtime_ns)
    return build_proposal(result, shared_kb(path), laws, title=draft_title(draft_text))


async def download_proposal(datasette, request) -> Response:
    """POST: the proposal of the posted draft as a .docx (or .md with format=md)."""
    from . import MAX_DRAFT_CHARS, KnowledgeBaseMissing, _as_of_from_form, classify_draft, kb_path, read_pasted

    if request.method != "POST":
        return Response.redirect(datasette.urls.path("/-/phan-loai"))
    from . import security

    try:
        form = await read_form(request)
        refused = security.refusal(request, form.fields)
        if refused:
            return Response.text(refused.message, status=refused.status, headers=PRIVATE_HEADERS)
        draft_text, file_name, _ = await draft_of(form)
        as_of, error = _as_of_from_form(form.fields.get("as_of", ""))
        if error:
            raise FormRejected(error)
        if not draft_text.strip():
            raise FormRejected("Không có nội dung dự thảo để lập đề xuất.")
        path = await kb_path(datasette)
    except (FormRejected, KnowledgeBaseMissing) as problem:
        return Response.text(str(problem), status=getattr(problem, "status", 400), headers=PRIVATE_HEADERS)
    if len(draft_text) > MAX_DRAFT_CHARS:
        return Response.text(f"Dự thảo dài quá {MAX_DRAFT_CHARS:,} ký tự.".replace(",", "."), status=400,
                             headers=PRIVATE_HEADERS)
    from . import CLASSIFY_RUNNER

    try:
        if file_name is None:  # a paste, read as the page read it (a .VnTime paste converted)
            draft_text = read_pasted(draft_text).text
        result = await CLASSIFY_RUNNER.run(classify_draft, draft_text, path, as_of)
    except security.RequestRefused as busy:
        return Response.text(busy.message, status=busy.status, headers=PRIVATE_HEADERS)
    document = proposal_document(result, path, draft_text)
    form_format = "md" if request.args.get("format") == "md" else "docx"
    if form_format == "md":
        body = to_markdown(document).encode("utf-8")
        name, content_type = docx_filename(document).replace(".docx", ".md"), "text/markdown; charset=utf-8"
    else:
        body, name, content_type = to_docx(document), docx_filename(document), DOCX_TYPE
    headers = {**PRIVATE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, status=200, headers=headers, content_type=content_type)
