"""Briefing project settings: ``nashra.toml``, made by ``nashra init`` and read by every command.

:func:`resolve` returns the one :class:`Settings` a command runs with: the
defaults, then ``nashra.toml``, then the overrides the command line parsed
(its options and their environment variables). An invalid setting is
reported with the file (or the option), the key and the allowed values.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

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
    device: str = "auto"
    #: CPU threads for translation (None: the CPUs available).
    threads: int | None = None
    #: Translation cache file (None: the default one in the user cache folder; False: no cache).
    cache: str | Literal[False] | None = None
    sentences: int = 3
    summarizer: str = DEFAULT_SUMMARIZER
    #: Summary length budget in words (None: the sentence count alone).
    summary_words: int | None = None
    independent_summaries: bool = False
    #: Processes rendering the HTML of a large site, and search parts indexed, at once (None: one per
    #: CPU, at most 4).
    jobs: int | None = None
    #: Exit with status 1 when an input was skipped (build) or a page or feed failed (fetch).
    strict: bool = False
    dev_addr: str = "127.0.0.1:8000"
    site_name: str = "Nashra briefing"
    site_name_ar: str = "نشرة"
    site_description: str = "A bilingual briefing of the Arabic press"
    site_description_ar: str = "موجز ثنائي اللغة للصحافة العربية"
    site_url: str = ""
    #: [site] max_size and max_files: the size budget of the published site (0: no limit; see nashra.site.budget).
    site_max_size: int = 1_000_000_000
    site_max_files: int = 0
    label_en: str = "English"
    label_ar: str = "العربية"
    #: Outlets' display names by raw name, over the built-in table: {"skynews": {"en": ..., "ar": ...}}.
    outlets: dict[str, dict[str, str]] = field(default_factory=dict)
    #: [fetch]: (feed URL, outlet name or None) pairs, days back, entries per feed, seconds between requests.
    fetch_feeds: list[tuple[str, str | None]] = field(default_factory=list)
    fetch_days: int = 2
    fetch_max_per_feed: int = 50
    fetch_delay: float = 1.0
    fetch_timeout: float = 20.0
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


def _model_name(value: Any) -> str:
    if not _text(value).strip():  # "" was the project's own folder, then "has no config.json"
        raise ValueError("must be a model name, Hugging Face id or folder, not empty")
    return value


def _path_text(value: Any) -> str:
    if not _text(value).strip():
        raise ValueError("must be a folder name, not empty")
    return value


def _one_line(limit: int):  # type: ignore[no-untyped-def]
    """A name or description shown on every page: one line of visible text, at most ``limit`` characters."""
    def check(value: Any) -> str:
        from .text.clean import single_line

        text = _text(value)
        if not text.strip() or single_line(text) != text.strip() or len(text) > limit:
            raise ValueError(f"must be one line of visible text, at most {limit:,} characters (no line breaks, tabs, "
                             "control or bidirectional formatting characters)")
        return text.strip()

    return check


def _choice(options: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return check


class ChoiceError(ValueError):
    """A value outside a fixed set of choices."""

    def __init__(self, noun: str, value: Any, options: tuple[str, ...]) -> None:
        super().__init__(f"must be one of {', '.join(options)}")
        self.noun, self.value, self.options = noun, value, options

    def unknown(self) -> str:
        return f"unknown {self.noun} {self.value!r} (choose from {', '.join(self.options)})"


def _named_choice(noun: str, options: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(value: Any) -> str:
        if value not in options:
            raise ChoiceError(noun, value, options)
        return value

    return check


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


#: The most CPU threads a setting may ask for (torch refuses more than a 32-bit count).
MAX_THREADS = 1024


def _threads(value: Any) -> int:
    if _count(value) > MAX_THREADS:
        raise ValueError(f"must be a whole number from 1 to {MAX_THREADS}")
    return value


_DEVICE_RE = re.compile(r"auto|cpu|cuda(:[0-9]{1,4})?")


def _device(value: Any) -> str:
    if not isinstance(value, str) or not _DEVICE_RE.fullmatch(value):
        raise ValueError("must be auto, cpu, cuda or cuda:N (N: the GPU's number, from 0)")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _cache(value: Any) -> str | Literal[False]:
    if value is False or (isinstance(value, str) and value):
        return value
    raise ValueError("must be a file name, or false for no cache")


def _address(value: Any) -> str:
    host, _, port = _text(value).rpartition(":")
    if not host or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:8000")
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


def _feeds(value: Any) -> list[tuple[str, str | None]]:
    if not isinstance(value, list):
        raise ValueError('must be a list of feed URLs or of tables such as { url = "https://...", outlet = "..." }')
    feeds: list[tuple[str, str | None]] = []
    for item in value:
        url, outlet = (item, None) if isinstance(item, str) else (
            (item.get("url"), item.get("outlet")) if isinstance(item, dict) else (None, None))
        if isinstance(item, dict) and set(item) - {"url", "outlet"}:
            raise ValueError(f"has an unknown key in {item!r} (known: url, outlet)")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"has {item!r}, which is not an http(s) URL or a table with one as url")
        if outlet is not None and not (isinstance(outlet, str) and outlet.strip()):
            raise ValueError(f"has {item!r}, whose outlet is not a name")
        feeds.append((url, outlet))
    return feeds


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("must be a number of seconds, 0 or more")
    return float(value)


def _timeout(value: Any) -> float:
    if _seconds(value) < 1:
        raise ValueError("must be a number of seconds, 1 or more")
    return float(value)


def _size(value: Any) -> int:
    from .site.budget import parse_size

    return parse_size(value)


def _file_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a number of files, or 0 for no limit")
    return value


SCHEMA: dict[tuple[str, str], tuple[str, Any]] = {
    ("", "sources"): ("sources", _paths),
    ("", "output"): ("output", _path_text),
    ("", "jobs"): ("jobs", _count),
    ("", "strict"): ("strict", _flag),
    ("translation", "model"): ("model", _model_name),
    ("translation", "engine"): ("engine", _named_choice("translation engine", tuple(ENGINES))),
    ("translation", "compute_type"): ("compute_type", _choice(COMPUTE_TYPES)),
    ("translation", "device"): ("device", _device),
    ("translation", "threads"): ("threads", _threads),
    ("translation", "cache"): ("cache", _cache),
    ("summary", "sentences"): ("sentences", _count),
    ("summary", "summarizer"): ("summarizer", _named_choice("summarizer", tuple(SUMMARIZERS))),
    ("summary", "words"): ("summary_words", _count),
    ("summary", "independent"): ("independent_summaries", _flag),
    ("site", "name"): ("site_name", _one_line(200)),
    ("site", "name_ar"): ("site_name_ar", _one_line(200)),
    ("site", "description"): ("site_description", _one_line(1000)),
    ("site", "description_ar"): ("site_description_ar", _one_line(1000)),
    ("site", "url"): ("site_url", _url),
    ("site", "max_size"): ("site_max_size", _size),
    ("site", "max_files"): ("site_max_files", _file_count),
    ("languages", "en"): ("label_en", _one_line(200)),
    ("languages", "ar"): ("label_ar", _one_line(200)),
    ("fetch", "feeds"): ("fetch_feeds", _feeds),
    ("fetch", "days"): ("fetch_days", _count),
    ("fetch", "max_per_feed"): ("fetch_max_per_feed", _count),
    ("fetch", "delay"): ("fetch_delay", _seconds),
    ("fetch", "timeout"): ("fetch_timeout", _timeout),
    ("serve", "dev_addr"): ("dev_addr", _address),
}
#: Settings attribute -> its key in nashra.toml ("table.key", or "key" at the top).
KEYS = {attribute: f"{table}.{key}" if table else key for (table, key), (attribute, _) in SCHEMA.items()}
_TABLES = {table for table, _ in SCHEMA if table} | {"outlets"}


def _outlets(file: Path, value: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The [outlets] table: each raw name -> { en = "...", ar = "..." } (either may be left out)."""
    names: dict[str, dict[str, str]] = {}
    for raw, entry in value.items():
        if (not isinstance(entry, dict) or not entry or set(entry) - {"en", "ar"}
                or not all(isinstance(v, str) and v.strip() for v in entry.values())):
            raise ConfigError(f"{file}: 'outlets.{raw}' = {entry!r} must be a table such as "
                              '{ en = "Sky News Arabia", ar = "سكاي نيوز عربية" }')
        for lang, name in entry.items():
            try:
                _one_line(200)(name)
            except ValueError as exc:
                raise ConfigError(f"{file}: 'outlets.{raw}.{lang}' = {name!r} {exc}") from None
        names[raw] = {k: v.strip() for k, v in entry.items()}
    return names


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
    settings.root = file.parent
    for key, value in data.items():
        if key == "outlets" and isinstance(value, dict):
            settings.outlets = _outlets(file, value)
        elif isinstance(value, dict):
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


def resolve(file: Path | None, overrides: dict[str, Any] | None = None) -> Settings:
    """The settings a command runs with: defaults < ``file`` < ``overrides``, validated, paths ready to use.

    ``overrides`` maps Settings attributes to what the command line gave (an
    option, or its environment variable); they are checked as the file's
    values are. Paths from the file (sources, output, a model folder, the
    cache) are made relative to the file's folder; those given as overrides
    are used as given.
    """
    if file is not None and not file.is_file():
        raise ConfigError(f"{file}: {'not a regular file' if file.exists() else 'no such settings file'}")
    settings = load_settings(file)
    values: dict[str, Any] = {}
    if file is not None:
        values["sources"] = [str(settings.path(s)) for s in settings.sources]
        values["output"] = str(settings.path(settings.output))
        if isinstance(settings.cache, str):
            values["cache"] = str(settings.path(settings.cache))
        if not Path(settings.model).is_absolute() and "model" not in (overrides or {}):
            local = settings.path(settings.model)  # a model folder beside the file
            values["model"] = str(local) if local.exists() else settings.model
    checkers = {attribute: check for attribute, check in SCHEMA.values()}
    for attribute, value in (overrides or {}).items():
        if attribute not in checkers:
            raise ConfigError(f"unknown setting '{attribute}' (known: {', '.join(sorted(checkers))})")
        try:
            values[attribute] = checkers[attribute](value)
        except ChoiceError as exc:
            raise ConfigError(exc.unknown()) from None
        except ValueError as exc:
            raise ConfigError(f"{KEYS[attribute]} = {value!r} {exc}") from None
    return replace(settings, **values)


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings) if f.name != "root"]


TEMPLATE = '''# Settings of this Nashra briefing. `nashra build` run in this folder reads them;
# command-line options override them. Reference: the "Configuration" page of the docs.

# Folders or files of articles (.txt, .md, .xml, .json, .jsonl), relative to this file.
sources = ["articles"]
# Where the Markdown (docs/) and the static site (site/) are written.
output = "briefing"
# Exit with status 1 when an input was skipped (build) or a page or feed failed (fetch).
# strict = false
# Processes rendering the HTML of a large site, and search index parts indexed, at once
# (default: one per CPU, at most 4).
# jobs = 2

[translation]
# opus-mt (this model: faster) or tc-big (better, CC-BY-4.0; see the Models page of the docs),
# a Hugging Face model id, or a folder holding the model (works offline).
model = "Helsinki-NLP/opus-mt-ar-en"
# transformers, or ctranslate2 (pip install 'nashra[ctranslate2]').
engine = "transformers"
# Precision of the weights with ctranslate2: int8, int16, float16, float32, ...
compute_type = "int8"
# cpu, cuda, cuda:N, or auto (CUDA when available).
# device = "auto"
# CPU threads (default: the CPUs available).
# threads = 4
# The translation cache file, relative to this file (default: one in the user cache folder),
# or false for none.
# cache = "translations.sqlite3"

[summary]
# Sentences in each summary.
sentences = 3
# learned (default: a ranker learned from editors' abstracts), newsrank, textrank or lead.
summarizer = "learned"
# A length budget: no summary sentence is added past this many words.
# words = 60
# Rank the English translation on its own instead of translating the Arabic summary.
# independent = false

[site]
name = "{name}"
name_ar = "{name_ar}"
description = "{description}"
# The Arabic feed's description.
description_ar = "موجز ثنائي اللغة للصحافة العربية"
# The address the site is published at, such as https://example.org/briefing/.
# Feeds and sitemap.xml need it for absolute links; leave empty while trying things out.
url = ""
# The most the published site may weigh: GitHub Pages and GitLab Pages take 1 GB. Past it, the
# oldest articles' pages give way to compact entries (title, summary in both languages, link to the
# original) on the archive's day pages; their Markdown stays in docs/. "0" for no limit.
max_size = "1 GB"
# The most files it may have (0: no limit); GitLab Pages takes 200,000, Cloudflare Pages' free plan 20,000.
max_files = 0

[languages]
# Labels of the language switcher.
en = "English"
ar = "العربية"

# Names shown for outlets, by the name the articles give (Nashra knows the common Arabic outlets:
# skynews, alarabia, BBC, CNN, france24, aljazeera...).
# [outlets]
# "Example Wire" = {{ en = "Example Wire", ar = "وكالة المثال" }}
[fetch]
# RSS/Atom feeds that `nashra fetch` reads (it writes new articles into the first source folder),
# each a URL or a table with the outlet's name, for example:
#   feeds = [
#     {{ url = "https://www.example-news.com/rss.xml", outlet = "Example News" }},
#     "https://another-outlet.example/feed/",
#   ]
feeds = []
# Entries published more than this many days ago are left out.
days = 2
# At most this many of each feed's newest entries.
max_per_feed = 50
# Seconds between two requests to the same site.
delay = 1.0
# Seconds to wait for a site before giving up on it.
timeout = 20.0

[serve]
# The address `nashra serve` serves the site on.
dev_addr = "127.0.0.1:8000"
'''

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
