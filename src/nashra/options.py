"""A setting declared once: its field in a section's dataclass says everything about it.

Each section of the settings is a dataclass that its stage takes as it is
(:class:`nashra.translate.options.TranslationOptions`,
:class:`nashra.summarize.options.SummaryOptions`, :class:`nashra.site.options.SiteOptions`,
:class:`nashra.fetch.options.FetchOptions`; the project's own in :class:`nashra.config.Settings`).
A field made by :func:`setting` carries, beside its type and default, a :class:`Declared`: its
key in ``nashra.toml``, the check of a value, the help, and the command-line option and
environment variable that set it. The file's schema and its error messages, the template
``nashra init`` writes, the command-line options and the documentation's table are all made
from these declarations (:mod:`nashra.config`, :mod:`nashra.cli`), as mkdocs makes its
configuration from ``config/defaults.py``.

The checks shared by many settings are here too; each returns the value to keep or raises
``ValueError`` with the end of a sentence ("must be ...") that names no setting.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: No default in the template: the line is commented out, with :attr:`Declared.example` as its value.
NOT_SET = object()


@dataclass(frozen=True)
class Declared:
    """What a setting is, beside its type and default (see :func:`setting`)."""

    #: The key in its section of nashra.toml.
    key: str
    #: The check of a value from the file, an option or an environment variable.
    check: Callable[[Any], Any]
    #: One or two sentences: the option's help, the template's comment, the documentation's meaning.
    help: str
    #: What holds for the value in nashra.toml only (where a path is relative to), added to the
    #: template's comment and the documentation, not to the option's help.
    file_note: str = ""
    #: The section of nashra.toml ("" for the top of the file); None: the section of its class.
    section: str | None = None
    #: Command-line option names (``("-n", "--sentences")``); empty when no option sets it.
    option: tuple[str, ...] = ()
    #: A boolean switch's negative option (``--no-strict``), or an option that sets the value to
    #: ``False`` (``--no-cache``, with :attr:`off_help`).
    off: str | None = None
    off_help: str = ""
    envvar: str | None = None
    #: The command line's positional argument (SOURCES) rather than an option.
    argument: bool = False
    metavar: str | None = None
    #: How the command line reads the option's text: int, float, str, bool (a switch), "folder" or
    #: "file" (a path that must not be the other; None: the type of the default).
    kind: Any = None
    #: The default as the help and the documentation say it, when it is not the value itself.
    shown: str | None = None
    #: The template's value for a setting left commented out (its default is written otherwise).
    example: Any = NOT_SET
    #: The value the template writes, when it is not the default itself ("1 GB" for 1,000,000,000).
    written: Any = NOT_SET
    #: Lines of the template after the comment, commented out (an example of a table, say).
    template_note: str = ""


def setting(default: Any = dataclasses.MISSING, *, factory: Callable[[], Any] | None = None, **declared: Any) -> Any:
    """A dataclass field that is a setting: ``default`` (or ``factory``) and the :class:`Declared` keywords."""
    metadata = {"setting": Declared(**declared)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Entry:
    """One declared setting as the machinery sees it: where it lies in the settings and in the file."""

    #: Attribute path from the settings object: ("summary", "sentences"), ("strict",).
    path: tuple[str, ...]
    section: str
    declared: Declared
    default: Any

    @property
    def key(self) -> str:
        """Its name in nashra.toml: ``summary.sentences``, ``strict`` at the top, ``outlets`` for a table."""
        if not self.declared.key:
            return self.section
        return f"{self.section}.{self.declared.key}" if self.section else self.declared.key

    @property
    def kind(self) -> Any:
        """How the command line reads the option's text (see :attr:`Declared.kind`)."""
        if self.declared.kind is not None:
            return self.declared.kind
        return type(self.default) if isinstance(self.default, (bool, int, float)) else str

    @property
    def param(self) -> str:
        """The name of its command-line parameter."""
        return "__".join(self.path)

    def get(self, settings: Any) -> Any:
        for name in self.path:
            settings = getattr(settings, name)
        return settings

    def set(self, settings: Any, value: Any) -> Any:
        """``settings`` with this setting set to ``value``: a copy, its sections copied along the path."""
        return _replaced(settings, self.path, value)


def _replaced(holder: Any, path: tuple[str, ...], value: Any) -> Any:
    head, rest = path[0], path[1:]
    return dataclasses.replace(holder, **{head: _replaced(getattr(holder, head), rest, value) if rest else value})


def entries(cls: type, section: str = "", path: tuple[str, ...] = ()) -> Iterator[Entry]:
    """Every setting declared by ``cls`` and by the sections it holds, in declaration order."""
    section = getattr(cls, "SECTION", section)
    for field in dataclasses.fields(cls):
        declared = field.metadata.get("setting")
        if declared is not None:
            default = field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default
            yield Entry((*path, field.name), section if declared.section is None else declared.section, declared,
                        default)
        elif isinstance(field.default_factory, type) and dataclasses.is_dataclass(field.default_factory):
            yield from entries(field.default_factory, section, (*path, field.name))


# -- checks ----------------------------------------------------------------------------------------

def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def model_name(value: Any) -> str:
    if not text(value).strip():  # "" was the project's own folder, then "has no config.json"
        raise ValueError("must be a model name, Hugging Face id or folder, not empty")
    return value  # type: ignore[no-any-return]


def path_text(value: Any) -> str:
    if not text(value).strip():
        raise ValueError("must be a folder name, not empty")
    return value  # type: ignore[no-any-return]


def one_line(limit: int) -> Callable[[Any], str]:
    """A name or description shown on every page: one line of visible text, at most ``limit`` characters."""
    def check(value: Any) -> str:
        from .text.clean import single_line

        value = text(value)
        if not value.strip() or single_line(value) != value.strip() or len(value) > limit:
            raise ValueError(f"must be one line of visible text, at most {limit:,} characters (no line breaks, tabs, "
                             "control or bidirectional formatting characters)")
        return value.strip()

    return check


def choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value  # type: ignore[no-any-return]

    return check


class NestedError(ValueError):
    """A bad value inside a setting's table: ``where`` is its key path below the setting."""

    def __init__(self, where: str, value: Any, message: str) -> None:
        super().__init__(message)
        self.where, self.value = where, value


class ChoiceError(ValueError):
    """A value outside a fixed set of choices that has a name of its own (an engine, a summarizer)."""

    def __init__(self, noun: str, value: Any, options: tuple[str, ...]) -> None:
        super().__init__(f"must be one of {', '.join(options)}")
        self.noun, self.value, self.options = noun, value, options

    def unknown(self) -> str:
        return f"unknown {self.noun} {self.value!r} (choose from {', '.join(self.options)})"


def named_choice(noun: str, options: Callable[[], tuple[str, ...]]) -> Callable[[Any], str]:
    """One of ``options()`` (a registry's names, read when a value is checked)."""
    def check(value: Any) -> str:
        if value not in options():
            raise ChoiceError(noun, value, options())
        return value  # type: ignore[no-any-return]

    return check


def count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def address(value: Any) -> str:
    host, _, port = text(value).rpartition(":")
    if not host or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:8000")
    return value  # type: ignore[no-any-return]


def paths(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a folder or file name, or a list of them")
    return value


def url(value: Any) -> str:
    value = text(value)
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("must be empty or an http(s) URL such as https://example.org/briefing/")
    return value if not value or value.endswith("/") else value + "/"


def seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("must be a number of seconds, 0 or more")
    return float(value)


def at_least_a_second(value: Any) -> float:
    if seconds(value) < 1:
        raise ValueError("must be a number of seconds, 1 or more")
    return float(value)


_DEVICE_RE = re.compile(r"auto|cpu|cuda(:[0-9]{1,4})?")


def device(value: Any) -> str:
    if not isinstance(value, str) or not _DEVICE_RE.fullmatch(value):
        raise ValueError("must be auto, cpu, cuda or cuda:N (N: the GPU's number, from 0)")
    return value
