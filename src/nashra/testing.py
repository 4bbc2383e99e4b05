"""Helpers for testing code that uses Nashra: a tiny MarianMT model made on the spot.

The real opus-mt-ar-en weights are large and need a download; tests instead
build a MarianMT model with random weights and a SentencePiece vocabulary
trained on a few sentences, save it with ``save_pretrained`` and load it
through exactly the code path the real model takes. Its translations are
gibberish: assert structure (alignment, counts, caching), never wording.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .translate.base import Batch, Translator


class StandInTranslator(Translator):
    """A translator that answers at once with ``transform(sentence)``.

    For tests and benchmarks that are about everything but the model: it
    goes through the same normalization, de-duplication, cache and batching as
    a real engine. Never used to build a real briefing.
    """

    engine = "stand-in"

    def __init__(self, transform: Callable[[str], str] = lambda s: s, batch_size: int = 64) -> None:
        super().__init__("stand-in")
        self.transform = transform
        self.batch_size = batch_size

    @property
    def namespace(self) -> str:
        return "stand-in"

    @property
    def max_input_tokens(self) -> int:
        return 512

    def count_tokens(self, sentence: str) -> int:
        return len(sentence.split()) + 1

    def _translate_batches(self, sentences: list[str]) -> Iterator[Batch]:
        for start in range(0, len(sentences), self.batch_size):
            end = min(start + self.batch_size, len(sentences))
            yield [(i, self.transform(sentences[i])) for i in range(start, end)]


def _train_spm(prefix: Path, sentences: list[str], vocab_size: int) -> Path:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        pad_id=-1,
        bos_id=-1,
        eos_id=1,
        unk_id=0,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=1,
    )
    model_file = prefix.with_suffix(".model")
    target = prefix.with_suffix(".spm")
    model_file.replace(target)
    prefix.with_suffix(".vocab").unlink(missing_ok=True)
    return target


def make_tiny_marian(
    folder: str | Path,
    source_texts: Iterable[str],
    target_texts: Iterable[str],
    *,
    vocab_size: int = 400,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn_dim: int = 64,
    max_position_embeddings: int = 512,
    num_beams: int = 4,
    max_length: int = 24,
    init_std: float = 0.5,
    seed: int = 0,
    min_vocab_size: int = 0,
    eos_id: int = 0,
    logit_bias: dict[str, float] | None = None,
    config_overrides: dict[str, Any] | None = None,
    generation_overrides: dict[str, Any] | None = None,
) -> Path:
    """Create and save a random-weight MarianMT model with its tokenizer in ``folder``.

    The generation config follows opus-mt (beam search, pad token banned);
    ``max_length`` keeps generation short. A large ``init_std`` makes the
    output depend on the input. ``min_vocab_size`` pads the vocabulary with
    unused entries (to reach the size of a real model's embeddings); ``eos_id``
    puts ``</s>`` at that id instead of 0 (opus-mt-tc-big-ar-en has it at
    25,894, with ``<pad>`` last as usual). ``logit_bias`` adds a bias to the
    output scores of target pieces (``{"▁the": 50.0}`` makes a model that
    repeats "the" in a loop).
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    source = [line.strip() for text in source_texts for line in text.splitlines() if line.strip()]
    target = [line.strip() for text in target_texts for line in text.splitlines() if line.strip()]
    source_spm = _train_spm(out / "source", source, vocab_size)
    target_spm = _train_spm(out / "target", target, vocab_size)

    import sentencepiece as spm

    # The layout of the opus-mt vocabularies: </s> and <unk> first, <pad> last.
    pieces: list[str] = ["<unk>"]
    for model_file in (source_spm, target_spm):
        processor = spm.SentencePieceProcessor(model_file=str(model_file))
        for piece_id in range(processor.get_piece_size()):
            piece = processor.id_to_piece(piece_id)
            if piece not in pieces and piece not in ("</s>", "<pad>"):
                pieces.append(piece)
    pieces += [f"<extra_{n}>" for n in range(len(pieces) + 1, max(min_vocab_size - 1, eos_id + 1))]
    pieces.insert(min(eos_id, len(pieces)), "</s>")
    vocab: dict[str, int] = {piece: n for n, piece in enumerate(pieces)}
    vocab["<pad>"] = len(vocab)
    vocab_file = out / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    tokenizer = MarianTokenizer(
        source_spm=str(source_spm), target_spm=str(target_spm), vocab=str(vocab_file),
        source_lang="ar", target_lang="en", model_max_length=max_position_embeddings,
    )
    tokenizer.save_pretrained(out)

    pad, eos = vocab["<pad>"], vocab["</s>"]
    settings: dict[str, Any] = dict(
        vocab_size=len(vocab), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn_dim,
        decoder_ffn_dim=ffn_dim, max_position_embeddings=max_position_embeddings, pad_token_id=pad,
        eos_token_id=eos, decoder_start_token_id=pad, forced_eos_token_id=eos, init_std=init_std,
        share_encoder_decoder_embeddings=True, scale_embedding=True,
    )
    settings.update(config_overrides or {})
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**settings))
    generation: dict[str, Any] = dict(
        num_beams=num_beams, max_length=max_length, bad_words_ids=[[pad]], pad_token_id=pad,
        eos_token_id=eos, decoder_start_token_id=pad, forced_eos_token_id=eos,
    )
    generation.update(generation_overrides or {})
    for piece, bias in (logit_bias or {}).items():
        with torch.no_grad():
            model.final_logits_bias[0, vocab[piece]] += bias
    model.generation_config = GenerationConfig(**generation)
    model.save_pretrained(out)
    return out
