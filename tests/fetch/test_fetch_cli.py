"""nashra fetch on the command line, then nashra build: the briefing names each article's outlet, date and URL."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
import yaml
from click.testing import CliRunner

from nashra.cli import cli


def project(tmp_path, feeds: str):
    folder = tmp_path / "proj"
    result = CliRunner().invoke(cli, ["init", str(folder), "--no-examples"])
    assert result.exit_code == 0, result.output
    toml = folder / "nashra.toml"
    text = toml.read_text(encoding="utf-8").replace("feeds = []", feeds).replace("delay = 1.0", "delay = 0")
    toml.write_text(text, encoding="utf-8")
    return folder


def test_fetch_reads_the_feeds_of_nashra_toml_and_reports_each_problem(news_site, tmp_path, monkeypatch):
    folder = project(tmp_path, f'feeds = [{{ url = "{news_site.base}/feed.xml", outlet = "وكالة المثال" }}]')
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["fetch"])
    assert result.exit_code == 0, result.output
    assert "Fetched 3 new articles into" in result.output and "1 failed, 1 deferred" in result.output
    assert re.search(r"skipped: \S+/private/secret.html: robots.txt forbids it", result.output)
    assert re.search(r"failed: \S+/news/broken.html: HTTP 500", result.output)
    assert len(list((folder / "articles").glob("*.md"))) == 3
    again = CliRunner().invoke(cli, ["fetch", "--strict"])
    assert "Fetched 0 new articles" in again.output and again.exit_code == 1  # broken.html failed again


def test_fetch_without_feeds_or_urls_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["fetch"])
    assert result.exit_code == 2 and "give feed or page URLs" in result.output


def test_an_invalid_feed_setting_names_the_key(tmp_path):
    folder = project(tmp_path, 'feeds = [{ url = "ftp://x", outlet = "x" }]')
    result = CliRunner().invoke(cli, ["fetch", "--config", str(folder / "nashra.toml")])
    assert result.exit_code == 1 and "'fetch.feeds'" in result.output and "not an http(s) URL" in result.output


@pytest.mark.slow
def test_fetch_then_build_gives_pages_naming_outlet_date_and_original_url(news_site, tmp_path, monkeypatch, tiny_model):
    folder = project(tmp_path, f'feeds = [{{ url = "{news_site.base}/feed.xml", outlet = "وكالة المثال" }}]')
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(cli, ["fetch"]).exit_code == 0
    result = CliRunner().invoke(cli, ["build", "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "Built 3 articles" in result.output
    fetched = {}
    for path in (folder / "articles").glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        fetched[meta["url"]] = meta
    pages = list((folder / "briefing" / "docs" / "articles").glob("*.en.md"))
    assert len(pages) == 3
    for page in pages:
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
        original = fetched[meta["url"]]
        assert meta["source"] == "وكالة المثال"
        assert datetime.fromisoformat(str(meta["date"])) == datetime.fromisoformat(original["date"])
        site_page = folder / "briefing" / "site" / "articles" / (page.name[: -len(".en.md")] + ".html")
        text = html.unescape(site_page.read_text(encoding="utf-8"))
        assert "وكالة المثال" in text and f'href="{meta["url"]}"' in text
        assert datetime.fromisoformat(original["date"]).strftime("%Y") in text


def test_without_the_fetch_extra_it_says_what_to_install(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "trafilatura", None)
    result = CliRunner().invoke(cli, ["fetch", "https://example.org/rss"])
    assert result.exit_code == 1 and "pip install 'nashra[fetch]'" in result.output


def test_a_folder_holding_only_the_fetch_record_is_read_as_articles(tmp_path):
    """fetch keeps its record in the articles' .nashra/; only a build's records mark an output folder."""
    from nashra.ingest.files import is_output_folder

    articles = tmp_path / "articles"
    (articles / ".nashra").mkdir(parents=True)
    (articles / ".nashra" / "fetch.sqlite3").write_bytes(b"")
    assert not is_output_folder(articles)
    (articles / ".nashra" / "records.sqlite3").write_bytes(b"")
    assert is_output_folder(articles)



@pytest.mark.parametrize("where", ["article", "record"])
def test_a_full_disk_while_fetching_is_one_line_and_keeps_what_was_saved(news_site, tmp_path, where, monkeypatch):
    import errno
    import sqlite3
    from pathlib import Path

    import nashra.fetch.record as record

    folder = tmp_path / "articles"
    saved: list[str] = []
    write_text, mark = Path.write_text, record.FetchRecord.mark

    def article_full(self: Path, *args, **kwargs):  # the second article's text meets a full disk, half written
        if not self.name.endswith(".md.tmp"):
            return write_text(self, *args, **kwargs)
        if saved:
            write_text(self, "---\ntitle: half", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        saved.append(self.name)
        return write_text(self, *args, **kwargs)

    def record_full(self, url, state, *args, **kwargs):  # the record cannot note the second article saved
        if state == "saved":
            if saved and url not in saved:
                raise sqlite3.OperationalError("database or disk is full")
            saved.append(url)
        return mark(self, url, state, *args, **kwargs)

    if where == "article":
        monkeypatch.setattr(Path, "write_text", article_full)
    else:
        monkeypatch.setattr(record.FetchRecord, "mark", record_full)
    result = CliRunner().invoke(cli, ["fetch", f"{news_site.base}/feed.xml", "-o", str(folder), "--delay", "0"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, sqlite3.Error | OSError)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and ("No space left" in errors[0] or "full" in errors[0]), result.output
    assert str(folder) in errors[0] and "free some disk space" in errors[0], errors
    kept = sorted(p.name for p in folder.glob("*.md"))
    assert sorted(p.name for p in folder.iterdir() if p.name != ".nashra") == kept  # no half-written file left
    assert len(kept) == (1 if where == "article" else 2)  # what was saved before the disk was full is kept


def test_a_fetch_stopped_halfway_through_a_feed_fetches_the_rest_of_it_next_time(news_site, tmp_path, monkeypatch):
    """The feed's ETag is kept only once its entries were all handled: else the next fetch's conditional
    request is answered 304 and the entries not reached are never fetched."""
    import nashra.fetch.run as run

    folder = tmp_path / "articles"
    write_article = run.write_article
    written: list[object] = []

    def stopped_at_the_second(*args, **kwargs):  # Ctrl-C, a kill or a crash after the first article
        if written:
            raise KeyboardInterrupt
        written.append(write_article(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(run, "write_article", stopped_at_the_second)
    first = CliRunner().invoke(cli, ["fetch", f"{news_site.base}/feed.xml", "-o", str(folder), "--delay", "0"])
    assert first.exit_code == 130 and len(list(folder.glob("*.md"))) == 1, first.output
    monkeypatch.undo()
    again = CliRunner().invoke(cli, ["fetch", f"{news_site.base}/feed.xml", "-o", str(folder), "--delay", "0"])
    assert again.exit_code == 0, again.output
    assert "feeds unchanged" not in again.output and len(list(folder.glob("*.md"))) == 3, again.output
    finished = CliRunner().invoke(cli, ["fetch", f"{news_site.base}/feed.xml", "-o", str(folder), "--delay", "0"])
    assert "1 feeds unchanged" in finished.output or "feed unchanged" in finished.output, finished.output
