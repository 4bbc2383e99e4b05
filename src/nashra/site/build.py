"""Publish a briefing: write ``OUT/docs`` (Markdown) and build ``OUT/site`` (HTML) with MkDocs.

The new docs and site are made in a staging folder beside the old ones and
swapped in only when MkDocs succeeded, so a failed build leaves the previous
briefing as it was.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


from ..catalog import Catalog
from ..db import WRITE_ROWS
from ..errors import BuildError
from ..records import state_dir
from .labels import LABELS, LANGUAGES
from .outlets import outlet_names
from .progress import step
from .feeds import write_feeds_and_sitemap
from .pagebuild import PAGES_DB, PageReport, build_html
from .pagebuild import link as _link
from .search import index_site
from .render import ARTICLES_DIR, STORIES_DIR, article_docs, article_page_key, article_path, iter_index_docs

log = logging.getLogger(__name__)

STAGING_PREFIX = ".nashra-staging-"
#: Settings of a user's mkdocs.yml that Nashra takes over (they make the briefing work).
RESERVED_MKDOCS_KEYS = {"docs_dir", "site_dir", "nav", "not_in_nav", "plugins", "hooks", "use_directory_urls"}


@dataclass
class SiteOptions:
    """What the site is called, where it lives, and the user's own MkDocs settings."""

    name: str = LABELS["en"]["site_name"]
    name_ar: str = LABELS["ar"]["site_name"]
    description: str = ""
    #: The Arabic feed's description (the English one, ``description``, is also the site's).
    description_ar: str = ""
    url: str = ""
    label_en: str = LABELS["en"]["language_name"]
    label_ar: str = LABELS["ar"]["language_name"]
    #: Outlets' display names over the built-in ones (nashra.toml's [outlets]): raw name -> {"en": .., "ar": ..}.
    outlets: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Settings read from the project's mkdocs.yml (theme look, extra CSS, extensions...).
    mkdocs: dict[str, Any] = field(default_factory=dict)
    #: Processes rendering HTML at once for a large site (None: one per CPU, at most 4). How the
    #: site is built, not what it is: it changes no page.
    jobs: int | None = None

    def name_in(self, lang: str) -> str:
        return self.name_ar if lang == "ar" else self.name


def load_user_mkdocs(file: Path) -> dict[str, Any]:
    """A user's mkdocs.yml, without the settings Nashra manages (reported at INFO level).

    Read without running code (see :mod:`nashra.safeyaml`): ``!ENV``, ``!relative`` and
    ``!!python/name:`` work as in MkDocs, ``INHERIT`` too; a tag that would construct or call
    objects stops the build with the file and line.
    """
    data = _load_mkdocs_file(file, depth=0)
    if not isinstance(data, dict):
        raise BuildError(f"{file}: expected a mapping of MkDocs settings")
    for key in sorted(RESERVED_MKDOCS_KEYS & set(data)):
        log.info("%s: '%s' is set by Nashra and ignored", file, key)
    return {k: v for k, v in data.items() if k not in RESERVED_MKDOCS_KEYS}


#: ``INHERIT`` chains longer than this are refused (a file inheriting from itself would never end).
MAX_INHERIT = 10


def _load_mkdocs_file(file: Path, depth: int) -> Any:
    from .. import safeyaml

    try:
        data = safeyaml.load(file.read_text(encoding="utf-8"), safeyaml.MkDocsLoader) or {}
    except safeyaml.YAMLProblem as exc:
        where = f", line {exc.line}" if exc.line is not None else ""
        raise BuildError(f"{file}{where}: cannot read it as MkDocs YAML: {exc.reason}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{file}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    if isinstance(data, dict):
        data = _resolve_config_dir(data, file.parent.resolve())
        parent_name = data.pop("INHERIT", None)
        if parent_name is not None:
            parent = file.parent / str(parent_name)
            if depth >= MAX_INHERIT:
                raise BuildError(f"{file}: INHERIT goes more than {MAX_INHERIT} files deep")
            if not parent.is_file():
                raise BuildError(f"{file}: INHERIT names {parent}, which does not exist")
            import mergedeep  # type: ignore[import-untyped]  # MkDocs' own dependency, as MkDocs merges

            base = _load_mkdocs_file(parent, depth + 1)
            data = mergedeep.merge(base, data) if isinstance(base, dict) else data
    return data


def _resolve_config_dir(value: Any, folder: Path) -> Any:
    """``!relative $config_dir/x`` as the path it means (the staged configuration lives elsewhere)."""
    from ..safeyaml import Tagged

    if isinstance(value, Tagged) and value.tag == "!relative" and value.value.split("/", 1)[0] == "$config_dir":
        return str(folder.joinpath(*value.value.split("/")[1:]))
    if isinstance(value, dict):
        return {k: _resolve_config_dir(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_config_dir(v, folder) for v in value]
    return value


def mkdocs_config(options: SiteOptions | None = None) -> dict[str, Any]:
    """The MkDocs configuration of a briefing site (English at the root, Arabic under ar/)."""
    options = options or SiteOptions()
    names = {lang: options.name_in(lang) for lang in LANGUAGES}
    hooks_file = resources.files("nashra.site").joinpath("hooks.py")
    config: dict[str, Any] = {
        "site_name": names["en"],
        "docs_dir": "docs",
        "site_dir": "site",
        # Relative links that work from any static host and from disk.
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "language": "en",
            "font": False,
            "features": ["navigation.top", "content.tooltips"],
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
        # Sections only: the navigation of every page stays the same size however large the archive.
        "nav": [{LABELS["en"]["latest"]: "index.md"}, {LABELS["en"]["archive"]: "archive/index.md"},
                {LABELS["en"]["sources"]: "sources/index.md"}],
        "not_in_nav": f"/{ARTICLES_DIR}/\n/{STORIES_DIR}/\n/archive/\n",
        # Links between pages point at their HTML (see hooks.on_page_markdown), which MkDocs does not
        # look up among documentation files; Nashra writes every link and its tests follow each one.
        "validation": {"links": {"not_found": "ignore"}},
        "plugins": [
            # No "search": Pagefind indexes each language's pages after MkDocs (nashra.site.search).
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "reconfigure_material": True,
                    "reconfigure_search": False,
                    "languages": [
                        {"locale": "en", "name": options.label_en, "default": True, "build": True,
                         "site_name": names["en"]},
                        {"locale": "ar", "name": options.label_ar, "build": True,
                         "site_name": names["ar"],
                         "nav_translations": {LABELS["en"][key]: LABELS["ar"][key]
                                              for key in ("latest", "archive", "sources")}},
                    ],
                }
            },
        ],
    }
    if options.description:
        config["site_description"] = options.description
    if options.url:
        config["site_url"] = options.url
    return _merge_user(config, options.mkdocs)


def _merge_user(config: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """The user's mkdocs.yml settings over Nashra's, lists of assets and extensions combined."""
    for key, value in user.items():
        if key == "theme" and isinstance(value, dict):
            theme = dict(config["theme"])
            theme.update({k: v for k, v in value.items() if k not in ("name", "language")})
            config["theme"] = theme
        elif key in ("extra_css", "extra_javascript") and isinstance(value, list):
            config[key] = [*config.get(key, []), *value]
        elif key == "markdown_extensions" and isinstance(value, list):
            present = {e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]}
            config[key] = [*config[key], *(e for e in value if (e if isinstance(e, str) else next(iter(e))) not in present)]
        elif key == "extra" and isinstance(value, dict):
            config["extra"] = {**config.get("extra", {}), **value}
        elif key == "site_name":
            continue  # names come from nashra.toml, per language
        else:
            config[key] = value
    return config


def write_docs(docs_dir: Path, catalog: Catalog, options: SiteOptions | None = None,
               previous_docs: Path | None = None) -> DocsReport:
    """Write every Markdown page and asset into ``docs_dir``; return what was written and reused.

    Pages are written one at a time from the catalog. An article's pages made
    from the same record, story and code as its published ones (its page key,
    see :func:`~nashra.site.render.article_page_key`) are linked from
    ``previous_docs`` instead of rendered. The keys of the pages rendered are
    staged in the records; :meth:`~nashra.records.RecordStore.commit_page_keys`
    records them once the new docs are published.
    """
    options = options or SiteOptions()
    with outlet_names(options.outlets):
        return _write_docs(docs_dir, catalog, options, previous_docs)


def _write_docs(docs_dir: Path, catalog: Catalog, options: SiteOptions, previous_docs: Path | None) -> DocsReport:
    report = DocsReport()
    catalog.store.discard_page_keys()

    def write(relative: str, text: str) -> None:
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report.files += 1

    with step("Writing article pages", catalog.store.read_count(), "article") as done:
        _write_article_docs(docs_dir, catalog, previous_docs, report, write, done)
    with step("Writing home, story, archive and outlet pages", None) as done:
        for relative, text in iter_index_docs(catalog, {lang: options.name_in(lang) for lang in LANGUAGES}):
            write(relative, text)
            done(1)
    report.files += _copy_assets(resources.files("nashra.site").joinpath("assets"), docs_dir / "assets")
    return report


def _write_article_docs(docs_dir: Path, catalog: Catalog, previous_docs: Path | None, report: DocsReport,
                        write: Callable[[str, str], None], done: Callable[[int], None]) -> None:
    keys: list[tuple[str, str]] = []
    for stored, story in catalog.stored_articles():
        done(1)
        key = article_page_key(stored.record, story, catalog.provenance)
        pages = [article_path(stored.id, lang) for lang in LANGUAGES]
        if (previous_docs is not None and stored.page_key == key
                and all((previous_docs / page).is_file() for page in pages)):
            for page in pages:
                _link(previous_docs / page, docs_dir / page)
            report.files += len(pages)
            report.reused += len(pages)
            continue
        for relative, text in article_docs(catalog.restore(stored), story):
            write(relative, text)
        keys.append((stored.id, key))
        if len(keys) >= WRITE_ROWS:
            catalog.store.stage_page_keys(keys)
            keys.clear()
    catalog.store.stage_page_keys(keys)


def _copy_assets(source: Traversable, target: Path) -> int:
    """Copy the site's assets (style sheet, fonts and their licence) into ``target``; return how many files."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for entry in source.iterdir():
        if entry.is_dir():
            count += _copy_assets(entry, target / entry.name)
        elif not entry.name.startswith("."):
            (target / entry.name).write_bytes(entry.read_bytes())
            count += 1
    return count


@dataclass
class DocsReport:
    files: int = 0  #: Markdown files and assets in the docs folder
    reused: int = 0  #: article pages linked from the previous docs, not rendered


OLD_SUFFIX = ".old-"


def remove_tree(path: Path) -> None:
    """Delete ``path`` and everything in it, as ``shutil.rmtree(path, ignore_errors=True)`` does, but
    reading each folder entry by entry: ``rmtree`` lists a whole folder at once, which for an
    archive's pages is tens of thousands of names. Symbolic links are removed, never followed."""
    pending: list[tuple[str, bool]] = [(os.fspath(path), False)]
    while pending:
        folder, emptied = pending.pop()
        if emptied:
            try:
                os.rmdir(folder)
            except OSError as exc:
                log.debug("cannot remove %s: %s", folder, exc)
            continue
        pending.append((folder, True))
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append((entry.path, False))
                        else:
                            os.unlink(entry.path)
                    except OSError as exc:
                        log.debug("cannot remove %s: %s", entry.path, exc)
        except OSError as exc:
            log.debug("cannot read %s: %s", folder, exc)


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new`` (``final`` may not exist).

    Two renames: ``final`` to ``final.old-PID``, then ``new`` to ``final``.
    :func:`recover` undoes a crash between them.
    """
    if final.exists():
        old = final.with_name(f"{final.name}{OLD_SUFFIX}{os.getpid()}")
        final.rename(old)
        new.rename(final)
        remove_tree(old)
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
            remove_tree(leftover)
    for staging in out_dir.glob(f"{STAGING_PREFIX}*"):
        log.info("removing %s left by an interrupted build", staging)
        remove_tree(staging)


@dataclass(frozen=True)
class Published:
    docs_dir: Path
    site_dir: Path
    #: Pages rendered and reused by the HTML build.
    pages: PageReport


def publish(catalog: Catalog, out_dir: Path, options: SiteOptions | None = None) -> Published:
    """Write ``out_dir/docs`` and ``out_dir/site`` for a briefing; return where, and what was rendered.

    ``catalog`` is what :meth:`nashra.pipeline.Briefing.catalog` gives: pages
    are written from the build state, whatever the size of the archive.
    Call it while holding :func:`nashra.lock.output_lock` on ``out_dir``.
    """
    # MkDocs resolves docs_dir and site_dir against the configuration file's folder: give it
    # absolute paths, or a relative output folder would be looked up inside itself.
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    options = options or SiteOptions()
    config = mkdocs_config(options)
    config_file = out_dir / "mkdocs.yml"
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        staged_docs, staged_site = staging / "docs", staging / "site"
        docs = write_docs(staged_docs, catalog, options, out_dir / "docs")
        log.info("docs: %d files, %d article pages unchanged and reused", docs.files, docs.reused)
        staged_config = staging / "mkdocs.yml"
        staged_config.write_text(_yaml(config), encoding="utf-8")
        pages_file = state_dir(out_dir) / PAGES_DB
        new_pages, pages = build_html(staged_config, staged_docs, staged_site, staging, out_dir / "site", pages_file,
                                      options.jobs)
        with step("Writing feeds and sitemap", None, "file"):
            write_feeds_and_sitemap(staged_site, catalog, options)
        with step("Indexing the site for search", None, "page"):
            index_site(staged_site)
        # The page records describe the site they were made with: the old ones go before the old
        # site does, so that a crash between the two swaps can only cost a full render.
        pages_file.unlink(missing_ok=True)
        _swap_in(staged_docs, out_dir / "docs")
        catalog.store.commit_page_keys()
        _swap_in(staged_site, out_dir / "site")
        pages_file.parent.mkdir(parents=True, exist_ok=True)
        new_pages.replace(pages_file)
        staged_config.replace(config_file)
    finally:
        remove_tree(staging)
    return Published(out_dir / "docs", out_dir / "site", pages)


def _yaml(config: dict[str, Any]) -> str:
    from .. import safeyaml

    header = "# Written by Nashra for each build; `mkdocs build` in this folder rebuilds site/ from docs/.\n"
    return header + safeyaml.dump(config)
