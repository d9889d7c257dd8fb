"""Realistic distinct search requests for the latency and load benchmarks, deterministic by seed.

What professionals type: one to three words (mostly common topical words), taxonomy terms and
acronyms, "quoted phrases", Dutch compounds, the odd typo and question, and a share with facet
selections (theme, kind, year: the facets both our search and the baseline have), including a few
with no words at all (browsing a theme).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.vocabulary import Vocabulary, load_vocabulary
from indexer.engine.facet_specs import FACET_BY_FIELD

DEFAULT_COUNT = 600
QUESTION_STARTS = ("hoeveel", "welke", "wat is", "hoe werkt")
KIND_CHOICES = ("factsheet", "rapport", "handreiking", "monitor", "nieuwsbericht", "handboek")
# URL arguments of the website for the index fields both engines facet on.
URL_ARGS = {field: FACET_BY_FIELD[field].arg for field in ("themes", "kind", "year")}


@dataclass(frozen=True)
class QuerySpec:
    text: str
    selections: dict[str, tuple[str, ...]] = field(default_factory=dict)  # index field -> values
    category: str = ""

    @property
    def key(self) -> tuple:
        return self.text, tuple(sorted(self.selections.items()))

    def url_args(self) -> list[tuple[str, str]]:
        args = [("q", self.text)] if self.text else []
        return args + [(URL_ARGS[f], value) for f, values in sorted(self.selections.items()) for value in values]


def typo(rng: random.Random, word: str) -> str:
    """One slip of the fingers inside `word` (never its first or last letter): swapped, dropped or doubled."""
    position = rng.randrange(1, len(word) - 1)
    operation = rng.choice(("swap", "drop", "double"))
    if operation == "swap":
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if operation == "drop":
        return word[:position] + word[position + 1 :]
    return word[:position] + word[position] + word[position:]


def _common(rng: random.Random, vocab: Vocabulary, top: int = 3000) -> str:
    """A content word, more often a frequent one (Zipf over the first `top`)."""
    weights = vocab.cum_weights[:top]
    return rng.choices(vocab.content_words[:top], cum_weights=weights)[0].lower()


def _distinct(rng: random.Random, vocab: Vocabulary, count: int) -> list[str]:
    chosen: dict[str, None] = {}
    while len(chosen) < count:
        chosen.setdefault(_common(rng, vocab, 1500))
    return list(chosen)


def generate_queries(count: int = DEFAULT_COUNT, seed: int = 7, vocab: Vocabulary | None = None) -> list[QuerySpec]:
    """`count` distinct requests; the mix is fixed, the words vary with the seed."""
    vocab = vocab or load_vocabulary()
    rng = random.Random(seed)
    themes = sorted(vocab.themes.values(), key=lambda theme: theme.slug)
    terms = [term for theme in themes for term in theme.terms]
    phrases = [term for term in terms if " " in term]
    acronyms = [pair for theme in themes for pair in theme.acronyms]
    makers = {
        "one word": (0.22, lambda: _common(rng, vocab)),
        "theme term": (0.16, lambda: rng.choice(terms)),
        "two words": (0.14, lambda: f"{rng.choice(terms)} {_common(rng, vocab, 1500)}"),
        "three words": (0.08, lambda: " ".join(_distinct(rng, vocab, 3))),
        "topical pair": (0.08, lambda: " ".join(rng.sample(rng.choice(themes).words[:400], 2)).lower()),
        "acronym": (0.10, lambda: rng.choice(acronyms)[0] if rng.random() < 0.6 else _acronym_and_word(rng, acronyms)),
        "phrase": (0.08, lambda: f'"{rng.choice(phrases) if rng.random() < 0.7 else rng.choice(acronyms)[1]}"'),
        "compound": (0.04, lambda: _common(rng, vocab, 800) + _common(rng, vocab, 800)),
        "typo": (0.04, lambda: typo(rng, _common(rng, vocab, 2000))),
        "question": (0.03, lambda: f"{rng.choice(QUESTION_STARTS)} {rng.choice(terms)} {rng.randint(2019, 2025)}"),
        "browse": (0.03, lambda: ""),
    }
    names = list(makers)
    weights = [makers[name][0] for name in names]
    found: dict[tuple, QuerySpec] = {}
    while len(found) < count:
        category = rng.choices(names, weights=weights)[0]
        text = makers[category][1]()
        selections: dict[str, tuple[str, ...]] = {}
        if category == "browse" or rng.random() < 0.2:
            selections = _selections(rng, themes)
            category = category if category == "browse" else f"{category} + facets"
        spec = QuerySpec(text, selections, category)
        found.setdefault(spec.key, spec)
    return list(found.values())


def _acronym_and_word(rng: random.Random, acronyms: list[tuple[str, str]]) -> str:
    short, expansion = rng.choice(acronyms)
    return f"{short} {rng.choice(expansion.split()).lower()}"


def _selections(rng: random.Random, themes: list) -> dict[str, tuple[str, ...]]:
    selections: dict[str, tuple[str, ...]] = {}
    while not selections:
        if rng.random() < 0.7:
            selections["themes"] = tuple(sorted({rng.choice(themes).slug for _ in range(rng.choice((1, 1, 2)))}))
        if rng.random() < 0.3:
            selections["kind"] = (rng.choice(KIND_CHOICES),)
        if rng.random() < 0.3:
            selections["year"] = (str(rng.randint(2016, 2025)),)
    return selections


if __name__ == "__main__":
    for spec in generate_queries()[:40]:
        print(f"{spec.category:24} {spec.text!r:50} {spec.selections}")
