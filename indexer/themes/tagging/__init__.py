"""Explainable auto-tagging: which themes is a document about, and why.

`tag` scores every theme by the taxonomy terms found in the title, the beginning and the body of a
document, keeps the evidence (term, where, how often) for each, and abstains rather than guess.
The parts: `rules` (weights and thresholds, as data), `terms` (the taxonomy arranged for
matching), `counting` (terms in a text), `scoring` (evidence per theme), `decision` (which themes).
"""

from indexer.themes.tagging.decision import tag
from indexer.themes.tagging.rules import tagging_version
from indexer.themes.tagging.scoring import score

__all__ = ["score", "tag", "tagging_version"]
