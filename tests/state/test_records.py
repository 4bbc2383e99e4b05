"""Incremental builds: only new or changed articles are translated and summarized."""

import re
import shutil

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.state.records import RecordStore, fingerprint
from nashra.ingest.stage import load

pytestmark = pytest.mark.slow


def counts(output: str) -> dict[str, int]:
    match = re.search(r"Articles: (\d+) translated, (\d+) summarized, (\d+) reused unchanged(?:, (\d+) removed)?", output)
    assert match, output
    return {"translated": int(match[1]), "summarized": int(match[2]), "reused": int(match[3]),
            "removed": int(match[4] or 0)}


def test_incremental_builds(tmp_path, tiny_model, examples_dir, data_dir):
    sources = tmp_path / "in"
    sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        shutil.copy(path, sources / path.name)
    out = tmp_path / "out"
    runner = CliRunner()

    def build(*extra):
        result = runner.invoke(cli, ["build", str(sources), "-o", str(out), "--model", str(tiny_model),
                                     "--cache", str(tmp_path / "cache.sqlite3"), *extra])
        assert result.exit_code == 0, result.output
        return counts(result.output), result.output

    first, _ = build()
    assert first == {"translated": 2, "summarized": 2, "reused": 0, "removed": 0}
    shown = shown_signatures(out)
    assert "|sentences=3|" in shown["summary_signature"]

    unchanged, output = build()
    assert unchanged == {"translated": 0, "summarized": 0, "reused": 2, "removed": 0}
    assert "Titles and sentences: 0 translated, 0 from the cache" in output  # the translator was not even asked
    assert "Pages: 6 rendered" in output  # home, archive and sources in both languages; the rest reused

    shutil.copy(data_dir / "article.md", sources / "article.md")
    added, _ = build()
    assert added == {"translated": 1, "summarized": 1, "reused": 2, "removed": 0}

    resummarized, _ = build("--sentences", "2")
    assert resummarized == {"translated": 0, "summarized": 3, "reused": 3, "removed": 0}
    # The summary's signature, shown on every article page, is the key that forced the new summaries.
    reshown = shown_signatures(out)
    assert reshown["summary_signature"] == shown["summary_signature"].replace("|sentences=3|", "|sentences=2|")
    assert (reshown["translation_signature"], reshown["page_signature"]) == (
        shown["translation_signature"], shown["page_signature"])

    edited = sources / "article.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nوأضاف الوزير أن التمويل سيبدأ الشهر المقبل.\n", encoding="utf-8")
    changed, _ = build("--sentences", "2")
    assert changed == {"translated": 1, "summarized": 1, "reused": 2, "removed": 0}

    (sources / "article.md").unlink()
    removed, _ = build("--sentences", "2")
    assert removed == {"translated": 0, "summarized": 0, "reused": 2, "removed": 1}
    assert not list((out / "docs").rglob("farmers-plan-2024*")) and not list((out / "site").rglob("farmers-plan-2024*"))


def shown_signatures(out) -> dict[str, str]:
    """The signatures every article page of ``out`` shows (the same on all), checked against the
    keys its records hold and the signature its page keys are made under."""
    import html

    import yaml

    from nashra.site.render import article_page_signature

    keys = ("translation_signature", "summary_signature", "page_signature")
    store = RecordStore(out / ".nashra" / "records.sqlite3")
    shown: set[tuple[str, ...]] = set()
    try:
        for path in (out / "docs" / "articles").glob("*.md"):
            meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
            record = store.get(meta["id"])
            assert (meta["translation_signature"], meta["summary_signature"]) == (record.namespace, record.summary_key)
            assert meta["page_signature"] == str(article_page_signature())
            shown.add(tuple(meta[k] for k in keys))
            lang_dir = "ar/" if path.name.endswith(".ar.md") else ""
            page = (out / "site" / f"{lang_dir}articles" / f"{meta['id']}.html").read_text(encoding="utf-8")
            full = [html.unescape(title or text) for title, text in
                    re.findall(r'<code(?: title="([^"]*)")?>([^<]*)</code>', page.split("nashra-signatures")[1])]
            assert full == [meta[k] for k in keys], path.name
    finally:
        store.close()
    assert len(shown) == 1
    return dict(zip(keys, shown.pop()))


def test_fingerprint_changes_with_input(data_dir):
    import dataclasses

    article = load([data_dir / "article.md"]).articles[0]
    assert fingerprint(article) == fingerprint(dataclasses.replace(article))
    assert fingerprint(article) != fingerprint(dataclasses.replace(article, source="another"))
    assert fingerprint(article) != fingerprint(dataclasses.replace(article, paragraphs=article.paragraphs[:-1]))


def test_record_store_round_trip(tmp_path, data_dir):
    import dataclasses

    from nashra.document import ArticleDigest, Provenance
    from nashra.state.records import Record
    from nashra.stories.grouping import document_frequencies

    article = load([data_dir / "article.md"]).articles[0]
    assert article.date is not None and article.date.utcoffset() is not None and article.headings
    other = dataclasses.replace(article, id="y", path=None, date=None, abstract="ملخص")
    from nashra.text.segment import segment

    store = RecordStore(tmp_path / "r.sqlite3")
    store.put_articles([(segment(article), "fp"), (segment(other), "fp")])
    # Read but not yet translated: no namespace, no translations, no digest.
    assert store.get(article.id) == Record("fp", None, "", (), None, (), (), has_digest=False)
    # The articles come back with the sentences they were split into when read, not split again.
    assert list(store.iter_pending()) == [(segment(article), "fp"), (segment(other), "fp")]
    # The summarizer's scores of the summary sentences come back with the record and the digest.
    record = Record("fp", "ns", "Title", ("a", "b"), "key", (0,), (1,), summary_scores=(0.75,))
    provenance = Provenance("model", "engine", "summarizer", "0")
    digests = {i: ArticleDigest(i, a.title, "Title", a.source, a.url, a.date, (0,), (1,),
                                ((0, "أ", "a"), (1, "ب", "b")), provenance, ("term", "other"), (0.75,))
               for i, a in ((article.id, article), ("y", other))}
    store.put_many([(record, digests[article.id]), (record, digests["y"])])
    assert store.get(article.id) == record and store.get("z") is None and not list(store.iter_pending())
    assert store.article(article.id) == article and store.article("y") == other  # every field, time zone included
    assert fingerprint(store.article(article.id)) == fingerprint(article)
    # Digests come back whole (time zone included), oldest first and undated last.
    assert list(store.digests_by_date(provenance)) == [digests[article.id], digests["y"]]
    assert store.digests(["y", article.id], provenance) == [digests["y"], digests[article.id]]
    assert document_frequencies(store.terms()) == ({"term": 2, "other": 2}, 2)
    # The articles a build reads are kept, in the order read; the others are forgotten.
    store.start_reading()
    store.mark_read([article.id, article.id])
    assert store.forget_unread() == (1, 0) and store.get("y") is None and store.read_count() == 1
    assert [(a, r) for a, r in store.read_articles()] == [(segment(article), record)]
    store.close()


def test_records_of_an_older_build_are_read_and_completed(tmp_path, data_dir):
    import sqlite3

    from nashra.errors import BuildError

    path = tmp_path / "r.sqlite3"
    with sqlite3.connect(path) as old:  # the table as the first release wrote it: no article column
        old.execute("CREATE TABLE records (id TEXT PRIMARY KEY, fingerprint TEXT, namespace TEXT,"
                    " title_translation TEXT, translations TEXT, summary_key TEXT, summary_ar TEXT, summary_en TEXT)")
        old.execute("INSERT INTO records VALUES ('x', 'fp', 'ns', 'T', '[\"a\"]', 'key', '[0]', '[0]')")
    store = RecordStore(path)
    record = store.get("x")
    assert record is not None and record.translations == ("a",) and not record.has_article
    with pytest.raises(BuildError, match="no stored article 'x'"):
        store.article("x")
    article = load([data_dir / "article.md"]).articles[0]
    import dataclasses

    from nashra.text.segment import segment

    store.set_articles([segment(dataclasses.replace(article, id="x"))])
    assert store.get("x").has_article and store.article("x").title == article.title


def test_a_file_damaged_for_one_build_is_left_out_and_not_translated_again(tmp_path, tiny_model, examples_dir):
    """A file that cannot be read in one build (half-written, a broken edit) is skipped; its article leaves the
    site, but its translation is kept: once the file reads as before, nothing is translated again, even
    without the translation cache."""
    sources = tmp_path / "in"
    sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        shutil.copy(path, sources / path.name)
    damaged = sorted(sources.glob("*.txt"))[0]
    original = damaged.read_bytes()
    out = tmp_path / "out"
    runner = CliRunner()

    def build():
        result = runner.invoke(cli, ["build", str(sources), "-o", str(out), "--model", str(tiny_model), "--no-cache"])
        assert result.exit_code == 0, result.output
        return counts(result.output), result.output

    first, _ = build()
    assert first["translated"] == 2
    pages = sorted(p.name for p in (out / "docs" / "articles").glob("*.en.md"))
    assert len(pages) == 2
    damaged.write_bytes(b"\x00\x01 half-written")
    second, output = build()
    assert damaged.name in output and "binary file" in output
    assert second["translated"] == 0 and second["removed"] == 0
    (hidden,) = [name.removesuffix(".en.md") for name in pages if not (out / "docs" / "articles" / name).exists()]
    listed = [p for p in (out / "docs").rglob("*.md") if hidden in p.read_text(encoding="utf-8")]
    assert listed == []  # no listing, story or archive page links to it
    damaged.write_bytes(original)
    third, _ = build()
    assert third == {"translated": 0, "summarized": 0, "reused": 2, "removed": 0}
    assert sorted(p.name for p in (out / "docs" / "articles").glob("*.en.md")) == pages


def test_each_digest_has_its_hash_kept_beside_it_and_older_records_get_theirs(tmp_path):
    import hashlib

    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    conn = store.connection
    conn.execute("INSERT INTO records (id, digest) VALUES ('a', '{\"t\": 1}'), ('b', NULL)")
    sha = hashlib.sha256(b'{"t": 1}').hexdigest()
    assert dict(conn.execute("SELECT id, digest_sha FROM records")) == {"a": sha, "b": None}
    conn.execute("UPDATE records SET digest = '{\"t\": 2}' WHERE id = 'a'")
    conn.execute("UPDATE records SET digest = '{\"t\": 3}' WHERE id = 'b'")
    assert dict(conn.execute("SELECT id, digest_sha FROM records")) == {
        "a": hashlib.sha256(b'{"t": 2}').hexdigest(), "b": hashlib.sha256(b'{"t": 3}').hexdigest()}
    conn.execute("UPDATE records SET digest = NULL WHERE id = 'b'")
    assert conn.execute("SELECT digest_sha FROM records WHERE id = 'b'").fetchone() == (None,)
    for index in ("records_sha_missing", "records_day_keys", "records_source_keys", "records_id_day",
                  "records_source_order"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("ALTER TABLE records DROP COLUMN digest_sha")  # as a version before the column left them
    store.close()
    again = RecordStore(path)
    try:
        assert dict(again.connection.execute("SELECT id, digest_sha FROM records")) == {
            "a": hashlib.sha256(b'{"t": 2}').hexdigest(), "b": None}
    finally:
        again.close()
    # A version with the column but before its triggers wrote a digest: the next store to open gives it its hash,
    # which the listings' keys read (from an index, not from the digest).
    _written_by_an_older_version(
        path, "INSERT INTO records (id, digest, day, source) VALUES ('c', '{\"t\": 4}', '2024-01-02', 'x')")
    third = RecordStore(path)
    try:
        sha_c = hashlib.sha256(b'{"t": 4}').hexdigest()
        assert third.connection.execute("SELECT digest_sha FROM records WHERE id = 'c'").fetchone() == (sha_c,)
        plan = " ".join(row[3] for row in third.connection.execute(
            "EXPLAIN QUERY PLAN SELECT digest_sha FROM records WHERE day = ? AND digest_sha IS NOT NULL ORDER BY id",
            ("2024-01-02",)))
        assert "COVERING INDEX records_day_keys" in plan
        plan = " ".join(row[3] for row in third.connection.execute(
            "EXPLAIN QUERY PLAN SELECT date_order, terms FROM records WHERE date_order > ? AND terms IS NOT NULL"
            " ORDER BY date_order LIMIT ?", ("", 10)))
        assert "COVERING INDEX records_date_terms" in plan  # the story terms without the rows' long columns
        plan = " ".join(row[3] for row in third.connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM records WHERE id NOT IN (SELECT id FROM read)"
            " AND id NOT IN (SELECT id FROM kept)"))
        assert "COVERING INDEX" in plan  # the articles a build forgets, found without reading every row
        plan = " ".join(row[3] for row in third.connection.execute(
            "EXPLAIN QUERY PLAN SELECT rowid, article, sentences, fingerprint FROM records"
            " WHERE namespace IS NULL AND rowid > ? ORDER BY rowid LIMIT ?", (0, 10)))
        # the records still to translate (iter_pending) found without reading every row, in the order stored
        assert "INDEX records_untranslated" in plan and "TEMP B-TREE" not in plan
        # An outlet's articles in the order its pages list them, newest or oldest first (Catalog.source_keys,
        # Catalog.sources), read from an index in that order: not sorted by every build.
        order = "CASE WHEN day IS NULL THEN '' ELSE substr(date_order, 2, 26) END"
        for query in (f"SELECT id, digest_sha, day FROM records WHERE (source IN (?)) AND digest_sha IS NOT NULL"
                      f" ORDER BY day IS NULL DESC, {order} ASC, id DESC",
                      f"SELECT id, digest_sha, day FROM records WHERE (source IN (?)) AND digest_sha IS NOT NULL"
                      f" ORDER BY day IS NULL , {order} DESC, id ",
                      f"SELECT id FROM records WHERE source IS ? AND digest_sha IS NOT NULL"
                      f" ORDER BY day IS NULL, {order} DESC, id LIMIT 10"):
            plan = " ".join(row[3] for row in third.connection.execute("EXPLAIN QUERY PLAN " + query, ("x",)))
            assert "COVERING INDEX records_source_order" in plan and "TEMP B-TREE" not in plan, query
    finally:
        third.close()


def _written_by_an_older_version(path, *statements: str) -> None:
    """``statements`` run on the records at ``path`` by a plain connection, as a version of Nashra before this one
    (or another program) would write them: none of the store's temporary triggers."""
    import sqlite3

    older = sqlite3.connect(path)
    with older:
        for statement in statements:
            older.execute(statement)
    older.close()


def _frequencies(store: RecordStore) -> tuple[dict[str, int], int]:
    counts, total = store.term_frequencies()
    return {term: counts[term] for term in counts if counts[term]}, total


def test_the_term_frequencies_kept_in_the_records_equal_those_counted_over_every_record(tmp_path):
    import random

    from nashra.stories.grouping import document_frequencies

    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    conn = store.connection
    words = ["حرب", "سلام", "غزة", 'quo"te', "back\\slash", "x"]
    chooser = random.Random(7)

    def terms() -> str | None:
        return None if chooser.random() < 0.15 else " ".join(chooser.choices(words, k=chooser.randrange(0, 5)))

    for step in range(300):
        ids = [f"a{k}" for k in range(12)]
        action, article = chooser.random(), chooser.choice(ids)
        if action < 0.4:
            conn.execute("INSERT OR IGNORE INTO records (id, terms, date_order) VALUES (?, ?, ?)",
                         (article, value := terms(), "2018" if value is not None else None))
        elif action < 0.8:
            value = terms()
            conn.execute("UPDATE records SET terms = ?, date_order = ? WHERE id = ?",
                         (value, "2018" if value is not None else None, article))
        else:
            conn.execute("DELETE FROM records WHERE id = ?", (article,))
        counted, total = document_frequencies(store.terms())
        assert _frequencies(store) == (dict(counted), total), step
    assert _frequencies(store)[1] > 0
    expected = _frequencies(store)
    # Kept by the file's own triggers: a version that does not know the table, writing records, keeps it too.
    store.close()
    _written_by_an_older_version(
        path, "INSERT INTO records (id, terms, date_order) VALUES ('new', 'حرب جديدة', '2019')",
        "DELETE FROM records WHERE id = (SELECT min(id) FROM records WHERE terms IS NOT NULL AND id != 'new')")
    kept = RecordStore(path)
    try:
        counted, total = document_frequencies(kept.terms())
        assert _frequencies(kept) == (dict(counted), total) != expected
    finally:
        kept.close()
    # Records of a version before the table: it is made from them when the store opens.
    _written_by_an_older_version(path, "DROP TABLE term_frequencies", "DELETE FROM meta WHERE key = 'term_frequencies'")
    again = RecordStore(path)
    try:
        counted, total = document_frequencies(again.terms())
        assert _frequencies(again) == (dict(counted), total)
        assert again.term_frequencies()[0]["never a term"] == 0
    finally:
        again.close()


def test_a_published_build_settles_the_pages_of_the_articles_it_read_found_through_an_index(tmp_path):
    store = RecordStore(tmp_path / "records.sqlite3")
    conn = store.connection
    try:
        conn.executemany("INSERT INTO records (id, translations) VALUES (?, '[]')", [(f"a{k}",) for k in range(5)])
        stale = lambda: dict(conn.execute("SELECT id, page_stale FROM records"))  # noqa: E731
        assert set(stale().values()) == {"1"}  # new records: their pages are to be written
        store.start_reading()
        store.mark_read(["a0", "a1", "a2"])
        store.stage_page_keys([("a0", "k0")])
        store.commit_page_keys("signature")
        assert stale() == {"a0": "0", "a1": "0", "a2": "0", "a3": "1", "a4": "1"}
        assert store.page_signature() == "signature"
        assert conn.execute("SELECT page_key FROM records WHERE id = 'a0'").fetchone() == ("k0",)
        conn.execute("UPDATE records SET translations = '[\"x\"]' WHERE id = 'a1'")  # a record changed: stale again
        unsettled = {i for (i,) in conn.execute("SELECT id FROM records INDEXED BY records_page_unsettled"
                                                " WHERE page_stale IS NOT '0'")}
        assert unsettled == {"a1", "a3", "a4"}
        store.commit_page_keys()
        assert stale() == {"a0": "0", "a1": "0", "a2": "0", "a3": "1", "a4": "1"}
    finally:
        store.close()


def test_an_article_stored_again_takes_its_old_terms_out_and_notes_its_old_place(tmp_path, data_dir):
    """A changed article is stored again as read (its earlier results dropped): the term frequencies lose its old
    terms, and the story grouping learns where in date order its old digest was (INSERT OR REPLACE did neither:
    SQLite deletes the replaced row without its delete triggers)."""
    import dataclasses
    from datetime import timedelta

    from nashra.document import ArticleDigest, Provenance
    from nashra.state.records import Record, date_order
    from nashra.stories.grouping import document_frequencies
    from nashra.text.segment import segment

    article = load([data_dir / "article.md"]).articles[0]
    path = tmp_path / "r.sqlite3"
    store = RecordStore(path)
    provenance = Provenance("model", "engine", "summarizer", "0")
    record = Record("fp", "ns", "Title", ("a", "b"), "key", (0,), (1,))
    store.put_articles([(segment(article), "fp")])
    store.put_many([(record, ArticleDigest(article.id, article.title, "Title", article.source, article.url, article.date,
                                           (0,), (1,), ((0, "أ", "a"),), provenance, ("old", "both"), ()))])
    store.close()
    store = RecordStore(path)  # a later build
    try:
        # The first digest's place is kept until a story grouping is saved (a build stopped before grouping leaves
        # it to the next); a saved grouping clears it.
        assert store.earliest_change() == date_order(article.id, article.date)
        store.connection.execute("DELETE FROM digest_changes")
        assert store.earliest_change() is None and _frequencies(store) == ({"old": 1, "both": 1}, 1)
        later = dataclasses.replace(article, date=article.date + timedelta(days=30))
        store.put_articles([(segment(later), "fp2")])
        assert store.get(article.id) == Record("fp2", None, "", (), None, (), (), has_digest=False)
        assert _frequencies(store) == ({}, 0) == (dict(document_frequencies(store.terms())[0]), 0)
        assert store.earliest_change() == date_order(article.id, article.date)  # where the old digest was
        store.put_many([(record, ArticleDigest(article.id, later.title, "Title", later.source, later.url, later.date,
                                               (0,), (1,), ((0, "أ", "a"),), provenance, ("new", "both"), ()))])
        assert _frequencies(store) == ({"new": 1, "both": 1}, 1)
    finally:
        store.close()
    # Counts made by a version that replaced records that way are made again once.
    _written_by_an_older_version(path, "UPDATE term_frequencies SET articles = articles + 5",
                                 "UPDATE meta SET value = '1' WHERE key = 'term_frequencies'")
    store = RecordStore(path)
    try:
        assert _frequencies(store) == ({"new": 1, "both": 1}, 1)
    finally:
        store.close()


def test_the_frequencies_of_the_articles_before_a_time_equal_those_counted_over_them(tmp_path):
    """What a grouping weighs a month's articles by (nashra.stories.grouping.PastFrequencies over the records),
    asked month after month as a full build does, and from a month on as a daily build does: the document
    frequencies of the records with terms dated before it, whichever end they are counted from."""
    import random
    from datetime import datetime, timedelta, timezone

    from nashra.state.records import date_order
    from nashra.stories.grouping import PastFrequencies, document_frequencies

    chooser = random.Random(3)
    words = ["حرب", "سلام", "غزة", "x", "y"]
    start = datetime(2018, 1, 1, tzinfo=timezone.utc)
    rows = []
    for k in range(400):
        date = None if k % 50 == 7 else start + timedelta(hours=chooser.randrange(0, 24 * 150))
        terms = None if k % 40 == 3 else " ".join(chooser.choices(words, k=chooser.randrange(0, 4)))
        rows.append((f"a{k}", terms, date))
    # At a month's start, just before it, and in another time zone on either side of it (UTC decides).
    plus_three = timezone(timedelta(hours=3))
    rows += [("start", "حرب", datetime(2018, 3, 1, tzinfo=timezone.utc)),
             ("before", "حرب x", datetime(2018, 2, 28, 23, 59, 59, 999999, tzinfo=timezone.utc)),
             ("east", "غزة", datetime(2018, 3, 1, 2, 59, tzinfo=plus_three)),
             ("east-after", "غزة y", datetime(2018, 3, 1, 3, 0, tzinfo=plus_three))]
    store = RecordStore(tmp_path / "records.sqlite3")
    try:
        store.connection.executemany("INSERT INTO records (id, terms, date_order) VALUES (?, ?, ?)",
                                     [(i, terms, date_order(i, date)) for i, terms, date in rows])

        def counted(before):
            return document_frequencies(tuple(t.split(" ")) if t else () for _, t, d in rows
                                        if t is not None and (before is None or (d is not None and d < before)))

        def as_dict(answer):
            counts, total = answer
            return {w: counts[w] for w in words if counts[w]}, total

        months = [start.replace(month=m) for m in range(1, 7)]
        for order in (months, months[3:], [months[4], months[1], months[5]]):
            frequencies = PastFrequencies(store)
            for month in order:
                expected = counted(month)
                assert as_dict(frequencies.before(month)) == ({w: n for w, n in expected[0].items()}, expected[1])
            assert as_dict(frequencies.before(None)) == as_dict(counted(None))
        dated = sorted((d for _, t, d in rows if t is not None and d is not None), key=lambda d: d.astimezone(timezone.utc))
        assert [store.nth_date(n) for n in (1, 100, len(dated), len(dated) + 1, 0)] == [
            dated[0], dated[99], dated[-1], None, None]
    finally:
        store.close()
