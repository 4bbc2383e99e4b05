from nashra.text.arabic import arabic_ratio, normalize_arabic, strip_diacritics
from nashra.text.tokens import content_terms, light_stem, stop_words, words


def test_normalize_unifies_letter_forms_and_removes_marks():
    assert normalize_arabic("أحمد إلى آخر") == normalize_arabic("احمد الى اخر")
    assert normalize_arabic("مدرسة") == normalize_arabic("مدرسه")
    assert normalize_arabic("مُحَمَّدٌ") == "محمد"
    assert normalize_arabic("جـــميل") == "جميل"
    assert normalize_arabic("NEWS") == "news"


def test_strip_diacritics_keeps_letters():
    assert strip_diacritics("تَشْكِيلٌ") == "تشكيل"
    assert strip_diacritics("إلى") == "إلى"


def test_arabic_ratio():
    assert arabic_ratio("مرحبا") == 1.0
    assert arabic_ratio("hello") == 0.0
    assert arabic_ratio("123 !") == 0.0


def test_tokens_and_stop_words():
    assert words("قال: الوزير، 2023!") == ["قال", "الوزير", "2023"]
    assert "في" in stop_words("ar") and "the" in stop_words("en")
    assert light_stem("والمزارعين", "ar") == "مزارع"
    terms = content_terms("قال الوزير في البيان إن الخطة ستطبق عام 2024", "ar")
    assert "في" not in terms and "2024" in terms and "وزير" in terms


def test_stemmers_work_offline():
    from nashra.text.tokens import stem

    assert stem("attacks", "en") == stem("attacked", "en") == "attack"
    assert stem("والمزارعين", "ar") == "مزارع"
    assert content_terms("The strikes hit the militias", "en") == ["strike", "hit", "militia"]
