"""Briefing project settings: ``nashra.toml``, made by ``nashra init`` and read by every command.

:func:`resolve` returns the one :class:`Settings` a command runs with: the
defaults, then ``nashra.toml``, then the overrides the command line parsed
(its options and their environment variables). An invalid setting is
reported with the file (or the option), the key and the allowed values.

Every setting is declared once, in the section its stage takes (see :mod:`nashra.options`);
the file's schema, the template ``nashra init`` writes (:func:`template`) and the
documentation's table (:func:`settings_table`) are made here from those declarations, and the
command-line options in :mod:`nashra.cli`.
"""

from __future__ import annotations

import json
import textwrap
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import options as check
from .errors import ConfigError
from .fetch.options import FetchOptions
from .options import NOT_SET, ChoiceError, Entry, NestedError, entries, setting
from .site.options import SiteOptions
from .summarize.options import SummaryOptions
from .translate.options import TranslationOptions

CONFIG_NAME = "nashra.toml"


@dataclass
class Settings:
    """Every setting of a briefing project: the project's own, then one section per stage."""

    SECTION = ""

    sources: list[str] = setting(
        factory=lambda: ["articles"], key="sources", check=check.paths, argument=True, shown='`["articles"]`',
        help="Folders or files of articles (.txt, .md, .xml, .json, .jsonl).", file_note="Relative to nashra.toml.")
    output: str = setting(
        "briefing", key="output", check=check.path_text, option=("-o", "--output"), kind="folder",
        help="Where the Markdown (docs/) and the static site (site/) are written.", file_note="Relative to nashra.toml.")
    #: Exit with status 1 when an input was skipped (build) or a page or feed failed (fetch).
    strict: bool = setting(
        False, key="strict", check=check.flag, option=("--strict",), off="--no-strict", kind=bool, example=False,
        help="Exit with status 1 when an input was skipped (build) or a page or feed failed (fetch).")
    translation: TranslationOptions = field(default_factory=TranslationOptions)
    summary: SummaryOptions = field(default_factory=SummaryOptions)
    site: SiteOptions = field(default_factory=SiteOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    dev_addr: str = setting(
        "127.0.0.1:8000", section="serve", key="dev_addr", check=check.address, option=("-a", "--dev-addr"),
        metavar="HOST:PORT", help="The address `nashra serve` serves the site on.")
    #: Folder of the nashra.toml the settings came from (None: defaults only).
    root: Path | None = None

    def path(self, value: str) -> Path:
        """A path from the file, relative to the file's folder."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() or self.root is None else self.root / candidate


def declared(cls: type | None = None) -> list[Entry]:
    """Every setting of ``cls`` (default: :class:`Settings`, all of them), in the order of the template."""
    found = list(entries(cls or Settings))
    order = list(dict.fromkeys(e.section for e in found))
    return sorted(found, key=lambda e: order.index(e.section))


def _schema(cls: type | None = None) -> dict[tuple[str, str], Entry]:
    """(section, key) of nashra.toml -> its setting; a table setting ([outlets]) under (section, "")."""
    return {(e.section, e.declared.key): e for e in declared(cls)}


def _checked(entry: Entry, value: Any, where: str, label: str | None = None) -> Any:
    """``value`` as ``entry``'s check keeps it; a ConfigError otherwise, naming ``where`` (a file) and the key,
    or the option or environment variable it was given as (``label``) and the setting it gives."""
    try:
        return entry.declared.check(value)
    except NestedError as exc:
        raise ConfigError(f"{where}'{entry.key}.{exc.where}' = {exc.value!r} {exc}") from None
    except ChoiceError as exc:
        if not where:
            raise ConfigError((f"{label}: " if label else "") + exc.unknown()) from None
        raise ConfigError(f"{where}'{entry.key}' = {value!r} {exc}") from None
    except ValueError as exc:
        if where:
            raise ConfigError(f"{where}'{entry.key}' = {value!r} {exc}") from None
        name = f"{label} ({entry.key})" if label else entry.key
        raise ConfigError(f"{name} = {value!r} {exc}") from None


def find_config(start: Path | None = None) -> Path | None:
    """``nashra.toml`` in ``start`` (default: the current folder), if there is one."""
    candidate = (start or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_settings(file: Path | None) -> Settings:
    """Settings from ``file`` (or the defaults when ``None``); raise ConfigError naming file and key."""
    settings = Settings()
    if file is None:
        return settings
    try:
        # utf-8-sig: a byte-order mark, which some editors put first, is no TOML error.
        data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text (byte offset {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror}") from None
    schema = _schema()
    tables = {section for section, _ in schema if section}
    settings.root = file.parent
    for key, value in data.items():
        if isinstance(value, dict) and (key, "") in schema:  # a table that is one setting
            settings = schema[(key, "")].set(settings, _checked(schema[(key, "")], value, f"{file}: "))
        elif isinstance(value, dict):
            if key not in tables:
                raise ConfigError(f"{file}: unknown section [{key}] (known: {', '.join(f'[{t}]' for t in sorted(tables))})")
            for sub, sub_value in value.items():
                settings = _apply(settings, schema, file, key, sub, sub_value)
        else:
            settings = _apply(settings, schema, file, "", key, value)
    return settings


def _apply(settings: Settings, schema: dict[tuple[str, str], Entry], file: Path, table: str, key: str,
           value: Any) -> Settings:
    entry = schema.get((table, key))
    if entry is None or not key:
        known = sorted(k for t, k in schema if t == table and k)
        raise ConfigError(f"{file}: unknown setting '{f'{table}.{key}' if table else key}' (known"
                          f"{' in [' + table + ']' if table else ''}: {', '.join(known)})")
    return entry.set(settings, _checked(entry, value, f"{file}: "))


def resolve(file: Path | None, overrides: dict[str, Any] | None = None,
            given_as: dict[str, str] | None = None) -> Settings:
    """The settings a command runs with: defaults < ``file`` < ``overrides``, validated, paths ready to use.

    ``overrides`` maps settings, by their key in nashra.toml (``summary.sentences``, ``strict``), to
    what the command line gave (an option, or its environment variable); they are checked as the
    file's values are. Paths from the file (sources, output, a model folder, the cache) are made
    relative to the file's folder; those given as overrides are used as given. ``given_as`` names how an
    override was given (``-n/--sentences``, ``NASHRA_JOBS``), for its error message.
    """
    if file is not None and not file.is_file():
        raise ConfigError(f"{file}: {'not a regular file' if file.exists() else 'no such settings file'}")
    settings = load_settings(file)
    if file is not None:
        translation = settings.translation
        if isinstance(translation.cache, str):
            translation = replace(translation, cache=str(settings.path(translation.cache)))
        if not Path(translation.model).is_absolute() and "translation.model" not in (overrides or {}):
            local = settings.path(translation.model)  # a model folder beside the file
            translation = replace(translation, model=str(local) if local.exists() else translation.model)
        settings = replace(settings, sources=[str(settings.path(s)) for s in settings.sources],
                           output=str(settings.path(settings.output)), translation=translation)
    by_key = {e.key: e for e in declared()}
    for key, value in (overrides or {}).items():
        if key not in by_key:
            raise ConfigError(f"unknown setting '{key}' (known: {', '.join(sorted(by_key))})")
        label = (given_as or {}).get(key)
        settings = by_key[key].set(settings, _checked(by_key[key], value, "", label))
    return settings


# -- what is made from the declarations ------------------------------------------------------------

def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"# {indent}{line}" for line in textwrap.wrap(text, 96 - len(indent))]


def template(name: str | None = None, name_ar: str | None = None, cls: type | None = None) -> str:
    """The nashra.toml ``nashra init`` writes: every setting with its help, set to its default or
    commented out with an example; ``name`` and ``name_ar`` are the site's names."""
    given = {"site.name": name, "site.name_ar": name_ar}
    lines = ["# Settings of this Nashra briefing. `nashra build` run in this folder reads them;",
             "# command-line options override them. Reference: the \"Configuration\" page of the docs."]
    section = None
    for entry in declared(cls):
        d = entry.declared
        if entry.section != section:
            section = entry.section
            if section and d.key:
                lines += ["", f"[{section}]"]
        if not d.key:  # a table that is one setting: its section's header and an example, commented out
            lines += ["", *_comment(d.help), f"# [{entry.section}]", *[f"# {line}" for line in d.template_note.splitlines()]]
            continue
        if section == "" and lines[-1] != "":
            lines.append("")
        lines += _comment(f"{d.help} {d.file_note}".strip())
        if d.template_note:
            lines += ["# For example:", *[f"#   {line}" for line in d.template_note.splitlines()]]
        value = given.get(entry.key)
        if value is None:
            value = d.written if d.written is not NOT_SET else entry.default
        if d.example is not NOT_SET or value is None:
            lines.append(f"# {d.key} = {_toml(d.example)}")
        else:
            lines.append(f"{d.key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _shown_default(entry: Entry) -> str:
    d = entry.declared
    return d.shown if d.shown is not None else f"`{_toml(entry.default)}`"


def settings_table(cls: type | None = None) -> str:
    """The documentation's table of settings: key, option (environment variable), default, meaning."""
    rows = ["| setting | option (env) | default | meaning |", "| --- | --- | --- | --- |"]
    for entry in declared(cls):
        d = entry.declared
        key = f"[{entry.section}] {d.key}" if entry.section and d.key else f"[{entry.section}]" if entry.section else d.key
        names = "SOURCES..." if d.argument else ", ".join(d.option)
        option = f"`{names}`" if names else ""
        if d.envvar:
            option += f" (`{d.envvar}`)"
        if d.off:
            option += f" / `{d.off}`"
        meaning = f"{d.help} {d.file_note}".strip().replace("|", "\\|")
        rows.append(f"| `{key}` | {option} | {_shown_default(entry)} | {meaning} |")
    return "\n".join(rows) + "\n"


MKDOCS_TEMPLATE = '''# Theme settings of this briefing's site. Nashra reads this file and adds what a briefing
# needs (languages, navigation, search); you may change the theme's look: palette, fonts,
# logo, features, extra_css, extra_javascript, markdown_extensions, custom_dir.
# (The site's names shown on its pages are [site] name and name_ar in nashra.toml.)
site_name: {name}
theme:
  name: material
  font: false
  features:
    - navigation.top
    - search.highlight
  palette:
    - scheme: default
      primary: indigo
      accent: amber
      toggle:
        icon: material/weather-night
        name: Dark mode
    - scheme: slate
      primary: indigo
      accent: amber
      toggle:
        icon: material/weather-sunny
        name: Light mode
'''
