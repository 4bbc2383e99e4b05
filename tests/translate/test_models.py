"""Short model names, and the licence a model carries."""

import json

from nashra.translate import get_translator
from nashra.translate.models import MODELS, asks_attribution, info_of, licence_of, licence_url, resolve_name


def test_short_names():
    assert resolve_name("opus-mt") == "Helsinki-NLP/opus-mt-ar-en"
    assert resolve_name("tc-big") == "Helsinki-NLP/opus-mt-tc-big-ar-en"
    assert resolve_name("./my-model") == "./my-model"
    assert get_translator("transformers", "tc-big").model == "Helsinki-NLP/opus-mt-tc-big-ar-en"
    assert info_of("Helsinki-NLP/opus-mt-tc-big-ar-en") is MODELS["tc-big"]


def test_licences_of_the_supported_models():
    assert licence_of("opus-mt") == "Apache-2.0" and not asks_attribution("Apache-2.0")
    assert licence_of("Helsinki-NLP/opus-mt-tc-big-ar-en") == "CC-BY-4.0" and asks_attribution("CC-BY-4.0")
    assert licence_url("CC-BY-4.0") == "https://creativecommons.org/licenses/by/4.0/"
    assert MODELS["tc-big"].flores_bleu > MODELS["opus-mt"].flores_bleu


def test_licence_from_a_folders_model_card_or_its_conversion_marker(tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    (card / "README.md").write_text("---\nlicense: cc-by-4.0\ntags: [translation]\n---\n# A model\n", encoding="utf-8")
    assert licence_of(str(card), card) == "CC-BY-4.0"
    converted = tmp_path / "ct2"
    converted.mkdir()
    (converted / "nashra-model.json").write_text(json.dumps({"source_model": "Helsinki-NLP/opus-mt-ar-en"}))
    assert licence_of(str(converted), converted) == "Apache-2.0"
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "README.md").write_text("# no front matter\nlicense: mit\n", encoding="utf-8")
    assert licence_of(str(bare), bare) is None


def test_the_tiny_model_has_no_stated_licence(tiny_translator):
    assert tiny_translator.licence is None
