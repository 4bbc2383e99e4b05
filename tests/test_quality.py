"""Quality flags on crafted source/translation pairs: every flag fires, and stays quiet when it should."""

import pytest

from nashra.quality import (
    FlagSettings,
    check,
    check_all,
    count_kinds,
    describe_counts,
    longest_loop,
    signature,
    source_numbers,
    target_numbers,
)

SOURCE = "قتل 27 شخصا في عام 2023 وأصيب خمسة آخرون في الهجوم على القرية"
GOOD = "27 people were killed in 2023 and five others were injured in the attack on the village"


def test_a_faithful_translation_has_no_flags():
    assert check(SOURCE, GOOD) == ()
    assert check(SOURCE, GOOD.replace("five", "5")) == ()


def test_empty_output():
    assert check(SOURCE, "  ") == ("empty: no translation",)
    assert check("", "") == ()


def test_numbers_missing_are_named():
    flags = check(SOURCE, "People were killed that year and five others were injured in the attack on the village")
    assert flags == ("numbers: 27, 2023 missing",)


def test_a_changed_number_is_missing_and_added():
    flags = check(SOURCE, GOOD.replace("27", "28"))
    assert flags == ("numbers: 27 missing; 28 not in the source",)


def test_number_words_count_as_numbers():
    flags = check(SOURCE, GOOD.replace("five", "several"))
    assert flags == ("numbers: خمسة (5) missing",)
    assert check("وصل ثلاثة عشر لاجئا", "Thirteen refugees arrived") == ()
    assert check("وصل خمسة وعشرون لاجئا", "25 refugees arrived") == ()
    assert check("وصل خمسة وعشرون لاجئا", "Twenty-five refugees arrived") == ()


@pytest.mark.parametrize("source, translation", [
    ("بلغت الخسائر ٢٫٥ مليون دولار في ١٢ يوما", "Losses reached $2.5 million in 12 days"),
    ("بلغت الخسائر 2.5 مليون دولار", "Losses reached 2,500,000 dollars"),
    ("وصل 5 آلاف لاجئ", "5,000 refugees arrived"),
    ("وصل 5 آلاف لاجئ", "Five thousand refugees arrived"),
    ("وصل 12,500 لاجئ", "12,500 refugees arrived"),
    ("ارتفعت الأسعار 50٪ في 2023/5/27", "Prices rose 50% on 27 May 2023"),
])
def test_digits_separators_and_scales_agree(source, translation):
    assert [f.kind for f in check(source, translation)] == []


def test_arabic_indic_digits_are_read():
    assert [n.text for n in source_numbers("في ٢٠٢٣ قتل ١٥")] == ["2023", "15"]
    assert {v for n in target_numbers("on May 3, 2024") for v in n.values} == {5.0, 3.0, 2024.0}
    flags = check("قتل ١٥ شخصا في ٢٠٢٣", "15 people were killed in 2022")
    assert flags == ("numbers: 2023 missing; 2022 not in the source",)


def test_arabic_left_in_the_english():
    flags = check("قال الرئيس إن الحكومة ستجتمع غدا", "The president said the government will meet غدا")
    assert flags == ("arabic: untranslated غدا",)


def test_repetition_loop_of_a_word_and_of_a_phrase():
    loop = check("قالت وزارة الصحة إن المستشفى سيفتح غدا",
                 "The Ministry of Health said the hospital of the country of the country of the country would open")
    assert loop == ("repetition: “of the country” repeated in a loop",)
    word = check("قال الرئيس إن الحكومة ستجتمع غدا", "The president said said said said the government will meet")
    assert [f.kind for f in word] == ["repetition"]
    # Twice is English; only a loop is flagged.
    assert check("قال الرئيس إن الحكومة ستجتمع غدا", "The president said that that government will meet tomorrow") == ()


def test_repetition_in_the_source_is_not_a_loop():
    assert check("لا لا لا لا للحرب", "No no no no to war") == ()


def test_length_far_outside_the_bounds():
    short = check(SOURCE, "27 killed in 2023, 5 hurt")
    assert [f.kind for f in short] == ["length"] and "too short" in short[0]
    long = check("قتل 27 شخصا في عام 2023 في القرية", ("27 people were reportedly killed by unknown gunmen who"
                " arrived at dawn in several armoured vehicles, witnesses and local officials told reporters in 2023"))
    assert [f.kind for f in long] == ["length"] and "too long" in long[0]
    # Short sources are exempt, and the bounds are settings.
    assert check("نعم", "Yes, indeed, that is absolutely right, everyone agrees") == ()
    strict = FlagSettings(max_length_ratio=1.2)
    assert [f.kind for f in check(SOURCE, GOOD, strict)] == ["length"]


def test_several_flags_and_counts():
    flags = check_all([SOURCE, SOURCE, ""], ["", GOOD.replace("27", "") + " غدا", ""])
    assert flags[0] == ("empty: no translation",)
    assert [f.kind for f in flags[1]] == ["numbers", "arabic"]
    assert flags[2] == ()
    counts = count_kinds(flags)
    assert counts == {"empty": 1, "numbers": 1, "arabic": 1}
    assert describe_counts(counts) == "empty 1, numbers 1, arabic 1"


def test_longest_loop_and_signature():
    assert longest_loop("a b c b c b c d".split()) == (1, 2, 3)
    assert signature() != signature(FlagSettings(max_length_ratio=2.0))


def test_length_bounds_from_the_environment(monkeypatch):
    from nashra.errors import ConfigError
    from nashra.quality import _from_environment

    monkeypatch.setenv("NASHRA_LENGTH_RATIO", "0.6:2.4")
    settings = _from_environment()
    assert (settings.min_length_ratio, settings.max_length_ratio) == (0.6, 2.4)
    for bad in ("2", "a:b", "3:1"):
        monkeypatch.setenv("NASHRA_LENGTH_RATIO", bad)
        with pytest.raises(ConfigError, match="NASHRA_LENGTH_RATIO"):
            _from_environment()


@pytest.mark.parametrize("source, translation", [
    ("ارتفعت الأسعار 5 في المئة يوم الاثنين", "Prices rose 5 percent on Monday"),
    ("ارتفعت الأسعار 5 بالمئة", "Prices rose 5%"),
    ("يحتل الصندوق المرتبة الحادية عشرة عالميا", "The fund ranks 11th in the world"),
    ("تأهل الفريق إلى دور الثمانية", "The team reached the quarter-finals"),
    ("افتتحت الدورة الثالثة والعشرين للمعرض", "The 23rd edition of the fair opened"),
    ("وصل بثها إلى مائة وخمسين دولة", "It was broadcast to 150 countries"),
])
def test_number_words_that_are_not_counts(source, translation):
    """Ordinals, names and "per cent" written with the article are not numbers a translation must keep."""
    assert check(source, translation) == ()


def test_a_flag_is_its_text_and_knows_its_kind():
    """Flags are shown and stored as ``kind: detail``; their kind is kept from their making, not split off."""
    import json
    import pickle

    from nashra.quality import KINDS, Flag

    flag = Flag("numbers", "27 missing")
    assert flag == "numbers: 27 missing" and (flag.kind, flag.detail) == ("numbers", "27 missing")
    assert json.loads(json.dumps([flag])) == ["numbers: 27 missing"]
    copied = pickle.loads(pickle.dumps(flag))
    assert copied == flag and copied.kind == "numbers"  # renderers in other processes get it whole
    assert Flag.parse("length: 0.31× the source, too short").kind == "length"
    assert all(isinstance(f, Flag) and f.kind in KINDS for f in check(SOURCE, "", None) + check(SOURCE, "x", None))
