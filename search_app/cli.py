"""The `kennisbank` command with the web commands added to the indexer's ones."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from indexer import cli as indexer_cli
from indexer.audit import STAFF_DB_FILE
from indexer.config import default_data_dir
from indexer.journal import Places, catch_up
from indexer.progress import ProgressReporter
from indexer.store import IndexStore
from search_app import create_app
from search_app.accounts import EDITOR, ROLES, Accounts
from search_app.server import default_processes, serve

# Over plain HTTP on these addresses a browser still accepts secure cookies; elsewhere use HTTPS.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the website; build or update the index first."""
    if not IndexStore(args.index).is_current():
        print("Er is nog geen actuele index; die wordt nu eerst gemaakt.", file=sys.stderr)
    # Catch up: finish or roll back publications a crash interrupted, index what the index lacks.
    places = Places(Path(args.corpus), Path(args.index), args.data / STAFF_DB_FILE)
    indexer_cli.print_report(catch_up(places, progress=ProgressReporter()))
    config = {
        "CORPUS": Path(args.corpus),
        "INDEX": Path(args.index),
        "DATA_DIR": args.data,
        "SESSION_COOKIE_SECURE": args.host not in LOOPBACK_HOSTS,
    }
    serve(lambda: create_app(config), args.host, args.port, args.processen)
    return 0


def cmd_add_user(args: argparse.Namespace) -> int:
    """Create a staff account; the password is asked twice, or read from standard input."""
    if args.wachtwoord_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nog een keer: ") != password:
            print("Fout: de wachtwoorden zijn niet gelijk. Probeer het opnieuw.", file=sys.stderr)
            return 2
    user = Accounts(args.data / STAFF_DB_FILE).add(args.naam, password, args.rol)
    print(f"Gebruiker ‘{user.name}’ ({user.role}) is aangemaakt.")
    return 0


def add_web_commands(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("serve", help="de website starten")
    indexer_cli.add_locations(web)
    web.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren")
    web.add_argument("--port", type=int, default=5000, help="poort")
    web.add_argument("--data", type=Path, default=default_data_dir(), help="map met de beheergegevens")
    web.add_argument(
        "--processen", type=int, default=default_processes(), help="aantal serverprocessen (standaard: één per kern)"
    )
    web.set_defaults(handler=cmd_serve)

    users = commands.add_parser("gebruiker", help="accounts voor medewerkers beheren")
    user_commands = users.add_subparsers(dest="gebruiker_actie", required=True)
    add_user = user_commands.add_parser("toevoegen", help="een account aanmaken")
    add_user.add_argument("naam")
    add_user.add_argument("--rol", choices=ROLES, default=EDITOR)
    add_user.add_argument("--wachtwoord-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen")
    add_user.add_argument("--data", type=Path, default=default_data_dir(), help="map met de beheergegevens")
    add_user.set_defaults(handler=cmd_add_user)


def main(argv: Sequence[str] | None = None) -> int:
    return indexer_cli.main(argv, indexer_cli.build_parser(add_web_commands))


if __name__ == "__main__":
    sys.exit(main())
