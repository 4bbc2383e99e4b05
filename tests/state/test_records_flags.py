"""Flags in the build records: stored with their checks' signature, and recomputed for older records."""

import json
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
