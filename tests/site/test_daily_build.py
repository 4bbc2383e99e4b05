"""A daily build of a growing archive redoes what the new day changes and gives the site a fresh build gives.

Articles about recurring events arrive a few days at a time; the second build
adds a day. What it reuses (story groups, story pages, search parts, sitemaps,
input files) must leave the same docs and the same pages as building the whole
archive at once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from samples import FOOTBALL, STRIKE, STRIKE_2

from nashra.pipeline import build_briefing
from nashra.site.options import SiteOptions
from nashra.summarize import get_summarizer

TEXTS = [STRIKE, STRIKE_2, FOOTBALL]


def write_day(folder: Path, day: int) -> None:
    when = date(2018, 3, 1) + timedelta(days=day)
    for k, text in enumerate(TEXTS):
        (folder / f"d{day:03d}-{k}.md").write_text(
            f"---\ntitle: خبر {day} {k}\ndate: {when.isoformat()}T{8 + 3 * k:02d}:00:00+00:00\nsource: S{k}\n---\n\n"
            f"{text}\n", encoding="utf-8")


def articles(tmp_path: Path, days: tuple[int, ...]) -> Path:
    """A folder of the articles of ``days`` (see :func:`write_day`)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for day in days:
        write_day(folder, day)
    return folder


def docs(out: Path) -> dict[str, bytes]:
    root = out / "docs"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def test_a_daily_build_reuses_what_the_new_day_leaves_and_matches_a_fresh_build(tmp_path, dict_translator):
    folder = articles(tmp_path, (0, 1, 2, 8, 9, 16, 17))
    out = tmp_path / "out"
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    story_pages = sorted((out / "docs" / "stories").glob("*.md"))
    inodes = {p.name: os.stat(p).st_ino for p in story_pages}
    assert story_pages
    write_day(folder, 18)
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.translated == 3 and report.search is not None
    kept = [name for name, inode in inodes.items()
            if (out / "docs" / "stories" / name).is_file() and os.stat(out / "docs" / "stories" / name).st_ino == inode]
    assert kept  # the pages of stories completed before the new day are the previous build's files
    assert report.search.reused and report.search.indexed  # the new day's part only, among others
    fresh = tmp_path / "fresh"
    build_briefing([folder], fresh, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert docs(out) == docs(fresh)
    html = {p.relative_to(out / "site").as_posix() for p in (out / "site").rglob("*.html")}
    assert html == {p.relative_to(fresh / "site").as_posix() for p in (fresh / "site").rglob("*.html")}
    for name in ("sitemap.xml", "ar/sitemap.xml", "sitemap-2018-03.xml", "ar/sitemap-2018-03.xml"):
        assert (out / "site" / name).read_bytes() == (fresh / "site" / name).read_bytes(), name


def test_markdown_linked_from_the_published_docs_is_not_read_again(tmp_path, dict_translator):
    folder = articles(tmp_path, (0, 1, 8))
    out = tmp_path / "out"
    first = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1)).pages
    inodes = {p: os.stat(p).st_ino for p in (out / "docs").rglob("*.md")}
    again = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1)).pages
    assert first is not None and again is not None
    # Article pages and completed stories' pages are linked from the published docs: known by their stamps,
    # not read; the pages written anew (home, archive, days, sources, open stories) are read.
    files = list((out / "docs").rglob("*.md"))
    written = [p for p in files if os.stat(p).st_ino != inodes.get(p)]
    assert first.read_files == len(files) and again.read_files == len(written) < len(files)
    # Nor are the archive's days and the outlets' pages written again: only the home page, the archive's
    # index, the sources page and the stories still open.
    assert {p.parent.name for p in written if not p.name.startswith("index.")} <= {"stories"}
    assert {p.name for p in written if p.name.startswith("index.")} == {"index.en.md", "index.ar.md"}
    # An article more on a day already published: that day's page and its outlet's are written, as a fresh
    # build writes them.
    when = date(2018, 3, 2).isoformat()
    (folder / "late.md").write_text(f"---\ntitle: خبر متأخر\ndate: {when}T20:00:00+00:00\nsource: S1\n---\n\n"
                                    f"{TEXTS[2]}\n", encoding="utf-8")
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert "خبر متأخر" in (out / "docs" / "archive" / f"{when}.ar.md").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    build_briefing([folder], fresh, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert docs(out) == docs(fresh)


def test_pages_made_stale_by_a_build_that_did_not_publish_are_written_by_the_next(tmp_path, dict_translator,
                                                                                  monkeypatch):
    import nashra.site.build as site_build
    from nashra.errors import BuildError

    folder = articles(tmp_path, (0, 1, 2))
    out = tmp_path / "out"
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    # An article's text changes (its record is made again) and a day more joins its story; the build that
    # records it fails to publish.
    changed = folder / "d001-0.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace(STRIKE[:20], STRIKE[:20] + " اليوم"),
                       encoding="utf-8")
    write_day(folder, 3)
    twin = tmp_path / "twin"  # the same change, published by one build
    shutil.copytree(out, twin)
    build_briefing([folder], twin, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))

    def broken(*args, **kwargs):
        raise BuildError("MkDocs could not build the site: simulated")

    with monkeypatch.context() as patch:
        patch.setattr(site_build, "build_html", broken)
        try:
            build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
        except BuildError:
            pass
        else:
            raise AssertionError("the build published")
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.translated == 0  # the records were made by the build that failed
    assert docs(out) == docs(twin)


def test_an_article_changed_since_the_last_build_is_listed_anew_on_its_day_and_outlet_pages(tmp_path,
                                                                                          dict_translator):
    folder = articles(tmp_path, (0, 1))
    out = tmp_path / "out"
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    day_page, outlet_page = out / "docs" / "archive" / "2018-03-01.ar.md", out / "docs" / "sources" / "s1.ar.md"
    assert "خبر 0 1" in day_page.read_text(encoding="utf-8") and "خبر 0 1" in outlet_page.read_text(encoding="utf-8")
    path = folder / "d000-1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: خبر 0 1", "title: عنوان آخر"), encoding="utf-8")
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    for page in (day_page, outlet_page):
        text = page.read_text(encoding="utf-8")
        assert "عنوان آخر" in text and "خبر 0 1" not in text, page
    assert "خبر 0 0" in day_page.read_text(encoding="utf-8")


def test_articles_moved_or_rewritten_between_daily_builds_give_the_site_a_fresh_build_gives(tmp_path, dict_translator):
    """An outlet re-dates an article of the last days to the newest day, and rewrites an old one: the daily build
    (which once stopped on 'UNIQUE constraint failed: story_members.article') publishes the docs of a fresh build."""
    folder = articles(tmp_path, (0, 1, 2, 8, 9, 16, 17))
    out = tmp_path / "out"
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    write_day(folder, 18)
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    moved = folder / "d017-0.md"
    moved.write_text(moved.read_text(encoding="utf-8").replace("date: 2018-03-18", "date: 2018-03-19"), encoding="utf-8")
    rewritten = folder / "d001-2.md"
    rewritten.write_text(rewritten.read_text(encoding="utf-8").replace("ميسي", "سواريز"), encoding="utf-8")
    write_day(folder, 19)
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.translated == 5
    fresh = tmp_path / "fresh"
    build_briefing([folder], fresh, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert docs(out) == docs(fresh)


def test_a_story_growing_into_a_new_month_does_not_index_the_month_before_again(tmp_path, dict_translator):
    # Days 28 to 30 are 29 to 31 March 2018, day 31 is 1 April: the stories of March's last days take the
    # new day's articles, so March's article pages say how many other articles their stories have now.
    folder = articles(tmp_path, (28, 29, 30))
    out = tmp_path / "out"
    build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    linked = {p: p.read_text(encoding="utf-8") for p in (out / "site" / "articles").glob("*.html")
              if "nashra-story-link" in p.read_text(encoding="utf-8")}
    write_day(folder, 31)
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.search is not None
    changed = [text for p, text in linked.items() if p.read_text(encoding="utf-8") != text]
    assert any("29 March 2018" in text for text in changed)  # rendered again: its story's link changed
    # March's days are indexed again only where a story's page joined or left them (it lies in its newest
    # article's day: the 30th or 31st here), not where an article's link to its story changed (the 29th).
    assert "2018-04-01" in report.search.indexed
    assert not {"2018-03", "2018-03-29"} & set(report.search.indexed), report.search.indexed
    # A week into April no story of March can grow: March is indexed as one part, once.
    write_day(folder, 38)
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.search is not None and "2018-03" in report.search.indexed
    write_day(folder, 39)
    twin = tmp_path / "twin"  # the same build with every part indexed afresh: the same index
    shutil.copytree(out, twin, symlinks=True)
    with sqlite3.connect(twin / ".nashra" / "pages.sqlite3") as records:
        records.execute("DELETE FROM search_parts")
    report = build_briefing([folder], out, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1))
    assert report.search is not None and "2018-03" in report.search.reused
    assert report.search.indexed == ["2018-04-09"]
    again = build_briefing([folder], twin, dict_translator.impl, get_summarizer(), SiteOptions(jobs=1)).search
    assert again is not None and "2018-03" in again.indexed and not again.reused
    assert _bundle(out) == _bundle(twin)


def _bundle(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "site" / "pagefind").rglob("*")
            if p.is_file()}
