"""A site over its size budget gives its oldest articles' pages up for compact entries, and never passes it."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from test_daily_build import articles, write_day

from nashra.config import load_settings
from nashra.errors import BuildError, ConfigError
from nashra.pipeline import build_briefing
from nashra.site.inplace import Kept
from nashra.site.budget import TARGET, Budget, SiteSize, format_size, measure, parse_size
from nashra.site.build import Published
from nashra.site.options import SiteOptions
from nashra.summarize import get_summarizer

DAYS = (0, 1, 2, 8, 9, 16, 17)


@pytest.mark.parametrize(("text", "size"), [(0, 0), (1234, 1234), ("1 GB", 10**9), ("500MB", 5 * 10**8),
                                            ("2 GiB", 2 * 1024**3), ("1.5 gb", 15 * 10**8), ("0", 0)])
def test_sizes_are_read_with_their_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "big", "-1", -5, True, "1 GX", "1e9", [1]])
def test_a_size_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="must be a size"):
        parse_size(text) if not (isinstance(text, int) and not isinstance(text, bool) and text < 0) else \
            parse_size(str(text))


def test_the_budget_is_a_setting_of_the_site_table(tmp_path):
    config = tmp_path / "nashra.toml"
    config.write_text('[site]\nmax_size = "800 MB"\nmax_files = 200000\n', encoding="utf-8")
    settings = load_settings(config)
    assert (settings.site.max_size, settings.site.max_files) == (800 * 10**6, 200_000)
    assert load_settings(None).site.max_size == 10**9  # GitHub Pages' limit by default
    config.write_text('[site]\nmax_size = "a lot"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nashra\.toml.*site\.max_size.*must be a size"):
        load_settings(config)


def _build(folder: Path, out: Path, translator, budget: Budget | None = None):
    budget = budget or Budget(0, 0)
    options = SiteOptions(jobs=1, max_size=budget.max_bytes, max_files=budget.max_files)
    return build_briefing([folder], out, translator.impl, get_summarizer(), options)


def _links_resolve(site: Path) -> int:
    """Every relative link and its fragment lead to a file and an element of it; return how many fragments."""
    ids: dict[Path, set[str]] = {}
    fragments = 0
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # absolute links, for a host to serve at any address
            continue
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', text):
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / path).resolve()
            assert target.exists(), (page, href)
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text(encoding="utf-8")))
                assert fragment in ids[target], (page, href)
                fragments += 1
    return fragments


@pytest.fixture
def archive(tmp_path) -> Path:
    return articles(tmp_path, DAYS)


def test_a_site_over_its_budget_keeps_its_oldest_articles_as_compact_entries(archive, tmp_path, dict_translator,
                                                                            caplog):
    out = tmp_path / "out"
    whole = _build(archive, out, dict_translator).published
    assert whole is not None and whole.compact_before is None and whole.size == measure(out / "site")
    budget = Budget(int(whole.size.bytes * 0.9), 0)
    with caplog.at_level(logging.WARNING, logger="nashra.site.build"):
        published = _build(archive, out, dict_translator, budget).published
    assert published is not None and published.compact_before is not None
    assert "over its budget" in caplog.text
    site, docs, cutoff = out / "site", out / "docs", published.compact_before.isoformat()
    size = measure(site)
    assert size == published.size and size.bytes <= budget.max_bytes
    # The oldest days' articles lost their pages (both languages) and kept their Markdown.
    old = sorted(p for p in (docs / "archive").glob("*.en.md") if p.name[:10] < cutoff)
    assert old and published.compact_articles == 3 * len(old)
    gone = [re.search(r'id="a-([^"]+)"', line).group(1)
            for day in old for line in day.read_text(encoding="utf-8").splitlines() if 'class="nashra-entry nashra-compact"' in line]
    assert len(gone) == published.compact_articles
    for article_id in gone:
        assert not (site / "articles" / f"{article_id}.html").exists()
        assert not (site / "ar" / "articles" / f"{article_id}.html").exists()
        assert (docs / "articles" / f"{article_id}.en.md").is_file() and (docs / "articles" / f"{article_id}.ar.md").is_file()
    # Their day pages list them in full: titles, summaries in both languages, in each language's page.
    for lang, root in (("en", site), ("ar", site / "ar")):
        day = (root / "archive" / f"{old[0].name[:10]}.html").read_text(encoding="utf-8")
        assert day.count('class="nashra-entry nashra-compact"') == 3
        assert day.count('class="nashra-compact-summary" lang="en" dir="ltr"') == 3
        assert day.count('class="nashra-compact-summary" lang="ar" dir="rtl"') == 3
    # Newer articles keep their pages; every link, to a page or to an entry, resolves.
    assert any((site / "articles").glob("*.html"))
    assert _links_resolve(site) > 0
    for sitemap in site.rglob("sitemap*.xml"):
        assert not any(article_id in sitemap.read_text(encoding="utf-8") for article_id in gone)


def _over_budget(archive: Path, out: Path, translator) -> tuple[Budget, Published]:  # noqa: ANN001
    """A whole build, then one with a budget of 90% of its size: the budget and what that build published (its
    oldest articles compact entries)."""
    whole = _build(archive, out, translator).published
    assert whole is not None
    budget = Budget(int(whole.size.bytes * 0.9), 0)
    first = _build(archive, out, translator, budget).published
    assert first is not None and first.compact_before is not None
    return budget, first


def test_a_day_more_moves_the_cutoff_forward_and_stays_within_the_budget(archive, tmp_path, dict_translator):
    out = tmp_path / "out"
    budget, first = _over_budget(archive, out, dict_translator)
    write_day(archive, 18)
    again = _build(archive, out, dict_translator, budget).published
    assert again is not None and again.compact_before is not None
    assert again.compact_before >= first.compact_before and measure(out / "site").bytes <= budget.max_bytes
    # The same budget, nothing new: the cutoff stays and no article, story or day page is rendered.
    same = _build(archive, out, dict_translator, budget)
    assert same.published is not None and same.published.compact_before == again.compact_before
    assert same.pages is not None and same.pages.rendered == 6  # home, archive and sources, as in every build
    # A budget raised back to no limit gives every article its pages again.
    free = _build(archive, out, dict_translator).published
    assert free is not None and free.compact_before is None and free.compact_articles == 0
    assert _links_resolve(out / "site") == 0


def _recorded_docs(out: Path) -> set[str]:
    conn = sqlite3.connect(out / ".nashra" / "pages.sqlite3")
    try:
        return {relative for (relative,) in conn.execute("SELECT relative FROM file_stamps")}
    finally:
        conn.close()


@pytest.mark.parametrize("carried", [True, False], ids=["records carried forward", "records made anew"])
def test_the_docs_of_unchanged_articles_that_gave_way_are_kept_without_being_listed(archive, tmp_path,
                                                                                   dict_translator, monkeypatch,
                                                                                   carried):
    out = tmp_path / "out"
    budget, first = _over_budget(archive, out, dict_translator)
    docs, site = out / "docs", out / "site"
    compact = sorted(p.relative_to(docs).as_posix() for p in (docs / "articles").glob("*.md")
                     if not (site / "articles" / f"{p.name.split('.')[0]}.html").exists())
    assert compact and all(name in _recorded_docs(out) for name in compact)
    compact_stories = sorted(p.relative_to(docs).as_posix() for p in (docs / "stories").glob("*.md")
                             if not (site / "stories" / f"{p.name.split('.')[0]}.html").exists())
    assert compact_stories and all(name in _recorded_docs(out) for name in compact_stories)
    before = {name: (docs / name).read_bytes() for name in (p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))}
    listed: list[str] = []
    keep = Kept.keep

    def spy(self, files):  # noqa: ANN001, ANN202
        listed.extend(files)
        return keep(self, files)

    monkeypatch.setattr(Kept, "keep", spy)
    if not carried:  # as after an upgrade of the renderers: the page records are made anew from the docs
        monkeypatch.setattr("nashra.site.pagebuild._carries_forward", lambda *_: False)
    again = _build(archive, out, dict_translator, budget)
    assert again.published is not None and again.published.compact_before == first.compact_before
    # The articles that gave way were not listed (nor looked at), but those of the newest day the stories are
    # grouped again from (their pages' records marked for a check): their docs stay as they were, recorded.
    conn = sqlite3.connect(out / ".nashra" / "records.sqlite3")
    days = dict(conn.execute("SELECT id, day FROM records").fetchall())
    conn.close()
    newest = max(days[name.split("/")[1].split(".")[0]] for name in compact)
    looked_at = {name for name in compact if name in set(listed)}
    assert listed and len(looked_at) < len(compact)
    assert all(days[name.split("/")[1].split(".")[0]] == newest for name in looked_at)
    # So were the stories that gave way, their pages made under this build's key.
    assert not set(listed) & set(compact_stories)
    recorded = _recorded_docs(out)
    for name in compact + compact_stories:
        assert (docs / name).read_bytes() == before[name] and name in recorded
    # Every docs file of the build before is still there, and every page comes back when the budget is lifted.
    assert all((docs / name).is_file() for name in before)
    monkeypatch.undo()
    free = _build(archive, out, dict_translator).published
    assert free is not None and free.compact_before is None and free.compact_articles == 0
    for name in compact:
        page = name.split("/")[-1].split(".")[0]
        lang = name.split(".")[-2]
        assert (site / ("" if lang == "en" else "ar") / "articles" / f"{page}.html").is_file()
    assert _links_resolve(site) == 0


def test_a_budget_no_archive_can_fit_stops_the_build_and_keeps_the_previous_site(archive, tmp_path, dict_translator):
    out = tmp_path / "out"
    _build(archive, out, dict_translator)
    before = {p.relative_to(out / "site"): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()}
    write_day(archive, 18)
    with pytest.raises(BuildError, match=r"over its budget of 1\.0 MB .*previous site is unchanged"):
        _build(archive, out, dict_translator, Budget(10**6, 0))
    after = {p.relative_to(out / "site"): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".nashra-staging-*"))


def test_a_file_budget_counts_files(archive, tmp_path, dict_translator):
    out = tmp_path / "out"
    whole = _build(archive, out, dict_translator).published
    assert whole is not None
    budget = Budget(0, int(whole.size.files * 0.8))
    published = _build(archive, out, dict_translator, budget).published
    assert published is not None and published.compact_before is not None
    assert measure(out / "site").files <= budget.max_files


def test_a_site_near_its_budget_is_told_so(archive, tmp_path, dict_translator, caplog):
    out = tmp_path / "out"
    whole = _build(archive, out, dict_translator).published
    assert whole is not None
    with caplog.at_level(logging.WARNING, logger="nashra.site.build"):
        published = _build(archive, out, dict_translator, Budget(int(whole.size.bytes / 0.85), 0)).published
    assert published is not None and published.compact_before is None
    assert "85% of its budget" in caplog.text


def test_the_closing_summary_names_size_budget_and_compact_articles():
    from datetime import date

    from nashra.commands.build import _size_summary
    from nashra.site.build import Published

    line = _size_summary(Published(Path("d"), Path("s"), None, None, SiteSize(900_000_000, 41_000),  # type: ignore[arg-type]
                                   Budget(10**9, 0), date(2018, 3, 1), 1234))
    assert line == ("Size: 900 MB in 41,000 files, 90% of the budget (1.0 GB). Compact archive: 1,234 articles before"
                    " 2018-03-01 listed on the archive's day pages, their pages given up to the budget.")
    assert format_size(int(TARGET * 10**9)) == "900 MB"


def test_a_story_across_the_cutoff_keeps_its_page_and_links_its_older_articles_to_their_entries(
        archive, tmp_path, dict_translator, monkeypatch):
    import nashra.site.build as site_build

    out = tmp_path / "out"
    whole = _build(archive, out, dict_translator).published
    assert whole is not None
    spanning = [p for p in (out / "docs" / "stories").glob("*.en.md")
                if "1 March 2018" in p.read_text(encoding="utf-8") and "2 March 2018" in p.read_text(encoding="utf-8")]
    assert spanning  # a story of articles of 1 and 2 March
    monkeypatch.setattr(site_build, "_cutoff_for", lambda *args: date(2018, 3, 2))
    published = _build(archive, out, dict_translator, Budget(whole.size.bytes - 1, 0)).published
    assert published is not None and published.compact_before == date(2018, 3, 2)
    for page in spanning:
        html = out / "site" / "stories" / page.name.replace(".en.md", ".html")
        assert html.is_file() and "../archive/2018-03-01.html#a-" in html.read_text(encoding="utf-8")
    assert _links_resolve(out / "site") > 0
