"""The theme labels of the shared real corpus and news archive: complete, unique and in the taxonomy's terms."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path, PurePosixPath

import pytest
import yaml

from indexer.corpus.layout import BUNDLED_CORPUS, NEWS_ARCHIVE, REAL_CORPUS, THEMES_DIR, list_files
from indexer.extract import is_supported
from indexer.themes.evaluation import NEWS_LABELS, REAL_LABELS, load_labels
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


def test_the_youth_news_labels_name_each_article_once_with_its_source_and_known_themes() -> None:
    """The articles are not stored, so each label must say where to fetch its article from."""
    path = BUNDLED_CORPUS / "evaluatie" / "zevendagen-themas.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    labels = load_labels(path, load_taxonomy(BUNDLED_CORPUS / THEMES_DIR).theme_slugs)
    assert len(labels) == len(entries) == 287
    assert all(entry["bron"].startswith("GaryWenneker/7days@") for entry in entries)
    assert all(entry["bron"].endswith(f"/{entry['pad']}") for entry in entries)


@pytest.mark.skipif(not NEWS_ARCHIVE.is_file(), reason="the shared news archive is not beside this checkout")
def test_every_labelled_news_post_is_in_the_archive_once_with_known_themes() -> None:
    entries = yaml.safe_load(NEWS_LABELS.read_text(encoding="utf-8"))
    labelled = [entry["pad"] for entry in entries]
    with tarfile.open(NEWS_ARCHIVE) as archive:
        posts = {PurePosixPath(name).name for name in archive.getnames()}
    assert len(set(labelled)) == len(labelled)
    assert set(labelled) <= posts
    slugs = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR).theme_slugs
    assert {slug for entry in entries for slug in entry["themas"]} <= slugs
    assert sum(bool(entry["themas"]) for entry in entries) >= 100, "the sample was drawn to hold posts on every theme"


def _evaluate_themes(corpus: Path, archive: Path) -> subprocess.CompletedProcess:
    """`kennisbank evalueer-themas` with these shared sets, as a user runs it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer.cli",
            "evalueer-themas",
            "--echt-corpus",
            str(corpus),
            "--nieuwsarchief",
            str(archive),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_evaluation_without_shared_sets_says_so_and_reports_the_sets_kept_in_the_repository(tmp_path: Path) -> None:
    corpus, archive = tmp_path / "geen-corpus", tmp_path / "geen-archief.tar.gz"
    result = _evaluate_themes(corpus, archive)
    assert result.returncode == 0, result.stderr
    assert f"het echte corpus {corpus} ontbreekt" in result.stderr
    assert f"het nieuwsarchief (een .tar.gz-bestand) {archive} ontbreekt" in result.stderr
    assert "--nieuwsarchief" in result.stderr
    assert "== afstemming: gebundeld" in result.stdout
    assert ": echt (" not in result.stdout and ": echt nieuws" not in result.stdout
    assert "== afstemming: echte regelgeving" in result.stdout, "the regulations travel with the repository"


def test_a_news_archive_that_is_no_archive_gets_a_dutch_error_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "nieuws.tar.gz"
    broken.write_bytes(b"dit is geen archief")
    result = _evaluate_themes(tmp_path / "geen-corpus", broken)
    assert result.returncode == 2
    assert f"Het nieuwsarchief {broken} is geen leesbaar .tar.gz-archief" in result.stderr
    assert "Traceback" not in result.stderr
