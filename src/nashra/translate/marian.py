"""MarianMT translation through ``transformers`` (the default engine)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError, ModelError
from .base import ProgressCallback, Translator
from .model_files import DEFAULT_MODEL, resolve_model

log = logging.getLogger(__name__)


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def length_batches(lengths: list[int], max_tokens: int, max_size: int) -> list[list[int]]:
    """Group indices sorted by length so that ``longest * count <= max_tokens``.

    Sorting by length keeps padding small; the budget bounds memory per batch.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = max(lengths[index], max((lengths[i] for i in current), default=0))
        if current and (longest * (len(current) + 1) > max_tokens or len(current) >= max_size):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


class MarianTranslator(Translator):
    """``MarianMTModel`` + ``MarianTokenizer``, loaded once, on first use."""

    engine = "transformers"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        max_batch_tokens: int = 2048,
        max_batch_size: int = 32,
    ) -> None:
        super().__init__(model)
        self.revision = revision
        self.device = device
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_size = max_batch_size
        self._tokenizer: Any = None
        self._model: Any = None
        self.folder: Path | None = None

    # -- loading -------------------------------------------------------------

    def load(self) -> None:
        """Load tokenizer and model (no-op when already loaded)."""
        if self._model is not None:
            return
        try:
            import torch  # noqa: F401
            from transformers import MarianMTModel, MarianTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise MissingDependencyError(exc.name or "transformers", purpose="for translation") from exc
        folder = resolve_model(self.model, self.revision)
        hf_logging.disable_progress_bar()
        try:
            tokenizer = MarianTokenizer.from_pretrained(folder, local_files_only=True)
            model = MarianMTModel.from_pretrained(folder, local_files_only=True)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(f"cannot load MarianMT model '{self.model}' from {folder}: {reason}") from None
        finally:
            hf_logging.enable_progress_bar()
        self.device = pick_device(self.device)
        model.to(self.device)
        model.eval()
        self._tokenizer, self._model, self.folder = tokenizer, model, folder
        log.info("loaded %s on %s", self.model, self.device)

    @property
    def tokenizer(self) -> Any:
        self.load()
        return self._tokenizer

    @property
    def hf_model(self) -> Any:
        self.load()
        return self._model

    # -- interface -----------------------------------------------------------

    @property
    def max_input_tokens(self) -> int:
        limits = [self.hf_model.config.max_position_embeddings]
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

    def _translate_batch(self, sentences: list[str], progress: ProgressCallback) -> list[str]:
        import torch

        lengths = [self.count_tokens(s) for s in sentences]
        results: list[str] = [""] * len(sentences)
        for batch in length_batches(lengths, self.max_batch_tokens, self.max_batch_size):
            texts = [sentences[i] for i in batch]
            encoded = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                generated = self.hf_model.generate(**encoded, renormalize_logits=True)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text in zip(batch, decoded):
                results[index] = text.strip()
            progress(len(batch))
        return results
