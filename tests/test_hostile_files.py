"""Hostile and broken files through the real pipeline, under small limits per file: every file is
indexed or reported with the expected Dutch reason, none runs into a limit it should not, and the
rest of the batch is indexed. Plus the fuzzer's findings (bench/fuzz_extractors.py), each kept as
the small input it was shrunk to."""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.backends.whoosh.documents import get_document
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR, slug_for
from indexer.engine.query_context import QueryContext
from indexer.errors import ExtractionError, Issue, Problem, describe
from indexer.extract import extract
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import Limits, extract_all
from indexer.themes.taxonomy import load_taxonomy
from tests import hostile
from tests.builders import write_slow_pdf

# Generous for the legitimate files (the slowest, 200,000 unclosed HTML tags, takes 6 s on a busy
# machine); no hostile file may need it: they are stopped by pypdf's limits or ours long before.
LIMITS = Limits(timeout_s=30.0, memory_bytes=512 * 2**20)
# The whole batch: about 20 s on 2 cores.
MAX_RUN_SECONDS = 60.0


@dataclass(frozen=True)
class Expect:
    """What may become of a file: indexed (then found by `query`), or reported with one of `problems`."""

    problems: frozenset[Problem] = frozenset()
    indexed: bool = False
    query: str = ""


def indexed(query: str = "") -> Expect:
    return Expect(indexed=True, query=query)


def reported(*problems: Problem, or_indexed: bool = False) -> Expect:
    return Expect(problems=frozenset(problems), indexed=or_indexed)


# Bombs must be stopped by a limit (pypdf's or the worker's), never get through or take the run down.
BOMB = reported(Problem.CORRUPT, Problem.OUT_OF_MEMORY, Problem.TIMEOUT)

EXPECTED: dict[str, Expect] = {
    "goed-rapport.pdf": indexed("bevindingen"),
    "goed-nieuws.html": indexed("netwerkdag"),
    "goed-notitie.md": indexed("buurtpreventie"),
    # Cut before the catalog: nothing to rebuild. pypdf may learn to recover pages some day.
    "afgekapt-5.pdf": reported(Problem.CORRUPT),
    "afgekapt-40.pdf": reported(Problem.CORRUPT, Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR, or_indexed=True),
    "afgekapt-80.pdf": reported(Problem.CORRUPT, Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR, or_indexed=True),
    # Only the end is gone: the cross-reference table is rebuilt from the objects.
    "afgekapt-zonder-eof.pdf": indexed("bevindingen"),
    "zonder-startxref.pdf": indexed("bevindingen"),
    # pypdf refuses a page tree that loops; pdfium reads the pages it can reach.
    "paginaboom-zichzelf.pdf": indexed("woninginbraak"),
    "paginaboom-voorouder.pdf": indexed("woninginbraak"),
    "paginaboom-lus-drie-paginas.pdf": indexed("fietsendiefstal"),
    # A bomb runs into pypdf's limit on entries and is not handed to pdfium, which has none.
    "paginaboom-bom.pdf": BOMB,
    "paginaboom-101-diep.pdf": indexed("woninginbraak"),
    # pypdf gives up on the page at the stream that is not LZW; pdfium skips it and reads the next.
    "kapotte-lzw-stroom.pdf": indexed("woninginbraak"),
    "xobject-zichzelf.pdf": indexed("woninginbraak"),
    "xobject-kringloop.pdf": indexed("woninginbraak"),
    "xobject-waaier.pdf": indexed("woninginbraak"),
    "kapotte-stroom-eerste-pagina.pdf": indexed("woninginbraak"),
    # pypdf drops undecodable content without a word, so this looks like a page without text.
    "kapotte-stroom-enige-pagina.pdf": reported(Problem.CORRUPT, Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR),
    "afgebroken-stroom.pdf": indexed("woninginbraak"),
    **{f"versleuteld-{alg.lower()}-leeg.pdf": indexed("bevindingen") for alg in hostile.ENCRYPTION_ALGORITHMS},
    **{
        f"versleuteld-{alg.lower()}-wachtwoord.pdf": reported(Problem.ENCRYPTED)
        for alg in hostile.ENCRYPTION_ALGORITHMS
    },
    # Found by the fuzzer: pypdf raises NotImplementedError for these; protected, not damaged.
    "versleuteld-certificaat.pdf": reported(Problem.ENCRYPTED),
    "versleuteld-onbekende-methode.pdf": reported(Problem.ENCRYPTED),
    # Found by the fuzzer: one page's NotImplementedError used to cost the whole file.
    "onbekend-filter-eerste-pagina.pdf": indexed("woninginbraak"),
    # Without OCR a scan has no text; with it (scripts/test.sh installs it) an image of shapes has none either.
    "alleen-afbeelding.pdf": reported(Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR),
    "lang-320-paginas.pdf": indexed("casus"),
    "cyrillisch-truetype.pdf": indexed("профилактика"),
    "arabisch-truetype.pdf": indexed(),
    "cyrillisch-tounicode.pdf": indexed("преступности"),
    # Without a Unicode map the text is glyph names or glyph ids: indexed as such, or no text.
    "font-zonder-unicode.pdf": reported(Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR, or_indexed=True),
    "cidfont-zonder-unicode.pdf": reported(Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR, or_indexed=True),
    "leeg.pdf": reported(Problem.EMPTY),
    "geen-pdf.pdf": reported(Problem.CORRUPT),
    "bom-flate.pdf": BOMB,
    "bom-dubbele-flate.pdf": BOMB,
    "bom-gedeelde-stroom.pdf": BOMB,
    "bom-geheugen.pdf": reported(Problem.OUT_OF_MEMORY),
    "bom-lengte.pdf": reported(Problem.CORRUPT, or_indexed=True),
    # pypdf cannot parse the page dictionary; pdfium reads the page without the nested array.
    "diep-genest-object.pdf": indexed("woninginbraak"),
    "kapotte-opmaak.html": indexed("buurtpreventie"),
    "enorm.html": indexed("jongerenwerkers"),
    "diep-genest.html": indexed("jongerenwerkers"),
    "nooit-gesloten.html": indexed("jongerenwerkers"),
    "scripts-en-stijlen.html": indexed("jongerenwerkers"),
    "windows-1252.html": indexed("coördinatie"),
    "utf8-bom.html": indexed("coördinatie"),
    "verkeerde-charset.html": indexed("coördinatie"),
    "titel-spaties.html": indexed("jongerenwerkers"),
    "lege-regels.md": indexed("woninginbraak"),
    "open-nadruk.md": indexed("woninginbraak"),
    "front-matter-structuren.md": indexed("woninginbraak"),
    "front-matter-aliasbom.md": indexed("woninginbraak"),
    "front-matter-onmogelijke-datum.md": reported(Problem.BAD_SIDECAR),
    # Random bytes decode as Windows-1252 letters: indexed as junk, or too little text.
    "binair.txt": reported(Problem.NO_CONTENT, or_indexed=True),
}


@dataclass(frozen=True)
class Run:
    written: frozenset[str]
    issues: dict[str, Issue]
    indexed: frozenset[str]
    index_root: Path
    seconds: float


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    written = hostile.write_all(corpus / "documenten")
    index_root = tmp_path_factory.mktemp("hostile-index")
    (corpus / THEMES_DIR).symlink_to(BUNDLED_CORPUS / THEMES_DIR)
    started = time.monotonic()
    report = run_index(corpus, index_root, limits=LIMITS, workers=2)
    return Run(
        written=frozenset(path.name for path in written),
        issues={problem.path: problem.issue for problem in report.failed},
        indexed=frozenset(report.indexed),
        index_root=index_root,
        seconds=time.monotonic() - started,
    )


def test_every_built_file_has_an_expectation() -> None:
    assert set(hostile.BUILDERS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_indexed_or_reported_with_the_expected_reason(hostile_run: Run, name: str) -> None:
    if name not in hostile_run.written:
        pytest.skip(f"{name} needs DejaVu Sans (Debian's fonts-dejavu-core), which is not installed")
    expect = EXPECTED[name]
    if name in hostile_run.indexed:
        assert expect.indexed, f"{name} was indexed, expected {sorted(p.name for p in expect.problems)}"
        if expect.query:
            hits = search(IndexStore(hostile_run.index_root).open(), expect.query, _context(), page_size=100).hits
            assert slug_for(name) in {hit.id for hit in hits}, f"'{expect.query}' does not find {name}"
        return
    assert name in hostile_run.issues, f"{name} is neither indexed nor reported"
    issue = hostile_run.issues[name]
    assert issue.problem in expect.problems, f"{name}: {describe(issue)}"


def test_the_batch_ends_in_time_and_reports_every_file(hostile_run: Run) -> None:
    assert hostile_run.seconds < MAX_RUN_SECONDS
    assert hostile_run.indexed | set(hostile_run.issues) == hostile_run.written
    assert {"goed-rapport.pdf", "goed-nieuws.html", "goed-notitie.md"} <= hostile_run.indexed


def test_no_legitimate_file_ran_into_a_limit(hostile_run: Run) -> None:
    limits = {Problem.TIMEOUT, Problem.OUT_OF_MEMORY, Problem.CRASHED}
    hit = {name: describe(issue) for name, issue in hostile_run.issues.items() if issue.problem in limits}
    assert set(hit) <= {name for name, expect in EXPECTED.items() if expect.problems & limits}, hit


def test_text_in_other_scripts_and_encodings_is_read_as_written(hostile_run: Run) -> None:
    index = IndexStore(hostile_run.index_root).open()

    def text(name: str) -> str:
        document = get_document(index, slug_for(name))
        assert document is not None, name
        return " ".join(page for _, page in document.pages)

    for name in ("windows-1252.html", "utf8-bom.html", "verkeerde-charset.html"):
        assert hostile.ACCENTED in text(name), name
    assert hostile.CYRILLIC in text("cyrillisch-tounicode.pdf")
    if "cyrillisch-truetype.pdf" in hostile_run.written:
        assert hostile.CYRILLIC in text("cyrillisch-truetype.pdf")
        # ReportLab writes Arabic letters unjoined and left to right: the letters are all there.
        assert set(hostile.ARABIC.replace(" ", "")) <= set(text("arabisch-truetype.pdf"))
    assert "scriptwoord" not in text("scripts-en-stijlen.html")
    assert "stijlwoord" not in text("scripts-en-stijlen.html")
    assert get_document(index, slug_for("lang-320-paginas.pdf")).page_count == 320


@functools.cache
def _context() -> QueryContext:
    return QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))


def test_a_file_only_the_time_limit_stops_is_reported_and_the_batch_goes_on(corpus: Path, index_root: Path) -> None:
    hostile.text_bomb(corpus / "documenten" / "tekstbom.pdf")
    hostile.good_pdf(corpus / "documenten" / "goed.pdf")
    limits = Limits(timeout_s=2.0, memory_bytes=LIMITS.memory_bytes)
    started = time.monotonic()
    report = run_index(corpus, index_root, limits=limits, workers=2)
    assert time.monotonic() - started < limits.timeout_s + 15
    assert [(problem.path, problem.issue.problem) for problem in report.failed] == [("tekstbom.pdf", Problem.TIMEOUT)]
    assert report.indexed == ("goed.pdf",)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _indexing_workers() -> list[int]:
    """The worker processes: the children of this process's fork server."""
    servers = [pid for pid in _children(os.getpid()) if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    return [worker for server in servers for worker in _children(server)]


def test_a_file_that_waits_for_a_core_is_not_cut_off_by_its_time_limit(tmp_path: Path) -> None:
    # On a busy machine a worker can wait for a core longer than a file's limit: the limit counts the
    # worker's CPU time, so the file is read once it gets one. Here the worker is paused outright.
    first = tmp_path / "kort.txt"
    first.write_text("Een korte notitie over woonoverlast.", encoding="utf-8")
    slow = write_slow_pdf(tmp_path / "traag.pdf", operators=30_000)  # about 0.6 s of CPU here
    limits = Limits(timeout_s=2.0)
    outcomes = extract_all([first, slow], limits, workers=1)
    assert next(outcomes).extraction is not None  # the worker was handed traag.pdf before this came back
    workers = _indexing_workers()
    assert workers
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(limits.timeout_s * 2.5)
    for pid in workers:
        os.kill(pid, signal.SIGCONT)
    second = next(outcomes)
    assert (second.path, second.issue) == (slow, None) and second.extraction is not None


def test_a_worker_that_dies_is_reported_with_its_exit_code_and_replaced(tmp_path: Path) -> None:
    good = hostile.good_markdown(tmp_path / "notitie.md")
    for _ in range(3):  # the exit code arrives a moment after the pipe closes: it was often "None"
        outcomes = list(extract_all([hostile.DyingPath(tmp_path / "weg.md"), good], LIMITS, workers=1))
        assert outcomes[0].issue == Issue(Problem.CRASHED, "afsluitcode 3")
        assert outcomes[1].path == good and outcomes[1].extraction is not None


def test_a_damaged_pdf_is_read_by_pdfium_with_its_pages_and_info_and_the_report_says_so(
    corpus: Path, index_root: Path
) -> None:
    """pypdf refuses the looping page tree; pdfium reads the pages. A file neither can read is
    reported with its path and a Dutch reason, and the batch goes on."""
    documents = corpus / "documenten"
    hostile.looping_page_tree_with_pages(documents / "lus.pdf")
    hostile.truncated_pdf(0.05)(documents / "afgekapt.pdf")
    hostile.good_markdown(documents / "notitie.md")
    report = run_index(corpus, index_root, limits=LIMITS, workers=2)
    assert set(report.indexed) == {"lus.pdf", "notitie.md"}
    [failed] = report.failed
    assert failed.path == "afgekapt.pdf" and failed.issue.problem is Problem.CORRUPT
    assert "ook pdfium kon het niet openen" in describe(failed.issue)
    [warning] = report.warnings
    assert warning.path == "lus.pdf"
    said = describe(warning.issue)
    assert "beschadigd" in said and "tweede PDF-lezer (pdfium)" in said and "sla het opnieuw op als PDF" in said
    index = IndexStore(index_root).open()
    for number, query in enumerate(("buurtbemiddeling", "fietsendiefstal", "cameratoezicht"), start=1):
        [hit] = search(index, query, _context()).hits
        assert (hit.path, hit.pages) == ("lus.pdf", (number,)), query
    assert (hit.title, hit.source, hit.year) == ("Evaluatie wijkaanpak", "Gemeente Vlaardingen", 2019)


def test_a_damaged_pdf_without_text_is_reported_as_damaged_not_as_a_scan(tmp_path: Path) -> None:
    """The page tree loops and its one page is empty: pdfium reads it, finds nothing, and the
    damage is the reason, not a missing text layer."""
    path = tmp_path / "leeg-en-kapot.pdf"
    path.write_bytes(hostile.simple_pdf([b""]).replace(b"/Kids [5 0 R]", b"/Kids [2 0 R 5 0 R]"))
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.problem is Problem.CORRUPT and "cyclic page references" in caught.value.detail


# --- the fuzzer's findings, shrunk ------------------------------------------------------------

# pypdf raised errors other than its own (AttributeError, TypeError, AssertionError,
# NotImplementedError, ValueError) on these; the extractor let them escape, so that one broken
# page cost the whole file and an unknown security handler read as "damaged". Inputs as the
# fuzzer shrank them, or rebuilt to the same effect.


def _raw(data: bytes) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return build


FUZZ_FINDINGS: dict[str, tuple[Callable[[Path], Path], Problem | None]] = {
    # NotImplementedError "only Standard PDF encryption handler is available".
    "certificaat.pdf": (hostile.certificate_encrypted, Problem.ENCRYPTED),
    # NotImplementedError "StmF Method /XYZ NOT supported!".
    "methode.pdf": (hostile.unknown_crypt_method, Problem.ENCRYPTED),
    # NotImplementedError "Unsupported filter" on page 1; page 2 must not be lost with it.
    "filter.pdf": (hostile.unknown_filter_first_page, None),
    # AssertionError "mypy" in pypdf's content parser (a reference in a content stream) on page 1.
    "assert.pdf": (_raw(hostile.simple_pdf([b"2 0 R Tj", hostile.text_ops(hostile.SENTENCE)])), None),
    # AttributeError "'NumberObject' object has no attribute 'items'": a trailer that is a number.
    "trailer.pdf": (
        _raw(b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer 5\nstartxref\n9\n%%EOF\n"),
        Problem.CORRUPT,
    ),
    # ValueError "Invalid key size (96) for RC4": a damaged encryption dictionary, met while
    # recovering a file without startxref.
    "rc4.pdf": (
        _raw(b"%PDF-16 0 obj<</V 4/R 4/P 4/Filter/Standard/O<>/U<><u/Length 1trailer<</Encrypt 16 0 R>"),
        Problem.CORRUPT,
    ),
}


@pytest.mark.parametrize("name", sorted(FUZZ_FINDINGS))
def test_fuzzer_finding_is_reported_or_indexed(tmp_path: Path, name: str) -> None:
    build, problem = FUZZ_FINDINGS[name]
    path = build(tmp_path / name)
    if problem is None:
        assert hostile.SENTENCE in extract(path).text
    else:
        with pytest.raises(ExtractionError) as caught:
            extract(path)
        assert caught.value.problem is problem


@pytest.mark.parametrize(
    "markup",
    [
        "<h" * 50_000,  # html.parser before 3.11.13 rescans the rest at every "<" without a ">"
        "<a b='" * 30_000,
        "<!--" * 50_000,
        "<p>Tekst</p><![ x" * 1_000,  # html.parser gives up on a malformed "<!" declaration
    ],
)
def test_html_that_stalls_or_stops_the_standard_parser(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(f"<html><body><p>{hostile.SENTENCE}</p>{markup}", encoding="utf-8")
    started = time.monotonic()
    assert hostile.SENTENCE in extract(path).text
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "body",
    [
        "\n" * 100_000,
        " \n" * 100_000,
        "[" * 100_000,
        "![" * 50_000,
        "[a](" * 50_000,
        "<p" * 50_000,
        "*a " * 50_000,
        "# a" + " " * 100_000 + "b",
        "|" + " " * 100_000 + "x",
    ],
)
def test_markdown_markup_removal_is_linear(tmp_path: Path, body: str) -> None:
    path = tmp_path / "notitie.md"
    path.write_text(f"# Notitie\n\n{hostile.SENTENCE}\n\n{body}\n", encoding="utf-8")
    started = time.monotonic()
    assert hostile.SENTENCE in extract(path).text
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "declaration",
    [
        b'<meta charset="\xe4\x00">',  # atheris: ValueError "embedded null character" from the codec lookup
        b'<meta charset="rot13">',  # a Python codec, but not a text encoding
        b'<meta charset="x-onbekend">',
    ],
)
def test_html_with_a_charset_no_codec_has_falls_back_to_windows_1252(tmp_path: Path, declaration: bytes) -> None:
    path = tmp_path / "pagina.html"
    path.write_bytes(declaration + f"<p>{hostile.ACCENTED}</p>".encode("cp1252"))
    assert hostile.ACCENTED in extract(path).text


def test_front_matter_html_that_stalls_the_standard_parser(tmp_path: Path) -> None:
    path = tmp_path / "notitie.md"
    path.write_text(f"---\ntitle: '<b>Notitie</b>{'<a' * 50_000}'\n---\n{hostile.SENTENCE}\n", encoding="utf-8")
    started = time.monotonic()
    assert extract(path).properties["titel"].startswith("Notitie")
    assert time.monotonic() - started < 5


def test_markdown_markup_is_still_removed() -> None:
    from indexer.extract.markdown import markdown_to_text

    text = markdown_to_text(
        "## Kop ##\n\nZie [de wiki](https://nl.wikipedia.org/wiki/Aanpak_(beleid)) en ![beeld](a.png).\n"
        "[gids][1] met **vet** en *schuin*.\n\n[1]: https://x.nl\n\n|a|b|\n| --- |:---:|\n<p>alinea</p>\n"
    )
    assert "Kop" in text and "#" not in text
    assert "Zie de wiki en beeld." in text
    assert "gids met vet en schuin." in text
    assert "https" not in text and "---" not in text and "<p>" not in text


# --- not ours to fix ---------------------------------------------------------------------------


def test_sidecar_with_an_impossible_date_is_reported(corpus: Path, index_root: Path) -> None:
    document = hostile.good_markdown(corpus / "documenten" / "notitie.md")
    Path(f"{document}.meta.yaml").write_text("datum: 2024-02-30\n", encoding="utf-8")
    report = run_index(corpus, index_root, limits=LIMITS, workers=1)
    assert report.failed[0].issue.problem is Problem.BAD_SIDECAR


# Every blank any sentence has besides the detail.
FACTS = (("suffix", ".pdf"), ("label", "Word-document"), ("proper", ".docx"), ("dossier", "d"), ("document", "e"))


@pytest.mark.parametrize("problem", list(Problem))
def test_every_issue_survives_the_report_as_json_and_is_worded_in_full(problem: Problem) -> None:
    issue = Issue(problem, "een detail (met haakjes)", FACTS)
    assert Issue.from_dict(json.loads(json.dumps(issue.as_dict()))) == issue
    sentence = describe(issue)
    assert "{" not in sentence and "}" not in sentence, sentence
    assert sentence.endswith(".") and sentence[0].isupper(), sentence
    assert re.search(r"\(technische melding", describe(Issue(Problem.CORRUPT, "technische melding: X")))
