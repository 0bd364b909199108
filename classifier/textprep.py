"""Vietnamese text preparation: sentences with offsets, normalised, segmented and folded.

Only an underthesea function that runs offline is used here: ``word_tokenize`` (a
CRF model that ships inside the package), which normalises each token first (tone
placement, look-alike letters) with the functions of ``text_normalize``. Nothing
here downloads a model.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from cancu.ingest.text import continued_lines, draft_text, fold, has_bare_syllable, nfc

# Defence in depth: underthesea depends on huggingface_hub; forbid it any network use.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

_SENTENCE_END = re.compile(r"(?<=[.;!?:])\s+(?=[A-ZÀ-Ỹ0-9“\"(\-–])|\n+")
MAX_SENTENCE_TOKENS = 120  # a longer "sentence" (a paste with no full stops) is cut: work stays linear
ACCENTED_SHARE = 0.2  # Vietnamese typed with diacritics marks about half its syllables; without, none
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A syllable of the draft as written, with its folded form and offsets."""

    text: str
    folded: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of the draft: offsets in the draft, syllables, and segmented words."""

    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    words: tuple[str, ...]  # folded words from word segmentation, multi-syllable ones joined by " "
    marked: tuple[str, ...]  # the same words lower-cased with their diacritics ("để" is not "đề")
    line: int = 0  # the paragraph the sentence starts in: breaks inside a sentence do not count (0-based)
    accented: bool = True  # typed with diacritics: match them; without, match folded


fold_syllable = functools.lru_cache(maxsize=65536)(fold)  # drafts repeat their syllables


@functools.lru_cache(maxsize=1)
def _underthesea():
    from .slim_underthesea import load  # the two functions without the package's other pipelines

    return load()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and lines) of ``text``.

    A line break inside a sentence (``continued_lines``: the next line goes on in
    lower case, or a text wrapper made the break) does not end it; a sentence longer than
    MAX_SENTENCE_TOKENS syllables is cut into pieces of that length.
    """
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(continued_lines(text)):  # same offsets, breaks inside sentences blanked
        if text[start:match.start()].strip():
            spans.extend(_cut(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.extend(_cut(text, start, len(text)))
    return spans


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    tokens = [m.start() for m in _TOKEN.finditer(text, start, end)]
    if len(tokens) <= MAX_SENTENCE_TOKENS:
        return [(start, end)]
    cuts = [start] + tokens[MAX_SENTENCE_TOKENS::MAX_SENTENCE_TOKENS] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def accented_share(tokens) -> float:
    """Share of syllables written with a diacritic (numbers aside)."""
    letters = [t for t in tokens if not t.text.isdigit()]
    return sum(t.folded != t.text.lower() for t in letters) / len(letters) if letters else 0.0


def _no_letters(tokens) -> bool:
    return all(t.text.isdigit() for t in tokens)


def segment_marked(sentence: str, breaks: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words of a sentence, folded and lower-cased with diacritics, syllable for syllable.

    Folding is for matching; the marked form is for stopwords, since folding
    merges function words with content words ("để"/"đề", "tại"/"tài", "về"/"vệ").
    With ``breaks``, each punctuation mark is kept as an empty word.
    """
    _, word_tokenize = _underthesea()
    folded_words, marked_words = [], []
    # word_tokenize normalises each token itself (tone placement "hoà" → "hòa", look-alike
    # characters) with text_normalize's own functions; running text_normalize first did it twice.
    for word in word_tokenize(sentence):
        syllables = _TOKEN.findall(nfc(word).lower())
        if syllables or breaks:
            marked_words.append(" ".join(syllables))
            folded_words.append(" ".join(fold_syllable(s) for s in syllables))
    return tuple(folded_words), tuple(marked_words)


def prepare(text: str) -> list[Sentence]:
    """The draft as sentences ready for matching (read as ``draft_text`` reads it: offsets are the same).
    The text itself is kept only in memory."""
    return sentences_of(draft_text(text))


def sentences_of(text: str) -> list[Sentence]:
    """``prepare`` of a text ``draft_text`` has already read (the classifier reads a draft once)."""
    pieces = []
    line, counted = 0, 0
    for start, end in split_sentences(text):
        chunk = text[start:end]
        tokens = tuple(Token(m.group(), fold_syllable(m.group()), start + m.start(), start + m.end())
                       for m in _TOKEN.finditer(chunk))
        if tokens:
            # only breaks between sentences: one a sentence runs across was a wrapper's or mid-sentence
            line, counted = line + text.count("\n", counted, start), end
            pieces.append((start, end, chunk, tokens, line))
    document = accented_share([t for piece in pieces for t in piece[3]]) >= ACCENTED_SHARE
    sentences = []
    for start, end, chunk, tokens, line in pieces:
        # A short line says little about how the draft is typed; the whole draft decides for it, unless
        # none of its syllables is marked: a line typed without diacritics in an accented draft (a header
        # or title line of a partly stripped draft) is read folded, as a long one would be.
        share = accented_share(tokens)
        accented = share >= ACCENTED_SHARE if len(tokens) >= 6 else document and (share > 0 or _no_letters(tokens))
        # A sentence with a word Vietnamese cannot write without its tone mark ("hoc sinh gioi", "quoc gia")
        # was typed partly without diacritics: its bare words would meet nothing with diacritics, so it is
        # read folded, as a sentence typed wholly without them is.
        accented = accented and not has_bare_syllable(chunk)
        sentences.append(Sentence(len(sentences), start, end, chunk, tokens, *segment_marked(chunk), line=line,
                                  accented=accented))
    return sentences
