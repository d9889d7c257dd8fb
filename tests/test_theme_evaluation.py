"""How sure a theme figure is: the interval `kennisbank evalueer-themas` prints beside each F1, and beside
the difference from an earlier run."""

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


def test_a_comparison_redraws_both_runs_alike_so_a_fixed_document_shows() -> None:
    """The wrong tag is removed: each run's own interval is wide and they overlap, but the paired
    difference is never negative, since every redraw scores both runs on the same documents."""
    right = [_judged(f"rapport-{number}.pdf", {"mensenhandel"}, {"mensenhandel"}) for number in range(6)]
    before = Evaluation([*right, _judged("nieuws.md", set(), {"mensenhandel"})])
    now = Evaluation([*right, _judged("nieuws.md", set(), set())])
    compared = now.compared_with(before.tags(), HELD_BACK, ["mensenhandel"])
    assert compared.changed == [("nieuws.md", frozenset({"mensenhandel"}), frozenset())]
    assert (round(compared.before["mensenhandel"], 3), compared.now["mensenhandel"]) == (0.923, 1.0)
    low, high = compared.difference_intervals["mensenhandel"]
    assert low == 0.0 and high > 0.0
    assert before.f1_intervals(HELD_BACK, ["mensenhandel"])["mensenhandel"][1] == 1.0, "alone, the intervals overlap"
    unchanged = now.compared_with(now.tags(), HELD_BACK, ["mensenhandel"])
    assert unchanged.changed == [] and unchanged.difference_intervals[MACRO] == (0.0, 0.0)
