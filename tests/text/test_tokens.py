from nashra.text.tokens import content_terms, strip_proclitic, vocabulary


def test_names_keep_their_first_letter_when_matching_is_name_safe():
    text = "التقى بوتين في بروكسل مدرب ليفربول"
    terms = content_terms(text, "ar", frozenset())
    assert "روكسل" not in terms and "بروكسل" in terms and "ليفربول" in terms
    assert not any(t.startswith("وت") for t in terms)


def test_a_proclitic_comes_off_when_the_rest_is_a_known_word():
    known = vocabulary(["قصفت الطائرات سوريا", "وصل الوفد إلى لندن"])
    assert strip_proclitic("بسوريا", known) == "سوريا"
    assert strip_proclitic("ولندن", known) == "لندن"
    assert strip_proclitic("بوتين", known) == "بوتين"
    # A stop word is known too ("وقال" -> "قال"), and the article's own words count.
    assert strip_proclitic("وقال") == "قال"
    assert content_terms("غارات بسوريا في سوريا", "ar", frozenset()) == ["غار", "سوريا", "سوريا"]


def test_summarizer_matching_keeps_stripping_proclitics():
    # Without a vocabulary (the summarizers), one-letter prefixes come off as before.
    assert content_terms("بسوريا", "ar") == content_terms("سوريا", "ar") == ["سوريا"]
