"""Where a build may write, and what to say when it cannot.

The output folder is never read as input: a build refuses an output folder
that is one of its source folders or holds one of them, and the walk of the
sources leaves out any Nashra output folder inside them (see
:func:`nashra.ingest.files.is_output_folder`), so that ``nashra build .`` does not
read its own pages back as articles.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError, shown_path
from .ingest.files import is_output_folder
from .state.sqlite import is_corrupt


def check_output(out_dir: Path, sources: Sequence[str | Path]) -> None:
    """Raise :class:`BuildError` when ``out_dir`` is a source folder, or a source lies in what a build writes
    there (``docs/``, ``site/``, its hidden state and staging folders)."""
    try:
        str(out_dir).encode("utf-8")
    except UnicodeEncodeError:
        raise BuildError(f"the output folder's name {shown_path(out_dir)} is not valid UTF-8 (the pages and the search "
                         "index name their files by it); choose another -o folder") from None
    if os.path.islink(out_dir) and not os.path.exists(out_dir):
        raise BuildError(f"the output folder {shown_path(out_dir)} is a symbolic link that leads nowhere or in a loop; "
                         "make the folder it names, or choose another -o folder")
    out = Path(os.path.realpath(out_dir))
    for source in sources:
        path = Path(os.path.realpath(source))
        if path == out:
            raise BuildError(f"the output folder {out_dir} is also a source folder: its pages would be read back as "
                             "articles; choose another -o folder (such as one beside the articles)")
        if out in path.parents:
            first = path.relative_to(out).parts[0]
            if first in ("docs", "site") or first.startswith((".", "docs.old-", "site.old-")):
                raise BuildError(f"the source {source} is inside {out_dir / first}, which each build writes anew; "
                                 "move the articles out of it or choose another -o folder")


#: The first line of the ``mkdocs.yml`` a build writes in its output folder.
MKDOCS_HEADER = "# Written by Nashra"


def check_not_foreign(out_dir: Path) -> None:
    """Raise :class:`BuildError` when ``out_dir`` holds a ``docs`` or ``site`` (a folder not empty, a file or a
    link) or a ``mkdocs.yml`` that no Nashra build wrote: a build replaces them, and would delete someone's work.

    A folder with build records (``.nashra/records.sqlite3``), or with the ``mkdocs.yml`` a build
    writes (its records deleted), is a Nashra output: its ``docs/`` and ``site/`` are the build's own.
    """
    config = out_dir / "mkdocs.yml"
    try:
        if is_output_folder(out_dir):
            return
        if config.is_file():
            with config.open("rb") as file:
                if file.read(len(MKDOCS_HEADER)).decode("utf-8", "replace") == MKDOCS_HEADER:
                    return
            raise BuildError(f"{config} was not written by Nashra, and a build would replace it (with {out_dir / 'docs'} "
                             "and site/); choose another -o folder, such as an empty one")
        for name in ("docs", "site"):
            folder = out_dir / name
            if not os.path.lexists(folder):
                continue
            if folder.is_symlink() or not folder.is_dir() or any(os.scandir(folder)):  # a file or link too
                raise BuildError(f"{folder} was not written by Nashra, and a build would replace it; choose another "
                                 "-o folder, such as an empty one")
    except OSError as exc:
        raise BuildError(f"cannot read the output folder {out_dir}: {exc.strerror or exc}") from None


_ADVICE = {
    errno.ENOSPC: "free some disk space or choose another -o folder",
    errno.EDQUOT: "free some of your disk quota or choose another -o folder",
    errno.EACCES: "check the folder's permissions or choose another -o folder",
    errno.EPERM: "check the folder's permissions or choose another -o folder",
    errno.EROFS: "the file system is read-only: choose another -o folder",
}


def write_advice(exc: OSError | sqlite3.Error) -> str:
    """What to do about a write into an -o folder that failed with ``exc`` (a full disk, a read-only folder, ...)."""
    if isinstance(exc, sqlite3.Error):
        return ("free some disk space or choose another -o folder" if "full" in str(exc)
                else "check the folder's permissions and free space, or choose another -o folder")
    return _ADVICE.get(exc.errno or 0, "check the folder's permissions and free space, or choose another -o folder")


def output_failure(exc: OSError | sqlite3.Error, out_dir: Path) -> BuildError:
    """One line for a build that could not write: the path, the reason and what to do. The old site is kept."""
    kept = "the previous site, if any, is unchanged"
    if isinstance(exc, sqlite3.Error):
        if is_corrupt(exc):
            return BuildError(f"a database file is damaged ({exc}): delete {out_dir / '.nashra'} (the build records, "
                              f"made again by the next build) or the translation cache, and build again ({kept})")
        return BuildError(f"cannot write the build records in {out_dir / '.nashra'}: {exc}; {write_advice(exc)} ({kept})")
    # A failed copy (shutil, as MkDocs copies the theme's files) names the file read first, the one written second.
    path = exc.filename2 if exc.filename2 is not None else exc.filename if exc.filename is not None else out_dir
    reason = exc.strerror or str(exc)
    real, out = Path(os.path.realpath(path)), Path(os.path.realpath(out_dir))
    if real != out and out not in real.parents:
        return BuildError(f"{path}: {reason} ({kept})")
    return BuildError(f"cannot write {path}: {reason}; {write_advice(exc)} ({kept})")
