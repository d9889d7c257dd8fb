"""Fuzz the extractors for a bounded time: mutate small valid PDFs, HTML, Markdown and text files,
extract each mutant under the worker limits, and flag what a hostile file could do to a run.

```sh
python -m bench.fuzz_extractors --seconds 300                 # byte mutations of seed files (default)
python -m bench.fuzz_extractors --seconds 300 --engine atheris  # coverage-guided, when atheris is installed
```

What is flagged, per mutant:

- `escaped`: an exception other than `ExtractionError` left `indexer.extract.extract`. The worker's
  `extract_safely` still turns it into a reason, but a generic "technische melding" one, and for a
  PDF one broken page then costs the whole file. RecursionError and MemoryError are counted, not
  flagged: `extract_safely` has a proper reason for them.
- `hang`: extraction ran past `--timeout` (the worker limit); `crash`: the worker process died.
- `metadata`: metadata resolution and tagging (`indexer.indexing.pipeline.build_document`), which runs in
  the indexer's main process without any limit, raised something other than `ExtractionError`:
  that stops a whole run.
- `slow-metadata`: that main-process step took more than SLOW_METADATA_S (2 s).

Each distinct finding (kind, exception, innermost frame) is shrunk to a small input (truncation and
chunk deletion while the finding persists) and written to `--out`. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

SUFFIXES = (".pdf", ".html", ".md", ".txt")
# Metadata and tagging of one file in the main process taking longer than this is flagged.
SLOW_METADATA_S = 2.0
TOKENS = {
    ".pdf": [
        b"obj",
        b"endobj",
        b"stream\n",
        b"endstream",
        b"<<",
        b">>",
        b"[",
        b"]",
        b"(",
        b")",
        b"<",
        b">",
        b"/Length 99999999999",
        b"/Length -1",
        b" 0 R",
        b" 99999 0 R",
        b"/Filter /FlateDecode",
        b"/Filter /LZWDecode",
        b"/Filter /ASCIIHexDecode",
        b"/Filter /RunLengthDecode",
        b"/Type /Pages",
        b"/Kids [",
        b"/Count 999999999",
        b"/Parent 2 0 R",
        b"/ToUnicode",
        b"beginbfrange",
        b"/Differences [",
        b"/Encoding /Identity-H",
        b"/XObject",
        b" Do ",
        b" Tj ",
        b" TJ ",
        b" Tf ",
        b" Td ",
        b" cm ",
        b"BT ",
        b" ET",
        b"xref\n",
        b"trailer",
        b"startxref\n",
        b"%%EOF",
        b"/Encrypt",
        b"/ObjStm",
        b"1e308",
        b"-0.0",
        b"\x00",
        b"\xff\xfe",
        b"\\",
    ],
    ".html": [
        b"<div>",
        b"</div>",
        b"<",
        b"</",
        b">",
        b"<!--",
        b"-->",
        b"<![CDATA[",
        b"<?xml version='1.0'?>",
        b"<!DOCTYPE html>",
        b"<script>",
        b"<style>",
        b"<main>",
        b"<article>",
        b"<nav>",
        b"<title>",
        b"<h1>",
        b"<time datetime='",
        b"<meta charset='utf-16'>",
        b"<meta charset='x-unknown'>",
        b"<meta property='og:title' content='",
        b"class='menu'",
        b"&#x",
        b"&#99999999;",
        b"&amp",
        b"\x00",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b" - ",
        b" | ",
    ],
    ".md": [
        b"---\n",
        b"...\n",
        b"**",
        b"*",
        b"_",
        b"~~",
        b"`",
        b"```\n",
        b"[",
        b"](",
        b"![",
        b"]: ",
        b"# ",
        b"\n\n",
        b"   ",
        b"|",
        b"|---|",
        b"> ",
        b"- ",
        b"1. ",
        b"<p>",
        b"<",
        b"&#x",
        b"titel: ",
        b"datum: 2024-02-30\n",
        b"themas: [",
        b"soort: [a]\n",
        b"&a ",
        b"*a ",
        b"!!python/object ",
        b"{",
        b"\x00",
    ],
    ".txt": [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"-\n", b"\n\n", b"\x85", "\u2028".encode()],
}


# --- seeds -------------------------------------------------------------------------------------


def build_seeds(folder: Path) -> dict[str, list[bytes]]:
    """Small valid files of every supported type, built with the tests' own builders."""
    from tests import hostile
    from tests.builders import NEWS_PAGE, write_pdf

    pdfs = [
        hostile.simple_pdf([hostile.text_ops(hostile.SENTENCE), hostile.text_ops("Tweede pagina over zorg.", 700)]),
        write_pdf(folder / "a.pdf", [["Monitor mensenhandel 2024", "Samenvatting"], ["Tweede pagina."]]).read_bytes(),
    ]
    for build in (
        hostile.cyrillic_to_unicode,
        hostile.xobjects_drawing_each_other,
        hostile.broken_flate_first_page,
        hostile.cid_font_without_unicode_map,
        hostile.encrypted("AES-128", ""),
        hostile.encrypted("RC4-40", ""),
    ):
        pdfs.append(build(folder / "seed.pdf").read_bytes())
    if (truetype := hostile.cyrillic_truetype(folder / "ttf.pdf")) is not None:
        pdfs.append(truetype.read_bytes())
    html = [
        NEWS_PAGE.encode(),
        f"<html><head><title>Titel | Site</title></head><body><p>{hostile.ACCENTED}</p></body></html>".encode("cp1252"),
        hostile.malformed_html(folder / "m.html").read_bytes(),
    ]
    markdown = [
        (
            b"---\ntitle: 'Training <em>signaleren</em>'\ndatum: 2024-03-05\nsoort: trainingsaanbod\n"
            b"themas: [mensenhandel]\n---\n# Over deze training\n\nIn deze **training** leert u "
            b"[signalen](https://x.nl/a_(b)) herkennen. Zie ook [de gids][1].\n\n[1]: https://x.nl\n\n"
            b"- Herkennen\n- Melden\n\n| Dag | Tijd |\n|---|---|\n| dinsdag | 9.00 |\n\n> Citaat\n\n```\ncode\n```\n"
        ),
        b"Titel\n=====\n\nTekst met _nadruk_ en `code` en ![beeld](a.png).\n",
    ]
    text = ["Notitie overleg\n\nAfspraken over de coördinatie van de aanpak.\n".encode("cp1252")]
    return {".pdf": pdfs, ".html": html, ".md": markdown, ".txt": text}


# --- mutations ---------------------------------------------------------------------------------


def mutate(data: bytes, suffix: str, seeds: list[bytes], rng: random.Random) -> bytes:
    """One to four byte-level mutations: truncation, byte flips, chunk duplication or deletion,
    tokens of the format, or a splice with another seed of the same format."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        size = len(out)
        at = rng.randrange(size + 1)
        choice = rng.randrange(8)
        if choice == 0 and size:
            del out[rng.randrange(size) :]
        elif choice == 1 and size:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(size)] ^= 1 << rng.randrange(8)
        elif choice == 2 and size:
            start = rng.randrange(size)
            chunk = out[start : start + rng.randint(1, 256)]
            out[at:at] = chunk * rng.choice((1, 2, 10, 1000))
        elif choice == 3 and size:
            start = rng.randrange(size)
            del out[start : start + rng.randint(1, 512)]
        elif choice in (4, 5):
            out[at:at] = rng.choice(TOKENS[suffix]) * rng.choice((1, 1, 3, 100))
        elif choice == 6:
            other = rng.choice(seeds)
            start = rng.randrange(len(other) + 1)
            out[at:] = other[start:]
        else:
            # A number made huge, negative or fractional: lengths, offsets, counts, references.
            digits = [i for i in range(size) if 48 <= out[i] <= 57]
            if digits:
                i = rng.choice(digits)
                out[i : i + 1] = rng.choice((b"99999999999", b"-1", b"0", b"1.5", b"4294967296"))
    return bytes(out)


# --- supervised extraction ----------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    kind: str  # ok, reported, handled, escaped, metadata, slow-metadata, hang, crash
    detail: str = ""
    signature: str = ""
    seconds: float = 0.0


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} @ {where}"


def _check(path: Path, taxonomy: object) -> Result:
    """Extraction as the worker does it, then the main process's metadata step; runs in a child."""
    from indexer.errors import ExtractionError
    from indexer.extract import extract
    from indexer.indexing.pipeline import build_document
    from indexer.models import Fingerprint

    started = time.monotonic()
    try:
        extraction = extract(path)
    except ExtractionError as exc:
        return Result("reported", exc.problem.value, seconds=time.monotonic() - started)
    except (RecursionError, MemoryError) as exc:
        return Result("handled", type(exc).__name__, seconds=time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
        return Result("escaped", traceback.format_exc(limit=-6), _signature(exc), time.monotonic() - started)
    extracted = time.monotonic()
    try:
        build_document(path, extraction, path.name, "fuzz", Fingerprint(0, 0, "", ""), taxonomy)
    except ExtractionError:
        pass
    except Exception as exc:  # noqa: BLE001 - this would stop a whole indexing run
        return Result("metadata", traceback.format_exc(limit=-6), _signature(exc), extracted - started)
    if time.monotonic() - extracted > SLOW_METADATA_S:
        return Result("slow-metadata", f"{time.monotonic() - extracted:.1f} s", "slow-metadata", extracted - started)
    return Result("ok", seconds=extracted - started)


def _child(connection: Connection, memory_bytes: int) -> None:
    from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
    from indexer.themes.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    connection.send("ready")
    while True:
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        connection.send(_check(path, taxonomy))


class Runner:
    """Child processes under an address-space limit; one past its deadline is killed and replaced."""

    def __init__(self, workers: int, timeout_s: float, memory_bytes: int) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["indexer.indexing.workers", "indexer.indexing.pipeline"])
        self.timeout_s, self.memory_bytes = timeout_s, memory_bytes
        self.idle = [self._start() for _ in range(workers)]

    def _start(self) -> tuple[multiprocessing.Process, Connection]:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_child, args=(child, self.memory_bytes), daemon=True)
        process.start()
        child.close()
        if not parent.poll(60) or parent.recv() != "ready":
            raise RuntimeError("fuzz worker did not start")
        return process, parent

    def run(self, jobs: Iterator[tuple[Path, object]]) -> Iterator[tuple[object, Result]]:
        """Yield (tag, result) for every (path, tag) job, keeping every worker busy."""
        busy: dict[Connection, tuple[multiprocessing.Process, object, float]] = {}
        exhausted = False
        while busy or not exhausted:
            while self.idle and not exhausted:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                process, connection = self.idle.pop()
                connection.send(job[0])
                busy[connection] = (process, job[1], time.monotonic() + self.timeout_s)
            if not busy:
                break
            nearest = min(deadline for _, _, deadline in busy.values())
            for connection in wait(list(busy), timeout=max(0.0, nearest - time.monotonic())):
                process, tag, _ = busy.pop(connection)
                try:
                    result = connection.recv()
                    self.idle.append((process, connection))
                except (EOFError, OSError):
                    process.join(5)
                    result = Result("crash", f"exit code {process.exitcode}", f"crash {process.exitcode}")
                    connection.close()
                    self.idle.append(self._start())
                yield tag, result
            now = time.monotonic()
            for connection, (process, tag, deadline) in list(busy.items()):
                if deadline <= now:
                    del busy[connection]
                    process.kill()
                    process.join()
                    connection.close()
                    self.idle.append(self._start())
                    yield tag, Result("hang", f"over {self.timeout_s:g} s", "hang", self.timeout_s)

    def check(self, data: bytes, suffix: str, folder: Path) -> Result:
        path = folder / f"probe{suffix}"
        path.write_bytes(data)
        return next(self.run(iter([(path, None)])))[1]

    def close(self) -> None:
        for process, connection in self.idle:
            with contextlib.suppress(OSError):
                connection.send(None)
            process.join(5)
            if process.is_alive():
                process.kill()


FLAGGED = ("escaped", "metadata", "slow-metadata", "hang", "crash")


def shrink(data: bytes, suffix: str, signature: str, runner: Runner, folder: Path, budget_s: float) -> bytes:
    """Delta debugging light: cut the tail, then delete ever smaller chunks, while the finding stays."""
    deadline = time.monotonic() + budget_s

    def same(candidate: bytes) -> bool:
        return runner.check(candidate, suffix, folder).signature == signature

    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        shrunk = False
        for cut in (len(data) - chunk, len(data) // 2):
            if 0 < cut < len(data) and time.monotonic() < deadline and same(data[:cut]):
                data, shrunk = data[:cut], True
                break
        start = 0
        while start < len(data) and time.monotonic() < deadline:
            candidate = data[:start] + data[start + chunk :]
            if candidate and same(candidate):
                data, shrunk = candidate, True
            else:
                start += chunk
        if not shrunk:
            chunk //= 2
    return data


# --- engines -----------------------------------------------------------------------------------


def fuzz_mutations(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kennisbank-fuzz-"))
    seeds = build_seeds(work)
    runner = Runner(args.workers, args.timeout, args.memory_mib * 2**20)
    counts: dict[str, int] = {}
    findings: dict[str, tuple[str, bytes, Result]] = {}
    slowest: list[tuple[float, str]] = []
    slowest_input: tuple[float, str, bytes] = (0.0, "", b"")
    stop_at = time.monotonic() + args.seconds
    started = time.monotonic()

    def jobs() -> Iterator[tuple[Path, object]]:
        number = 0
        while time.monotonic() < stop_at:
            suffix = rng.choices(SUFFIXES, weights=(6, 3, 3, 1))[0]
            data = mutate(rng.choice(seeds[suffix]), suffix, seeds[suffix], rng)
            number += 1
            path = work / f"m{number % (args.workers * 4)}{suffix}"
            path.write_bytes(data)
            yield path, (suffix, data)

    try:
        for (suffix, data), result in runner.run(jobs()):
            counts[result.kind] = counts.get(result.kind, 0) + 1
            slowest = sorted([*slowest, (result.seconds, suffix)], reverse=True)[:5]
            if result.kind != "hang" and result.seconds > slowest_input[0]:
                slowest_input = (result.seconds, suffix, data)
            if result.kind in FLAGGED and result.signature not in findings:
                findings[result.signature] = (suffix, data, result)
                print(f"[{time.monotonic() - started:6.0f} s] {result.kind}: {result.signature} ({suffix})", flush=True)
        total = sum(counts.values())
        print(f"\n{total} mutants in {time.monotonic() - started:.0f} s: {counts}")
        print("slowest extractions: " + ", ".join(f"{seconds:.2f} s {suffix}" for seconds, suffix in slowest))
        args.out.mkdir(parents=True, exist_ok=True)
        if slowest_input[2]:
            took, suffix, data = slowest_input
            (args.out / f"slowest{suffix}").write_bytes(data)
            print(f"slowest input ({took:.2f} s, {len(data)} bytes): {args.out / f'slowest{suffix}'}")
        if not findings:
            print("no findings")
        for signature, (suffix, data, result) in findings.items():
            small = data if result.kind == "hang" else shrink(data, suffix, signature, runner, work, args.shrink_s)
            name = hashlib.sha256(small).hexdigest()[:12] + suffix
            (args.out / name).write_bytes(small)
            print(f"\n== {result.kind}: {signature}\n   {len(data)} -> {len(small)} bytes: {args.out / name}")
            print("   " + result.detail.strip().replace("\n", "\n   ")[-1500:])
    finally:
        runner.close()
    return 1 if findings else 0


def fuzz_atheris(args: argparse.Namespace) -> int:
    """Coverage-guided, in process: libFuzzer's -timeout and -rss_limit_mb catch hangs and memory."""
    import atheris

    with atheris.instrument_imports():
        import pypdf  # noqa: F401
        import yaml  # noqa: F401
        from bs4 import BeautifulSoup  # noqa: F401

        from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
        from indexer.errors import ExtractionError
        from indexer.extract import extract
        from indexer.indexing.pipeline import build_document
        from indexer.models import Fingerprint
        from indexer.themes.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    work = Path(tempfile.mkdtemp(prefix="kennisbank-atheris-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for suffix, files in build_seeds(work).items():
        for number, data in enumerate(files):
            (corpus / f"{suffix[1:]}-{number}").write_bytes(bytes([SUFFIXES.index(suffix)]) + data)

    def one_input(data: bytes) -> None:
        if not data:
            return
        path = work / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
        path.write_bytes(data[1:])
        try:
            extraction = extract(path)
        except (ExtractionError, RecursionError, MemoryError):
            return
        try:
            build_document(path, extraction, path.name, "fuzz", Fingerprint(0, 0, "", ""), taxonomy)
        except ExtractionError:
            return

    args.out.mkdir(parents=True, exist_ok=True)
    libfuzzer = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={int(args.seconds)}",
        f"-timeout={int(args.timeout)}",
        f"-rss_limit_mb={args.memory_mib}",
        f"-artifact_prefix={args.out}/",
        "-max_len=200000",
    ]
    atheris.Setup(libfuzzer, one_input)
    atheris.Fuzz()
    return 0


ENGINES: dict[str, Callable[[argparse.Namespace], int]] = {"mutate": fuzz_mutations, "atheris": fuzz_atheris}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="how long to fuzz")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="mutate")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-file limit, as the worker's")
    parser.add_argument("--memory-mib", type=int, default=1024, help="address-space limit per worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shrink-s", type=float, default=60.0, help="time to shrink each finding")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "kennisbank-fuzz-findings")
    return ENGINES[parser.parse_args().engine](parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
