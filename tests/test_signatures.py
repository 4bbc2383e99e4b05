import dataclasses

from nashra.pipeline import make_provenance
from nashra.signatures import SummarySignature, TranslationSignature, provenance
from nashra.summarize import get_summarizer
from nashra.testing import StandInTranslator
from nashra.translate.flags import signature


def test_summary_signature_is_the_key_and_every_field_counts():
    summarizer = get_summarizer()
    sig = SummarySignature.of(summarizer, 3)
    assert str(sig) == f"{summarizer.describe()}|sentences=3|independent=False|max_words=None|flags={signature()}"
    changed = [dataclasses.replace(sig, sentences=2), dataclasses.replace(sig, independent=True),
               dataclasses.replace(sig, max_words=40), dataclasses.replace(sig, flags="other"),
               dataclasses.replace(sig, summarizer="lead")]
    assert len({str(sig), *map(str, changed)}) == 1 + len(changed)


def test_translation_signature_is_the_engine_namespace_and_gives_the_provenance():
    translator = StandInTranslator()
    sig = TranslationSignature.of(translator)
    assert str(sig) == translator.namespace and sig.engine == translator.engine and sig.model == translator.model_id
    summary = SummarySignature.of(get_summarizer(), 3)
    shown = provenance(sig, summary)
    assert (shown.model, shown.engine, shown.summarizer) == (sig.model, sig.engine, summary.summarizer)
    assert shown == make_provenance(translator, get_summarizer())
