"""Dependencies point one way: search_app -> indexer -> libraries, and the website reaches the
index only through the engine seam (`indexer.engine.kennisbank`)."""

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


def _indexer_modules_imported_by(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("indexer"):
                modules = [node.module] if node.module != "indexer" else [f"indexer.{a.name}" for a in node.names]
                found |= {(path.name, module) for module in modules}
            elif isinstance(node, ast.Import):
                found |= {(path.name, alias.name) for alias in node.names if alias.name.startswith("indexer")}
    return found


# What the website may use of the indexer: the seam and its plain data, and the parts that are not the
# engine (configuration, errors, the corpus and its curation, formats, taxonomy, dossier texts, CLI).
WEBSITE_MAY_IMPORT = (
    "indexer.engine.kennisbank",
    "indexer.engine.results",
    "indexer.engine.facet_specs",
    "indexer.config",
    "indexer.errors",
    "indexer.cli",
    "indexer.cli_args",
    "indexer.corpus",
    "indexer.extract",
    "indexer.themes.taxonomy",
    "indexer.dossiers.texts",
    "indexer.indexing.progress",
)


def test_the_website_reaches_the_index_only_through_the_engine_seam() -> None:
    assert "whoosh" not in {module for _, module in _imports("search_app")}, "search_app must not import whoosh"
    wrong = sorted(
        (name, module)
        for name, module in _indexer_modules_imported_by("search_app")
        if not any(module == allowed or module.startswith(f"{allowed}.") for allowed in WEBSITE_MAY_IMPORT)
    )
    assert wrong == [], "search_app goes through indexer.engine.kennisbank, not the engine's parts"


def test_the_engine_needs_no_search_engine_but_behind_the_seam() -> None:
    """The query tree, its reading and the plain data are the same for every backend: only the seam
    (`engine/kennisbank.py`) composes one."""
    wrong = sorted(
        (name, module)
        for name, module in _indexer_modules_imported_by("indexer/engine") | _imports("indexer/engine")
        if name != "kennisbank.py" and (module == "whoosh" or module.startswith("indexer.backends"))
    )
    assert wrong == []
