"""YAML read without running code and without blowing up: front matter and a project's ``mkdocs.yml``.

Both loaders build on PyYAML's ``SafeLoader``, which constructs only plain data
(mappings, lists, strings, numbers, dates). On top of it:

* the size of the document *with its aliases expanded* is counted before any
  value is made, and a document past the limit is refused: nine anchors of
  nine aliases each are a few hundred bytes and billions of values once a
  title is turned into text;
* nesting deeper than Python can follow is refused, not a crash;
* an impossible date (``2024-13-45``) stays the text it is.

The MkDocs loader also knows the tags MkDocs users need: ``!ENV`` (the value
of an environment variable), ``!relative`` and ``!!python/name:`` (an extension
callable named in the configuration). The last two are kept as :class:`Tagged`
values and written back as they were by :func:`dump`, so that MkDocs resolves
them when it builds; nothing is imported or called while reading. Any other
``!!python/...`` tag, which would construct objects or call functions, is
refused with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YAMLProblem(ValueError):
    """A YAML document that cannot be read safely: ``reason``, at 1-based ``line`` when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True)
class Tagged:
    """A value MkDocs resolves itself, kept as written: ``!relative $docs_dir/x``, ``!!python/name:mod.func``."""

    tag: str
    value: str


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def expanded_size(root: Node) -> int:
    """Nodes plus scalar characters of ``root`` with every alias expanded, in time linear in the document.

    Nodes reached through aliases are shared objects, so each is measured once (without recursion)
    and its size counted as often as it is used. A collection inside itself adds nothing more.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(child), 0) for child in _children(node))
        elif key not in sizes and key not in on_path:
            if isinstance(node, ScalarNode):
                sizes[key] = 1 + len(node.value)
                continue
            on_path.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    return sizes[id(root)]


class _Limited(yaml.SafeLoader):
    """A safe loader that refuses documents whose expansion passes ``max_units``."""

    max_units = 100_000

    def construct_document(self, node: Node) -> Any:
        size = expanded_size(node)
        if size > self.max_units:
            raise YAMLProblem(f"it holds more than {self.max_units:,} values and characters with its aliases "
                              f"expanded (the limit)", node.start_mark.line + 1)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Limited.add_constructor("tag:yaml.org,2002:timestamp", _Limited.construct_yaml_timestamp)


#: Plain scalars YAML 1.1 would turn into booleans and numbers: ``no``, ``0123`` (octal: 83), ``1.10``, ``12:30``.
_TYPED_SCALARS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class FrontMatterLoader(_Limited):
    """Front matter of a Markdown article: plain data only, every plain scalar but a date or null as the
    text written (an article's fields are text: ``source: NO`` is Norway's outlet, not ``False``, and
    ``id: 0123`` is not 83). An explicit tag (``!!int 5``) still makes a number."""

    yaml_implicit_resolvers = {first: [(tag, pattern) for tag, pattern in resolvers if tag not in _TYPED_SCALARS]
                               for first, resolvers in _Limited.yaml_implicit_resolvers.items()}


class MkDocsLoader(_Limited):
    """A project's ``mkdocs.yml``: plain data, ``!ENV``, ``!relative`` and ``!!python/name:``."""

    max_units = 1_000_000


def _construct_env(loader: MkDocsLoader, node: Node) -> Any:
    import yaml_env_tag  # type: ignore[import-untyped]  # MkDocs' own dependency

    return yaml_env_tag.construct_env_tag(loader, node)


def _construct_relative(loader: MkDocsLoader, node: Node) -> Tagged:
    value = loader.construct_scalar(node) if isinstance(node, ScalarNode) else ""
    return Tagged("!relative", str(value or ""))


def _construct_python_name(loader: MkDocsLoader, suffix: str, node: Node) -> Tagged:
    if not suffix or not all(part.isidentifier() for part in suffix.split(".")):
        raise YAMLProblem(f"'!!python/name:{suffix}' is not a dotted Python name", node.start_mark.line + 1)
    return Tagged(f"tag:yaml.org,2002:python/name:{suffix}", "")


_ALLOWED = "allowed tags: !ENV, !relative, !!python/name:"


def _refuse(loader: MkDocsLoader, suffix: str, node: Node) -> Any:
    if str(node.tag).startswith("tag:yaml.org,2002:python/"):
        tag = "!!" + str(node.tag).removeprefix("tag:yaml.org,2002:")
        raise YAMLProblem(f"the tag '{tag}' constructs or calls Python objects, which Nashra does not run "
                          f"({_ALLOWED})", node.start_mark.line + 1)
    raise YAMLProblem(f"unknown tag '{node.tag}' ({_ALLOWED})", node.start_mark.line + 1)


MkDocsLoader.add_constructor("!ENV", _construct_env)
MkDocsLoader.add_constructor("!relative", _construct_relative)
MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _construct_python_name)
MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse)
MkDocsLoader.add_multi_constructor("!", _refuse)


def load(text: str, loader: type[_Limited] = FrontMatterLoader, first_line: int = 1) -> Any:
    """One YAML document read with ``loader``; :class:`YAMLProblem` (with its line) for anything unsafe or broken.

    ``first_line`` is the line of the file the text starts at, for the messages.
    """
    offset = first_line - 1
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - the loaders above are safe loaders
    except YAMLProblem as exc:
        raise YAMLProblem(exc.reason, None if exc.line is None else exc.line + offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(exc.problem or exc.context or "malformed YAML").split())
        unknown = isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in (exc.problem or "")
        if unknown:
            reason = f"unknown tag {reason.rsplit(' ', 1)[-1]}"
        raise YAMLProblem(reason, None if mark is None else mark.line + 1 + offset) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(" ".join(str(exc).split()) or "malformed YAML") from None
    except RecursionError:
        raise YAMLProblem("nested too deeply to read") from None
    except (ValueError, OverflowError) as exc:  # a number too long to convert, and the like
        raise YAMLProblem(" ".join(str(exc).split())) from None


def load_file(path: Path, loader: type[_Limited] = MkDocsLoader) -> Any:
    """:func:`load` of a UTF-8 file."""
    return load(path.read_text(encoding="utf-8"), loader)


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes :class:`Tagged` values back with their tag."""


def _represent_tagged(dumper: _Dumper, value: Tagged) -> Node:
    return dumper.represent_scalar(value.tag, value.value)


_Dumper.add_representer(Tagged, _represent_tagged)


def dump(data: Any) -> str:
    """``data`` as YAML (plain data and :class:`Tagged` values only)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
