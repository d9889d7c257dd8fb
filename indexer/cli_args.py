"""argparse in Dutch: usage and help texts, and a usage mistake as one Dutch line with exit code 2.

argparse writes its own messages in English and offers only gettext to change them, which would
mean replacing its module-wide `_`. Instead the parser and help formatter here set the Dutch texts
argparse takes as options, and `error` turns argparse's few fixed error messages into Dutch.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Iterable
from typing import NoReturn

EXIT_USAGE = 2
HIGHEST_PORT = 65535

# argparse's error messages (the same in Python 3.11 to 3.13) and what we say instead. The last,
# general one passes on the Dutch messages of our own argument types.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), dutch)
    for pattern, dutch in (
        (r"the following arguments are required: (?P<names>.+)", "er ontbreekt nog iets: {names}"),
        (r"unrecognized arguments: (?P<words>.+)", "onbekende opties of woorden: {words}"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "{option} kan meer opties zijn: {matches}"),
        (r"one of the arguments (?P<names>.+) is required", "kies een van deze opties: {names}"),
        (r"argument (?P<arg>\S+): not allowed with argument (?P<other>.+)", "{arg} gaat niet samen met {other}"),
        (
            r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
            "{arg}: {value} bestaat niet; kies uit {choices}",
        ),
        (r"argument (?P<arg>\S+): invalid int value: (?P<value>.+)", "{arg}: {value} is geen geheel getal"),
        (r"argument (?P<arg>\S+): invalid float value: (?P<value>.+)", "{arg}: {value} is geen getal"),
        (r"argument (?P<arg>\S+): expected one argument", "na {arg} hoort een waarde"),
        (r"argument (?P<arg>\S+): expected at least one argument", "na {arg} hoort minstens één waarde"),
        (r"argument (?P<arg>\S+): ignored explicit argument (?P<value>.+)", "{arg} krijgt geen waarde ({value})"),
        (r"argument (?P<arg>\S+): (?P<message>.+)", "{arg}: {message}"),
    )
)


def dutch_error(message: str) -> str:
    """argparse's English error message in Dutch; an unknown one is passed on as it is."""
    for pattern, dutch in _ERRORS:
        if match := pattern.fullmatch(message):
            return dutch.format(**match.groupdict())
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help is Dutch and whose errors are one Dutch line (exit code 2);
    the subcommand parsers it makes are of the same kind."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="deze hulp tonen")

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"Fout: {dutch_error(message)}. Zie: {self.prog} --help\n")


def port(text: str) -> int:
    """A TCP port number, refused here rather than as an OverflowError when the server binds."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(
            f"‘{text}’ is geen poortnummer; kies een getal van 1 tot en met {HIGHEST_PORT}"
        )
    return number


def seconds_at_least(minimum: float) -> Callable[[str], float]:
    """An argument type for a number of seconds: finite and at least `minimum` (not 0, -1 or "nan",
    which would let every file run out of time), written with a decimal point or a Dutch comma."""

    def seconds(text: str) -> float:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number >= minimum):
            raise argparse.ArgumentTypeError(f"‘{text}’ is geen aantal seconden van {minimum:g} of meer")
        return number

    return seconds


def positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"‘{text}’ is geen geheel getal van 1 of meer")
    return number
