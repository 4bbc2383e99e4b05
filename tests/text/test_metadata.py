from datetime import UTC, datetime
from pathlib import Path

import pytest

from nashra.document import Article
from nashra.ingest.stage import read_file
from nashra.state.records import article_from_json, article_to_json
from nashra.text.metadata import find_credit, find_date, find_hijri, host_of, infer_metadata

OCT_26 = datetime(2023, 10, 26, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    'نفذت وزارة الدفاع الأمريكية "البنتاغون"، الخميس 26 أكتوبر/تشرين الأول 2023، ضربات ضد منشأتين.',
    "أعلنت الحكومة يوم 26 تشرين الأول 2023 خطة جديدة.",
    "أعلنت الحكومة يوم 26 تشرين الأول (أكتوبر) 2023 خطة جديدة.",
    "الخميس ٢٦ أكتوبر ٢٠٢٣ - أعلنت الحكومة خطة جديدة.",
    "بتاريخ 26/10/2023 أعلنت الحكومة خطة.",
    "بتاريخ ٢٦/١٠/٢٠٢٣ أعلنت الحكومة خطة.",
    "بتاريخ 26-10-2023 أعلنت الحكومة خطة.",
    "نُشر في 2023-10-26 خبر عن خطة.",
    "أعلنت الحكومة في 26 اكتوبر، 2023 خطة.",
    "أعلنت الحكومة في 26 أكتوبر 2023 خطة.",
])
def test_dates_in_both_month_series_and_digit_sets(text: str) -> None:
    found = find_date(text)
    assert found is not None and found.date == OCT_26, text


def test_the_dateline_weekday_wins_over_an_earlier_past_date() -> None:
    text = "بعد هجمات 11 سبتمبر 2001، قال الوزير الخميس 26 أكتوبر 2023 إن الرد قادم."
    assert find_date(text).date == OCT_26  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["قال الوزير في 17 أكتوبر إن الهجمات مستمرة.", "بلغ العدد 31/02/2023 شخصاً.",
                                  "رقم الهاتف 12/13/2023.", "نص بلا تاريخ."])
def test_no_date_without_a_valid_day_month_and_year(text: str) -> None:
    assert find_date(text) is None


def test_hijri_dates_are_kept_as_written() -> None:
    assert find_hijri("الخميس 11 ربيع الآخر 1445 هـ الموافق 26 أكتوبر 2023") == "11 ربيع الآخر 1445 ه"
    assert find_hijri("في ١٢ رمضان ١٤٤٤ أعلن") == "١٢ رمضان ١٤٤٤"
    assert find_hijri("الخميس 26 أكتوبر 2023") is None


def test_credit_from_the_dateline_and_host_from_the_url() -> None:
    assert find_credit("دبي، الإمارات العربية المتحدة (CNN) -- سيحصل عشاق السينما على عروض.") == "CNN"
    assert find_credit("القاهرة (رويترز): أعلنت الحكومة خطة.") == "رويترز"
    # Brackets later in the text are not a credit.
    assert find_credit("أعلنت وزارة الدفاع (البنتاغون) عن الضربات.") is None
    assert host_of("https://www.bbc.com/arabic/middleeast-123") == "bbc.com"
    assert host_of("arabic.cnn.com/world/x") == "arabic.cnn.com"
    assert host_of("not a url") is None and host_of(None) is None and host_of("http://[bad") is None


def _article(text: str, **fields: object) -> Article:
    return Article(id="a", title="t", paragraphs=tuple(text.splitlines()), **fields)  # type: ignore[arg-type]


def test_inferred_fields_are_marked_and_given_fields_win() -> None:
    article = infer_metadata(_article("دبي (CNN) -- قال الوزير الخميس 26 أكتوبر 2023 إن الرد قادم."))
    assert (article.date, article.source, article.inferred) == (OCT_26, "CNN", ("date", "source"))
    given = _article("دبي (CNN) -- قال الوزير الخميس 26 أكتوبر 2023 إن الرد قادم.", source="BBC",
                     date=datetime(2020, 1, 1, tzinfo=UTC))
    assert infer_metadata(given) is given
    from_url = infer_metadata(_article("قال الوزير إن الرد قادم.", url="https://www.skynewsarabia.com/x"))
    assert (from_url.source, from_url.date, from_url.inferred) == ("skynewsarabia.com", None, ("source",))
    unknown = infer_metadata(_article("قال الوزير إن الرد قادم."))
    assert (unknown.source, unknown.date, unknown.inferred) == (None, None, ())
    # Kept through the build records.
    assert article_from_json(article_to_json(article)) == article


def test_first_seed_gets_its_date_and_no_outlet(examples_dir: Path) -> None:
    [seed] = list(read_file(examples_dir / "000_b82a5ffee5f3a278.txt"))
    assert isinstance(seed, Article)
    assert seed.date == OCT_26 and "date" in seed.inferred
    assert seed.source is None and "source" not in seed.inferred
