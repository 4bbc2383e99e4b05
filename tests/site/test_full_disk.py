"""A disk that fills while the site's pages are rendered or indexed: one line, and the previous site stays.

The output folder lies on a small file system of its own (tmpfs, which needs root to mount): the disk is
filled as the step begins, and MkDocs or Pagefind meet the full disk themselves.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nashra.cli import cli

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to its last byte with one file; return it."""
    filler = disk / "filler"
    block = b"\0" * (1 << 20)
    with filler.open("wb") as file:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    file.write(block[:size])
                    file.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _filled_at(function: Callable[..., Any], disk: Path) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _fill(disk)
        return function(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("step", ["build_html", "index_search"])
def test_a_disk_full_while_rendering_or_indexing_is_one_line_and_keeps_the_site(small_disk, step, examples_dir,
                                                                               tiny_model, tmp_path, monkeypatch):
    import nashra.site.build as site_build

    sources = tmp_path / "articles"
    shutil.copytree(examples_dir, sources)
    out = small_disk / "out"
    args = ["build", str(sources), "-o", str(out), "--model", str(tiny_model), "--cache", str(tmp_path / "c.db")]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = _tree(out / "site"), _tree(out / "docs")
    (sources / "weather.txt").write_text("خبر جديد عن الطقس في المدينة اليوم.\nوقالت الأرصاد إن الحرارة سترتفع.\n",
                                         encoding="utf-8")
    monkeypatch.setattr(site_build, step, _filled_at(getattr(site_build, step), small_disk))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and "free some disk space" in errors[0], \
        result.output
    assert (_tree(out / "site"), _tree(out / "docs")) == before
    # Room again: the next build publishes the new article.
    (small_disk / "filler").unlink()
    monkeypatch.undo()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert any("weather" in p.name or "الطقس" in p.read_text(encoding="utf-8")
               for p in (out / "docs" / "articles").glob("*.ar.md"))
