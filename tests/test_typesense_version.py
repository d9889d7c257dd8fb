"""What front ends keep per `version()` follows a document replaced in place on the cluster: the
dossier PDF, built once per version of the served builds, shows the replaced document's new text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from pypdf import PdfReader

from indexer.backends.config import TypesenseEngine
from indexer.corpus.layout import BUNDLED_CORPUS, DOSSIERS_DIR
from indexer.dossiers.texts import load_dossiers
from search_app import create_app
from tests.conftest import settled
from tests.typesense_support import eventually, manifest, reindex

THEME = "digitale-veiligheid"


def _note(version: str) -> str:
    return f"# Wie is wie in de regio, {version}\n\nDe {version} van het overzicht van overleggen en partners.\n"


def _dossier_text(client) -> str:
    response = client.get(f"/thema/{THEME}/dossier.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    response.close()
    return " ".join(text.split())


def test_a_document_replaced_in_place_reaches_what_front_ends_derive_from_the_index(
    corpus: Path, docs: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    shutil.copytree(BUNDLED_CORPUS / DOSSIERS_DIR, corpus / DOSSIERS_DIR)
    first_read = load_dossiers(corpus / DOSSIERS_DIR)[THEME].reading_list[0].doc_id
    note = docs / f"{first_read}.md"
    note.write_text(_note("eerste versie"), encoding="utf-8")
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    settled(cluster)
    client = create_app(
        {"CORPUS": corpus, "INDEX": state, "ENGINE": cluster, "DATA_DIR": tmp_path / "data", "TESTING": True}
    ).test_client()
    assert "De eerste versie van het overzicht" in _dossier_text(client)

    note.write_text(_note("tweede versie"), encoding="utf-8")  # the same file, so the same record count
    report = reindex(corpus, state, cluster)
    assert list(report.indexed) == [note.name] and list(manifest(state, cluster)) == [note.name]
    # A front end whose request reaches a follower a moment behind the leader sees the new version
    # once that follower has applied the write: the next request then builds the PDF again.
    text = eventually(lambda: _dossier_text(client), lambda found: "tweede versie" in found)
    assert "De tweede versie van het overzicht" in text and "eerste versie" not in text
