"""The `kennisbank` command with the web commands added to the indexer's ones."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from indexer import cli as indexer_cli
from indexer.pipeline import run_index
from indexer.progress import ProgressReporter
from indexer.store import IndexStore
from search_app import create_app
from search_app.server import serve


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the website; build the index first when there is none (or a stale one)."""
    if not IndexStore(args.index).is_current():
        print("Er is nog geen actuele index; die wordt nu eerst gemaakt.", file=sys.stderr)
        indexer_cli.print_report(run_index(args.corpus, args.index, progress=ProgressReporter()))
    serve(create_app({"CORPUS": Path(args.corpus), "INDEX": Path(args.index)}), args.host, args.port)
    return 0


def add_web_commands(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("serve", help="de website starten")
    indexer_cli.add_locations(web)
    web.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren")
    web.add_argument("--port", type=int, default=5000, help="poort")
    web.set_defaults(handler=cmd_serve)


def main(argv: Sequence[str] | None = None) -> int:
    return indexer_cli.main(argv, indexer_cli.build_parser(add_web_commands))


if __name__ == "__main__":
    sys.exit(main())
