"""Build the knowledge base: files → parsed dataclasses → a new SQLite file → rename.

``build_kb`` writes to a temporary file beside the target and renames it into
place only after the new database validates, so a failed run never touches the
previous knowledge base.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable


from .datafiles import DataFileError, load_yaml
from .dates import parse_iso
from .errors import IngestError, KnowledgeBaseUnusable, ParseError
from .model import Decision, LawText, Level, Unit
from .parse import normalize_number, number_key, parse_decision, parse_law, parse_register, split_front_matter
from .readers import SUPPORTED_SUFFIXES, read_file
from .store import SCHEMA_VERSION, write_kb

DECISION_MARK = "QĐ-TTg"


def shipped_data_dir() -> Path:
    """data/ of the repository (editable install) or of the installed package."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir.parent / "data", package_dir.parent.parent / "data"):
        if (candidate / "decisions").is_dir():
            return candidate
    raise FileNotFoundError("không tìm thấy thư mục data/ đi kèm gói cancu")


def default_db_path() -> Path:
    """$CANCU_DB, else the user's data folder (XDG), so an installed cancu works anywhere."""
    if os.environ.get("CANCU_DB"):
        return Path(os.environ["CANCU_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cancu" / "cancu.db"


def shipped_sources() -> list[Path]:
    data = shipped_data_dir()
    return sorted([data / "decisions.csv", *data.glob("decisions/*.txt"), *data.glob("law/*.txt")])


def freshness_sources() -> list[Path]:
    """What the knowledge base depends on: the shipped sources, terms.yml and data/rules.yml.

    Editing one of them makes the knowledge base stale, so it is rebuilt.
    """
    # terms.yml is in: the protection_terms table is built from it. data/rules.yml ships with
    # the data and counts as part of it. An officer's own rules ($CANCU_RULES, --rules) are
    # left out: no row of the knowledge base is built from them. They change only how the
    # classifier reads the KB, and the classifier keys its per-item cache by the bytes of
    # every rules file in use (classifier/profiles.py). So switching --rules on and off
    # does not rebuild the KB.
    data = shipped_data_dir()
    return shipped_sources() + [p for p in (data / "terms.yml", data / "rules.yml") if p.exists()]


def fingerprint(paths: list[Path]) -> str:
    """Content hash of the source files: the database is stale when it changes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def collect_sources(paths: list[Path]) -> list[Path]:
    """Files given, and the supported files and registers (.csv) found recursively in folders given.

    Sub-folders that cannot be listed, FIFOs, devices and broken links are kept, so
    reading them fails with the reason instead of being skipped silently (ingest/collect.py).
    """
    from .collect import collect_files

    return collect_files(paths, SUPPORTED_SUFFIXES | {".csv"}, recursive=True)


@dataclass
class BuildReport:
    """What a build did: counts, skipped files with reasons, and notes."""

    db_path: Path
    decisions: int = 0
    items: int = 0
    laws: int = 0
    skipped: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BuildFailed(IngestError):
    """One or more sources failed and --keep-going was not given; nothing was written."""

    def __init__(self, errors: list[IngestError]):
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"{len(errors)} tệp không nhập được, cơ sở dữ liệu giữ nguyên:\n{lines}")


def _is_law(text: str, path: Path) -> bool:
    meta, _ = split_front_matter(text, path)
    return bool(meta) and DECISION_MARK not in str(meta.get("number", "")).replace("QD", "QĐ")


def load_sources(paths: list[Path]) -> tuple[list[Decision], list[LawText], dict[str, dict], list[IngestError], list[str]]:
    """Read and parse every source; errors are collected, not raised."""
    register: dict[str, dict] = {}
    errors: list[IngestError] = []
    for path in paths:
        if path.suffix.lower() == ".csv":
            try:
                register.update(parse_register(_read_csv(path), path))
            except IngestError as error:
                errors.append(error)
    decisions: dict[str, Decision] = {}
    laws: dict[str, LawText] = {}
    notes: list[str] = []
    for path in paths:
        if path.suffix.lower() == ".csv":
            continue
        try:
            document = read_file(path)  # a decision typed in a legacy font is converted, and the note says so
            text = document.text
            notes.extend(f"{path.name}: {warning}" for warning in document.warnings)
            if path.suffix.lower() in (".txt", ".md") and _is_law(text, path):
                law = parse_law(text, path)
                laws[law.number] = law
                continue
            decision = parse_decision(text, path, register)
        except IngestError as error:
            errors.append(error)
            continue
        if decision.number in decisions:
            notes.append(f"{path.name}: thay cho văn bản {decisions[decision.number].source_file} "
                         f"của cùng quyết định {decision.number}")
        decisions[decision.number] = decision
        notes.extend(f"{path.name}: {warning}" for warning in decision.warnings)
    return list(decisions.values()), list(laws.values()), register, errors, notes


def _read_csv(path: Path) -> str:
    """The register's text, through the same boundary as every other source (regular file, size, UTF-8)."""
    from .readers import decode_bytes, read_regular_bytes

    return decode_bytes(read_regular_bytes(path), path, guess_encoding=False)


def _register_only(row: dict) -> Decision:
    """A decision known from the register whose text is not in the knowledge base."""
    return Decision(
        number=row["number"],
        date=dt.date.fromisoformat(row["date"]) if row.get("date") else None,
        title=row.get("title") or None,
        field=row.get("field") or None,
        issuer="Thủ tướng Chính phủ",
        effective=None,
        status=row.get("status") or None,
        replaces=tuple(normalize_number(n) or n for n in (row.get("replaces") or "").split(";") if n.strip()),
        replaced_by=normalize_number(row.get("replaced_by") or "") or None,
        text_completeness=None,
        missing="Không có văn bản trong kho dữ liệu (chỉ có trong sổ đăng ký decisions.csv).",
        sources=(),
        source_file=None,
    )


def merge_register(decisions: list[Decision], register: dict[str, dict]) -> tuple[list[Decision], list[str]]:
    """Add register-only decisions and fill replacement links stated on either side."""
    notes: list[str] = []
    by_number = {d.number: d for d in decisions}
    for number, row in register.items():
        if number not in by_number:
            by_number[number] = _register_only(row)
            continue
        decision = by_number[number]
        registered = normalize_number(row.get("replaced_by") or "")
        if registered and decision.replaced_by and registered != decision.replaced_by:
            notes.append(f"{number}: sổ đăng ký ghi bị thay thế bởi {registered}, văn bản ghi {decision.replaced_by}")
        if registered and not decision.replaced_by:
            by_number[number] = replace(decision, replaced_by=registered)
    # "X replaces Y" stated by X is enough to close Y.
    for decision in list(by_number.values()):
        for old in (*decision.replaces, *decision.stated_replaces):
            if old in by_number and not by_number[old].replaced_by:
                by_number[old] = replace(by_number[old], replaced_by=decision.number)
    ordered = sorted(by_number.values(), key=lambda d: (d.valid_from or dt.date.max, number_key(d.number)))
    return ordered, notes


def validity(decisions: list[Decision]) -> dict[str, tuple[dt.date | None, str | None]]:
    """valid_until and replaced_by of every decision.

    A decision is in force from its effective date (or its signing date when
    that is unknown) until the date the decision named in ``replaced_by`` takes
    effect. When that date is unknown the replacement is recorded but no end
    date is invented.
    """
    by_number = {d.number: d for d in decisions}
    result = {}
    for decision in decisions:
        successor = by_number.get(decision.replaced_by) if decision.replaced_by else None
        result[decision.number] = (successor.valid_from if successor else None, decision.replaced_by)
    return result


def item_end_dates(decisions: list[Decision], until: dict[str, tuple[dt.date | None, str | None]]):
    """Function giving each unit's end of validity: replacement or partial repeal, whichever first."""
    repeals: dict[tuple[str, int | None, int], dt.date] = {}
    for decision in decisions:
        for repeal in decision.repeals:
            for clause in repeal.clauses:
                if decision.valid_from:
                    repeals[(repeal.decision, repeal.article, clause)] = decision.valid_from

    def end(decision: Decision, unit: Unit) -> dt.date | None:
        dates = [until[decision.number][0], repeals.get((decision.number, unit.article, unit.clause))]
        dates = [d for d in dates if d]
        return min(dates) if dates else None

    return end


def load_terms(data_dir: Path, laws: list[LawText]) -> list[dict]:
    """Protection terms from terms.yml, each checked against the law text it names.

    A malformed entry is a TermsError naming the file, the entry and what is wrong.
    """
    path = data_dir / "terms.yml"
    if not path.exists():
        return []
    entries = load_yaml(path, TermsError) or []
    if not isinstance(entries, list):
        raise TermsError(path, "tệp phải là một danh sách các mục (- law: …)")
    by_number = {law.number: law for law in laws}
    rows = []
    for index, entry in enumerate(entries, start=1):
        _check_term(entry, index, path)
        years = entry.get("years") or {}
        for level in Level:
            count = years.get(level.value) if years else None
            row = {"law": entry["law"], "level": level.value, "years": count, "article": entry.get("article"),
                   "clause": entry.get("clause"), "point": None, "valid_from": entry.get("valid_from"),
                   "valid_until": entry.get("valid_until")}
            if count is not None:
                row["point"] = _term_point(by_number.get(entry["law"]), entry, level, count, path)
            rows.append(row)
    return rows


class TermsError(DataFileError):
    """terms.yml is malformed."""

    what = "thời hạn bảo vệ không hợp lệ"


def _check_term(entry, index: int, path: Path) -> None:
    """One entry of terms.yml has the shape the ingest relies on."""
    name = f"mục thứ {index}" + (f" ({entry.get('law')})" if isinstance(entry, dict) and entry.get("law") else "")
    if not isinstance(entry, dict):
        raise TermsError(path, "mỗi mục phải có dạng 'law: …, years: …'", name)
    if not entry.get("law"):
        raise TermsError(path, "thiếu 'law' (số hiệu luật, ví dụ \"29/2018/QH14\")", name)
    unknown = sorted(set(entry) - {"law", "article", "clause", "valid_from", "valid_until", "years"})
    if unknown:
        raise TermsError(path, f"khóa không dùng được: {', '.join(map(str, unknown))}", name)
    for key in ("valid_from", "valid_until"):
        value = entry.get(key)
        try:
            parse_iso(value)
        except (TypeError, ValueError):
            raise TermsError(path, f"'{key}' phải là ngày dạng YYYY-MM-DD, không phải {value!r}", name) from None
    years = entry.get("years")
    if years is not None and not isinstance(years, dict):
        raise TermsError(path, "'years' phải ghi số năm theo từng độ mật (Tuyệt mật: 30, …) hoặc null", name)
    for level, count in (years or {}).items():
        if level not in {lv.value for lv in Level}:
            raise TermsError(path, f"'{level}' không phải độ mật (Tuyệt mật, Tối mật, Mật)", name)
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count <= 0):
            raise TermsError(path, f"số năm của độ {level} phải là số nguyên dương, không phải {count!r}", name)


def _term_point(law: LawText | None, entry: dict, level: Level, years: int, path: Path) -> str | None:
    wanted = f"{years} năm đối với bí mật nhà nước độ {level.value}"
    for provision in (law.provisions if law else ()):
        if (provision.article, provision.clause) == (entry.get("article"), entry.get("clause")) and wanted in provision.text:
            return provision.point
    raise ParseError(path, None, f"thời hạn '{wanted}' không có trong khoản {entry.get('clause')} "
                     f"Điều {entry.get('article')} {entry['law']} của kho văn bản")


def build_kb(
    db_path: Path,
    sources: list[Path] | None = None,
    *,
    include_shipped: bool = True,
    keep_going: bool = False,
) -> BuildReport:
    """Build the knowledge base at ``db_path`` from the shipped data and/or ``sources``.

    Raises BuildFailed (and writes nothing) when a source fails and ``keep_going``
    is false; with ``keep_going`` the failures are listed in the report.
    """
    db_path = Path(db_path)
    shipped = shipped_sources() if include_shipped else []
    extra = collect_sources([Path(p) for p in sources or []])
    paths = shipped + [p for p in extra if p not in shipped]
    decisions, laws, register, errors, notes = load_sources(paths)
    if errors and not keep_going:
        raise BuildFailed(errors)
    if not decisions:
        raise BuildFailed(errors or [IngestError("không có quyết định nào để nhập")])
    decisions, merge_notes = merge_register(decisions, register)
    until = validity(decisions)
    terms = load_terms(shipped_data_dir(), laws) if include_shipped else []
    meta = {
        "schema_version": SCHEMA_VERSION,
        "data_fingerprint": fingerprint(freshness_sources()) if shipped else "",
        "built_from": "shipped" if include_shipped and not extra else "custom",
        "sources": str(len(paths) - len(errors)),
    }
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        write_kb(temporary, decisions, until, item_end_dates(decisions, until), laws, terms, meta)
        report = _validate(temporary, db_path)
        _durable_replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
    report.skipped = errors
    report.notes = notes + merge_notes
    return report


def remove_leftovers(db_path: Path) -> list[Path]:
    """Delete the temporary files of builds that were killed (their process no longer exists)."""
    removed = []
    for leftover in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        pid = leftover.name[len(db_path.name) + 2:-len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass  # another run removed it first, or the folder is read-only: harmless
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _durable_replace(temporary: Path, db_path: Path) -> None:
    """Rename the new database into place after its bytes, then the rename itself, reach the disk."""
    descriptor = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, db_path)
    try:
        folder = os.open(db_path.parent, os.O_RDONLY)
    except OSError:
        return  # a platform without directory descriptors: the rename is still atomic
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def _validate(temporary: Path, db_path: Path) -> BuildReport:
    connection = sqlite3.connect(temporary)
    try:
        (check,) = connection.execute("pragma integrity_check").fetchone()
        if check != "ok":
            raise IngestError(f"cơ sở dữ liệu mới không hợp lệ ({check}); giữ nguyên bản cũ")
        decisions = connection.execute("select count(*) from decisions where has_text").fetchone()[0]
        items = connection.execute("select count(*) from items where catalog_item").fetchone()[0]
        laws = connection.execute("select count(*) from laws").fetchone()[0]
    finally:
        connection.close()
    return BuildReport(db_path=db_path, decisions=decisions, items=items, laws=laws)


def kb_is_current(db_path: Path) -> bool:
    """True when the database exists, has this version's schema and was built from the shipped data as it is now.

    A database built from the user's own sources is never overwritten behind their
    back; one of an older schema is refused with a message (KnowledgeBaseUnusable).
    """
    if not db_path.exists():
        return False
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            (version,) = connection.execute("pragma user_version").fetchone()
            meta = dict(connection.execute("select key, value from meta").fetchall())
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise KnowledgeBaseUnusable(db_path, "không phải cơ sở dữ liệu của cancu hoặc đã hỏng",
                                    "chọn tệp khác bằng --db hoặc xóa tệp này để dựng lại") from None
    if meta.get("built_from") != "shipped":
        if str(version) != SCHEMA_VERSION:
            raise KnowledgeBaseUnusable(db_path, f"cơ sở dữ liệu dựng từ văn bản riêng theo lược đồ phiên bản {version}, "
                                        f"bản cancu này cần phiên bản {SCHEMA_VERSION}",
                                        "dựng lại bằng `cancu ingest <văn bản> --no-shipped --db <tệp>`")
        return True
    return str(version) == SCHEMA_VERSION and meta.get("data_fingerprint") == fingerprint(freshness_sources())


def ensure_kb(db_path: Path | None = None, warn: Callable[[str], None] | None = None) -> Path:
    """The knowledge base path, building it from the shipped data when missing or stale.

    When the rebuild of a stale database fails (disk full, read-only folder), the
    existing one is used if it can be read, and ``warn`` is told why.
    """
    db_path = Path(db_path) if db_path else default_db_path()
    if kb_is_current(db_path):
        return db_path
    try:
        build_kb(db_path)
    except (OSError, sqlite3.Error, IngestError) as error:
        if not _usable(db_path):
            raise
        if warn:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            warn(f"không dựng lại được {db_path} từ dữ liệu đi kèm ({reason}); dùng bản hiện có, có thể đã cũ")
    return db_path


def _usable(db_path: Path) -> bool:
    """An existing database of this schema that a snapshot can be read from."""
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            (version,) = connection.execute("pragma user_version").fetchone()
            connection.execute("select 1 from items limit 1").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return str(version) == SCHEMA_VERSION
