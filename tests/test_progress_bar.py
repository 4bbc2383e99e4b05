"""The translation progress bar: drawn on a terminal only, counting what is done."""

import io
import logging
import sys

from nashra.progress import no_progress, progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_counts_to_the_total(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.delenv("CI", raising=False)
    with progress_bar(10, "Translating") as update:
        update(4)
        update(6)
        update(3)  # never past the total
    drawn = screen.getvalue()
    assert "Translating" in drawn and "10/10" in drawn and "sentence/s" in drawn and "11/10" not in drawn


def test_nothing_in_ci_in_a_pipe_or_when_quiet(monkeypatch):
    for ci, stream, level in (("1", Terminal(), logging.WARNING), ("", io.StringIO(), logging.WARNING),
                              ("", Terminal(), logging.ERROR)):
        monkeypatch.setenv("CI", ci)
        monkeypatch.setattr(sys, "stderr", stream)
        monkeypatch.setattr(logging.getLogger(), "level", level)
        with progress_bar(5, "Translating") as update:
            update(5)
        assert stream.getvalue() == ""


def test_no_progress_reports_nothing():
    with no_progress(3) as update:
        assert update(3) is None
