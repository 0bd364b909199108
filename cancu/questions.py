"""Questions in a sentence: "Đề thi tốt nghiệp THPT có phải là bí mật nhà nước độ Tối mật không?".

A question is not a draft: classifying it as one proposes the wrong item. It gets
a ranked list of the catalog items in force on the day (citation, level, and the
conditions each states), from the same full-text index and query builder as the
canned query "Điều khoản nào áp dụng?". "What does this catalog contain" gets the
decision itself (its page). Items of decisions whose status is unknown are marked
and come after the items in force, never mixed in.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cancu.ingest.dates import parse_iso, today
from cancu.ingest.model import Level
from cancu.ingest.text import fold, nfc
from cancu.kb.validity import in_force

# Words every question about secrecy shares (the law's own terms) and Vietnamese
# interrogatives: they say how the question is asked, not what it is about.
QUESTION_WORDS = (
    "bi mat nha nuoc", "danh muc", "do tuyet mat", "do toi mat", "do mat", "tuyet mat", "toi mat",
    "co phai la", "co phai", "phai khong", "hay khong", "khong", "la gi", "gom nhung gi", "bao gom nhung gi",
    "nhung gi", "gom", "nao", "the nao", "bao nhieu", "co duoc", "duoc xac dinh", "xac dinh", "thuoc", "linh vuc",
    "cho hoi", "xin hoi", "hoi",
)
INTERROGATIVES = re.compile(r"\?|\b(co phai|phai khong|hay khong|la gi|gom nhung gi|nhung gi|nao|the nao|bao nhieu)\b")
CONTENTS = re.compile(r"\b(gom nhung gi|bao gom nhung gi|co nhung (muc|gi)|nhung thong tin nao)\b")
MAX_QUESTION_CHARS = 400


@dataclass(frozen=True)
class AnswerItem:
    item_id: int
    citation: str
    level: str
    text: str
    decision: str
    status_unknown: bool
    score: float
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    question: str
    as_of: dt.date
    items: tuple[AnswerItem, ...]
    decisions: tuple[str, ...] = field(default=())  # catalogs the question asks to list ("gồm những gì")
    level: str | None = None  # the level the question names, if any

    def to_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def is_question(text: str) -> bool:
    """A short text that asks: ends with "?" or uses an interrogative, in at most a few lines."""
    text = nfc(text).strip()
    if not text or len(text) > MAX_QUESTION_CHARS or text.count("\n") > 2:
        return False
    return bool(INTERROGATIVES.search(fold(text)))


def topic_words(question: str) -> str:
    """The question without its question words: what the asker wants found."""
    folded = " " + " ".join(re.findall(r"\w+", fold(question))) + " "
    for phrase in sorted(QUESTION_WORDS, key=len, reverse=True):
        folded = folded.replace(f" {phrase} ", " ")
    return folded.strip()


def has_topic(question: str) -> bool:
    """The question names something to look up: a word beyond its question words and the function words
    of data/rules.yml ("có phải không" leaves only "có", which would find "co sở dữ liệu")."""
    from cancu.classifier.rules import load_rules

    stopwords = load_rules().stopwords  # written with diacritics: "thì" is one, "thi" is not
    folded_stopwords = {fold(word) for word in stopwords}
    remaining = set(topic_words(question).split())
    unsure = 0
    for word in re.findall(r"\w+", nfc(question).lower()):
        if fold(word) not in remaining:
            continue
        typed_bare = word == fold(word)  # it may be any word that folds to it: a folded stopword stays out
        if word not in (folded_stopwords if typed_bare else stopwords):
            return True
        unsure += typed_bare
    # typed without diacritics, two such words are a phrase to look up ("de thi" is "đề thi" as well as "để thì")
    return unsure >= 2


def with_synonyms(question: str) -> str:
    """The question plus the full phrase of each abbreviation it uses ("THPT" → "trung học phổ thông").

    The abbreviations are those of data/rules.yml, the table the classifier reads.
    """
    from cancu.classifier.rules import load_rules

    folded = fold(question)
    extra = [canonical for canonical, variants in getattr(load_rules(), "synonyms", ())
             if any(pattern.search(folded if on_folded else question) for pattern, on_folded in variants)]
    return " ".join([question, *extra])


def named_level(question: str) -> str | None:
    folded = " " + " ".join(re.findall(r"\w+", fold(question))) + " "
    for key in ("tuyet mat", "toi mat"):
        if f" {key} " in folded:
            return Level.from_folded(key).value
    return Level.CONFIDENTIAL.value if re.search(r"\bdo mat\b", folded) else None


def _connection(db_path: Path) -> sqlite3.Connection:
    from cancu.plugin import prepare_connection  # the SQL functions of the canned queries, one definition

    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    prepare_connection(connection)
    return connection


def _conditions(connection: sqlite3.Connection, item_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Lines of item_conditions by item (empty for a knowledge base built before that table)."""
    from cancu.conditions_text import condition_lines, conditions_sql

    if not item_ids or not connection.execute(
            "select 1 from sqlite_master where name = 'item_conditions'").fetchone():
        return {}
    found = condition_lines(connection.execute(conditions_sql(item_ids), item_ids))
    return {k: tuple(v) for k, v in found.items()}


ASK_SQL = """
select items.id, items.citation, items.level, items.text, items.decision, decisions.status = 'unknown',
       -bm25(items_fts, 0, 0, 1.0, 0.5)
from items_fts
join items on items.id = items_fts.rowid
join decisions on decisions.number = items.decision
where items_fts match cancu_fts_any(:words)
  and items.catalog_item = 1
  and cancu_in_force(items.valid_from, items.valid_until, :day)
  and (decisions.status = 'unknown') = :unknown
order by bm25(items_fts, 0, 0, 1.0, 0.5), items.id
limit :limit
"""


# The field a "what does the catalog of field X contain" question names: the words between "lĩnh vực" and the ask.
ASKED_FIELD = re.compile(r"\blinh vuc (?P<field>.+?)\s+(?:bao gom|gom|co nhung|nhung thong tin)\b")


def field_parts(field_name: str) -> set[str]:
    """The folded parts of a catalog's field as the catalog writes it ("A, B và C (…)" → {A, B, C}).

    People name a catalog by one part: "lĩnh vực giáo dục" is the catalog of "giáo dục và đào tạo".
    """
    listed = re.sub(r"\([^)]*\)", " ", fold(field_name))
    return {part.strip() for part in re.split(r",| va ", listed) if part.strip()}


def _asked_decisions(connection: sqlite3.Connection, question: str, day: dt.date) -> tuple[str, ...]:
    """Decisions in force on ``day`` whose field the question names, when it asks what a catalog holds.

    The whole field name anywhere in the question wins; else the words after "lĩnh vực" may be one
    part of a field's name (``field_parts``).
    """
    folded = fold(question)
    if not CONTENTS.search(folded):
        return ()
    asked = ASKED_FIELD.search(folded)
    whole, by_part = [], []
    for number, field_name, start, end, status in connection.execute(
            "select number, field, valid_from, valid_until, status from decisions where has_text = 1"):
        if not field_name or not in_force(parse_iso(start), parse_iso(end), day):
            continue
        if fold(field_name) in folded:
            whole.append((status == "unknown", number))
        elif asked and asked.group("field").strip() in field_parts(field_name):
            by_part.append((status == "unknown", number))
    return tuple(number for _, number in sorted(whole or by_part))


def ask(question: str, db_path: Path, as_of: dt.date | None = None, limit: int = 10) -> Answer:
    """The items in force on ``as_of`` (default today) that a question is about, ranked; status unknown last."""
    day = as_of or today()  # in Vietnam
    words = topic_words(with_synonyms(nfc(question)))
    if not has_topic(question):
        return Answer(question=nfc(question).strip(), as_of=day, items=(), decisions=(), level=named_level(question))
    connection = _connection(Path(db_path))
    level = named_level(question)
    try:
        decisions = _asked_decisions(connection, question, day)
        if decisions:  # "what does this catalog contain": its items in document order, of the level asked
            marks = ", ".join("?" for _ in decisions)
            rows = connection.execute(
                f"select items.id, items.citation, items.level, items.text, items.decision, "
                f"decisions.status = 'unknown', 0 from items join decisions on decisions.number = items.decision "
                f"where items.decision in ({marks}) and items.catalog_item = 1 and (? is null or items.level = ?) "
                f"and cancu_in_force(items.valid_from, items.valid_until, ?) "
                f"order by decisions.status = 'unknown', items.id",
                [*decisions, level, level, day.isoformat()]).fetchall()
        else:
            # ranked apart: a strong match in a decision of unknown status still shows, after the items in force
            rows = [row for unknown in (0, 1) for row in connection.execute(
                ASK_SQL, {"words": words, "day": day.isoformat(), "limit": limit, "unknown": unknown})]
        conditions = _conditions(connection, [row[0] for row in rows])
    finally:
        connection.close()
    items = tuple(AnswerItem(row[0], row[1], row[2], row[3], row[4], bool(row[5]), round(row[6], 2),
                             conditions.get(row[0], ())) for row in rows)
    return Answer(question=nfc(question).strip(), as_of=day, items=items, decisions=decisions, level=level)


def catalog_path(number: str) -> str:
    """The page of a decision on `cancu serve`: "531/QĐ-TTg" → "/-/danh-muc/531-qd-ttg" (plugin's decision_slug)."""
    return "/-/danh-muc/" + fold(number).replace("/", "-").replace(" ", "")


def format_answer(answer: Answer, markdown: bool = False) -> str:
    """The ranked list as plain text or Markdown, status-unknown items marked."""
    from cancu.ingest.text import vn_date

    bullet = "- " if markdown else ""
    lines = [("## " if markdown else "") + f"Câu hỏi: {answer.question}",
             f"Các mục danh mục có hiệu lực vào ngày {vn_date(answer.as_of.isoformat())}, khớp nhất trước"
             " (mục của quyết định chưa rõ tình trạng hiệu lực được đánh dấu và xếp sau):", ""]
    if answer.decisions:
        lines.append(f"{bullet}Danh mục được hỏi: " + ", ".join(answer.decisions) + " (đọc toàn văn trong kho: "
                     + ", ".join(f"`cancu serve`, trang {catalog_path(number)}" for number in answer.decisions) + ")")
    if not answer.items:
        lines.append("Không tìm thấy mục danh mục nào khớp với câu hỏi.")
    for rank, item in enumerate(answer.items, start=1):
        if item.status_unknown and (rank == 1 or not answer.items[rank - 2].status_unknown):
            lines += ["", ("### " if markdown else "") + "Mục của quyết định chưa rõ tình trạng hiệu lực "
                      "(ban hành theo Pháp lệnh 30/2000/PL-UBTVQH10 hoặc sổ đăng ký không xác định được):"]
        mark = " [chưa rõ tình trạng hiệu lực của quyết định]" if item.status_unknown else ""
        lines.append(f"{bullet if markdown else f'{rank}. '}{item.level.upper()} — {item.citation}{mark}")
        lines.append(f"   “{item.text}”")
        lines.extend(f"   {condition}" for condition in item.conditions)
    if answer.level and answer.decisions:
        lines += ["", f"Câu hỏi nêu độ {answer.level}: chỉ liệt kê các mục độ {answer.level} của danh mục được hỏi."]
    elif answer.level:
        lines += ["", f"Câu hỏi nêu độ {answer.level}: đối chiếu độ mật của từng mục ở trên."]
    return "\n".join(lines) + "\n"
