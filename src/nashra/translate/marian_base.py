"""What the two MarianMT engines share: the model folder, the tokenizer files, batching and the loop guard.

:class:`MarianFamilyTranslator` holds the settings of both engines (device,
threads, batch budgets), finds the model folder, checks its tokenizer files,
keys the cache on the folder's ``generation_config.json``, groups sentences
into length-sorted batches and decodes looping sentences again under
:data:`~nashra.translate.base.LOOP_GUARD`. Each engine loads its own model and
tokenizer and decodes one batch: :class:`~nashra.translate.marian.MarianTranslator`
with ``transformers`` and torch, :class:`~nashra.translate.ct2.CTranslate2Translator`
with CTranslate2 and sentencepiece alone. Importing this module imports neither
torch nor transformers.
"""

from __future__ import annotations

import contextlib
import json
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelError
from .base import LOOP_GUARD_KEY, Batch, Translator, length_batches
from .cache import TranslationCache, namespace_key
from .model_files import DEFAULT_MODEL, read_json, resolve_model, revision_of

#: The tokenizer files of a MarianMT model (both engines tokenize with them).
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")


class MarianFamilyTranslator(Translator):
    """A MarianMT model, on whichever engine: loaded once, on first use.

    Engines implement :meth:`load`, :meth:`_open_tokenizer`, :meth:`_encode`,
    :meth:`_decode_batch`, :attr:`max_input_tokens`, :attr:`settings` and
    :attr:`_generation_key`.
    """

    #: Sentences x beams decoded at once by default (each engine measured its own).
    default_hypotheses = 64
    #: The end of the message when the model folder lacks tokenizer files.
    _missing_tokenizer_hint = ""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        cache: TranslationCache | None = None,
        max_batch_tokens: int = 2048,
        max_batch_size: int = 32,
        max_hypotheses: int | None = None,
        threads: int | None = None,
    ) -> None:
        super().__init__(model, cache)
        self.revision = revision
        self.device = device
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_size = max_batch_size
        #: Sentences x beams decoded at once; bounds the memory of a batch.
        self.max_hypotheses = max_hypotheses or self.default_hypotheses
        self.threads = threads
        self._folder: Path | None = None
        self._namespace: str | None = None
        self._tokenizer: Any = None
        self._model: Any = None

    # -- what each engine does its own way -------------------------------------

    @abstractmethod
    def load(self) -> None:
        """Load tokenizer and model (no-op when already loaded)."""

    @abstractmethod
    def _open_tokenizer(self) -> Any:
        """The engine's tokenizer for the files of :attr:`folder` (they are there)."""

    @abstractmethod
    def _encode(self, sentence: str) -> Sequence[Any]:
        """``sentence`` as the model's input tokens, end-of-sentence included."""

    @abstractmethod
    def _decode_batch(self, sentences: list[str], encoded: list[Sequence[Any]], guard: bool) -> list[str]:
        """Translations of one batch (``encoded``: :meth:`_encode` of each sentence); ``guard``: under LOOP_GUARD."""

    @property
    @abstractmethod
    def settings(self) -> str:
        """Generation settings as recorded in provenance."""

    @property
    @abstractmethod
    def _generation_key(self) -> str:
        """What, beside ``generation_config.json``, sets this engine's output (part of the cache namespace)."""

    def _find_folder(self) -> Path:
        """The local folder holding the model (engines that convert models override)."""
        return resolve_model(self.model, self.revision)

    # -- shared ------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The local folder of the model (resolved, downloaded or converted if needed, once)."""
        if self._folder is None:
            self._folder = self._find_folder()
        return self._folder

    @property
    def licence(self) -> str | None:
        from .models import licence_of

        return licence_of(self.model, self.folder)

    @property
    def namespace(self) -> str:
        if self._namespace is None:
            self._namespace = self._namespace_with(self._generation_key, LOOP_GUARD_KEY)
        return self._namespace

    def _namespace_with(self, *extra: str) -> str:
        """Engine, model, revision and generation settings, plus engine-specific ``extra``."""
        generation = read_json(self.folder / "generation_config.json")
        settings = json.dumps({k: v for k, v in sorted(generation.items()) if k != "transformers_version"})
        return namespace_key(self.engine, self.model, revision_of(self.folder), settings, *extra)

    def _load_tokenizer(self) -> Any:
        if self._tokenizer is None:
            missing = [name for name in TOKENIZER_FILES if not (self.folder / name).is_file()]
            if missing:
                raise ModelError(f"model folder {self.folder} lacks {', '.join(missing)}{self._missing_tokenizer_hint}")
            self._tokenizer = self._open_tokenizer()
        return self._tokenizer

    @property
    def tokenizer(self) -> Any:
        return self._load_tokenizer()

    def count_tokens(self, sentence: str) -> int:
        return len(self._encode(sentence))

    @property
    def num_beams(self) -> int:
        return int(read_json(self.folder / "generation_config.json").get("num_beams") or 1)

    @property
    def batch_size(self) -> int:
        """Sentences per batch: the size limit, and the hypothesis budget divided by the beams."""
        return max(1, min(self.max_batch_size, self.max_hypotheses // self.num_beams))

    def _translate_guarded(self, sentences: list[str]) -> list[str]:
        out: dict[int, str] = {}
        for batch in self._translate_batches(sentences, guard=True):
            out.update(batch)
        return [out[i] for i in range(len(sentences))]

    def _translate_batches(self, sentences: list[str], guard: bool = False) -> Iterator[Batch]:
        self.load()
        encoded = [self._encode(s) for s in sentences]
        for batch in length_batches([len(e) for e in encoded], self.max_batch_tokens, self.batch_size):
            decoded = self._decode_batch([sentences[i] for i in batch], [encoded[i] for i in batch], guard)
            yield list(zip(batch, decoded, strict=True))


@contextlib.contextmanager
def no_progress_bars() -> Iterator[None]:
    """transformers' own progress bars ("Loading weights") off while a model is read: Nashra draws its own."""
    import transformers

    transformers.utils.logging.disable_progress_bar()
    try:
        yield
    finally:
        transformers.utils.logging.enable_progress_bar()


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
