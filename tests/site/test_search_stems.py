"""Arabic search stems: what an Arabic page carries for the index, and the query module's rules.

The query module itself is run in a browser by tests/site/test_search.py.
"""

from __future__ import annotations

import json

from nashra.site.search import EXCLUDE
from nashra.site.search_stems import (ARABIC_WORD, META_KEY, STORY_LINK, indexed_text, is_arabic_page, query_module,
                                      query_rules, search_stem, stems, stems_meta, write_query_module)
from nashra.text.arabic import normalize_arabic
from nashra.text.tokens import light_stem


def test_a_word_is_searched_by_its_normalized_light_stem():
    for word in ("المفاوضات", "مفاوضات", "الحكومة", "حكومة", "وبالمفاوضات", "حُكُومَةٌ"):
        assert search_stem(word) == light_stem(normalize_arabic(word), "ar")
    assert search_stem("المفاوضات") == search_stem("مفاوضات") == "مفاوض"
    assert search_stem("الحكومة") == search_stem("حكومة") == search_stem("حُكُومَةٌ")


def test_stems_are_the_arabic_words_once_each_in_order():
    assert stems("قالت الحكومة إن حكومة Iran 2024 والحكومة") == ["قالت", "حكوم", "ان"]
    assert stems("Only English, 12.") == []


def test_indexed_text_leaves_out_tags_and_excluded_elements_nested_or_not():
    markup = ('<h1 id="x">العنوان</h1><div class="n" data-search-exclude><div><p>مستبعد</p></div>أيضا</div>'
              '<p title="خارج">النص &amp; &quot;المقتبس&quot;</p>'
              '<table data-search-exclude><tr><td>جدول</td></tr></table><p>الأخير</p>')
    text = indexed_text(markup)
    assert text.split() == ["العنوان", "النص", "&", '"المقتبس"', "الأخير"]


def test_an_articles_link_to_its_story_is_left_out_as_the_index_leaves_it_out():
    # The link says how many other articles the story has: a page's stems must not change as its story grows.
    markup = ('<p>الحكومة</p><p class="nashra-story-link">تناولت الخبر نفسه 3 مقالات أخرى: <a href="s.html">'
              'مفاوضات</a></p><p class="nashra-story-link-other">الأخير</p>')
    assert indexed_text(markup).split() == ["الحكومة", "الأخير"]
    assert f".{STORY_LINK}" in EXCLUDE.split(", ")


def test_an_unclosed_excluded_element_excludes_the_rest():
    assert indexed_text("<p>قبل</p><div data-search-exclude><p>بعد</p>").split() == ["قبل"]


def test_stems_meta_is_an_escaped_attribute_or_nothing():
    assert stems_meta("<p>المفاوضات</p>") == f' data-pagefind-meta="{META_KEY}:مفاوض"'
    assert stems_meta("<p>English only</p>") == ""


def test_arabic_pages_are_known_by_their_html_lang():
    assert is_arabic_page('<!doctype html>\n<html lang="ar" dir="rtl" class="no-js"><head>')
    assert not is_arabic_page('<!doctype html><html lang="en"><head>')
    assert is_arabic_page('<html lang="ar-EG">') and not is_arabic_page('<html lang="arn">')


def test_the_query_module_carries_the_python_rules(tmp_path):
    rules = query_rules()
    module = query_module()
    assert "/*RULES*/" not in module
    assert json.dumps(rules, ensure_ascii=False, sort_keys=True) in module
    assert rules["word"] == ARABIC_WORD and "ال" in rules["prefixes"] and "ات" in rules["suffixes"]  # type: ignore[operator]
    assert rules["letters"]["ة"] == "ه" and rules["letters"]["\u0640"] == ""  # type: ignore[index]
    written = write_query_module(tmp_path)
    assert written == tmp_path / "nashra" / "pagefind.js" and written.read_text(encoding="utf-8") == module


def test_pages_are_made_again_when_the_stemmer_changes(tmp_path, monkeypatch):
    from nashra.site import pagebuild

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    first = pagebuild.site_signature(config)
    monkeypatch.setattr(pagebuild, "stemmer_sources", lambda: [b"another light stemmer"])
    assert pagebuild.site_signature(config).code != first.code
