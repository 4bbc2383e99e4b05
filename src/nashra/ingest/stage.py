"""The ingest stage: every article under the sources, one at a time, problems kept aside."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from ..document import Article, SegmentedArticle
from ..errors import InputError, shown_path
from .files import file_stamp, iter_file_names, read_text
from .formats import reader_for
from ..text.segment import segment
from .reader import unexpected


#: An article of more sentences than this is refused (summaries compare every pair of sentences), with this reason.
MAX_ARTICLE_SENTENCES = 2_000
TOO_LONG = "{count:,} sentences; the limit is {limit:,}"

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles of one file; problems are yielded, not raised, so good records survive."""
    try:
        content = read_text(path)
        if not content.strip():  # the same line in every format (an empty .jsonl gave none, an empty .json "malformed")
            raise InputError(path, "no article text (empty or whitespace only)")
        yield from reader_for(path).read(path, content)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(path, f"cannot read file: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one file's problem, whatever it is, is that file's skip line
        yield unexpected(path, exc)


class SeenIds(Protocol):
    """Where each article id was first read from (a dict, or a table for an archive of any size)."""

    def __contains__(self, article_id: object, /) -> bool: ...

    def __getitem__(self, article_id: str, /) -> str: ...

    def __setitem__(self, article_id: str, path: str, /) -> None: ...


def iter_articles(paths: Iterable[str | Path], problems: list[InputError],
                  seen: SeenIds | None = None) -> Iterator[Article]:
    """Stage: read the articles under ``paths`` one at a time, appending what cannot be read to ``problems``.

    Articles whose id was already seen are reported as problems and skipped;
    ``seen`` (a dict by default) remembers the ids read and their files.
    """
    yield from iter_inputs(paths, problems, seen)


class KnownFiles(Protocol):
    """What a build knows of its input files: which need not be read (unchanged since a build read them whole,
    their articles settled), and how their articles are taken without reading them (see :func:`iter_inputs`)."""

    def settled(self, files: Sequence[tuple[str, str]], /) -> Collection[str]:
        """Those of ``files`` (path as text, :func:`file_stamp`) that need not be read."""

    def take(self, paths: Sequence[str], /) -> int:
        """Take the articles of the first files of ``paths`` (settled files, in the order found) as read from them,
        each id noted as first seen there (in ``seen``), up to the first file that cannot be: one of its ids was seen
        before, or in a file before it (it is read, and the repeated id reported, as a build that reads every file
        does). Return how many files were taken."""


#: Files whose stamps are looked up at once (see :class:`KnownFiles`).
LOOKUP_FILES = 256
#: Called with a file (its path as text, as ``known`` is asked of it), its stamp and the ids of its articles once
#: it was read whole without a problem.
ReadFile = Callable[[str, str, list[str]], None]


def iter_inputs(paths: Iterable[str | Path], problems: list[InputError], seen: SeenIds | None = None,
                known: KnownFiles | None = None, read: ReadFile | None = None) -> Iterator[Article]:
    """:func:`iter_articles`, where the regular files that ``known`` says are settled (by their :func:`file_stamp`)
    are not read: each run of them between files read is given to ``known.take`` before the next file is read, and
    a file it does not take is read, in its place. ``known`` is asked of :data:`LOOKUP_FILES` files at a time (an archive's
    daily build asks it of every file, and takes them a run at a time, not an article at a time). ``read`` is told
    of every regular file read whole whose articles raised no problem by the time the next file is read (the
    caller's own problems with them, such as a failed segmentation, count)."""
    seen = {} if seen is None else seen
    stamped = known is not None or read is not None
    for chunk in _chunks(iter_file_names(paths, problems), LOOKUP_FILES):
        named = [_utf8_name(path) for path in chunk]
        stamps = [file_stamp(path) if stamped and ok else None for path, ok in zip(chunk, named)]
        stamped_files = [(p, s) for p, s in zip(chunk, stamps) if s is not None]
        settled = set(known.settled(stamped_files)) if known is not None and stamped_files else set()
        run: dict[str, str | None] = {}  # settled files in a row, not yet taken: path -> stamp
        for path, stamp, ok in zip(chunk, stamps, named):
            if not ok:  # bytes of another encoding in a file or folder name: no page or record can name it
                problems.append(InputError(Path(path), "the file name is not valid UTF-8; rename the file (or its "
                                                       "folder)"))
                continue
            if path in settled:
                run[path] = stamp
                continue
            if run:
                yield from _take(run, known, problems, seen, read)
                run = {}
            yield from _read(path, stamp, problems, seen, read)
        if run:
            yield from _take(run, known, problems, seen, read)


def _take(run: dict[str, str | None], known: KnownFiles | None, problems: list[InputError], seen: SeenIds,
          read: ReadFile | None) -> Iterator[Article]:
    """The files of ``run`` taken by ``known``; each one it does not take read in its place, and the files after
    it taken in turn."""
    assert known is not None  # a run is made of the files it said are settled
    paths = list(run)
    while paths:
        taken = known.take(paths)
        if taken < len(paths):
            yield from _read(paths[taken], run[paths[taken]], problems, seen, read)
        paths = paths[taken + 1:]


def _utf8_name(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(paths: Iterator[str], size: int) -> Iterator[list[str]]:
    while chunk := list(islice(paths, size)):
        yield chunk


def _read(name: str, stamp: str | None, problems: list[InputError], seen: SeenIds,
          read: ReadFile | None) -> Iterator[Article]:
    """The articles of a file read (see :func:`iter_inputs`)."""
    before, read_ids, path = len(problems), [], Path(name)
    for item in read_file(path):
        if isinstance(item, InputError):
            problems.append(item)
            continue
        if item.id in seen:
            problems.append(InputError(f"{path}{item.where}",
                                       f"duplicate article id '{item.id}' (first seen in {shown_path(seen[item.id])})"))
            continue
        seen[item.id] = f"{path}{item.where}"  # made safe to print only if a message needs it
        read_ids.append(item.id)
        yield item
    if read is not None and stamp is not None and read_ids and len(problems) == before:
        read(name, stamp, read_ids)


def load(paths: Iterable[str | Path]) -> IngestResult:
    """Stage: read every article under ``paths`` (see :func:`iter_articles`)."""
    result = IngestResult()
    result.articles = list(iter_articles(paths, result.problems))
    return result


def segment_or_skip(article: Article, problems: list[InputError]) -> SegmentedArticle | None:
    """The article segmented, or None with a skip line in ``problems`` (too many sentences, or any error)."""
    label = f"{article.path} (article '{article.id}')" if article.path is not None else f"article '{article.id}'"
    try:
        segmented = segment(article)
    except Exception as exc:  # noqa: BLE001 - one article's problem is that article's skip line
        log.debug("%s: cannot segment", label, exc_info=True)
        problems.append(InputError(label, f"cannot split it into sentences ({type(exc).__name__}: {exc})"))
        return None
    if len(segmented.sentences) > MAX_ARTICLE_SENTENCES:
        problems.append(InputError(label, TOO_LONG.format(count=len(segmented.sentences), limit=MAX_ARTICLE_SENTENCES)))
        return None
    return segmented
