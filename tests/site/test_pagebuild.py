"""The HTML build: MkDocs in parts, unchanged pages reused from the previous site."""

import hashlib
from pathlib import Path

import pytest

from oracles import catalog_of, process
from nashra.state.records import state_dir
from nashra.site import pagebuild
from nashra.site.build import publish
from nashra.site.options import SiteOptions
from nashra.site.pagebuild import split_docs_file
from nashra.site.urls import page_of_location
from nashra.summarize import get_summarizer
from nashra.summarize.options import SummaryOptions

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def items(data_dir, dict_translator):
    return process([data_dir / "article.md", data_dir / "plain.txt", data_dir / "trec.txt"], dict_translator.impl,
                   get_summarizer())[0]


def test_paths_and_search_locations():
    assert split_docs_file("articles/x-1.ar.md") == ("articles/x-1", "ar")
    assert split_docs_file("index.en.md") == ("index", "en")
    assert page_of_location("ar/articles/x.html#_2") == "articles/x"
    assert page_of_location("archive/2024-03-05.html") == "archive/2024-03-05"
    assert page_of_location("index.html") == "index"


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_site_rendered_in_parts_equals_one_rendered_at_once(tmp_path, items, monkeypatch, jobs):
    whole = publish(catalog_of(items), tmp_path / "whole").pages
    monkeypatch.setattr(pagebuild, "PART_FILES", 2)  # one page (both languages) per MkDocs run, each in a process
    parts = publish(catalog_of(items), tmp_path / "parts", SiteOptions(jobs=jobs)).pages
    assert whole.parts == 1 and parts.parts > 3
    pages = [path for path in snapshot(tmp_path / "whole" / "docs") if path.endswith(".md")]  # not the assets
    assert whole.rendered == parts.rendered == len(pages)
    assert snapshot(tmp_path / "parts" / "site") == snapshot(tmp_path / "whole" / "site")
    # The 404 page offers the home page of each language (not the last page rendered).
    missing = (tmp_path / "parts" / "site" / "404.html").read_text(encoding="utf-8")
    assert 'href="/index.html" hreflang="en"' in missing and 'href="/ar/index.html" hreflang="ar"' in missing
    # One search bundle for the whole site, the same however the pages were rendered (compared above).
    assert (tmp_path / "parts" / "site" / "pagefind" / "pagefind.js").is_file()


def test_parts_are_bounded_by_their_markdown_bytes_too(tmp_path, items, monkeypatch):
    whole = publish(catalog_of(items), tmp_path / "whole").pages
    sizes = sorted((p.stat().st_size for p in (tmp_path / "whole" / "docs").rglob("*.md")), reverse=True)
    # A part of at most the largest page (both languages) in bytes: as many parts as pages, in 2 processes.
    monkeypatch.setattr(pagebuild, "PART_BYTES", sizes[0] + sizes[1])
    parts = publish(catalog_of(items), tmp_path / "parts", SiteOptions(jobs=2)).pages
    assert whole.parts == 1 and parts.parts > 3 and parts.rendered == whole.rendered
    assert snapshot(tmp_path / "parts" / "site") == snapshot(tmp_path / "whole" / "site")


def test_a_part_failing_in_its_process_fails_the_build_and_keeps_the_site(tmp_path, items, monkeypatch):
    from nashra.errors import BuildError

    out = tmp_path / "out"
    publish(catalog_of(items), out)
    before = snapshot(out / "site"), snapshot(out / "docs")
    monkeypatch.setattr(pagebuild, "PART_FILES", 2)
    broken = SiteOptions(jobs=2, mkdocs={"theme": {"custom_dir": str(tmp_path / "no-such-folder")}})
    with pytest.raises(BuildError, match="MkDocs refused a setting .*custom_dir"):
        publish(catalog_of(items), out, broken)
    assert (snapshot(out / "site"), snapshot(out / "docs")) == before
    assert not list(out.glob(".nashra-staging-*"))


def test_default_jobs_is_bounded():
    assert 1 <= pagebuild.default_jobs() <= 4


def test_a_new_article_renders_only_the_pages_it_changes(tmp_path, items):
    out = tmp_path / "out"
    first = publish(catalog_of(items[:-1]), out).pages
    added = publish(catalog_of(items), out).pages
    # The new article's pages, its day's archive page (a day of its own) and its outlet's page (an outlet of
    # its own), and the home, archive and sources pages (always rendered), each in both languages; every
    # other page of the first build reused.
    assert items[-1].article.source == "Example News"
    assert added.rendered == 2 + 2 + 2 + 6
    assert added.reused == first.rendered - 6
    publish(catalog_of(items), tmp_path / "fresh")
    assert snapshot(out / "site") == snapshot(tmp_path / "fresh" / "site")  # as if built from scratch
    again = publish(catalog_of(items), out).pages
    assert again.rendered == 6  # home, archive and sources in both languages: nothing else changed


def test_page_records_of_an_older_build_with_search_entries_still_serve(tmp_path, items):
    import sqlite3

    out = tmp_path / "out"
    first = publish(catalog_of(items), out).pages
    records = state_dir(out) / pagebuild.PAGES_DB
    # Records from before search moved to Pagefind had each page's search entries in a third column (and, as
    # every version's before the records were carried forward, no layout).
    conn = sqlite3.connect(records)
    with conn:
        conn.execute("ALTER TABLE pages ADD COLUMN entries TEXT")
        conn.execute("UPDATE pages SET entries = '[]'")
        conn.execute("DELETE FROM meta WHERE key = ?", (pagebuild.LAYOUT_KEY,))
    conn.close()
    again = publish(catalog_of(items), out).pages
    assert again.rendered == 6 and again.reused == first.rendered - 6  # only home, archive and sources
    conn = sqlite3.connect(state_dir(out) / pagebuild.PAGES_DB)
    assert [row[1] for row in conn.execute("PRAGMA table_info(pages)")] == ["page", "digest", "search"]
    conn.close()


def test_a_configuration_change_renders_every_page(tmp_path, items):
    out = tmp_path / "out"
    first = publish(catalog_of(items), out).pages
    changed = publish(catalog_of(items), out, SiteOptions(name="Another name")).pages
    assert changed.reused == 0 and changed.rendered == first.rendered
    assert "Another name" in (out / "site" / "articles" / f"{items[0].article.id}.html").read_text(encoding="utf-8")


def test_pages_left_from_a_killed_build_cost_a_full_render_not_a_wrong_page(tmp_path, items):
    out = tmp_path / "out"
    publish(catalog_of(items), out)
    (state_dir(out) / pagebuild.PAGES_DB).unlink()  # as after a crash between the swaps
    assert publish(catalog_of(items), out).pages.reused == 0


def test_unchanged_article_markdown_is_linked_and_equals_a_fresh_render(tmp_path, data_dir, dict_translator,
                                                                         monkeypatch):
    import shutil

    from nashra.errors import BuildError
    from nashra.pipeline import build_briefing

    sources = tmp_path / "in"
    sources.mkdir()
    for name in ("article.md", "plain.txt", "trec.txt"):
        shutil.copy(data_dir / name, sources / name)

    def build(out, **settings):
        return build_briefing([sources], out, dict_translator.impl, get_summarizer(), **settings)

    def inodes(out):
        return {p.name: p.stat().st_ino for p in (out / "docs" / "articles").iterdir()}

    out = tmp_path / "out"
    build(out)
    first = inodes(out)
    edited = sources / "plain.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nوأضاف المتحدث أن العمل سيستمر.\n", encoding="utf-8")
    build(out)
    again = inodes(out)
    changed = {name for name in again if again[name] != first.get(name)}
    plain = {name for name in again if name.startswith(load_id(edited))}
    assert changed == plain and len(plain) == 2  # only the edited article's two pages were rendered
    build(tmp_path / "fresh")
    assert snapshot(out / "docs") == snapshot(tmp_path / "fresh" / "docs")

    # A build that fails after writing its pages records nothing: the next one renders what changed.
    edited.write_text(edited.read_text(encoding="utf-8") + "\nوتابع أن الخطة ستعلن غدا.\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise BuildError("MkDocs could not build the site: simulated")

    with monkeypatch.context() as patch:
        patch.setattr(pagebuild, "run_mkdocs", broken)
        with pytest.raises(BuildError):
            build(out)
    build(out, summary=SummaryOptions(sentences=2))  # a summary setting changes every article page
    assert not set(inodes(out).values()) & set(again.values())
    shutil.rmtree(tmp_path / "fresh")
    build(tmp_path / "fresh", summary=SummaryOptions(sentences=2))
    assert snapshot(out / "docs") == snapshot(tmp_path / "fresh" / "docs")


def load_id(path):
    from nashra.ingest.stage import load

    return load([path]).articles[0].id


def test_regular_files_are_told_from_their_folders_listings(tmp_path):
    from nashra.site.pagebuild import RegularFiles

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.html").write_text("x")
    (tmp_path / "a" / "b" / "y.html").write_text("y")
    (tmp_path / "top.html").write_text("t")
    (tmp_path / "a" / "folder.html").mkdir()
    (tmp_path / "a" / "link.html").symlink_to(tmp_path / "top.html")
    (tmp_path / "a" / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    regular = RegularFiles(tmp_path)
    regular.FOLDERS = 1  # listings dropped and made again as folders alternate
    assert regular.all(["a/x.html", "a/b/y.html", "top.html", "a/link.html", "a/x.html"])
    for files in (["a/x.html", "a/missing.html"], ["a/folder.html"], ["a/dangling.html"], ["nowhere/x.html"],
                  ["a/b"]):
        assert not regular.all(files), files
    assert regular.all([])
