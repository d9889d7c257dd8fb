"""Near misses of the theme tagger on the tuning part: could a calibrated decision find them? (issue 18)

    python -m scripts.theme_near_misses [--echt-corpus MAP]

Every theme a tuning document has evidence for but is not given is a candidate. Each candidate is
ranked by one reading of its evidence: the score, the score over the bar's length scale, the
evidence in the title and opening only, and that evidence per 100 words of the opening. A calibrated
decision can only win if the documents that are about the theme rank above those that are not:
printed per reading are the candidates a threshold would add before each one that is about the
theme, and what each threshold would do to the tuning figures. Only the tuning part is read; the
held-back part is never loaded.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus.layout import BUNDLED_CORPUS, REAL_CORPUS, THEMES_DIR
from indexer.models import ThemeMatch
from indexer.themes.evaluation import TUNING, Labelled, labelled_documents, real_labels
from indexer.themes.tagging import score, tag
from indexer.themes.tagging.decision import length_scale
from indexer.themes.tagging.rules import RULES
from indexer.themes.taxonomy import Taxonomy, load_taxonomy


@dataclass(frozen=True)
class Candidate:
    document: Labelled
    match: ThemeMatch

    @property
    def about(self) -> bool:
        return self.match.slug in self.document.expected


def candidates(documents: list[Labelled], taxonomy: Taxonomy) -> list[Candidate]:
    """Every theme a document has evidence for but is not given."""
    found = []
    for document in documents:
        arguments = (document.title, document.summary, document.text, taxonomy)
        evidence = score(*arguments)
        given = {match.slug for match in tag(*arguments, evidence)[0]}
        found += [Candidate(document, m) for m in evidence if m.parent is None and m.slug not in given]
    return found


def _opening(candidate: Candidate, taxonomy: Taxonomy) -> float:
    """The score of the evidence in the title and the opening (`Rules.begin_words`) only."""
    document = candidate.document
    opening = " ".join(document.text.split()[: RULES.begin_words])
    found = score(document.title, document.summary, opening, taxonomy)
    return next((m.score for m in found if m.slug == candidate.match.slug), 0.0)


def _opening_density(candidate: Candidate, taxonomy: Taxonomy) -> float:
    opening_words = min(RULES.begin_words, len(candidate.document.text.split()))
    return 100 * _opening(candidate, taxonomy) / max(1, opening_words)


def _over_length_scale(candidate: Candidate, _: Taxonomy) -> float:
    return candidate.match.score / length_scale(len(candidate.document.text.split()))


READINGS: dict[str, Callable[[Candidate, Taxonomy], float]] = {
    "score": lambda candidate, _: candidate.match.score,
    "score / lengteschaal": _over_length_scale,
    "titel en begin": _opening,
    "titel en begin per 100 woorden": _opening_density,
}


def report(documents: list[Labelled], taxonomy: Taxonomy) -> str:
    """Per reading of the evidence: where the candidates about their theme rank, and at what cost."""
    found = candidates(documents, taxonomy)
    about = sum(candidate.about for candidate in found)
    lines = [f"{len(found)} thema's met bewijs maar niet gegeven, waarvan {about} terecht (afstemming)"]
    for name, reading in READINGS.items():
        values = {id(candidate): reading(candidate, taxonomy) for candidate in found}
        ranked = sorted(found, key=lambda candidate: values[id(candidate)], reverse=True)
        ranks = [rank for rank, candidate in enumerate(ranked, 1) if candidate.about]
        lines.append(f"\n{name}: rang van de terechte kandidaten {ranks}")
        for right, rank in enumerate(ranks, 1):
            candidate = ranked[rank - 1]
            lines.append(
                f"  drempel {values[id(candidate)]:.2f}: +{right} goed, +{rank - right} fout"
                f" ({candidate.document.path}, {candidate.match.slug})"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echt-corpus", type=Path, default=REAL_CORPUS)
    arguments = parser.parse_args()
    tuning = labelled_documents(arguments.echt_corpus, real_labels(), TUNING)
    print(report(tuning, load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)))


if __name__ == "__main__":
    main()
