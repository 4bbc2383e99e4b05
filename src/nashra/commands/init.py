"""``nashra init``: a briefing project (nashra.toml, mkdocs.yml, articles/) and its CI workflow."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import click

from .. import safeyaml
from ..ci import GITIGNORE, WORKFLOW_PATH, github_workflow
from ..config import CONFIG_NAME, MKDOCS_TEMPLATE, load_settings, template
from ..errors import ConfigError
from ..examples import copy_examples
from ..site.budget import format_size


def init(directory: Path, name: str, name_ar: str, no_examples: bool = False, ci: str | None = None) -> None:
    """Create the project in ``directory``; with ``ci`` ("github") also its workflow (only that in a project)."""
    if ci and (directory / CONFIG_NAME).is_file():
        write_workflow(directory)
        return
    existing = [n for n in (CONFIG_NAME, "mkdocs.yml") if (directory / n).exists()]
    if existing:
        raise ConfigError(f"{directory} already has {', '.join(existing)}; nothing was changed")
    if ci:
        if (directory / WORKFLOW_PATH).exists():  # refused before the project is made, not after
            raise ConfigError(f"{directory / WORKFLOW_PATH} already exists; nothing was changed")
    articles = directory / "articles"
    own_articles = articles.is_dir() and any(articles.iterdir())  # never overwritten nor joined by the examples
    articles.mkdir(parents=True, exist_ok=True)

    (directory / CONFIG_NAME).write_text(template(name, name_ar), encoding="utf-8")
    (directory / "mkdocs.yml").write_text(MKDOCS_TEMPLATE.format(name=json.dumps(name, ensure_ascii=False)), encoding="utf-8")
    _check_written(directory, name, name_ar)
    copied = [] if no_examples or own_articles else copy_examples(articles)
    click.echo(f"Created {directory / CONFIG_NAME}, {directory / 'mkdocs.yml'} and {articles}"
               f"{f' with {len(copied)} example articles' if copied else ''}.", err=True)
    if own_articles and not no_examples:
        click.echo(f"{articles} already holds files: the example articles were not copied.", err=True)
    if ci:
        write_workflow(directory)
    click.echo(f"Next: cd {_shell_word(directory)} && nashra build", err=True)


def _shell_word(path: Path) -> str:
    """``path`` as a shell word that ``cd`` takes as a folder: quoted, and never read as an option."""
    text = str(path)
    return shlex.quote(f"./{text}" if text.startswith("-") else text)


def _check_written(directory: Path, name: str, name_ar: str) -> None:
    """Read back what `init` wrote: both files parse and hold the names given."""
    settings = load_settings(directory / CONFIG_NAME)
    mkdocs = safeyaml.load((directory / "mkdocs.yml").read_text(encoding="utf-8"), safeyaml.MkDocsLoader)
    if (settings.site.name, settings.site.name_ar, mkdocs.get("site_name")) != (name, name_ar, name):
        raise ConfigError(f"{directory}: the settings written do not read back as given; please report this")


def write_workflow(directory: Path) -> None:
    """Write the GitHub Actions workflow of the project in ``directory`` (and a .gitignore if it has none)."""
    settings = load_settings(directory / CONFIG_NAME)
    workflow = directory / WORKFLOW_PATH
    if workflow.exists():
        raise ConfigError(f"{workflow} already exists; nothing was changed")
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(github_workflow(settings.sources[0], settings.output, settings.translation.model,
                                               settings.translation.engine),
                        encoding="utf-8")
    if not (directory / ".gitignore").exists():
        (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    click.echo(f"Created {workflow}: add feeds to [fetch] in {CONFIG_NAME}, push to GitHub and choose"
               " GitHub Actions as the Pages source.", err=True)
    click.echo(f"GitHub Pages publishes a site of at most 1 GB: {CONFIG_NAME}'s [site] max_size (now "
               f"{format_size(settings.site.max_size) if settings.site.max_size else 'no limit'}) keeps the site"
               " within it, the oldest articles becoming compact entries of the archive.", err=True)
