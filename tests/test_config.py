"""nashra init, nashra.toml and how command-line options override it."""

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config import CONFIG_NAME, Settings, load_settings
from nashra.errors import ConfigError

ROOT = Path(__file__).parent.parent


def test_init_scaffolds_a_project(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "proj")])
    assert result.exit_code == 0, result.output
    project = tmp_path / "proj"
    assert (project / CONFIG_NAME).is_file() and (project / "mkdocs.yml").is_file()
    assert sorted(p.name for p in (project / "articles").iterdir()) == sorted(p.name for p in (ROOT / "examples").glob("*.txt"))
    settings = load_settings(project / CONFIG_NAME)
    assert settings.sentences == 3 and settings.engine == "transformers" and settings.sources == ["articles"]
    assert yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["name"] == "material"
    again = CliRunner().invoke(cli, ["init", str(project)])
    assert again.exit_code == 1 and "already has nashra.toml" in again.output


def test_the_repository_examples_are_the_shipped_ones():
    """One copy: the package data; examples/ (the README's folder) is a link to it."""
    assert (ROOT / "examples").is_symlink()
    assert (ROOT / "examples").resolve() == (ROOT / "src" / "nashra" / "example_articles").resolve()


@pytest.mark.parametrize(
    "text, message",
    [
        ('[summary]\nsentences = "three"\n', "'summary.sentences' = 'three' must be a whole number of at least 1"),
        ('[translation]\nengine = "fast"\n', "'translation.engine' = 'fast' must be one of transformers, ctranslate2"),
        ('[summary]\nsummarizer = "gpt"\n', "must be one of newsrank, textrank, lead"),
        ('[site]\nurl = "example.org"\n', "must be empty or an http(s) URL"),
        ('[site]\ncolour = "red"\n', "unknown setting 'site.colour' (known in [site]: description, description_ar, name, name_ar, url)"),
        ('[theme]\nx = 1\n', "unknown section [theme]"),
        ('sentences = 3\n', "unknown setting 'sentences'"),
        ('[summary\n', "not valid TOML"),
    ],
)
def test_invalid_settings_name_file_key_and_allowed_values(tmp_path, text, message):
    file = tmp_path / CONFIG_NAME
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(file)
    assert str(file) in str(info.value) and message in str(info.value)


def test_url_gets_a_trailing_slash_and_paths_are_relative_to_the_file(tmp_path):
    file = tmp_path / CONFIG_NAME
    file.write_text('output = "out"\n[site]\nurl = "https://example.org/b"\n', encoding="utf-8")
    settings = load_settings(file)
    assert settings.site_url == "https://example.org/b/"
    assert settings.path(settings.output) == tmp_path / "out"
    assert Settings().root is None


def test_build_in_a_project_uses_the_file_and_options_override(tmp_path, tiny_model, monkeypatch):
    runner = CliRunner()
    project = tmp_path / "proj"
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    config = project / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    text = text.replace('model = "Helsinki-NLP/opus-mt-ar-en"', f'model = "{tiny_model}"')
    text = text.replace("sentences = 3", "sentences = 2").replace('name = "Nashra briefing"', 'name = "Morning Brief"')
    text = text.replace('url = ""', 'url = "https://example.org/brief/"')
    config.write_text(text, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as handle:
        handle.write("extra_css:\n  - custom.css\ncopyright: Our newsroom\n")
    monkeypatch.chdir(project)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    page = next((project / "briefing" / "docs" / "articles").glob("*.en.md")).read_text(encoding="utf-8")
    assert len(_meta(page)["summary_sentences"]) == 2
    home = (project / "briefing" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Morning Brief" in home and "Our newsroom" in home and "custom.css" in home
    generated = yaml.safe_load((project / "briefing" / "mkdocs.yml").read_text(encoding="utf-8").split("\n", 1)[1])
    assert generated["site_url"] == "https://example.org/brief/"
    # A command-line option wins over the file.
    result = runner.invoke(cli, ["build", "--sentences", "1", "-o", str(tmp_path / "other")])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "other" / "docs" / "articles").glob("*.en.md")).read_text(encoding="utf-8")
    assert len(_meta(page)["summary_sentences"]) == 1


def _meta(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def test_invalid_setting_stops_the_build_with_one_line(tmp_path, monkeypatch):
    (tmp_path / CONFIG_NAME).write_text('[summary]\nsentences = 0\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "'summary.sentences' = 0" in result.output
    assert "Traceback" not in result.output


def test_build_without_sources_outside_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2 and "nashra init" in result.output


def test_fetch_settings_feeds_with_optional_outlets(tmp_path):
    file = tmp_path / CONFIG_NAME
    file.write_text('[fetch]\nfeeds = ["https://a.example/rss", { url = "https://b.example/feed", outlet = "ب" }]\n'
                    'days = 3\nmax_per_feed = 20\ndelay = 0.5\n', encoding="utf-8")
    settings = load_settings(file)
    assert settings.fetch_feeds == [("https://a.example/rss", None), ("https://b.example/feed", "ب")]
    assert (settings.fetch_days, settings.fetch_max_per_feed, settings.fetch_delay) == (3, 20, 0.5)
    defaults = Settings()
    assert (defaults.fetch_feeds, defaults.fetch_days, defaults.fetch_max_per_feed, defaults.fetch_delay) == ([], 2, 50, 1.0)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[fetch]\nfeeds = "https://a.example/rss"\n', "'fetch.feeds'"),
        ('[fetch]\nfeeds = ["a.example/rss"]\n', "not an http(s) URL"),
        ('[fetch]\nfeeds = [{ url = "https://a.example", name = "x" }]\n', "unknown key"),
        ('[fetch]\nfeeds = [{ url = "https://a.example", outlet = "" }]\n', "outlet is not a name"),
        ('[fetch]\ndays = 0\n', "'fetch.days' = 0 must be a whole number of at least 1"),
        ('[fetch]\ndelay = -1\n', "'fetch.delay' = -1 must be a number of seconds"),
    ],
)
def test_invalid_fetch_settings_name_the_key(tmp_path, text, message):
    file = tmp_path / CONFIG_NAME
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(file)
