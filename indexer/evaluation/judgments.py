"""Judged queries: what a person typed, what kind of query it is, and graded relevance per document.

Two sets exist. The bundled set (`corpus/evaluatie/zoekvragen.yaml`) judges documents by their id.
The real set (`corpus/evaluatie/echte-zoekvragen.yaml`) judges documents of the shared real corpus by
their path relative to that corpus, so the judgments survive a change in how ids are made. One third of
each set, chosen by a hash of the query text, is held back from tuning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from indexer.corpus import slug_for

TUNING = "afstemming"
HELD_BACK = "achtergehouden"
HELD_BACK_MODULUS = 3
GRADES = (0, 1, 2, 3)  # 3 = exactly what the user wants, 2 = clearly relevant, 1 = somewhat, 0 = not


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    kind: str
    grades: dict[str, int]  # document id -> grade; unjudged documents count as 0

    @property
    def has_relevant(self) -> bool:
        return any(grade > 0 for grade in self.grades.values())

    @property
    def split(self) -> str:
        digest = int(hashlib.sha256(self.text.encode()).hexdigest(), 16)
        return HELD_BACK if digest % HELD_BACK_MODULUS == 0 else TUNING


def load_judgments(path: Path, keyed_by_path: bool = False) -> list[JudgedQuery]:
    """The judged queries of one file; documents keyed by path are turned into ids as the indexer makes them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for item in data:
        grades = {str(doc): int(grade) for doc, grade in (item.get("oordelen") or {}).items()}
        if keyed_by_path:
            grades = {slug_for(doc): grade for doc, grade in grades.items()}
        queries.append(JudgedQuery(str(item["vraag"]), str(item["soort"]), grades))
    return queries
