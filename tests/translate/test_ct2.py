"""The CTranslate2 engine on the tiny model: conversion, agreement, cache and CLI."""

import pytest
from click.testing import CliRunner

pytest.importorskip("ctranslate2")

from nashra.cli import cli  # noqa: E402
from nashra.errors import ModelError  # noqa: E402
from nashra.translate import get_translator  # noqa: E402
from nashra.translate.cache import TranslationCache  # noqa: E402
from nashra.translate.ct2 import MARKER, convert_model  # noqa: E402

SENTENCES = [
    "أعلنت وزارة الصحة عن افتتاح مستشفى جديد.",
    "وقال المدير إن العمل سيبدأ غداً.",
    "الولايات المتحدة",
    "",
    "أعلنت وزارة الصحة عن افتتاح مستشفى جديد.",
]


@pytest.fixture(scope="module")
def converted(tiny_model, tmp_path_factory):
    return convert_model(str(tiny_model), tmp_path_factory.mktemp("ct2") / "float32", quantization="float32")


def test_conversion_copies_tokenizer_and_settings(converted):
    for name in ("model.bin", "source.spm", "target.spm", "vocab.json", "generation_config.json", MARKER):
        assert (converted / name).is_file(), name


def test_float32_conversion_agrees_with_transformers(converted, tiny_translator):
    ct2 = get_translator("ctranslate2", str(converted), device="cpu", compute_type="float32")
    assert ct2.translate(SENTENCES) == tiny_translator.translate(SENTENCES)


def test_int8_keeps_alignment(converted):
    ct2 = get_translator("ctranslate2", str(converted), device="cpu", compute_type="int8")
    out = ct2.translate(SENTENCES)
    assert len(out) == len(SENTENCES) and out[3] == "" and out[0] == out[4] and all(out[:3])


def test_hub_style_model_is_converted_once_into_the_cache(tiny_model):
    first = get_translator("ctranslate2", str(tiny_model), device="cpu")
    folder = first.folder
    assert (folder / "model.bin").is_file()
    assert get_translator("ctranslate2", str(tiny_model), device="cpu").folder == folder


def test_ct2_uses_the_same_cache_with_its_own_namespace(converted, tiny_translator, tmp_path):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    ct2 = get_translator("ctranslate2", str(converted), device="cpu", cache=cache, compute_type="float32")
    ct2.translate(SENTENCES)
    again = get_translator("ctranslate2", str(converted), device="cpu", cache=cache, compute_type="float32")
    again.translate(SENTENCES)
    assert again.stats.translated == 0 and again.stats.cached == 3
    assert again._model is None
    assert ct2.namespace != tiny_translator.namespace


def test_convert_refuses_non_empty_output(tiny_model, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "file").write_text("x")
    with pytest.raises(ModelError, match="not empty"):
        convert_model(str(tiny_model), tmp_path / "out")


def test_a_killed_conversion_s_staging_folder_is_removed_by_the_next_one(tiny_model, tmp_path):
    """A conversion killed (SIGKILL, a CI job's timeout) leaves its staging folder; the next conversion into the
    same output removes it when it is stale, and leaves a fresh one (a conversion running now) alone."""
    import os
    import time

    stale, fresh, other = tmp_path / ".ct2.k1ll3d", tmp_path / ".ct2.runn1n", tmp_path / ".ct2x.k1ll3d"
    for folder in (stale, fresh, other):
        (folder / "model").mkdir(parents=True)
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    convert_model(str(tiny_model), tmp_path / "ct2")
    assert not stale.exists() and fresh.exists() and other.exists()
    assert (tmp_path / "ct2" / "model.bin").is_file()


def test_convert_model_command_and_build_with_ct2(tiny_model, tmp_path, data_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["convert-model", str(tiny_model), str(tmp_path / "ct2")])
    assert result.exit_code == 0, result.output
    assert "int8" in result.output
    assert "Loading weights" not in result.output  # transformers' bar, drawn without -v
    result = runner.invoke(cli, ["build", str(data_dir / "plain.txt"), "-o", str(tmp_path / "out"), "--engine",
                                 "ctranslate2", "--model", str(tmp_path / "ct2"), "--no-cache"])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "out" / "docs" / "articles").glob("*.en.md")).read_text(encoding="utf-8")
    assert "engine: ctranslate2" in page


def test_sentencepiece_tokenizer_matches_marian_tokenizer(tiny_model, tiny_translator):
    from nashra.translate.spm_tokenizer import MarianSentencePiece

    light = MarianSentencePiece(tiny_model)
    marian = tiny_translator.tokenizer
    texts = ['قال: «الهجمات غير مقبولة» ...', "Mixed نص with English – and “quotes”", "٤٥ 4.5 ؟!", "كلمةغيرمعروفة xyzzy"]
    for text in texts:
        assert light.encode(text) == marian.convert_ids_to_tokens(marian(text)["input_ids"])
        ids = marian(text)["input_ids"]
        assert light.decode(marian.convert_ids_to_tokens(ids)) == marian.decode(ids, skip_special_tokens=True)


def test_ct2_engine_does_not_import_transformers(converted):
    import subprocess
    import sys

    code = (
        "import sys; from nashra.translate import get_translator; "
        f"t = get_translator('ctranslate2', {str(converted)!r}, device='cpu', compute_type='float32'); "
        "print(t.translate(['مرحبا بكم'])[0] != '', 'transformers' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False", "False"]


@pytest.mark.parametrize("where", ["itself", "parent"])
def test_force_never_replaces_a_folder_holding_the_model(tiny_model, tmp_path, where):
    """--force replaces an earlier conversion, not the model being converted (nor a folder holding it)."""
    import shutil

    model = tmp_path / "project" / "model"
    shutil.copytree(tiny_model, model)
    output = model if where == "itself" else model.parent
    result = CliRunner().invoke(cli, ["convert-model", str(model), str(output), "--force"])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
    assert "holds the model" in result.output
    assert sorted(p.name for p in model.iterdir()) == sorted(p.name for p in tiny_model.iterdir())


def test_force_replaces_only_an_earlier_conversion(tiny_model, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert-model", str(tiny_model), str(tmp_path / "notes"), "--force"])
    assert result.exit_code == 1 and "not a CTranslate2 model" in result.output
    assert (tmp_path / "notes" / "todo.txt").read_text(encoding="utf-8") == "keep me"
    converted = tmp_path / "ct2"
    assert CliRunner().invoke(cli, ["convert-model", str(tiny_model), str(converted)]).exit_code == 0
    result = CliRunner().invoke(cli, ["convert-model", str(tiny_model), str(converted), "--force",
                                      "--quantization", "float32"])
    assert result.exit_code == 0, result.output
    assert '"float32"' in (converted / MARKER).read_text(encoding="utf-8")


def test_damaged_weights_are_one_line_not_a_traceback(tiny_model, tmp_path):
    import shutil

    model = tmp_path / "damaged"
    shutil.copytree(tiny_model, model)
    weights = next(p for p in model.iterdir() if p.suffix in (".safetensors", ".bin"))
    weights.write_bytes(weights.read_bytes()[:1000])
    result = CliRunner().invoke(cli, ["convert-model", str(model), str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"Error: cannot convert '{model}'") and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["damaged"]


def test_a_model_without_its_tokenizer_is_refused_by_name(tiny_model, tmp_path):
    import shutil

    model = tmp_path / "partial"
    shutil.copytree(tiny_model, model)
    (model / "source.spm").unlink()
    result = CliRunner().invoke(cli, ["convert-model", str(model), str(tmp_path / "out")])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: cannot convert '{model}': its folder lacks source.spm")
    assert not (tmp_path / "out").exists()
