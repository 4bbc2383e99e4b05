"""Segmentation takes time linear in the length of the text, with the same boundaries as before."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from nashra.text.arabic import is_arabic_letter
from nashra.text.segment import ABBREVIATIONS, split_sentences

# The segmenter as it was before it was made linear (it sliced the text before each terminator):
# the reference its boundaries must match on any text.
_TERMINATOR_RE = re.compile(r"(?:\.{3}|…|[.!?؟])+[\"'”’»)\]›]*")
_CLOSERS = "\"'”’»)]›"
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


def _reference_boundary(text: str, start: int, end: int) -> bool:
    mark = text[start:end].rstrip(_CLOSERS)
    if end >= len(text):
        return True
    following = text[end]
    before = text[start - 1] if start > 0 else ""
    if mark.startswith("...") or mark.startswith("…"):
        return False
    if following.isspace():
        if mark.endswith("."):
            match = _WORD_BEFORE_RE.search(text[:start])
            token = match.group(1).lower() if match else ""
            if token in ABBREVIATIONS:
                return False
            if len(token) == 1 and token.isalpha():
                return False
            nxt = text[end:].lstrip()[:1]
            if nxt and nxt.isascii() and nxt.islower():
                return False
        return True
    if following.isdigit():
        return False
    if not following.isalpha():
        return False
    if mark in ("!", "?", "؟"):
        return True
    if is_arabic_letter(following) and before and is_arabic_letter(before):
        match = _WORD_BEFORE_RE.search(text[:start])
        token = match.group(1) if match else ""
        return len(token) > 1 and token not in ABBREVIATIONS
    return False


def reference_split(paragraph: str) -> list[str]:
    paragraph = paragraph.strip()
    if not paragraph:
        return []
    sentences: list[str] = []
    begin = 0
    for match in _TERMINATOR_RE.finditer(paragraph):
        if _reference_boundary(paragraph, match.start(), match.end()):
            piece = paragraph[begin : match.end()].strip()
            if piece:
                sentences.append(piece)
            begin = match.end()
    tail = paragraph[begin:].strip()
    if tail:
        sentences.append(tail)
    merged: list[str] = []
    for sentence in sentences:
        if merged and not any(c.isalpha() for c in sentence):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged


PIECES = ["د.", "Dr.", "U.S.", "bbc.co.uk", "4.5", "26.10.2023", ". ", ".", "! ", "؟", "...", "…", "\"", "»", ")",
          " ", "  ", "a", "A", "ب", "محمد", "ص.ب.", "J.", "etc.", "x" * 20 + ".", "e.g.", "1", "!", "?", "\u00a0", "\t"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=80).map("".join))
def test_same_boundaries_as_the_reference_on_any_text(text: str) -> None:
    assert split_sentences(text) == reference_split(text)


def test_long_tokens_and_long_fragments_keep_their_boundaries() -> None:
    for text in ["ب." * 50 + " نص", "كلمة" * 40 + ".نص آخر", "1. " * 30 + "نهاية", "x" * 30 + ". done. Next"]:
        assert split_sentences(text) == reference_split(text)


def test_one_paragraph_of_100000_sentences_is_split_in_bounded_time() -> None:
    # Before, the time grew with the square of the length: 8,000 sentences took about a minute.
    paragraph = " ".join(f"جملة قصيرة رقم {i}." for i in range(100_000))
    started = time.monotonic()
    sentences = split_sentences(paragraph)
    assert len(sentences) == 100_000
    assert time.monotonic() - started < 30  # about a second when linear; hours when not


def test_many_letterless_fragments_are_merged_in_bounded_time() -> None:
    paragraph = "بداية الخبر. " + "1! " * 200_000
    started = time.monotonic()
    (sentence, *rest) = split_sentences(paragraph)
    assert not rest and sentence.startswith("بداية الخبر.") and sentence.count("1!") == 200_000
    assert time.monotonic() - started < 30
