import pytest

from nashra.summarize.rouge import lcs_length, rouge, rouge_l, rouge_n


def test_identical_texts_score_one():
    text = "أعلنت الحكومة خطة جديدة لدعم المزارعين"
    assert all(score.f1 == pytest.approx(1.0) for score in rouge(text, text).values())


def test_arabic_is_kept_and_normalized():
    # The rouge-score tokenizer would see two empty token lists here.
    assert rouge_n("أعلنت الحكومةُ", "اعلنت الحكومة", 1).f1 == pytest.approx(1.0)
    assert rouge_n("المدرسة", "المدرسه", 1).f1 == pytest.approx(1.0)


def test_partial_overlap_values():
    score = rouge_n("a b c d", "a b x", 1)
    assert score.precision == pytest.approx(2 / 4) and score.recall == pytest.approx(2 / 3)
    assert rouge_n("a b c d", "a b x", 2).f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert lcs_length("a x b y c".split(), "a b c".split()) == 3
    assert rouge_l("a x b y c", "a b c").recall == pytest.approx(1.0)
    assert rouge_n("", "a", 1).f1 == 0.0
