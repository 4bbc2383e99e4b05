"""Outlets by the names readers know, their pages, and mixed-direction lines isolated."""

from __future__ import annotations

import json
import re

import pytest

from nashra.config import load_settings
from nashra.errors import ConfigError
from oracles import catalog_of, process
from nashra.site.archive import OUTLET_PAGE_SIZE, UNKNOWN_OUTLET
from nashra.site.outlets import known, outlet_key, outlet_name, outlet_names, outlet_slug
from nashra.site.render import iter_docs
from nashra.summarize import get_summarizer


@pytest.mark.parametrize(("raw", "en", "ar"), [
    ("skynews", "Sky News Arabia", "سكاي نيوز عربية"),
    ("alarabia", "Al Arabiya", "العربية"),
    ("france24", "France 24", "فرانس 24"),
    ("BBC", "BBC Arabic", "بي بي سي عربي"),
    ("CNN", "CNN Arabic", "سي إن إن بالعربية"),
    ("Al Jazeera", "Al Jazeera", "الجزيرة"),
    ("الجزيرة نت", "Al Jazeera", "الجزيرة"),
    ("Asharq Al-Awsat", "Asharq Al-Awsat", "الشرق الأوسط"),
    ("RT Arabic", "RT Arabic", "آر تي عربي"),
    ("Anadolu", "Anadolu Agency", "الأناضول"),
])
def test_built_in_names_of_common_outlets(raw: str, en: str, ar: str) -> None:
    assert (outlet_name(raw, "en"), outlet_name(raw, "ar")) == (en, ar)


def test_raw_names_are_normalized_and_unknown_ones_shown_as_written() -> None:
    assert outlet_key(" Sky-News ") == outlet_key("SKYNEWS") == "skynews"
    assert outlet_name("Example  Wire", "ar") == "Example Wire"
    assert outlet_name(None, "en") is None and outlet_name("  ", "ar") is None
    assert outlet_slug("skynews") == outlet_slug("Sky News Arabia") == "skynewsarabia"
    assert re.fullmatch(r"outlet-[0-9a-f]{10}", outlet_slug("وكالة الأنباء"))


def test_project_names_override_the_built_in_ones() -> None:
    with outlet_names({"skynews": {"en": "Sky", "ar": "سكاي"}, "Example Wire": {"en": "Example Wire"}}):
        assert outlet_name("skynews", "ar") == "سكاي" and outlet_name("Sky News", "en") == "Sky"
        assert outlet_name("example wire", "ar") == "Example Wire"
    assert outlet_name("skynews", "ar") == "سكاي نيوز عربية"
    assert known("Example Wire") is None


def test_outlets_table_in_nashra_toml(tmp_path) -> None:
    config = tmp_path / "nashra.toml"
    config.write_text('[outlets]\nskynews = { en = "Sky", ar = "سكاي" }\n"Example Wire" = { ar = "وكالة المثال" }\n',
                      encoding="utf-8")
    assert load_settings(config).site.outlets == {"skynews": {"en": "Sky", "ar": "سكاي"},
                                             "Example Wire": {"ar": "وكالة المثال"}}
    config.write_text('[outlets]\nskynews = "Sky"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="outlets.skynews"):
        load_settings(config)
    config.write_text('[outlets]\nskynews = { fr = "Sky" }\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="outlets.skynews"):
        load_settings(config)


def _news_docs(folder, extra: int = 0) -> dict[str, str]:
    """The docs of 55 Sky News articles, 3 BBC ones and 2 of no outlet (translated by a dictionary),
    and ``extra`` newer Sky News articles."""
    return dict(iter_docs(catalog_of(_news_items(folder, extra))))


def _news_items(folder, extra: int = 0) -> list:
    """The articles of :func:`_news_docs`, processed."""
    from tests.conftest import DictTranslator

    rows = [{"id": f"x{n}", "title": f"خبر جديد {n}", "source": "skynews", "date": f"2018-04-{1 + n // 24:02d}T{n % 24:02d}:00:00Z",
             "text": f"أعلنت الشركة عن منتج جديد رقم {n}."} for n in range(extra)]
    for n in range(60):
        source = "skynews" if n < 55 else ("BBC" if n < 58 else None)
        rows.append({"id": f"n{n:02d}", "title": f"خبر رقم {n} عن الاقتصاد", "source": source,
                     "date": f"2018-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z" if n != 59 else None,
                     "text": f"قالت الحكومة إن النمو بلغ {n} في المئة هذا العام. وأضافت أن الصادرات ارتفعت {n} مرة."})
    (folder / "news.jsonl").write_text("\n".join(json.dumps({k: v for k, v in r.items() if v is not None},
                                                            ensure_ascii=False) for r in rows), encoding="utf-8")
    items, _ = process([folder / "news.jsonl"], DictTranslator().impl, get_summarizer(), sentences=1)
    return items


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, str]:
    return _news_docs(tmp_path_factory.mktemp("outlets"))


def _entries(page: str) -> list[str]:
    return re.findall(r"^- \[.*\]\(\.\./articles/(n\d+)\.md\)", page, re.MULTILINE)


def test_each_outlet_has_paged_pages_listing_all_its_articles(docs) -> None:
    main, first, second = (docs[f"sources/skynewsarabia{suffix}.ar.md"] for suffix in ("", "-1", "-2"))
    # The outlet's page: its newest articles, newest first, and links to the pages of all of them.
    newest_first = [f"n{n:02d}" for n in sorted(range(55), key=lambda n: (-(1 + n % 28), -(n % 24)))]
    assert _entries(main) == newest_first[:50]
    assert "# سكاي نيوز عربية" in main and "55 مقالة" in main and "[المصادر](index.md)" in main
    # Its pages by month: each month (a line a year) links to the page it begins on; all 55 are of March 2018.
    assert "50 مقالة في كل صفحة" in main and "\n- 2018: [مارس](skynewsarabia-1.md)\n" in main
    # The pages of all its articles, numbered from the oldest: a new article changes only the last one.
    assert len(_entries(first)) == OUTLET_PAGE_SIZE and len(_entries(second)) == 55 - OUTLET_PAGE_SIZE
    assert sorted(_entries(first) + _entries(second)) == [f"n{n:02d}" for n in range(55)]
    assert _entries(second) == newest_first[:5] and newest_first[:5] == ["n27", "n54", "n26", "n53", "n25"]
    assert "الصفحة 2" in second and "(skynewsarabia-1.md)" in second and "(skynewsarabia-3.md)" not in second
    assert "(skynewsarabia-2.md)" in first and "[سكاي نيوز عربية](skynewsarabia.md)" in first
    assert "sources/skynewsarabia-3.ar.md" not in docs
    assert len(_entries(docs["sources/bbcarabic.en.md"])) == 3 and "# BBC Arabic" in docs["sources/bbcarabic.en.md"]
    assert "sources/bbcarabic-1.en.md" not in docs
    assert len(_entries(docs[f"sources/{UNKNOWN_OUTLET}.en.md"])) == 2


def test_a_new_article_changes_the_outlet_page_and_its_newest_numbered_page_only(docs, tmp_path) -> None:
    later = _news_docs(tmp_path, extra=1)
    changed = {path for path in later if path.startswith("sources/skynews") and later[path] != docs.get(path)}
    assert changed == {f"sources/skynewsarabia{suffix}.{lang}.md" for suffix in ("", "-2") for lang in ("en", "ar")}


def _listing_keys(folder, extra: int) -> tuple[dict[str, str], dict[str, str]]:
    """Each outlet listing's key and its Markdown (both languages), for the articles of :func:`_news_docs`."""
    from nashra.site.render import listings

    folder.mkdir()
    catalog = catalog_of(_news_items(folder, extra))
    keys, texts = {}, {}
    for listing in listings(catalog):
        if listing.page.startswith("sources/"):
            keys[listing.page] = listing.key
            texts[listing.page] = "".join(text for _, text in listing.make())
    return keys, texts


def test_an_outlet_listings_key_changes_exactly_when_its_markdown_does(tmp_path) -> None:
    """A page whose key is unchanged is taken from the published docs: its key must cover all it shows. A new
    article changes the outlet's page and its newest numbered page, not the older numbered pages (whose key
    once held the outlet's count); a new numbered page gives the one before it a link to it."""
    runs = [_listing_keys(tmp_path / str(extra), extra) for extra in (0, 1, 45, 46)]
    for (keys, texts), (later_keys, later_texts) in zip(runs, runs[1:]):
        for page in later_keys.keys() & keys.keys():
            assert (keys[page] == later_keys[page]) == (texts[page] == later_texts[page]), page
    changed = {page for page in runs[1][0] if runs[1][0][page] != runs[0][0].get(page)}
    assert changed == {"sources/skynewsarabia", "sources/skynewsarabia-2"}
    # 55 + 45 = 100 articles: two full pages. One more opens a third page, and the second links to it.
    assert "sources/skynewsarabia-3" not in runs[2][0] and "sources/skynewsarabia-3" in runs[3][0]
    assert runs[2][0]["sources/skynewsarabia-2"] != runs[3][0]["sources/skynewsarabia-2"]
    assert runs[2][0]["sources/skynewsarabia-1"] == runs[3][0]["sources/skynewsarabia-1"]
    # The newer article, of April, is on the second page: April links to it.
    assert "\n- 2018: [March](skynewsarabia-1.md) · [April](skynewsarabia-2.md)\n" in runs[1][1]["sources/skynewsarabia"]


def test_an_outlet_page_links_each_month_to_the_page_it_begins_on() -> None:
    from nashra.site.archive import render_outlet_page

    months = [("2019-11", 1), ("2019-12", 3), ("2020-01", 3), ("2020-02", 9), (None, 1)]
    english = render_outlet_page("bbcarabic", ["BBC"], 420, [], "en", months=months)
    arabic = render_outlet_page("bbcarabic", ["BBC"], 420, [], "ar", months=months)
    assert english.endswith("All its articles, 50 articles a page from the oldest; each month links to the page it"
                            " begins on:</p>\n\n- 2019: [November](bbcarabic-1.md) · [December](bbcarabic-3.md)\n"
                            "- 2020: [January](bbcarabic-3.md) · [February](bbcarabic-9.md)\n"
                            "- Undated: [Page 1](bbcarabic-1.md)\n\n")
    assert "- 2019: [نوفمبر](bbcarabic-1.md) · [ديسمبر](bbcarabic-3.md)\n" in arabic
    assert "- بدون تاريخ: [الصفحة 1](bbcarabic-1.md)\n" in arabic
    # A numbered page and an outlet of one page have no months.
    assert "bbcarabic-9.md" not in render_outlet_page("bbcarabic", ["BBC"], 420, [], "en", 5, months=months)
    assert "- 2019" not in render_outlet_page("bbcarabic", ["BBC"], 40, [], "en", months=months)


def test_sources_page_counts_outlets_without_the_unknown_and_links_their_pages(docs) -> None:
    english, arabic = docs["sources/index.en.md"], docs["sources/index.ar.md"]
    assert "60 articles from 2 outlets" in english and "60 مقالة من مصدرين" in arabic
    assert "## [Sky News Arabia](skynewsarabia.md)" in english and "## [سكاي نيوز عربية](skynewsarabia.md)" in arabic
    assert "All its articles (55 articles)" in english and "جميع مقالاته (55 مقالة)" in arabic
    assert "3 articles" in english and "3 مقالات" in arabic
    assert english.index("Sky News Arabia") < english.index("BBC Arabic") < english.index("Articles without a known outlet")


def test_composed_lines_isolate_each_piece_of_the_other_direction(docs) -> None:
    page = docs["articles/n03.ar.md"]
    meta = re.search(r'<p class="nashra-meta">(.*?)</p>', page).group(1)
    assert '<a href="../sources/skynewsarabia.html"><bdi class="nashra-whole">سكاي نيوز عربية</bdi></a>' in meta
    assert '<bdi class="nashra-whole">4 مارس 2018 03:00 بتوقيت غرينتش</bdi>' in meta
    provenance = re.search(r'<span class="nashra-provenance">(.*?)</span>', page).group(1)
    # Isolated, and marked as English so that a screen reader reads them in an English voice.
    assert '<bdi lang="en" dir="ltr">dict-model</bdi>' in provenance and '(محرك <bdi lang="en" dir="ltr">dict</bdi>)' in provenance
    day = docs["archive/2018-03-04.ar.md"]
    assert '— <bdi class="nashra-whole">سكاي نيوز عربية</bdi> · <bdi class="nashra-whole">03:00</bdi>' in day
    archive = docs["archive/index.ar.md"]
    assert ('<li><a href="2018-03-04.html"><bdi class="nashra-whole">4 مارس 2018</bdi></a> — '
            '<bdi class="nashra-whole">مقالتان</bdi></li>') in archive


def test_home_counts_agree_with_their_nouns(docs) -> None:
    for lang, pattern in (("en", r"(\d+) stor(?:y|ies) from (\d+) articles?"), ("ar", r"(\d+ )?(قصة|قصص|قصتان).* من ")):
        assert re.search(pattern, docs[f"index.{lang}.md"]), docs[f"index.{lang}.md"][:600]
    assert "stories from 1 articles" not in docs["index.en.md"]


def test_a_story_counts_its_named_outlets_and_its_articles(tmp_path) -> None:
    from tests.conftest import DictTranslator

    text = "أعلنت وزارة الصحة اليوم إطلاق حملة وطنية للتطعيم ضد الحصبة في جميع المحافظات. وتستمر الحملة أسبوعين."
    rows = [{"id": f"s{n}", "title": "حملة وطنية للتطعيم ضد الحصبة", "text": text,
             "date": f"2024-05-0{n + 1}T09:00:00Z", **({"source": source} if source else {})}
            for n, source in enumerate(["skynews", "BBC", None])]
    (tmp_path / "story.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    items, _ = process([tmp_path / "story.jsonl"], DictTranslator().impl, get_summarizer(), sentences=1)
    docs = dict(iter_docs(catalog_of(items)))
    story = next(path for path in docs if path.startswith("stories/"))[len("stories/"):].split(".")[0]
    meta = {lang: re.sub(r"<[^>]+>", "", re.search(r'<p class="nashra-meta">(.*?)</p>', docs[f"stories/{story}.{lang}.md"]
                                                   ).group(1)) for lang in ("en", "ar")}
    assert meta["en"] == "2 outlets: Sky News Arabia, BBC Arabic · 3 articles · 3 May 2024 09:00 UTC"
    assert meta["ar"] == "مصدران: سكاي نيوز عربية، بي بي سي عربي · 3 مقالات · 3 مايو 2024 09:00 بتوقيت غرينتش"
    assert "Also reported by 2 other articles:" in docs["articles/s0.en.md"]
    assert "تناولت الخبر نفسه مقالتان أخريان:" in docs["articles/s0.ar.md"]
    assert "1 story from 3 articles" in docs["index.en.md"] and "قصة واحدة من 3 مقالات" in docs["index.ar.md"]


def test_a_very_long_outlet_name_gets_a_short_page_name():
    slug = outlet_slug("x" * 5000)
    assert re.fullmatch(r"outlet-[0-9a-f]{10}", slug)
    assert outlet_slug("x" * 80) == "x" * 80


def test_a_build_with_an_outlet_name_longer_than_a_file_name_publishes_it(tmp_path, tiny_model):
    import json

    from click.testing import CliRunner

    from nashra.cli import cli

    text = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية. وقال الوزير إن الخطة تبدأ الشهر المقبل."
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps([{"id": "long", "text": text, "source": "x" * 5000},
                                                        {"id": "short", "text": text + " 2", "source": "BBC"}]))
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                                      "--model", str(tiny_model), "--no-cache"])
    assert result.exit_code == 0, result.output
    pages = [p.name for p in (tmp_path / "out" / "docs" / "sources").glob("*.en.md")]
    assert any(re.fullmatch(r"outlet-[0-9a-f]{10}\.en\.md", name) for name in pages), pages
