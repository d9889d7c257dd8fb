"""Load test of the production server on loopback: readers and uploading staff at the same time.

    python scripts/loadtest.py [--seconden 30] [--lezers 16] [--uploaders 2]

Copies the bundled corpus to a scratch folder, starts `kennisbank serve` (gunicorn) on a free port
of 127.0.0.1, and for a bounded time runs reader threads (searches, document pages, dossier pages)
and staff threads that log in and add documents through the review step. Prints throughput,
latency percentiles and errors per kind of request, and checks that every upload is searchable.
Exits 1 when there were errors or a lost upload.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

from indexer.corpus.audit import STAFF_DB_FILE
from indexer.corpus.layout import BUNDLED_CORPUS
from indexer.indexing.pipeline import run_index
from search_app.accounts import EDITOR, Accounts
from search_app.launcher import running_server

QUERIES = (
    "mensenhandel",
    "PGA-R",
    "zorgcriminaliteit",
    "radicalisering jongeren",
    "meldroute",
    "loverboys",
    "straattriage",
    "femicide",
    "gijzelsoftware",
    "wapens",
    "thema:jeugd",
    "schoolveiligheid",
    "hoe meld ik arbeidsuitbuiting",
    "mensehandel",
    '"dwingende controle"',
    "OSINT",
)
DOCUMENTS = (
    "monitor-mensenhandel-2024",
    "factsheet-femicide-intiem-terrorisme-dwingende-controle",
    "handboek-pga-r-persoonsgerichte-aanpak-radicalisering",
    "nieuws-bijpraatmoment-wet-parta-praktijk",
)
THEMES = (
    "mensenhandel",
    "digitale-veiligheid",
    "zorg-en-veiligheid",
    "jeugd-en-veiligheid",
    "maatschappelijk-ongenoegen",
)
PASSWORD = "belasting-test-wachtwoord"  # noqa: S105 - a throwaway account in a scratch folder
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Hard caps, whatever the options say: this is a test, not a flood.
MAX_SECONDS = 600
MAX_REQUESTS_PER_READER = 20_000


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def timed(self, kind: str, call) -> object:
        started = time.perf_counter()
        try:
            result = call()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            with self.lock:
                self.errors[kind].append(f"{type(exc).__name__}: {exc}")
            return None
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - started)
        return result


def reader(base: str, recorder: Recorder, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(MAX_REQUESTS_PER_READER):
        if time.monotonic() >= deadline:
            return
        choice = rng.random()
        if choice < 0.6:
            kind, path = "zoeken", "/zoeken?" + urllib.parse.urlencode({"q": rng.choice(QUERIES)})
        elif choice < 0.85:
            kind, path = "document", f"/document/{rng.choice(DOCUMENTS)}"
        else:
            kind, path = "dossier", f"/thema/{rng.choice(THEMES)}"
        recorder.timed(kind, lambda path=path: urllib.request.urlopen(base + path, timeout=30).read())


def multipart(fields: dict[str, str], file_field: str, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def uploader(base: str, name: str, recorder: Recorder, deadline: float, added: list[str]) -> None:
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def token(path: str) -> str:
        return _CSRF.search(browser.open(base + path, timeout=30).read().decode()).group(1)

    login = urllib.parse.urlencode({"naam": name, "wachtwoord": PASSWORD, "csrf_token": token("/beheer/inloggen")})
    browser.open(base + "/beheer/inloggen", data=login.encode(), timeout=30).read()
    number = 0
    while time.monotonic() < deadline:
        number += 1
        marker = f"belastingtest{name}x{number}"
        text = f"Notitie {number} van {name} over de regionale aanpak van ondermijning. Kenmerk {marker}.".encode()

        def add(text=text, marker=marker) -> None:
            body, content_type = multipart({"csrf_token": token("/beheer/toevoegen")}, "bestanden", "notitie.txt", text)
            request = urllib.request.Request(
                base + "/beheer/toevoegen", data=body, headers={"Content-Type": content_type}
            )
            review = browser.open(request, timeout=120)
            form = {
                "csrf_token": token(review.geturl().removeprefix(base)),
                "actie": "publiceren",
                "titel": f"Notitie {marker}",
                "soort": "overig",
            }
            result = browser.open(review.geturl(), data=urllib.parse.urlencode(form).encode(), timeout=300).read()
            if "is toegevoegd" not in result.decode():
                raise ValueError(f"publiceren van {marker} mislukt")
            added.append(marker)

        recorder.timed("upload", add)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconden", type=float, default=30.0)
    parser.add_argument("--lezers", type=int, default=16)
    parser.add_argument("--uploaders", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kennisbank-belasting-") as scratch:
        corpus, index, data = Path(scratch) / "corpus", Path(scratch) / "index", Path(scratch) / "data"
        shutil.copytree(BUNDLED_CORPUS, corpus, ignore=shutil.ignore_patterns("_prullenbak", ".*"))
        run_index(corpus, index)
        accounts = Accounts(data / STAFF_DB_FILE)
        names = [f"medewerker{n}" for n in range(args.uploaders)]
        for name in names:
            accounts.add(name, PASSWORD, EDITOR)
        with running_server(corpus, index, "--data", str(data)) as base:
            recorder, added = Recorder(), []
            deadline = time.monotonic() + min(args.seconden, MAX_SECONDS)
            threads = [threading.Thread(target=reader, args=(base, recorder, deadline, n)) for n in range(args.lezers)]
            threads += [
                threading.Thread(target=uploader, args=(base, name, recorder, deadline, added)) for name in names
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            lost = [
                marker
                for marker in added
                if f"Notitie {marker}".lower()
                not in urllib.request.urlopen(f"{base}/api/zoeken?q={marker}", timeout=30).read().decode().lower()
            ]
    print(f"{'soort':<10}{'aantal':>8}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'fouten':>8}")
    for kind in ("zoeken", "document", "dossier", "upload"):
        values = recorder.latencies.get(kind, [])
        if not values and not recorder.errors.get(kind):
            continue
        figures = [percentile(values, share) * 1000 for share in (0.5, 0.95, 0.99)] if values else [0, 0, 0]
        print(
            f"{kind:<10}{len(values):>8}{len(values) / elapsed:>8.1f}{figures[0]:>9.0f}{figures[1]:>9.0f}"
            f"{figures[2]:>9.0f}{len(recorder.errors.get(kind, [])):>8}"
        )
    all_values = [value for values in recorder.latencies.values() for value in values]
    errors = [error for errors in recorder.errors.values() for error in errors]
    print(
        f"totaal: {len(all_values)} verzoeken in {elapsed:.1f} s ({len(all_values) / elapsed:.1f}/s), "
        f"mediaan {statistics.median(all_values) * 1000:.0f} ms, {len(errors)} fouten, "
        f"{len(added)} uploads, {len(lost)} kwijt"
    )
    for error in errors[:10]:
        print(f"  fout: {error}")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
