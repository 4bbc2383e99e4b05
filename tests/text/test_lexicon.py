import pytest

from nashra.text.arabic import normalize_arabic
from nashra.text.lexicon import arabic_lexicon
from nashra.text.tokens import content_terms


def test_the_lexicon_knows_common_words_and_places_but_not_a_name_cut_short():
    known = arabic_lexicon()
    assert 20_000 < len(known) < 40_000
    for word in ("الحكومة", "سوريا", "بريطانيا", "فرنسا", "ليفربول", "قال"):
        assert normalize_arabic(word) in known
    # What a proclitic-stripping normalizer used to make of بوتين, ليفربول, بروكسل and فرنسا.
    for cut in ("يفربول", "روكسل", "رنسا", "ريطانيا"):
        assert cut not in known


def test_names_keep_their_first_letter_and_match_their_forms_with_a_proclitic():
    known = arabic_lexicon()
    for name, with_proclitic in (("بوتين", "وبوتين"), ("ليفربول", "لليفربول"), ("بريطانيا", "وبريطانيا"),
                                 ("بروكسل", "ببروكسل"), ("فرنسا", "وفرنسا")):
        plain = content_terms(name, "ar", known)
        assert plain == content_terms(with_proclitic, "ar", known)
        assert plain[0][0] == name[0]
    assert content_terms("والحكومة بسوريا", "ar", known) == content_terms("الحكومة سوريا", "ar", known)


def test_the_lexicon_is_kept_in_the_cache_folder_and_read_back_the_same(tmp_path, monkeypatch):
    from nashra.text import lexicon

    monkeypatch.setenv("NASHRA_CACHE_DIR", str(tmp_path / "cache"))
    made = lexicon._make(lexicon.MIN_ZIPF)
    lexicon.arabic_lexicon.cache_clear()
    try:
        assert lexicon.arabic_lexicon() == made
        (kept,) = (tmp_path / "cache" / "lexicon").glob("ar-*.txt")
        assert [p.name for p in kept.parent.iterdir()] == [kept.name]  # no temporary file left
        lexicon.arabic_lexicon.cache_clear()
        monkeypatch.setattr(lexicon, "_make", lambda min_zipf: pytest.fail("made again instead of read"))
        assert lexicon.arabic_lexicon() == made
        # Another frequency floor is another file, made for itself.
        monkeypatch.setattr(lexicon, "_make", lambda min_zipf: frozenset({"كلمة"}))
        assert lexicon.arabic_lexicon(5.0) == {"كلمة"}
        assert len(list(kept.parent.glob("ar-*.txt"))) == 2
    finally:
        lexicon.arabic_lexicon.cache_clear()


def test_a_cache_folder_that_cannot_be_written_is_passed_by(tmp_path, monkeypatch):
    from nashra.text import lexicon

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("NASHRA_CACHE_DIR", str(blocked))
    monkeypatch.setattr(lexicon, "_make", lambda min_zipf: frozenset({"كلمة", "أخرى"}))
    lexicon.arabic_lexicon.cache_clear()
    try:
        assert lexicon.arabic_lexicon() == {"كلمة", "أخرى"}
        assert blocked.read_text(encoding="utf-8").startswith("a file")
    finally:
        lexicon.arabic_lexicon.cache_clear()
