"""Failures a user can cause or meet while building: one line naming the path, non-zero exit, old site kept."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli

pytestmark = pytest.mark.slow


def build(*args: str, cwd: Path | None = None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, ["build", *args])


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.fixture
def sources(tmp_path: Path, examples_dir: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(examples_dir.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def articles_built(result) -> str:
    return next(line for line in result.output.splitlines() if line.startswith("Built "))


def test_an_output_folder_equal_to_the_sources_is_refused(sources, tiny_model):
    line = one_line_error(build(str(sources), "-o", str(sources), "--model", str(tiny_model)))
    assert str(sources) in line and "output" in line
    assert not (sources / "site").exists()


def test_an_output_folder_inside_the_sources_is_never_read_back(sources, tiny_model, tmp_path):
    args = [str(sources), "-o", str(sources / "briefing"), "--model", str(tiny_model), "--cache", str(tmp_path / "c.db")]
    first, second = build(*args), build(*args)
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert articles_built(first).startswith("Built 2 articles") and articles_built(second).startswith("Built 2 articles")
    assert "Skipped" not in second.output


def test_build_dot_with_the_default_output(sources, tiny_model, tmp_path, monkeypatch):
    args = [".", "--model", str(tiny_model), "--cache", str(tmp_path / "c.db")]
    first = build(*args, cwd=sources, monkeypatch=monkeypatch)
    second = build(*args, cwd=sources, monkeypatch=monkeypatch)
    assert (sources / "briefing" / "site" / "index.html").is_file()
    assert articles_built(second).startswith("Built 2 articles") and "Skipped" not in second.output, second.output
    assert articles_built(first) and first.exit_code == 0


def test_another_nashra_output_given_as_a_source_is_left_out_with_a_line(sources, tiny_model, tmp_path):
    cache = str(tmp_path / "c.db")
    assert build(str(sources), "-o", str(tmp_path / "old"), "--model", str(tiny_model), "--cache", cache).exit_code == 0
    result = build(str(sources), str(tmp_path / "old"), "-o", str(tmp_path / "new"), "--model", str(tiny_model),
                   "--cache", cache)
    assert result.exit_code == 0 and articles_built(result).startswith("Built 2 articles"), result.output
    assert "Skipped 1 input:" in result.output and "Nashra output folder" in result.output


def test_an_unwritable_output_folder_is_one_line(sources, tiny_model, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for output in ("/proc/nashra-out", str(blocker / "out")):
        line = one_line_error(build(str(sources), "-o", output, "--model", str(tiny_model), "--cache",
                                    str(tmp_path / "c.db")))
        assert output in line or str(Path(output).parent) in line, line


def test_a_full_disk_keeps_the_old_site_and_is_one_line(sources, tiny_model, tmp_path, monkeypatch):
    out = tmp_path / "out"
    args = [str(sources), "-o", str(out), "--model", str(tiny_model), "--cache", str(tmp_path / "c.db")]
    assert build(*args).exit_code == 0
    old_home = (out / "site" / "index.html").read_bytes()
    (sources / "000_b82a5ffee5f3a278.txt").write_text("خبر جديد عن الطقس في المدينة اليوم.", encoding="utf-8")

    import nashra.site.build as site_build

    def full(target: Path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(site_build, "write_feeds", full)
    line = one_line_error(build(*args))
    assert "No space left on device" in line and str(out) in line and "free" in line
    assert (out / "site" / "index.html").read_bytes() == old_home


def test_a_corrupt_build_records_file_is_moved_aside_and_rebuilt(sources, tiny_model, tmp_path):
    out = tmp_path / "out"
    args = [str(sources), "-o", str(out), "--model", str(tiny_model), "--cache", str(tmp_path / "c.db")]
    assert build(*args).exit_code == 0
    records = out / ".nashra" / "records.sqlite3"
    for extra in records.parent.glob("records.sqlite3-*"):
        extra.unlink()
    records.write_bytes(b"this is not a database" * 100)
    result = build(*args)
    assert result.exit_code == 0, result.output
    assert articles_built(result).startswith("Built 2 articles")
    assert "moved aside" in result.output
    assert list(records.parent.glob("records.sqlite3.corrupt-*"))
    assert sqlite3.connect(records).execute("SELECT COUNT(*) FROM records").fetchone()[0] == 2


def test_a_corrupt_translation_cache_is_moved_aside_and_rebuilt(sources, tiny_model, tmp_path):
    cache = tmp_path / "c.db"
    cache.write_bytes(b"\x00garbage" * 1000)
    result = build(str(sources), "-o", str(tmp_path / "out"), "--model", str(tiny_model), "--cache", str(cache))
    assert result.exit_code == 0, result.output
    assert "moved aside" in result.output and list(tmp_path.glob("c.db.corrupt-*"))
    assert sqlite3.connect(cache).execute("SELECT COUNT(*) FROM translations").fetchone()[0] > 0


@pytest.mark.parametrize("own", ["docs/guide.md", "site/index.html", "mkdocs.yml", "docs", "site"])
def test_an_output_folder_holding_someone_else_s_docs_site_or_mkdocs_yml_is_refused(tmp_path, sources, tiny_model, own):
    """A build replaces OUT/docs, OUT/site and OUT/mkdocs.yml: in a folder no build wrote, they are someone's work."""
    out = tmp_path / "project"
    (out / own).parent.mkdir(parents=True, exist_ok=True)
    (out / own).write_text("site_name: my own\n", encoding="utf-8")
    line = one_line_error(build(str(sources), "-o", str(out), "--model", str(tiny_model), "--no-cache"))
    assert str(out / own.split("/")[0]) in line and "not written by Nashra" in line
    assert (out / own).read_text(encoding="utf-8") == "site_name: my own\n"
    assert not (out / ".nashra").exists()


def test_a_nashra_output_builds_again_even_without_its_build_records(tmp_path, sources, tiny_model):
    out = tmp_path / "out"
    args = [str(sources), "-o", str(out), "--model", str(tiny_model), "--no-cache"]
    assert build(*args).exit_code == 0
    assert build(*args).exit_code == 0
    shutil.rmtree(out / ".nashra")  # documented to lose nothing: its mkdocs.yml still marks the folder as Nashra's
    result = build(*args)
    assert result.exit_code == 0, result.output
    assert (out / "site" / "index.html").is_file()


def test_an_output_folder_whose_name_is_not_utf8_is_refused_before_anything_is_written(tmp_path, sources, tiny_model):
    import os

    out = os.fsdecode(os.fsencode(tmp_path) + b"/out\xff")
    line = one_line_error(build(str(sources), "-o", out, "--model", str(tiny_model), "--no-cache"))
    assert "out\\xff is not valid UTF-8" in line
    assert not os.path.exists(out)


@pytest.mark.parametrize("target", ["nowhere", "loop"])
def test_an_output_folder_that_is_a_broken_link_is_named_as_one(tmp_path, sources, tiny_model, target):
    out = tmp_path / "out"
    out.symlink_to(tmp_path / target)
    if target == "loop":
        (tmp_path / "loop").symlink_to(out)
    line = one_line_error(build(str(sources), "-o", str(out), "--model", str(tiny_model), "--no-cache"))
    assert f"the output folder {out} is a symbolic link that leads nowhere or in a loop" in line


def test_an_unusable_default_cache_folder_warns_and_builds_without_the_cache(sources, tiny_model, tmp_path,
                                                                             monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.delenv("NASHRA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # its nashra/ cannot be made, even by root
    result = build(str(sources), "-o", str(tmp_path / "out"), "--model", str(tiny_model))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"translation cache {blocker / 'nashra'}" in result.output and "without" in result.output
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    given = build(str(sources), "-o", str(tmp_path / "out2"), "--model", str(tiny_model), "--cache",
                  str(blocker / "c.sqlite3"))
    assert str(blocker) in one_line_error(given)  # a cache the user named is still an error


def test_an_output_folder_whose_records_cannot_be_looked_for_is_one_line(tmp_path, refuse_stat):
    """An output folder whose .nashra/ cannot be searched is neither taken for someone else's folder nor a
    traceback: the build stops with a line naming it."""
    from nashra.errors import BuildError
    from nashra.outputs import check_not_foreign

    out = tmp_path / "out"
    (out / ".nashra").mkdir(parents=True)
    (out / ".nashra" / "records.sqlite3").write_bytes(b"")
    refuse_stat(out / ".nashra" / "records.sqlite3")  # out/.nashra may not be searched
    with pytest.raises(BuildError, match="cannot read the output folder .*Permission denied"):
        check_not_foreign(out)
