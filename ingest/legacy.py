"""Read text typed in the pre-Unicode Vietnamese font encodings TCVN3 (ABC) and VNI.

Many agency documents are still typed in the .VnTime fonts (TCVN 5712:1993, table VN3:
one byte per letter) or in the VNI-Times fonts (VNI for Windows: a base letter followed
by one or two accent bytes). Read as text, such a document shows Latin-1 look-alikes
("Céng hoµ x· héi", "Coäng hoøa xaõ hoäi"). The tables below are the published layouts,
written out letter by letter; ``tests/test_legacy.py`` checks them by round trip.

Detection never guesses from one character: the text is converted with each table and
the one whose words are Vietnamese syllables wins, only if it clearly beats the text as
it stands (``choose_encoding``). Unicode and Windows-1258 text, with or without diacritics,
stays untouched, because its own words already are Vietnamese syllables.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "TCVN3"
VNI = "VNI"
# What the user is told the text was typed in.
ENCODING_NAMES = {TCVN3: "TCVN3 (ABC, phông .VnTime)", VNI: "VNI (phông VNI-Times)"}

# The tones in the order the tables below list them: none, grave (huyền), hook (hỏi), tilde (ngã),
# acute (sắc), dot below (nặng).
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# --------------------------------------------------------------------------- TCVN3 (VN3)

# TCVN 5712:1993 VN3, as the .VnTime fonts hold it: for each lowercase vowel, its code without
# tone, then with grave, hook, tilde, acute and dot below. VN3 has no capital letter with a tone:
# documents print those in the capital fonts (.VnTimeH, .VnArialH …), with the lowercase codes.
_TCVN3_VOWELS = {
    "a": "a\u00b5\u00b6\u00b7\u00b8\u00b9",
    "ă": "\u00a8\u00bb\u00bc\u00bd\u00be\u00c6",
    "â": "\u00a9\u00c7\u00c8\u00c9\u00ca\u00cb",
    "e": "e\u00cc\u00ce\u00cf\u00d0\u00d1",
    "ê": "\u00aa\u00d2\u00d3\u00d4\u00d5\u00d6",
    "i": "i\u00d7\u00d8\u00dc\u00dd\u00de",
    "o": "o\u00df\u00e1\u00e2\u00e3\u00e4",
    "ô": "\u00ab\u00e5\u00e6\u00e7\u00e8\u00e9",
    "ơ": "\u00ac\u00ea\u00eb\u00ec\u00ed\u00ee",
    "u": "u\u00ef\u00f1\u00f2\u00f3\u00f4",
    "ư": "\u00ad\u00f5\u00f6\u00f7\u00f8\u00f9",
    "y": "y\u00fa\u00fb\u00fc\u00fd\u00fe",
}
_TCVN3_OTHERS = {"đ": "\u00ae", "Ă": "\u00a1", "Â": "\u00a2", "Ê": "\u00a3", "Ô": "\u00a4", "Ơ": "\u00a5",
                 "Ư": "\u00a6", "Đ": "\u00a7"}


def _tcvn3_decoding() -> dict[int, str]:
    table: dict[int, str] = {}
    for vowel, codes in _TCVN3_VOWELS.items():
        for tone, code in zip(_TONE_MARKS, codes):
            if code != vowel:
                table[ord(code)] = unicodedata.normalize("NFC", vowel + tone)
    table.update({ord(code): letter for letter, code in _TCVN3_OTHERS.items()})
    return table


TCVN3_DECODING = _tcvn3_decoding()
# Codes VN3 prints as capitals only (Ă Â Ê Ô Ơ Ư Đ), which tell a capitals-only word.
_TCVN3_CAPITALS = frozenset(_TCVN3_OTHERS[letter] for letter in "ĂÂÊÔƠƯĐ")

# --------------------------------------------------------------------------- VNI

# VNI for Windows: a vowel is an ASCII letter followed by accent bytes; ơ, ư, đ and the toned i
# (and the dot-below y) are single bytes. Capitals take the capital form of each accent byte.
_VNI_SINGLES = {"ơ": "\u00f4", "ư": "\u00f6", "đ": "\u00f1", "ì": "\u00ec", "ỉ": "\u00e6", "ĩ": "\u00f3",
                "í": "\u00ed", "ị": "\u00f2", "ỵ": "\u00ee"}
# Accent bytes (lowercase form) and what they add: a tone, the circumflex or breve, or both at once.
_VNI_TONES = dict(zip(_TONE_MARKS[1:], "\u00f8\u00fb\u00f5\u00f9\u00ef"))
_VNI_CIRCUMFLEX = dict(zip(_TONE_MARKS, "\u00e2\u00e0\u00e5\u00e3\u00e1\u00e4"))
_VNI_BREVE = dict(zip(_TONE_MARKS, "\u00ea\u00e8\u00fa\u00fc\u00e9\u00eb"))


def _vni_accents() -> dict[str, str]:
    """Each accent byte (both cases) and the combining marks it stands for."""
    accents: dict[str, str] = {}
    for tone, code in _VNI_TONES.items():
        accents[code] = tone
    for tone, code in _VNI_CIRCUMFLEX.items():
        accents[code] = "\u0302" + tone
    for tone, code in _VNI_BREVE.items():
        accents[code] = "\u0306" + tone
    return {**accents, **{code.upper(): marks for code, marks in accents.items()}}


_VNI_ACCENTS = _vni_accents()
_VNI_SINGLE_DECODING = {**{code: letter for letter, code in _VNI_SINGLES.items()},
                        **{code.upper(): letter.upper() for letter, code in _VNI_SINGLES.items()}}
_VNI_BASES = "aeiouyAEIOUY" + "\u00f4\u00f6\u00d4\u00d6"  # ô ö Ô Ö: ơ ư Ơ Ư, which take a tone after them
_VNI_SYLLABLE_PART = re.compile(
    f"([{_VNI_BASES}])([{''.join(_VNI_ACCENTS)}]{{1,2}})|([{''.join(_VNI_SINGLE_DECODING)}])"
)


def decode_vni(text: str) -> str:
    """Unicode (NFC) for text typed in VNI."""
    def letter(match: re.Match) -> str:
        if match.group(3):
            return _VNI_SINGLE_DECODING[match.group(3)]
        base = _VNI_SINGLE_DECODING.get(match.group(1), match.group(1))
        return unicodedata.normalize("NFC", base + "".join(_VNI_ACCENTS[code] for code in match.group(2)))

    return _VNI_SYLLABLE_PART.sub(letter, text)


def decode_tcvn3(text: str, *, capitals: bool | None = None) -> str:
    """Unicode (NFC) for text typed in TCVN3.

    ``capitals`` True: the text is in a capital font (.VnTimeH), so every letter is a capital.
    None (the font is not known): a word whose ASCII letters are all capitals (``_capital_words``)
    is a capital word, its toned letters too, as a heading typed in .VnTimeH reads; and a toned
    vowel opening a line or a sentence is a capital (``_sentence_capitals``).
    """
    converted = text.translate(TCVN3_DECODING)
    if capitals:
        return converted.upper()
    if capitals is None:
        return _capital_words(text, _sentence_capitals(text, converted))
    return converted


_WORD = re.compile(r"\S+")
# A line, or a column of one: plain-text headers put the number and "DỰ THẢO" on one line, far apart.
_COLUMN = re.compile(r"[^\n\t]+?(?=\s{3,}|\t|\n|$)")


def _capital_words(typed: str, converted: str) -> str:
    """Capitalise the converted words of ``typed`` that a capital font printed.

    A word is a capital one when it has at least two ASCII letters, all capitals, or a
    capital-only code (Ă Â Ê Ô Ơ Ư Đ) and no small ASCII letter (``_word_case``). A word that
    cannot tell alone is a capital one on a line of capital words: no small word, and one capital
    word with a toned code that is no number or acronym ("KÕ HO¹CH"). Elsewhere it is one only
    when it opens with a toned code, its ASCII letters after it ("ñY BAN"), next to a capital word
    and no small one: "Sè: 12/Q§-UBND" and "Vô KHCN" stay title words. Columns of a line (three
    spaces or a tab apart) are read apart. Translation keeps every character in place, so the
    offsets of ``typed`` are those of ``converted``.
    """
    capital_spans: list[tuple[int, int]] = []
    for line in _COLUMN.finditer(typed):
        words = [(m.start() + line.start(), m.end() + line.start(), _word_case(m.group()))
                 for m in _WORD.finditer(line.group())]
        cases = [w[2] for w in words]
        capital_line = False not in cases and any(case and _capital_evidence(typed[start:end])
                                                  for start, end, case in words)
        for index, (start, end, case) in enumerate(words):
            if case is None:
                before = next((c for c in reversed(cases[:index]) if c is not None), None)
                after = next((c for c in cases[index + 1:] if c is not None), None)
                letters = _ascii_letters(typed[start:end])
                opens_with_code = not letters or not typed[start:end].lstrip("([\"'").startswith(letters[0])
                case = capital_line or (opens_with_code and False not in (before, after) and True in (before, after))
            if case:
                capital_spans.append((start, end))
    pieces, position = [], 0
    for start, end in capital_spans:  # not in place: a capital may be longer than its small letter ("ﬁ")
        pieces += [converted[position:start], converted[start:end].upper()]
        position = end
    return "".join(pieces) + converted[position:]


# The first letter of a line or sentence: after bullets, list numbers and opening quotes.
_SENTENCE_START = re.compile(r"(?:^|(?<!\.)[.!?]\s+)[\s\-+*•–\"“(]*(\S)", re.M)  # "..." goes on
# Toned vowels: VN3 has no capital code for them, so the small font cannot print one as a capital
# (ă â ê ô ơ ư đ have capital codes: a typist who wanted those capitals typed them).
_TONED_CODES = frozenset(chr(code) for code, letter in TCVN3_DECODING.items() if letter.upper() not in _TCVN3_OTHERS)


def _sentence_capitals(typed: str, converted: str) -> str:
    """Capitalise a toned vowel that opens a line or a sentence ("ý kiÕn chØ ®¹o" is "Ý kiến chỉ đạo").

    Vietnamese capitalises every sentence; a typist in the small font had no capital code for it
    and printed it in the capital font, which plain text does not keep. Offsets line up as in
    ``_capital_words``; the capital of a Vietnamese vowel is one character.
    """
    positions = [m.start(1) for m in _SENTENCE_START.finditer(typed) if m.group(1) in _TONED_CODES]
    if not positions:
        return converted
    letters = list(converted)
    for position in positions:
        letters[position] = letters[position].upper()
    return "".join(letters)


def _capital_evidence(word: str) -> bool:
    """A capital word that shows a line of capitals: it holds a toned code and is no number or symbol
    (an acronym such as "GD§H" holds a capital-only code)."""
    toned = any(ord(ch) in TCVN3_DECODING and ch not in _TCVN3_CAPITALS for ch in word)
    return toned and not re.search(r"[\d/\-]", word)


def _ascii_letters(word: str) -> list[str]:
    return [ch for ch in word if "a" <= ch.lower() <= "z"]


def _word_case(word: str) -> bool | None:
    """True: a capital word; False: a small one; None: cannot tell from the word alone."""
    ascii_letters = _ascii_letters(word)
    if any(ch.islower() for ch in ascii_letters):
        return False
    if len(ascii_letters) >= 2 or (ascii_letters and any(ch in _TCVN3_CAPITALS for ch in word)):
        return True
    return None


DECODERS = {TCVN3: decode_tcvn3, VNI: decode_vni}

# --------------------------------------------------------------------------- fonts


_TCVN3_FONT = re.compile(r"^\.vn[a-z]", re.I)
_VNI_FONT = re.compile(r"^vni[-_ ]", re.I)


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: .VnTime, .VnArialH … TCVN3; VNI-Times, VNI-Helve … VNI."""
    if not font:
        return None
    if _TCVN3_FONT.match(font.strip()):
        return TCVN3
    if _VNI_FONT.match(font.strip()):
        return VNI
    return None


def is_capital_font(font: str | None) -> bool:
    """A TCVN3 capital font (.VnTimeH, .VnArialH): its small codes print as capitals."""
    return bool(font) and font_encoding(font) == TCVN3 and font.strip().endswith("H")


_UNICODE_ONLY = re.compile("[\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]")


def convert_runs(runs: list[tuple[str, str | None]]) -> tuple[str, set[str]]:
    """(text, encodings converted) of a .docx paragraph given as (text, font) runs.

    Consecutive runs in the same font are converted together (Word splits runs anywhere, and a VNI
    accent byte may sit in the run after its letter). A run in a legacy font is converted unless it
    holds a letter only Unicode has; and the paragraph keeps its runs as typed when the conversion
    makes its words less Vietnamese ("Tài chính" typed in Unicode in a .VnTime run).
    """
    typed: list[str] = []
    converted: list[str] = []
    encodings: set[str] = set()
    for font, group in itertools.groupby(runs, key=lambda run: run[1]):
        text = "".join(run[0] for run in group)
        encoding = font_encoding(font)
        typed.append(text)
        if encoding is None or _UNICODE_ONLY.search(text):
            converted.append(text)
            continue
        if encoding == VNI:
            converted.append(decode_vni(text))
        else:  # a capital font prints every letter as a capital, ASCII ones too
            converted.append(decode_tcvn3(text, capitals=is_capital_font(font) or None))
        if converted[-1] != text:
            encodings.add(encoding)
    as_typed, as_converted = "".join(typed), "".join(converted)
    if encodings and score(as_converted).margin < score(as_typed).margin:
        return as_typed, set()
    return as_converted, encodings


# --------------------------------------------------------------------------- syllables

# The rhymes (vần) of Vietnamese syllables, without tone: nucleus and final. Loan syllables
# written with Vietnamese letters (xoong, soóc) are in too. A word outside this set is not
# Vietnamese, which is how a misread encoding shows.
_RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich iêc iêm iên iêng iêp iêt iêu im in inh ip it iu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oen oeo oet oi om on ong
oong ooc op ot ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut uơ uy uya uyên uyêt
uych uynh uyt uyu ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêng yêt yêu
""".split())
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
           "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_TONES = frozenset(_TONE_MARKS[1:])
_STOP_TONES = frozenset(("\u0301", "\u0323"))  # a syllable ending in c, ch, p, t takes sắc or nặng only


def is_syllable(word: str) -> bool:
    """Whether ``word`` is one written Vietnamese syllable (any case): onset, rhyme, at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    if tones and bare.endswith(("c", "ch", "p", "t")) and tones[0] not in _STOP_TONES:
        return False
    return any(bare.startswith(onset) and (bare[len(onset):] in _RHYMES or (onset == "gi" and bare == "gi"))
               for onset in _ONSETS)


# A word for scoring: what lies between spaces, ASCII punctuation and digits, and general
# punctuation. Latin-1 symbols stay inside words: TCVN3 uses them as letters ("x·").
_SCORED_WORD = re.compile(r"[^\s!-@\[-`{-~\u2000-\u206f]+")


@dataclass(frozen=True)
class Score:
    """How Vietnamese a text reads: its words with a non-ASCII letter that are, and are not, syllables."""

    syllables: int
    others: int

    @property
    def margin(self) -> int:
        return self.syllables - self.others


def score(text: str) -> Score:
    syllables = others = 0
    for word in _SCORED_WORD.findall(text):
        if word.isascii():
            continue
        if is_syllable(word):
            syllables += 1
        else:
            others += 1
    return Score(syllables, others)


# --------------------------------------------------------------------------- detection

# The single-byte characters either table uses for a Vietnamese letter or accent: a text
# without any of them has nothing to convert.
_LEGACY_CODES = re.compile("[\u00a1-\u00ff]")
# Single-byte characters that are no Vietnamese letter in Unicode (Ð and ð excepted: old Unicode
# fonts print them for Đ, đ): a line holding one is typed in a legacy encoding, not in Unicode.
_NEVER_VIETNAMESE = re.compile("[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce\u00cf\u00d1\u00d6-\u00d8\u00db"
                               "\u00dc\u00de\u00df\u00e4-\u00e7\u00eb\u00ee\u00ef\u00f1\u00f6-\u00f8"
                               "\u00fb\u00fc\u00fe\u00ff]")
SAMPLE_CHARS = 50_000
MIN_WORDS = 3  # converted words needed before a table is believed


@dataclass(frozen=True)
class Detection:
    """What the text was typed in: ``encoding`` None means Unicode as it stands (or too unsure to say:
    ``unsure`` is then True, and the text looks like a legacy encoding that no table reads cleanly)."""

    encoding: str | None
    unsure: bool = False


def _typed_lines(text: str) -> str:
    """The lines of ``text`` that may be typed in a legacy encoding: single-byte letters, none only Unicode has."""
    return "\n".join(line for line in text[:SAMPLE_CHARS].split("\n")
                     if _LEGACY_CODES.search(line) and not _UNICODE_ONLY.search(line))


def choose_encoding(text: str, *, alternatives: tuple[str, ...] = ()) -> Detection:
    """The legacy encoding ``text`` was typed in, if one table clearly reads it better than it stands.

    Only lines without a letter only Unicode has are weighed (a document may mix Unicode and legacy
    paragraphs). A table wins when the words it converts are at least 90% Vietnamese syllables, when it
    gains at least MIN_WORDS syllables over the text as read (and over every ``alternatives`` reading,
    such as the Windows-1258 one of the same bytes), and when the other table reads it clearly worse.
    Text already in Unicode never gains: its own words are syllables, and either table only breaks them.
    """
    sample = _typed_lines(text)
    if not sample:
        return Detection(None)
    as_read = max((score(s) for s in (sample, *(a[:SAMPLE_CHARS] for a in alternatives))),
                  key=lambda s: s.margin)
    readings = {encoding: score(decode(sample)) for encoding, decode in DECODERS.items()}
    best, runner_up = sorted(readings, key=lambda e: readings[e].margin, reverse=True)
    best_score = readings[best]
    clean = best_score.syllables >= 0.9 * (best_score.syllables + best_score.others)
    gains = best_score.margin - as_read.margin >= MIN_WORDS
    clear = best_score.margin - readings[runner_up].margin >= MIN_WORDS
    if clean and gains and clear:
        return Detection(best)
    return Detection(None, unsure=looks_legacy(text))


def convert(text: str) -> tuple[str, Detection]:
    """``text`` in Unicode, and what it was typed in (``choose_encoding``).

    A document typed wholly in one legacy encoding is converted whole; one that also holds Unicode
    lines has only its legacy lines converted (``convert_lines``).
    """
    detection = choose_encoding(text)
    if detection.encoding is None:
        return text, detection
    if _UNICODE_ONLY.search(text):
        return convert_lines(text, detection.encoding), detection
    return DECODERS[detection.encoding](text), detection


# Characters never written in Vietnamese that fill text typed in TCVN3 or VNI once it is read as
# Unicode: "Céng hoµ x· héi", "Coäng hoøa xaõ hoäi".
_LEGACY_LOOKS = frozenset("µ¸¶·¹¨»¾¼½Æ©Ç®ÎÏÑªÖ×ØÜÞ«ß¬åæç\xadñëîïö¦øûüä")
_VIETNAMESE_MARKS = re.compile("[đĐ\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]")


def looks_legacy(text: str) -> bool:
    """Text that reads as a legacy encoding: more of its never-Vietnamese characters than Vietnamese marks."""
    sample = text[:20000]
    vietnamese = len(_VIETNAMESE_MARKS.findall(unicodedata.normalize("NFD", sample)))
    legacy = sum(1 for ch in sample if ch in _LEGACY_LOOKS)
    return legacy >= 8 and legacy > vietnamese


def convert_lines(text: str, encoding: str) -> str:
    """``text`` with each line typed in ``encoding`` converted, for a document mixing Unicode and legacy
    lines: a line with a letter only Unicode has stays; another is converted when the table reads it
    better than it stands, or as well while it holds a character no Vietnamese letter is."""
    decode = DECODERS[encoding]
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not _LEGACY_CODES.search(line) or _UNICODE_ONLY.search(line):
            continue
        converted = decode(line)
        before, after = score(line).margin, score(converted).margin
        if after > before or (after == before and _NEVER_VIETNAMESE.search(line)):
            lines[index] = converted
    return "\n".join(lines)


def single_byte_text(data: bytes) -> str:
    """Bytes of a legacy-font text file as the characters its font shows: Windows-1252, as Word saves
    .VnTime text, and Latin-1 for the five bytes Windows-1252 leaves undefined."""
    return data.decode("latin-1").translate(_CP1252_HIGH)


_CP1252_HIGH = {byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0)
                if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def conversion_note(encoding: str) -> str:
    """The warning the user reads: the text was converted, from which encoding."""
    return (f"văn bản gõ bằng bảng mã cũ {ENCODING_NAMES[encoding]}, đã được chuyển sang Unicode; "
            "hãy đối chiếu các chữ có dấu với bản gốc")
