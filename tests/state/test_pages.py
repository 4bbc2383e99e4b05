"""The page records: pages settled from their files, a page of pages at a time."""

from __future__ import annotations

from nashra.state.pages import PageStore


def test_pages_are_settled_from_their_files_through_the_index_by_page(tmp_path):
    store = PageStore(tmp_path / "pages.sqlite3")
    try:
        rows = [(f"articles/a{i:04d}.{lang}.md", f"articles/a{i:04d}", f"{i}{lang}", f"1:{i}:{10 + i}:5")
                for i in range(1200) for lang in ("en", "ar")]
        store.add_files(rows)
        assert store.settle_pages() == 1200
        found = list(store.found())
        assert [page for page, _, _ in found] == [f"articles/a{i:04d}" for i in range(1200)]
        assert found[7][2] == ["articles/a0007.ar.md", "articles/a0007.en.md"]
        assert len({digest for _, digest, _ in found}) == 1200
        assert store.unrendered_bytes() == sum(2 * (10 + i) for i in range(1200))
        # Each page of pages is read by the index on the files' page: without it every query grouped every file
        # after the last page read, quadratic in the archive's pages (7.9 s for 100,000 pages, 0.6 s with it).
        plan = " ".join(str(row) for row in store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT page, group_concat(relative || ' ' || digest, '\n'), sum(size) FROM files"
            " WHERE page > ? GROUP BY page ORDER BY page LIMIT ?", ("", 500)))
        assert "files_page" in plan and "TEMP B-TREE" not in plan
    finally:
        store.close()


def test_part_and_month_digests_keep_their_formula(tmp_path):
    """The digests a published site's search parts and sitemaps were recorded under: a change of formula would
    index every part and write every sitemap again at the next build."""
    import hashlib

    def reference(rows, signature):
        digests = {}
        for group, *values in rows:
            digests.setdefault(group, hashlib.sha256(signature.encode() + b"\n"))
            digests[group].update("\0".join(str(value) for value in values).encode() + b"\n")
        return {group: digest.hexdigest() for group, digest in digests.items()}

    store = PageStore(tmp_path / "pages.sqlite3")
    try:
        pages = [(f"articles/a{i:03d}", f"d{i}") for i in range(300)]
        store.add_files([(f"{page}.{lang}.md", page, f"{digest}{lang}", f"1:{i}:10:5")
                         for i, (page, digest) in enumerate(pages) for lang in ("ar", "en")])
        store.settle_pages()
        store.take_rendered(page for page, _ in pages)
        parts = [(page, None if i % 50 == 0 else f"2018-0{i % 3 + 1}", f"2018-0{i % 4 + 1}",
                  None if i % 7 == 0 else f"2018-01-{i % 28 + 1:02d}") for i, (page, _) in enumerate(pages)]
        store.add_page_parts(parts)
        recorded = dict(store._conn.execute("SELECT page, digest FROM pages"))
        assert store.part_digests("sig") == reference(sorted((part, page, recorded[page])
                                                             for page, part, _, _ in parts if part), "sig")
        assert store.month_digests("sig") == reference(sorted((month, page, date) for page, _, month, date in parts),
                                                       "sig")
    finally:
        store.close()


def test_unrecorded_pages_are_named_as_their_files_say(tmp_path):
    # Pages of recorded docs files that the recorded pages lack: a file PAGE.LANG.md is taken apart in SQL, any other
    # name by the function given; both must name the page as nashra.site.urls.split_docs_file does.
    from nashra.site.urls import split_docs_file

    def page_of(relative: str) -> str:
        return split_docs_file(relative)[0]

    files = ["articles/a.en.md", "articles/a.ar.md", "articles/b.c.ar.md", "stories/s-1.en.md", "index.en.md",
             "archive/2018/05/01.ar.md", "notes.md", "x.fil.md", "articles/.en.md", "weird.EN.md", "recorded.en.md",
             "reopened.ar.md", "left.en.md"]
    store = PageStore(tmp_path / "pages.sqlite3")
    try:
        store._many("INSERT INTO file_stamps VALUES (?, ?, ?)", [(f, "1:2:3:4", "d") for f in files])
        store._many("INSERT INTO pages (page, digest) VALUES (?, ?)", [("recorded", "d")])
        store.note_reopened(["reopened"])
        store.note_left_out(["left"])
        found = store.unrecorded_pages(page_of)
    finally:
        store.close()
    expected = {page_of(f) for f in files} - {"recorded", "reopened", "left"}
    assert sorted(found) == sorted(expected)
    assert {"articles/a", "articles/b.c", "archive/2018/05/01", "", "x", "articles/", "weird"} <= set(found)


def test_records_are_carried_forward_as_they_are_copied_whole_unless_a_journal_lies_beside_them(tmp_path,
                                                                                                monkeypatch):
    import shutil

    previous = tmp_path / "previous.sqlite3"
    store = PageStore(previous)
    try:
        store.add_files([(f"articles/a{i}.{lang}.md", f"articles/a{i}", f"{i}{lang}", f"1:{i}:{10 + i}:5")
                         for i in range(50) for lang in ("en", "ar")])
        store.settle_pages()
        store.take_rendered([f"articles/a{i}" for i in range(50)])
        store.set_meta("site_key", "k")
    finally:
        store.close()
    copied: list[str] = []
    real = shutil.copyfile
    monkeypatch.setattr(shutil, "copyfile", lambda source, target: copied.append(str(source)) or real(source, target))
    rows = []
    for name, journal in (("whole.sqlite3", False), ("paged.sqlite3", True)):
        if journal:  # a write may be under way (or was cut): read through SQLite, which finishes or undoes it
            (tmp_path / "previous.sqlite3-journal").write_bytes(b"")
        carried = PageStore.carried_forward(previous, tmp_path / name)
        try:
            rows.append((list(carried._conn.execute("SELECT * FROM pages ORDER BY page")),
                         carried.get_meta("site_key")))
        finally:
            carried.close()
    assert copied == [str(previous)]
    assert rows[0] == rows[1] and len(rows[0][0]) == 50 and rows[0][1] == "k"


def test_records_carried_forward_name_the_docs_files_they_drop(tmp_path):
    previous = tmp_path / "previous.sqlite3"
    store = PageStore(previous)
    try:
        store.add_files([(f"articles/a{i}.{lang}.md", f"articles/a{i}", f"{i}{lang}", f"1:{i}:{10 + i}:5")
                         for i in range(4) for lang in ("en", "ar")])
        assert store.dropped_since(previous) is None  # new records, not carried forward
    finally:
        store.close()
    carried = PageStore.carried_forward(previous, tmp_path / "new.sqlite3")
    try:
        assert carried.dropped_since(previous) == [] and carried.dropped_since(tmp_path / "other.sqlite3") is None
        kept = tmp_path / "kept.sqlite3"
        import sqlite3

        listing = sqlite3.connect(kept)
        with listing:
            listing.execute("CREATE TABLE kept (relative TEXT PRIMARY KEY, stamp TEXT)")
            listing.executemany("INSERT INTO kept VALUES (?, ?)", [(f"articles/a{i}.{lang}.md", f"1:{i}:{10 + i}:5")
                                                                   for i in (0, 2) for lang in ("en", "ar")])
        listing.close()
        carried.note_kept(kept)
        gone = carried.drop_unlisted()
        assert sorted(gone) == carried.dropped_since(previous) == [
            "articles/a1.ar.md", "articles/a1.en.md", "articles/a3.ar.md", "articles/a3.en.md"]
    finally:
        carried.close()
    # Carried forward again: what the build before dropped is not this one's.
    again = PageStore.carried_forward(tmp_path / "new.sqlite3", tmp_path / "third.sqlite3")
    try:
        assert again.dropped_since(tmp_path / "new.sqlite3") == []
    finally:
        again.close()
