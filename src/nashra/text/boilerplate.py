"""Boilerplate and teaser lines: what an article's text carries that is not the article.

Outlets put lines into their articles' text that tell nothing about the
event: links to other stories ("اقرأ أيضا: ...", "قد يهمك ...", "للمزيد: ..."),
the lists of headlines that follow "اقرأ أيضا:", credits ("فرانس24/ أ ف ب",
"*نقلاً عن ...") and disclaimers. They stay in the displayed article but are
left out when articles are compared into stories: a teaser line naming another
story made an article join that story.

Two parts: fixed patterns (:func:`boilerplate_lines`), and lines learnt from
an outlet's own articles (:class:`RecurringLines`): a line that recurs in
several articles of one outlet is its boilerplate. The learnt part counts
each line once per article, so it is deterministic whatever order the
articles come in, and it can be fed incrementally. The build keeps the lines
of a whole archive in its state (:class:`nashra.state.lines.OutletLineIndex`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

from ..document import SegmentedArticle
from .arabic import normalize_arabic
from .segment import split_sentences

#: A line that opens with one of these introduces another story (normalized Arabic).
_TEASER_RE = re.compile(
    r"^\s*[*•\-–—]?\s*(?:اقرا\s*(?:ايضا|المزيد)?|قد\s+يهمك(?:\s+ايضا)?|للمزيد|لمزيد\s+من|شاهد(?:\s+ايضا)?"
    r"|ايضا|انفوجرافيك|اقرا\s+ايضا|تابعونا|link)\s*(?:[.:،,/؛\-–—)(]|\.\.|$)",
    re.IGNORECASE,
)
#: Credits and disclaimers: the whole line is one of these.
_CREDIT_RE = re.compile(
    r"^\s*(?:\*?\s*نقلا\s*ً?\s*عن\s+.{0,40}|فرانس\s*24\s*/.{0,30}|\*+\s*جميع\s+المقالات\s+المنشوره.*"
    r"|المصدر\s*:.{0,40}|مصدر\s+الصوره.{0,60}|تعليق\s+علي\s+الصوره.*|[×x*]{3,})\s*$",
    re.IGNORECASE,
)
#: A line of the list that follows "اقرأ أيضا:" is a headline: short and without a full stop.
_MAX_HEADLINE_WORDS = 18


def is_teaser(line: str) -> bool:
    """True for a line that points the reader to another story."""
    return bool(_TEASER_RE.match(normalize_arabic(line)))


def is_credit(line: str) -> bool:
    """True for a credit or disclaimer line ("*نقلاً عن الرياضية السعودية", "فرانس24/ أ ف ب")."""
    return bool(_CREDIT_RE.match(normalize_arabic(line)))


def _headline(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped.split()) <= _MAX_HEADLINE_WORDS and stripped[-1] not in ".!؟?"


def boilerplate_lines(paragraphs: Sequence[str]) -> set[int]:
    """Indices of the paragraphs that fixed patterns call boilerplate.

    A teaser line, a credit line, and the headlines listed under a "read also"
    line on its own ("اقرأ أيضاً:"), up to the first line that is a sentence.
    """
    found: set[int] = set()
    in_list = False
    for index, line in enumerate(paragraphs):
        if in_list and _headline(line):
            found.add(index)
            continue
        in_list = False
        if is_teaser(line) or is_credit(line):
            found.add(index)
            # "اقرأ أيضاً:" alone on its line: a list of headlines follows.
            in_list = len(normalize_arabic(line).split()) <= 3 and line.rstrip().endswith(":")
    return found


def boilerplate_sentences(segmented: SegmentedArticle) -> set[int]:
    """Indices of the sentences that come from boilerplate paragraphs: never summary sentences."""
    paragraphs = segmented.article.paragraphs
    drop = boilerplate_lines(paragraphs)
    # A sentence's paragraph counts the paragraphs that hold sentences (see segment_paragraphs).
    numbers = [number for number, paragraph in enumerate(paragraphs) if split_sentences(paragraph)]
    return {i for i, sentence in enumerate(segmented.sentences) if numbers[sentence.paragraph] in drop}


def line_key(line: str) -> str:
    """What identifies a line across articles: its normalized words, hashed (short and fixed-size)."""
    text = " ".join(normalize_arabic(line).split())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


class RecurringLines:
    """Lines that recur across one outlet's articles, learnt from the articles themselves.

    Feed it every article's (outlet, paragraphs) with :meth:`add`, in any
    order; then :meth:`lines` says which of an article's paragraphs recur in
    at least ``min_articles`` articles of its outlet. Three by default: the
    same text filed twice (two articles) is one event, not boilerplate. Short
    lines only (at most ``max_words``): a long paragraph repeated is a
    repeated report, which says the articles are about the same event.
    Memory: one 8-byte key per distinct short line per outlet.
    """

    def __init__(self, min_articles: int = 3, max_words: int = 40) -> None:
        self.min_articles = min_articles
        self.max_words = max_words
        self._counts: dict[str, Counter[str]] = {}

    def _keys(self, paragraphs: Iterable[str]) -> set[str]:
        return {line_key(p) for p in paragraphs if p.strip() and len(p.split()) <= self.max_words}

    def add(self, outlet: str | None, paragraphs: Iterable[str]) -> None:
        """Count an article's distinct short lines for its outlet."""
        self._counts.setdefault(outlet or "", Counter()).update(self._keys(paragraphs))

    def lines(self, outlet: str | None, paragraphs: Sequence[str]) -> set[int]:
        """Indices of ``paragraphs`` that recur across the outlet's articles."""
        counts = self._counts.get(outlet or "")
        if not counts:
            return set()
        return {i for i, p in enumerate(paragraphs)
                if p.strip() and len(p.split()) <= self.max_words and counts[line_key(p)] >= self.min_articles}


def clean_paragraphs(paragraphs: Sequence[str], recurring: Collection[int] = ()) -> list[str]:
    """``paragraphs`` without boilerplate (fixed patterns, and the ``recurring`` indices)."""
    drop = boilerplate_lines(paragraphs) | set(recurring)
    return [p for i, p in enumerate(paragraphs) if i not in drop]
