"""Everything Nashra asks of MkDocs, behind one narrow interface.

The rest of :mod:`nashra.site` writes Markdown pages (:mod:`nashra.site.render`),
decides which pages to render and in which parts (:mod:`nashra.site.pagebuild`),
and calls this module to turn a folder of docs into HTML. What is particular to
MkDocs, Material for MkDocs and mkdocs-static-i18n lives here and in the hooks
file this module hands to MkDocs (:mod:`nashra.site.hooks`, which MkDocs loads
by path: pages waiting on disk between MkDocs's two passes, links to other
parts' pages, escaped titles, feeds and search box in every page's head):

* :func:`mkdocs_config`: the site's configuration, with the user's ``mkdocs.yml``
  settings (:func:`load_user_mkdocs`) merged over Nashra's, and :func:`config_text`
  to write it;
* :func:`run_mkdocs`: render one folder of docs (one part of a large site) into HTML;
* :data:`RENDERER_PACKAGES`, :data:`HOOK_MODULES` and :data:`RENDERER_LOGGERS`: what
  a page's HTML depends on besides its Markdown, and the loggers of the renderer.

Swapping the renderer (Material's successor reads ``mkdocs.yml`` too) means
rewriting this module and the hooks; the versions it is known to work with are
bounded in ``pyproject.toml``.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from ..errors import BuildError
from .labels import LABELS, LANGUAGES
from .urls import ARCHIVE_DIR, ARCHIVE_INDEX, ARTICLES_DIR, HOME, SOURCES_INDEX, STORIES_DIR, STYLE_SHEET, link

log = logging.getLogger(__name__)

#: Python packages whose versions change the HTML of a page made from the same Markdown.
RENDERER_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "markdown")
#: Nashra's modules that MkDocs runs on every page (the hooks, and the search box they add).
HOOK_MODULES = ("hooks.py", "chrome.py", "search.py", "search_stems.py")
#: The renderer's loggers, whose levels the processes rendering parts take from the parent.
RENDERER_LOGGERS = ("mkdocs", "mkdocs_static_i18n")

#: Settings of a user's mkdocs.yml that Nashra takes over (they make the briefing work).
RESERVED_MKDOCS_KEYS = {"docs_dir", "site_dir", "nav", "not_in_nav", "plugins", "hooks", "use_directory_urls"}


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


class RendererOptions(Protocol):
    """What the configuration needs of the site options (:class:`nashra.site.build.SiteOptions`)."""

    description: str
    url: str
    label_en: str
    label_ar: str
    mkdocs: dict[str, Any]

    def name_in(self, lang: str) -> str: ...


def mkdocs_config(options: RendererOptions) -> dict[str, Any]:
    """The MkDocs configuration of a briefing site (English at the root, Arabic under ar/)."""
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
                 "toggle": {"icon": "material/weather-night", "name": LABELS["en"]["dark_mode"]}},
                {"scheme": "slate", "primary": "indigo", "accent": "amber",
                 "toggle": {"icon": "material/weather-sunny", "name": LABELS["en"]["light_mode"]}},
            ],
        },
        "extra_css": [STYLE_SHEET],
        "extra": {"generator": False},
        "markdown_extensions": ["admonition", "tables", "md_in_html", {"toc": {"permalink": False}}],
        "hooks": [str(hooks_file)],
        # Sections only: the navigation of every page stays the same size however large the archive.
        "nav": [{LABELS["en"]["latest"]: link(HOME, HOME)}, {LABELS["en"]["archive"]: link(HOME, ARCHIVE_INDEX)},
                {LABELS["en"]["sources"]: link(HOME, SOURCES_INDEX)}],
        "not_in_nav": f"/{ARTICLES_DIR}/\n/{STORIES_DIR}/\n/{ARCHIVE_DIR}/\n",
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
    palette = config["theme"]["palette"]
    config = _merge_user(config, options.mkdocs)
    if config["theme"].get("palette") is palette:
        # The palette toggle's name is read out by screen readers: worded in each page's language
        # (a project's own palette keeps its own names).
        arabic = config["plugins"][0]["i18n"]["languages"][1]
        arabic["theme"] = {"palette": [{"toggle": {"name": LABELS["ar"][key]}} for key in ("dark_mode", "light_mode")]}
    return config


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


def theme_templates() -> Path:
    """The installed Material theme's templates folder (its icons and partials; see :mod:`nashra.site.chrome`)."""
    import material

    return Path(material.__file__).parent / "templates"


def config_text(config: dict[str, Any]) -> str:
    """The configuration as the ``mkdocs.yml`` written beside the site."""
    from .. import safeyaml

    header = "# Written by Nashra for each build; `mkdocs build` in this folder rebuilds site/ from docs/.\n"
    return header + safeyaml.dump(config)


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """Build HTML with MkDocs; raise :class:`BuildError` on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    errors = _ErrorLines()
    config_log = logging.getLogger("mkdocs.config")
    config_log.addHandler(errors)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
        build(config)
    except MkDocsException as exc:
        if errors.lines:  # MkDocs logs what is wrong and raises only "Aborted with a configuration error!"
            raise BuildError(f"MkDocs refused a setting (check the project's mkdocs.yml): "
                             f"{'; '.join(errors.lines[:3])}") from None
        raise BuildError(f"MkDocs could not build the site: {exc}") from None
    except SystemExit as exc:  # MkDocs aborts this way on fatal warnings
        raise BuildError(f"MkDocs aborted the build (exit {exc.code})") from None
    finally:
        config_log.removeHandler(errors)
        _forget_mkdocs_urls()


class _ErrorLines(logging.Handler):
    """The error lines MkDocs logs while it reads its configuration, each made one line."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(" ".join(record.getMessage().split())[:300])


def _forget_mkdocs_urls() -> None:
    """Empty MkDocs's memo of normalized URLs: it keeps one entry per page and link path without
    bound, so a process that builds again and again (``nashra serve``) would keep every page's."""
    from mkdocs import utils

    for name in ("_norm_parts", "_get_norm_url"):
        cache_clear = getattr(getattr(utils, name, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()

