from datetime import datetime, timedelta, timezone

import pytest

from nashra.document import Article, Provenance
from nashra.ingest.stage import load
from nashra.pipeline import summarize_article, translate_articles
from nashra.stories.grouping import group_articles
from nashra.stories.summary import multi_source_summary
from nashra.summarize import get_summarizer
from nashra.summarize.base import MAX_OVERLAP, overlap
from nashra.summarize.options import SummaryOptions
from nashra.text.segment import segment
from nashra.text.tokens import content_terms
from oracles import build_stories, coverage_key
from samples import FOOTBALL, STRIKE, STRIKE_2

DAY = datetime(2018, 3, 10, tzinfo=timezone.utc)


def article(id_, title, text, source, date):
    return Article(id=id_, title=title, paragraphs=tuple(text.split("\n")), source=source, date=date)




def test_same_event_from_two_outlets_is_one_story():
    stories = group_articles([
        article("a", "غارات أمريكية في شرق سوريا", STRIKE, "Outlet A", DAY),
        article("b", "البنتاغون: ضربات على منشآت للحرس الثوري", STRIKE_2, "Outlet B", DAY + timedelta(hours=5)),
        article("c", "برشلونة يهزم ريال مدريد", FOOTBALL, "Outlet A", DAY),
    ])
    assert sorted(sorted(a.id for a in s.articles) for s in stories) == [["a", "b"], ["c"]]
    strike = next(s for s in stories if len(s.articles) == 2)
    assert strike.sources == ("Outlet A", "Outlet B") and strike.id == "story-a"


def test_same_content_weeks_apart_is_not_grouped():
    stories = group_articles([
        article("a", "غارات أمريكية في شرق سوريا", STRIKE, "A", DAY),
        article("b", "البنتاغون: ضربات على منشآت للحرس الثوري", STRIKE_2, "B", DAY + timedelta(days=20)),
    ])
    assert len(stories) == 2


def test_undated_articles_join_only_the_newest_dated_stories():
    """An undated article joins a story of the archive's last days it resembles, never an older one."""
    stories = group_articles([
        article("a", "غارات أمريكية في شرق سوريا", STRIKE, "A", DAY),
        article("b", "برشلونة يهزم ريال مدريد", FOOTBALL, "B", DAY + timedelta(days=20)),
        article("c", "البنتاغون: ضربات على منشآت للحرس الثوري", STRIKE_2, "C", None),
        article("d", "برشلونة يهزم ريال مدريد", FOOTBALL, "D", None),
    ])
    assert sorted(sorted(a.id for a in s.articles) for s in stories) == [["a"], ["b", "d"], ["c"]]


def test_undated_articles_come_in_batches_the_first_meeting_the_newest_dated_stories():
    """Undated articles are grouped in batches after the newest date: the first batch may join the newest dated
    story it resembles (the strike pair joins the dated strike article), and every article is placed once."""
    from nashra.stories.grouping import UNDATED_BATCH

    filler = [article(f"u{k:03d}", f"خبر {k}", f"نص {10000 + k}.", "S", None) for k in range(3 * UNDATED_BATCH)]
    pair = [article("strike-1", "غارات أمريكية في شرق سوريا", STRIKE, "A", None),
            article("strike-2", "البنتاغون: ضربات على منشآت للحرس الثوري", STRIKE_2, "B", None)]
    dated = article("dated", "غارات أمريكية في شرق سوريا", STRIKE, "C", DAY)
    stories = group_articles([dated, *pair, *filler])
    holding = {tuple(sorted(a.id for a in s.articles)) for s in stories if len(s.articles) > 1}
    assert holding == {("dated", "strike-1", "strike-2")}
    assert sorted(a.id for s in stories for a in s.articles) == sorted(a.id for a in [dated, *pair, *filler])


def test_seed_articles_form_one_story(examples_dir):
    articles = load([examples_dir]).articles
    assert len(group_articles(articles)) == 1


def _briefing(examples_dir, dict_translator):
    segmented = [segment(a) for a in load([examples_dir]).articles]
    provenance = Provenance("m", "e", "s", "0")
    return [summarize_article(t, get_summarizer(), SummaryOptions(), provenance)
            for t in translate_articles(segmented, dict_translator.impl)]


def test_multi_source_summary_never_repeats_a_fact(examples_dir, dict_translator):
    items = _briefing(examples_dir, dict_translator)
    summary = multi_source_summary(items, 4)
    assert len(summary) == 4
    terms = [content_terms(s.item.sentence_in(s.index, "ar"), "ar") for s in summary]
    assert all(overlap(a, b) <= MAX_OVERLAP for i, a in enumerate(terms) for b in terms[i + 1:])
    # Every sentence is one of its article's summary sentences, credited to that article.
    assert all(s.index in s.item.summary_ar for s in summary)


def test_multi_source_summary_weighs_sentences_by_the_summarizers_scores():
    from dataclasses import replace

    from nashra.document import ArticleDigest

    sentences = ["أعلنت الحكومة خطة جديدة لدعم المزارعين في الريف.",
                 "وافتتح الرئيس معرضا للكتاب في العاصمة أمس.",
                 "وارتفعت أسعار النفط في الأسواق العالمية اليوم."]

    def digest_of(k, scores):
        return ArticleDigest(id=f"a{k}", title="t", title_translation="t", source=f"S{k}", url=None, date=None,
                             summary_ar=(0, 1, 2), summary_en=(0, 1, 2),
                             summary_sentences=tuple((i, s, s) for i, s in enumerate(sentences)),
                             provenance=Provenance("m", "e", "s", "0"), summary_scores=scores)

    first, second = digest_of(0, (0.2, 0.3, 1.0)), digest_of(1, (0.2, 0.3, 1.0))
    # Both articles hold the same three sentences: each is as central as the others, so the summarizer's
    # own score decides, and the rule against repeating a fact keeps one copy of it.
    picked = multi_source_summary([first, second], 1)
    assert [(s.item.id, s.index) for s in picked] == [("a0", 2)]
    # Digests without scores (older records) fall back to each sentence's rank among its article's.
    unscored = [replace(first, summary_scores=()), replace(second, summary_scores=())]
    assert [(s.item.id, s.index) for s in multi_source_summary(unscored, 1)] == [("a0", 0)]


def test_stories_ranked_by_coverage_then_recency(examples_dir, dict_translator, data_dir):
    from oracles import process

    items, _ = process([data_dir / "article.md", data_dir / "trec.txt"], dict_translator.impl, get_summarizer())
    stories = build_stories(items)
    assert [s.id for s in stories] == ["story-farmers-plan-2024", "story-xx-economy-12-20180302"]  # newer first
    assert sorted(reversed(stories), key=coverage_key) == stories


def test_stories_are_given_up_as_soon_as_they_are_complete():
    """Grouping streams: a story comes out once the articles have moved past its window, not at the end."""
    from nashra.stories.grouping import WINDOW, FixedFrequencies, date_order_key, document_frequencies, iter_groups
    from nashra.stories.terms import match_terms

    texts = [STRIKE, STRIKE_2, FOOTBALL]
    articles = [article(f"d{day:02d}-{k}", f"خبر {day} {k}", texts[(day + k) % 3], f"S{k}", DAY + timedelta(days=day, hours=k))
                for day in range(0, 100, 5) for k in range(3)]
    articles.append(article("undated", "برشلونة يهزم ريال مدريد", FOOTBALL, "S", None))
    ordered = sorted(articles, key=date_order_key)
    pulled: list[Article] = []

    def feed():
        for item in ordered:
            pulled.append(item)
            yield item

    frequency, total = document_frequencies(match_terms(a) for a in articles)
    held_most = 0
    streamed = []
    for group in iter_groups(feed(), FixedFrequencies(frequency, total)):
        streamed.append(group)
        # (An undated article may join the newest dated story: its date is the dated members'.)
        newest = max((a.date for a in group.articles if a.date), default=None)
        if newest is not None and pulled[-1].date is not None:
            # Given up by the first article beyond its window, never later.
            assert pulled[-1].date - newest > WINDOW
            assert all(a.date - newest <= WINDOW for a in pulled[:-1] if a.date)
        held = sum(1 for a in pulled) - sum(len(g.articles) for g in streamed)
        held_most = max(held_most, held)
    assert sorted(a.id for g in streamed for a in g.articles) == sorted(a.id for a in articles)
    # The same stories as grouping the whole list at once.
    assert sorted(tuple(a.id for a in g.articles) for g in streamed) == sorted(
        tuple(a.id for a in g.articles) for g in group_articles(articles))
    # Days five apart: what is held is one day's stories (3 articles) and the article that closed them.
    assert held_most <= 4


def test_continuous_coverage_stays_one_story_and_a_gap_starts_another():
    from collections import Counter

    from nashra.stories.grouping import WINDOW, FixedFrequencies, iter_groups

    days = list(range(10)) + [day + 10 + WINDOW.days + 1 for day in range(3)]
    daily = [article(f"day{day:02d}", "غارات أمريكية في شرق سوريا", (STRIKE, STRIKE_2)[day % 2], f"S{day % 3}",
                     DAY + timedelta(days=day)) for day in days]
    # In an archive of a thousand articles on every subject, these terms are rare.
    stories = list(iter_groups(daily, FixedFrequencies(Counter(), 1000)))
    assert [len(s.articles) for s in stories] == [10, 3]


def _numbers(id_, numbers, date, source="S"):
    """An article whose only terms are ``numbers`` (kept whole, equally rare in a large archive)."""
    return Article(id=id_, title="", paragraphs=(" ".join(numbers) + ".",), source=source, date=date,
                   title_derived=True)


def test_average_link_merges_the_most_similar_first_and_stops_at_the_threshold():
    from nashra.stories.grouping import average_link

    similar = {1: {2: 0.9, 3: 0.5}, 2: {1: 0.9, 3: 0.1}, 3: {1: 0.5, 2: 0.1}, 4: {}}
    # {1, 2} first; then 3 has mean 0.3 with it: joins at 0.3, not at 0.4.
    assert average_link([[1], [2], [3], [4]], similar, 0.3) == [[1, 2, 3], [4]]
    assert average_link([[1], [2], [3], [4]], similar, 0.4) == [[1, 2], [3], [4]]
    # Single link would take 3 with 1 at 0.5; a unit given whole stays whole.
    assert average_link([[1, 2], [3]], similar, 0.35) == [[1, 2], [3]]


def test_yesterdays_article_settles_with_the_story_it_resembles_most():
    """An article waits a day: when the next day brings an article it resembles more, it joins that one."""
    from collections import Counter

    from nashra.stories.grouping import FixedFrequencies, iter_groups

    lone = _numbers("a", ["1111", "2222", "3333", "4444"], DAY)
    weak = _numbers("b", ["1111", "5555", "6666", "7777"], DAY + timedelta(hours=1))  # cosine 0.25 with a
    strong = _numbers("c", ["5555", "6666", "7777", "8888"], DAY + timedelta(days=1))  # cosine 0.75 with b
    stories = list(iter_groups([lone, weak, strong], FixedFrequencies(Counter(), 1000), threshold=0.2))
    assert sorted(sorted(a.id for a in s.articles) for s in stories) == [["a"], ["b", "c"]]
    # Without the next day's article, the first two are one story.
    assert len(list(iter_groups([lone, weak], FixedFrequencies(Counter(), 1000), threshold=0.2))) == 1


def test_a_story_does_not_drift_to_what_only_one_article_shares():
    from collections import Counter

    from nashra.stories.grouping import FixedFrequencies, iter_groups

    x, y = ["1111", "2222", "3333"], ["7777", "8888", "9999"]
    story = [_numbers(f"x{k}", x, DAY + timedelta(hours=k)) for k in range(3)]
    bridge = _numbers("xy", x + y, DAY + timedelta(hours=3))  # cosine 0.71 with the others: it joins
    other = _numbers("y", y, DAY + timedelta(hours=4))  # cosine 0.71 with the bridge alone
    stories = list(iter_groups([*story, bridge, other], FixedFrequencies(Counter(), 1000), threshold=0.6))
    assert sorted(sorted(a.id for a in s.articles) for s in stories) == [["x0", "x1", "x2", "xy"], ["y"]]
    # Without the story around it, the bridge and the other article are one story.
    assert len(list(iter_groups([bridge, other], FixedFrequencies(Counter(), 1000), threshold=0.6))) == 1


def test_teaser_lines_do_not_join_stories():
    teaser = "قد يهمك.. برشلونة يهزم ريال مدريد بثلاثة أهداف في مباراة الدوري الإسباني"
    stories = group_articles([
        article("a", "برشلونة يهزم ريال مدريد", FOOTBALL, "Outlet A", DAY),
        article("b", "غارات أمريكية في شرق سوريا", teaser + "\n" + STRIKE, "Outlet B", DAY + timedelta(hours=2)),
    ])
    assert len(stories) == 2


def test_english_view_only_when_the_translation_reads_as_english():
    from nashra.stories.terms import ENGLISH_MARK, looks_english, match_terms

    item = article("a", "غارات أمريكية في شرق سوريا", STRIKE, "A", DAY)
    real = ["US strikes in eastern Syria", "American jets struck facilities in eastern Syria used by Iran's "
            "Revolutionary Guard, the Pentagon said on Friday."]
    gibberish = ["▁ab cd▁ef ghij kl", "mno pq▁rs tuv wxyz ab cd ef gh ij kl mn"]
    assert looks_english(real) and not looks_english(gibberish) and not looks_english([STRIKE])
    english = [t for t in match_terms(item, real) if t.startswith(ENGLISH_MARK)]
    assert {ENGLISH_MARK + "syria", ENGLISH_MARK + "pentagon", ENGLISH_MARK + "revolutionary"} <= set(english)
    assert match_terms(item, gibberish) == match_terms(item) == match_terms(item, [STRIKE])


def _story(id_, outlets, articles, date):
    from nashra.document import ArticleDigest
    from nashra.stories.story import Story

    items = tuple(ArticleDigest(id=f"{id_}-{k}", title="t", title_translation="t", source=f"S{k % outlets}", url=None,
                                date=date, summary_ar=(), summary_en=(), summary_sentences=(),
                                provenance=Provenance("m", "e", "s", "0")) for k in range(articles))
    return Story(id=id_, items=items, summary=())


def test_home_lists_the_most_covered_stories_of_a_period_widened_to_a_screenful():
    from nashra.stories.home import HOME_MINIMUM
    from oracles import home_stories

    # Two stories in the latest three days, a dozen in the week before, an old one.
    stories = [_story("new-small", 1, 1, DAY), _story("new-big", 2, 3, DAY - timedelta(days=1))]
    stories += [_story(f"week-{k:02d}", 1 + k % 3, 1 + k % 4, DAY - timedelta(days=4, hours=k)) for k in range(12)]
    stories += [_story("old", 5, 9, DAY - timedelta(days=60))]
    shown = home_stories(stories)
    assert len(shown) >= HOME_MINIMUM and "old" not in [s.id for s in shown]
    assert {"new-small", "new-big"} <= {s.id for s in shown}
    keys = [(s.outlets, len(s.items)) for s in shown]
    assert keys == sorted(keys, reverse=True)  # by outlets, then articles
    # With enough stories in the latest days, only those.
    recent = [_story(f"r{k:02d}", 1, 1, DAY - timedelta(hours=k)) for k in range(HOME_MINIMUM)]
    assert {s.id for s in home_stories(recent + stories)} == {s.id for s in recent} | {"new-small", "new-big"}


def test_a_random_weight_model_leaves_the_grouping_as_without_translation(examples_dir, tiny_translator):
    """The tiny test model's gibberish must not add terms: grouping is the same as from the Arabic alone."""
    from oracles import process
    from nashra.stories.terms import ENGLISH_MARK, digest, match_terms

    items, _ = process([examples_dir], tiny_translator, get_summarizer())
    for item in items:
        terms = digest(item).terms
        assert not any(t.startswith(ENGLISH_MARK) for t in terms)
        assert terms == match_terms(item.article)
    assert len(build_stories(items)) == 1


def test_matching_terms_keep_names_whole():
    from nashra.stories.terms import match_terms

    article = Article(id="a", title="بوتين يلتقي ماكرون في بروكسل", paragraphs=("وصل بوتين إلى بروكسل وفرنسا تراقب.",))
    terms = match_terms(article)
    assert {"بوت", "بروكسل", "فرنسا"} <= set(terms)
    assert not {"وتين", "روكسل", "رنسا"} & set(terms)


JANUARY_23 = datetime(2018, 1, 23, tzinfo=timezone.utc)


def _daily_articles(days: int, start: datetime = DAY) -> list[Article]:
    """Three articles a day from three outlets about events that recur, four days on and five off, some
    undated at the end."""
    texts = [STRIKE, STRIKE_2, FOOTBALL]
    articles = [article(f"d{day:03d}-{k}", f"خبر {day % 4} {k}", texts[(day + k) % 3], f"S{k}",
                        start + timedelta(days=day + 5 * (day // 4), hours=3 * k))
                for day in range(days) for k in range(3)]
    return articles + [article(f"u{k}", "برشلونة يهزم ريال مدريد", FOOTBALL, "S", None) for k in range(3)]


@pytest.mark.parametrize("history", [1000, 9])
@pytest.mark.parametrize("cut", [9, 30, 31, 52, 59])
def test_a_grouping_resumed_from_its_checkpoint_gives_the_stories_of_one_grouping(cut, history):
    """Grouped up to ``cut`` articles, then resumed from the checkpoint with the rest (the newest dated day's
    articles again, then the newer ones): the same stories as grouping everything at once; with the terms
    weighed by the whole archive (fewer articles than ``history``) and by the months before (a month begins
    between the cuts)."""
    from nashra.stories.grouping import Grouping, ListedTerms, PastFrequencies, date_order_key, iter_groups

    articles = sorted(_daily_articles(20, start=JANUARY_23), key=date_order_key)  # to March 3

    def frequencies():  # as each build reads them from its records
        return PastFrequencies(ListedTerms(articles))

    whole = sorted(sorted(a.id for a in g.articles) for g in iter_groups(articles, frequencies(), history=history))

    first = Grouping(frequencies(), history=history)
    done = [g for a in articles[:cut] for g in first.add(a)]
    checkpoint = first.checkpoint
    assert checkpoint is not None and checkpoint.completed == len(done)
    assert checkpoint.stories and (done or cut < 12)  # stories open at the checkpoint, and completed ones
    open_ids = {i for story in checkpoint.stories for i in story}
    by_id = {a.id: a for a in articles}
    resumed = Grouping.resume(checkpoint, [by_id[i] for i in open_ids], frequencies(), history=history)
    start = next(k for k, a in enumerate(articles) if a.id == checkpoint.first_id)
    rest = list(resumed.add(articles[start]))
    # Weights and similarities exactly those of a grouping that came this far.
    at = Grouping(frequencies(), history=history)
    for a in articles[:start + 1]:
        list(at.add(a))

    def state(grouping):
        items = grouping.items
        return ({items[n].id: vector for n, vector in grouping.vectors.items()},
                {items[n].id: {items[o].id: x for o, x in row.items()} for n, row in grouping.similar.items()})

    assert state(resumed) == state(at) and len(state(at)[1]) > 1
    rest += [g for a in articles[start + 1:] for g in resumed.add(a)] + list(resumed.finish())
    assert sorted(sorted(a.id for a in g.articles) for g in done + rest) == whole
    # The checkpoint survives its storage.
    from nashra.stories.grouping import Checkpoint

    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint


@pytest.mark.parametrize("weights", ["past", "whole archive"])
def test_articles_of_a_later_month_do_not_change_how_an_earlier_month_was_grouped(weights):
    """Terms are weighed by the articles dated before the month at hand: a month that makes the earlier
    months' words common (here so common that the whole archive's weights would leave them out) changes
    none of their stories; weighed by the whole archive, it does."""
    from nashra.stories.grouping import (FixedFrequencies, ListedTerms, PastFrequencies, date_order_key,
                                         document_frequencies, iter_groups)
    from nashra.stories.terms import match_terms

    earlier = [a for a in _daily_articles(20, start=JANUARY_23) if a.date is not None]  # to March 3
    april = [article(f"april-{k}", "غارات أمريكية في شرق سوريا", (STRIKE, STRIKE_2)[k % 2], f"S{k % 3}",
                     datetime(2018, 4, 10, tzinfo=timezone.utc) + timedelta(hours=k)) for k in range(80)]

    def stories(articles):
        ordered = sorted(articles, key=date_order_key)
        frequencies = (PastFrequencies(ListedTerms(ordered)) if weights == "past" else
                       FixedFrequencies(*document_frequencies(match_terms(a) for a in ordered)))
        groups = iter_groups(ordered, frequencies, history=9)
        return sorted(sorted(a.id for a in g.articles) for g in groups)

    alone = stories(earlier)
    assert len(alone) > 3  # several stories, not one
    with_april = [s for s in stories(earlier + april) if not s[0].startswith("april")]
    assert (with_april == alone) is (weights == "past")


@pytest.mark.parametrize(("history", "cutoffs"), [(9, ["02-01", "03-01", None]), (13, ["03-01", None]),
                                                  (1000, [None])])
def test_each_month_is_weighed_by_the_articles_before_it_once_history_of_them_are(history, cutoffs):
    """The weights a grouping asks for, month after month (articles from January 23rd to March 3rd, undated
    last): by the articles before the month once ``history`` are dated before it, by those before the first such
    month until then, by every article for the undated ones or with fewer than ``history`` in all; each answer
    the document frequencies of exactly those articles."""
    from nashra.stories.grouping import ListedTerms, PastFrequencies, date_order_key, document_frequencies, iter_groups
    from nashra.stories.terms import match_terms

    articles = sorted(_daily_articles(20, start=JANUARY_23), key=date_order_key)
    asked = []

    class Asked(PastFrequencies):
        def before(self, start):
            counts, total = super().before(start)
            expected, articles_before = document_frequencies(
                match_terms(a) for a in articles if start is None or (a.date is not None and a.date < start))
            assert total == articles_before and all(counts[term] == n for term, n in expected.items())
            asked.append(start and start.strftime("%m-%d"))
            return counts, total

    assert list(iter_groups(articles, Asked(ListedTerms(articles)), history=history))
    assert asked == cutoffs
