"""Usage mistakes on the command line: one Dutch line, exit code 2, nothing touched.

A typo in a path must never cost the live index its documents, and what a killed run left behind
is cleaned up by the next one.
"""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS
from indexer.errors import KennisbankError
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import WorkerStartError
from scripts.audit import verdict
from search_app.main import ChildStoppedError, in_child_process
from tests.conftest import TEST_LIMITS, serving
from tests.test_cli import kennisbank

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Notitie {number} over buurtbemiddeling, woonoverlast en de aanpak van ondermijning in wijk {number}."


def write_notes(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"notitie-{number}.txt" for number in range(count)]
    for number, path in enumerate(paths):
        path.write_text(TEXT.format(number=number), encoding="utf-8")
    return paths


def indexed_ids(index: Path) -> list[str]:
    result = kennisbank("search", "--index", str(index), "--json", "--limit", "50", "buurtbemiddeling")
    assert result.returncode == 0, result.stderr
    return sorted(hit["id"] for hit in json.loads(result.stdout)["hits"])


def index_folder_state(index: Path) -> dict[str, int]:
    """Every file of the index folder with its modification time: "nothing touched" made checkable."""
    return {str(path.relative_to(index)): path.stat().st_mtime_ns for path in index.rglob("*") if path.is_file()}


@pytest.fixture
def live_index(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of six notes and its index, built by the command."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_notes(corpus, 6)
    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    return corpus, index


def _not_a_folder(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text("# Geen corpus\n\nMaar een los bestand.", encoding="utf-8")
    return path


def _without_documents(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "presentatie.pptx").write_bytes(b"PK\x03\x04 geen document dat wij lezen")
    return folder


BAD_CORPORA = {
    "missing": (lambda tmp_path: tmp_path / "pad" / "dat" / "niet" / "bestaat", "bestaat niet"),
    "not a folder": (_not_a_folder, "is geen map"),
    "no supported file": (_without_documents, "staat geen enkel bestand dat de Kennisbank leest"),
}


@pytest.mark.parametrize("how", ["option", "environment"])
@pytest.mark.parametrize("case", BAD_CORPORA)
def test_a_wrong_corpus_is_a_usage_error_and_the_index_is_untouched(
    live_index: tuple[Path, Path], tmp_path: Path, case: str, how: str
) -> None:
    _, index = live_index
    make, reason = BAD_CORPORA[case]
    wrong = make(tmp_path)
    before = index_folder_state(index)
    if how == "option":
        result = kennisbank("index", "--corpus", str(wrong), "--index", str(index))
    else:
        result = kennisbank("index", env={"KENNISBANK_CORPUS": str(wrong), "KENNISBANK_INDEX": str(index)})
    assert result.returncode == 2, result.stdout
    assert "VERWIJDERD" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout: ") and reason in lines[0], result.stderr
    assert index_folder_state(index) == before, "nothing in the index folder may change"
    assert len(indexed_ids(index)) == 6


def test_a_time_limit_no_file_could_meet_is_refused_and_a_dutch_comma_is_understood(
    live_index: tuple[Path, Path],
) -> None:
    """`--timeout 0` once made half of the files fail and left the index without them."""
    corpus, index = live_index
    (corpus / "notitie-0.txt").write_text("Een gewijzigde notitie over buurtbemiddeling.", encoding="utf-8")
    before = index_folder_state(index)
    for wrong in ("0", "-1", "0,5", "nan"):
        result = kennisbank("index", "--corpus", str(corpus), "--index", str(index), "--timeout", wrong)
        assert_one_dutch_line(result, "--timeout", f"‘{wrong}’ is geen aantal seconden van 1 of meer")
        assert index_folder_state(index) == before, "nothing in the index folder may change"
    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index), "--timeout", "2,5")
    assert result.returncode == 0, result.stderr
    assert "1 geïndexeerd" in result.stdout and "0 mislukt" in result.stdout, result.stdout


def test_removing_most_documents_stops_and_asks_for_the_option(live_index: tuple[Path, Path]) -> None:
    corpus, index = live_index
    for path in sorted(corpus.iterdir())[:4]:
        path.unlink()
    refused = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert refused.returncode == 2
    assert "VERWIJDERD" not in refused.stdout
    message = refused.stderr.strip()
    assert "4 van de 6 documenten" in message and str(corpus) in message, "says how many and why"
    assert "--verwijderen-toestaan" in message and len(message.splitlines()) == 1
    assert len(indexed_ids(index)) == 6

    allowed = kennisbank("index", "--corpus", str(corpus), "--index", str(index), "--verwijderen-toestaan")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.count("VERWIJDERD") == 4
    assert indexed_ids(index) == ["notitie-4", "notitie-5"]


def test_a_rebuild_from_another_folder_is_guarded_too(live_index: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = live_index
    other = tmp_path / "ergens-anders"
    write_notes(other, 1)
    (other / "notitie-0.txt").rename(other / "los.txt")
    result = kennisbank("index", "--rebuild", "--corpus", str(other), "--index", str(index))
    assert result.returncode == 2 and "6 van de 6 documenten" in result.stderr
    assert len(indexed_ids(index)) == 6
    assert sorted(path.name for path in index.glob("gen-*")) == ["gen-000001"], "no generation left behind"


def test_removing_a_few_documents_of_a_small_corpus_needs_no_option(corpus: Path, docs: Path, reindex) -> None:
    paths = write_notes(docs, 3)
    reindex()
    for path in paths[:2]:
        path.unlink()
    assert sorted(reindex().removed) == ["notitie-0.txt", "notitie-1.txt"]


def test_a_staff_removal_of_the_last_document_is_never_refused(corpus: Path, docs: Path, index_root: Path) -> None:
    (only,) = write_notes(docs, 1)
    run_index(corpus, index_root, limits=TEST_LIMITS)
    only.unlink()
    report = run_index(corpus, index_root, limits=TEST_LIMITS, paths=[only.name])
    assert report.removed == (only.name,)


def test_a_staff_run_that_must_rebuild_still_removes_what_it_names(corpus: Path, docs: Path, index_root: Path) -> None:
    """A changed theme file makes a staff run look at everything; the document it removes still goes."""
    paths = write_notes(docs, 2)
    run_index(corpus, index_root, limits=TEST_LIMITS)
    theme_file = next((corpus / "themes").glob("*.yaml"))
    theme_file.write_text(theme_file.read_text(encoding="utf-8") + "\n# gewijzigd\n", encoding="utf-8")
    for path in paths:
        path.unlink()
    (docs / "nieuw.txt").write_text(TEXT.format(number=9), encoding="utf-8")
    report = run_index(corpus, index_root, limits=TEST_LIMITS, paths=[path.name for path in paths])
    assert sorted(report.removed) == sorted(path.name for path in paths)


def test_the_next_run_removes_generations_of_killed_rebuilds(live_index: tuple[Path, Path]) -> None:
    corpus, index = live_index
    store = IndexStore(index)
    for _ in range(2):  # what two rebuilds killed before they switched over leave behind
        store.new_generation()
    assert sorted(path.name for path in index.glob("gen-*")) == ["gen-000001", "gen-000002", "gen-000003"]
    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in index.glob("gen-*")) == ["gen-000001"]
    assert len(indexed_ids(index)) == 6


def test_a_generation_another_run_is_writing_is_left_alone(live_index: tuple[Path, Path]) -> None:
    corpus, index = live_index
    store = IndexStore(index)
    with store.run_lock():
        being_written, _ = store.new_generation()
        result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
        assert result.returncode == 2 and "Er loopt al een indexering" in result.stderr
        assert being_written.is_dir()


def run_command(*args: str, **options: object) -> subprocess.CompletedProcess:
    """`kennisbank` in its own session: without a controlling terminal, as under cron or CI."""
    return subprocess.run(
        [sys.executable, "-m", "search_app.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
        **options,
    )


ENGLISH = ("usage", "error:", "invalid", "required", "argument", "Traceback", "choose from", "expected")


def assert_one_dutch_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout: "), result.stderr
    assert not [word for word in ENGLISH if word in lines[0]], lines[0]
    assert all(text in lines[0] for text in expected), lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "OPDRACHT"),
        (("zoek", "mensenhandel"), "'zoek' bestaat niet"),
        (("search",), "ZOEKVRAAG"),
        (("search", "--limit"), "--limit"),
        (("index", "--workers", "nul"), "--workers"),
        (("index", "--onbekend"), "--onbekend"),
        (("serve", "--port", "99999"), "geen poortnummer"),
        (("gebruiker", "toevoegen", "piet", "--rol", "baas"), "kies uit"),
        (("evalueer-themas", "--vergelijk-met", "/nergens/voor.json"), "--bewaar"),
        (("evalueer-themas", "--bewaar", "/nergens/voor.json"), "Kies een bestaande map"),
        (("evalueer-themas", "--eigen-set", "/nergens", "/nergens/labels.yaml"), "De map /nergens bestaat niet"),
    ],
)
def test_usage_mistakes_are_one_dutch_line(args: tuple[str, ...], expected: str) -> None:
    result = run_command(*args)
    assert_one_dutch_line(result, expected)
    assert result.stdout == ""


@pytest.mark.parametrize("args", [("--help",), ("index", "--help"), ("gebruiker", "toevoegen", "--help")])
def test_help_is_dutch(args: tuple[str, ...]) -> None:
    result = run_command(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Gebruik: kennisbank")
    assert "deze hulp tonen" in result.stdout
    for english in ("usage:", "show this help message", "positional arguments", "options:"):
        assert english not in result.stdout


def test_serve_on_a_port_in_use_says_so_before_it_claims_to_run(bundled_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_command("serve", "--corpus", str(BUNDLED_CORPUS), "--index", str(bundled_index), "--port", port)
    assert "draait op" not in result.stdout
    assert_one_dutch_line(result, f"Poort {port}", "al in gebruik", "--port")


def test_adding_a_user_without_a_terminal_asks_for_the_stdin_option(tmp_path: Path) -> None:
    result = run_command("gebruiker", "toevoegen", "piet", "--data", str(tmp_path), stdin=subprocess.DEVNULL)
    assert_one_dutch_line(result, "geen terminal", "--wachtwoord-stdin")
    assert not (tmp_path / "beheer.sqlite3").exists()


def test_adding_a_user_with_empty_stdin_says_no_password_came(tmp_path: Path) -> None:
    result = run_command("gebruiker", "toevoegen", "piet", "--wachtwoord-stdin", "--data", str(tmp_path), input="")
    assert_one_dutch_line(result, "geen wachtwoord")


def test_ctrl_d_at_the_password_prompt_stops_cleanly(tmp_path: Path) -> None:
    """On a real terminal (a pseudo-terminal here), Ctrl-D at the prompt ends the input."""
    controller, terminal = pty.openpty()
    terminal_path = os.ttyname(terminal)

    def take_the_terminal() -> None:  # in the child, after setsid: the first terminal opened becomes its own
        os.close(os.open(terminal_path, os.O_RDWR))

    command = [sys.executable, "-m", "search_app.main", "gebruiker", "toevoegen", "piet", "--data", str(tmp_path)]
    with subprocess.Popen(
        command,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=take_the_terminal,
    ) as process:
        os.close(terminal)
        prompt = b""
        while b"Wachtwoord" not in prompt:
            readable, _, _ = select.select([controller], [], [], 60)
            assert readable, f"no password prompt within a minute: {prompt!r}"
            prompt += os.read(controller, 100)
        os.write(controller, b"\x04")
        stdout, stderr = process.communicate(timeout=60)
    os.close(controller)
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    assert_one_dutch_line(result, "Afgebroken")
    assert not (tmp_path / "beheer.sqlite3").exists()


def test_pip_audit_without_network_says_not_audited_and_goes_on() -> None:
    with socket.socket() as closed:  # a proxy address nobody listens on: the network is "missing"
        closed.bind(("127.0.0.1", 0))
        proxy = f"http://127.0.0.1:{closed.getsockname()[1]}"
    proxies = {name: proxy for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit.py")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **proxies, "NO_PROXY": "", "no_proxy": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "not audited" in result.stdout and "Unable to connect to proxy" in result.stdout
    assert "No known vulnerabilities" not in result.stdout + result.stderr


def _dependency(name: str, vulns: list[dict] | None = None, skip: str | None = None) -> dict:
    """One entry of pip-audit's JSON report."""
    if skip:
        return {"name": name, "skip_reason": f"{skip}: {name} (1.0)"}
    return {"name": name, "version": "1.0", "vulns": vulns or []}


NOT_ON_PYPI = "Dependency not found on PyPI and could not be audited"
VULN = {"id": "PYSEC-2026-1", "fix_versions": ["1.1"], "aliases": [], "description": "..."}
VERDICTS = [
    # (dependencies, exit code, text that must be printed, text that must not)
    ([_dependency("flask"), _dependency("numpy")], 0, "audited 2 packages, none with", "not audited"),
    ([_dependency("flask", skip=NOT_ON_PYPI)], 0, "not audited: none of the 1 packages", "audited 1"),
    ([_dependency("flask"), _dependency("numpy", skip=NOT_ON_PYPI)], 0, "not audited: numpy", "VULNERABLE"),
    ([_dependency("flask", [VULN]), _dependency("numpy")], 1, "VULNERABLE flask 1.0: PYSEC-2026-1", "not audited"),
    ([_dependency("kennisbank", skip="distribution marked as editable"), _dependency("flask")], 0, "audited 1", "not"),
]


@pytest.mark.parametrize(("dependencies", "code", "said", "unsaid"), VERDICTS)
def test_pip_audit_verdict_claims_only_what_was_checked(
    dependencies: list[dict], code: int, said: str, unsaid: str
) -> None:
    exit_code, lines = verdict({"dependencies": dependencies, "fixes": []})
    assert exit_code == code
    assert said in "\n".join(lines) and unsaid not in "\n".join(lines)


def test_an_empty_kennisbank_corpus_serves_so_staff_can_fill_it(corpus: Path, tmp_path: Path) -> None:
    """A new corpus laid out with its documenten/ folder is empty until staff add the first document
    through the website: the server must start on it, not refuse it as a mistyped path."""
    with (
        serving(corpus, tmp_path / "index", tmp_path / "server.log") as base,
        urllib.request.urlopen(f"{base}/zoeken?q=buurtbemiddeling", timeout=30) as response,
    ):
        page = response.read().decode("utf-8")
    assert response.status == 200 and "geen documenten gevonden" in page.lower()


def _raise_worker_start_error() -> None:
    raise WorkerStartError


def _read(path: Path) -> None:
    path.read_text(encoding="utf-8")


def test_what_stops_the_catch_up_before_serving_reaches_the_server_as_its_dutch_sentence(tmp_path: Path) -> None:
    """`serve` catches up in a child process (so that the server's workers do not inherit its
    memory): what stops the child must still end the command with the Dutch line it would have."""
    with pytest.raises(KennisbankError) as refused:
        in_child_process(_raise_worker_start_error)
    assert str(refused.value) == str(WorkerStartError())

    missing = tmp_path / "weg.txt"
    with pytest.raises(OSError) as unreadable:
        in_child_process(_read, missing)
    assert unreadable.value.filename == str(missing)

    with pytest.raises(ChildStoppedError) as stopped:
        in_child_process(os._exit, 9)  # as when the system stops it for want of memory
    assert "Start de website opnieuw" in str(stopped.value)

    in_child_process(_read, BUNDLED_CORPUS / "README.md")  # a file that is there: nothing raised
