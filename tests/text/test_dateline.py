from nashra.text.dateline import split_dateline, strip_dateline


def test_agency_datelines_are_split_off():
    assert split_dateline("دبي، الإمارات العربية المتحدة (CNN) -- سيحصل عشاق السينما على عروض.") == (
        "دبي، الإمارات العربية المتحدة (CNN) -- ", "سيحصل عشاق السينما على عروض.")
    assert strip_dateline("القاهرة - أعلنت الحكومة خطة جديدة.") == "أعلنت الحكومة خطة جديدة."
    assert strip_dateline("سان فرانسيسكو، الولايات المتحدة الأمريكية (CNN)-- أعلن مارك") == "أعلن مارك"


def test_ordinary_sentences_are_untouched():
    for sentence in ["أعلنت الحكومة اليوم خطة جديدة - بحسب مصادر مطلعة - لدعم المزارعين.",
                     "قال الوزير: سنبدأ غداً.", "نص بلا شرطة."]:
        assert split_dateline(sentence) == ("", sentence)


def test_colon_dateline_needs_an_agency():
    assert strip_dateline("القاهرة (رويترز): أعلنت الحكومة.") == "أعلنت الحكومة."
