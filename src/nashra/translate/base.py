"""The :class:`Translator` interface shared by every translation engine."""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..progress import ProgressFactory, no_progress
from .cache import TranslationCache
from ..quality import check, repetition
from .normalize import normalize_source, punctuation_normalizer

log = logging.getLogger(__name__)

#: Where an over-long sentence may be split, best first.
CLAUSE_BREAK_RE = re.compile(r"(?<=[،؛:;,])\s+")

#: One finished batch: (index into the engine's input list, translation) pairs.
Batch = list[tuple[int, str]]
#: The repetition guard of a second decoding: no word trigram may occur twice. Part of the
#: translation cache's namespace (a change of it must not reuse translations made without it).
LOOP_GUARD = {"no_repeat_ngram_size": 3}
LOOP_GUARD_KEY = "loop_guard=no_repeat_ngram_size:3"


@dataclass
class TranslationStats:
    """What a translator did since it was created."""

    requested: int = 0  #: sentences asked for, repeats and empty ones included
    unique: int = 0  #: distinct non-empty sentences
    cached: int = 0  #: distinct sentences served from the cache
    translated: int = 0  #: distinct sentences the model translated
    split: int = 0  #: sentences split because they exceeded the model's limit
    redecoded: int = 0  #: sentences decoded again because their translation looped


class Translator(ABC):
    """Translates sentences, keeping input sentence i aligned with output sentence i.

    Engines implement :meth:`count_tokens`, :attr:`max_input_tokens`,
    :attr:`namespace` and :meth:`_translate_batches`. This class normalizes
    the input, serves what it can from the cache, translates identical
    sentences once, splits sentences longer than the model's limit at clause
    punctuation, and stores every finished batch in the cache at once.
    """

    #: Engine name used on the command line and in provenance.
    engine: str = ""
    #: Decode a translation that loops again with repetition guards (benchmarks of raw decoding turn it off).
    redecode_loops: bool = True

    def __init__(self, model: str, cache: TranslationCache | None = None) -> None:
        self.model = model
        self.cache = cache
        self.stats = TranslationStats()
        punctuation_normalizer()  # set up now, not during the first translation

    @property
    def model_id(self) -> str:
        """The model as recorded in provenance."""
        return self.model

    @property
    def licence(self) -> str | None:
        """The model's licence (SPDX id), None when unknown."""
        from .models import licence_of

        return licence_of(self.model)

    @property
    @abstractmethod
    def namespace(self) -> str:
        """Cache namespace: engine, model, revision and generation settings.

        Must be computable without loading the model weights.
        """

    @property
    @abstractmethod
    def max_input_tokens(self) -> int:
        """Longest source sentence, in tokens, the model accepts."""

    @abstractmethod
    def count_tokens(self, sentence: str) -> int:
        """Length of ``sentence`` in model tokens, end-of-sentence included."""

    @abstractmethod
    def _translate_batches(self, sentences: list[str]) -> Iterator[Batch]:
        """Translate distinct normalized sentences that fit the model, yielding each batch as it finishes."""

    def load(self) -> None:
        """Load the model now instead of on first use (engines override)."""

    def _translate_guarded(self, sentences: list[str]) -> list[str] | None:
        """Translate ``sentences`` again under :data:`LOOP_GUARD` (engines override; None: not supported)."""
        return None

    def translate(self, sentences: Sequence[str], progress: ProgressFactory = no_progress) -> list[str]:
        """Translate ``sentences``; output ``i`` is the translation of input ``i``.

        Empty sentences translate to empty strings.
        """
        normalized = [normalize_source(s) for s in sentences]
        unique = list(dict.fromkeys(s for s in normalized if s))
        self.stats.requested += len(sentences)
        self.stats.unique += len(unique)
        results: dict[str, str] = {}
        if self.cache is not None and unique:
            results.update(self.cache.get_many(self.namespace, unique))
            self.stats.cached += len(results)
        missing = [s for s in unique if s not in results]
        if missing:
            with progress(len(missing)) as update:
                for finished in self._translate_missing(missing):
                    results.update(finished)
                    if self.cache is not None:
                        self.cache.put_many(self.namespace, finished)
                    self.stats.translated += len(finished)
                    update(len(finished))
        return [results[s] if s else "" for s in normalized]

    def _translate_missing(self, sentences: list[str]) -> Iterator[dict[str, str]]:
        """Yield the sentences completed by each engine batch (a long sentence completes with its last part)."""
        parts_of = {s: self.split_long(s) for s in sentences}
        self.stats.split += sum(1 for parts in parts_of.values() if len(parts) > 1)
        parts = list(dict.fromkeys(p for ps in parts_of.values() for p in ps))
        owners: dict[str, list[str]] = {}
        for sentence, sentence_parts in parts_of.items():
            for part in dict.fromkeys(sentence_parts):
                owners.setdefault(part, []).append(sentence)
        waiting = {s: len(set(ps)) for s, ps in parts_of.items()}
        done: dict[str, str] = {}
        for batch in self._translate_batches(parts):
            batch = self._redecode_loops(parts, batch)
            finished: dict[str, str] = {}
            for index, text in batch:
                part = parts[index]
                done[part] = text.strip()
                for sentence in owners[part]:
                    waiting[sentence] -= 1
                    if waiting[sentence] == 0:
                        finished[sentence] = " ".join(done[p] for p in parts_of[sentence]).strip()
            if finished:
                yield finished

    def _redecode_loops(self, parts: list[str], batch: Batch) -> Batch:
        """Decode the sentences whose translation loops again, with repetition guards, and keep the
        version with the fewest flags: the guarded decoding, or (when that still loops) the sentence
        translated in two halves split at the clause break nearest its middle."""
        if not self.redecode_loops:
            return batch
        looping = [(index, text) for index, text in batch if repetition(parts[index], text)]
        if not looping:
            return batch
        sources = [parts[index] for index, _ in looping]
        retried = self._translate_guarded(sources)
        guarded: list[str | None] = list(retried) if retried is not None else [None] * len(sources)
        halves = {i: _halves(source) for i, source in enumerate(sources)}
        redo = [i for i, source in enumerate(sources)
                if len(halves[i]) == 2 and (guarded[i] is None or repetition(source, guarded[i] or ""))]
        pieces = [piece for i in redo for piece in halves[i]]
        translated_pieces = (self._translate_guarded(pieces) or self._plain(pieces)) if pieces else []
        split = {i: " ".join(translated_pieces[2 * n:2 * n + 2]) for n, i in enumerate(redo)}
        better: dict[int, str] = {}
        for i, (index, text) in enumerate(looping):
            candidates = [c for c in (text, guarded[i], split.get(i)) if c is not None]

            def badness(candidate: str) -> tuple[int, bool]:
                flags = check(sources[i], candidate)
                return len(flags), any(f.kind == "repetition" for f in flags)

            best = min(candidates, key=badness)  # fewest flags, then no loop; on a full tie the first (plain) one
            self.stats.redecoded += 1
            log.info("translation looped; decoded again (%s)", "kept the new one" if best != text else "kept the first")
            better[index] = best
        return [(index, better.get(index, text)) for index, text in batch]

    def _plain(self, sentences: list[str]) -> list[str]:
        """Translate ``sentences`` with the engine's plain decoding, in their order."""
        out: dict[int, str] = {}
        for batch in self._translate_batches(sentences):
            out.update(batch)
        return [out[i] for i in range(len(sentences))]

    def split_long(self, sentence: str) -> list[str]:
        """Split a sentence over the token limit at clause punctuation, else at spaces."""
        if self.count_tokens(sentence) <= self.max_input_tokens:
            return [sentence]
        log.info("sentence of %d characters exceeds %d tokens; splitting at clause breaks", len(sentence), self.max_input_tokens)
        return _split_to_fit(sentence, self.count_tokens, self.max_input_tokens)


def length_batches(lengths: list[int], max_tokens: int, max_size: int) -> list[list[int]]:
    """Group indices sorted by length so that ``longest * count <= max_tokens``.

    Sorting by length keeps padding small; the budget bounds memory per batch.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        candidate = max(longest, lengths[index])
        if current and (candidate * (len(current) + 1) > max_tokens or len(current) >= max_size):
            batches.append(current)
            current, candidate = [], lengths[index]
        current.append(index)
        longest = candidate
    if current:
        batches.append(current)
    return batches


def _halves(text: str) -> list[str]:
    """``text`` split at the clause break nearest its middle (one part when it has none)."""
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(text)]
    if not breaks:
        return [text]
    cut = min(breaks, key=lambda b: abs(b - len(text) / 2))
    left, right = text[:cut].strip(), text[cut:].strip()
    return [left, right] if left and right else [text]


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
    half = len(text) / 2
    cut = min(breaks, key=lambda b: abs(b - half))
    left, right = text[:cut].strip(), text[cut:].strip()
    return _split_to_fit(left, count, limit) + _split_to_fit(right, count, limit)
