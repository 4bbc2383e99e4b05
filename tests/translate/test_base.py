"""The shared Translator logic, on a dictionary-backed fake."""

from nashra.translate.base import Translator, _split_to_fit
from nashra.translate.normalize import normalize_source


def test_alignment_dedup_and_empty(dict_translator):
    translator = dict_translator.impl
    out = translator.translate(["أ ب", "", "ج", "أ ب"])
    assert out == ["EN[أ ب]", "", "EN[ج]", "EN[أ ب]"]
    # Identical sentences are sent once.
    assert dict_translator.calls == [["أ ب", "ج"]]


def test_long_sentence_split_at_clause_punctuation(dict_translator):
    dict_translator.max_tokens = 6
    translator = dict_translator.impl
    sentence = "واحد اثنان ثلاثة، أربعة خمسة ستة، سبعة ثمانية تسعة"
    out = translator.translate([sentence])
    assert dict_translator.calls == [["واحد اثنان ثلاثة،", "أربعة خمسة ستة،", "سبعة ثمانية تسعة"]]
    assert out == ["EN[واحد اثنان ثلاثة،] EN[أربعة خمسة ستة،] EN[سبعة ثمانية تسعة]"]


def test_split_falls_back_to_spaces_then_characters():
    count = lambda s: len(s.split()) + 1  # noqa: E731
    parts = _split_to_fit("a b c d e f g h", count, 3)
    assert all(count(p) <= 3 for p in parts) and " ".join(parts) == "a b c d e f g h"
    parts = _split_to_fit("x" * 40, lambda s: len(s) // 10 + 1, 2)
    assert "".join(parts) == "x" * 40 and all(len(p) // 10 + 1 <= 2 for p in parts)


def test_progress_reports_every_sentence(dict_translator):
    seen: list[int] = []
    from contextlib import contextmanager

    @contextmanager
    def progress(total):
        seen.append(total)
        yield lambda done: seen.append(done)

    dict_translator.impl.translate(["أ", "ب", "أ"], progress=progress)
    assert seen == [2, 2]  # total distinct sentences, then one finished batch of two


def test_normalize_source():
    assert normalize_source("أ\u200cب\u200f ج\ufeff\u061c د…") == "أ ب ج د..."
    assert normalize_source("  a \n\t b  ") == "a b"
    # Moses punctuation normalization, as in OPUS-MT's training data.
    assert normalize_source("قال: «الهجمات» – “نعم”") == 'قال: "الهجمات" - "نعم"'
    assert normalize_source("\u200c \u200f") == ""


def test_translator_is_abstract():
    assert Translator.__abstractmethods__ == {"count_tokens", "_translate_batches", "max_input_tokens", "namespace"}
