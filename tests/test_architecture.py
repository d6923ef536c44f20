"""The package's shape: no import cycles, no reaching into another module's private names,
SQL only in `callqa.store`, and an exception tree in `errors.py` that lists every class."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import callqa.errors

PACKAGE = Path(callqa.errors.__file__).resolve().parent
SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER))\b",
    re.S | re.I,
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every runtime import (TYPE_CHECKING blocks skipped)."""
    tree = ast.parse(path.read_text(), str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for n in ast.walk(node))
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.extend((a.name, []) for a in node.names if a.name.startswith("callqa"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("callqa"):
            names = [a.name for a in node.names]
            subs = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in modules]
            out.extend((s, []) for s in subs)
            rest = [n for n in names if f"{node.module}.{n}" not in modules]
            if rest:
                out.append((node.module, rest))
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        name: {m for m, _ in _imports(path, modules) if m in modules and m != name}
        for name, path in modules.items()
    }
    # A package's __init__ re-exporting its own submodules is not a cycle of design.
    for name in list(graph):
        graph[name] = {m for m in graph[name] if not (m.startswith(name + ".") and name != m)}
    assert _cycles(graph) == []


def test_no_private_names_from_other_modules() -> None:
    modules = _modules()
    bad = [
        f"{name} imports {imported}.{n}"
        for name, path in modules.items()
        for imported, names in _imports(path, modules)
        for n in names
        if n.startswith("_") and not n.startswith("__") and imported != name
    ]
    assert bad == []


def test_sql_only_in_store() -> None:
    offenders = []
    for name, path in _modules().items():
        if name == "callqa.store" or name.startswith("callqa.store."):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.search(node.value)
            ):
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_exception_tree_lists_every_class() -> None:
    for name in _modules():
        if not name.startswith("callqa.web") and "pyannote" not in name:
            importlib.import_module(name)
    importlib.import_module("callqa.web")

    def walk(cls: type) -> list[type]:
        return [cls] + [c for sub in cls.__subclasses__() for c in walk(sub)]

    classes = [
        c.__name__ for c in walk(callqa.errors.CallQAError) if c.__module__.startswith("callqa")
    ]
    doc = callqa.errors.__doc__ or ""
    missing = [name for name in classes if not re.search(rf"\b{name}\b", doc)]
    assert len(classes) > 5 and missing == []
