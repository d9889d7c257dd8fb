"""The indexing pipeline on a real corpus folder and a real Whoosh index on disk."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from indexer.backends.whoosh.documents import get_document
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine import ranking_weights
from indexer.engine.query_context import QueryContext
from indexer.errors import Issue, Problem, describe
from indexer.extract.ocr import ocr_available
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import Limits
from indexer.models import ThemeChange, TitleChange
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import (
    NEWS_PAGE,
    add_core_terms,
    encrypt_pdf,
    read_by_an_older_version,
    write_image_only_pdf,
    write_pdf,
    write_slow_pdf,
)
from tests.conftest import TEST_LIMITS

FACTSHEET = [
    ["Factsheet arbeidsuitbuiting", "Signalen voor toezichthouders"],
    ["Arbeidsuitbuiting komt voor in de logistiek, de tuinbouw en de bouw.", "Let op huisvesting via de werkgever."],
    ["Meld signalen bij het meldpunt van de gemeente of bij de Inspectie SZW."],
]


CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))


def _search_ids(index_root: Path, query: str) -> list[str]:
    return [hit.id for hit in search(IndexStore(index_root).open(), query, CONTEXT, page_size=50).hits]


def _all_ids(index_root: Path) -> list[str]:
    return sorted(hit.id for hit in search(IndexStore(index_root).open(), "", CONTEXT, page_size=100).hits)


@pytest.fixture
def small_corpus(docs: Path) -> Path:
    write_pdf(docs / "factsheet-arbeidsuitbuiting.pdf", FACTSHEET, footer="VAR")
    (docs / "nieuws-netwerkdag.html").write_text(NEWS_PAGE, encoding="utf-8")
    (docs / "notitie.md").write_text(
        "# Notitie wijkaanpak\n\nAfspraken over de wijkaanpak en de buurtpreventie "
        "in Vlaardingen en Schiedam voor het komende jaar.\n",
        encoding="utf-8",
    )
    return docs


def test_first_run_indexes_everything_and_search_finds_pages(small_corpus: Path, reindex, index_root: Path) -> None:
    report = reindex()
    assert sorted(report.indexed) == ["factsheet-arbeidsuitbuiting.pdf", "nieuws-netwerkdag.html", "notitie.md"]
    assert report.ok and report.rebuilt
    hits = search(IndexStore(index_root).open(), "tuinbouw", CONTEXT).hits
    assert [hit.id for hit in hits] == ["factsheet-arbeidsuitbuiting"]
    assert hits[0].pages == (2,)
    assert "<mark" in hits[0].snippet and "tuinbouw" in hits[0].snippet


def test_second_run_with_nothing_changed_does_nothing(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    store = IndexStore(index_root)
    generation = store.current_dir()
    toc_before = sorted(p.name for p in generation.iterdir())
    report = reindex()
    assert report.indexed == () and report.removed == () and len(report.unchanged) == 3
    assert store.current_dir() == generation
    assert sorted(p.name for p in generation.iterdir()) == toc_before, "no new index generation was written"


def test_touched_but_identical_file_is_not_re_extracted(small_corpus: Path, reindex) -> None:
    reindex()
    path = small_corpus / "notitie.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000_000))
    assert reindex().unchanged.count("notitie.md") == 1


def test_changed_file_is_re_extracted_and_keeps_its_id(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    (small_corpus / "notitie.md").write_text(
        "# Notitie wijkaanpak\n\nNieuwe afspraken over straatcoaches en "
        "buurtbemiddeling in Maassluis voor het komende jaar.\n",
        encoding="utf-8",
    )
    report = reindex()
    assert report.indexed == ("notitie.md",)
    assert _search_ids(index_root, "straatcoaches") == ["notitie"]
    assert _search_ids(index_root, "buurtpreventie") == []


def test_removed_file_leaves_the_index(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    (small_corpus / "nieuws-netwerkdag.html").unlink()
    report = reindex()
    assert report.removed == ("nieuws-netwerkdag.html",)
    assert _all_ids(index_root) == ["factsheet-arbeidsuitbuiting", "notitie"]


def test_exact_duplicate_is_indexed_once_and_reported(small_corpus: Path, reindex, index_root: Path) -> None:
    (small_corpus / "kopie").mkdir()
    (small_corpus / "kopie" / "zelfde.pdf").write_bytes((small_corpus / "factsheet-arbeidsuitbuiting.pdf").read_bytes())
    report = reindex()
    assert [(d.path, d.original) for d in report.duplicates] == [
        ("kopie/zelfde.pdf", "factsheet-arbeidsuitbuiting.pdf")
    ]
    assert _search_ids(index_root, "tuinbouw") == ["factsheet-arbeidsuitbuiting"]
    assert report.ok


def test_sidecar_metadata_wins(small_corpus: Path, reindex, index_root: Path) -> None:
    (small_corpus / "factsheet-arbeidsuitbuiting.pdf.meta.yaml").write_text(
        "titel: Factsheet signalen arbeidsuitbuiting\nsoort: factsheet\nthemas: [mensenhandel]\n"
        "subthemas: [arbeidsuitbuiting]\ndatum: 2023-06-01\nbron: RIEC Rotterdam\n",
        encoding="utf-8",
    )
    reindex()
    document = get_document(IndexStore(index_root).open(), "factsheet-arbeidsuitbuiting")
    assert document.title == "Factsheet signalen arbeidsuitbuiting"
    assert (document.kind, document.date, document.source) == ("factsheet", "2023-06-01", "RIEC Rotterdam")
    assert document.themes == ("mensenhandel",) and document.themes_curated


def test_editing_only_the_sidecar_updates_the_document(small_corpus: Path, reindex, index_root: Path) -> None:
    sidecar = small_corpus / "notitie.md.meta.yaml"
    sidecar.write_text("bron: Gemeente Vlaardingen\n", encoding="utf-8")
    reindex()
    sidecar.write_text("bron: Gemeente Schiedam\n", encoding="utf-8")
    assert reindex().indexed == ("notitie.md",)
    assert get_document(IndexStore(index_root).open(), "notitie").source == "Gemeente Schiedam"


@pytest.mark.parametrize(
    ("sidecar", "fragment"),
    [
        ("soort: folder\n", "onbekende soort 'folder'"),
        ("thema: mensenhandel\n", "onbekende sleutel thema"),
        ("themas: [verkeer]\n", "onbekend thema verkeer"),
        ("datum: gisteren\n", "datum 'gisteren' is geen datum"),
        ("titel: [niet: afgesloten\n", "geen leesbare YAML"),
    ],
)
def test_bad_sidecar_is_reported_not_guessed(small_corpus: Path, reindex, sidecar: str, fragment: str) -> None:
    (small_corpus / "notitie.md.meta.yaml").write_text(sidecar, encoding="utf-8")
    report = reindex()
    assert [problem.path for problem in report.failed] == ["notitie.md"]
    assert fragment in describe(report.failed[0].issue)
    assert len(report.indexed) == 2, "the rest of the batch goes on"


def test_every_bad_file_is_reported_with_path_and_reason_and_the_batch_goes_on(
    small_corpus: Path, reindex, index_root: Path, tmp_path: Path
) -> None:
    source = small_corpus / "factsheet-arbeidsuitbuiting.pdf"
    encrypt_pdf(source, small_corpus / "versleuteld.pdf", "geheim")
    encrypt_pdf(source, small_corpus / "open-versleuteld.pdf", "")
    write_image_only_pdf(small_corpus / "scan.pdf")
    (small_corpus / "leeg.pdf").write_bytes(b"")
    (small_corpus / "afgekapt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (small_corpus / "presentatie.pptx").write_bytes(b"PK\x03\x04")
    report = reindex()
    reasons = {problem.path: describe(problem.issue) for problem in report.failed}
    assert reasons["versleuteld.pdf"] == describe(Issue(Problem.ENCRYPTED))
    assert reasons["scan.pdf"] == describe(Issue(Problem.NO_TEXT_AFTER_OCR if ocr_available() else Problem.NO_TEXT))
    assert reasons["leeg.pdf"] == describe(Issue(Problem.EMPTY))
    assert "beschadigd" in reasons["afgekapt.pdf"]
    assert "niet ondersteund" in reasons["presentatie.pptx"]
    assert set(reasons) == {"versleuteld.pdf", "scan.pdf", "leeg.pdf", "afgekapt.pdf", "presentatie.pptx"}
    assert "open-versleuteld.pdf" in report.indexed, "an empty user password is no obstacle"
    assert not report.ok
    assert _all_ids(index_root) == ["factsheet-arbeidsuitbuiting", "nieuws-netwerkdag", "notitie", "open-versleuteld"]


def test_a_failed_file_is_remembered_until_it_changes(small_corpus: Path, reindex) -> None:
    broken = small_corpus / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4 kapot")
    first = reindex()
    second = reindex()
    assert [p.path for p in first.failed] == [p.path for p in second.failed] == ["kapot.pdf"]
    write_pdf(broken, FACTSHEET[1:])
    third = reindex()
    assert third.failed == () and "kapot.pdf" in third.indexed


def test_file_over_the_time_limit_is_reported_and_the_batch_goes_on(small_corpus: Path, reindex) -> None:
    write_slow_pdf(small_corpus / "traag.pdf", operators=100_000)
    report = reindex(limits=Limits(timeout_s=1.0))
    assert [p.path for p in report.failed] == ["traag.pdf"]
    assert "duurde te lang" in describe(report.failed[0].issue)
    assert len(report.indexed) == 3


def test_rebuild_switches_generation_only_when_complete(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    store = IndexStore(index_root)
    old_generation = store.current_dir()
    reader = store.open().searcher()
    report = reindex(rebuild=True)
    assert report.rebuilt and store.current_dir() != old_generation
    assert reader.doc_count() > 0, "a reader of the old generation keeps working"
    reader.close()
    assert _all_ids(index_root) == ["factsheet-arbeidsuitbuiting", "nieuws-netwerkdag", "notitie"]


def test_changed_schema_version_triggers_a_rebuild(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    store = IndexStore(index_root)
    (store.current_dir() / "SCHEMA_VERSION").write_text("0.0", encoding="utf-8")
    assert not store.is_current()
    report = reindex()
    assert report.rebuilt and len(report.indexed) == 3 and store.is_current()


def test_changed_index_time_weight_triggers_a_rebuild(
    small_corpus: Path, reindex, index_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The postings hold the index-time weights: an index written with other values is stale, and the
    next run rebuilds it with the declared ones."""
    reindex()
    store = IndexStore(index_root)
    monkeypatch.setattr(ranking_weights, "TITLE_BOOST", ranking_weights.TITLE_BOOST * 2)
    assert not store.is_current(), "an index with the old title weight must not be served"
    report = reindex()
    assert report.rebuilt and len(report.indexed) == 3 and store.is_current()
    assert store.open().schema["title"].format.field_boost == ranking_weights.TITLE_BOOST


def test_unsupported_and_hidden_files(docs: Path, reindex) -> None:
    (docs / ".DS_Store").write_bytes(b"\x00\x01")
    (docs / "_concepten").mkdir()
    (docs / "_concepten" / "klad.md").write_text("# Klad\n\nNog niet publiceren, dit is een concept.", encoding="utf-8")
    (docs / "gepubliceerd.md").write_text("# Gepubliceerd\n\nDit document is wel af.", encoding="utf-8")
    report = reindex()
    assert report.indexed == ("gepubliceerd.md",) and report.failed == ()


def test_a_staff_action_indexes_just_the_files_it_names(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    (small_corpus / "nieuw.md").write_text("# Nieuw\n\nOver de straattriage in Maassluis.\n", encoding="utf-8")
    (small_corpus / "later.md").write_text("# Later\n\nOver de straattriage in Schiedam.\n", encoding="utf-8")
    (small_corpus / "notitie.md").unlink()
    report = reindex(paths=["nieuw.md", "notitie.md"])
    assert report.indexed == ("nieuw.md",) and report.removed == ("notitie.md",) and not report.rebuilt
    assert _search_ids(index_root, "straattriage") == ["nieuw"], "a file the action did not name waits"
    assert reindex().indexed == ("later.md",), "the next full run picks it up"
    assert sorted(_search_ids(index_root, "straattriage")) == ["later", "nieuw"]


def test_a_staff_action_on_a_copy_of_an_indexed_file_reports_the_duplicate(
    small_corpus: Path, reindex, index_root: Path
) -> None:
    reindex()
    copy = small_corpus / "kopie" / "notitie.md"
    copy.parent.mkdir()
    copy.write_bytes((small_corpus / "notitie.md").read_bytes())
    report = reindex(paths=["kopie/notitie.md"])
    assert [(item.path, item.original) for item in report.duplicates] == [("kopie/notitie.md", "notitie.md")]
    assert _search_ids(index_root, "buurtpreventie") == ["notitie"]


def test_a_staff_action_keeps_the_failures_of_other_files(small_corpus: Path, reindex) -> None:
    (small_corpus / "leeg.pdf").write_bytes(b"")
    assert [item.path for item in reindex().failed] == ["leeg.pdf"]
    (small_corpus / "nieuw.md").write_text("# Nieuw\n\nOver de wijkaanpak.\n", encoding="utf-8")
    assert reindex(paths=["nieuw.md"]).indexed == ("nieuw.md",)
    assert [item.path for item in reindex().failed] == ["leeg.pdf"], "still reported, not retried"


def _pages_by_hit(index_root: Path, query: str) -> dict[str, tuple[int, ...]]:
    return {hit.id: hit.pages for hit in search(IndexStore(index_root).open(), query, CONTEXT, page_size=50).hits}


@pytest.fixture
def corpus_with_reports(small_corpus: Path) -> Path:
    """Writer processes take records in batches of 100: two reports of 100 pages fill two batches."""
    for name in ("rapport-a.pdf", "rapport-b.pdf"):
        write_pdf(small_corpus / name, [[f"Hoofdstuk {n} over tuinbouw en huisvesting"] for n in range(1, 101)])
    return small_corpus


def test_a_rebuild_by_parallel_writers_finds_what_one_writer_finds(
    corpus_with_reports: Path, corpus: Path, tmp_path: Path
) -> None:
    one, parallel = tmp_path / "een-schrijver", tmp_path / "parallel"
    run_index(corpus, one, rebuild=True, workers=1, limits=TEST_LIMITS)
    run_index(corpus, parallel, rebuild=True, workers=2, limits=TEST_LIMITS)
    for query in ("tuinbouw", '"huisvesting via de werkgever"', "wijkaanpak", "hoofdstuk 7"):
        assert _pages_by_hit(parallel, query) == _pages_by_hit(one, query), query
    assert _all_ids(parallel) == _all_ids(one)


def test_a_rebuild_that_fails_midway_keeps_the_old_index_and_leaves_no_process_behind(
    corpus_with_reports: Path, reindex, index_root: Path
) -> None:
    reindex()
    store = IndexStore(index_root)
    active, before = store.current_dir(), _all_ids(index_root)

    def fail_on_last_file(done: int, total: int, path: str) -> None:
        if done == total:  # a report has gone to a writer process by then
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reindex(rebuild=True, progress=fail_on_last_file)
    assert multiprocessing.active_children() == []
    assert store.current_dir() == active
    assert _all_ids(index_root) == before


NEIGHBOUR_NOTE = (
    "# Notitie burenruzies\n\nBurenruzies lopen in de wijk soms hoog op. Bij woonoverlast en burenruzies "
    "zoekt de gemeente eerst buurtbemiddeling. Een burenruzie die escaleert, komt bij het wijkteam.\n"
)


def test_a_changed_taxonomy_retags_from_the_stored_text_without_reading_files_again(
    small_corpus: Path, reindex, index_root: Path, corpus: Path
) -> None:
    (small_corpus / "notitie-burenruzies.md").write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    (small_corpus / "factsheet-arbeidsuitbuiting.pdf.meta.yaml").write_text("themas: []\n", encoding="utf-8")
    reindex()
    index = IndexStore(index_root).open()
    assert get_document(index, "notitie-burenruzies").themes == ()
    add_core_terms(corpus, "zorg-en-veiligheid", "burenruzie", "woonoverlast", "buurtbemiddeling")
    (small_corpus / "notitie.md").unlink()
    report = reindex()
    assert report.indexed == () and len(report.unchanged) == 3, "no file is read again"
    assert report.removed == ("notitie.md",) and "notitie" not in _all_ids(index_root), "a removed file stays gone"
    assert report.retagged == 3 and report.theme_changes == (
        ThemeChange(
            "notitie-burenruzies.md", "notitie-burenruzies", "Notitie burenruzies", (), ("zorg-en-veiligheid",)
        ),
    ), "what the note had and has"
    document = get_document(IndexStore(index_root).open(), "notitie-burenruzies")
    assert document.themes == ("zorg-en-veiligheid",) and not document.themes_curated
    reasons = {hit["term"] for hit in document.tagging["themes"][0]["hits"]}
    assert {"burenruzie", "woonoverlast"} <= reasons
    assert _search_ids(index_root, "buurtbemiddeling") == ["notitie-burenruzies"], "the text is still searchable"
    staff_choice = get_document(IndexStore(index_root).open(), "factsheet-arbeidsuitbuiting")
    assert staff_choice.themes == () and staff_choice.themes_curated, "a staff member's choice wins"
    assert staff_choice.tagging["themes"], "the tagger's suggestion is still kept beside it"
    again = reindex()
    assert (again.retagged, again.indexed) == (0, ()), "tags that follow the taxonomy stay"
    assert _all_ids(index_root) == ["factsheet-arbeidsuitbuiting", "nieuws-netwerkdag", "notitie-burenruzies"]


def test_files_indexed_by_a_version_that_read_them_differently_are_read_again_and_changes_listed(
    small_corpus: Path, reindex, index_root: Path
) -> None:
    reindex()
    read_by_an_older_version(index_root, "notitie.md", title="notitie", themes=("mensenhandel",))
    staff_action = reindex(paths=["nieuws-netwerkdag.html"])
    assert staff_action.reread == 0 and staff_action.indexed == (), "a staff action's run reads only its own file"

    report = reindex()
    assert report.reread == 3 and report.unchanged == () and not report.rebuilt, "every file, in the live index"
    assert sorted(report.indexed) == ["factsheet-arbeidsuitbuiting.pdf", "nieuws-netwerkdag.html", "notitie.md"]
    assert report.title_changes == (TitleChange("notitie.md", "notitie", "notitie", "Notitie wijkaanpak"),)
    assert report.theme_changes == (
        ThemeChange("notitie.md", "notitie", "Notitie wijkaanpak", ("mensenhandel",), ()),
    ), "what the note had and has"
    note = get_document(IndexStore(index_root).open(), "notitie")
    assert (note.title, note.themes) == ("Notitie wijkaanpak", ())
    assert _search_ids(index_root, "buurtpreventie") == ["notitie"]
    again = reindex()
    assert (again.reread, again.indexed) == (0, ()), "read once by this version, files stay as they were read"


def test_a_file_changed_in_the_run_that_reads_files_again_counts_as_changed_not_as_read_again(
    small_corpus: Path, reindex, index_root: Path
) -> None:
    reindex()
    read_by_an_older_version(index_root, "notitie.md", title="notitie", themes=("mensenhandel",))
    page = small_corpus / "nieuws-netwerkdag.html"
    page.write_text(page.read_text(encoding="utf-8").replace("netwerkdag weerbare wijken", "netwerkdag 2026"), "utf-8")
    report = reindex()
    assert sorted(report.indexed) == ["factsheet-arbeidsuitbuiting.pdf", "nieuws-netwerkdag.html", "notitie.md"]
    assert report.reread == 2, "only the two unchanged files were read again because this version reads differently"
    assert report.title_changes == (TitleChange("notitie.md", "notitie", "notitie", "Notitie wijkaanpak"),), (
        "a colleague's new title is their change, not one that reading again made"
    )
    assert [change.path for change in report.theme_changes] == ["notitie.md"]
    assert get_document(IndexStore(index_root).open(), "nieuws-netwerkdag").title == "Terugblik: netwerkdag 2026"


def test_an_index_tagged_by_another_tagger_version_is_retagged(small_corpus: Path, reindex, index_root: Path) -> None:
    reindex()
    before = get_document(IndexStore(index_root).open(), "factsheet-arbeidsuitbuiting")
    state = index_root / "state.json"
    state.write_text(state.read_text(encoding="utf-8").replace('"tagging": "', '"tagging": "0.'), "utf-8")
    report = reindex()
    assert report.indexed == () and report.retagged == 3 and report.theme_changes == ()
    after = get_document(IndexStore(index_root).open(), "factsheet-arbeidsuitbuiting")
    assert (after.themes, after.pages, after.page_count) == (before.themes, before.pages, before.page_count)
