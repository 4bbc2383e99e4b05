"""The interface of an article format's reader, and what every reader shares."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar, TypeVar

from ..document import Article
from ..errors import InputError

log = logging.getLogger(__name__)

Item = TypeVar("Item")


class Reader(ABC):
    """Reads one file format; :data:`nashra.ingest.formats.READERS` chooses a reader by the file's suffix."""

    #: The format's file suffixes, lower case.
    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def read(self, path: Path, content: str) -> Iterable[Article | InputError]:
        """The articles of ``content``, the text of ``path``. A record that cannot be read is yielded as its own
        problem, so that the others survive; a problem of the whole file is raised."""


def or_problem(read: Callable[[Path, Item, str], Article], path: Path, item: Item, where: str) -> Article | InputError:
    """``read(path, item, where)``, or the problem that stopped it (labelled with ``where``)."""
    try:
        return read(path, item, where)
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one item's problem is that item's skip line
        return unexpected(f"{path}{where}", exc)


def unexpected(label: object, exc: BaseException) -> InputError:
    """A skip line for an error no reader expected (logged in full at DEBUG level)."""
    log.debug("%s: unexpected error", label, exc_info=exc)
    if isinstance(exc, RecursionError):
        return InputError(label, "nested too deeply to read")
    if isinstance(exc, MemoryError):
        return InputError(label, "too large to read in the memory available")
    message = " ".join(str(exc).split())[:200]
    return InputError(label, f"cannot read it ({type(exc).__name__}{': ' + message if message else ''})")
