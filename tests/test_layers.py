"""Imports run downwards only: models, pure modules and services never import the web layers."""

import ast
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parent.parent / "server"
LOWER = ("models", "outcomes", "planning", "sms", "services", "demo", "jobs")
HIGHER = ("server.api", "server.web")
LOWER_FILES = ["problem.py", "phones.py", "enums.py", "errors.py", "extensions.py", "config.py"]


def _lower_modules() -> list[Path]:
    found = [p for layer in LOWER for p in sorted((SERVER / layer).rglob("*.py"))]
    return found + [SERVER / name for name in LOWER_FILES]


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", _lower_modules(), ids=lambda p: str(p.relative_to(SERVER)))
def test_lower_layer_module_never_imports_the_api_or_the_web(path):
    upward = [n for n in _imports(path) if n.startswith(HIGHER)]
    assert upward == [], f"{path.relative_to(SERVER)} imports {upward}"


def test_the_walk_sees_the_modules_it_guards():
    names = {str(p.relative_to(SERVER)) for p in _lower_modules()}
    assert {"services/consent.py", "models/score.py", "sms/parser.py", "outcomes/rules.py"} <= names


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(SERVER.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _module_graph() -> dict[str, set[str]]:
    """Module-level imports between server modules (a function-level import is not an edge)."""
    modules = {_module_name(p): p for p in SERVER.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_no_circle_of_module_level_imports():
    graph, done, path = _module_graph(), set(), []

    def walk(module: str) -> None:
        if module in path:
            raise AssertionError(" -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph[module]):
            walk(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        walk(module)
