"""The MarianMT engine on a tiny model built by the test session (see conftest)."""

import time

import pytest

from nashra.errors import ModelError
from nashra.translate import get_translator
from nashra.translate.base import length_batches
from nashra.translate.marian import MarianTranslator
from nashra.translate.model_files import resolve_model

SENTENCES = [
    "أعلنت وزارة الصحة عن افتتاح مستشفى جديد.",
    "وقال المدير إن العمل سيبدأ غداً.",
    "الولايات المتحدة",
    "أعلنت وزارة الصحة عن افتتاح مستشفى جديد.",
    "",
]


def test_translates_aligned_and_deterministic(tiny_translator):
    first = tiny_translator.translate(SENTENCES)
    second = tiny_translator.translate(SENTENCES)
    assert len(first) == len(SENTENCES)
    assert first == second
    assert first[0] == first[3]  # identical input, identical output
    assert first[4] == ""
    assert all(first[:4])
    # Random weights still depend on the input: not every output is the same.
    assert len(set(first[:3])) > 1


def test_batched_equals_one_by_one(tiny_translator, tiny_model):
    one_by_one = [tiny_translator.translate([s])[0] for s in SENTENCES[:3]]
    batched = get_translator("transformers", str(tiny_model), device="cpu", max_batch_tokens=10_000)
    assert batched.translate(SENTENCES[:3]) == one_by_one


def test_generation_config_is_honoured(tiny_translator):
    config = tiny_translator.hf_model.generation_config
    assert config.num_beams == 4
    assert "beams=4" in tiny_translator.settings


def test_sentence_over_token_limit_is_split_not_truncated(tiny_translator):
    limit = tiny_translator.max_input_tokens
    clause = "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة"
    long_sentence = "، ".join([clause] * 80)
    assert tiny_translator.count_tokens(long_sentence) > limit
    parts = tiny_translator.split_long(long_sentence)
    assert len(parts) > 1
    assert all(tiny_translator.count_tokens(p) <= limit for p in parts)
    assert " ".join(parts).replace("، ", "،").split("،") == long_sentence.replace("، ", "،").split("،")
    out = tiny_translator.translate([long_sentence])
    assert len(out) == 1 and out[0]


def test_length_batches_respect_budget_and_cover_all():
    lengths = [5, 50, 7, 3, 48, 6]
    batches = length_batches(lengths, max_tokens=100, max_size=3)
    assert sorted(i for b in batches for i in b) == list(range(6))
    for batch in batches:
        assert len(batch) <= 3
        assert max(lengths[i] for i in batch) * len(batch) <= 100
    # Sorted by length: short sentences are batched together.
    assert set(batches[0]) == {3, 0, 5}


def test_model_loads_once_and_lazily(tiny_model):
    translator = MarianTranslator(str(tiny_model), device="cpu")
    assert translator._model is None
    translator.translate(["مرحبا"])
    model = translator._model
    translator.translate(["مرحبا بكم"])
    assert translator._model is model


def test_offline_without_cached_model_fails_fast_with_a_clear_message():
    translator = MarianTranslator("Helsinki-NLP/opus-mt-ar-en")
    started = time.monotonic()
    with pytest.raises(ModelError) as info:
        translator.translate(["مرحبا"])
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-ar-en" in message and "--model" in message
    assert "\n" not in message


def test_bad_local_folders(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "missing"))
    with pytest.raises(ModelError, match="no config.json"):
        resolve_model(str(tmp_path))
    file = tmp_path / "weights.bin"
    file.write_bytes(b"x")
    with pytest.raises(ModelError, match="is a file"):
        resolve_model(str(file))


def test_broken_model_folder_is_a_model_error(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="lacks source.spm, target.spm, vocab.json"):
        MarianTranslator(str(tmp_path)).load()


def test_corrupt_weights_are_a_model_error(tiny_model, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match="cannot load MarianMT model"):
        MarianTranslator(str(broken)).load()


def test_unknown_engine():
    from nashra.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown translation engine 'nope'"):
        get_translator("nope")


def test_safetensors_are_preferred_over_pickled_weights(tiny_model, tmp_path):
    import shutil

    folder = tmp_path / "both"
    shutil.copytree(tiny_model, folder)
    # A pickle that would fail (or worse) if it were ever loaded.
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04not a real pickle")
    translator = MarianTranslator(str(folder), device="cpu")
    assert translator.translate(["مرحبا بكم"])[0]


def test_counting_a_long_sentence_s_tokens_does_not_warn_of_indexing_errors(tiny_translator):
    """It is split before translation: the tokenizer's "will result in indexing errors" warning was wrong."""
    key = "sequence-length-is-longer-than-the-specified-maximum"
    tokenizer = tiny_translator.tokenizer
    tokenizer.deprecation_warnings.pop(key, None)
    long_sentence = "، ".join(["أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة"] * 200)
    assert tiny_translator.count_tokens(long_sentence) > tokenizer.model_max_length
    assert key not in tokenizer.deprecation_warnings
