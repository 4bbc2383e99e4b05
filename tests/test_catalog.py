"""The catalog answers the site's questions from the records as the in-memory functions do from lists."""

from collections import Counter

from oracles import build_stories, catalog_of, process
from nashra.site.archive import LATEST_PER_SOURCE
from nashra.site.labels import sort_key
from nashra.site.render import LATEST_DAYS, LATEST_STORIES, latest_stories
from nashra.stories import HOME_MINIMUM, digest
from nashra.summarize import get_summarizer


def _briefing(data_dir, examples_dir, dict_translator, tmp_path):
    # The second seed gives no date: dated the day after the first (whose text gives 26 October 2023),
    # the two report the same event and share a story among the fixtures of other years.
    second = tmp_path / "second-seed.md"
    text = (examples_dir / "002_790905470f678d21.txt").read_text(encoding="utf-8")
    second.write_text(f"---\ndate: 2023-10-27\n---\n\n{text}", encoding="utf-8")
    items, _ = process([data_dir, examples_dir / "000_b82a5ffee5f3a278.txt", second], dict_translator.impl,
                       get_summarizer(), sentences=2)
    return items, catalog_of(items, sentences=2)


def test_catalog_stories_equal_those_grouped_in_memory(data_dir, examples_dir, dict_translator, tmp_path):
    items, catalog = _briefing(data_dir, examples_dir, dict_translator, tmp_path)
    ranked = build_stories(items, 2)
    assert catalog.count() == len(ranked) and len(ranked) < len(items)  # some articles share a story
    assert sorted(catalog.stories(), key=lambda s: s.id) == sorted(ranked, key=lambda s: s.id)
    assert [s.id for s in catalog.stories(several=True)] == sorted(s.id for s in ranked if len(s.items) > 1)
    assert catalog.home(LATEST_DAYS, HOME_MINIMUM, LATEST_STORIES) == latest_stories(ranked)
    assert catalog.newest(3) == sorted(ranked, key=lambda s: (sort_key(s.latest), s.id))[:3]
    for story in ranked:
        assert all(catalog.story_of(i.id) == story for i in story.items)
    assert catalog.newest_date() == max(s.latest for s in ranked if s.latest)
    assert dict(catalog.story_dates()) == {s.id: s.latest for s in ranked if len(s.items) > 1}


def test_catalog_articles_days_and_sources(data_dir, examples_dir, dict_translator, tmp_path):
    items, catalog = _briefing(data_dir, examples_dir, dict_translator, tmp_path)
    assert [(item, story.id if story else None) for item, story in catalog.articles()] == [
        (item, catalog.story_of(item.article.id).id) for item in items]
    digests = [digest(i) for i in items]
    days = Counter(d.date.date() if d.date else None for d in digests)
    listed = catalog.days()
    assert dict(listed) == days
    dated = [day for day, _ in listed if day is not None]
    assert dated == sorted(dated, reverse=True) and (None not in days or listed[-1][0] is None)
    for day in days:
        assert sorted(d.id for d in catalog.on_day(day)) == sorted(d.id for d in digests if (d.date.date() if d.date else None) == day)
    assert dict(catalog.article_dates()) == {d.id: d.date for d in digests}
    for source, count, latest in catalog.sources(LATEST_PER_SOURCE):
        own = sorted((d for d in digests if d.source == source), key=lambda d: (sort_key(d.date), d.id))
        assert count == len(own) and latest == own[:LATEST_PER_SOURCE]
