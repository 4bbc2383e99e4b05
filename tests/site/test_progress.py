"""What publishing says while it runs."""

from __future__ import annotations

import logging

from nashra.site import progress


def test_a_step_says_what_it_did_and_counts_pages_reported_by_the_hooks(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="nashra.site.progress"):
        with progress.step("Rendering HTML", 3, "page", pages=True) as done:
            progress.page_rendered()
            progress.page_rendered()
            done(1)
        progress.page_rendered()  # no step listening: nothing happens
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "Rendering HTML (3 pages)..."
    assert messages[1].startswith("Rendering HTML: 3 pages in ")


def test_quiet_logging_shows_nothing(capsys, caplog) -> None:
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with progress.step("Writing pages", 2) as done:
            done(2)
    finally:
        root.setLevel(level)
    assert capsys.readouterr().err == "" and not caplog.records


def test_build_reports_each_publishing_step(tmp_path, examples_dir, tiny_model) -> None:
    from click.testing import CliRunner

    from nashra.cli import cli

    result = CliRunner().invoke(cli, ["-v", "build", str(examples_dir), "-o", str(tmp_path / "out"), "--model",
                                      str(tiny_model), "--no-cache"])
    assert result.exit_code == 0, result.output
    for step in ("Writing article pages: 2 articles in", "Rendering HTML: ", "Writing feeds and sitemap: "):
        assert step in result.output
