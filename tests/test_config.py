"""nashra init, nashra.toml and how command-line options override it."""

import os
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
    assert settings.summary.sentences == 3 and settings.translation.engine == "transformers" and settings.sources == ["articles"]
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
        ('[summary]\nsummarizer = "gpt"\n', "must be one of learned, newsrank, textrank, lead"),
        ('[site]\nurl = "example.org"\n', "must be empty or an http(s) URL"),
        ('[site]\ncolour = "red"\n', "unknown setting 'site.colour' (known in [site]: description, description_ar, max_files, max_size, name, name_ar, url)"),
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
    assert settings.site.url == "https://example.org/b/"
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
    fetch = settings.fetch
    assert fetch.feeds == [("https://a.example/rss", None), ("https://b.example/feed", "ب")]
    assert (fetch.days, fetch.max_per_feed, fetch.delay) == (3, 20, 0.5)
    defaults = Settings().fetch
    assert (defaults.feeds, defaults.days, defaults.max_per_feed, defaults.delay) == ([], 2, 50, 1.0)


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


# -- config.resolve: one Settings from nashra.toml and the command line ----------------------------

# (nashra.toml text, the setting's key, value the file gives, command-line options, value they give)
EVERY_SETTING = [
    ('sources = ["in"]\n', "sources", ["{root}/in"], ["cli-in"], ["cli-in"]),
    ('output = "out"\n', "output", "{root}/out", ["-o", "cli-out"], "cli-out"),
    ("jobs = 3\n", "jobs", 3, ["-j", "2"], 2),
    ("strict = true\n", "strict", True, ["--no-strict"], False),
    ('[translation]\nmodel = "tc-big"\n', "translation.model", "tc-big", ["--model", "opus-mt"], "opus-mt"),
    ('[translation]\nengine = "ctranslate2"\n', "translation.engine", "ctranslate2", ["--engine", "transformers"], "transformers"),
    ('[translation]\ncompute_type = "float32"\n', "translation.compute_type", "float32", ["--compute-type", "int16"], "int16"),
    ('[translation]\ndevice = "cpu"\n', "translation.device", "cpu", ["--device", "cuda:1"], "cuda:1"),
    ("[translation]\nthreads = 2\n", "translation.threads", 2, ["--threads", "5"], 5),
    ('[translation]\ncache = "c.sqlite3"\n', "translation.cache", "{root}/c.sqlite3", ["--cache", "d.sqlite3"], "d.sqlite3"),
    ("[translation]\ncache = false\n", "translation.cache", False, ["--cache", "d.sqlite3"], "d.sqlite3"),
    ('[translation]\ncache = "c.sqlite3"\n', "translation.cache", "{root}/c.sqlite3", ["--no-cache"], False),
    ("[summary]\nsentences = 5\n", "summary.sentences", 5, ["-n", "1"], 1),
    ('[summary]\nsummarizer = "lead"\n', "summary.summarizer", "lead", ["--summarizer", "textrank"], "textrank"),
    ("[summary]\nwords = 40\n", "summary.words", 40, ["--summary-words", "9"], 9),
    ("[summary]\nindependent = true\n", "summary.independent", True, ["--no-independent-summaries"], False),
    ('[site]\nurl = "https://a.example/b"\n', "site.url", "https://a.example/b/", ["--site-url", "https://c.example"],
     "https://c.example/"),
]


@pytest.fixture
def captured(monkeypatch):
    """The Settings each command function is called with (the command itself does not run)."""
    import nashra.commands.build
    import nashra.commands.fetch
    import nashra.commands.summarize
    import nashra.commands.translate

    calls: dict[str, object] = {}

    class Report:
        skipped = ()

        def having(self, state):
            return []

    def capture(name):
        def run(settings, *args, **kwargs):
            calls[name] = settings
            return Report()
        return run

    monkeypatch.setattr(nashra.commands.build, "build", capture("build"))
    monkeypatch.setattr(nashra.commands.build, "serve", capture("serve"))
    monkeypatch.setattr(nashra.commands.translate, "translate", capture("translate"))
    monkeypatch.setattr(nashra.commands.translate, "evaluate", capture("evaluate"))
    monkeypatch.setattr(nashra.commands.summarize, "summarize", capture("summarize"))
    monkeypatch.setattr(nashra.commands.fetch, "fetch", capture("fetch"))
    return calls


def _expected(value, root):
    if isinstance(value, str):
        return value.replace("{root}", str(root))
    if isinstance(value, list):
        return [_expected(v, root) for v in value]
    return value


@pytest.mark.parametrize("text, attribute, from_file, options, from_options", EVERY_SETTING)
def test_each_setting_of_the_file_takes_effect_and_its_option_overrides_it(
        tmp_path, monkeypatch, captured, text, attribute, from_file, options, from_options):
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NASHRA_MODEL", "NASHRA_ENGINE", "NASHRA_CACHE", "NASHRA_JOBS"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    default = _get(Settings(), attribute)
    assert _get(captured["build"], attribute) == _expected(from_file, tmp_path) != default
    result = CliRunner().invoke(cli, ["build", *options])
    assert result.exit_code == 0, result.output
    assert _get(captured["build"], attribute) == from_options


def _get(settings, key):
    """A setting by its key in nashra.toml (``summary.sentences``)."""
    from nashra.config import declared

    return next(entry for entry in declared() if entry.key == key).get(settings)


def test_every_setting_of_the_file_is_tested_here():
    from nashra.config import declared

    tested = {key for _, key, *_ in EVERY_SETTING}
    tested |= {"serve.dev_addr", "fetch.feeds", "fetch.days", "fetch.max_per_feed", "fetch.delay", "fetch.timeout"}
    tested |= {"site.name", "site.name_ar", "site.description", "site.description_ar", "languages.en", "languages.ar"}
    tested |= {"site.max_size", "site.max_files"}  # tests/site/test_budget.py
    tested |= {"outlets"}  # tests/site/test_outlets.py
    assert {entry.key for entry in declared()} == tested


def test_every_option_is_a_setting_or_an_argument_of_the_one_call():
    """Each option of the commands maps to a key of nashra.toml, but for those only one call means."""
    from nashra.config import declared

    params = {entry.param for entry in declared()} | {f"{entry.param}__off" for entry in declared()}
    per_call = {"config_file", "fmt", "lang", "outlet", "folder", "urls", "file", "source", "reference",
                "name", "name_ar", "no_examples", "ci", "directory", "quantization", "force",
                # translate-archive: how one run uses one cluster
                "cluster", "actors", "cpus_per_actor", "shared_model", "batch_size",
                # how much the command logs
                "verbose", "quiet"}
    for name, command in cli.commands.items():
        if name in ("init", "convert-model"):  # they make a project or a model; they read no settings
            continue
        for param in command.params:
            assert param.name in params or param.name in per_call, (name, param.name)


def test_serve_fetch_translate_and_summarize_read_the_file_too(tmp_path, monkeypatch, captured):
    (tmp_path / CONFIG_NAME).write_text(
        '[translation]\nthreads = 2\n[summary]\nsentences = 4\nwords = 30\n[serve]\ndev_addr = "127.0.0.1:9000"\n'
        '[fetch]\nfeeds = ["https://a.example/rss"]\ndays = 5\nmax_per_feed = 7\ndelay = 0.5\ntimeout = 3\n',
        encoding="utf-8")
    (tmp_path / "a.txt").write_text("مرحبا\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["serve"]).exit_code == 0
    assert captured["serve"].dev_addr == "127.0.0.1:9000" and captured["serve"].summary.sentences == 4
    assert runner.invoke(cli, ["serve", "-a", "0.0.0.0:8001"]).exit_code == 0
    assert captured["serve"].dev_addr == "0.0.0.0:8001"
    assert runner.invoke(cli, ["translate", "a.txt"]).exit_code == 0 and captured["translate"].translation.threads == 2
    assert runner.invoke(cli, ["translate", "a.txt", "--threads", "1"]).exit_code == 0
    assert captured["translate"].translation.threads == 1
    assert runner.invoke(cli, ["evaluate", "a.txt", "a.txt"]).exit_code == 0 and captured["evaluate"].translation.threads == 2
    assert runner.invoke(cli, ["summarize", "a.txt"]).exit_code == 0
    assert (captured["summarize"].summary.sentences, captured["summarize"].summary.words) == (4, 30)
    assert runner.invoke(cli, ["summarize", "a.txt", "-n", "2", "--summary-words", "8"]).exit_code == 0
    assert (captured["summarize"].summary.sentences, captured["summarize"].summary.words) == (2, 8)
    assert runner.invoke(cli, ["fetch"]).exit_code == 0
    fetched = captured["fetch"].fetch
    assert (fetched.days, fetched.max_per_feed, fetched.delay, fetched.timeout) == (5, 7, 0.5, 3.0)
    assert runner.invoke(cli, ["fetch", "--days", "1", "--max-per-feed", "2", "--delay", "0", "--timeout", "9"]).exit_code == 0
    fetched = captured["fetch"].fetch
    assert (fetched.days, fetched.max_per_feed, fetched.delay, fetched.timeout) == (1, 2, 0.0, 9.0)


def test_precedence_option_over_environment_over_file(tmp_path, monkeypatch, captured):
    (tmp_path / CONFIG_NAME).write_text('jobs = 3\n[translation]\nmodel = "tc-big"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NASHRA_JOBS", raising=False)
    monkeypatch.setenv("NASHRA_MODEL", "opus-mt")
    assert CliRunner().invoke(cli, ["build"]).exit_code == 0
    assert (captured["build"].translation.model, captured["build"].site.jobs) == ("opus-mt", 3)
    monkeypatch.setenv("NASHRA_JOBS", "2")
    assert CliRunner().invoke(cli, ["build", "--model", str(tmp_path / "m")]).exit_code == 0
    assert (captured["build"].translation.model, captured["build"].site.jobs) == (str(tmp_path / "m"), 2)


def test_resolve_checks_overrides_as_it_checks_the_file(tmp_path):
    from nashra.config import resolve

    assert resolve(None, {"summary.sentences": 2}).summary.sentences == 2 and resolve(None).root is None
    with pytest.raises(ConfigError, match=re.escape("summary.sentences = 0 must be a whole number")):
        resolve(None, {"summary.sentences": 0})
    with pytest.raises(ConfigError, match="unknown translation engine 'nope'"):
        resolve(None, {"translation.engine": "nope"})
    with pytest.raises(ConfigError, match=re.escape(f"{tmp_path / 'missing.toml'}: no such settings file")):
        resolve(tmp_path / "missing.toml")
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(ConfigError, match=re.escape(f"{tmp_path / 'fifo.toml'}: not a regular file")):
        resolve(tmp_path / "fifo.toml")


@pytest.mark.parametrize(
    "text, message",
    [
        ("jobs = 0\n", "'jobs' = 0 must be a whole number of at least 1"),
        ('strict = "yes"\n', "'strict' = 'yes' must be true or false"),
        ("[translation]\nthreads = 1.5\n", "'translation.threads' = 1.5 must be a whole number"),
        ("[translation]\ncache = 1\n", "'translation.cache' = 1 must be a file name, or false for no cache"),
        ("[translation]\ncache = true\n", "'translation.cache' = True must be a file name, or false"),
        ("[summary]\nwords = -3\n", "'summary.words' = -3 must be a whole number"),
        ('[summary]\nindependent = "no"\n', "'summary.independent' = 'no' must be true or false"),
        ('[serve]\ndev_addr = "localhost"\n', "'serve.dev_addr' = 'localhost' must be HOST:PORT"),
        ("[serve]\nport = 8000\n", "unknown setting 'serve.port' (known in [serve]: dev_addr)"),
        ("[fetch]\ntimeout = 0.5\n", "'fetch.timeout' = 0.5 must be a number of seconds, 1 or more"),
        ("threads = 2\n", "unknown setting 'threads' (known: jobs, output, sources, strict)"),
        ("[translation]\nthreads = 9223372036854775807\n", "must be a whole number from 1 to 1024"),
        ('[translation]\ndevice = "bogus"\n', "'translation.device' = 'bogus' must be auto, cpu, cuda or cuda:N"),
        ('[translation]\ndevice = "cuda:x"\n', "must be auto, cpu, cuda or cuda:N"),
        ('[site]\nname = "a\\u0000b"\n', "'site.name' = 'a\\x00b' must be one line of visible text"),
        ('[site]\nname_ar = "x\\u202e"\n', "'site.name_ar' = 'x\\u202e' must be one line of visible text"),
        ('[site]\ndescription = "a\\nb"\n', "'site.description' = 'a\\nb' must be one line of visible text"),
        ('[languages]\nen = ""\n', "'languages.en' = '' must be one line of visible text"),
        ('output = ""\n', "'output' = '' must be a folder name, not empty"),
        ('[serve]\ndev_addr = "127.0.0.1:99999999"\n', "must be HOST:PORT with a port from 1 to 65535"),
        ('[serve]\ndev_addr = "127.0.0.1:0"\n', "must be HOST:PORT with a port from 1 to 65535"),
        ('[outlets]\nbbc = { en = "BBC\\u0000", ar = "x" }\n', "'outlets.bbc.en' = 'BBC\\x00' must be one line of visible"),
    ],
)
def test_new_settings_are_checked_and_name_file_and_key(tmp_path, monkeypatch, text, message):
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {tmp_path / CONFIG_NAME}: ") and message in result.output


def test_strict_words_and_cache_of_the_file_take_effect_in_a_build(tmp_path, data_dir, tiny_model, monkeypatch):
    """A real build: strict, summary.words and translation.cache of nashra.toml change what happens."""
    import shutil

    (tmp_path / "articles").mkdir()
    shutil.copy(data_dir / "plain.txt", tmp_path / "articles")
    (tmp_path / "articles" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / CONFIG_NAME).write_text(
        f'strict = true\n[translation]\nmodel = "{tiny_model}"\ncache = "cache.sqlite3"\n'
        "[summary]\nsentences = 3\nwords = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1 and "Skipped 1 input" in result.output  # strict = true
    assert (tmp_path / "cache.sqlite3").is_file()  # the cache beside the file
    page = next((tmp_path / "briefing" / "docs" / "articles").glob("*.ar.md")).read_text(encoding="utf-8")
    assert len(_meta(page)["summary_sentences"]) == 1  # a one-word budget keeps the first sentence only
    result = CliRunner().invoke(cli, ["build", "--no-strict", "--summary-words", "1000"])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "briefing" / "docs" / "articles").glob("*.ar.md")).read_text(encoding="utf-8")
    assert len(_meta(page)["summary_sentences"]) == 3


def test_the_file_init_writes_names_every_setting(tmp_path):
    """Every key of nashra.toml is in the file `nashra init` writes, set or commented out with an example."""
    import tomllib

    from nashra.config import declared, template

    text = template("N", "ن")
    uncommented = re.sub(r"(?m)^# (\w+ = |\[outlets\]|\"Example Wire\" = )", r"\1", text)
    data = tomllib.loads(uncommented)
    found = {f"{table}.{key}" for table, value in data.items() if isinstance(value, dict) for key in value}
    found |= {key for key, value in data.items() if not isinstance(value, dict)}
    found |= {table for table, value in data.items() if isinstance(value, dict)}
    assert {entry.key for entry in declared()} <= found
    file = tmp_path / CONFIG_NAME
    file.write_text(uncommented, encoding="utf-8")
    settings = load_settings(file)
    assert (settings.site.jobs, settings.translation.threads, settings.summary.words,
            settings.translation.cache) == (2, 4, 60, "translations.sqlite3")
    assert settings.site.outlets == {"Example Wire": {"en": "Example Wire", "ar": "وكالة المثال"}}
    assert settings.site.name == "N" and settings.site.max_size == 10**9


@pytest.mark.parametrize("option, message", [
    (["--device", "bogus"], "Error: --device (translation.device) = 'bogus' must be auto, cpu, cuda or cuda:N"),
    (["--threads", "9223372036854775807"],
     "Error: --threads (translation.threads) = 9223372036854775807 must be a whole number"),
    (["--device", "cuda:99"], "Error: device 'cuda:99': "),
])
def test_a_device_or_thread_count_the_machine_cannot_have_is_one_line(tmp_path, data_dir, tiny_model, option, message):
    """Before any model is loaded, or, for a GPU the machine lacks, when it is: one line, no traceback."""
    import shutil

    shutil.copy(data_dir / "plain.txt", tmp_path / "plain.txt")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "plain.txt"), "-o", str(tmp_path / "out"), "--model",
                                      str(tiny_model), "--no-cache", *option])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert message in result.output and result.output.count("Error:") == 1, result.output


@pytest.mark.parametrize("data, message", [(b"output = \"\xff\"\n", "not UTF-8 text (byte offset 10); save it as UTF-8"),
                                           ("output = 'o'\n".encode("utf-16"), "not UTF-8 text (byte offset 0); save it as UTF-8")])
def test_a_settings_file_that_is_not_utf8_is_one_line(tmp_path, monkeypatch, data, message):
    (tmp_path / CONFIG_NAME).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1 and result.output == f"Error: {tmp_path / CONFIG_NAME}: {message}\n"


def test_a_settings_file_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / CONFIG_NAME).write_bytes("\ufeffoutput = 'site-out'\n".encode("utf-8"))
    from nashra.config import resolve

    assert resolve(tmp_path / CONFIG_NAME).output == str(tmp_path / "site-out")


@pytest.mark.parametrize("where", ["file", "option"])
def test_an_empty_model_name_names_its_setting(tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text('[translation]\nmodel = " "\n' if where == "file" else "", encoding="utf-8")
    options = ["--model", ""] if where == "option" else []
    result = CliRunner().invoke(cli, ["translate", "-", *options], input="مرحبا\n")
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert "translation.model" in result.output and "not empty" in result.output



def test_a_setting_declared_once_is_in_the_help_the_template_the_checks_and_the_docs(tmp_path, monkeypatch):
    """A new setting is one field of its section: its option, the line of nashra.toml's template, the
    file's and the command line's checks, and the documentation's row are all made from it."""
    import dataclasses

    import click

    from nashra import config, options
    from nashra.cli import _resolve, setting_options
    from nashra.summarize.options import SummaryOptions

    @dataclasses.dataclass(frozen=True)
    class Summary(SummaryOptions):
        quotes: int = options.setting(2, key="quotes", check=options.count, option=("--max-quotes",),
                                      help="Quotations a summary may hold at most.")

    @dataclasses.dataclass
    class Extended(config.Settings):
        summary: Summary = dataclasses.field(default_factory=Summary)

    monkeypatch.setattr(config, "Settings", Extended)
    monkeypatch.chdir(tmp_path)

    @click.command()
    @setting_options("summary.*")
    @click.pass_context
    def command(ctx, **given):
        click.echo(f"quotes={_resolve(ctx, None)[0].summary.quotes}")

    runner = CliRunner()
    help_text = runner.invoke(command, ["--help"]).output
    assert "--max-quotes INTEGER" in help_text and "Setting: summary.quotes. [default: 2]" in help_text
    assert runner.invoke(command, ["--max-quotes", "5"]).output == "quotes=5\n"
    refused = runner.invoke(command, ["--max-quotes", "0"])
    assert isinstance(refused.exception, ConfigError)
    assert str(refused.exception) == "--max-quotes (summary.quotes) = 0 must be a whole number of at least 1"

    text = config.template("N", "ن")
    assert "# Quotations a summary may hold at most.\nquotes = 2\n" in text
    assert text.index("quotes = 2") > text.index("[summary]") and text.index("quotes = 2") < text.index("[site]")
    (tmp_path / CONFIG_NAME).write_text(text.replace("quotes = 2", "quotes = 4"), encoding="utf-8")
    assert load_settings(tmp_path / CONFIG_NAME).summary.quotes == 4
    assert runner.invoke(command, []).output == "quotes=4\n"
    (tmp_path / CONFIG_NAME).write_text('[summary]\nquotes = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("'summary.quotes' = 'many' must be a whole number of at least 1")):
        load_settings(tmp_path / CONFIG_NAME)
    (tmp_path / CONFIG_NAME).write_text('[summary]\nquote = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("(known in [summary]: independent, quotes, sentences")):
        load_settings(tmp_path / CONFIG_NAME)

    assert "| `[summary] quotes` | `--max-quotes` | `2` | Quotations a summary may hold at most. |" in config.settings_table()


def test_the_documentation_table_of_settings_is_the_one_the_declarations_make():
    from nashra.config import settings_table

    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert settings_table() in page, ("docs/configuration.md: replace its table of settings with the output of "
                                      "python -c 'from nashra.config import settings_table; print(settings_table())'")


@pytest.mark.parametrize("args, env, message", [
    (["build", "-n", "0"], {}, "Error: -n/--sentences (summary.sentences) = 0 must be a whole number of at least 1"),
    (["build"], {"NASHRA_JOBS": "0"}, "Error: NASHRA_JOBS (jobs) = 0 must be a whole number of at least 1"),
    (["build", "--engine", "fast"], {}, "Error: --engine: unknown translation engine 'fast' (choose from"),
    (["build"], {"NASHRA_ENGINE": "fast"}, "Error: NASHRA_ENGINE: unknown translation engine 'fast' (choose from"),
    (["serve", "-a", "nohost"], {}, "Error: -a/--dev-addr (serve.dev_addr) = 'nohost' must be HOST:PORT"),
])
def test_a_bad_option_or_environment_variable_is_named_with_the_setting_it_gives(tmp_path, monkeypatch, args, env,
                                                                               message):
    (tmp_path / CONFIG_NAME).write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NASHRA_MODEL", "NASHRA_ENGINE", "NASHRA_CACHE", "NASHRA_JOBS"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output


def test_option_help_says_nothing_of_the_file_only_forms():
    """In nashra.toml a path is relative to the file and ``cache = false`` turns the cache off; on the command
    line a path is relative to the current folder and ``--no-cache`` does: the options' help says the latter."""
    from nashra.config import template

    text = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "relative to nashra.toml" not in text.lower() and "false for none" not in text
    assert "Relative to nashra.toml, or false for none." in template()
