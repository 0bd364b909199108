"""Inverse tables of cancu.ingest.legacy, for round-trip tests: Unicode text typed into TCVN3 or VNI.

Built from the decoding tables themselves (not written twice), so a round trip checks that every
Vietnamese letter has exactly one legacy form and comes back as itself.
"""

from __future__ import annotations

import unicodedata

from cancu.ingest import legacy

# Letters of Vietnamese outside ASCII: 12 vowels with each tone, ă â ê ô ơ ư đ, in both cases (134).
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER_LETTERS = sorted({unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} - set(VOWELS)
                       | set("ăâêôơưđ"))
VIETNAMESE_LETTERS = LOWER_LETTERS + [ch.upper() for ch in LOWER_LETTERS]

_TCVN3_ENCODING = {letter: chr(code) for code, letter in legacy.TCVN3_DECODING.items()}


def tcvn3_letter(ch: str) -> tuple[str, bool]:
    """(code, needs a capital font): VN3 prints a toned capital with its small letter's code."""
    if ch in _TCVN3_ENCODING:
        return _TCVN3_ENCODING[ch], False
    if ch.lower() in _TCVN3_ENCODING and ch != ch.lower():
        return _TCVN3_ENCODING[ch.lower()], True
    return ch, False


def to_tcvn3(text: str) -> str:
    """``text`` as a .VnTime/.VnTimeH document saved as plain text holds it."""
    return "".join(tcvn3_letter(ch)[0] for ch in unicodedata.normalize("NFC", text))


_VNI_SINGLE = {letter: code for code, letter in legacy._VNI_SINGLE_DECODING.items()}
_VNI_ACCENT = {marks: code for code, marks in legacy._VNI_ACCENTS.items() if code.islower()}


def vni_letter(ch: str) -> str:
    if ch in _VNI_SINGLE:
        return _VNI_SINGLE[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii():
        return ch
    horn = "\u031b" in marks
    if horn:
        base, marks = _VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")], marks.replace("\u031b", "")
    if not marks:
        return base
    shape = "".join(mark for mark in marks if mark in "\u0302\u0306")
    accent = _VNI_ACCENT[shape + marks.replace(shape, "")]  # the circumflex or breve first, then the tone
    return base + (accent.upper() if base.isupper() else accent)


def to_vni(text: str) -> str:
    """``text`` as a VNI-Times document holds it."""
    return "".join(vni_letter(ch) for ch in unicodedata.normalize("NFC", text))
