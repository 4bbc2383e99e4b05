from nashra.document import Provenance
from nashra.ingest import load
from nashra.pipeline import make_provenance, process, summarize_article, translate_articles
from nashra.summarize import get_summarizer
from nashra.text.segment import segment


def test_translate_articles_keeps_each_article_aligned(data_dir, dict_translator):
    articles = load([data_dir / "plain.txt", data_dir / "article.md"]).articles
    segmented = [segment(a) for a in articles]
    translated = translate_articles(segmented, dict_translator.impl)
    for item in translated:
        assert item.title_translation == f"EN[{item.article.title}]"
        assert [f"EN[{s.text}]" for s in item.sentences] == list(item.translations)
    # One call for all articles: batches are filled across articles.
    assert len(dict_translator.calls) == 1


def test_english_summary_translates_the_arabic_summary(data_dir, dict_translator):
    segmented = segment(load([data_dir / "plain.txt"]).articles[0])
    translated = translate_articles([segmented], dict_translator.impl)[0]
    provenance = Provenance("m", "e", "textrank", "0")
    item = summarize_article(translated, get_summarizer(), 2, provenance)
    assert item.summary_en == item.summary_ar and len(item.summary_ar) == 2
    assert not any(translated.sentences[i].heading for i in item.summary_ar)
    independent = summarize_article(translated, get_summarizer(), 2, provenance, independent=True)
    assert len(independent.summary_en) == 2


def test_process_reports_skips_and_counts(data_dir, dict_translator):
    items, report = process([data_dir], dict_translator.impl, get_summarizer(), sentences=2)
    assert report.articles == len(items) >= 7
    assert len(report.skipped) == 7
    assert report.sentences == sum(len(i.translated.sentences) for i in items)
    provenance = make_provenance(dict_translator.impl, get_summarizer())
    assert items[0].provenance == provenance
    assert provenance.model == "dict-model" and provenance.summarizer.startswith("newsrank")
