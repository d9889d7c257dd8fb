"""The baseline over HTTP: a bare WSGI app answering /search with JSON, served like ours.

Same server, processes and threads as `search_app.server`, so the comparison is about the search
work (and our Flask page rendering), not the HTTP stack.

    python -m bench.baseline_server --index I --port P
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs

from bench.baseline import BaselineSearch
from bench.queries import URL_ARGS
from search_app.server import default_processes, serve

FIELDS = {arg: field for field, arg in URL_ARGS.items()}


def make_app(index: Path) -> Callable:
    baseline = BaselineSearch(index)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        args = parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("PATH_INFO") != "/search":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        selections = {FIELDS[arg]: values for arg, values in args.items() if arg in FIELDS}
        body = json.dumps(baseline.search(args.get("q", [""])[0], selections)).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(lambda: make_app(args.index), "127.0.0.1", args.port, default_processes())


if __name__ == "__main__":
    main()
