"""MarianMT translation through ``transformers`` (the default engine)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError, ModelError
from .base import LOOP_GUARD, LOOP_GUARD_KEY, Batch, Translator, length_batches
from .cache import TranslationCache, namespace_key
from .model_files import DEFAULT_MODEL, read_json, resolve_model, revision_of

log = logging.getLogger(__name__)

TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity and container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class MarianTranslator(Translator):
    """``MarianMTModel`` + ``MarianTokenizer``, loaded once, on first use."""

    engine = "transformers"
    #: Measured on 2 cores (benchmarks/translate.py): batch 16 at beam 4 is as fast as 32, with less memory.
    default_hypotheses = 64

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

    # -- files and loading ---------------------------------------------------

    @property
    def folder(self) -> Path:
        """The local folder of the model (resolved, downloaded if needed, once)."""
        if self._folder is None:
            self._folder = resolve_model(self.model, self.revision)
        return self._folder

    @property
    def licence(self) -> str | None:
        from .models import licence_of

        return licence_of(self.model, self.folder)

    @property
    def namespace(self) -> str:
        if self._namespace is None:
            self._namespace = self._namespace_with("renormalize_logits", LOOP_GUARD_KEY)
        return self._namespace

    def _namespace_with(self, *extra: str) -> str:
        """Engine, model, revision and generation settings, plus engine-specific ``extra``."""
        generation = read_json(self.folder / "generation_config.json")
        settings = json.dumps({k: v for k, v in sorted(generation.items()) if k != "transformers_version"})
        return namespace_key(self.engine, self.model, revision_of(self.folder), settings, *extra)

    def _import(self) -> Any:
        try:
            import transformers
        except ImportError as exc:
            raise MissingDependencyError(exc.name or "transformers", purpose="for translation") from exc
        return transformers

    def _load_tokenizer(self) -> Any:
        if self._tokenizer is None:
            missing = [name for name in TOKENIZER_FILES if not (self.folder / name).is_file()]
            if missing:
                raise ModelError(
                    f"model folder {self.folder} lacks {', '.join(missing)}: it is not a MarianMT model "
                    f"(a converted CTranslate2 model needs --engine ctranslate2)"
                )
            transformers = self._import()
            try:
                self._tokenizer = transformers.MarianTokenizer.from_pretrained(self.folder, local_files_only=True)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                raise ModelError(f"cannot load the tokenizer of '{self.model}' from {self.folder}: {_first_line(exc)}") from None
        return self._tokenizer

    def load(self) -> None:
        """Load tokenizer and model (no-op when already loaded)."""
        if self._model is not None:
            return
        transformers = self._import()
        try:
            import torch
        except ImportError as exc:
            raise MissingDependencyError("torch", purpose="for the transformers engine") from exc
        self._load_tokenizer()
        transformers.utils.logging.disable_progress_bar()
        load_errors: tuple[type[BaseException], ...] = (*_weight_errors(), OSError, ValueError, TypeError, KeyError,
                                                         RuntimeError)
        try:
            # safetensors when the folder has them (no pickle); never code from the model repository.
            safetensors = (self.folder / "model.safetensors").is_file()
            model = transformers.MarianMTModel.from_pretrained(
                self.folder, local_files_only=True, use_safetensors=True if safetensors else None, trust_remote_code=False
            )
        except load_errors as exc:
            raise ModelError(f"cannot load MarianMT model '{self.model}' from {self.folder}: {_first_line(exc)}") from None
        finally:
            transformers.utils.logging.enable_progress_bar()
        self.device = pick_device(self.device)
        if self.device == "cpu":
            torch.set_num_threads(self.threads or available_cpus())
        model.to(self.device)
        model.eval()
        self._model = model
        log.info("loaded %s on %s (%d threads)", self.model, self.device, torch.get_num_threads())

    @property
    def tokenizer(self) -> Any:
        return self._load_tokenizer()

    @property
    def hf_model(self) -> Any:
        self.load()
        return self._model

    # -- interface -----------------------------------------------------------

    @property
    def max_input_tokens(self) -> int:
        config = read_json(self.folder / "config.json")
        limits = [int(config.get("max_position_embeddings", 512))]
        model_max = getattr(self.tokenizer, "model_max_length", None)
        if isinstance(model_max, int) and 0 < model_max < 1_000_000:
            limits.append(model_max)
        return min(limits)

    @property
    def settings(self) -> str:
        config = self.hf_model.generation_config
        return f"beams={config.num_beams};max_length={config.max_length};renormalize_logits=1"

    def count_tokens(self, sentence: str) -> int:
        return len(self.tokenizer(sentence)["input_ids"])

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
        import torch

        model = self.hf_model
        lengths = [self.count_tokens(s) for s in sentences]
        extra: dict[str, Any] = dict(LOOP_GUARD) if guard else {}
        for batch in length_batches(lengths, self.max_batch_tokens, self.batch_size):
            encoded = self.tokenizer([sentences[i] for i in batch], return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                generated = model.generate(**encoded, renormalize_logits=True, **extra)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            yield list(zip(batch, decoded, strict=True))


def _weight_errors() -> tuple[type[BaseException], ...]:
    try:
        from safetensors import SafetensorError
    except ImportError:  # pragma: no cover
        return ()
    return (SafetensorError,)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
