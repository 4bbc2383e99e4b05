"""An exclusive lock on an output folder, so two builds never interleave (``filelock``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import BuildError

LOCK_NAME = ".nashra.lock"


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` or raise :class:`BuildError` at once.

    The lock is the operating system's (``flock`` on Unix), so it goes when the
    process ends, however it ends: a crashed build never leaves the folder locked.
    The holder writes its process id into the lock file for the message a second
    build gives.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        holder = _read_holder(path) or "another process"
        raise BuildError(
            f"another nashra build ({holder}) is writing to {out_dir}; wait for it to finish or use another -o folder"
        ) from None
    try:
        _write_holder(path)
        yield
    finally:
        lock.release()


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _write_holder(path: Path) -> None:
    try:
        path.write_text(f"pid {os.getpid()}", encoding="utf-8")
    except OSError:  # pragma: no cover - a platform that keeps a locked file closed to writing
        pass
