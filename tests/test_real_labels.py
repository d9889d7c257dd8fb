"""The theme labels of the shared real corpus: complete, unique and in the taxonomy's terms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR, list_files
from indexer.evaluation.runner import REAL_CORPUS
from indexer.extract import is_supported
from indexer.themes.evaluation import REAL_LABELS
from indexer.themes.taxonomy import load_taxonomy


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not beside this checkout")
def test_every_real_document_is_labelled_once_with_known_themes() -> None:
    entries = yaml.safe_load(REAL_LABELS.read_text(encoding="utf-8"))
    labelled = [entry["pad"] for entry in entries]
    documents = {relative for relative, path in list_files(REAL_CORPUS) if is_supported(path)}
    assert sorted(labelled) == sorted(documents)
    slugs = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR).theme_slugs
    unknown = {slug for entry in entries for slug in entry["themas"]} - slugs
    assert unknown == set()


def test_evaluation_without_real_corpus_says_so_and_reports_the_bundled_set(tmp_path: Path) -> None:
    missing = tmp_path / "geen-corpus"
    result = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "evalueer-themas", "--echt-corpus", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"het echte corpus {missing} ontbreekt" in result.stderr
    assert "== afstemming: gebundeld" in result.stdout
    assert ": echt" not in result.stdout
