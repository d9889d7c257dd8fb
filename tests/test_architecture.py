"""Dependencies point one way: search_app -> indexer -> libraries, and the website reaches the
index only through the engine seam (`indexer.engine.kennisbank`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports_by_file(package: str) -> set[tuple[str, str]]:
    """(file relative to the repository, imported module) for every absolute import in `package`."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(relative, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((relative, node.module))
    return found


def _imports(package: str) -> set[tuple[str, str]]:
    """(file name, top-level package) for every absolute import in `package`."""
    return {(Path(name).name, module.split(".")[0]) for name, module in _imports_by_file(package)}


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


# Outside the backends, Whoosh is used for its analyzer framework (our Dutch analysis is built from
# its tokenizers and filters, whatever engine the tokens go to) and as the plain baseline we measure
# ourselves against.
MAY_IMPORT_WHOOSH = ("indexer/backends/", "indexer/analysis/", "indexer/evaluation/baselines.py")


def test_only_the_backend_choice_composes_an_engine() -> None:
    """Indexing runs, re-tagging, previews, dossiers and the seam itself talk to the protocols of
    `engine.index_backend`; one module picks the engine behind them."""
    imports = _imports_by_file("indexer")
    reaching_in = sorted(
        (name, module)
        for name, module in imports
        if module.startswith("indexer.backends")
        and not name.startswith("indexer/backends/")
        and name != "indexer/engine/backend_choice.py"
    )
    assert reaching_in == []
    using_whoosh = sorted(
        (name, module)
        for name, module in imports
        if module.split(".")[0] == "whoosh" and not name.startswith(MAY_IMPORT_WHOOSH)
    )
    assert using_whoosh == []


@pytest.mark.parametrize(("backend", "other"), [("typesense", "whoosh"), ("whoosh", "typesense")])
def test_no_backend_imports_another(backend: str, other: str) -> None:
    # What both engines share lives in indexer/engine/, so either can change without the other.
    wrong = sorted(
        (name, module)
        for name, module in _imports_by_file(f"indexer/backends/{backend}")
        if module.startswith(f"indexer.backends.{other}")
    )
    assert wrong == []
