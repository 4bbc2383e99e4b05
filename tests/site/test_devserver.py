"""nashra serve answers malformed paths with 400 or 404, never 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nashra.site.devserver import DevServer


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    server = DevServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    yield server
    server.server_close()


def get(server: DevServer, path: str) -> tuple[str, bytes]:
    status: list[str] = []
    body = server.serve_request({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda s, headers: status.append(s))
    return status[0], b"".join(body)


@pytest.mark.parametrize("path", ["/index.html\x00.txt", "/\x00", "/a\nb.html", "/index.html\x00"])
def test_paths_no_file_can_have_are_bad_requests(server, path, caplog):
    with caplog.at_level(logging.ERROR):
        status, _ = get(server, path.encode("utf-8").decode("latin-1"))
    assert status.startswith("400")
    assert "Traceback" not in caplog.text and "500" not in caplog.text


@pytest.mark.parametrize("path", ["/missing.html", "/articles", "/" + "x" * 5000 + ".html", "/../../etc/passwd"])
def test_paths_that_open_nothing_are_not_found(server, path, caplog):
    with caplog.at_level(logging.ERROR):
        status, _ = get(server, path)
    assert status.startswith(("404", "302")), status
    assert not caplog.records


def test_a_good_path_is_served(server):
    status, body = get(server, "/index.html")
    assert status.startswith("200") and b"home" in body


def test_changes_in_the_output_folder_start_no_rebuild(server, tmp_path):
    from watchdog.events import FileCreatedEvent, FileModifiedEvent, FileMovedEvent

    out = tmp_path / "briefing"
    server.ignore(out)
    assert server.is_ignored(FileModifiedEvent(str(out / "site" / "index.html")))
    assert server.is_ignored(FileMovedEvent(str(out / ".nashra-staging-1" / "x"), str(out / "site" / "x")))
    assert not server.is_ignored(FileCreatedEvent(str(tmp_path / "article.txt")))
    assert not server.is_ignored(FileCreatedEvent(str(tmp_path / "briefing-notes.txt")))
    assert not server.is_ignored(FileMovedEvent(str(out / "x.txt"), str(tmp_path / "x.txt")))
