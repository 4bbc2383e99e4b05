import pytest

from nashra.errors import ConfigError
from nashra.summarize import get_summarizer
from nashra.text.graph import MAX_OVERLAP, overlap
from nashra.text.segment import segment_paragraphs
from nashra.text.tokens import content_terms


SENTENCES = [
    "ضربت الولايات المتحدة منشأتين في شرق سوريا يستخدمهما الحرس الثوري.",
    "وقال وزير الدفاع إن الضربات رد على هجمات ضد القوات الأمريكية في سوريا والعراق.",
    "وكان الطقس معتدلاً في المدينة.",
    "وأكد الوزير أن الهجمات ضد القوات الأمريكية في العراق وسوريا يجب أن تتوقف.",
    "ونفذت الضربات طائرتان من طراز إف-16 قرب الحدود مع العراق.",
]


def test_returns_n_indices_in_document_order():
    summarizer = get_summarizer("textrank")
    picked = summarizer.summarize(SENTENCES, 3, "ar")
    assert len(picked) == 3
    assert picked == sorted(picked)
    assert 2 not in picked  # the off-topic sentence is not central


def test_never_picks_excluded_or_empty_sentences():
    summarizer = get_summarizer("textrank")
    picked = summarizer.summarize(SENTENCES + [""], 6, "ar", exclude={0})
    assert 0 not in picked and 5 not in picked


def test_no_two_picked_sentences_repeat_each_other():
    repeated = SENTENCES + [SENTENCES[1].replace("وقال", "وأضاف")]
    picked = get_summarizer("textrank").summarize(repeated, 4, "ar")
    terms = {i: content_terms(repeated[i], "ar") for i in picked}
    for a in picked:
        for b in picked:
            if a < b:
                assert overlap(terms[a], terms[b]) <= MAX_OVERLAP
    assert not {1, 5} <= set(picked)


def test_diacritics_and_letter_forms_do_not_split_terms():
    plain = content_terms("أعلنت الوزارة إلى", "ar")
    marked = content_terms("أَعْلَنَتِ الوِزارَة الى", "ar")
    assert plain == marked


def test_lead_summarizer_and_edge_cases():
    lead = get_summarizer("lead")
    assert lead.summarize(SENTENCES, 2, "ar") == [0, 1]
    assert lead.summarize([], 3, "ar") == []
    assert lead.summarize(SENTENCES, 0, "ar") == []
    assert get_summarizer("textrank").summarize(SENTENCES[:2], 5, "ar") == [0, 1]


def test_unknown_summarizer():
    with pytest.raises(ConfigError, match="unknown summarizer"):
        get_summarizer("abstractive")


def test_english_summaries_work():
    english = [
        "The United States struck two sites in eastern Syria.",
        "Officials said the strikes answered attacks on US troops in Syria and Iraq.",
        "The weather was mild.",
        "The attacks on US troops in Iraq and Syria must stop, the minister said.",
    ]
    assert 2 not in get_summarizer("textrank").summarize(english, 2, "en")


def test_summarizes_the_seed_article(examples_dir):
    path = sorted(examples_dir.glob("*.txt"))[0]
    sentences = segment_paragraphs(path.read_text(encoding="utf-8").splitlines())
    headings = {i for i, s in enumerate(sentences) if s.heading}
    picked = get_summarizer().summarize([s.text for s in sentences], 3, "ar", exclude=headings)
    assert len(picked) == 3 and not set(picked) & headings


def test_the_learned_ranker_is_the_default():
    assert get_summarizer().name == "learned"


def test_newsrank_keeps_the_lead():
    summarizer = get_summarizer("newsrank")
    assert summarizer.summarize(SENTENCES, 1, "ar") == [0]
    picked = summarizer.summarize(SENTENCES, 3, "ar", title="ضربات أمريكية على منشآت في سوريا")
    assert picked[0] == 0 and 2 not in picked


def test_newsrank_does_not_anchor_a_fragment_lead():
    sentences = ["بيروت - خاص", *SENTENCES]
    assert get_summarizer("newsrank").summarize(sentences, 1, "ar") != [0]


def test_title_similarity_pulls_a_sentence_in():
    sentences = [
        "افتتح الرئيس اليوم مؤتمراً للطاقة في العاصمة بحضور وزراء من عشرين دولة.",
        "وتناول المؤتمر قضايا عدة منها الطقس والنقل والتعليم في المنطقة.",
        "وناقش الوزراء أسعار النفط ومستقبل الطاقة الشمسية في المنطقة.",
        "وأعلنت الحكومة عن خطة لبناء محطة طاقة شمسية ضخمة في الصحراء.",
        "وحضر المؤتمر عدد من رجال الأعمال والصحفيين من دول مختلفة.",
    ]
    picked = get_summarizer("newsrank").summarize(sentences, 2, "ar", title="خطة لبناء محطة طاقة شمسية ضخمة")
    assert picked == [0, 3]


def test_length_budget():
    summarizer = get_summarizer()
    budget = len(SENTENCES[0].split()) + 3
    picked = summarizer.summarize(SENTENCES, 5, "ar", max_words=budget)
    assert picked == [0] or sum(len(SENTENCES[i].split()) for i in picked) <= budget
    # At least one sentence even when the budget is smaller than any sentence.
    assert len(summarizer.summarize(SENTENCES, 3, "ar", max_words=1)) == 1


def test_bilingual_selection_uses_both_languages():
    english = [
        "The United States struck two sites in eastern Syria used by the Revolutionary Guard.",
        "The defense minister said the strikes answered attacks on US forces in Syria and Iraq.",
        "The weather was mild in the city.",
        "The minister stressed that attacks on US forces in Iraq and Syria must stop.",
        "Two F-16 jets carried out the strikes near the border with Iraq.",
    ]
    for name in ("learned", "newsrank", "textrank", "lead"):
        picked = get_summarizer(name).summarize_pair(SENTENCES, english, 3, exclude={4})
        assert len(picked) == 3 and 4 not in picked and picked == sorted(picked)
    # Scores combine both sides: an English-only signal can change the ranking.
    textrank = get_summarizer("textrank")
    ar_only = textrank.scores(SENTENCES, "ar")
    paired = textrank.pair_scores(SENTENCES, english)
    assert ar_only != paired and len(paired) == len(SENTENCES)


def _naive_select(scores, sentences, lang, n, exclude=(), max_words=None, flagged=()):
    """The selection as first written: every step compares every candidate with every picked sentence."""
    from nashra.summarize.base import FLAG_PENALTY, MMR_LAMBDA, _normalized
    from nashra.text.dateline import strip_dateline

    candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
    if not candidates:
        return []
    score = dict(zip(candidates, _normalized([scores[i] for i in candidates]), strict=True))
    terms = {i: content_terms(strip_dateline(sentences[i]), lang) for i in candidates}
    picked, words, remaining = [], 0, list(candidates)
    while remaining and len(picked) < n:
        def value(i):
            similarity = max((overlap(terms[i], terms[p]) for p in picked), default=0.0)
            return MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * similarity - (FLAG_PENALTY if i in flagged else 0.0)

        best = max(remaining, key=lambda i: (value(i), -i))
        remaining.remove(best)
        if any(overlap(terms[best], terms[p]) > MAX_OVERLAP for p in picked):
            continue
        length = len(sentences[best].split())
        if max_words is not None and picked and words + length > max_words:
            continue
        picked.append(best)
        words += length
    return sorted(picked)


def _sentences(count, seed):
    import random

    rng = random.Random(seed)
    vocabulary = ["الوزير", "الحكومة", "المدينة", "قال", "أعلن", "الصحة", "التعليم", "الاقتصاد", "غزة", "بيروت",
                  "الانتخابات", "البرلمان", "الشركة", "السوق", "النفط", "المستشفى", "الجيش", "الأمم", "المتحدة"]
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 9))) + "." for _ in range(count)]


@pytest.mark.parametrize("seed", range(6))
def test_selection_picks_what_comparing_every_pair_each_step_picks(seed):
    import random

    from nashra.summarize.base import select

    rng = random.Random(seed)
    sentences = _sentences(60, seed)
    scores = [rng.choice([0.0, 0.5, 1.0, rng.random()]) for _ in sentences]
    options = {"exclude": set(rng.sample(range(60), 5)), "flagged": set(rng.sample(range(60), 8)),
               "max_words": rng.choice([None, 40, 200])}
    for n in (1, 3, 10, 60):
        assert select(scores, sentences, "ar", n, **options) == _naive_select(scores, sentences, "ar", n, **options)


def test_selection_compares_each_sentence_with_each_picked_one_once(monkeypatch):
    """Many summary sentences from a long article: the work grows with picked x sentences, not its cube."""
    import nashra.summarize.base as base

    calls = 0
    real = base.overlap

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(base, "overlap", counting)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [a + b + c for a in letters for b in letters for c in letters[:6]]
    sentences = [" ".join(words[(i * 20 + k) % len(words)] for k in range(20)) + "." for i in range(300)]
    picked = base.select([1.0] * 300, sentences, "ar", 300)
    assert len(picked) > 50
    assert calls <= 2 * len(sentences) * len(picked)
