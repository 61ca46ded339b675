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
