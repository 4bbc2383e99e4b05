"""The MarianMT family base: both engines share it, and the CTranslate2 engine stays free of torch."""

import json
import subprocess
import sys

from nashra.translate.ct2 import CTranslate2Translator
from nashra.translate.marian import MarianTranslator
from nashra.translate.marian_base import MarianFamilyTranslator


def test_both_engines_are_marian_family_and_neither_is_the_other():
    assert issubclass(MarianTranslator, MarianFamilyTranslator)
    assert issubclass(CTranslate2Translator, MarianFamilyTranslator)
    assert not issubclass(CTranslate2Translator, MarianTranslator)


def test_importing_the_ctranslate2_engine_imports_neither_torch_nor_transformers():
    code = ("import json, sys, nashra.translate.ct2; "
            "print(json.dumps([m for m in ('torch', 'transformers', 'nashra.translate.marian') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_shared_batching_keeps_alignment_and_counts_tokens_as_the_engine_encodes(tiny_translator):
    sentences = ["أعلنت الوزارة عن مستشفى جديد.", "غداً.", "وقال المدير إن العمل سيبدأ غداً في المدينة."]
    assert [tiny_translator.count_tokens(s) for s in sentences] == [len(tiny_translator._encode(s)) for s in sentences]
    batches = list(tiny_translator._translate_batches(sentences))
    indices = sorted(i for batch in batches for i, _ in batch)
    assert indices == [0, 1, 2]
    assert all(text.strip() for batch in batches for _, text in batch)
