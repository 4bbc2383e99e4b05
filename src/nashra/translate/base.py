"""The :class:`Translator` interface shared by every translation engine."""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from .normalize import normalize_source

log = logging.getLogger(__name__)

#: Where an over-long sentence may be split, best first.
CLAUSE_BREAK_RE = re.compile(r"(?<=[،؛:;,])\s+")

#: Called with the number of sentences just finished.
ProgressCallback = Callable[[int], None]
#: Called with the total number of sentences to translate; yields the callback.
ProgressFactory = Callable[[int], AbstractContextManager[ProgressCallback]]


@contextmanager
def no_progress(total: int) -> Iterator[ProgressCallback]:
    """A progress factory that reports nothing."""
    yield lambda done: None


class Translator(ABC):
    """Translates sentences, keeping input sentence i aligned with output sentence i.

    Engines implement :meth:`count_tokens` and :meth:`_translate_batch`; this
    class normalizes the input, translates identical sentences once, splits
    sentences longer than the model's limit at clause punctuation, and hands
    the engine work in batches.
    """

    #: Engine name used on the command line and in provenance.
    engine: str = ""

    def __init__(self, model: str) -> None:
        self.model = model

    @property
    def model_id(self) -> str:
        """The model as recorded in provenance and cache keys."""
        return self.model

    @property
    def settings(self) -> str:
        """Generation settings that change the output (part of the cache key)."""
        return ""

    @property
    @abstractmethod
    def max_input_tokens(self) -> int:
        """Longest source sentence, in tokens, the model accepts."""

    @abstractmethod
    def count_tokens(self, sentence: str) -> int:
        """Length of ``sentence`` in model tokens, end-of-sentence included."""

    @abstractmethod
    def _translate_batch(self, sentences: list[str], progress: ProgressCallback) -> list[str]:
        """Translate distinct normalized sentences that each fit the model's limit."""

    def translate(self, sentences: Sequence[str], progress: ProgressFactory = no_progress) -> list[str]:
        """Translate ``sentences``; output ``i`` is the translation of input ``i``.

        Empty sentences translate to empty strings.
        """
        normalized = [normalize_source(s) for s in sentences]
        # Each distinct sentence is split into parts that fit the model.
        parts_of: dict[str, list[str]] = {}
        for sentence in normalized:
            if sentence and sentence not in parts_of:
                parts_of[sentence] = self.split_long(sentence)
        unique_parts = list(dict.fromkeys(p for parts in parts_of.values() for p in parts))
        translated: dict[str, str] = {}
        if unique_parts:
            with progress(len(unique_parts)) as update:
                translated = dict(zip(unique_parts, self._translate_batch(unique_parts, update)))
        return [" ".join(translated[p] for p in parts_of[s]).strip() if s else "" for s in normalized]

    def split_long(self, sentence: str) -> list[str]:
        """Split a sentence over the token limit at clause punctuation, else at spaces."""
        if self.count_tokens(sentence) <= self.max_input_tokens:
            return [sentence]
        log.info("sentence of %d characters exceeds %d tokens; splitting at clause breaks", len(sentence), self.max_input_tokens)
        return _split_to_fit(sentence, self.count_tokens, self.max_input_tokens)


def _split_to_fit(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    if count(text) <= limit:
        return [text]
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(text)]
    if not breaks:
        breaks = [m.start() for m in re.finditer(r"\s+", text)]
    if not breaks:
        # One enormous "word": cut it in halves by characters.
        middle = len(text) // 2
        return _split_to_fit(text[:middle], count, limit) + _split_to_fit(text[middle:], count, limit)
    middle = len(text) / 2
    cut = min(breaks, key=lambda b: abs(b - middle))
    left, right = text[:cut].strip(), text[cut:].strip()
    return _split_to_fit(left, count, limit) + _split_to_fit(right, count, limit)
