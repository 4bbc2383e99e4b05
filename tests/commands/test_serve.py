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


def example_sources(tmp_path, examples_dir):
    """A sources folder holding the examples' articles."""
    sources = tmp_path / "articles"
    sources.mkdir()
    for path in examples_dir.glob("*.txt"):
        shutil.copy(path, sources / path.name)
    return sources


def start_serve(sources, out, tiny_model, port: int, cache, stdout) -> subprocess.Popen:
    """``nashra serve`` of ``sources`` into ``out`` on localhost:``port``, its output to ``stdout``."""
    return subprocess.Popen(
        [sys.executable, "-m", "nashra.cli", "serve", str(sources), "-o", str(out), "--model", str(tiny_model),
         "-a", f"127.0.0.1:{port}", "--cache", str(cache)],
        stdout=stdout, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_serve_builds_serves_and_rebuilds(tmp_path, tiny_model, examples_dir, data_dir):
    sources = example_sources(tmp_path, examples_dir)
    port = free_port()
    server = start_serve(sources, tmp_path / "out", tiny_model, port, tmp_path / "cache.sqlite3", subprocess.PIPE)
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


@pytest.mark.parametrize("address, host, url", [
    ("127.0.0.1:8000", "127.0.0.1", "http://127.0.0.1:8000/"),
    ("localhost:8000", "localhost", "http://localhost:8000/"),
    ("[::1]:8000", "::1", "http://[::1]:8000/"),
    ("::1:8000", "::1", "http://[::1]:8000/"),
])
def test_an_ipv6_address_is_bound_without_brackets_and_shown_with_them(address, host, url):
    from nashra.commands.build import split_address

    assert split_address(address) == (host, 8000, url)


def test_the_dev_server_serves_on_ipv6(tmp_path):
    """``serve -a [::1]:8000`` failed: the brackets went to the server, which bound IPv4 only."""
    import threading

    from nashra.commands.build import _check_address, split_address
    from nashra.site.devserver import DevServer

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
            port = probe.getsockname()[1]
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    (tmp_path / "index.html").write_text("<p>نشرة</p>", encoding="utf-8")
    host, port, url = split_address(f"[::1]:{port}")
    _check_address(host, port)
    server = DevServer(builder=lambda: None, host=host, port=port, root=str(tmp_path))
    server.server_bind()
    server.server_activate()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert "نشرة" in (fetch(url + "index.html") or "")
    finally:
        server.shutdown()
        server.server_close()
