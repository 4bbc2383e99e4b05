"""The commands are plain functions of a Settings object: usable without the command line."""

import json

import yaml

from nashra.commands.build import build
from nashra.commands.summarize import summarize
from nashra.config import resolve


def test_build_takes_everything_from_its_settings(tmp_path, data_dir, tiny_model):
    settings = resolve(None, {"sources": [str(data_dir / "plain.txt")], "output": str(tmp_path / "out"),
                              "translation.model": str(tiny_model), "translation.cache": False,
                              "summary.sentences": 1})
    report = build(settings)
    assert report.articles == 1 and report.site_dir == tmp_path / "out" / "site"
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    page = next((tmp_path / "out" / "docs" / "articles").glob("*.ar.md")).read_text(encoding="utf-8")
    assert len(yaml.safe_load(page.split("---\n")[1])["summary_sentences"]) == 1


def test_summarize_prints_the_settings_number_of_sentences(data_dir, capsys):
    summarize(resolve(None, {"summary.sentences": 2}), str(data_dir / "plain.txt"), "ar", "json")
    assert len(json.loads(capsys.readouterr().out)["sentences"]) == 2
    summarize(resolve(None, {"summary.sentences": 5, "summary.words": 1}), str(data_dir / "plain.txt"), "ar", "json")
    assert len(json.loads(capsys.readouterr().out)["sentences"]) == 1
