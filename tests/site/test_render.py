import re

import yaml

from oracles import process
from nashra.site.labels import format_date
from nashra.site.render import render_article, render_home
from oracles import render_docs
from nashra.summarize import get_summarizer
from nashra.summarize.options import SummaryOptions


def _items(data_dir, dict_translator):
    items, _ = process([data_dir / "article.md", data_dir / "trec.txt", data_dir / "plain.txt"],
                       dict_translator.impl, get_summarizer(), sentences=2)
    return items


def _front_matter(page: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", page, re.DOTALL)
    assert match
    return yaml.safe_load(match.group(1))


def test_article_front_matter_holds_metadata_and_provenance(data_dir, dict_translator):
    item = next(i for i in _items(data_dir, dict_translator) if i.article.id == "farmers-plan-2024")
    for lang in ("en", "ar"):
        meta = _front_matter(render_article(item, lang))
        assert meta["language"] == lang
        assert meta["original_title"] == "الحكومة تعلن خطة لدعم المزارعين"
        assert meta["title"] == (meta["original_title"] if lang == "ar" else "EN[الحكومة تعلن خطة لدعم المزارعين]")
        assert meta["source"] == "وكالة الأنباء" and meta["url"] == "https://example.org/news/farmers"
        assert meta["date"] == "2024-03-05T10:15:00+02:00"  # the article's own time zone
        assert meta["model"] == "dict-model" and meta["engine"] == "dict"
        assert meta["summarizer"].startswith("learned(") and meta["nashra_version"]


def test_article_front_matter_and_footer_show_the_signatures_that_decide_reuse(data_dir, dict_translator):
    from nashra.signatures import TranslationSignature
    from nashra.summarize.options import SummarySignature
    from nashra.site.render import article_page_signature

    item = next(i for i in _items(data_dir, dict_translator) if i.article.id == "farmers-plan-2024")
    signature = article_page_signature()
    translation = str(TranslationSignature.of(dict_translator.impl))
    summary = str(SummarySignature.of(get_summarizer(), SummaryOptions(sentences=2)))  # the build's settings: two sentences
    assert "sentences=2" in summary
    for lang in ("en", "ar"):
        page = render_article(item, lang, page_signature=signature)
        meta = _front_matter(page)
        assert meta["translation_signature"] == translation == dict_translator.impl.namespace
        assert meta["summary_signature"] == summary
        assert meta["page_signature"] == str(signature) and len(signature.code) == 64
        footer = re.search(r'<details class="nashra-signatures"><summary>[^<]+</summary>(.*?)</details>', page).group(1)
        # Each string is isolated left to right in the notice; digests are cut, the full string is then the title.
        shown = re.findall(r'<bdi dir="ltr"><code(?: title="([^"]*)")?>([^<]*)</code></bdi>', footer)
        assert [title or text for title, text in shown] == [translation, summary, str(signature)]
        assert shown[1] == ("", summary)  # nothing to cut: no title repeating it
        assert shown[2][1] == f"code={signature.code[:12]}…|renderers={signature.renderers}|config={signature.config[:12]}…"
        assert footer in page.split('<div class="admonition warning nashra-notice" data-search-exclude>')[1]
    # Without a page signature (rendered outside a build), the front matter says so and the footer shows the rest.
    meta = _front_matter(render_article(item, "en"))
    assert meta["page_signature"] is None and meta["summary_signature"] == summary


def test_article_page_summary_first_then_aligned_text(data_dir, dict_translator):
    item = _items(data_dir, dict_translator)[0]
    page = render_article(item, "en")
    assert page.index("## Summary") < page.index("## Full text") < page.index('<table class="nashra-aligned" data-search-exclude>')
    rows = re.findall(r'<tr id="s(\d+)" data-sentence="(\d+)"[^>]*><td lang="en" dir="ltr">(.*?)</td><td lang="ar" dir="rtl">(.*?)</td></tr>', page)
    assert len(rows) == len(item.translated.sentences)
    for number, index, english, arabic in rows:
        sentence = item.translated.sentences[int(index)]
        assert int(number) == int(index) + 1
        text, _, marker = english.partition(' <span class="nashra-flag"')
        # The Arabic the translation kept is marked as Arabic, for a screen reader's voice.
        assert re.sub(r'<span lang="ar">|</span>', "", text) == f"EN[{sentence.text}]".replace('"', "&quot;")
        assert text.startswith('EN[<span lang="ar">')
        assert bool(marker) == bool(item.translated.sentence_flags[int(index)])  # EN[...] keeps Arabic: flagged
    assert "Machine translation" in page and "dict-model" in page
    arabic_page = render_article(item, "ar")
    assert '<td lang="ar" dir="rtl">' in arabic_page.split("<tbody>")[1].split("</td>")[0]
    assert "الملخص" in arabic_page and "ترجمة آلية" in arabic_page


def test_home_shows_the_latest_period_and_the_archive_every_article(data_dir, dict_translator):
    from oracles import build_stories

    from oracles import home_stories

    items = _items(data_dir, dict_translator)
    stories = build_stories(items)
    home = render_home(home_stories(stories), "en", total=len(stories))
    # Fewer stories than a screenful: the period widens to every dated story, the newest (2024) and the
    # 2018 one; the undated one is not news of any period.
    assert "articles/farmers-plan-2024.md" in home and "xx-economy-12-20180302" in home
    # Each item says how many articles it has; one outlet is named, not counted ("1 outlet: X").
    assert "1 article<" in home and '<span class="nashra-sources">' in home and "1 outlet" not in home
    assert "archive/index.md" in home
    files = render_docs(items)
    archive = "".join(text for path, text in files.items() if path.startswith("archive/") and path.endswith(".en.md"))
    for item in items:
        assert f"../articles/{item.article.id}.md" in archive
    assert {"archive/2024-03-05.en.md", "archive/2018-03-02.ar.md", "archive/undated.en.md", "archive/index.ar.md",
            "sources/index.en.md"} <= set(files)
    index = files["archive/index.en.md"]
    assert index.index("March 2024") < index.index("March 2018") < index.index("Undated")
    # Single-article stories have no page of their own: the article page is the story.
    assert not any(path.startswith("stories/") for path in files)


def test_dates_in_each_language():
    from datetime import datetime, timezone, timedelta

    date = datetime(2023, 10, 27, 1, 30, tzinfo=timezone.utc)
    assert format_date(date, "en") == "27 October 2023 01:30 UTC"
    assert format_date(date, "ar") == "27 أكتوبر 2023 01:30 بتوقيت غرينتش"
    assert format_date(date.astimezone(timezone(timedelta(hours=4))), "en").endswith("UTC+04:00")
    # A date without a time (midnight: a file's date, or one read from the text) claims no time zone.
    assert format_date(datetime(2023, 10, 26, tzinfo=timezone.utc), "en") == "26 October 2023"
    assert format_date(datetime(2023, 10, 26, tzinfo=timezone.utc), "ar") == "26 أكتوبر 2023"
    assert format_date(None, "ar") == "بدون تاريخ"


def test_every_passage_in_the_other_language_says_its_language(data_dir, dict_translator):
    """A screen reader switches voice on ``lang``: the flag's reasons and the column heads are in the
    page's language wherever they sit, and the Arabic a translation kept is marked as Arabic."""
    from nashra.site.render import flag_marker

    item = _items(data_dir, dict_translator)[0]
    english, arabic = render_article(item, "en"), render_article(item, "ar")
    assert '<th lang="ar" dir="rtl"><span lang="en">Original (Arabic)</span></th>' in english
    assert '<th lang="en" dir="ltr"><span lang="ar">' in arabic and '<th lang="ar" dir="rtl">النص الأصلي' in arabic
    marker = flag_marker(["arabic: untranslated ممكنة أو معروفة …"], "ar")
    assert 'lang="ar"><span aria-hidden="true">⚠</span><span class="nashra-flag-reason" dir="rtl">' in marker
    assert '<bdi lang="en" dir="ltr">arabic: untranslated <span lang="ar">ممكنة أو معروفة</span> …</bdi>' in marker
    assert 'lang="en"><span aria-hidden="true">⚠</span><span class="nashra-flag-reason" dir="ltr">' in flag_marker(["x"], "en")
    # The English summary keeps the dictionary's untranslated Arabic: marked, inside the Markdown list.
    summary = english.split("## Summary\n")[1].split("## Full text")[0]
    assert summary.strip().startswith('- EN\\[<span lang="ar">')
    # The provenance line's Latin names are English on the Arabic page, and unmarked on the English one.
    assert '<bdi lang="en" dir="ltr">dict-model</bdi>' in arabic and '<bdi dir="ltr">dict-model</bdi>' in english
