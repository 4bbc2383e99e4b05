"""Flags in the build records: stored with their checks' signature, and recomputed for older records."""

import json
from collections import Counter
import sqlite3

from nashra.pipeline import run
from nashra.state.records import RecordStore, flags_from_json, flags_to_json
from nashra.summarize import get_summarizer
from nashra.quality import FlagSettings, signature, use_settings, current_settings


def test_flags_are_stored_and_read_back(tmp_path, data_dir, dict_translator):
    store = RecordStore(tmp_path / "records.sqlite3")
    briefing = run([data_dir / "plain.txt"], dict_translator.impl, get_summarizer(), store)
    item = next(briefing.articles())
    assert item.translated.flagged  # EN[...] keeps the Arabic
    record = store.get(item.article.id)
    assert record is not None and record.flags == item.translated.flags
    assert briefing.report.flagged == len(item.translated.flagged) and briefing.report.flag_counts["arabic"] > 0
    store.close()


def test_records_of_an_older_build_get_their_flags(tmp_path, data_dir, dict_translator):
    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    run([data_dir / "plain.txt"], dict_translator.impl, get_summarizer(), store)
    store.close()
    # An older build's file: no flags column at all.
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER reading_changed")  # nor the trigger on the records' columns (nashra.state.reading)
    conn.execute("ALTER TABLE records DROP COLUMN flags")
    conn.commit()
    conn.close()
    store = RecordStore(path)
    (article_id,) = store.connection.execute("SELECT id FROM records").fetchone()
    assert store.get(article_id).flags is None
    calls = len(dict_translator.calls)
    briefing = run([data_dir / "plain.txt"], dict_translator.impl, get_summarizer(), store)
    assert len(dict_translator.calls) == calls  # the translation is reused
    assert briefing.report.translated == 0 and briefing.report.summarized == 1  # re-summarized with flags
    assert store.get(article_id).flags and briefing.report.flagged > 0
    store.close()


def test_flags_of_other_checks_are_not_trusted():
    flags = (("numbers: 5 missing",), ())
    stored = flags_to_json(flags)
    assert flags_from_json(stored) == flags
    previous = current_settings()
    try:
        use_settings(FlagSettings(max_length_ratio=2.0))
        assert json.loads(stored)["signature"] != signature()
        assert flags_from_json(stored) is None
    finally:
        use_settings(previous)


def test_what_a_daily_build_needs_of_a_settled_article_is_kept_in_a_column_beside_its_settings(tmp_path, data_dir,
                                                                                               dict_translator):
    from nashra.state.records import Settled, flag_counts_from_json

    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    briefing = run([data_dir / "plain.txt"], dict_translator.impl, get_summarizer(), store)
    conn = store.connection
    (article_id, namespace, key, translations, flags), = conn.execute(
        "SELECT id, namespace, summary_key, json_array_length(translations), flags FROM records")
    files = conn.execute("SELECT path, stamp FROM input_files").fetchall()
    expected = Settled(translations, *flag_counts_from_json(flags))
    assert expected.flagged == briefing.report.flagged > 0
    assert store.settled_files(files, namespace, key) == {files[0][0]}
    assert store.settled_files(files, namespace, "other summary settings") == set()
    # Taken without being read (what the last question found settled): noted first read there, marked read,
    # counted as its record says.
    assert store.settled_files(files, namespace, key) == {files[0][0]}
    store.start_reading()
    assert store.take_files([files[0][0]]) == (1, Counter({expected: 1}))
    assert article_id in store.first_read() and store.read_count() == 1
    # Taken twice in a build: the second time its id was read already, and the file is to be read (and reported).
    assert store.take_files([files[0][0]]) == (0, Counter())
    assert store.read_count() == 1
    plan = " ".join(row[3] for row in conn.execute(
        "EXPLAIN QUERY PLAN SELECT settled FROM records INDEXED BY records_settled WHERE id = ? AND namespace IS ?"
        " AND summary_key IS ?", (article_id, namespace, key)))
    assert "COVERING INDEX records_settled" in plan  # the row's long columns are not read
    # Flags of other checks: the article must be read again (its flags are made again).
    other = json.dumps({"signature": "other checks", "sentences": json.loads(flags)["sentences"]})
    conn.execute("UPDATE records SET flags = ? WHERE id = ?", (other, article_id))
    assert store.settled_files(files, namespace, key) == set()
    store.start_reading()
    assert store.take_files([files[0][0]]) == (0, Counter())  # nor taken
    conn.execute("UPDATE records SET flags = ? WHERE id = ?", (flags, article_id))
    assert store.settled_files(files, namespace, key) == {files[0][0]}
    conn.execute("UPDATE records SET digest = NULL WHERE id = ?", (article_id,))  # left out of the site
    assert store.settled_files(files, namespace, key) == set()
    store.close()
    # A version before the column, or without its triggers, wrote the record: the next store to open makes it.
    store = RecordStore(path)
    run([data_dir / "plain.txt"], dict_translator.impl, get_summarizer(), store)
    store.close()
    older = sqlite3.connect(path)
    with older:
        older.execute("UPDATE records SET settled = NULL")
    older.close()
    store = RecordStore(path)
    assert store.settled_files(files, namespace, key) == {files[0][0]}
    store.close()


def test_the_articles_of_a_known_file_come_in_the_files_order(tmp_path, dict_translator):
    """An unchanged file's articles are taken from the records in the order the file has them (not by id): the
    order a build that reads the file gives them."""
    ids = ["z-12", "a-3", "m-1", "b-20", "b-3", "y-0", "c-7", "x-5", "d-11", "w-2", "e-9", "v-4"]
    lines = [json.dumps({"id": article_id, "title": f"عنوان الخبر رقم {n}", "text": f"نص المقالة رقم {n} هنا."},
                        ensure_ascii=False) for n, article_id in enumerate(ids)]
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = RecordStore(tmp_path / "records.sqlite3")
    try:
        run([source], dict_translator.impl, get_summarizer(), store)
        conn = store.connection
        namespace, key = conn.execute("SELECT namespace, summary_key FROM records LIMIT 1").fetchone()
        files = conn.execute("SELECT path, stamp FROM input_files").fetchall()
        assert store.settled_files(files, namespace, key) == {str(source)}
        run([source], dict_translator.impl, get_summarizer(), store)  # every article known: not read again
        assert [article_id for article_id, _, _ in store.read_page_states()] == ids
    finally:
        store.close()
