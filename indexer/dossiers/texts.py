"""Introductory dossiers per theme: the curated part from corpus/dossiers/<slug>.md.

A dossier file has YAML front matter (`thema`, `titel`, `begin_hier`: the ordered reading list of
document ids, each with one line on why to read it) and a Markdown introduction. Everything else a
dossier page shows is derived from the index, so new documents appear without editing the file.
A reading-list entry whose document does not exist is reported, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.errors import ExtractionError, Issue, KennisbankError, Problem
from indexer.extract.markdown import read_front_matter

# Reading time in minutes is the word count divided by this (a careful reader of policy texts).
WORDS_PER_MINUTE = 200


class DossierError(KennisbankError):
    """A dossier file that cannot be used; the message names the file and what to fix."""


@dataclass(frozen=True)
class ReadingItem:
    doc_id: str
    why: str


@dataclass(frozen=True)
class Dossier:
    slug: str
    title: str
    introduction: str  # Markdown
    reading_list: tuple[ReadingItem, ...]
    path: Path


@dataclass(frozen=True)
class BrokenReference:
    dossier: str
    doc_id: str

    @property
    def issue(self) -> Issue:
        return Issue(Problem.MISSING_DOCUMENT, facts=(("dossier", self.dossier), ("document", self.doc_id)))


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / WORDS_PER_MINUTE))


def load_dossier(path: Path) -> Dossier:
    try:
        front, body = read_front_matter(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError, ExtractionError) as exc:
        raise DossierError(f"Het dossierbestand {path} kon niet worden gelezen ({exc}). Herstel het.") from exc
    items = front.get("begin_hier") or []
    if not isinstance(items, list) or not all(isinstance(item, dict) and item.get("document") for item in items):
        raise DossierError(f"In {path} moet ‘begin_hier’ een lijst zijn van items met ‘document’ en ‘waarom’.")
    return Dossier(
        slug=str(front.get("thema") or path.stem),
        title=str(front.get("titel") or front.get("title") or path.stem),
        introduction=body.strip(),
        reading_list=tuple(ReadingItem(str(item["document"]), str(item.get("waarom", ""))) for item in items),
        path=path,
    )


def load_dossiers(directory: Path) -> dict[str, Dossier]:
    """Every dossier of a folder by theme slug; an empty dict when there is no folder."""
    dossiers = {}
    for path in sorted(Path(directory).glob("*.md")):
        dossier = load_dossier(path)
        dossiers[dossier.slug] = dossier
    return dossiers


def broken_references(dossiers: dict[str, Dossier], known_ids: set[str]) -> list[BrokenReference]:
    return [
        BrokenReference(dossier.slug, item.doc_id)
        for dossier in dossiers.values()
        for item in dossier.reading_list
        if item.doc_id not in known_ids
    ]
