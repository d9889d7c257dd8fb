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

from indexer.corpus.layout import CorpusLayout, content_hashes, list_files, slug_for

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


def exact_copies(corpus: Path) -> dict[str, str]:
    """Each document id whose file is a byte-identical copy of another -> the id of the first copy.

    Real archives hold copies (two of the real reports are). An engine that indexes a copy once is not
    worse for it, so judgments and rankings count the copies of one file as one document."""
    first: dict[tuple[str, str], str] = {}
    copies = {}
    for relative, path in list_files(CorpusLayout(corpus).documents_dir):
        doc_id = slug_for(relative)
        original = first.setdefault(content_hashes(path), doc_id)
        if original != doc_id:
            copies[doc_id] = original
    return copies


def as_one(grades: dict[str, int], copies: dict[str, str]) -> dict[str, int]:
    """Grades with every copy folded into its first copy (the higher grade wins)."""
    folded: dict[str, int] = {}
    for doc, grade in grades.items():
        doc = copies.get(doc, doc)
        folded[doc] = max(grade, folded.get(doc, 0))
    return folded
