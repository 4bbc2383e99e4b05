"""A build killed while it publishes leaves the previous site whole, and the next one keeps what it rendered."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_daily_build import write_day

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parents[1]

#: A build of a folder into an output folder, its pages rendered in parts of a few pages by one process.
DRIVER = f"""
import sys
from pathlib import Path

sys.path[:0] = [{str(TESTS)!r}]
from conftest import DictTranslator
from nashra.pipeline import build_briefing
from nashra.site import pagebuild
from nashra.site.options import SiteOptions
from nashra.summarize import get_summarizer

pagebuild.PART_FILES = 6

if __name__ == "__main__":
    report = build_briefing([Path(sys.argv[1])], Path(sys.argv[2]), DictTranslator().impl, get_summarizer(),
                            SiteOptions(jobs=1))
    print(report.pages.rendered, report.pages.reused, report.pages.salvaged)
"""


def _start(folder: Path, out: Path, driver: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(driver), str(folder), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _finish(folder: Path, out: Path, driver: Path) -> tuple[int, int, int]:
    run = _start(folder, out, driver)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    rendered, reused, salvaged = map(int, stdout.split())
    return rendered, reused, salvaged


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _staged_pages(out: Path) -> int:
    return sum(1 for staging in out.glob(".nashra-staging-*") for _ in (staging / "site" / "articles").glob("*.html"))


def test_a_build_killed_while_rendering_keeps_the_site_and_the_next_keeps_its_pages(tmp_path):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    write_day(folder, 0)
    _finish(folder, out, driver)
    before = _tree(out / "site"), _tree(out / "docs")
    for day in range(1, 13):
        write_day(folder, day)
    twin = tmp_path / "twin"  # the same change, built without interruption
    shutil.copytree(out, twin, symlinks=True)
    whole = _finish(folder, twin, driver)

    victim = _start(folder, out, driver)
    deadline = time.monotonic() + 300
    # Killed once the day's first pages and a few of the new ones are in the staged site.
    while _staged_pages(out) < 3 + 6 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert victim.poll() is None, "the build finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait(30)
    assert (_tree(out / "site"), _tree(out / "docs")) == before  # the published site is whole

    rendered, reused, salvaged = _finish(folder, out, driver)
    assert salvaged > 0 and rendered < whole[0] and rendered + salvaged == whole[0]
    assert not list(out.glob(".nashra-staging-*"))
    assert _tree(out / "site") == _tree(twin / "site") and _tree(out / "docs") == _tree(twin / "docs")
