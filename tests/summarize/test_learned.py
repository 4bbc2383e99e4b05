import json

import numpy as np
import pytest

from nashra.errors import ConfigError
from nashra.summarize.options import SummarySignature
from nashra.summarize import get_summarizer
from nashra.summarize.features import FEATURES, sentence_features
from nashra.summarize.learned import LearnedSummarizer, load_model
from nashra.summarize.options import SummaryOptions

SENTENCES = [
    "دمشق (رويترز) - ضربت الولايات المتحدة منشأتين في شرق سوريا يستخدمهما الحرس الثوري.",
    "وقال وزير الدفاع إن الضربات رد على هجمات ضد القوات الأمريكية في سوريا والعراق.",
    "وكان الطقس معتدلاً في المدينة.",
    "وأكد الوزير: «الهجمات ضد القوات الأمريكية يجب أن تتوقف».",
    "ونفذت الضربات طائرتان من طراز إف-16 قرب الحدود مع العراق في 27 أكتوبر.",
    "",
]
PARAGRAPHS = [0, 0, 1, 2, 2, 3]
TITLE = "الولايات المتحدة تضرب منشأتين للحرس الثوري في شرق سوريا"


def column(matrix, name):
    return list(matrix[:, FEATURES.index(name)])


def test_features_one_row_per_candidate_in_document_order():
    candidates, matrix = sentence_features(SENTENCES, "ar", TITLE, exclude={2}, paragraphs=PARAGRAPHS)
    assert candidates == [0, 1, 3, 4]  # the excluded and the empty sentence are not candidates
    assert matrix.shape == (4, len(FEATURES)) and np.isfinite(matrix).all()
    assert column(matrix, "first") == [1, 0, 0, 0] and column(matrix, "second") == [0, 1, 0, 0]
    # Paragraphs 0, 0, 2, 2: the first of each opens it, and neither paragraph is a sentence alone.
    assert column(matrix, "opens_paragraph") == [1, 0, 1, 0]
    assert column(matrix, "paragraph_alone") == [0, 0, 0, 0]
    assert column(matrix, "dateline") == [1, 0, 0, 0]
    assert column(matrix, "quotation") == [0, 0, 1, 0]
    assert column(matrix, "attribution") == [0, 1, 1, 0]
    assert column(matrix, "numbers")[3] > 0 and column(matrix, "numbers")[1] == 0
    title = column(matrix, "title_similarity")
    assert title[0] == max(title) > 0  # the lead shares the most with the title
    assert max(column(matrix, "centrality")) == pytest.approx(1.0)


def test_features_without_paragraphs_treat_each_sentence_as_one():
    candidates, matrix = sentence_features(SENTENCES[:5], "ar", None)
    assert candidates == [0, 1, 2, 3, 4]
    assert column(matrix, "opens_paragraph") == [1] * 5 and column(matrix, "paragraph_alone") == [1] * 5
    assert column(matrix, "title_similarity") == [0] * 5


def test_features_of_nothing():
    candidates, matrix = sentence_features(["", "  "], "ar", TITLE)
    assert candidates == [] and matrix.shape == (0, len(FEATURES))


def test_english_names_are_capitalized_words_past_the_first():
    _, matrix = sentence_features(["The minister met Putin in Moscow on Monday.", "the talks went on for hours."], "en")
    names = column(matrix, "names")
    assert names[0] > 0 and names[1] == 0


def test_scores_are_probabilities_the_lead_above_them_and_zero_where_not_a_candidate():
    summarizer = get_summarizer("learned")
    scores = summarizer.scores(SENTENCES, "ar", TITLE, exclude={2}, paragraphs=PARAGRAPHS)
    assert len(scores) == len(SENTENCES)
    assert scores[2] == 0.0 and scores[5] == 0.0
    assert all(0.0 < scores[i] < 1.0 for i in (1, 3, 4))
    assert scores[0] > max(scores[i] for i in (1, 3, 4))


def test_a_model_per_summary_length():
    model = load_model()
    assert sorted(model.rankers) == [1, 2, 3, 4, 5]
    assert model.for_length(9) is model.rankers[5] and model.for_length(0) is model.rankers[1]
    summarizer = get_summarizer("learned")
    one = summarizer.scores(SENTENCES, "ar", TITLE, paragraphs=PARAGRAPHS, n=1)
    three = summarizer.scores(SENTENCES, "ar", TITLE, paragraphs=PARAGRAPHS, n=3)
    assert one != three


def test_summaries_keep_the_budget_order_and_exclusions():
    summarizer = get_summarizer("learned")
    picked = summarizer.summarize(SENTENCES, 3, "ar", title=TITLE, exclude={0}, paragraphs=PARAGRAPHS)
    assert len(picked) == 3 and picked == sorted(picked) and 0 not in picked and 5 not in picked
    budget = summarizer.summarize(SENTENCES, 5, "ar", title=TITLE, max_words=15, paragraphs=PARAGRAPHS)
    assert len(budget) == 1 or sum(len(SENTENCES[i].split()) for i in budget) <= 15
    assert summarizer.summarize(SENTENCES, 3, "ar", title=TITLE) == summarizer.summarize(SENTENCES, 3, "ar", title=TITLE)


def test_pairs_are_scored_on_the_original():
    summarizer = get_summarizer("learned")
    english = ["A.", "B said so.", "Weather.", "Stop, he said.", "Two jets on 27 October.", ""]
    other = ["Something else entirely about the weather and football.", "X.", "Y.", "Z.", "W.", ""]
    first = summarizer.ranked_pair(SENTENCES, english, 2, TITLE, "Strikes", paragraphs=PARAGRAPHS)
    second = summarizer.ranked_pair(SENTENCES, other, 2, TITLE, "Other", paragraphs=PARAGRAPHS)
    assert first == second
    assert len(first.scores) == len(first.indices) == 2 and max(first.scores) <= 1.0


def test_the_signature_names_the_model_file(tmp_path):
    shipped = get_summarizer("learned")
    assert shipped.describe().startswith(f"learned(ranker={shipped.model.version}, sha256=")
    data = json.loads(_shipped_text())
    data["models"]["3"]["intercept"] += 1.0
    retrained = tmp_path / "ranker.json"
    retrained.write_text(json.dumps(data), encoding="utf-8")
    other = LearnedSummarizer(str(retrained))
    assert str(SummarySignature.of(other, SummaryOptions())) != str(SummarySignature.of(shipped, SummaryOptions()))


def _shipped_text() -> str:
    from importlib import resources

    return resources.files("nashra.summarize").joinpath("data/ranker.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("content, message", [
    ("{", "not a ranker model file"),
    ('{"features": ["first"], "models": {}}', "trained on other features"),
    ('{"features": FEATURES, "version": "x", "models": {}}', "not a ranker model file (no models)"),
    ('{"features": FEATURES, "version": "x", "models": {"3": {"mean": [0], "scale": [1], "coef": [1], '
     '"intercept": 0}}}', "coefficients for"),
])
def test_a_model_file_that_cannot_serve_is_named(tmp_path, content, message):
    path = tmp_path / "ranker.json"
    path.write_text(content.replace("FEATURES", json.dumps(list(FEATURES))), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        LearnedSummarizer(str(path))
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_missing_model_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the ranker model"):
        LearnedSummarizer(str(tmp_path / "missing.json"))


def test_every_summary_keeps_the_lead_and_no_fragment():
    from nashra.summarize.features import fragments

    sentences = [*SENTENCES[:5], "ولم يتطرق لتفاصيل.", "1.", "وأضاف المتحدث أن التحقيق ما زال جاريا في الحادث."]
    assert fragments(sentences) == {5, 6}
    summarizer = get_summarizer("learned")
    for n in (1, 2, 3, 5):
        picked = summarizer.summarize(sentences, n, "ar", title=TITLE)
        assert picked[0] == 0 and not {5, 6} & set(picked), (n, picked)
    # A length budget smaller than any sentence still gives the lead, not the shortest fragment.
    assert summarizer.summarize(sentences, 3, "ar", title=TITLE, max_words=1) == [0]
    # Short lines are kept where the article has nothing else.
    assert fragments(["1.", "2.", "3."]) == set()
    assert get_summarizer("learned").summarize(["1.", "2.", "3."], 1, "ar") == [0]
