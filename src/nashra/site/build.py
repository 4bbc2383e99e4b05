"""Publish a briefing: write ``OUT/docs`` (Markdown) and build ``OUT/site`` (HTML) with MkDocs.

The new docs and site are made in a staging folder beside the old ones and
swapped in only when MkDocs succeeded, so a failed build leaves the previous
briefing as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..document import BriefingArticle
from ..errors import BuildError
from ..stories import Story
from .labels import LABELS, LANGUAGES
from .render import ARTICLES_DIR, STORIES_DIR, render_docs

log = logging.getLogger(__name__)

STAGING_PREFIX = ".nashra-staging-"


def mkdocs_config(site_name: dict[str, str] | None = None) -> dict[str, Any]:
    """The MkDocs configuration of a briefing site (English at the root, Arabic under ar/)."""
    names = {lang: (site_name or {}).get(lang) or LABELS[lang]["site_name"] for lang in LANGUAGES}
    hooks_file = resources.files("nashra.site").joinpath("hooks.py")
    return {
        "site_name": names["en"],
        "docs_dir": "docs",
        "site_dir": "site",
        # Relative links that work from any static host and from disk.
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "language": "en",
            "font": False,
            "features": ["navigation.top", "search.highlight", "content.tooltips"],
            "palette": [
                {"scheme": "default", "primary": "indigo", "accent": "amber",
                 "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
                {"scheme": "slate", "primary": "indigo", "accent": "amber",
                 "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
            ],
        },
        "extra_css": ["assets/nashra.css"],
        "extra": {"generator": False},
        "markdown_extensions": ["admonition", "tables", "md_in_html", {"toc": {"permalink": False}}],
        "hooks": [str(hooks_file)],
        "nav": [{LABELS["en"]["briefing"]: "index.md"}],
        "not_in_nav": f"/{ARTICLES_DIR}/\n/{STORIES_DIR}/\n",
        "plugins": [
            {"search": {"lang": ["en", "ar"]}},
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "reconfigure_material": True,
                    "reconfigure_search": True,
                    "languages": [
                        {"locale": "en", "name": LABELS["en"]["language_name"], "default": True, "build": True,
                         "site_name": names["en"]},
                        {"locale": "ar", "name": LABELS["ar"]["language_name"], "build": True,
                         "site_name": names["ar"],
                         "nav_translations": {LABELS["en"]["briefing"]: LABELS["ar"]["briefing"]}},
                    ],
                }
            },
            "offline",
        ],
    }


def write_docs(docs_dir: Path, items: Sequence[BriefingArticle], stories: Sequence[Story] | None = None,
               site_name: dict[str, str] | None = None) -> int:
    """Write every Markdown page and asset into ``docs_dir``; return the number of files."""
    files = render_docs(items, stories, site_name)
    for relative, text in files.items():
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assets = docs_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    css = resources.files("nashra.site").joinpath("assets").joinpath("nashra.css").read_text(encoding="utf-8")
    (assets / "nashra.css").write_text(css, encoding="utf-8")
    return len(files) + 1


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """Build HTML with MkDocs; raise :class:`BuildError` on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
        build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs could not build the site: {exc}") from None
    except SystemExit as exc:  # MkDocs aborts this way on fatal warnings
        raise BuildError(f"MkDocs aborted the build (exit {exc.code})") from None


OLD_SUFFIX = ".old-"


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new`` (``final`` may not exist).

    Two renames: ``final`` to ``final.old-PID``, then ``new`` to ``final``.
    :func:`recover` undoes a crash between them.
    """
    if final.exists():
        old = final.with_name(f"{final.name}{OLD_SUFFIX}{os.getpid()}")
        final.rename(old)
        new.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(final)


def recover(out_dir: Path) -> None:
    """Clean up after a build that was killed: restore a half-swapped folder, drop staging folders.

    Call it while holding the output lock.
    """
    for name in ("docs", "site"):
        final = out_dir / name
        leftovers = sorted(out_dir.glob(f"{name}{OLD_SUFFIX}*"), key=lambda p: p.stat().st_mtime)
        if not final.exists() and leftovers:
            log.warning("restoring %s from an interrupted build", final)
            leftovers.pop().rename(final)
        for leftover in leftovers:
            shutil.rmtree(leftover, ignore_errors=True)
    for staging in out_dir.glob(f"{STAGING_PREFIX}*"):
        log.info("removing %s left by an interrupted build", staging)
        shutil.rmtree(staging, ignore_errors=True)


def publish(items: Sequence[BriefingArticle], out_dir: Path, site_name: dict[str, str] | None = None,
            stories: Sequence[Story] | None = None) -> tuple[Path, Path]:
    """Write ``out_dir/docs`` and ``out_dir/site`` for ``items``; return both paths.

    Call it while holding :func:`nashra.lock.output_lock` on ``out_dir``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    config = mkdocs_config(site_name)
    config_file = out_dir / "mkdocs.yml"
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        staged_docs, staged_site = staging / "docs", staging / "site"
        count = write_docs(staged_docs, items, stories, site_name)
        log.info("wrote %d Markdown files", count)
        staged_config = staging / "mkdocs.yml"
        staged_config.write_text(_yaml(config), encoding="utf-8")
        run_mkdocs(staged_config, staged_docs, staged_site)
        _swap_in(staged_docs, out_dir / "docs")
        _swap_in(staged_site, out_dir / "site")
        staged_config.replace(config_file)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / "docs", out_dir / "site"


def _yaml(config: dict[str, Any]) -> str:
    header = "# Written by Nashra for each build; `mkdocs build` in this folder rebuilds site/ from docs/.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
