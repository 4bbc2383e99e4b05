"""MarianMT through CTranslate2 (``--engine ctranslate2``), int8-quantized by default.

``--model`` takes a folder made by ``nashra convert-model``, or any MarianMT
model id or folder, which is converted once into the user cache folder.
Tokenization reproduces ``MarianTokenizer`` with sentencepiece alone (see
:mod:`nashra.translate.spm_tokenizer`), so this engine never imports
transformers or torch; generation follows the same ``generation_config.json`` (beam size, length
limits, length penalty), so both engines give the same output when the
conversion keeps the weights as they are (``--compute-type float32``).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from glob import escape as glob_escape
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError, ModelError
from . import COMPUTE_TYPES
from ..cpus import available_cpus
from .base import LOOP_GUARD
from .cache import default_cache_dir, namespace_key
from .marian_base import TOKENIZER_FILES, MarianFamilyTranslator, first_line, no_progress_bars
from .model_files import DEFAULT_MODEL, read_json, resolve_model, revision_of
from .spm_tokenizer import MarianSentencePiece

log = logging.getLogger(__name__)
#: A staging folder beside a conversion's output untouched this long was left by a killed conversion.
STALE_STAGING_SECONDS = 3600

QUANTIZATIONS = COMPUTE_TYPES
MARKER = "nashra-model.json"
_COPIED = [*TOKENIZER_FILES, "tokenizer_config.json", "generation_config.json", "README.md"]


def _import_ctranslate2() -> Any:
    try:
        import ctranslate2
    except ImportError as exc:
        raise MissingDependencyError("ctranslate2", extra="ctranslate2", purpose="for --engine ctranslate2") from exc
    return ctranslate2


def is_converted(folder: Path) -> bool:
    return (folder / "model.bin").is_file()


def convert_model(model: str, output: Path, quantization: str = "int8", force: bool = False,
                  revision: str | None = None) -> Path:
    """Convert a MarianMT model (hub id or folder) to a CTranslate2 folder at ``output``.

    The conversion is written beside ``output`` and moved into place when
    complete, so an interrupted conversion never leaves a half-written model.
    """
    if quantization not in QUANTIZATIONS:
        raise ModelError(f"unknown quantization '{quantization}' (choose from {', '.join(QUANTIZATIONS)})")
    _import_ctranslate2()
    from ctranslate2.converters import TransformersConverter

    source = resolve_model(model, revision)
    if is_converted(source):
        raise ModelError(f"'{model}' is already a CTranslate2 model")
    missing = [name for name in TOKENIZER_FILES if not (source / name).is_file()]
    if missing:  # the conversion failed deep inside transformers, with a message naming no file
        raise ModelError(f"cannot convert '{model}': its folder lacks {', '.join(missing)}; is it a MarianMT model?")
    if output.exists() and any(output.iterdir()):
        if not force:
            raise ModelError(f"output folder '{output}' is not empty (use --force to replace it)")
        # --force deletes OUTPUT: never the model being converted, nor a folder that is not a conversion.
        if output.resolve() == source.resolve() or output.resolve() in source.resolve().parents:
            raise ModelError(f"output folder '{output}' holds the model '{model}'; choose another folder")
        if not is_converted(output):
            raise ModelError(f"output folder '{output}' is not empty and not a CTranslate2 model; --force replaces"
                             " only an earlier conversion")
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        copy = [name for name in _COPIED if (source / name).is_file()]
        converter = TransformersConverter(str(source), copy_files=copy, trust_remote_code=False)
        with no_progress_bars():
            converter.convert(str(staging / "model"), quantization=quantization, force=True)
        marker = {"source_model": model, "source_revision": revision_of(source), "quantization": quantization}
        (staging / "model" / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        (staging / "model").rename(output)
    except Exception as exc:  # noqa: BLE001 - transformers, safetensors and ctranslate2 raise their own types
        log.debug("conversion of %s failed", model, exc_info=exc)
        raise ModelError(f"cannot convert '{model}' to CTranslate2: {first_line(exc)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return output


def _remove_stale_staging(output: Path) -> None:
    """Remove what conversions into ``output`` that were killed (not interrupted: those clean up) left beside it.

    Only folders untouched for :data:`STALE_STAGING_SECONDS`, so that a conversion running now keeps its own.
    """
    for folder in output.parent.glob(f".{glob_escape(output.name)}.*"):
        try:
            if folder.is_dir() and not folder.is_symlink() and time.time() - folder.stat().st_mtime > STALE_STAGING_SECONDS:
                log.info("removing %s, left by a conversion that was killed", folder)
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


class CTranslate2Translator(MarianFamilyTranslator):
    """MarianMT on CTranslate2: same tokenizer, same alignment, same cache, faster on CPU."""

    engine = "ctranslate2"
    #: Measured on 2 cores (benchmarks/translate.py): at beam 4, batches of 8 peak at ~40% of
    #: the memory of batches of 32 and lose little speed; the beams x vocabulary scores dominate.
    default_hypotheses = 32
    _missing_tokenizer_hint = "; convert it with nashra convert-model"

    def __init__(self, model: str = DEFAULT_MODEL, *, compute_type: str = "int8", **options: Any) -> None:
        super().__init__(model, **options)
        if compute_type not in QUANTIZATIONS:
            raise ModelError(f"unknown compute type '{compute_type}' (choose from {', '.join(QUANTIZATIONS)})")
        self.compute_type = compute_type
        self._options: dict[str, Any] | None = None

    def _find_folder(self) -> Path:
        """A converted folder as it is; a MarianMT model converted once into the user cache folder."""
        path = Path(self.model).expanduser()
        if path.is_dir() and is_converted(path):
            return path
        source = resolve_model(self.model, self.revision)
        if is_converted(source):
            return source
        key = namespace_key(self.model, revision_of(source), self.compute_type)
        target = default_cache_dir() / "ctranslate2" / key
        if not is_converted(target):
            log.warning("converting %s to CTranslate2 (%s) once, into %s", self.model, self.compute_type, target)
            convert_model(str(source), target, self.compute_type, force=True)
        return target

    @property
    def _generation_key(self) -> str:
        return self.compute_type

    @property
    def settings(self) -> str:
        generation = read_json(self.folder / "generation_config.json")
        return f"beams={generation.get('num_beams', 1)};max_length={generation.get('max_length')};compute_type={self.compute_type}"

    def _open_tokenizer(self) -> MarianSentencePiece:
        return MarianSentencePiece(self.folder)

    @property
    def max_input_tokens(self) -> int:
        return min(self.tokenizer.model_max_length, 512)

    def _encode(self, sentence: str) -> Sequence[Any]:
        pieces: Sequence[Any] = self.tokenizer.encode(sentence)
        return pieces

    def load(self) -> None:
        if self._model is not None:
            return
        ctranslate2 = _import_ctranslate2()
        self._load_tokenizer()
        device = self.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        device, _, index = device.partition(":")
        try:
            self._model = ctranslate2.Translator(
                str(self.folder), device=device, device_index=int(index or 0), compute_type=self.compute_type,
                inter_threads=1, intra_threads=self.threads or available_cpus(),
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load CTranslate2 model from {self.folder}: {first_line(exc)}") from None
        self.device = device
        log.info("loaded %s with CTranslate2 on %s (%s)", self.model, device, self.compute_type)

    def _generation_options(self) -> dict[str, Any]:
        if self._options is not None:
            return self._options
        generation = read_json(self.folder / "generation_config.json")
        # transformers counts the decoder start token in max_length/min_length, and with
        # forced_eos_token_id spends the last position on </s>; CTranslate2 counts neither.
        max_length = int(generation.get("max_length") or 512)
        reserved = 2 if generation.get("forced_eos_token_id") is not None else 1
        options: dict[str, Any] = {
            "beam_size": int(generation.get("num_beams") or 1),
            "max_decoding_length": max(1, max_length - reserved),
            "length_penalty": float(generation.get("length_penalty", 1.0)),
        }
        if generation.get("min_length"):
            options["min_decoding_length"] = min(options["max_decoding_length"], max(0, int(generation["min_length"]) - reserved))
        if generation.get("no_repeat_ngram_size"):
            options["no_repeat_ngram_size"] = int(generation["no_repeat_ngram_size"])
        if generation.get("repetition_penalty"):
            options["repetition_penalty"] = float(generation["repetition_penalty"])
        self._options = options
        return options

    def _decode_batch(self, sentences: list[str], encoded: list[Sequence[Any]], guard: bool) -> list[str]:
        options = dict(self._generation_options())
        if guard:
            options.update(LOOP_GUARD)
        results = self._model.translate_batch([list(tokens) for tokens in encoded], **options)
        return [self.tokenizer.decode(result.hypotheses[0]) for result in results]
