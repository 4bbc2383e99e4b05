import dataclasses
import hashlib

from nashra.pipeline import make_provenance
from nashra.signatures import TranslationSignature, provenance
from nashra.summarize.options import SummaryOptions, SummarySignature
from nashra.summarize import get_summarizer
from nashra.testing import StandInTranslator
from nashra.quality import signature


def test_summary_signature_is_the_key_and_every_field_counts():
    summarizer = get_summarizer()
    sig = SummarySignature.of(summarizer, SummaryOptions())
    assert str(sig) == f"{summarizer.describe()}|sentences=3|independent=False|max_words=None|flags={signature()}"
    changed = [dataclasses.replace(sig, sentences=2), dataclasses.replace(sig, independent=True),
               dataclasses.replace(sig, max_words=40), dataclasses.replace(sig, flags="other"),
               dataclasses.replace(sig, summarizer="lead")]
    assert len({str(sig), *map(str, changed)}) == 1 + len(changed)


def test_translation_signature_is_the_engine_namespace_and_gives_the_provenance():
    translator = StandInTranslator()
    sig = TranslationSignature.of(translator)
    assert str(sig) == translator.namespace and sig.engine == translator.engine and sig.model == translator.model_id
    summary = SummarySignature.of(get_summarizer(), SummaryOptions())
    shown = provenance(sig, summary)
    assert (shown.model, shown.engine, shown.summarizer) == (sig.model, sig.engine, summary.summarizer)
    assert shown == make_provenance(translator, get_summarizer())


def test_page_signature_every_field_and_the_content_count_in_the_key():
    from importlib import metadata

    from nashra.signatures import PageSignature

    sig = PageSignature.of([b"render code", b"more code"], ("mkdocs", "no-such-package-here"), b"site_name: x")
    assert sig.renderers == f"mkdocs={metadata.version('mkdocs')};no-such-package-here=?;"
    assert sig == PageSignature.of([b"render code", b"more code"], ("mkdocs", "no-such-package-here"), b"site_name: x")
    assert sig.key("page") == PageSignature.of([b"render code", b"more code"], ("mkdocs", "no-such-package-here"),
                                               b"site_name: x").key("page")
    changed = [dataclasses.replace(sig, code="other"), dataclasses.replace(sig, renderers="mkdocs=0;"),
               dataclasses.replace(sig, config="other")]
    keys = {sig.key("page"), sig.key("another page"), *(c.key("page") for c in changed)}
    assert len(keys) == 2 + len(changed)
    # Where one file's code ends and the next begins counts too.
    assert PageSignature.of([b"render", b" code"], (), b"").code != PageSignature.of([b"render ", b"code"], (), b"").code


def test_article_and_site_signatures_follow_their_inputs(tmp_path):
    from nashra.site import outlets
    from nashra.site.pagebuild import site_signature
    from nashra.site.render import article_page_signature

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\n", encoding="utf-8")
    first = site_signature(config)
    assert "mkdocs-material=" in first.renderers and first == site_signature(config)
    config.write_text("site_name: B\n", encoding="utf-8")
    assert site_signature(config).config != first.config and site_signature(config).code == first.code
    assert article_page_signature() == article_page_signature()
    assert article_page_signature().config == hashlib.sha256(outlets.names_fingerprint().encode("utf-8")).hexdigest()


def test_the_site_signature_does_not_depend_on_where_nashra_is_installed(tmp_path):
    """The configuration names the hooks file by its path in the installed package: a new environment (a new
    Python in a scheduled job, a virtualenv made elsewhere) gives the same key, and every page is reused."""
    from nashra.site.build import mkdocs_config
    from nashra.site.mkdocs_adapter import config_text
    from nashra.site.pagebuild import site_signature

    here, elsewhere = tmp_path / "here.yml", tmp_path / "elsewhere.yml"
    text = config_text(mkdocs_config())
    hooks = mkdocs_config()["hooks"][0]
    assert hooks in text and hooks.endswith("hooks.py")
    here.write_text(text, encoding="utf-8")
    # The same configuration as another install would write it: the key of its build was made there with
    # its own path left out, which is what is left here.
    elsewhere.write_text(text.replace(hooks, "hooks.py"), encoding="utf-8")
    assert site_signature(here) == site_signature(elsewhere)
    elsewhere.write_text(text + "copyright: another setting\n", encoding="utf-8")
    assert site_signature(here) != site_signature(elsewhere)
