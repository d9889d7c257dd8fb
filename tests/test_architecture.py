"""Dependencies point one way: search_app -> indexer -> libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path.name, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path.name, node.module.split(".")[0]))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("indexer", {"flask", "search_app", "werkzeug", "jinja2", "gunicorn"}), ("search_app", {"pypdf", "bs4"})],
)
def test_imports_point_one_way(package: str, forbidden: set[str]) -> None:
    wrong = sorted((name, module) for name, module in _imports(package) if module in forbidden)
    assert wrong == [], f"{package} must not import {forbidden}"
