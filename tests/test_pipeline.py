import pytest

from nashra.document import Provenance
from nashra.ingest.stage import load
from nashra.pipeline import make_provenance, summarize_article, translate_articles
from nashra.summarize.options import SummaryOptions
from oracles import process
from nashra.summarize import get_summarizer
from nashra.text.segment import segment


def test_translate_articles_keeps_each_article_aligned(data_dir, dict_translator):
    articles = load([data_dir / "plain.txt", data_dir / "article.md"]).articles
    segmented = [segment(a) for a in articles]
    translated = translate_articles(segmented, dict_translator.impl)
    for item in translated:
        assert item.title_translation == f"EN[{item.article.title}]"
        assert [f"EN[{s.text}]" for s in item.sentences] == list(item.translations)
    # One call for all articles: batches are filled across articles.
    assert len(dict_translator.calls) == 1


def test_english_summary_translates_the_arabic_summary(data_dir, dict_translator):
    segmented = segment(load([data_dir / "plain.txt"]).articles[0])
    translated = translate_articles([segmented], dict_translator.impl)[0]
    provenance = Provenance("m", "e", "textrank", "0")
    item = summarize_article(translated, get_summarizer(), SummaryOptions(sentences=2), provenance)
    assert item.summary_en == item.summary_ar and len(item.summary_ar) == 2
    assert not any(translated.sentences[i].heading for i in item.summary_ar)
    independent = summarize_article(translated, get_summarizer(), SummaryOptions(sentences=2, independent=True), provenance)
    assert len(independent.summary_en) == 2


def test_process_reports_skips_and_counts(data_dir, dict_translator):
    items, report = process([data_dir], dict_translator.impl, get_summarizer(), sentences=2)
    assert report.articles == len(items) >= 7
    assert len(report.skipped) == 7
    assert report.sentences == sum(len(i.translated.sentences) for i in items)
    provenance = make_provenance(dict_translator.impl, get_summarizer(), SummaryOptions(sentences=2))
    assert items[0].provenance == provenance
    assert provenance.model == "dict-model" and provenance.summarizer.startswith("learned(")


def test_run_translates_in_chunks_with_one_progress_and_the_same_result(data_dir, dict_translator, monkeypatch):
    import contextlib

    from nashra import pipeline
    from nashra.stories.terms import digest

    whole, _ = process([data_dir], dict_translator.impl, get_summarizer(), sentences=2)
    reference = list(pipeline.run([data_dir], dict_translator.impl, get_summarizer(), summary=SummaryOptions(sentences=2)).digests())
    dict_translator.calls.clear()
    monkeypatch.setattr(pipeline, "CHUNK_SENTENCES", 8)
    reported: list[tuple[str, int]] = []

    @contextlib.contextmanager
    def progress(total):
        reported.append(("total", total))
        yield lambda done: reported.append(("done", done))

    briefing = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), summary=SummaryOptions(sentences=2),
                            progress=progress)
    # Several chunks, one progress bar that ends exactly at its total (sentences served by the
    # cache or repeated within the build count as done).
    assert len(dict_translator.calls) > 2
    assert [kind for kind, _ in reported].count("total") == 1
    assert sum(n for kind, n in reported if kind == "done") == reported[0][1] == sum(
        1 + len(i.translated.sentences) for i in whole)
    # Articles and digests streamed back from the records: the same briefing either way.
    chunked = list(briefing.articles())
    assert chunked == whole
    from nashra.stories.grouping import date_order_key

    assert list(briefing.digests()) == reference
    # Those of articles without an outlet's recurring lines are the digests of the articles as processed.
    learnt = {"o3"}  # tests/data/outlet-lines.jsonl
    assert [d for d in reference if d.id not in learnt] == sorted(
        (digest(i) for i in whole if i.article.id not in learnt), key=date_order_key)


def test_an_interrupted_run_keeps_the_chunks_it_finished(data_dir, dict_translator, monkeypatch, tmp_path):
    import contextlib

    import pytest

    from nashra import pipeline
    from nashra.state.records import RecordStore

    monkeypatch.setattr(pipeline, "CHUNK_SENTENCES", 8)
    seen = []

    @contextlib.contextmanager
    def interrupted(total):
        def update(done):
            seen.append(done)
            if len(dict_translator.calls) == 3:  # the third chunk is being translated
                raise KeyboardInterrupt
        yield update

    store = RecordStore(tmp_path / "records.sqlite3")
    with pytest.raises(KeyboardInterrupt):
        pipeline.run([data_dir], dict_translator.impl, get_summarizer(), store, progress=interrupted)
    store.close()
    finished = len(dict_translator.calls) - 1
    store = RecordStore(tmp_path / "records.sqlite3")
    again = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), store)
    assert 0 < again.report.translated < again.report.articles
    assert again.report.articles - again.report.translated >= finished  # each finished chunk held one article or more
    assert list(again.articles()) == process([data_dir], dict_translator.impl, get_summarizer())[0]


def test_records_without_digests_get_them_without_translating_again(data_dir, dict_translator, tmp_path):
    from nashra import pipeline
    from nashra.state.records import RecordStore

    store = RecordStore(tmp_path / "records.sqlite3")
    first = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), records=store)
    expected = list(first.digests())
    assert len(expected) == first.report.articles
    # Records as a build before digests were stored left them.
    store.connection.execute("UPDATE records SET digest = NULL, terms = NULL, date_order = NULL, day = NULL")
    dict_translator.calls.clear()
    again = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), records=store)
    assert again.report.translated == again.report.summarized == 0 and not dict_translator.calls
    assert list(again.digests()) == expected
    store.close()


def test_a_duplicate_id_is_reported_with_the_file_that_had_it_first(data_dir, dict_translator, tmp_path):
    from nashra import pipeline
    from nashra.state.records import RecordStore

    copy = tmp_path / "copy.md"
    copy.write_text((data_dir / "article.md").read_text(encoding="utf-8"), encoding="utf-8")
    store = RecordStore(tmp_path / "records.sqlite3")  # ids read are kept in the store, not in memory
    briefing = pipeline.run([data_dir / "article.md", copy], dict_translator.impl, get_summarizer(), records=store)
    assert briefing.report.articles == 1
    assert [str(p) for p in briefing.report.skipped] == [
        f"{copy}: duplicate article id 'farmers-plan-2024' (first seen in {data_dir / 'article.md'})"]
    store.close()


def test_each_article_is_segmented_once_per_build(data_dir, dict_translator, tmp_path, monkeypatch):
    """Reading splits an article into sentences; translating, digesting and writing its pages take the
    stored sentences, in the first build and in a rebuild that re-summarizes (the same as splitting again)."""
    from collections import Counter

    from nashra import pipeline
    from nashra.ingest import stage
    from nashra.state.records import RecordStore
    from nashra.site.build import write_docs

    calls: Counter[str] = Counter()
    real = stage.segment

    def counted(article):
        calls[article.id] += 1
        return real(article)

    monkeypatch.setattr(stage, "segment", counted)
    store = RecordStore(tmp_path / "records.sqlite3")
    for sentences in (3, 2):  # the second build reuses the translations and summarizes again
        calls.clear()
        briefing = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), store, SummaryOptions(sentences=sentences))
        items = list(briefing.articles())
        write_docs(tmp_path / f"docs{sentences}", pipeline.group(briefing, SummaryOptions(sentences=sentences)))
        assert items and set(calls) == {i.article.id for i in items} and set(calls.values()) == {1}
        assert [i.translated.segmented for i in items] == [real(i.article) for i in items]
    store.close()


def test_digests_made_by_an_older_matching_are_made_again(data_dir, dict_translator, tmp_path):
    """Stories must compare terms made one way: a rebuild remakes the digests whose matching terms an
    older version of :func:`nashra.stories.match_terms` made, without translating again."""
    import json

    from nashra import pipeline
    from nashra.state.records import RecordStore

    store = RecordStore(tmp_path / "records.sqlite3")
    first = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), records=store)
    expected = list(first.digests())
    rows = store.connection.execute("SELECT id, digest FROM records").fetchall()
    for article_id, text in rows:
        data = json.loads(text)
        data["match"], data["terms"] = 1, ["stale"]
        store.connection.execute("UPDATE records SET digest = ?, terms = 'stale' WHERE id = ?",
                                 (json.dumps(data), article_id))
    assert all(not store.get(article_id).has_digest for article_id, _ in rows)
    dict_translator.calls.clear()
    again = pipeline.run([data_dir], dict_translator.impl, get_summarizer(), records=store)
    assert again.report.translated == again.report.summarized == 0 and not dict_translator.calls
    assert list(again.digests()) == expected
    assert all(store.get(article_id).has_digest for article_id, _ in rows)
    store.close()


def _rebuild(sources, path, translator, sentences=3):
    """One build's reading, translating and summarizing with the records at ``path``: its report, and the
    files it read."""
    from unittest import mock

    import nashra.ingest.stage as ingest
    from nashra.pipeline import run
    from nashra.state.records import RecordStore

    read: list[str] = []
    real = ingest.read_file

    def counted(path):
        read.append(path.name)
        return real(path)

    records = RecordStore(path)
    try:
        with mock.patch.object(ingest, "read_file", counted):
            briefing = run(sources, translator, get_summarizer(), records, SummaryOptions(sentences=sentences))
        articles = sorted((i.article.id, i.translated.translations, i.summary_ar) for i in briefing.articles())
    finally:
        records.close()
    return briefing.report, sorted(read), articles


def test_a_rebuild_reads_only_the_files_that_changed(data_dir, dict_translator, tmp_path):
    """A file unchanged since a build read it whole is not read again: its articles come from their records,
    with the same counts; a changed file is read again, and a file with a bad record every time, so that
    its skip line is said at every build."""
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(data_dir, folder, ignore=shutil.ignore_patterns("bad", "news-site", "parallel.*", "*-en.txt",
                                                                    "search-words-ar.txt", "teasers.txt"))
    (folder / "broken.jsonl").write_text((folder / "articles.jsonl").read_text(encoding="utf-8").replace(
        '"id": "', '"id": "b-', ) + "{not json\n", encoding="utf-8")
    records = tmp_path / "records.sqlite3"
    first, read, articles = _rebuild([folder], records, dict_translator.impl)
    files = sorted(p.name for p in folder.iterdir())
    assert read == files and first.skipped
    second, read, again = _rebuild([folder], records, dict_translator.impl)
    assert read == ["broken.jsonl"]  # its bad line is reported again
    assert again == articles
    assert first.flagged > 0 and sum(first.flag_counts.values()) >= first.flagged  # counted from the records below
    assert (second.articles, second.sentences, second.flagged, second.flag_counts, second.translated,
            second.summarized, second.removed, [str(p) for p in second.skipped]) == (
        first.articles, first.sentences, first.flagged, first.flag_counts, 0, 0, 0, [str(p) for p in first.skipped])
    text = (folder / "plain.txt").read_text(encoding="utf-8")
    (folder / "plain.txt").write_text(text + "\nوأضاف المتحدث أن الاجتماع سيعقد غدا.\n", encoding="utf-8")
    third, read, _ = _rebuild([folder], records, dict_translator.impl)
    assert read == ["broken.jsonl", "plain.txt"] and third.translated == 1
    # Other summary settings: every article is summarized again, so every file is read.
    fourth, read, _ = _rebuild([folder], records, dict_translator.impl, sentences=2)
    assert read == files and fourth.summarized == fourth.articles


@pytest.mark.parametrize("given", [".", "./articles", "articles/", "ABSOLUTE"])
def test_an_unchanged_file_is_known_however_its_folder_is_written(data_dir, dict_translator, tmp_path, monkeypatch,
                                                                   given):
    """A file read whole is remembered under the path it was looked up by: the next build does not read it
    again, whether the folder was given as ".", "./x", "x/" or an absolute path."""
    import shutil

    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("article.md", "plain.txt", "articles.jsonl"):
        shutil.copy(data_dir / name, folder / name)
    monkeypatch.chdir(folder if given == "." else tmp_path)
    source = str(folder) if given == "ABSOLUTE" else given
    _, read, articles = _rebuild([source], tmp_path / "records.sqlite3", dict_translator.impl)
    assert read == ["article.md", "articles.jsonl", "plain.txt"]
    _, read, again = _rebuild([source], tmp_path / "records.sqlite3", dict_translator.impl)
    assert read == [] and again == articles


def test_a_new_file_repeating_an_id_of_an_unchanged_one_is_reported_as_in_a_fresh_build(data_dir, dict_translator,
                                                                                        tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "b.md").write_text((data_dir / "article.md").read_text(encoding="utf-8"), encoding="utf-8")
    _rebuild([folder], tmp_path / "records.sqlite3", dict_translator.impl)
    (folder / "a.md").write_text((data_dir / "article.md").read_text(encoding="utf-8"), encoding="utf-8")
    report, read, _ = _rebuild([folder], tmp_path / "records.sqlite3", dict_translator.impl)
    fresh, _, _ = _rebuild([folder], tmp_path / "fresh.sqlite3", dict_translator.impl)
    assert read == ["a.md", "b.md"] and [str(p) for p in report.skipped] == [str(p) for p in fresh.skipped]
    assert len(report.skipped) == 1 and "duplicate article id" in str(report.skipped[0])


@pytest.mark.parametrize(("first", "second", "third", "repeat"), [(("a.md",), ("b.md", "d.md"), (), "b.md"),
                                                                 (("a.md", "d.md"), ("e.md",), ("d.md",), "e.md")],
                         ids=["repeated next", "repeated after another"])
def test_unchanged_files_sharing_an_id_are_taken_up_to_the_repeat_as_in_a_fresh_build(data_dir, dict_translator,
                                                                                     tmp_path, first, second, third,
                                                                                     repeat):
    """Two unchanged files with the same id, each read whole by an earlier build (from other folders), in one run
    of unchanged files: the files before the repeat are taken, the repeat read in its place (its id reported as a
    build that reads every file reports it), the files after it taken; the articles come in that build's order."""
    from nashra.pipeline import run
    from nashra.state.records import RecordStore

    text = (data_dir / "article.md").read_text(encoding="utf-8")
    article_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    for folder, names in ((one, first), (two, second), (three, third)):
        folder.mkdir()
        for name in names:  # d.md has an id of its own; the others the same one
            own = text.replace(f"id: {article_id}", "id: another-one") if name == "d.md" else text
            (folder / name).write_text(own, encoding="utf-8")
    records = tmp_path / "records.sqlite3"
    _rebuild([one], records, dict_translator.impl)
    _rebuild([two, three], records, dict_translator.impl)  # one's other article read again from three: kept
    report, read, _ = _rebuild([one, two], records, dict_translator.impl)
    fresh, fresh_read, _ = _rebuild([one, two], tmp_path / "fresh.sqlite3", dict_translator.impl)
    assert read == [repeat] and fresh_read == sorted(first + second)
    assert [str(p) for p in report.skipped] == [str(p) for p in fresh.skipped]
    assert len(report.skipped) == 1 and "duplicate article id" in str(report.skipped[0])
    assert "a.md" in str(report.skipped[0]) and repeat in str(report.skipped[0])
    orders = []
    for path in (records, tmp_path / "fresh.sqlite3"):
        store = RecordStore(path)
        try:
            briefing = run([one, two], dict_translator.impl, get_summarizer(), store)
            orders.append([item.article.id for item in briefing.articles()])
        finally:
            store.close()
    assert orders[0] == orders[1] == [article_id, "another-one"]
