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
