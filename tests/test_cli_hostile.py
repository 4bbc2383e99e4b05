"""The command line answers hostile or mistaken input with one line."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from click.testing import CliRunner

from nashra.cli import cli


@pytest.mark.parametrize("name", ["Brief\nx = 1", "Tab\there", "Bell\x07", "\u202eevil", "zero\u200bwidth", "", "   ",
                                  "x" * 201, "line\u2028break", "bad\udcff"])
def test_init_refuses_a_name_that_is_not_one_line_of_visible_text(tmp_path, name):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p"), "--name", name])
    assert result.exit_code == 2 and "--name" in result.output, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "p" / "nashra.toml").exists()
    arabic = CliRunner().invoke(cli, ["init", str(tmp_path / "q"), "--name-ar", name])
    assert arabic.exit_code == 2 and "--name-ar" in arabic.output


@pytest.mark.parametrize("name", ['Quote " and \\ backslash', "نشرة الصباح", "A: b # c", "{x}", "'single'"])
def test_init_writes_names_that_read_back_as_given(tmp_path, name):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p"), "--name", name, "--name-ar", name, "--no-examples"])
    assert result.exit_code == 0, result.output
    settings = tomllib.loads((tmp_path / "p" / "nashra.toml").read_text(encoding="utf-8"))
    assert settings["site"]["name"] == name and settings["site"]["name_ar"] == name
    assert yaml.safe_load((tmp_path / "p" / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == name


def test_init_in_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "file" / "p")])
    assert result.exit_code == 1 and result.output.count("Error:") == 1 and "Traceback" not in result.output
    assert str(tmp_path / "file") in result.output


def test_init_leaves_an_articles_folder_with_files_as_it_is(tmp_path, examples_dir):
    """The user's own articles are neither overwritten nor joined by the examples."""
    articles = tmp_path / "p" / "articles"
    articles.mkdir(parents=True)
    same_name = articles / sorted(examples_dir.glob("*.txt"))[0].name
    same_name.write_text("مقالي الخاص.\n", encoding="utf-8")
    (articles / "mine.md").write_text("# عنوان\n\nمقال.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert same_name.read_text(encoding="utf-8") == "مقالي الخاص.\n"
    assert sorted(p.name for p in articles.iterdir()) == sorted([same_name.name, "mine.md"])
    assert "example articles were not copied" in result.output
    assert (tmp_path / "p" / "nashra.toml").is_file()


@pytest.mark.parametrize("name", ["we ird$name;`touch x`", "-dash", "it's"])
def test_init_prints_a_next_step_a_shell_runs_as_shown(tmp_path, monkeypatch, name):
    import shlex

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--no-examples", "--", name])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("Next: "))
    words = shlex.split(line.removeprefix("Next: "))
    assert words[:2] == ["cd", name if not name.startswith("-") else f"./{name}"] and words[2:] == ["&&", "nashra", "build"]


def test_summarize_refuses_more_sentences_than_the_limit_in_one_line(tmp_path):
    from nashra.ingest.stage import MAX_ARTICLE_SENTENCES

    path = tmp_path / "long.txt"
    path.write_text(" ".join(f"جملة قصيرة رقم {i}." for i in range(MAX_ARTICLE_SENTENCES + 1)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", str(path)])
    assert result.exit_code == 1 and result.output.count("Error:") == 1
    assert f"{MAX_ARTICLE_SENTENCES:,}" in result.output and "long.txt" in result.output
