"""Briefing project settings: ``nashra.toml``, made by ``nashra init`` and read by ``nashra build``.

Command-line options override the file; the file overrides the defaults. An
invalid setting is reported with the file, the key and the allowed values.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .summarize import DEFAULT_SUMMARIZER, SUMMARIZERS
from .translate import COMPUTE_TYPES, DEFAULT_MODEL, ENGINES

CONFIG_NAME = "nashra.toml"


@dataclass
class Settings:
    """Every setting of a briefing project, with its default."""

    sources: list[str] = field(default_factory=lambda: ["articles"])
    output: str = "briefing"
    model: str = DEFAULT_MODEL
    engine: str = "transformers"
    compute_type: str = "int8"
    sentences: int = 3
    summarizer: str = DEFAULT_SUMMARIZER
    site_name: str = "Nashra briefing"
    site_name_ar: str = "نشرة"
    site_description: str = "A bilingual briefing of the Arabic press"
    site_description_ar: str = "موجز ثنائي اللغة للصحافة العربية"
    site_url: str = ""
    label_en: str = "English"
    label_ar: str = "العربية"
    #: Folder of the nashra.toml the settings came from (None: defaults only).
    root: Path | None = None

    def path(self, value: str) -> Path:
        """A path from the file, relative to the file's folder."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() or self.root is None else self.root / candidate


# (table, key) in nashra.toml -> (Settings attribute, checker)
def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _choice(options: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return check


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


def _paths(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a folder or file name, or a list of them")
    return value


def _url(value: Any) -> str:
    value = _text(value)
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("must be empty or an http(s) URL such as https://example.org/briefing/")
    return value if not value or value.endswith("/") else value + "/"


SCHEMA: dict[tuple[str, str], tuple[str, Any]] = {
    ("", "sources"): ("sources", _paths),
    ("", "output"): ("output", _text),
    ("translation", "model"): ("model", _text),
    ("translation", "engine"): ("engine", _choice(tuple(ENGINES))),
    ("translation", "compute_type"): ("compute_type", _choice(COMPUTE_TYPES)),
    ("summary", "sentences"): ("sentences", _count),
    ("summary", "summarizer"): ("summarizer", _choice(tuple(SUMMARIZERS))),
    ("site", "name"): ("site_name", _text),
    ("site", "name_ar"): ("site_name_ar", _text),
    ("site", "description"): ("site_description", _text),
    ("site", "description_ar"): ("site_description_ar", _text),
    ("site", "url"): ("site_url", _url),
    ("languages", "en"): ("label_en", _text),
    ("languages", "ar"): ("label_ar", _text),
}
_TABLES = {table for table, _ in SCHEMA if table}


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
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror}") from None
    settings.root = file.parent
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in _TABLES:
                raise ConfigError(f"{file}: unknown section [{key}] (known: {', '.join(f'[{t}]' for t in sorted(_TABLES))})")
            for sub, sub_value in value.items():
                _apply(settings, file, key, sub, sub_value)
        else:
            _apply(settings, file, "", key, value)
    return settings


def _apply(settings: Settings, file: Path, table: str, key: str, value: Any) -> None:
    name = f"{table}.{key}" if table else key
    try:
        attribute, check = SCHEMA[(table, key)]
    except KeyError:
        known = sorted(k for t, k in SCHEMA if t == table)
        raise ConfigError(f"{file}: unknown setting '{name}' (known{' in [' + table + ']' if table else ''}: "
                          f"{', '.join(known)})") from None
    try:
        setattr(settings, attribute, check(value))
    except ValueError as exc:
        raise ConfigError(f"{file}: '{name}' = {value!r} {exc}") from None


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings) if f.name != "root"]


TEMPLATE = '''# Settings of this Nashra briefing. `nashra build` run in this folder reads them;
# command-line options override them. Reference: the "Configuration" page of the docs.

# Folders or files of articles (.txt, .md, .xml, .json, .jsonl), relative to this file.
sources = ["articles"]
# Where the Markdown (docs/) and the static site (site/) are written.
output = "briefing"

[translation]
# A Hugging Face model id, or a folder holding the model (works offline).
model = "Helsinki-NLP/opus-mt-ar-en"
# transformers, or ctranslate2 (pip install 'nashra[ctranslate2]').
engine = "transformers"
# Precision of the weights with ctranslate2: int8, int16, float16, float32, ...
compute_type = "int8"

[summary]
# Sentences in each summary.
sentences = 3
# newsrank (default), textrank or lead.
summarizer = "newsrank"

[site]
name = "{name}"
name_ar = "{name_ar}"
description = "{description}"
# The Arabic feed's description.
description_ar = "موجز ثنائي اللغة للصحافة العربية"
# The address the site is published at, such as https://example.org/briefing/.
# Feeds and sitemap.xml need it for absolute links; leave empty while trying things out.
url = ""

[languages]
# Labels of the language switcher.
en = "English"
ar = "العربية"
'''

MKDOCS_TEMPLATE = '''# Theme settings of this briefing's site. Nashra reads this file and adds what a briefing
# needs (languages, navigation, search); you may change the theme's look: palette, fonts,
# logo, features, extra_css, extra_javascript, markdown_extensions, custom_dir.
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
