"""Check drafts before they go out: stamp, stated basis, and what the catalog says.

For each draft: read the stamp, the date and the stated bases (drafts.py); verify
every basis against the knowledge-base snapshot (does the item exist, was its
decision in force on the draft's date, does the stamp equal its level); ask the
classifier for its own proposal; and turn the faults into findings with stable
codes and Vietnamese messages. Only short evidence spans of a draft ever leave
this module; the draft's text is read, used and dropped.

Finding codes (stable, documented in README "cancu check"):

- ``unreadable``: the file could not be read as text.
- ``damaged_text``: the file was read, but bytes were replaced or lines read in another encoding;
  the other findings still stand, but the drafter should check the original file.
- ``missing_basis``: stamped, but no catalog item is cited (khoản 1 Điều 10 Luật 29/2018/QH14
  requires the drafter to propose the level "căn cứ vào danh mục bí mật nhà nước").
- ``unknown_basis``: the cited item does not exist in a decision whose full text is in the KB.
- ``basis_unverifiable``: the cited item is not in the KB, but the decision's text there is
  partial, a summary or absent, so its absence proves nothing (``basis_exists`` is null).
- ``basis_not_in_force``: the cited decision was not in force on the draft's date; the
  decision in force instead is named with its citation.
- ``basis_date_mismatch``: the date written for the cited decision differs from the KB.
- ``basis_likely_decision``: the cited number is not in the register, but one registered decision
  was signed on the date the draft writes for it and covers the draft's field (named in the draft,
  or proposed by the classifier): it is named as the likely one. Nothing is corrected: the basis
  stays unverifiable (``basis_exists`` null) until the drafter fixes the number.
- ``stamp_mismatch``: the stamp differs from the (highest) level of the cited items.
- ``unstamped_secret``: no stamp, but a cited item or the classifier finds a catalog item.
- ``not_in_catalog``: stamped, but neither a cited item nor the classifier finds any item.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import signal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from cancu.ingest.citation import decision_reference
from cancu.ingest.collect import collect_files
from cancu.ingest.dates import judged_date, today as today_in_vietnam
from cancu.ingest.errors import SourceUnreadable
from cancu.ingest.model import Level
from cancu.ingest.readers import SUPPORTED_SUFFIXES, read_file
from cancu.ingest.text import draft_text as read_as_draft, fold, vn_date

from .drafts import DraftFacts, StatedBasis, read_draft
from cancu.kb import KB, DecisionRecord, ItemRecord, load_kb
from cancu.classifier.model import Classification, Proposal

UNIT_KINDS = ("point", "clause", "article", "level")  # printed provisions, before bullets/paragraphs

FINDING_TITLES = {
    "unreadable": "Không đọc được tệp",
    "damaged_text": "Tệp có byte lỗi, trộn bảng mã hoặc gõ bằng bảng mã cũ",
    "missing_basis": "Thiếu căn cứ xác định độ mật",
    "unknown_basis": "Căn cứ không tồn tại",
    "basis_unverifiable": "Chưa kiểm chứng được căn cứ",
    "basis_not_in_force": "Căn cứ đã hết hiệu lực",
    "basis_date_mismatch": "Ghi sai ngày của quyết định",
    "basis_likely_decision": "Số quyết định không có trong sổ đăng ký, có thể là quyết định khác",
    "stamp_mismatch": "Dấu độ mật không khớp căn cứ",
    "unstamped_secret": "Chưa đóng dấu độ mật",
    "not_in_catalog": "Không thuộc danh mục",
}



def _rank(level: str) -> int:
    """Order of levels: the highest one stamps the document (khoản 2 Điều 10 Luật 29/2018/QH14)."""
    return Level(level).rank


@dataclass(frozen=True)
class Finding:
    """A fault of a draft: a stable code and what the drafter should do, in Vietnamese."""

    code: str
    message: str

    @property
    def title(self) -> str:
        return FINDING_TITLES[self.code]

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "message": self.message}


@dataclass(frozen=True)
class BasisCheck:
    """One stated basis verified against the knowledge base."""

    basis: StatedBasis
    exists: bool | None  # None: cannot be shown either way (decision text partial or absent)
    in_force: bool | None
    level: str | None  # level of the cited item in the KB
    citation: str | None  # the KB's citation of the cited item
    successor: str | None = None  # the decision in force on the draft's date instead
    successor_citation: str | None = None
    findings: tuple[Finding, ...] = ()
    likely_decision: str | None = None  # an unregistered number's likely decision (same date and field)

    def to_dict(self) -> dict:
        return {
            **self.basis.to_dict(),
            "exists": self.exists,
            "in_force": self.in_force,
            "level": self.level,
            "citation": self.citation,
            "replaced_by": self.successor,
            "replaced_by_citation": self.successor_citation,
            "likely_decision": self.likely_decision,
        }


@dataclass(frozen=True)
class CheckResult:
    """The verdicts and findings for one draft (no draft text besides evidence spans)."""

    file: str
    date: dt.date | None
    date_source: str | None  # "option" | "header" | "header_month" (day left blank: 1st of month) | "today"
    stamp: str | None
    bases: tuple[BasisCheck, ...] = ()
    level: str | None = None
    proposals: tuple[Proposal, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str | None = None

    @property
    def has_basis(self) -> bool:
        return bool(self.bases)

    @property
    def basis_exists(self) -> bool | None:
        """False if any cited item does not exist, True if all do, else None (no basis / unverifiable)."""
        values = [b.exists for b in self.bases]
        if not values:
            return None
        if False in values:
            return False
        return True if all(values) else None

    @property
    def basis_in_force(self) -> bool | None:
        """Whether every cited decision that can be judged was in force; None when no basis exists."""
        values = [b.in_force for b in self.bases if b.exists is not False and b.in_force is not None]
        if not values:
            return None
        return all(values)

    @property
    def basis_level(self) -> str | None:
        """The highest level among the existing cited items."""
        levels = [b.level for b in self.bases if b.exists and b.level]
        return max(levels, key=_rank) if levels else None

    @property
    def stamp_matches_basis(self) -> bool | None:
        level = self.basis_level
        if level is None:
            return None
        return self.stamp == Level(level).stamp

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "stamp": self.stamp,
            "basis": [b.to_dict() for b in self.bases],
            "has_basis": self.has_basis,
            "basis_exists": self.basis_exists,
            "basis_in_force": self.basis_in_force,
            "stamp_matches_basis": self.stamp_matches_basis,
            "level": self.level,
            "proposals": [p.to_dict() for p in self.proposals],
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
        }


# --------------------------------------------------------------------------- verification


def _unit(kb: KB, basis: StatedBasis) -> ItemRecord | None:
    """The provision a basis cites, preferring the numbered unit over bullets under it."""
    if basis.level_list:
        # "khoản 2 phần Bí mật nhà nước độ Mật": the clause of the list of that level, numbered or not
        record = kb.decision(basis.decision)
        units = [item for item in kb.items if record and item.decision == record.number
                 and item.level == basis.level_list and (item.clause, item.point) == (basis.clause, basis.point)]
    else:
        units = kb.find_units(basis.decision, basis.article, basis.clause, basis.point)
    units.sort(key=lambda item: (item.article is not None,
                                 UNIT_KINDS.index(item.kind) if item.kind in UNIT_KINDS else 9, item.position))
    return units[0] if units else None


def _decision_citation(record: DecisionRecord) -> str:
    return decision_reference(record.number, record.date, record.issuer)


def _in_force_instead(kb: KB, record: DecisionRecord, on: dt.date) -> DecisionRecord | None:
    """The decision in force on ``on`` in place of ``record``: its successor, or the one it replaced."""
    successor = kb.successor_on(record.number, on)
    if successor:
        return successor
    if record.valid_from and on < record.valid_from:
        for number in record.replaces:
            earlier = kb.decision(number)
            if earlier and earlier.in_force_on(on):
                return earlier
    return None


def verify_basis(basis: StatedBasis, kb: KB, on: dt.date) -> BasisCheck:
    """Check one stated basis: existence, validity on ``on``, and the cited date.

    Only a decision whose full text is in the KB can show that an item does not
    exist; otherwise a missing item is ``basis_unverifiable`` and ``exists`` is None.
    """
    record = kb.decision(basis.decision)
    if record is None:
        message = (f"Dự thảo viện dẫn {basis.reference}, nhưng quyết định này không có trong sổ đăng ký danh mục "
                   "bí mật nhà nước của cơ sở dữ liệu, nên chưa kiểm chứng được. Kiểm tra lại số hiệu quyết định; "
                   "nếu đúng, cập nhật cơ sở dữ liệu (cancu ingest) rồi kiểm tra lại.")
        return BasisCheck(basis, None, None, None, None, findings=(Finding("basis_unverifiable", message),))
    findings: list[Finding] = []
    unit = _unit(kb, basis)
    level = citation = None
    if unit is not None and unit.level:
        exists, level, citation = True, unit.level, unit.citation
    elif unit is not None:
        exists = False
        findings.append(Finding("unknown_basis", (
            f"{basis.reference} không phải là mục của danh mục bí mật nhà nước (không quy định độ mật). "
            "Nêu đúng điểm, khoản, Điều liệt kê nội dung bí mật nhà nước.")))
    elif (repeal := kb.repeal_of(record.number, basis.article, basis.clause)) and basis.point is None:
        exists = True  # the repealing decision names it, although the KB's text of this decision lacks it
        if repeal.effective and on >= repeal.effective:
            findings.append(Finding("basis_not_in_force", (
                f"{basis.reference} đã bị bãi bỏ từ {vn_date(repeal.effective.isoformat())} theo "
                f"{_decision_citation(kb.decisions[repeal.repealed_by])}. Xác định lại căn cứ theo danh mục đang có hiệu lực.")))
            return BasisCheck(basis, True, False, None, None, findings=tuple(findings))
    elif record.is_complete:
        exists = False
        findings.append(Finding("unknown_basis", (
            f"{basis.reference} không tồn tại: {_decision_citation(record)} không có "
            f"{basis.provision}. Sửa lại căn cứ cho đúng mục của danh mục.")))
    else:
        exists = None
        what = {"partial": "chỉ có một phần văn bản", "summary": "chỉ có bản tóm tắt"}.get(
            record.text_completeness or "", "không có văn bản")
        findings.append(Finding("basis_unverifiable", (
            f"Không tìm thấy {basis.reference} trong cơ sở dữ liệu, nhưng cơ sở dữ liệu {what} của "
            f"{_decision_citation(record)}, nên chưa khẳng định được mục này có hay không. "
            "Đối chiếu với bản chính của quyết định.")))
    in_force = successor = successor_citation = None
    if exists and unit is not None and not unit.in_force_on(on) and record.in_force_on(on):
        in_force = False  # the decision stands but this provision was repealed (e.g. by 19/QĐ-TTg)
        findings.append(Finding("basis_not_in_force", (
            f"{basis.reference} đã hết hiệu lực từ {vn_date(unit.valid_until.isoformat())} (bị bãi bỏ), dù "
            f"{_decision_citation(record)} vẫn còn hiệu lực. Xác định lại căn cứ theo danh mục đang có hiệu lực.")))
    elif exists is not False:
        in_force = record.in_force_on(on)
        if not in_force:
            instead = _in_force_instead(kb, record, on)
            successor = instead.number if instead else None
            successor_citation = _decision_citation(instead) if instead else None
            findings.append(Finding("basis_not_in_force", _not_in_force_message(basis, record, on, instead)))
    if basis.cited_date and record.date and basis.cited_date != record.date:
        findings.append(Finding("basis_date_mismatch", (
            f"Dự thảo ghi Quyết định số {record.number} ngày {vn_date(basis.cited_date.isoformat())}; theo cơ sở dữ liệu là "
            f"{_decision_citation(record)}. Sửa lại ngày ban hành.")))
    return BasisCheck(basis, exists, in_force, level, citation, successor, successor_citation, tuple(findings))


def _field_phrases(field: str | None) -> list[str]:
    """The folded phrases of a decision's field: "giáo dục và đào tạo" → ["giao duc", "dao tao"]."""
    parts = re.split(r",|\(|\)|;|\bvà\b", field or "")
    return [phrase for phrase in (" ".join(fold(part).split()) for part in parts) if " " in phrase]


def likely_decision(basis: StatedBasis, kb: KB, draft_folded: str, proposals: tuple[Proposal, ...]) -> DecisionRecord | None:
    """The registered decision a basis with an unregistered number most likely means, or None.

    It must have been signed on the date the draft writes for the cited decision and
    cover the draft's field: a phrase of its field is in the draft, or the classifier
    proposes one of its items. Only a single such decision is named; it is a hint for
    the drafter, never a correction.
    """
    if basis.cited_date is None or kb.decision(basis.decision) is not None:
        return None
    proposed = {proposal.decision for proposal in proposals}
    words = " ".join(re.findall(r"\w+", draft_folded))
    matching = [record for record in kb.decisions.values() if record.date == basis.cited_date
                and (record.number in proposed
                     or any(re.search(rf"\b{re.escape(p)}\b", words) for p in _field_phrases(record.field)))]
    return matching[0] if len(matching) == 1 else None


def _with_likely_decision(check: BasisCheck, kb: KB, draft_folded: str, proposals: tuple[Proposal, ...]) -> BasisCheck:
    """Name the likely decision of an unregistered number in place of the plain "not in the register"."""
    likely = likely_decision(check.basis, kb, draft_folded, proposals)
    if likely is None:
        return check
    basis = check.basis
    message = (f"Dự thảo viện dẫn {basis.reference} ngày {vn_date(basis.cited_date.isoformat())}, nhưng số "
               f"{basis.decision} không có trong sổ đăng ký danh mục bí mật nhà nước. Quyết định ký cùng ngày, cùng "
               f"lĩnh vực ({likely.field}) có trong cơ sở dữ liệu là {_decision_citation(likely)}: có thể dự thảo ghi "
               "nhầm số hiệu.")
    unit = _unit(kb, replace(basis, decision=likely.number))
    if unit is not None and unit.level:
        message += f" Mục tương ứng của quyết định đó: {unit.citation} (độ {unit.level})."
    message += " Công cụ không tự sửa: đối chiếu bản chính rồi sửa số hiệu trong dự thảo."
    findings = tuple(f for f in check.findings if f.code != "basis_unverifiable")
    return replace(check, findings=(Finding("basis_likely_decision", message), *findings),
                   likely_decision=likely.number)


def _not_in_force_message(basis: StatedBasis, record: DecisionRecord, on: dt.date, instead: DecisionRecord | None) -> str:
    day = vn_date(on.isoformat())
    if record.valid_from and on < record.valid_from:
        state = f"chưa có hiệu lực vào ngày {day} (có hiệu lực từ {vn_date(record.valid_from.isoformat())})"
    elif record.replaced_by:
        state = f"đã được thay thế bởi Quyết định số {record.replaced_by} từ {vn_date(record.valid_until.isoformat())}" \
            if record.valid_until else f"đã được thay thế bởi Quyết định số {record.replaced_by}"
    else:
        state = f"không còn hiệu lực vào ngày {day}"
    message = f"Căn cứ {basis.reference} {state}."
    if instead:
        message += f" Vào ngày {day}, văn bản có hiệu lực là {_decision_citation(instead)}; xác định lại căn cứ theo quyết định này."
    else:
        message += " Xác định lại căn cứ theo danh mục đang có hiệu lực."
    return message


# --------------------------------------------------------------------------- the whole draft


def _proposal_hint(proposals: tuple[Proposal, ...]) -> str:
    if not proposals:
        return ""
    best = proposals[0]
    return f" Gợi ý của công cụ: {best.citation} (độ {best.level})."


def _with_hint(finding: Finding, check: BasisCheck, proposals: tuple[Proposal, ...]) -> Finding:
    """Point a replaced basis to the classifier's item of the decision in force, a wrong one to its best item."""
    if finding.code == "basis_not_in_force" and check.successor:
        match = next((p for p in proposals if p.decision == check.successor), None)
        if match:
            return Finding(finding.code, f"{finding.message} Mục tương ứng công cụ tìm thấy: {match.citation} (độ {match.level}).")
    if finding.code == "unknown_basis" and proposals:
        return Finding(finding.code, finding.message + _proposal_hint(proposals))
    return finding


def draft_findings(facts: DraftFacts, checks: tuple[BasisCheck, ...], classification: Classification | None) -> list[Finding]:
    """The findings of one draft, in a fixed order: basis, then stamp, then catalog."""
    stamp = facts.stamp.stamp if facts.stamp else None
    proposals = classification.proposals if classification and classification.level else ()
    findings: list[Finding] = []
    if stamp and not checks:
        message = f"Dự thảo đóng dấu {stamp} nhưng không nêu căn cứ (điểm, khoản, Điều của quyết định ban hành danh mục bí mật nhà nước)."
        if facts.other_references:
            message += (f" Dự thảo chỉ viện dẫn {', '.join(facts.other_references)}: các văn bản này không phải "
                        "danh mục bí mật nhà nước.")
        if facts.decisions_without_article:
            message += (f" Dự thảo nêu Quyết định số {', '.join(facts.decisions_without_article)} nhưng không ghi "
                        "Điều, khoản, điểm.")
        findings.append(Finding("missing_basis", message + " Bổ sung căn cứ cụ thể." + _proposal_hint(proposals)))
    for check in checks:
        findings.extend(_with_hint(f, check, proposals) for f in check.findings)
    result_level = max((c.level for c in checks if c.exists and c.level), key=_rank, default=None)
    if stamp and result_level and stamp != Level(result_level).stamp:
        cited = next(c for c in checks if c.exists and c.level == result_level)
        findings.append(Finding("stamp_mismatch", (
            f"Dự thảo đóng dấu {stamp}, nhưng {cited.citation} thuộc độ {result_level}. "
            f"Sửa dấu thành {Level(result_level).stamp} hoặc xem lại căn cứ.")))
    if not stamp and (result_level or proposals):
        if result_level:
            cited = next(c for c in checks if c.exists and c.level == result_level)
            why = f"dự thảo viện dẫn {cited.citation} (độ {result_level})"
            stamp_needed = Level(result_level).stamp
        else:
            why = f"nội dung khớp với {proposals[0].citation} (độ {proposals[0].level})"
            stamp_needed = Level(classification.level).stamp
        findings.append(Finding("unstamped_secret", (
            f"Dự thảo chưa đóng dấu độ mật, nhưng {why}. Xem xét đóng dấu {stamp_needed} và nêu căn cứ, "
            "hoặc ghi rõ vì sao nội dung không thuộc danh mục.")))
    verifiable = all(c.exists is not None for c in checks)
    if stamp and not result_level and not proposals and verifiable:
        findings.append(Finding("not_in_catalog", (
            f"Dự thảo đóng dấu {stamp}, nhưng cả căn cứ nêu trong dự thảo lẫn công cụ đều không tìm thấy mục nào "
            "trong các danh mục bí mật nhà nước có trong cơ sở dữ liệu. Không xác định bí mật nhà nước ngoài "
            "danh mục: xem lại việc đóng dấu, hoặc nêu đúng mục của danh mục áp dụng.")))
    return findings


Classify = Callable[..., Classification]


def check_text(draft_text: str, kb: KB, *, file: str = "", as_of: dt.date | None = None,
               today: dt.date | None = None, classify: Classify | None = None) -> CheckResult:
    """Check one draft's text: ``as_of`` overrides the header date; without either, ``today``."""
    if classify is None:
        from cancu.classifier.classify import classify  # imported late: the classifier loads its language tools
    facts = read_draft(draft_text)
    day, source = judged_date(read_as_draft(draft_text), as_of, today)  # the date classify reads, by one reading
    stamp = facts.stamp.stamp if facts.stamp else None
    checks = tuple(verify_basis(basis, kb, day) for basis in facts.bases)
    classification = classify(draft_text, kb, as_of=day)
    proposals = tuple(classification.proposals) if classification.level else ()
    folded = fold(draft_text)
    checks = tuple(_with_likely_decision(check, kb, folded, proposals) for check in checks)
    findings = draft_findings(facts, checks, classification)
    return CheckResult(file, day, source, stamp, checks, classification.level,
                       tuple(classification.proposals), tuple(findings))


def unreadable_result(file: str, reason: str) -> CheckResult:
    message = f"Không đọc được tệp: {reason}. Lưu lại tệp dưới dạng .docx, .pdf có lớp chữ hoặc .txt Unicode rồi kiểm tra lại."
    return CheckResult(file, None, None, None, findings=(Finding("unreadable", message),), error=reason)


def check_file(path: str | Path, kb: KB, *, as_of: dt.date | None = None, today: dt.date | None = None) -> CheckResult:
    """Read and check one file; an unreadable file becomes an ``unreadable`` result, not an error."""
    try:
        document = read_file(path, guess_encoding=True)
    except SourceUnreadable as error:
        return unreadable_result(str(path), error.reason)
    result = check_text(document.text, kb, file=str(path), as_of=as_of, today=today)
    return with_reading_warnings(result, document.warnings)


def with_reading_warnings(result: CheckResult, warnings: tuple[str, ...]) -> CheckResult:
    """Put what the reader replaced or mixed (bad bytes, two encodings) first among the findings."""
    if not warnings:
        return result
    message = "Tệp đọc được nhưng " + "; ".join(warnings) + "."
    return replace(result, findings=(Finding("damaged_text", message), *result.findings))


# --------------------------------------------------------------------------- batches


# Document formats found in folders of drafts that cannot be read yet: listed so that the
# report says so (``unreadable``) instead of silently leaving them out.
UNSUPPORTED_DOCUMENTS = {".doc", ".rtf", ".odt"}


def collect_drafts(paths: Iterable[str | Path], recursive: bool = False) -> list[Path]:
    """Files named on the command line, and the documents of named folders, in order.

    A file named explicitly is always checked, and so are .doc/.rtf/.odt files in
    folders, so an unsupported draft is reported, not ignored. What a folder gives (lock
    and hidden files left out; FIFOs, devices, broken links and locked sub-folders kept,
    so that checking them reports them as ``unreadable``) is ``cancu.ingest.collect``'s one rule.
    """
    return collect_files(paths, SUPPORTED_SUFFIXES | UNSUPPORTED_DOCUMENTS, recursive=recursive)


_WORKER: dict = {}


def _init_worker(db_path: str, as_of: dt.date | None, today: dt.date | None, image: bytes | None = None) -> None:
    """Each worker process loads the KB snapshot once, from the parent's copy (one KB for the whole batch).

    Ctrl+C is the parent's to handle (it stops the pool): a worker ignores it, or each one
    prints "Process ForkPoolWorker-N:" and a traceback under the user's "Đã dừng.".
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(kb=load_kb(db_path, image), as_of=as_of, today=today)


def _check_in_worker(path: str) -> CheckResult:
    return check_file(path, _WORKER["kb"], as_of=_WORKER["as_of"], today=_WORKER["today"])


def check_files(paths: list[Path], db_path: str | Path, *, as_of: dt.date | None = None, workers: int = 1,
                today: dt.date | None = None, kb: KB | None = None) -> Iterator[CheckResult]:
    """One result per file, in the order given; with ``workers`` > 1, N processes share the work."""
    today = today or today_in_vietnam()
    if workers <= 1 or len(paths) < 2:
        kb = kb or load_kb(db_path)
        for path in paths:
            yield check_file(path, kb, as_of=as_of, today=today)
        return
    fork = os.name == "posix"
    context = multiprocessing.get_context("fork" if fork else "spawn")
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    if fork:
        # The word segmenter (underthesea's CRF model) is the same for every KB: load it once, here,
        # and forked workers inherit it instead of each loading its own.
        from cancu.classifier.textprep import prepare

        prepare("Kính gửi: Ủy ban nhân dân tỉnh.")
    image = (kb or load_kb(db_path)).serialize()
    with context.Pool(workers, initializer=_init_worker, initargs=(str(db_path), as_of, today, image)) as pool:
        yield from pool.imap(_check_in_worker, [str(p) for p in paths], chunksize=chunk)
