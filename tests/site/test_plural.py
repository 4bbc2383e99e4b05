"""Counts with their nouns, in English and Arabic grammar."""

from __future__ import annotations

import pytest

from nashra.site.plural import NOUNS, count_phrase, plural_class

COUNTS = (0, 1, 2, 3, 10, 11, 100, 101)


def test_english_singular_and_plural() -> None:
    assert [count_phrase(n, "article", "en") for n in COUNTS] == [
        "0 articles", "1 article", "2 articles", "3 articles", "10 articles", "11 articles", "100 articles",
        "101 articles"]
    assert count_phrase(1, "story", "en") == "1 story"
    assert count_phrase(2, "story", "en") == "2 stories"
    assert count_phrase(1, "other_article", "en") == "1 other article"


def test_arabic_feminine_noun() -> None:
    assert [count_phrase(n, "article", "ar") for n in COUNTS] == [
        "لا مقالات", "مقالة واحدة", "مقالتان", "3 مقالات", "10 مقالات", "11 مقالة", "100 مقالة", "101 مقالة"]


def test_arabic_masculine_noun_takes_the_accusative_from_11_to_99() -> None:
    assert [count_phrase(n, "outlet", "ar") for n in COUNTS] == [
        "لا مصادر", "مصدر واحد", "مصدران", "3 مصادر", "10 مصادر", "11 مصدرًا", "100 مصدر", "101 مصدر"]
    assert count_phrase(99, "outlet", "ar") == "99 مصدرًا"
    assert count_phrase(111, "outlet", "ar") == "111 مصدرًا"


def test_arabic_dual_changes_with_case() -> None:
    assert count_phrase(2, "article", "ar", "oblique") == "مقالتين"
    assert count_phrase(2, "story", "ar") == "قصتان"
    assert count_phrase(2, "other_article", "ar", "oblique") == "مقالتين أخريين"
    # Only the dual shows the case in unvocalized text.
    assert count_phrase(3, "article", "ar", "oblique") == count_phrase(3, "article", "ar")


def test_arabic_classes_follow_the_last_two_digits() -> None:
    assert [plural_class(n) for n in COUNTS] == ["zero", "one", "two", "few", "few", "many", "other", "other"]
    assert [plural_class(n) for n in (102, 103, 110, 111, 199, 200, 1000, 1003, 1011)] == [
        "other", "few", "few", "many", "many", "other", "other", "few", "many"]
    assert count_phrase(103, "story", "ar") == "103 قصص"
    assert count_phrase(1000, "story", "ar") == "1000 قصة"


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_every_noun_has_a_phrase_for_every_count(noun: str) -> None:
    for lang in ("en", "ar"):
        phrases = [count_phrase(n, noun, lang) for n in COUNTS]
        assert all(phrases) and len(set(phrases)) >= 5


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        count_phrase(-1, "article", "en")
    with pytest.raises(ValueError):
        count_phrase(2, "article", "ar", "genitive")
