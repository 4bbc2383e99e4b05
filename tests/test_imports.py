"""Nashra's own modules import each other without circles; only the MkDocs adapter's modules import MkDocs."""

from __future__ import annotations

import ast
from pathlib import Path

import nashra

PACKAGE = Path(nashra.__file__).parent


def _modules() -> dict[str, Path]:
    modules = {}
    for file in PACKAGE.rglob("*.py"):
        parts = ["nashra", *file.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = file
    return modules


def _imports(name: str, file: Path, modules: dict[str, Path]) -> tuple[set[str], set[str]]:
    """Nashra's modules and the other top-level packages that ``file`` imports anywhere (also inside
    functions and under TYPE_CHECKING: a circle there is a circle in the design)."""
    package = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
    own: set[str] = set()
    others: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                own.add(candidate if candidate in modules else base)
        elif isinstance(node, ast.Import):
            own.update(alias.name for alias in node.names)
    for module in list(own):
        if module not in modules:
            own.discard(module)
            others.add(module.split(".")[0])
    own.discard(name)
    return own, others


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, file, modules)[0] for name, file in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": {"e"}, "f": set()}
    assert sorted(_cycles(graph)) == [["a", "b", "c"], ["e", "e2"]]


def test_the_graph_sees_relative_lazy_and_type_checking_imports():
    graph = _graph()
    assert "nashra.site.urls" in graph["nashra.site.render"]  # from .urls import ...
    assert "nashra.site.archive" in graph["nashra.site.render"]
    assert "nashra.site.inputs" in graph["nashra.site.render"]  # under TYPE_CHECKING
    assert "nashra.site.build" in graph["nashra.pipeline"]  # inside a function


def test_no_import_circles_among_nashras_modules():
    assert _cycles(_graph()) == []


def test_the_site_and_the_grouping_stage_read_the_build_state_through_the_interfaces_they_declare():
    """The site asks its questions of nashra.site.inputs.Archive and grouping of nashra.stories.stage.StoryStore;
    the pipeline hands both the catalog (nashra.state.catalog), which neither imports."""
    graph = _graph()
    site = {name for name in graph if name.startswith("nashra.site.")}
    stories = {name for name in graph if name.startswith("nashra.stories.")}
    assert not {name for name in site if "nashra.state.catalog" in graph[name]}
    assert not {target for name in stories for target in graph[name] if target.startswith("nashra.state.")}
    assert "nashra.state.catalog" in graph["nashra.pipeline"]


def test_only_the_mkdocs_adapter_and_its_hooks_import_mkdocs():
    """The renderer sits behind nashra.site.mkdocs_adapter (and the hooks file it hands to MkDocs);
    ``nashra serve`` runs MkDocs's live-reload server."""
    modules = _modules()
    importers = {name for name, file in modules.items()
                 if _imports(name, file, modules)[1] & {"mkdocs", "material", "mkdocs_static_i18n"}}
    assert importers == {"nashra.site.mkdocs_adapter", "nashra.site.hooks", "nashra.site.devserver"}
