"""The catalog answers the site's questions from the records as the in-memory functions do from lists."""

import json
from collections import Counter

from oracles import build_stories, catalog_of, process
from nashra.site.archive import LATEST_PER_SOURCE
from nashra.site.labels import sort_key
from oracles import home_stories
from nashra.stories.terms import digest
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
    assert catalog.home() == home_stories(ranked)
    assert catalog.newest(3) == sorted(ranked, key=lambda s: (sort_key(s.latest), s.id))[:3]
    for story in ranked:
        assert all(catalog.story_of(i.id) == story for i in story.items)
    assert catalog.newest_date() == max(s.latest for s in ranked if s.latest)
    assert dict(catalog.story_dates()) == {s.id: s.latest for s in ranked if len(s.items) > 1}
    # ``since``: the stories whose newest article is of that day or later (in its own time zone), and the undated.
    for since in sorted({s.latest.date() for s in ranked if s.latest}):
        assert dict(catalog.story_dates(since=since)) == {
            s.id: s.latest for s in ranked if len(s.items) > 1 and (s.latest is None or s.latest.date() >= since)}
        # ``before``: those dated before it (what gives way to compact entries); both: between the two.
        assert dict(catalog.story_dates(before=since)) == {
            s.id: s.latest for s in ranked if len(s.items) > 1 and s.latest is not None and s.latest.date() < since}
        for before in sorted({s.latest.date() for s in ranked if s.latest}):
            assert dict(catalog.story_dates(since=since, before=before)) == {
                s.id: s.latest for s in ranked if len(s.items) > 1 and (s.latest is None or s.latest.date() >= since)
                and s.latest is not None and s.latest.date() < before}


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
    # The day in each article's own time zone, from the records' index alone.
    assert dict(catalog.article_days()) == {d.id: d.date.date() if d.date else None for d in digests}
    for since in sorted({d.date.date() for d in digests if d.date}):
        assert dict(catalog.article_days(since=since)) == {
            d.id: d.date.date() if d.date else None for d in digests if d.date is None or d.date.date() >= since}
        assert dict(catalog.article_days(before=since)) == {
            d.id: d.date.date() for d in digests if d.date is not None and d.date.date() < since}
    for source, count, latest in catalog.sources(LATEST_PER_SOURCE):
        own = sorted((d for d in digests if d.source == source), key=lambda d: (sort_key(d.date), d.id))
        assert count == len(own) and latest == own[:LATEST_PER_SOURCE]


def _write_day(folder, day, texts):
    from datetime import date, timedelta

    when = date(2018, 2, 20) + timedelta(days=day)  # day 9 is March 1st
    for k, text in enumerate(texts):
        (folder / f"d{day:03d}-{k}.md").write_text(f"---\ntitle: خبر {day} {k}\ndate: {when.isoformat()}T{8 + 3 * k:02d}:00:00"
                                                  f"+00:00\nsource: S{k}\n---\n\n{text}\n", encoding="utf-8")


def _archive(tmp_path, days=(0, 1, 2, 8, 9, 16, 17)):
    """A folder of articles about recurring events on ``days`` (three a day, from three outlets)."""
    from samples import FOOTBALL, STRIKE, STRIKE_2

    folder = tmp_path / "articles"
    folder.mkdir()
    for day in days:
        _write_day(folder, day, [STRIKE, STRIKE_2, FOOTBALL])
    return folder


def _read(folder, path, dict_translator) -> None:
    """A build's reading alone (stopped before grouping), with the records at ``path``."""
    from nashra.pipeline import run
    from nashra.state.records import RecordStore

    records = RecordStore(path)
    try:
        run([folder], dict_translator.impl, get_summarizer(), records)
    finally:
        records.close()


def _stopped_after_storing_lines(monkeypatch, build) -> None:
    """``build`` stopped (as by Ctrl-C) once its reading stored the articles' lines, before their digests are made
    again."""
    import pytest

    from nashra.state.lines import OutletLineIndex

    def stop(self) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(OutletLineIndex, "keep_recorded", stop)
        with pytest.raises(KeyboardInterrupt):
            build()


def _group(folder, path, dict_translator, caplog, history=3):
    """A build's reading and grouping, with the records at ``path``: the stories' rows, and whether the
    grouping went on from the last one's checkpoint. Articles are weighed by the months before theirs once
    ``history`` are dated before (by default, once the archive's second month begins: March)."""
    import logging

    from nashra.pipeline import run
    from nashra.state.catalog import Catalog
    from nashra.state.records import RecordStore
    from nashra.stories.stage import group_stories

    caplog.clear()
    records = RecordStore(path)
    try:
        with caplog.at_level(logging.DEBUG, logger="nashra.stories.stage"):
            briefing = run([folder], dict_translator.impl, get_summarizer(), records)
            group_stories(Catalog(records, briefing.provenance), history=history)
        rows = records.connection.execute("SELECT id, members, summary, seq, completed FROM stories"
                                          " ORDER BY id").fetchall()
    finally:
        records.close()
    return rows, any("going on from" in r.getMessage() for r in caplog.records)


def test_a_daily_build_groups_its_new_days_and_keeps_the_completed_stories(tmp_path, dict_translator, caplog):
    """Stories completed before the last grouping's newest day stay as they were; an older article that
    changes has everything grouped again."""
    from samples import FOOTBALL, STRIKE, STRIKE_2

    texts = [STRIKE, STRIKE_2, FOOTBALL]
    folder = _archive(tmp_path)
    records = tmp_path / "records.sqlite3"
    first, resumed = _group(folder, records, dict_translator, caplog)
    assert not resumed
    completed = [row for row in first if row[4] == 1]
    assert completed and len(completed) < len(first)
    _write_day(folder, 18, texts)
    second, resumed = _group(folder, records, dict_translator, caplog)
    assert resumed
    assert [row for row in second if row[4] == 1][:len(completed)] == completed  # untouched, seq and all
    members = [m for row in second for m in json.loads(row[1])]
    assert len(members) == len(set(members)) == len(list(folder.glob("*.md")))  # each article in one story
    # The same articles grouped from nothing give the same stories.
    fresh, _ = _group(folder, tmp_path / "fresh.sqlite3", dict_translator, caplog)
    assert sorted(json.loads(row[1]) for row in fresh) == sorted(json.loads(row[1]) for row in second)
    # An article of a completed story changes: every story is grouped again.
    (folder / "d001-2.md").write_text((folder / "d001-2.md").read_text(encoding="utf-8").replace("ميسي", "سواريز"),
                                      encoding="utf-8")
    third, resumed = _group(folder, records, dict_translator, caplog)
    assert not resumed
    # The same stories, and digests, as the articles built from nothing (the article's lines changed, and with
    # them whether the outlet's later articles repeat them: their digests were made again).
    fresh, _ = _group(folder, tmp_path / "fresh-after.sqlite3", dict_translator, caplog)
    assert sorted(json.loads(row[1]) for row in fresh) == sorted(json.loads(row[1]) for row in third)
    assert _terms(tmp_path / "fresh-after.sqlite3") == _terms(records)


def _terms(path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, terms FROM records"))


def test_an_article_moved_to_the_newest_day_is_grouped_once(tmp_path, dict_translator, caplog, monkeypatch):
    """An article re-dated from an open or a completed story to the grouping's newest day (an outlet updates its
    time) is in one story afterwards: the grouping does not go on from a checkpoint that would meet it twice. Records
    of a version that did not note where the old digest was (the change unseen) are grouped again too."""
    import logging
    import sqlite3

    from samples import FOOTBALL, STRIKE, STRIKE_2
    from nashra.state.records import RecordStore

    texts = [STRIKE, STRIKE_2, FOOTBALL]
    folder = _archive(tmp_path)
    records = tmp_path / "records.sqlite3"

    def each_article_once(rows) -> None:
        members = [m for row in rows for m in json.loads(row[1])]
        assert len(members) == len(set(members)) == len(list(folder.glob("*.md")))
        # The same stories as grouping every article of these records again.
        again = tmp_path / f"again-{len(members)}-{len(list(tmp_path.glob('again-*')))}.sqlite3"
        with sqlite3.connect(records) as source, sqlite3.connect(again) as target:
            source.backup(target)
            target.execute("DELETE FROM grouping")
        regrouped, resumed = _group(folder, again, dict_translator, caplog)
        assert not resumed
        assert sorted(json.loads(row[1]) for row in regrouped) == sorted(json.loads(row[1]) for row in rows)
        # And the same digests and stories as building these articles from nothing.
        fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}.sqlite3"
        built, _ = _group(folder, fresh, dict_translator, caplog)
        assert sorted(json.loads(row[1]) for row in built) == sorted(json.loads(row[1]) for row in rows)
        assert _terms(fresh) == _terms(records)

    def move(name: str, day: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(text.split("date: ")[1][:10], day, 1), encoding="utf-8")

    _group(folder, records, dict_translator, caplog)
    _write_day(folder, 18, texts)
    _, resumed = _group(folder, records, dict_translator, caplog)
    assert resumed
    # An article of a story still open at the checkpoint (day 17) moves to day 19.
    move("d017-0.md", "2018-03-11")
    rows, resumed = _group(folder, records, dict_translator, caplog)
    assert not resumed
    each_article_once(rows)
    # The same with the change unseen, as records of the earlier versions left it: the open story is not gone on from.
    _write_day(folder, 19, texts)
    _group(folder, records, dict_translator, caplog)
    move("d018-1.md", "2018-03-12")
    monkeypatch.setattr(RecordStore, "earliest_change", lambda self: None)
    rows, resumed = _group(folder, records, dict_translator, caplog)
    assert not resumed
    each_article_once(rows)
    # An article of a completed story, the change unseen: the stories met it twice; it is grouped again, with a warning.
    move("d001-2.md", "2018-03-12")
    with caplog.at_level(logging.WARNING):
        rows, _ = _group(folder, records, dict_translator, caplog)
    assert any("every story is grouped again" in r.getMessage() for r in caplog.records)
    each_article_once(rows)


def test_an_article_that_was_a_story_of_its_own_moved_unseen_is_grouped_again(tmp_path, dict_translator, caplog,
                                                                             monkeypatch):
    """A completed story of one article, its article re-dated to the newest day without the change noted (records of
    the earlier versions): the resumed grouping makes a story of the same id again, which the store refuses; every
    story is grouped again."""
    import logging

    from samples import FOOTBALL, STRIKE, STRIKE_2
    from nashra.state.records import RecordStore

    folder = _archive(tmp_path)
    lone = folder / "lone.md"
    lone.write_text("---\nid: lone\ntitle: زيتون\ndate: 2018-02-20T05:00:00+00:00\nsource: S9\n---\n\n"
                    "أعلنت وزارة الزراعة في المغرب عن موسم قياسي لحصاد الزيتون في جهة فاس.\n"
                    "وقالت إن الإنتاج ارتفع بنسبة كبيرة.\n", encoding="utf-8")
    records = tmp_path / "records.sqlite3"
    _group(folder, records, dict_translator, caplog)
    _write_day(folder, 18, [STRIKE, STRIKE_2, FOOTBALL])
    _, resumed = _group(folder, records, dict_translator, caplog)
    assert resumed
    lone.write_text(lone.read_text(encoding="utf-8").replace("2018-02-20", "2018-03-11"), encoding="utf-8")
    monkeypatch.setattr(RecordStore, "earliest_change", lambda self: None)
    with caplog.at_level(logging.WARNING):
        rows, _ = _group(folder, records, dict_translator, caplog)
    assert any("every story is grouped again" in r.getMessage() for r in caplog.records)
    members = [m for row in rows for m in json.loads(row[1])]
    assert len(members) == len(set(members)) == len(list(folder.glob("*.md")))
    assert ["lone"] in [json.loads(row[1]) for row in rows]


def test_a_build_stopped_after_reading_leaves_its_changes_to_the_next(tmp_path, dict_translator, caplog, monkeypatch):
    """What a build's reading changed and its later stages did not see through — the recurring lines whose articles'
    digests are to be made again, the digests' places the story grouping goes on from — is in the records file, so
    that the next build, after one stopped in between, still gives the digests and stories of a fresh build."""
    folder = _archive(tmp_path)
    records = tmp_path / "records.sqlite3"
    _group(folder, records, dict_translator, caplog)
    # An old article loses a line it shared with the outlet's next ones; the build stops before its digests are made
    # again, and the next build is not told of the change by its own reading.
    path = folder / "d000-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("ميسي", "سواريز"), encoding="utf-8")
    _stopped_after_storing_lines(monkeypatch, lambda: _read(folder, records, dict_translator))
    _read(folder, records, dict_translator)  # read (and digests made again), then stopped before grouping
    rows, resumed = _group(folder, records, dict_translator, caplog)
    assert not resumed  # the changed digests' places were kept for it
    fresh, _ = _group(folder, tmp_path / "fresh.sqlite3", dict_translator, caplog)
    assert sorted(json.loads(row[1]) for row in fresh) == sorted(json.loads(row[1]) for row in rows)
    assert _terms(tmp_path / "fresh.sqlite3") == _terms(records)


def test_recurring_lines_changed_by_a_stopped_build_still_remake_the_digests_they_change(tmp_path, dict_translator,
                                                                                          monkeypatch):
    """The oldest of an outlet's articles drops a line four of them had, and the build stops after storing its lines:
    the next build still makes again the digests of the articles that now see the line in fewer than three."""
    from samples import FOOTBALL, STRIKE

    line = "تابعونا على قناتنا في تلغرام للمزيد"
    folder = tmp_path / "articles"
    folder.mkdir()

    def write(day: int, with_line: bool = True) -> None:
        body = (STRIKE if day % 2 else FOOTBALL) + (f"\n{line}" if with_line else "")
        (folder / f"d{day}.md").write_text(f"---\nid: art{day}\ntitle: خبر {day}\ndate: 2018-03-0{day + 1}T08:00:00"
                                           f"+00:00\nsource: S\n---\n\n{body}\n", encoding="utf-8")

    for day in range(5):
        write(day)
    records = tmp_path / "records.sqlite3"
    _read(folder, records, dict_translator)
    write(0, with_line=False)
    _stopped_after_storing_lines(monkeypatch, lambda: _read(folder, records, dict_translator))
    _read(folder, records, dict_translator)
    _read(folder, tmp_path / "fresh.sqlite3", dict_translator)
    assert _terms(records) == _terms(tmp_path / "fresh.sqlite3")
