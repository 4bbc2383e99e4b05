"""The server of ``nashra serve``: MkDocs' live-reload server, answering malformed paths with 400 or 404.

MkDocs' server opens the file a path names; a path that cannot be a file name
(a NUL byte, ``/index.html%00.txt``) made ``open`` raise an error the server did
not expect, answered with a 500 and a traceback in the log.

Changes inside the output folder never start a rebuild: when it lies inside
the watched sources (``nashra serve .``), each build would otherwise start
the next.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import watchdog.events
from mkdocs.livereload import LiveReloadServer

_BAD_REQUEST = "400 Bad Request"


class DevServer(LiveReloadServer):
    """A :class:`LiveReloadServer` that answers 400 for a path no file can have, 404 for one it cannot open."""

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ.get("PATH_INFO", "")
        if any(ord(c) < 0x20 or c == "\x7f" for c in path):
            start_response(_BAD_REQUEST, [("Content-Type", "text/plain; charset=utf-8")])
            return [_BAD_REQUEST.encode()]
        try:
            return super()._serve_request(environ, start_response)
        except (ValueError, OSError):
            return None  # not found

    #: Folders whose changes never start a rebuild (the output folder).
    ignored: tuple[str, ...] = ()

    def ignore(self, *folders: Path) -> None:
        self.ignored = (*self.ignored, *(os.path.realpath(folder) for folder in folders))

    def is_ignored(self, event: watchdog.events.FileSystemEvent) -> bool:
        """Whether every path of ``event`` lies in an ignored folder."""
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        return bool(paths) and all(any(os.path.realpath(os.fsdecode(p)) == folder or
                                       os.path.realpath(os.fsdecode(p)).startswith(folder + os.sep)
                                       for folder in self.ignored) for p in paths)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """As :meth:`LiveReloadServer.watch`, leaving out changes in the ignored folders."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory or self.is_ignored(event):
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)
