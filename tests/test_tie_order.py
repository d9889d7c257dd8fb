"""Documents with equal scores come in the same order in every build: newest first, then by id.

Two clean builds of the same corpus number their records differently (worker processes finish in
any order; an incremental run appends), and equal scores used to be ordered by that number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine.query_context import QueryContext
from indexer.engine.results import SORT_DATE, SORT_RELEVANCE
from indexer.themes.taxonomy import load_taxonomy

CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))
# Equal texts but for one word of equal length; dates more than ten years back, so the recency
# bonus is nothing and every score is equal.
DATES = {"alfa": "2012-01-01", "bravo": "2014-03-01", "echo": "2014-03-01", "charlie": None, "delta": None}
EXPECTED = ["notitie-bravo", "notitie-echo", "notitie-alfa", "notitie-charlie", "notitie-delta"]


def _write(docs: Path, name: str) -> None:
    (docs / f"notitie-{name}.txt").write_text(
        f"Notitie {name}\n\nOver buurtbemiddeling in de wijk {name}.", encoding="utf-8"
    )
    sidecar = f"titel: Notitie {name}\n" + (f"datum: {DATES[name]}\n" if DATES[name] else "")
    (docs / f"notitie-{name}.txt.meta.yaml").write_text(sidecar, encoding="utf-8")


def _orders(index_root: Path) -> dict[tuple[str, str], list[str]]:
    index = IndexStore(index_root).open()
    return {
        (text, sort): [hit.id for hit in search(index, text, CONTEXT, sort=sort).hits]
        for text in ("buurtbemiddeling", "")
        for sort in (SORT_RELEVANCE, SORT_DATE)
    }


@pytest.mark.parametrize("first_run", [["delta", "echo"], ["charlie", "bravo", "alfa"]])
def test_equal_scores_are_ordered_by_date_then_id_in_any_build(docs: Path, reindex, index_root, first_run) -> None:
    for name in first_run:  # these get the lowest record numbers
        _write(docs, name)
    reindex()
    for name in DATES.keys() - set(first_run):
        _write(docs, name)
    reindex()
    index = IndexStore(index_root).open()
    scores = {hit.score for hit in search(index, "buurtbemiddeling", CONTEXT).hits}
    assert len(scores) == 1, "the documents should tie"
    for (text, sort), ids in _orders(index_root).items():
        assert ids == EXPECTED, f"{text!r} sorted by {sort}: newest first, undated last, then by id"
