"""A tiny model made to loop: the sentence is decoded again with repetition guards, and the better version kept."""

from pathlib import Path

import pytest

from nashra.testing import make_tiny_marian
from nashra.translate import get_translator
from nashra.quality import check

SENTENCES = ["أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة.", "وقال المدير إن العمل سيبدأ غداً."]


@pytest.fixture(scope="module")
def looping_model(tmp_path_factory, examples_dir, data_dir) -> Path:
    """A model whose output scores favour "▁Syria" so much that it repeats it until the length limit."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(examples_dir.glob("*.txt"))]
    targets = [(data_dir / "target-en.txt").read_text(encoding="utf-8")]
    return make_tiny_marian(tmp_path_factory.mktemp("looping"), sources, targets, logit_bias={"▁Syria": 40.0})


def _looping_plain(translator, sentences):
    """What the engine's plain decoding gives (no re-decoding)."""
    return translator._plain(sentences)


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_a_looping_translation_is_decoded_again_and_the_better_kept(looping_model, engine):
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    options = {"compute_type": "float32"} if engine == "ctranslate2" else {}
    translator = get_translator(engine, str(looping_model), device="cpu", **options)
    plain = _looping_plain(translator, SENTENCES)
    assert all(any(f.kind == "repetition" for f in check(s, t)) for s, t in zip(SENTENCES, plain)), plain
    assert all(t.split().count("Syria") > 10 for t in plain)

    kept = translator.translate(SENTENCES)
    assert translator.stats.redecoded == len(SENTENCES)
    for source, first, final in zip(SENTENCES, plain, kept):
        assert final != first
        assert not any(f.kind == "repetition" for f in check(source, final)), final
        assert len(check(source, final)) <= len(check(source, first))  # fewer flags, or as many without the loop


def test_only_looping_translations_are_decoded_again(tiny_translator, examples_dir):
    from nashra.text.segment import segment_paragraphs
    from nashra.quality import repetition
    from nashra.translate.normalize import normalize_source

    text = (examples_dir / "000_b82a5ffee5f3a278.txt").read_text(encoding="utf-8").splitlines()
    sentences = [normalize_source(s.text) for s in segment_paragraphs(text)][:12]
    plain = tiny_translator._plain(sentences)
    looping = [i for i, (s, t) in enumerate(zip(sentences, plain)) if repetition(s, t)]
    assert len(looping) < len(sentences)
    before = tiny_translator.stats.redecoded
    out = tiny_translator.translate(sentences)
    assert tiny_translator.stats.redecoded - before == len(looping)
    assert all(out[i] == plain[i] for i in range(len(sentences)) if i not in looping)


def test_without_a_guard_the_sentence_is_split_at_a_clause_break(dict_translator):
    """An engine without guarded decoding retries a looping sentence in halves split at a comma."""
    source = "قال الوزير إن الحكومة ستجتمع غدا، وأضاف أن القرار سيصدر بعد الاجتماع"
    left, right = "قال الوزير إن الحكومة ستجتمع غدا،", "وأضاف أن القرار سيصدر بعد الاجتماع"
    dict_translator.table = {source: "the minister said " + "the meeting " * 5, left: "The minister said the government",
                             right: "will meet tomorrow and decide after the meeting"}
    out = dict_translator.impl.translate([source])
    assert out == ["The minister said the government will meet tomorrow and decide after the meeting"]
    assert dict_translator.impl.stats.redecoded == 1
