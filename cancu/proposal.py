"""The proposal section of a Tờ trình / Phiếu trình duyệt ký văn bản, built from a classification.

Khoản 1 Điều 2 Nghị định 26/2020/NĐ-CP: the drafter proposes to the head of the
agency that the information is a state secret, its level, the recipients, the
number of copies and whether copying is allowed. This module assembles that
proposal from what the tool knows (level, basis, protection term, the decision
and its validity on the draft's date) and leaves the rest as fields to fill in.

Nothing is invented: every citation comes from the knowledge base; "cần xem xét"
items and alternatives are listed as such and never written in as the basis; when
the knowledge base is unsure which decree governs on the day, the text says so.
No form layout is copied (the annexes of Thông tư 24/2020/TT-BCA are not in the
corpus): the output is plain headed sections, as text, Markdown or .docx.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, field

from cancu.classifier.model import Classification, Proposal
from cancu.ingest.citation import decision_reference
from cancu.ingest.text import fold, nfc, vn_date
from cancu.kb import KB
from cancu.kb.laws import LawBook, LawProvision
from cancu.render import AS_OF_SOURCES as RENDER_AS_OF_SOURCES

# The provision that says what the proposal holds (law_articles, read from data/law/26-2020-nd-cp.txt).
GROUND = ("26/2020/NĐ-CP", 2, 1)
BLANK = "……………………"
# Every way the classifier dates a draft (cancu.render.AS_OF_SOURCES), worded for the proposal.
AS_OF_SOURCES = {**RENDER_AS_OF_SOURCES, "option": "ngày do người dùng chọn", "header": "ngày ghi ở phần đầu dự thảo"}
COMPLETENESS_WORDS = {"full": "toàn văn", "partial": "một phần văn bản", "summary": "bản tóm tắt"}
DISCLAIMER = ("Đề xuất này do công cụ cancu lập từ kho danh mục bí mật nhà nước để hỗ trợ người soạn thảo; "
              "nó không thay thế quyết định của người đứng đầu cơ quan, tổ chức, người có thẩm quyền xác định "
              "bí mật nhà nước và độ mật.")

# Kinds of administrative documents whose name stands alone on a line above the subject
# (tên loại văn bản, Nghị định 30/2020/NĐ-CP), folded.
DOC_KINDS = ("bao cao", "ke hoach", "to trinh", "phieu trinh", "phuong an", "de an", "bien ban", "quyet dinh",
             "chuong trinh", "thong bao", "huong dan", "quy che", "quy dinh", "nghi quyet", "chi thi", "giay moi",
             "danh sach", "du thao")
HEADER_LINES = 20
MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class Basis:
    """One catalog item written in as the basis (or listed beside it, for review)."""

    citation: str
    level: str
    text: str
    decision: str
    item_id: int
    conditions: tuple[str, ...] = ()  # the item's restrictors and conditions, the catalog's words
    note: str | None = None  # for an item under review: why the classifier did not accept it


@dataclass(frozen=True)
class DecisionNote:
    """The decision a basis comes from and what the KB knows of it on the draft's date."""

    number: str
    reference: str
    field: str | None
    in_force: bool | None  # None: the register cannot date its end
    validity: str  # Vietnamese sentence
    completeness: str | None  # Vietnamese sentence, None when the KB has the full text


@dataclass(frozen=True)
class FillField:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class ProposalDocument:
    """Everything the proposal section says, as data; renderers below turn it into text."""

    title: str | None
    as_of: dt.date
    as_of_source: str
    level: str | None
    bases: tuple[Basis, ...]
    alternatives: tuple[Basis, ...]
    review: tuple[Basis, ...]
    decisions: tuple[DecisionNote, ...]
    protection: str | None
    ground: str | None  # citation of khoản 1 Điều 2 when it governs on the day
    ground_text: str | None
    ground_note: str | None  # why the ground is not cited (unsure which decree governs)
    fields: tuple[FillField, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


# --------------------------------------------------------------------------- draft facts


def draft_title(text: str) -> str | None:
    """The draft's name: its kind line and the subject line below it, or a letter's "V/v …" line.

    "BÁO CÁO" + "Kết quả hoàn thiện đề thi môn Hóa học" → "Báo cáo kết quả hoàn thiện đề thi môn Hóa học".
    Only the header is read; the title is returned to the drafter and never kept.
    """
    lines = [line.strip() for line in nfc(text).splitlines() if line.strip()][:HEADER_LINES]
    for index, line in enumerate(lines):
        folded = fold(line)
        if re.match(r"v/v\b|ve viec\b", folded):
            return line[:MAX_TITLE_CHARS]
        kind = next((k for k in DOC_KINDS if folded == k or folded.startswith(k + " ")), None)
        if kind is None or line != line.upper():
            continue
        name = line[:1] + line[1:].lower()
        if len(folded.split()) <= len(kind.split()) + 1 and index + 1 < len(lines):
            # "BÁO CÁO" or "BÁO CÁO NHANH" alone: the subject follows, over two lines when the first is "VỀ"
            subject = lines[index + 1]
            if len(subject.split()) <= 2 and index + 2 < len(lines):
                subject = f"{subject} {lines[index + 2]}"
            subject = subject.lower() if subject == subject.upper() else subject[:1].lower() + subject[1:]
            return f"{name} {subject}"[:MAX_TITLE_CHARS]
        return name[:MAX_TITLE_CHARS]
    return None


# --------------------------------------------------------------------------- assembly


def _basis(proposal: Proposal, kb: KB) -> Basis:
    """A proposal as written into the proposal, with the conditions of its item the drafter confirms."""
    from cancu.conditions_text import TO_CONFIRM, condition_line

    item = kb.items_by_id.get(proposal.item_id)
    parts = getattr(item, "conditions", ()) if item else ()
    conditions = tuple(condition_line(part.kind, part.text) for part in parts if part.kind in TO_CONFIRM)
    note = getattr(getattr(proposal, "reason", None), "message", None)
    return Basis(proposal.citation, proposal.level, proposal.text, proposal.decision, proposal.item_id, conditions,
                 note)


def _decision_note(kb: KB, number: str, day: dt.date) -> DecisionNote:
    record = kb.decisions[number]
    reference = decision_reference(record.number, record.date, record.issuer)
    since = f"có hiệu lực từ {vn_date(record.valid_from.isoformat())}" if record.valid_from else "không rõ ngày hiệu lực"
    # The rule is DecisionRecord.in_force_on (cancu.kb.validity.in_force); out of force on a day it has
    # not yet reached its start means "not yet", otherwise it was replaced or repealed by then.
    not_yet = record.valid_from is not None and record.valid_from > day
    if not record.in_force_on(day) and not not_yet:
        in_force = False
        validity = (f"{since}; hết hiệu lực từ {vn_date(record.valid_until.isoformat())}"
                    + (f" (bị thay thế bởi Quyết định số {record.replaced_by})" if record.replaced_by else "")
                    + f", nên không còn hiệu lực vào ngày {vn_date(day.isoformat())}.")
    elif record.status == "unknown":
        in_force = None
        validity = (f"{since}; kho chưa xác minh được quyết định này còn hiệu lực hay không vào ngày "
                    f"{vn_date(day.isoformat())}: đối chiếu văn bản hiện hành trước khi ghi căn cứ.")
    elif not_yet:
        in_force = False
        validity = f"{since}, tức là chưa có hiệu lực vào ngày {vn_date(day.isoformat())}."
    else:
        in_force = True
        validity = f"{since}; còn hiệu lực vào ngày {vn_date(day.isoformat())}."
    completeness = None
    if record.text_completeness in ("partial", "summary"):
        completeness = (f"Kho chỉ có {COMPLETENESS_WORDS[record.text_completeness]} của quyết định này; "
                        "đối chiếu lời văn với bản chính thức.")
    return DecisionNote(record.number, reference, record.field, in_force, validity, completeness)


def _protection(laws: LawBook, level: str | None, day: dt.date) -> str | None:
    """The protection term of the level, with the provision that sets it, or why the KB cannot say."""
    if level is None:
        return None
    term = laws.term(level, day)
    if term is None:
        return f"Kho không có thời hạn bảo vệ của độ {level} áp dụng vào ngày {vn_date(day.isoformat())}."
    law = laws.laws.get(term.law)
    law_ref = law.reference if law else term.law
    if term.years is None:
        return (f"Từ {vn_date(term.valid_from.isoformat())} thời hạn bảo vệ theo {law_ref}; kho chưa có nguyên văn "
                f"điều khoản về thời hạn bảo vệ của văn bản này, nên không ghi số năm: người soạn thảo ghi theo "
                f"văn bản chính thức.") if term.valid_from else None
    where = " ".join(part for part in (f"điểm {term.point}" if term.point else "",
                                       f"khoản {term.clause}" if term.clause else "",
                                       f"Điều {term.article}" if term.article else "") if part)
    return f"{term.years} năm đối với bí mật nhà nước độ {level} ({where} {law_ref})".replace("( ", "(")


def legal_ground(laws: LawBook, day: dt.date) -> tuple[LawProvision | None, str | None]:
    """(provision, None) when khoản 1 Điều 2 Nghị định 26/2020/NĐ-CP governs on ``day``, else (None, why).

    The KB is unsure from the day the decree that replaces it took effect, or, when
    that day is not known, from the day that decree was signed (63/2026/NĐ-CP,
    whose text the corpus lacks); before the decree took effect it did not govern.
    """
    number, article, clause = GROUND
    provision = laws.provision(number, article, clause)
    if provision is None:
        return None, f"Kho không có khoản {clause} Điều {article} Nghị định số {number}; không ghi căn cứ pháp lý."
    decree = provision.law
    if decree.effective and day < decree.effective:
        return None, (f"{decree.reference} có hiệu lực từ {vn_date(decree.effective.isoformat())}, sau ngày "
                      f"{vn_date(day.isoformat())}; kho không có văn bản quy định thủ tục đề xuất độ mật trước ngày đó.")
    successor = laws.laws.get(decree.replaced_by) if decree.replaced_by else None
    if successor is not None:
        start = successor.effective or successor.date
        if start and day >= start:
            known = (f"có hiệu lực từ {vn_date(successor.effective.isoformat())}" if successor.effective
                     else f"ký ngày {vn_date(successor.date.isoformat())}, chưa xác minh ngày hiệu lực")
            completeness = COMPLETENESS_WORDS.get(successor.text_completeness or "", "không có văn bản")
            return None, (f"Kho chưa chắc văn bản nào quy định thủ tục đề xuất độ mật vào ngày "
                          f"{vn_date(day.isoformat())}: {decree.reference} được ghi là bị thay thế bởi "
                          f"{successor.reference} ({known}; kho chỉ có {completeness}). Không ghi căn cứ pháp lý "
                          f"thay người soạn thảo: đối chiếu văn bản hiện hành.")
    return provision, None


def build_proposal(result: Classification, kb: KB, laws: LawBook, title: str | None = None) -> ProposalDocument:
    """The proposal section for one classified draft (see the module docstring for what it holds)."""
    day = result.as_of
    accepted = tuple(p for p in result.proposals if not p.alternative)
    review = tuple(getattr(result, "review", ()) or ())
    bases = tuple(_basis(p, kb) for p in accepted) if result.level else ()
    numbers = list(dict.fromkeys(b.decision for b in bases))
    provision, ground_note = legal_ground(laws, day) if bases else (None, None)
    notes = list(dict.fromkeys([w for p in accepted for w in p.warnings] + list(result.warnings)))
    copying = "☐ Được phép sao, chụp    ☐ Không được phép sao, chụp"
    fields = (
        FillField("Tên, trích yếu văn bản", title or BLANK, "" if title else "ghi tên và trích yếu của văn bản"),
        FillField("Nơi nhận", BLANK),
        FillField("Số lượng bản phát hành", BLANK),
        FillField("Sao, chụp", copying, "đánh dấu một ô"),
        FillField("Người soạn thảo", BLANK),
    ) if bases else (FillField("Tên, trích yếu văn bản", title or BLANK),)
    return ProposalDocument(
        title=title, as_of=day, as_of_source=result.as_of_source, level=result.level if bases else None,
        bases=bases,
        alternatives=tuple(_basis(p, kb) for p in result.proposals if p.alternative) if bases else (),
        review=tuple(_basis(p, kb) for p in review),
        decisions=tuple(_decision_note(kb, number, day) for number in numbers),
        protection=_protection(laws, result.level, day) if bases else None,
        ground=provision.citation if provision else None,
        ground_text=provision.text if provision else None,
        ground_note=ground_note,
        fields=fields,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    bullets: bool = False


HEADING = "ĐỀ XUẤT XÁC ĐỊNH BÍ MẬT NHÀ NƯỚC VÀ ĐỘ MẬT"


def sections(document: ProposalDocument) -> list[Section]:
    """The proposal as headed sections, in reading order; every renderer uses this."""
    day = vn_date(document.as_of.isoformat())
    out = [Section("Văn bản", (
        f"Tên, trích yếu: {document.title or BLANK}",
        f"Ngày xét hiệu lực của danh mục: {day} ({AS_OF_SOURCES.get(document.as_of_source, document.as_of_source)})",
    ))]
    if not document.bases:
        out.append(Section("Đề xuất", (
            f"Thông tin trong dự thảo KHÔNG thuộc danh mục bí mật nhà nước nào có hiệu lực vào ngày {day} "
            "(trong các danh mục có trong kho); không đề xuất xác định bí mật nhà nước.",)))
    else:
        out.append(Section("Đề xuất độ mật", (
            f"Đề xuất người đứng đầu cơ quan, tổ chức xác định thông tin trong văn bản là bí mật nhà nước, "
            f"độ “{document.level}”.",)))
        out.append(Section("Căn cứ xác định độ mật",
                           tuple(f"{b.citation} (độ {b.level}): “{b.text}”" for b in document.bases), bullets=True))
        confirm = tuple(f"{b.citation}: {line}" if len(document.bases) > 1 else line
                        for b in document.bases for line in b.conditions)
        if confirm:
            out.append(Section("Phạm vi, điều kiện mục danh mục đặt ra (người soạn thảo xác nhận dự thảo đáp ứng)",
                               confirm, bullets=True))
        out.append(Section("Quyết định ban hành danh mục và hiệu lực", tuple(
            f"{d.reference}" + (f" (lĩnh vực {d.field})" if d.field else "") + f": {d.validity}"
            + (f" {d.completeness}" if d.completeness else "") for d in document.decisions), bullets=True))
        if document.protection:
            out.append(Section("Thời hạn bảo vệ", (document.protection,)))
    if document.alternatives:
        out.append(Section("Phương án khác (không ghi làm căn cứ; chỉ chọn nếu căn cứ trên không đúng)",
                           tuple(f"{b.citation} (độ {b.level})" for b in document.alternatives), bullets=True))
    if document.review:
        out.append(Section("Cần xem xét (không ghi làm căn cứ)", tuple(
            f"{b.citation} (độ {b.level}): “{b.text}”" + (f" — {b.note}" if b.note else "") for b in document.review),
            bullets=True))
    if document.bases:
        out.append(Section("Nội dung người soạn thảo điền hoặc xác nhận", tuple(
            f"{f.label}: {f.value}" + (f" ({f.note})" if f.note else "") for f in document.fields), bullets=True))
        if document.ground:
            out.append(Section("Căn cứ pháp lý của việc đề xuất",
                               (f"{document.ground}:", f"“{document.ground_text}”")))
        elif document.ground_note:
            out.append(Section("Căn cứ pháp lý của việc đề xuất", (document.ground_note,)))
    if document.notes:
        out.append(Section("Lưu ý", document.notes, bullets=True))
    out.append(Section("Trách nhiệm quyết định", (DISCLAIMER,)))
    return out


def to_text(document: ProposalDocument) -> str:
    """Plain text to paste into a Phiếu trình."""
    lines = [HEADING, ""]
    for section in sections(document):
        lines += [section.heading.upper(), *(("- " if section.bullets else "") + p for p in section.paragraphs), ""]
    return "\n".join(lines)


def to_markdown(document: ProposalDocument) -> str:
    """Markdown: one level-2 heading per section, bullets where the section lists items."""
    lines = [f"# {HEADING}", ""]
    for section in sections(document):
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [f"- {paragraph}"] if section.bullets else [paragraph, ""]
        if section.bullets:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(document: ProposalDocument) -> bytes:
    """A .docx built in memory (python-docx): headings and paragraphs, no invented form layout."""
    from docx import Document

    word = Document()
    word.core_properties.title = HEADING
    word.core_properties.author = ""
    word.core_properties.comments = ""  # python-docx's template says "generated by python-docx", created in 2013
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    word.core_properties.created = word.core_properties.modified = now
    word.core_properties.language = "vi-VN"
    _set_language(word, "vi-VN")
    word.add_heading(HEADING, level=1)
    for section in sections(document):
        word.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            word.add_paragraph(paragraph, style="List Bullet" if section.bullets else None)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _set_language(word, tag: str) -> None:
    """Mark the text Vietnamese (document defaults), so Word checks its spelling as Vietnamese, not English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)  # Latin-script text; the East Asian and bidi defaults stay


def docx_filename(document: ProposalDocument) -> str:
    """An ASCII file name for the download, without any words of the draft."""
    return f"de-xuat-do-mat-{document.as_of.isoformat()}.docx"
