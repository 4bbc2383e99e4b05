"""MarianMT tokenization with sentencepiece alone (no transformers, no torch).

Does what ``transformers.MarianTokenizer`` does for translation: the source
SentencePiece model, pieces missing from ``vocab.json`` as ``<unk>``, ``</s>`` appended; decoding
drops special tokens and joins pieces with the SentencePiece model that
transformers uses (the source model when the vocabulary is shared). The
CTranslate2 engine uses it to stay small in memory and quick to start.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model_files import read_json

SPIECE_UNDERLINE = "\u2581"
SPECIAL_TOKENS = ("</s>", "<unk>", "<pad>")


class MarianSentencePiece:
    def __init__(self, folder: Path) -> None:
        import sentencepiece as spm

        config = read_json(folder / "tokenizer_config.json")
        self.source_lang = config.get("source_lang")
        self.model_max_length = int(config.get("model_max_length") or 512)
        self.vocab = set(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))
        self.separate_vocabs = (folder / "target_vocab.json").is_file()
        self.source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))

    def encode(self, text: str) -> list[str]:
        """Source pieces for CTranslate2, ``</s>`` included (normalize the text first)."""
        pieces = self.source.encode(text, out_type=str)
        return [p if p in self.vocab else "<unk>" for p in pieces] + ["</s>"]

    def decode(self, tokens: list[str]) -> str:
        processor = self.target if self.separate_vocabs else self.source
        pieces = [t for t in tokens if t not in SPECIAL_TOKENS]
        return processor.decode_pieces(pieces).replace(SPIECE_UNDERLINE, " ").strip()

