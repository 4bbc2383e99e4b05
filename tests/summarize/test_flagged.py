"""A summary never picks a flagged sentence when an unflagged one of similar score exists."""

from nashra.summarize.base import FLAG_PENALTY, select

SENTENCES = [
    "ضربت الولايات المتحدة منشأتين في شرق سوريا يستخدمهما الحرس الثوري.",
    "وقال وزير الدفاع إن الضربات رد على هجمات ضد القوات الأمريكية.",
    "وكان الطقس معتدلاً في المدينة.",
    "ونفذت الضربات طائرتان من طراز إف-16 قرب الحدود مع العراق.",
]


def test_an_unflagged_sentence_of_similar_score_is_picked_instead():
    scores = [1.0, 0.9, 0.1, 0.8]
    assert select(scores, SENTENCES, "ar", 2) == [0, 1]
    assert select(scores, SENTENCES, "ar", 2, flagged={1}) == [0, 3]
    assert select(scores, SENTENCES, "ar", 1, flagged={0}) == [1]


def test_a_flagged_sentence_far_ahead_stays_and_flags_everywhere_change_nothing():
    scores = [1.0, 1.0 - 2 * FLAG_PENALTY, 0.1, 0.2]
    assert select(scores, SENTENCES, "ar", 1, flagged={0}) == [0]
    assert select(scores, SENTENCES, "ar", 2, flagged={0, 1, 2, 3}) == select(scores, SENTENCES, "ar", 2)


def test_summarizers_take_the_flagged_sentences():
    from nashra.summarize import get_summarizer

    summarizer = get_summarizer("textrank")
    plain = summarizer.summarize(SENTENCES, 1, "ar")
    avoided = summarizer.summarize(SENTENCES, 1, "ar", flagged=set(plain))
    assert len(avoided) == 1 and avoided != plain
    # Lead-N scores the lead twice the next sentence: far ahead, it stays even when flagged.
    assert get_summarizer("lead").summarize_pair(SENTENCES, ["a b c"] * 4, 1, flagged={0}) == [0]
