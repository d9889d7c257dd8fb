"""How sure a theme figure is: the interval `kennisbank evalueer-themas` prints beside each F1."""

from __future__ import annotations

from indexer.models import ThemeMatch
from indexer.themes.evaluation import HELD_BACK, MACRO, Evaluation, Judged


def _judged(path: str, expected: set[str], predicted: set[str]) -> Judged:
    matches = tuple(ThemeMatch(slug, 20.0, ()) for slug in sorted(predicted))
    return Judged(path, HELD_BACK, frozenset(expected), matches, matches)


def test_a_theme_every_document_agrees_on_is_settled() -> None:
    documents = [_judged("rapport.pdf", {"mensenhandel"}, {"mensenhandel"}), _judged("wet.md", set(), set())]
    intervals = Evaluation(documents).f1_intervals(HELD_BACK, ["mensenhandel"])
    assert intervals == {"mensenhandel": (1.0, 1.0), MACRO: (1.0, 1.0)}


def test_one_wrong_document_among_few_leaves_the_figure_open_and_the_same_on_every_run() -> None:
    documents = [
        _judged("rapport.pdf", {"mensenhandel"}, {"mensenhandel"}),
        _judged("wet.md", set(), set()),
        _judged("nieuws.md", set(), {"mensenhandel"}),
    ]
    intervals = Evaluation(documents).f1_intervals(HELD_BACK, ["mensenhandel"])
    assert intervals["mensenhandel"] == (0.0, 1.0)
    assert intervals == Evaluation(documents).f1_intervals(HELD_BACK, ["mensenhandel"])
