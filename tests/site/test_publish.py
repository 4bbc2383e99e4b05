"""Atomic publishing: a failed or interrupted build leaves the previous briefing as it was."""

import hashlib
from pathlib import Path

import pytest

from nashra.errors import BuildError
from nashra.lock import output_lock
from oracles import catalog_of, process
from nashra.site import pagebuild
from nashra.site.build import publish, recover, remove_tree
from nashra.summarize import get_summarizer


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def items(data_dir, dict_translator):
    return process([data_dir / "article.md", data_dir / "plain.txt"], dict_translator.impl, get_summarizer())[0]


@pytest.mark.slow
def test_failed_build_keeps_previous_site_and_docs(tmp_path, items, monkeypatch):
    publish(catalog_of(items), tmp_path)
    before = snapshot(tmp_path / "site"), snapshot(tmp_path / "docs")

    def broken(*args, **kwargs):
        raise BuildError("MkDocs could not build the site: simulated")

    monkeypatch.setattr(pagebuild, "run_mkdocs", broken)
    with pytest.raises(BuildError):
        publish(catalog_of(items[:1]), tmp_path)
    assert (snapshot(tmp_path / "site"), snapshot(tmp_path / "docs")) == before
    assert not list(tmp_path.glob(".nashra-staging-*"))


def test_recover_restores_a_half_swapped_folder(tmp_path):
    (tmp_path / "site.old-123").mkdir()
    (tmp_path / "site.old-123" / "index.html").write_text("old")
    (tmp_path / ".nashra-staging-abc").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs.old-99").mkdir()
    recover(tmp_path)
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert not (tmp_path / ".nashra-staging-abc").exists()
    assert not (tmp_path / "docs.old-99").exists() and (tmp_path / "docs").is_dir()


def test_second_build_on_same_output_is_refused(tmp_path):
    with output_lock(tmp_path):
        with pytest.raises(BuildError, match="another nashra build .* is writing to"):
            with output_lock(tmp_path):
                pass
    with output_lock(tmp_path):  # released when the first build ended
        pass


def test_cli_refuses_concurrent_build(tmp_path, data_dir, tiny_model):
    from click.testing import CliRunner

    from nashra.cli import cli

    with output_lock(tmp_path):
        result = CliRunner().invoke(cli, ["build", str(data_dir / "plain.txt"), "-o", str(tmp_path), "--model", str(tiny_model)])
    assert result.exit_code == 1
    assert "another nashra build" in result.output and "Traceback" not in result.output


def test_remove_tree_deletes_everything_and_follows_no_link(tmp_path):
    tree = tmp_path / "tree"
    for folder in ("a/b/c", "a/d", "e"):
        (tree / folder).mkdir(parents=True)
    for number, file in enumerate(["a/1.html", "a/b/2.html", "a/b/c/3.html", "a/d/4.md", "e/5", "6"]):
        (tree / file).write_text(str(number))
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "file").write_text("stays")
    (tree / "a" / "link").symlink_to(kept, target_is_directory=True)
    remove_tree(tree)
    assert not tree.exists()
    assert (kept / "file").read_text() == "stays"
    remove_tree(tmp_path / "missing")  # nothing to do, no error
