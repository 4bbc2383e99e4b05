"""The example articles shipped with Nashra (two outlets reporting one event), for `nashra init`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def copy_examples(target: Path) -> list[Path]:
    """Copy the example articles into ``target``; return the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in sorted(resources.files("nashra").joinpath("example_articles").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            destination = target / entry.name
            destination.write_bytes(entry.read_bytes())
            written.append(destination)
    return written
