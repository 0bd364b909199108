"""Turn the text of a catalog decision (or a law) into dataclasses.

Every number is kept as the text prints it; a number the text does not give
stays None and is never guessed from position.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable

import yaml

from .datafiles import SAFE_LOADER, yaml_problem
from .dates import find_date, header_date, parse_iso
from .errors import ParseError
from .model import Decision, LawProvision, LawText, Level, Repeal, Source, Unit, UnitKind
from .text import clean_line, file_name, nfc

ARTICLE_RE = re.compile(r"^Điều\s+(\d+)\s*[.:]?\s*(.*)$", re.IGNORECASE)
LEVEL_RE = re.compile(
    r"^(?:danh mục\s+)?bí mật nhà nước\s+độ\s+[\"“”']?(tuyệt mật|tối mật|mật)\b[\"“”']?",
    re.IGNORECASE,
)
CLAUSE_RE = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
POINT_RE = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
BULLET_RE = re.compile(r"^[-–—+•*]\s*(\S.*)$")
CLOSING_RE = re.compile(r"^Quyết định (?:này )?có hiệu lực|thi hành Quyết định này", re.IGNORECASE)
GOM_RE = re.compile(r"^[\s,]*(?:(?:bao\s+)?gồm\b)?\s*:?\s*", re.IGNORECASE)
DECISION_NUMBER_RE = re.compile(
    r"(\d{1,5})\s*/\s*(?:(\d{4})\s*/\s*)?Q\s*[ĐD]\s*[-–]\s*TTg", re.IGNORECASE
)


def normalize_number(text: str) -> str | None:
    """Canonical number of a Prime Minister's decision found in ``text``.

    "531/QD-TTg", "531/qđ-ttg", "15/2003/QĐ-TTg" → "531/QĐ-TTg", "15/2003/QĐ-TTg".
    """
    match = DECISION_NUMBER_RE.search(nfc(text))
    if not match:
        return None
    number, year = match.groups()
    return f"{number}/{year}/QĐ-TTg" if year else f"{number}/QĐ-TTg"


def number_key(number: str) -> str:
    """Lookup key that ignores leading zeros and case: "07/2018/QĐ-TTg" ~ "7/2018/qđ-ttg"."""
    canonical = normalize_number(number) or number
    return "/".join(part.lstrip("0") or "0" for part in canonical.lower().split("/"))


# --------------------------------------------------------------------------- front matter

COMPLETENESS_VALUES = ("full", "partial", "summary")
STATUS_VALUES = ("in_force", "replaced", "repealed", "unknown")
# "29/2018/QH14", "26/2020/NĐ-CP", "24/2020/TT-BCA": number/year/issuer code.
LAW_NUMBER_RE = re.compile(r"^\d{1,5}/\d{4}/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*$")
MAX_UNIT_NUMBER = 9_999  # no catalog or law has more articles; larger numbers are damage, not law


def load_yaml(text: str, path: str | Path):
    """safe_load, refusing anchors and aliases: a header needs neither, and aliases can multiply a
    few lines into gigabytes (the "billion laughs" shape). The events are scanned before anything is built."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):  # libyaml when installed (ingest/datafiles.py)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 2 if event.start_mark else None
            raise ParseError(path, line, "phần đầu YAML dùng neo/bí danh (& hoặc *); hãy ghi giá trị trực tiếp")
    return yaml.load(text, Loader=SAFE_LOADER)


def validate_meta(meta: dict, path: str | Path) -> None:
    """Refuse header values the knowledge base would store wrongly (enumerations, sources, text fields)."""
    completeness = meta.get("text_completeness")
    if completeness not in (None, "", *COMPLETENESS_VALUES):
        raise ParseError(path, None, f"trường 'text_completeness' phải là một trong {', '.join(COMPLETENESS_VALUES)}, "
                         f"gặp {completeness!r}")
    status = meta.get("status")
    if status not in (None, "", *STATUS_VALUES):
        raise ParseError(path, None, f"trường 'status' phải là một trong {', '.join(STATUS_VALUES)}, gặp {status!r}")
    sources = meta.get("sources")
    if sources not in (None, "") and (not isinstance(sources, list) or not all(
            isinstance(s, dict) and isinstance(s.get("url"), str) for s in sources)):
        raise ParseError(path, None, "trường 'sources' phải là danh sách các mục có 'url' (và 'kind', 'note')")
    for key in ("title", "field", "issuer", "missing", "notes", "summary"):
        if meta.get(key) not in (None, "") and not isinstance(meta[key], str):
            raise ParseError(path, None, f"trường '{key}' phải là chuỗi chữ, gặp {type(meta[key]).__name__}")


def unit_number(digits: str, path: str | Path, line: int) -> int:
    """An article or clause number, refused when it cannot be one (and would overflow SQLite's integers)."""
    if len(digits) > 4 or int(digits) > MAX_UNIT_NUMBER:
        raise ParseError(path, line, f"số Điều/khoản quá lớn ({digits[:30]}{'…' if len(digits) > 30 else ''})")
    return int(digits)



def split_front_matter(text: str, path: str | Path) -> tuple[dict | None, list[tuple[int, str]]]:
    """Front matter as a dict (None if absent) and the body as (line number, line) pairs."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, list(enumerate(lines, start=1))
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise ParseError(path, 1, "phần đầu YAML mở bằng '---' nhưng không có dòng '---' đóng lại (tệp bị cắt?)")
    try:
        meta = load_yaml("\n".join(lines[1:index]), path) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise ParseError(path, line, f"phần đầu YAML không hợp lệ: {yaml_problem(error)}") from None
    if not isinstance(meta, dict):
        raise ParseError(path, 2, "phần đầu YAML phải là các cặp 'khóa: giá trị'")
    body = [(number, line) for number, line in enumerate(lines, start=1) if number > index + 1]
    return meta, body


def _sources(meta: dict) -> tuple[Source, ...]:
    items = meta.get("sources") or []
    return tuple(Source(str(s.get("url", "")), str(s.get("kind", "")), s.get("note")) for s in items if isinstance(s, dict))


def _list(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = re.split(r"[;,]", value)
    return tuple(str(v).strip() for v in value if str(v).strip())


def _meta_date(meta: dict, key: str, path: str | Path) -> dt.date | None:
    try:
        return parse_iso(meta.get(key))
    except ValueError:
        raise ParseError(path, None, f"trường '{key}' phải là ngày dạng YYYY-MM-DD, gặp {meta.get(key)!r}") from None


# --------------------------------------------------------------------------- body


class _Builder:
    """Collects units while the state machine walks the lines."""

    def __init__(self, path: str | Path):
        self.path = path
        self.units: list[dict] = []
        self.by_path: dict[str, dict] = {}
        self.counters: dict[tuple[str | None, str], int] = {}
        self.warnings: list[str] = []

    def add(self, parent: dict | None, segment: str, **fields) -> dict:
        parent_path = parent["path"] if parent else None
        path = f"{parent_path or ''}{segment}."
        if path in self.by_path:
            count = 2
            while f"{parent_path or ''}{segment}~{count}." in self.by_path:
                count += 1
            self.warnings.append(f"dòng {fields['line']}: số '{segment}' lặp lại trong cùng một cấp")
            path = f"{parent_path or ''}{segment}~{count}."
        unit = {
            "path": path,
            "parent_path": parent_path,
            "article": parent["article"] if parent else None,
            "clause": parent["clause"] if parent else None,
            "point": parent["point"] if parent else None,
            "level": parent["level"] if parent else None,
            "label": None,
            "position": len(self.units) + 1,
            **fields,
        }
        self.units.append(unit)
        self.by_path[path] = unit
        return unit

    def unnamed(self, parent: dict | None, prefix: str) -> str:
        key = (parent["path"] if parent else None, prefix)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{prefix}{self.counters[key]}"


def _level_container(builder: _Builder, line: str, lineno: int, match: re.Match, article: int | None, rest: str) -> dict:
    level = Level.parse(match[1])
    if article is not None:
        container = builder.add(None, str(article), kind=UnitKind.ARTICLE, label=f"Điều {article}",
                                article=article, level=level, text=rest, line=lineno)
    else:
        container = builder.add(None, level.key, kind=UnitKind.LEVEL, level=level, text=line, line=lineno)
    inline = GOM_RE.sub("", rest[match.end():], count=1).strip()
    if inline and not inline.endswith(":"):
        # "Bí mật nhà nước độ Tối mật gồm: Hồ sơ bệnh án, …": the item follows the heading.
        builder.add(container, builder.unnamed(container, "p"), kind=UnitKind.PARAGRAPH, text=inline, line=lineno)
    return container


def parse_body(lines: Iterable[tuple[int, str]], path: str | Path, *, strict: bool = True) -> tuple[list[Unit], list[str]]:
    """Walk the body line by line and build the unit tree.

    This is the one long function of the parser: a state machine whose state is
    the current article (or level heading), clause and point. Layouts it meets:
    "Điều N. Bí mật nhà nước độ X gồm:" or the level heading alone on its line;
    clauses "1." that are group headings with points "a)"; unnumbered paragraphs
    and "-" bullets under a clause, a level or a lead-in line; closing provisions
    printed without an article number.
    """
    builder = _Builder(path)
    container = clause = point = None
    closing = False
    for lineno, raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        article_match = ARTICLE_RE.match(line)
        if article_match:
            number, rest = unit_number(article_match[1], path, lineno), article_match[2]
            level_match = LEVEL_RE.match(rest)
            closing, clause, point = False, None, None
            if level_match:
                container = _level_container(builder, line, lineno, level_match, number, rest)
            else:
                container = builder.add(None, str(number), kind=UnitKind.ARTICLE, label=f"Điều {number}",
                                        article=number, level=None, text=rest, line=lineno)
            continue
        level_match = LEVEL_RE.match(line)
        if level_match:
            closing, clause, point = False, None, None
            container = _level_container(builder, line, lineno, level_match, None, line)
            continue
        if container is None and not closing:
            if strict:
                raise ParseError(path, lineno, "cần dòng 'Điều N.' hoặc 'Bí mật nhà nước độ …' "
                                 f"trước nội dung, nhưng gặp: «{line[:70]}»")
            continue
        in_catalog = container is not None and container["level"] is not None
        if closing or (in_catalog and CLOSING_RE.search(line) and not CLAUSE_RE.match(line)):
            # Effect and implementation provisions printed after the lists without "Điều".
            closing, container, clause, point = True, None, None, None
            builder.add(None, builder.unnamed(None, "c"), kind=UnitKind.PARAGRAPH, text=line, line=lineno)
            continue
        if match := CLAUSE_RE.match(line):
            clause = builder.add(container, match[1], kind=UnitKind.CLAUSE, label=f"{match[1]}.",
                                 clause=int(match[1]), text=match[2], line=lineno)
            point = None
        elif match := POINT_RE.match(line):
            parent = clause or container
            point = builder.add(parent, match[1], kind=UnitKind.POINT, label=f"{match[1]})",
                                point=match[1], text=match[2], line=lineno)
        elif match := BULLET_RE.match(line):
            parent = point or clause or container
            builder.add(parent, builder.unnamed(parent, "b"), kind=UnitKind.BULLET, label="-",
                        text=match[1], line=lineno)
        else:
            parent = clause or container
            point = None
            builder.add(parent, builder.unnamed(parent, "p"), kind=UnitKind.PARAGRAPH, text=line, line=lineno)
    return _finish(builder.units), builder.warnings


def _display(unit: dict) -> str:
    if unit["kind"] == UnitKind.ARTICLE:
        return f"Điều {unit['article']}. {unit['text']}".strip()
    if unit["label"] and unit["kind"] in (UnitKind.CLAUSE, UnitKind.POINT):
        return f"{unit['label']} {unit['text']}"
    return unit["text"]


def _finish(raw_units: list[dict]) -> list[Unit]:
    """Mark headings and lead-ins, and give every unit its heading path."""
    children: dict[str | None, list[dict]] = {}
    for unit in raw_units:
        children.setdefault(unit["parent_path"], []).append(unit)
    numbered = (UnitKind.CLAUSE, UnitKind.POINT, UnitKind.BULLET)
    for unit in raw_units:
        siblings = children.get(unit["parent_path"], [])
        later = siblings[siblings.index(unit) + 1:]
        unit["is_heading"] = (
            unit["kind"] in (UnitKind.ARTICLE, UnitKind.LEVEL)
            or unit["path"] in children
            or unit["text"].rstrip().endswith(":")
            # A line that introduces numbered items or bullets is their lead-in, not an item.
            or (unit["kind"] == UnitKind.PARAGRAPH and any(s["kind"] in numbered for s in later))
        )
    by_path = {unit["path"]: unit for unit in raw_units}
    headings: dict[str, tuple[str, ...]] = {}

    def context(parent_path: str | None, child: dict) -> tuple[str, ...]:
        if parent_path is None:
            return ()
        parent = by_path[parent_path]
        trail = headings[parent_path] + (_display(parent),)
        siblings = children[parent_path]
        lead_ins = [s for s in siblings[: siblings.index(child)] if s["kind"] == UnitKind.PARAGRAPH and s["is_heading"]]
        return trail + ((lead_ins[-1]["text"],) if lead_ins else ())

    for unit in raw_units:  # parents come before their children in document order
        headings[unit["path"]] = context(unit["parent_path"], unit)
    return [Unit(heading=headings[u["path"]], **u) for u in raw_units]


# --------------------------------------------------------------------------- statements


EFFECT_SIGNING_RE = re.compile(r"có hiệu lực(?:\s+thi hành)?(?:\s+(?:kể\s+)?từ)?\s+ngày\s+ký", re.IGNORECASE)
EFFECT_DATE_RE = re.compile(r"có hiệu lực(?:\s+thi hành)?(?:\s+(?:kể\s+)?từ)?\s+(ngày\s+.*)$", re.IGNORECASE)
REPLACES_RE = re.compile(r"thay thế\s+(.*)$", re.IGNORECASE)
REPEAL_RE = re.compile(
    r"Bãi bỏ\s+(?:các\s+)?khoản\s+([\d,\s]+(?:và\s+\d+)?)\s+Điều\s+(\d+)\s+(?:của\s+)?Quyết định số\s+([^\s]+)",
    re.IGNORECASE,
)


def _statements(units: list[Unit], signed: dt.date | None) -> tuple[dt.date | None, tuple[str, ...], tuple[Repeal, ...]]:
    """Effect date, replaced decisions and partial repeals stated in the closing provisions."""
    effective, replaces, repeals = None, [], []
    for unit in units:
        if unit.level is not None:
            continue
        text = unit.text
        if EFFECT_SIGNING_RE.search(text):
            effective = effective or signed
        elif match := EFFECT_DATE_RE.search(text):
            effective = effective or find_date(match[1])
        if match := REPLACES_RE.search(text):
            for number_match in DECISION_NUMBER_RE.finditer(match[1]):
                number = normalize_number(number_match[0])
                if number and number not in replaces:
                    replaces.append(number)
        for match in REPEAL_RE.finditer(text):
            clauses = tuple(int(n) for n in re.findall(r"\d+", match[1]))
            number = normalize_number(match[3])
            if number:
                repeals.append(Repeal(number, int(match[2]), clauses, text))
    return effective, tuple(replaces), tuple(repeals)


# --------------------------------------------------------------------------- decisions


def _require_structure(units: list[Unit], path: str | Path) -> None:
    if not any(unit.level is not None for unit in units):
        raise ParseError(path, None, "không tìm thấy danh mục nào: cần ít nhất một dòng 'Điều N. Bí mật nhà nước độ …' "
                         "hoặc 'Bí mật nhà nước độ Tuyệt mật/Tối mật/Mật gồm:'")


def parse_decision(text: str, path: str | Path, register: dict[str, dict] | None = None) -> Decision:
    """Parse a decision's text: with YAML front matter, or with its official header.

    Raises ParseError naming the file and line when the text is not a catalog decision.
    """
    meta, body = split_front_matter(text, path)
    if meta is None:
        return _parse_without_front_matter(body, path, register or {})
    validate_meta(meta, path)
    number = normalize_number(str(meta.get("number") or ""))
    if not number:
        raise ParseError(path, 2, f"trường 'number' thiếu hoặc không phải số quyết định '…/QĐ-TTg': {meta.get('number')!r}")
    units, warnings = parse_body(body, path)
    _require_structure(units, path)
    date = _meta_date(meta, "date", path)
    effective, replaces, repeals = _statements(units, date)
    _check_links(meta, number, path)
    decision = Decision(
        number=number,
        date=date,
        title=meta.get("title") or None,
        field=meta.get("field") or None,
        issuer=meta.get("issuer") or None,
        effective=_meta_date(meta, "effective", path),
        status=meta.get("status") or None,
        replaces=tuple(normalize_number(n) or n for n in _list(meta.get("replaces"))),
        replaced_by=normalize_number(str(meta.get("replaced_by") or "")) or None,
        text_completeness=meta.get("text_completeness") or None,
        missing=meta.get("missing") or None,
        sources=_sources(meta),
        source_file=file_name(path),
        units=tuple(units),
        repeals=repeals,
        stated_effective=effective,
        stated_replaces=replaces,
        warnings=tuple(warnings),
    )
    return replace(decision, warnings=decision.warnings + _cross_check(decision))


def _check_links(meta: dict, number: str, path: str | Path) -> None:
    """'replaces' and 'replaced_by' name other Prime Minister's decisions: a typo there would make a dead
    replacement link, or one from a decision to itself, and move the date a catalog stops being in force."""
    for field, values in (("replaces", _list(meta.get("replaces"))), ("replaced_by", _list(meta.get("replaced_by")))):
        for value in values:
            linked = normalize_number(str(value))
            if not linked:
                raise ParseError(path, 2, f"trường '{field}' phải là số quyết định '…/QĐ-TTg': {value!r}")
            if linked == number:
                raise ParseError(path, 2, f"trường '{field}' nêu chính quyết định {number}")


def _cross_check(decision: Decision) -> tuple[str, ...]:
    notes = []
    if decision.stated_effective and decision.effective and decision.stated_effective != decision.effective:
        notes.append(f"ngày hiệu lực trong văn bản ({decision.stated_effective}) khác phần đầu ({decision.effective})")
    for number in decision.stated_replaces:
        if number not in decision.replaces:
            notes.append(f"văn bản nêu thay thế {number} nhưng phần đầu không ghi")
    return tuple(notes)


QUYET_DINH_COLON = re.compile(r"^QUYẾT\s+ĐỊNH\s*:\s*$")
QUYET_DINH_TITLE = re.compile(r"^QUYẾT\s+ĐỊNH\s*$")
TITLE_STOP = re.compile(r"^(THỦ TƯỚNG|Căn cứ|Theo đề nghị)", re.IGNORECASE)
FIELD_RE = re.compile(r"(?:thuộc\s+lĩnh\s+vực|trong\s+lĩnh\s+vực|lĩnh\s+vực|trong\s+ngành|thuộc|của)\s+(.+)$", re.IGNORECASE)


def _parse_without_front_matter(body: list[tuple[int, str]], path: str | Path, register: dict[str, dict]) -> Decision:
    """A decision as agencies receive it: header ("Số: …", "Hà Nội, ngày …"), then the text.

    Only the text from "QUYẾT ĐỊNH:" (or the first "Điều 1.") on is parsed, so that
    a web page's own summary above it, which uses the same level words, is skipped.
    """
    cleaned = [(n, clean_line(line)) for n, line in body]
    start = next((i for i, (_, line) in enumerate(cleaned) if QUYET_DINH_COLON.match(line)), None)
    if start is None:
        start = next((i - 1 for i, (_, line) in enumerate(cleaned)
                      if (m := ARTICLE_RE.match(line)) and m[1] == "1"), None)
    if start is None:
        raise ParseError(path, None, "không có phần đầu YAML và không tìm thấy 'QUYẾT ĐỊNH:' hay 'Điều 1.'")
    header = [line for _, line in cleaned[: start + 1]]
    header_text = "\n".join(header)
    number_match = re.search(r"Số\s*:?\s*(\S+)", header_text)
    number = normalize_number(number_match[1]) if number_match else None
    number = number or normalize_number(header_text)
    if not number:
        raise ParseError(path, None, "không tìm thấy số hiệu quyết định ('Số: …/QĐ-TTg') ở phần đầu văn bản")
    known = register.get(number, {})
    date = header_date(header_text) or parse_iso(known.get("date") or None)
    title = _title(header) or known.get("title") or None
    units, warnings = parse_body(cleaned[start + 1:], path, strict=False)
    _require_structure(units, path)
    effective, replaces, repeals = _statements(units, date)
    field_match = FIELD_RE.search(title or "")
    return Decision(
        number=number,
        date=date,
        title=title,
        field=known.get("field") or (field_match[1] if field_match else None),
        issuer="Thủ tướng Chính phủ",
        effective=effective,
        status=known.get("status") or None,
        replaces=replaces or _list(known.get("replaces")),
        replaced_by=normalize_number(known.get("replaced_by") or "") or None,
        text_completeness=None,
        missing=None,
        sources=(),
        source_file=file_name(path),
        units=tuple(units),
        repeals=repeals,
        stated_effective=effective,
        stated_replaces=replaces,
        warnings=tuple(warnings) + (() if date else ("không đọc được ngày ký ở phần đầu văn bản",)),
    )


def _title(header: list[str]) -> str | None:
    for index, line in enumerate(header):
        if QUYET_DINH_TITLE.match(line):
            parts = []
            for following in header[index + 1:]:
                if TITLE_STOP.match(following) or QUYET_DINH_COLON.match(following):
                    break
                parts.append(following)
            title = " ".join(parts).strip()
            return title[:1].upper() + title[1:] if title else None
    return None


# --------------------------------------------------------------------------- laws


def parse_law(text: str, path: str | Path) -> LawText:
    """A law, decree or circular cut into article, clause and point rows.

    Unnumbered lines continue the provision above them (a clause's second
    paragraph belongs to that clause).
    """
    meta, body = split_front_matter(text, path)
    if meta is None or not meta.get("number"):
        raise ParseError(path, 1, "văn bản luật cần phần đầu YAML có trường 'number'")
    validate_meta(meta, path)
    if not LAW_NUMBER_RE.match(str(meta["number"]).strip()):
        raise ParseError(path, 2, f"trường 'number' không phải số quyết định '…/QĐ-TTg' hay số văn bản "
                         f"dạng '29/2018/QH14': {meta['number']!r}")
    provisions: list[dict] = []
    article = clause = None
    for lineno, raw in body:
        line = clean_line(raw)
        if not line:
            continue
        if match := ARTICLE_RE.match(line):
            article, clause = unit_number(match[1], path, lineno), None
            provisions.append({"article": article, "clause": None, "point": None, "title": match[2], "text": ""})
        elif article is None:
            continue  # national motto, preamble, chapter headings before Điều 1
        elif re.match(r"^(Chương|Mục)\s+[IVXLC\d]+\b", line) or (line.isupper() and len(line) > 3):
            continue  # chapter heading and its upper-case title
        elif match := CLAUSE_RE.match(line):
            clause = int(match[1])
            provisions.append({"article": article, "clause": clause, "point": None, "title": None, "text": match[2]})
        elif (match := POINT_RE.match(line)) and clause is not None:
            provisions.append({"article": article, "clause": clause, "point": match[1], "title": None, "text": match[2]})
        else:
            last = provisions[-1]
            last["text"] = f"{last['text']}\n{line}".strip()
    return LawText(
        number=str(meta["number"]),
        date=_meta_date(meta, "date", path),
        title=meta.get("title") or None,
        issuer=meta.get("issuer") or None,
        effective=_meta_date(meta, "effective", path),
        status=meta.get("status") or None,
        replaces=_list(meta.get("replaces")),
        replaced_by=meta.get("replaced_by") or None,
        text_completeness=meta.get("text_completeness") or None,
        missing=meta.get("missing") or None,
        notes=meta.get("notes") or meta.get("summary") or None,
        sources=_sources(meta),
        source_file=file_name(path),
        provisions=tuple(LawProvision(position=i, **p) for i, p in enumerate(provisions, start=1)),
    )


# --------------------------------------------------------------------------- register


REGISTER_COLUMNS = ("number", "date", "title", "field", "status", "replaces", "replaced_by", "text_file", "text_completeness")


def parse_register(text: str, path: str | Path) -> dict[str, dict]:
    """decisions.csv: one row per known catalog decision, with or without text."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("number", "date", "status", "replaced_by") if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(path, 1, f"sổ đăng ký thiếu cột: {', '.join(missing)} (cần {', '.join(REGISTER_COLUMNS)})")
    rows: dict[str, dict] = {}
    for row in reader:
        number = normalize_number(row.get("number") or "")
        if not number:
            raise ParseError(path, reader.line_num, f"số quyết định không hợp lệ: {row.get('number')!r}")
        try:
            parse_iso(row.get("date") or None)
        except ValueError:
            raise ParseError(path, reader.line_num, f"ngày không hợp lệ: {row.get('date')!r}") from None
        rows[number] = {key: (value or "").strip() for key, value in row.items()} | {"number": number}
    return rows
