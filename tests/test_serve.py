"""nashra serve: builds, serves on localhost, rebuilds when an article changes."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_serve_builds_serves_and_rebuilds(tmp_path, tiny_model, examples_dir, data_dir):
    sources = tmp_path / "articles"
    sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        shutil.copy(path, sources / path.name)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nashra.cli", "serve", str(sources), "-o", str(tmp_path / "out"), "--model",
         str(tiny_model), "-a", f"127.0.0.1:{port}", "--cache", str(tmp_path / "cache.sqlite3")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        home = wait_for(lambda: fetch(f"http://127.0.0.1:{port}/index.html"), 120)
        assert home and "nashra-entry" in home
        assert "farmers-plan-2024" not in home
        shutil.copy(data_dir / "article.md", sources / "article.md")
        rebuilt = wait_for(lambda: (page := fetch(f"http://127.0.0.1:{port}/index.html")) and "farmers-plan-2024" in page, 120)
        assert rebuilt, "the new article never appeared"
        assert fetch(f"http://127.0.0.1:{port}/ar/articles/farmers-plan-2024.html")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Serving on http://127.0.0.1:" in output


def test_serve_on_an_address_in_use_says_so_in_one_line_before_building(tmp_path, examples_dir):
    from click.testing import CliRunner

    from nashra.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(examples_dir), "-o", str(tmp_path / "out"),
                                          "-a", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"Error: cannot serve on 127.0.0.1:{port}: ") and "in use" in last
    assert not (tmp_path / "out").exists()  # nothing was built
