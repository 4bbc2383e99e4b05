"""MarianMT translation through ``transformers`` (the default engine)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..cpus import available_cpus
from ..errors import MissingDependencyError, ModelError
from .base import LOOP_GUARD
from .marian_base import TOKENIZER_FILES, MarianFamilyTranslator, first_line, no_progress_bars
from .model_files import read_json

log = logging.getLogger(__name__)

__all__ = ["TOKENIZER_FILES", "MarianTranslator", "available_cpus", "pick_device"]


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class MarianTranslator(MarianFamilyTranslator):
    """``MarianMTModel`` + ``MarianTokenizer`` on torch, loaded once, on first use."""

    engine = "transformers"
    #: Measured on 2 cores (benchmarks/translate.py): batch 16 at beam 4 is as fast as 32, with less memory.
    default_hypotheses = 64
    _missing_tokenizer_hint = (": it is not a MarianMT model "
                               "(a converted CTranslate2 model needs --engine ctranslate2)")

    @property
    def _generation_key(self) -> str:
        return "renormalize_logits"

    def _import(self) -> Any:
        try:
            import transformers
        except ImportError as exc:
            raise MissingDependencyError(exc.name or "transformers", purpose="for translation") from exc
        return transformers

    def _open_tokenizer(self) -> Any:
        transformers = self._import()
        try:
            return transformers.MarianTokenizer.from_pretrained(self.folder, local_files_only=True)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"cannot load the tokenizer of '{self.model}' from {self.folder}: {first_line(exc)}") from None

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
        load_errors: tuple[type[BaseException], ...] = (*_weight_errors(), OSError, ValueError, TypeError, KeyError,
                                                         RuntimeError)
        try:
            # safetensors when the folder has them (no pickle); never code from the model repository.
            safetensors = (self.folder / "model.safetensors").is_file()
            with no_progress_bars():
                model = transformers.MarianMTModel.from_pretrained(
                    self.folder, local_files_only=True, use_safetensors=True if safetensors else None,
                    trust_remote_code=False
                )
        except load_errors as exc:
            raise ModelError(f"cannot load MarianMT model '{self.model}' from {self.folder}: {first_line(exc)}") from None
        self.device = pick_device(self.device)
        if self.device.startswith("cuda"):
            index = int(self.device.partition(":")[2] or 0)
            if not torch.cuda.is_available():
                raise ModelError(f"device '{self.device}': CUDA is not available here (no GPU, or a torch build "
                                 "without CUDA); use --device cpu or auto")
            if index >= torch.cuda.device_count():
                raise ModelError(f"device '{self.device}': there is no GPU number {index} (this machine has "
                                 f"{torch.cuda.device_count()}, numbered from 0)")
        if self.device == "cpu":
            torch.set_num_threads(self.threads or available_cpus())
        try:
            model.to(self.device)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot move the model to device '{self.device}': {first_line(exc)}") from None
        model.eval()
        self._model = model
        log.info("loaded %s on %s (%d threads)", self.model, self.device, torch.get_num_threads())

    @property
    def hf_model(self) -> Any:
        self.load()
        return self._model

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

    def _encode(self, sentence: str) -> Sequence[Any]:
        # verbose=False: a sentence longer than the model takes is split before translation, so the tokenizer's
        # warning that it "will result in indexing errors" is wrong here and only alarms the reader.
        ids: Sequence[Any] = self.tokenizer(sentence, verbose=False)["input_ids"]
        return ids

    def _decode_batch(self, sentences: list[str], encoded: list[Sequence[Any]], guard: bool) -> list[str]:
        import torch

        extra: dict[str, Any] = dict(LOOP_GUARD) if guard else {}
        inputs = self.tokenizer(sentences, return_tensors="pt", padding=True).to(self.device)
        with torch.inference_mode():
            generated = self._model.generate(**inputs, renormalize_logits=True, **extra)
        decoded: list[str] = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
        return decoded


def _weight_errors() -> tuple[type[BaseException], ...]:
    try:
        from safetensors import SafetensorError
    except ImportError:  # pragma: no cover
        return ()
    return (SafetensorError,)
