"""Domain errors raised deep in the indexer and translated once, at the edge, into Dutch.

Each `Problem` names what went wrong; an `Issue` is a problem with its details, as data: it travels
through the worker processes, the run report and the files the indexer keeps. `describe` turns it
into a sentence that says what to do, only where a person reads it (the command line, the staff
pages). Keeping every user-facing sentence here means the wording is consistent and easy to review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any


class Problem(Enum):
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    NO_TEXT = "no_text"
    NO_TEXT_AFTER_OCR = "no_text_after_ocr"
    NO_CONTENT = "no_content"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    OUT_OF_MEMORY = "out_of_memory"
    CRASHED = "crashed"
    BAD_SIDECAR = "bad_sidecar"
    UNREADABLE = "unreadable"
    MISSING_TOOL = "missing_tool"
    # Not failures: remarks on a file that was indexed, or on a dossier's reading list.
    MISNAMED = "misnamed"
    READ_PAST_DAMAGE = "read_past_damage"
    MISSING_DOCUMENT = "missing_document"


# A scan: what the user sees when its pages hold no text layer.
_SCAN = "Het bestand bevat geen leesbare tekst; waarschijnlijk is het een scan of bestaat het alleen uit afbeeldingen."


_MESSAGES: dict[Problem, str] = {
    Problem.CORRUPT: (
        "Het bestand is beschadigd of onvolledig en kon niet worden gelezen{detail}. "
        "Open het in het programma waarmee het is gemaakt, sla het opnieuw op en voeg het opnieuw toe."
    ),
    Problem.ENCRYPTED: (
        "Het bestand is beveiligd met een wachtwoord. Sla een versie zonder wachtwoord op en voeg die toe."
    ),
    Problem.EMPTY: "Het bestand is leeg. Controleer of het volledig is gekopieerd en voeg het opnieuw toe.",
    Problem.NO_TEXT: (
        f"{_SCAN} Laat er tekstherkenning (OCR) op uitvoeren en voeg het daarna opnieuw toe. "
        "De Kennisbank kan dat zelf zodra tekstherkenning op deze computer is geïnstalleerd: installeer de "
        "Debian-pakketten tesseract-ocr en tesseract-ocr-nld (scripts/run.sh doet dat als root) en indexeer opnieuw."
    ),
    Problem.NO_TEXT_AFTER_OCR: (
        f"{_SCAN} Ook tekstherkenning (OCR) vond er geen tekst in. Controleer of de scan scherp en rechtop is, "
        "scan het zo nodig opnieuw (300 dpi) en voeg het daarna opnieuw toe."
    ),
    Problem.NO_CONTENT: (
        "Het bestand bevat (bijna) geen tekst om te doorzoeken. Controleer of het het goede bestand is "
        "en of de tekst er echt in staat, en voeg het dan opnieuw toe."
    ),
    Problem.UNSUPPORTED: ("Dit bestandstype{detail} wordt niet ondersteund. Voeg een {kinds} toe."),
    Problem.TOO_LARGE: (
        "Het bestand is te groot{detail}. Splits het in delen of verklein het (bijvoorbeeld door "
        "afbeeldingen te comprimeren) en voeg het opnieuw toe."
    ),
    Problem.TIMEOUT: (
        "Het lezen van het bestand duurde te lang{detail} en is afgebroken. Het bestand is mogelijk "
        "beschadigd: sla het opnieuw op als PDF en voeg het opnieuw toe."
    ),
    Problem.OUT_OF_MEMORY: (
        "Het lezen van het bestand vroeg te veel geheugen en is afgebroken. Het bestand is mogelijk "
        "beschadigd of kunstmatig opgeblazen: sla het opnieuw op en voeg het opnieuw toe."
    ),
    Problem.CRASHED: (
        "Het leesproces is onverwacht gestopt bij dit bestand{detail}. Sla het bestand opnieuw op en "
        "probeer het nog eens; blijft het misgaan, meld het dan aan de beheerder van de Kennisbank."
    ),
    Problem.BAD_SIDECAR: (
        "Het metadatabestand naast dit document bevat een fout{detail}. "
        "Herstel het metadatabestand (of verwijder het) en start het indexeren opnieuw."
    ),
    Problem.UNREADABLE: (
        "Het bestand kon niet worden geopend{detail}. Controleer of het bestaat en of de Kennisbank het mag lezen."
    ),
    Problem.MISSING_TOOL: (
        "Voor dit bestandstype ontbreekt op deze computer een hulpprogramma{detail}. Installeer het (scripts/run.sh "
        "doet dat als root) en indexeer opnieuw, of sla het bestand op als .docx of PDF en voeg het opnieuw toe."
    ),
    Problem.MISNAMED: (
        "Dit bestand heet {suffix}, maar is een {label}; het is als {label} gelezen. "
        "Geef het de extensie {proper}, dan opent het ook bij lezers goed."
    ),
    Problem.READ_PAST_DAMAGE: (
        "Dit PDF-bestand is beschadigd{detail}; de tekst is gelezen met een tweede PDF-lezer (pdfium) en kan "
        "onvolledig zijn. Open het in het programma waarmee het is gemaakt, sla het opnieuw op als PDF en "
        "vervang het bestand."
    ),
    Problem.MISSING_DOCUMENT: (
        "Het introductiedossier ‘{dossier}’ noemt document ‘{document}’ in de leeslijst, maar dat "
        "document bestaat niet (meer). Pas de leeslijst aan of voeg het document toe."
    ),
}


@dataclass(frozen=True)
class Issue:
    """A problem with the details its sentence needs: `detail` is shown in parentheses, `facts` fill
    the sentence's other blanks. Plain data, so it crosses processes and is kept as JSON."""

    problem: Problem
    detail: str = ""
    facts: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"problem": self.problem.value, "detail": self.detail, "facts": dict(self.facts)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Issue:
        return cls(Problem(data["problem"]), data.get("detail", ""), tuple((data.get("facts") or {}).items()))


class KennisbankError(Exception):
    """Base of the errors a user can act on; `str()` gives the Dutch sentence."""


class ExtractionError(KennisbankError):
    """A file could not be turned into text; carries the path and the problem."""

    def __init__(self, path: Path | str, problem: Problem, detail: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.detail = detail
        super().__init__(path, problem, detail)

    @property
    def issue(self) -> Issue:
        return Issue(self.problem, self.detail)

    def __str__(self) -> str:
        return describe(self.issue)


def describe(issue: Issue) -> str:
    """The Dutch sentence for an issue: what went wrong and what to do about it."""
    # Imported here: the format table imports this module, and the list of kinds is the table's.
    from indexer.extract import supported_kinds

    detail = f" ({issue.detail})" if issue.detail else ""
    return _MESSAGES[issue.problem].format(detail=detail, kinds=supported_kinds(), **dict(issue.facts))
