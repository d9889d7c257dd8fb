"""What can go wrong with the cluster, as one error class whose `str()` is a Dutch sentence saying what to do.

Transport details (which node refused, the server's own message) go into the sentence's blanks, never a
traceback: the command line and the website show `str(error)` as it is.
"""

from __future__ import annotations

from enum import Enum

from indexer.backends.config import API_KEY_ENV, API_KEY_FILE_ENV, ENGINE_ENV
from indexer.errors import KennisbankError


class ClusterProblem(Enum):
    UNAUTHORIZED = "unauthorized"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    NO_QUORUM = "no_quorum"
    MISSING_COLLECTION = "missing_collection"
    STALE_SCHEMA = "stale_schema"
    REJECTED = "rejected"
    CATCHING_UP = "catching_up"


_GUIDE = "docs/typesense.md"

_MESSAGES: dict[ClusterProblem, str] = {
    ClusterProblem.UNAUTHORIZED: (
        "De Typesense-servers weigeren de API-sleutel ({node} antwoordde: {message}). Controleer {key_env} of "
        "het bestand dat {key_file_env} noemt: de indexer heeft de beheersleutel nodig, de website de zoeksleutel "
        f"({_GUIDE})."
    ),
    ClusterProblem.UNREACHABLE: (
        "Geen van de Typesense-servers is bereikbaar ({nodes}). Start de servers ({guide}) of verbeter de "
        "adressen in {engine_env}."
    ),
    ClusterProblem.TIMEOUT: (
        "De Typesense-servers gaven geen antwoord ({nodes}): niet binnen {seconds} seconden, of de verbinding "
        "viel weg. Het cluster is overbelast, heeft geen leider of een server viel uit: bekijk het met "
        "`kennisbank status` en probeer het daarna opnieuw."
    ),
    ClusterProblem.NO_QUORUM: (
        "Het Typesense-cluster heeft geen leider: te weinig servers draaien, ze lopen achter, of ze kiezen "
        "net een nieuwe leider ({node} antwoordde: {message}). {refused} Een nieuwe leider is er meestal "
        "binnen enkele seconden; draaien er te weinig servers, start de gestopte dan weer: zodra een "
        "meerderheid draait, werkt het cluster vanzelf verder."
    ),
    ClusterProblem.MISSING_COLLECTION: (
        "De collectie ‘{name}’ bestaat niet op het Typesense-cluster. Bouw de index met `kennisbank index` "
        "(met {engine_env} naar dit cluster)."
    ),
    ClusterProblem.STALE_SCHEMA: (
        "De collectie ‘{name}’ is gebouwd met schema {found}; deze versie van de Kennisbank gebruikt schema "
        "{expected}. Bouw de index opnieuw met `kennisbank index --rebuild`; tot dan wordt de oude collectie "
        "niet gebruikt."
    ),
    ClusterProblem.CATCHING_UP: (
        "De Typesense-servers verwerken na een herstart nog {pending} schrijfopdrachten ({nodes}); tot dan "
        "zien ze niet alle documenten en kan er niet worden geïndexeerd. Wacht tot `kennisbank status` bij geen "
        "server meer ‘bijwerken bezig’ toont en probeer het dan opnieuw."
    ),
    ClusterProblem.REJECTED: (
        "De Typesense-server weigerde het verzoek ({node}, {status}: {message}). Controleer of de servers een "
        "ondersteunde versie van Typesense draaien ({guide}); blijft het misgaan, meld het dan aan de beheerder."
    ),
}

# The NO_QUORUM sentence says what did not happen: a write is refused, a read cannot be answered.
WRITE_REFUSED = (
    "Wijzigingen worden geweigerd; wat niet werd opgeslagen, neemt de volgende indexering op zodra het cluster "
    "weer werkt."
)
READ_REFUSED = "Zoeken en lezen kan nu niet."


class ClusterError(KennisbankError):
    """A problem with the cluster; `problem` tells them apart in code, `str()` is the sentence."""

    def __init__(self, problem: ClusterProblem, **facts: object) -> None:
        self.problem = problem
        self.facts = facts
        super().__init__(problem, facts)

    @property
    def status(self) -> object:
        """The HTTP status a node refused the request with (None when no node answered)."""
        return self.facts.get("status")

    def __str__(self) -> str:
        context = {
            "guide": _GUIDE,
            "engine_env": ENGINE_ENV,
            "key_env": API_KEY_ENV,
            "key_file_env": API_KEY_FILE_ENV,
        }
        return _MESSAGES[self.problem].format(**context, **self.facts)
