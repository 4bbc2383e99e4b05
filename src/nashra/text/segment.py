"""Sentence segmentation that works on real Arabic (and English) news text.

Boundaries: ``.`` ``!`` ``?`` ``؟`` and line breaks. Handled on purpose:

* a missing space after a full stop between Arabic words (``محدّدة.لكنّ``);
* no split inside numbers (``4.5``, ``26.10.2023``), times (``4:30``), dotted
  Latin abbreviations and domains (``U.S.``, ``bbc.co.uk``);
* no split after common abbreviations (``د.``, ``Dr.``, single-letter initials);
* closing quotes and brackets stay with the sentence they close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..document import Article, SegmentedArticle, Sentence
from .arabic import is_arabic_letter

#: Tokens (lower-cased, without the final dot) after which a dot ends nothing.
ABBREVIATIONS = frozenset(
    {
        # Arabic: doctor, professor, engineer, PO box, BC, telephone...
        "د", "أ", "م", "ص", "ق", "ت", "ج", "ه", "ص.ب", "ق.م", "أ.د", "م.م",
        # English
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no",
        "gen", "col", "lt", "sgt", "capt", "rep", "sen", "gov", "inc", "ltd", "co", "corp",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "u.n", "a.m", "p.m",
    }
)
_TERMINATOR_RE = re.compile(r"(?:\.{3}|…|[.!?؟])+[\"'”’»)\]›]*")
_CLOSERS = "\"'”’»)]›"
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")
_NEXT_VISIBLE_RE = re.compile(r"\s*(\S)")
#: Longer than any abbreviation: a token before a dot is looked for this far back, and no further.
_TOKEN_WINDOW = 1 + max(len(a) for a in ABBREVIATIONS)
_HEADING_MAX_WORDS = 10


def _token_before(text: str, start: int) -> str:
    """The run of word characters and dots that ends at ``start`` (``""`` when none).

    Only a token as short as an abbreviation matters, so at most :data:`_TOKEN_WINDOW` characters
    are looked at: a longer token comes back cut to that length, which is neither an abbreviation
    nor one letter either. Looking at all the text before each full stop took time growing with
    the square of the paragraph's length.
    """
    window = text[max(0, start - _TOKEN_WINDOW) : start]
    match = _WORD_BEFORE_RE.search(window)
    return match.group(1) if match else ""


def _is_boundary(text: str, start: int, end: int) -> bool:
    """Decide whether the terminator ``text[start:end]`` ends a sentence."""
    mark = text[start:end].rstrip(_CLOSERS)
    if end >= len(text):
        return True
    following = text[end]
    before = text[start - 1] if start > 0 else ""
    if mark.startswith("...") or mark.startswith("…"):
        # An ellipsis mid-line is a pause, not an ending.
        return False
    if following.isspace():
        if mark.endswith("."):
            token = _token_before(text, start).lower()
            if token in ABBREVIATIONS:
                return False
            # Single-letter initials: "J. K. Rowling", "د. محمد".
            if len(token) == 1 and token.isalpha():
                return False
            # English sentences start with a capital; "approx. three" does not end.
            visible = _NEXT_VISIBLE_RE.match(text, end)
            nxt = visible.group(1) if visible else ""
            if nxt and nxt.isascii() and nxt.islower():
                return False
        return True
    # No space after the terminator.
    if following.isdigit():
        return False  # 4.5, 26.10.2023
    if not following.isalpha():
        return False
    if mark in ("!", "?", "؟"):
        return True
    # A dot glued to the next word: only a boundary between Arabic words,
    # and not after a one-letter abbreviation such as "د.".
    if is_arabic_letter(following) and before and is_arabic_letter(before):
        token = _token_before(text, start)
        return len(token) > 1 and token not in ABBREVIATIONS
    return False


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (a single line) into sentences."""
    paragraph = paragraph.strip()
    if not paragraph:
        return []
    sentences: list[str] = []
    begin = 0
    for match in _TERMINATOR_RE.finditer(paragraph):
        if _is_boundary(paragraph, match.start(), match.end()):
            piece = paragraph[begin : match.end()].strip()
            if piece:
                sentences.append(piece)
            begin = match.end()
    tail = paragraph[begin:].strip()
    if tail:
        sentences.append(tail)
    return _merge_fragments(sentences)


def _merge_fragments(sentences: list[str]) -> list[str]:
    """Attach pieces with no letter at all (stray quotes, lone numbers) to their neighbour."""
    merged: list[list[str]] = []  # pieces of each sentence, joined once at the end
    for sentence in sentences:
        if merged and not any(c.isalpha() for c in sentence):
            merged[-1].append(sentence)
        else:
            merged.append([sentence])
    return [" ".join(pieces) for pieces in merged]


def _is_heading(paragraph_sentences: list[str], paragraph_count: int) -> bool:
    if paragraph_count < 2 or len(paragraph_sentences) != 1:
        return False
    line = paragraph_sentences[0]
    return not _TERMINATOR_RE.search(line[-3:]) and len(line.split()) <= _HEADING_MAX_WORDS and not line.endswith((":", "،", ","))


def segment_paragraphs(paragraphs: Iterable[str], headings: frozenset[int] = frozenset()) -> list[Sentence]:
    """Segment paragraphs into sentences, remembering each sentence's paragraph.

    ``headings`` are indices of input paragraphs known to be headings; other
    headings are recognized as short unterminated lines after the first.
    """
    split = [(number, split_sentences(p)) for number, p in enumerate(paragraphs)]
    split = [(number, s) for number, s in split if s]
    out: list[Sentence] = []
    for index, (number, sentences) in enumerate(split):
        heading = number in headings or (_is_heading(sentences, len(split)) and index > 0)
        out.extend(Sentence(text=s, paragraph=index, heading=heading) for s in sentences)
    return out


def segment(article: Article) -> SegmentedArticle:
    """Stage: split an article into aligned-ready sentences."""
    return SegmentedArticle(article=article, sentences=tuple(segment_paragraphs(article.paragraphs, article.headings)))
