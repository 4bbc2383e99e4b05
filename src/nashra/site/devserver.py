"""The server of ``nashra serve``: MkDocs' live-reload server, answering malformed paths with 400 or 404.

MkDocs' server opens the file a path names; a path it cannot be a file name
(a NUL byte, ``/index.html%00.txt``) made ``open`` raise an error the server did
not expect, answered with a 500 and a traceback in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
