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

from .upload import FormRejected, read_form, upload_text

DraftRejected = FormRejected
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


async def read_draft_form(request) -> tuple[str, str, str | None]:
    """(draft_text, as_of_text, file_name): an uploaded file wins over the text box."""
    form = await read_form(request)
    as_of_text = form.fields.get("as_of", "")
    if form.upload is not None and form.upload.name:
        # docx and pdf parsing is CPU work: off the event loop, so other pages keep answering
        return await asyncio.to_thread(upload_text, form.upload), as_of_text, form.upload.name
    return form.fields.get("draft_text", ""), as_of_text, None


@functools.lru_cache(maxsize=4)
def _laws(path: str, mtime_ns: int):
    from cancu.kb.laws import load_laws

    return load_laws(path)


def proposal_document(result, path: Path, draft_text: str) -> ProposalDocument:
    """The proposal section for the page (laws read once per knowledge-base file)."""
    from . import shared_kb

    laws = _laws(str(path), path.stat().st_mtime_ns)
    return build_proposal(result, shared_kb(path), laws, title=draft_title(draft_text))


def page_sections(document: ProposalDocument):
    return sections(document)


async def download_proposal(datasette, request) -> Response:
    """POST: the proposal of the posted draft as a .docx (or .md with format=md)."""
    from . import KnowledgeBaseMissing, _as_of_from_form, classify_draft, kb_path

    if request.method != "POST":
        return Response.redirect(datasette.urls.path("/-/phan-loai"))
    try:
        draft_text, as_of_text, _ = await read_draft_form(request)
        as_of, error = _as_of_from_form(as_of_text)
        if error:
            raise FormRejected(error)
        if not draft_text.strip():
            raise FormRejected("Không có nội dung dự thảo để lập đề xuất.")
        path = await kb_path(datasette)
    except (FormRejected, KnowledgeBaseMissing) as problem:
        return Response.text(str(problem), status=getattr(problem, "status", 400), headers=PRIVATE_HEADERS)
    result = await asyncio.to_thread(classify_draft, draft_text, path, as_of)
    document = proposal_document(result, path, draft_text)
    form_format = "md" if request.args.get("format") == "md" else "docx"
    if form_format == "md":
        body = to_markdown(document).encode("utf-8")
        name, content_type = docx_filename(document).replace(".docx", ".md"), "text/markdown; charset=utf-8"
    else:
        body, name, content_type = to_docx(document), docx_filename(document), DOCX_TYPE
    headers = {**PRIVATE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, status=200, headers=headers, content_type=content_type)
