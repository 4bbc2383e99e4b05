from nashra.text.segment import segment_paragraphs, split_sentences


def test_basic_terminators_including_arabic_question_mark():
    assert split_sentences("هل انتهى الأمر؟ نعم انتهى! وهذا كل شيء.") == ["هل انتهى الأمر؟", "نعم انتهى!", "وهذا كل شيء."]


def test_missing_space_after_full_stop_between_arabic_words():
    text = "ولم تعلن ارتباطها بأي حكومة محدّدة.لكنّ البنتاغون أكّد وقوف إيران خلفها."
    assert split_sentences(text) == ["ولم تعلن ارتباطها بأي حكومة محدّدة.", "لكنّ البنتاغون أكّد وقوف إيران خلفها."]


def test_no_split_inside_numbers_times_and_dates():
    text = "ارتفع المؤشر 4.5 في المئة عند الساعة 4:30 يوم 26.10.2023 في السوق."
    assert split_sentences(text) == [text]


def test_no_split_after_abbreviations_and_initials():
    assert len(split_sentences("وقال د. أحمد سالم إن العمل بدأ.")) == 1
    assert len(split_sentences("Dr. Smith met Mr. Jones in the U.S. capital on Monday.")) == 1
    assert len(split_sentences("The author J. K. Rowling spoke.")) == 1
    assert len(split_sentences("Visit bbc.co.uk for more.")) == 1


def test_closing_quotes_stay_with_their_sentence():
    text = 'قال الوزير: "الهجمات غير مقبولة." ثم غادر القاعة.'
    assert split_sentences(text) == ['قال الوزير: "الهجمات غير مقبولة."', "ثم غادر القاعة."]


def test_mid_line_ellipsis_is_not_a_boundary():
    assert len(split_sentences("وانتظر الجميع... ثم جاء الخبر.")) == 1


def test_line_breaks_are_boundaries_and_paragraphs_are_recorded():
    sentences = segment_paragraphs(["الجملة الأولى. الجملة الثانية.", "عنوان فرعي", "الفقرة الثالثة."])
    assert [s.paragraph for s in sentences] == [0, 0, 1, 2]
    assert [s.heading for s in sentences] == [False, False, True, False]


def test_first_line_is_never_a_heading_and_empty_lines_skipped():
    sentences = segment_paragraphs(["سطر قصير", "", "   ", "نص المقال."])
    assert [s.text for s in sentences] == ["سطر قصير", "نص المقال."]
    assert not sentences[0].heading


def test_seed_article_segments_without_gluing(examples_dir):
    for path in examples_dir.glob("*.txt"):
        sentences = segment_paragraphs(path.read_text(encoding="utf-8").splitlines())
        assert len(sentences) >= 10
        for sentence in sentences:
            # No sentence holds a glued boundary (a full stop directly followed by an Arabic letter).
            assert not any(
                a == "." and "\u0621" <= b <= "\u064a" and "\u0621" <= c <= "\u064a"
                for c, a, b in zip(sentence.text, sentence.text[1:], sentence.text[2:])
            ), sentence.text
