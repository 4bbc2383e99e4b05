"""nashra serve with its output folder inside the sources: a change rebuilds once, not forever."""

import shutil
import time

import pytest

from test_serve import example_sources, fetch, free_port, start_serve, wait_for

pytestmark = pytest.mark.slow


def test_an_output_inside_the_sources_does_not_rebuild_forever(tmp_path, tiny_model, examples_dir, data_dir):
    sources = example_sources(tmp_path, examples_dir)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as handle:
        server = start_serve(sources, sources / "briefing", tiny_model, port, tmp_path / "cache.sqlite3", handle)
        try:
            assert wait_for(lambda: fetch(f"http://127.0.0.1:{port}/index.html"), 120)
            shutil.copy(data_dir / "article.md", sources / "article.md")
            assert wait_for(lambda: (page := fetch(f"http://127.0.0.1:{port}/index.html")) and "farmers-plan-2024" in page,
                            120), "the new article never appeared"
            time.sleep(6)
            builds = log.read_text(encoding="utf-8").count("Built ")
            time.sleep(8)
            assert log.read_text(encoding="utf-8").count("Built ") == builds, log.read_text(encoding="utf-8")
            assert builds <= 3
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "Built 3 articles" in log.read_text(encoding="utf-8")
