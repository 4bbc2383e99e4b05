from datetime import datetime, timedelta, timezone

from nashra.document import Article, Provenance
from nashra.ingest import load
from nashra.pipeline import summarize_article, translate_articles
from nashra.stories import build_stories, group_articles, multi_source_summary, rank_stories
from nashra.summarize import get_summarizer
from nashra.summarize.base import MAX_OVERLAP, overlap
from nashra.text.segment import segment
from nashra.text.tokens import content_terms

DAY = datetime(2018, 3, 10, tzinfo=timezone.utc)


def article(id_, title, text, source, date):
    return Article(id=id_, title=title, paragraphs=tuple(text.split("\n")), source=source, date=date)


STRIKE = "شنت الطائرات الأمريكية غارات على منشآت في شرق سوريا يستخدمها الحرس الثوري الإيراني.\nوقال البنتاغون إن الضربات رد على هجمات ضد قواته."
STRIKE_2 = "قال البنتاغون إن طائرات أمريكية شنت غارات على منشأتين في شرق سوريا للحرس الثوري الإيراني.\nوأضاف أن الضربات جاءت ردا على الهجمات."
FOOTBALL = "فاز فريق برشلونة على ريال مدريد بثلاثة أهداف في مباراة الدوري الإسباني.\nوسجل ميسي هدفين في الشوط الثاني."


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


def test_seed_articles_form_one_story(examples_dir):
    articles = load([examples_dir]).articles
    assert len(group_articles(articles)) == 1


def _briefing(examples_dir, dict_translator):
    segmented = [segment(a) for a in load([examples_dir]).articles]
    provenance = Provenance("m", "e", "s", "0")
    return [summarize_article(t, get_summarizer(), 3, provenance)
            for t in translate_articles(segmented, dict_translator.impl)]


def test_multi_source_summary_never_repeats_a_fact(examples_dir, dict_translator):
    items = _briefing(examples_dir, dict_translator)
    summary = multi_source_summary(items, 4)
    assert len(summary) == 4
    terms = [content_terms(s.item.sentence_in(s.index, "ar"), "ar") for s in summary]
    assert all(overlap(a, b) <= MAX_OVERLAP for i, a in enumerate(terms) for b in terms[i + 1:])
    # Every sentence is one of its article's summary sentences, credited to that article.
    assert all(s.index in s.item.summary_ar for s in summary)


def test_stories_ranked_by_outlets_and_recency(examples_dir, dict_translator, data_dir):
    from nashra.pipeline import process

    items, _ = process([data_dir / "article.md", data_dir / "trec.txt"], dict_translator.impl, get_summarizer())
    stories = build_stories(items)
    assert [s.id for s in stories] == ["story-farmers-plan-2024", "story-xx-economy-12-20180302"]  # newer first
    assert rank_stories(list(reversed(stories))) == stories


def test_stories_are_given_up_as_soon_as_they_are_complete():
    """Grouping streams: a story comes out once the articles have moved past its window, not at the end."""
    from nashra.stories import WINDOW, date_order_key, document_frequencies, iter_groups, match_terms

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
    for group in iter_groups(feed(), frequency, total):
        streamed.append(group)
        newest = max(a.date for a in group.articles) if group.articles[0].date else None
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


def test_daily_coverage_of_one_subject_does_not_chain_into_one_story():
    from collections import Counter

    from nashra.stories import SPAN, iter_groups

    daily = [article(f"day{day:02d}", "غارات أمريكية في شرق سوريا", (STRIKE, STRIKE_2)[day % 2], f"S{day % 3}",
                     DAY + timedelta(days=day)) for day in range(21)]
    # In an archive of a thousand articles on every subject, these terms are rare.
    stories = list(iter_groups(daily, Counter(), 1000))
    assert len(stories) >= 3 and sum(len(s.articles) for s in stories) == 21
    for story in stories:
        dates = [a.date for a in story.articles]
        assert max(dates) - min(dates) <= SPAN
    assert len(stories[0].articles) > 1  # within a week the days are one story
