"""A build killed in the middle of translation loses nothing, and the rerun completes."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WORDS = "الحكومة الوزير المدينة الشركة السوق الجيش البرلمان المحكمة الشرطة الجامعة المستشفى الميناء".split()
VERBS = "أعلنت قالت رفضت أكدت نفت دعت قررت بدأت".split()


def _sentences(count: int) -> str:
    lines = []
    for i in range(count):
        lines.append(f"{VERBS[i % len(VERBS)]} {WORDS[i % len(WORDS)]} اليوم خطة رقم {i} تشمل {WORDS[(i * 7) % len(WORDS)]} و{WORDS[(i * 5) % len(WORDS)]}.")
    return "\n".join(lines) + "\n"


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(sources, out, model, cache, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nashra.cli", "build", str(sources), "-o", str(out), "--model", str(model), "--cache", str(cache)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def _cached(cache: Path) -> int:
    try:
        with sqlite3.connect(cache, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_mid_build_keeps_old_site_and_rerun_resumes(tmp_path, tiny_model, examples_dir):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    old_sources = tmp_path / "old"
    old_sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        (old_sources / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    first = _build(old_sources, out, tiny_model, tmp_path / "old-cache.sqlite3", env)
    assert first.wait(300) == 0, first.stderr.read()
    before = _tree(out / "site"), _tree(out / "docs")

    new_sources = tmp_path / "new"
    new_sources.mkdir()
    (new_sources / "long.txt").write_text(_sentences(400), encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    victim = _build(new_sources, out, tiny_model, cache, env)
    deadline = time.monotonic() + 240
    while _cached(cache) == 0 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the build finished before it could be interrupted"
    victim.send_signal(signal.SIGKILL)
    victim.wait(30)
    finished = _cached(cache)
    assert 0 < finished < 401  # some batches were kept, not all work was done

    assert (_tree(out / "site"), _tree(out / "docs")) == before  # the old briefing is intact

    rerun = _build(new_sources, out, tiny_model, cache, env)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{finished} from the cache" in err
    assert not list(out.glob(".nashra-staging-*"))

    # Same result as an uninterrupted build.
    clean = tmp_path / "clean"
    once = _build(new_sources, clean, tiny_model, tmp_path / "fresh-cache.sqlite3", env)
    assert once.wait(300) == 0
    assert _tree(out / "docs") == _tree(clean / "docs")
