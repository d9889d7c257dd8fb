"""Which search engine a command uses: the embedded Whoosh index (no setting) or a Typesense cluster.

`KENNISBANK_ENGINE` (or `--engine`, which wins) names the engine:

    (empty)                                            the embedded Whoosh index
    typesense://127.0.0.1:8108,127.0.0.1:8109,...      a Typesense cluster, by the API address of each node

The cluster's API key never comes from the command line, where other users see it in the process
list: it is read from `KENNISBANK_TYPESENSE_API_KEY` or from the file `KENNISBANK_TYPESENSE_API_KEY_FILE`
names. `KENNISBANK_TYPESENSE_PREFIX` (default `kennisbank`) starts this Kennisbank's collection and
alias names, so several can share a cluster. A wrong value is refused with one Dutch sentence before
anything is read or written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from indexer.errors import KennisbankError

ENGINE_ENV = "KENNISBANK_ENGINE"
API_KEY_ENV = "KENNISBANK_TYPESENSE_API_KEY"
API_KEY_FILE_ENV = "KENNISBANK_TYPESENSE_API_KEY_FILE"
# The start of this Kennisbank's collection and alias names, so several can share one cluster.
PREFIX_ENV = "KENNISBANK_TYPESENSE_PREFIX"
DEFAULT_PREFIX = "kennisbank"
TYPESENSE_SCHEME = "typesense://"
_EXAMPLE = "typesense://127.0.0.1:8108,127.0.0.1:8109,127.0.0.1:8110"


class EngineConfigError(KennisbankError):
    """The engine setting or the API key cannot be used; `str()` says what to change."""


@dataclass(frozen=True)
class Node:
    """One Typesense server, by the address of its HTTP API."""

    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __str__(self) -> str:
        return self.url.removeprefix("http://")


@dataclass(frozen=True)
class EmbeddedEngine:
    """The Whoosh index on this machine's disk: the default."""


@dataclass(frozen=True)
class TypesenseEngine:
    """A Typesense cluster: its nodes and the API key to send them (kept out of `repr`, so it is not logged)."""

    nodes: tuple[Node, ...]
    api_key: str = field(repr=False)
    prefix: str = DEFAULT_PREFIX


EngineConfig = EmbeddedEngine | TypesenseEngine


def engine_config(option: str | None, environ: Mapping[str, str]) -> EngineConfig:
    """The engine that `--engine` (when given) or `KENNISBANK_ENGINE` names, with its API key.

    Reads nothing but `environ` and, when it is named, the key file."""
    value = (option if option is not None else environ.get(ENGINE_ENV, "")).strip()
    if not value:
        return EmbeddedEngine()
    if not value.startswith(TYPESENSE_SCHEME):
        raise EngineConfigError(
            f"De zoekmachine ‘{value}’ ({ENGINE_ENV} of --engine) is onbekend. Laat de instelling leeg voor de "
            f"ingebouwde zoekmachine, of noem de Typesense-servers zo: {_EXAMPLE}."
        )
    nodes = parse_nodes(value.removeprefix(TYPESENSE_SCHEME))
    return TypesenseEngine(nodes, _api_key(environ), _prefix(environ))


def _prefix(environ: Mapping[str, str]) -> str:
    prefix = environ.get(PREFIX_ENV, "").strip() or DEFAULT_PREFIX
    if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", prefix):
        raise EngineConfigError(
            f"‘{prefix}’ ({PREFIX_ENV}) kan niet het begin van een collectienaam zijn. Gebruik kleine letters, "
            "cijfers en _, of laat de instelling leeg."
        )
    return prefix


def parse_nodes(text: str) -> tuple[Node, ...]:
    """`host:port,host:port,...` as nodes; IPv6 addresses go in brackets (`[::1]:8108`)."""
    nodes = tuple(_node(part.strip()) for part in text.split(","))
    repeated = sorted({str(node) for node in nodes if nodes.count(node) > 1})
    if repeated:
        raise EngineConfigError(
            f"De Typesense-server {', '.join(repeated)} staat meer dan eens in {ENGINE_ENV}. Noem elke server één keer."
        )
    return nodes


def _node(part: str) -> Node:
    problem = f"‘{part}’ is geen Typesense-server in de vorm host:poort"
    if not part or "/" in part or "@" in part:
        raise EngineConfigError(f"{problem}. Noem de servers zo: {_EXAMPLE}.")
    try:
        address = urlsplit(f"//{part}")
        host, port = address.hostname, address.port
    except ValueError as exc:
        raise EngineConfigError(f"{problem} ({exc}). Noem de servers zo: {_EXAMPLE}.") from exc
    if not host or port is None or port == 0:
        raise EngineConfigError(f"{problem} (de poort ontbreekt). Noem de servers zo: {_EXAMPLE}.")
    return Node(host, port)


def _api_key(environ: Mapping[str, str]) -> str:
    key = environ.get(API_KEY_ENV, "").strip()
    key_file = environ.get(API_KEY_FILE_ENV, "").strip()
    if key and key_file:
        raise EngineConfigError(
            f"Zowel {API_KEY_ENV} als {API_KEY_FILE_ENV} is gezet. Geef de API-sleutel van Typesense op één "
            "manier op en maak de andere leeg."
        )
    if key_file:
        key = _read_key_file(Path(key_file))
    if not key:
        raise EngineConfigError(
            f"De API-sleutel voor Typesense ontbreekt. Zet hem in {API_KEY_ENV}, of zet hem in een bestand dat "
            f"alleen de Kennisbank mag lezen en noem dat bestand in {API_KEY_FILE_ENV}."
        )
    if not key.isprintable() or any(char.isspace() for char in key):
        raise EngineConfigError(
            "De API-sleutel voor Typesense bevat spaties, regeleinden of andere onzichtbare tekens. "
            "Zet alleen de sleutel zelf in de instelling of het bestand."
        )
    return key


def _read_key_file(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise EngineConfigError(
            f"Het bestand met de API-sleutel ({path}, uit {API_KEY_FILE_ENV}) kan niet worden gelezen ({reason}). "
            "Controleer het pad en of de Kennisbank het bestand mag lezen."
        ) from exc
    if not key:
        raise EngineConfigError(f"Het bestand met de API-sleutel ({path}) is leeg. Zet de sleutel erin.")
    return key
