"""The `kennisbank` command with the web commands added to the indexer's ones."""

from __future__ import annotations

import argparse
import getpass
import multiprocessing
import sys
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from flask import Flask

from indexer import cli as indexer_cli
from indexer.cli_args import port, positive_int
from indexer.corpus.audit import STAFF_DB_FILE
from indexer.corpus.curation_service import Curator
from indexer.corpus.journal import Places, catch_up
from indexer.corpus.layout import CorpusLayout
from indexer.engine.kennisbank import index_is_current, require_searchable
from indexer.errors import KennisbankError
from indexer.indexing.progress import ProgressReporter
from search_app import create_app
from search_app.accounts import EDITOR, ROLES, Accounts
from search_app.server import check_address, default_processes, serve
from search_app.state import kennisbank

# Over plain HTTP on these addresses a browser still accepts secure cookies; elsewhere use HTTPS.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def warmed_app(config: dict[str, object]) -> Flask:
    """The website of one server process, with its first search done (`Kennisbank.warm_up`)."""
    app = create_app(config)
    with app.app_context():
        kennisbank().engine.warm_up()
    return app


def _catch_up(places: Places) -> None:
    """Finish or roll back publications a crash interrupted, index what the index lacks; report both."""
    recovered, report = catch_up(places, progress=ProgressReporter())
    indexer_cli.print_recovered(recovered)
    indexer_cli.print_report(report, places.corpus)


def _run_and_send(work: Callable[..., None], args: tuple, sending: Connection) -> None:
    try:
        work(*args)
    except KennisbankError as exc:  # its subclasses need not unpickle: the sentence is what counts
        sending.send(KennisbankError(str(exc)))
    except (OSError, KeyboardInterrupt) as exc:
        sending.send(exc)
    else:
        sending.send(None)


def in_child_process(work: Callable[..., None], *args: object) -> None:
    """Run `work` in a forked child and raise what it raised. The server's main process forks every
    worker after this: what a catch-up over 116,824 files left in its memory (170 MiB) was copied into
    each worker and counted three times."""
    context = multiprocessing.get_context("fork")  # nothing runs threads in this process yet
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_send, args=(work, args, sending))
    child.start()
    sending.close()
    try:
        failure = receiving.recv()
    except EOFError:
        failure = ChildStoppedError()
    finally:
        child.join()
    if failure is not None:
        raise failure


class ChildStoppedError(KennisbankError):
    def __init__(self) -> None:
        super().__init__(
            "Het bijwerken van de index is onverwacht gestopt, misschien door te weinig geheugen. "
            "Start de website opnieuw; het bijwerken gaat dan verder waar het was."
        )


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the website; build or update the index first."""
    check_address(args.host, args.port)  # before a build that may take minutes
    require_searchable(args.engine_config)
    if not index_is_current(Path(args.index), args.engine_config):
        print("Er is nog geen actuele index; die wordt nu eerst gemaakt.", file=sys.stderr)
    places = Curator(CorpusLayout(args.corpus), args.index, args.data, args.engine_config).places
    in_child_process(_catch_up, places)
    config = {
        "CORPUS": Path(args.corpus),
        "INDEX": Path(args.index),
        "ENGINE": args.engine_config,
        "DATA_DIR": args.data,
        "SESSION_COOKIE_SECURE": args.host not in LOOPBACK_HOSTS,
    }
    serve(lambda: warmed_app(config), args.host, args.port, args.processen)
    return 0


class PasswordInputError(KennisbankError):
    """No password could be read: no terminal to ask on, or the input ended."""


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or asked twice on the terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise PasswordInputError("Er kwam geen wachtwoord binnen op standaardinvoer. Geef het als eerste regel.")
        return line.rstrip("\n")
    try:
        with warnings.catch_warnings():
            # getpass warns, then reads standard input visibly, when there is no terminal to ask on.
            warnings.simplefilter("error", getpass.GetPassWarning)
            password = getpass.getpass("Wachtwoord: ")
            again = getpass.getpass("Nog een keer: ")
    except getpass.GetPassWarning as exc:
        raise PasswordInputError(
            "Er is geen terminal om het wachtwoord te vragen. Geef het via standaardinvoer met --wachtwoord-stdin."
        ) from exc
    except EOFError as exc:
        raise PasswordInputError("Afgebroken: er is geen wachtwoord ingevoerd. Er is niets aangemaakt.") from exc
    if again != password:
        raise PasswordInputError("De wachtwoorden zijn niet gelijk. Probeer het opnieuw.")
    return password


def cmd_add_user(args: argparse.Namespace) -> int:
    """Create a staff account; the password is asked twice, or read from standard input."""
    password = read_password(args.wachtwoord_stdin)
    user = Accounts(args.data / STAFF_DB_FILE).add(args.naam, password, args.rol)
    print(f"Gebruiker ‘{user.name}’ ({user.role}) is aangemaakt.")
    return 0


def add_web_commands(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("serve", help="de website starten")
    indexer_cli.add_locations(web)
    web.add_argument("--host", default="127.0.0.1", metavar="ADRES", help="adres om op te luisteren")
    web.add_argument("--port", type=port, default=5000, metavar="POORT", help="poort (1 tot en met 65535)")
    indexer_cli.add_data_dir(web)
    web.add_argument(
        "--processen",
        type=positive_int,
        default=default_processes(),
        metavar="N",
        help="aantal serverprocessen (standaard: één per kern)",
    )
    web.set_defaults(handler=cmd_serve)

    users = commands.add_parser("gebruiker", help="accounts voor medewerkers beheren")
    user_commands = users.add_subparsers(dest="gebruiker_actie", required=True, metavar="ACTIE", title="acties")
    add_user = user_commands.add_parser("toevoegen", help="een account aanmaken")
    add_user.add_argument("naam", metavar="NAAM", help="gebruikersnaam: letters, cijfers, punten of streepjes")
    add_user.add_argument("--rol", choices=ROLES, default=EDITOR, help=f"rol (standaard: {EDITOR})")
    add_user.add_argument("--wachtwoord-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen")
    indexer_cli.add_data_dir(add_user)
    add_user.set_defaults(handler=cmd_add_user)


def main(argv: Sequence[str] | None = None) -> int:
    return indexer_cli.main(argv, indexer_cli.build_parser(add_web_commands))


if __name__ == "__main__":
    sys.exit(main())
