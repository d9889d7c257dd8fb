"""Search requests drawn from the real news posts' own text, deterministic by seed (`bench.scale`).

The generated corpus's queries (`bench.queries`) come from its vocabulary and theme terms; real
posts have names, places and word frequencies of their own, so the requests here are taken from
posts: one to three words of a title or body, two adjacent body words as a "quoted phrase", a typo
of a long word, and a share restricted to the post's year (the facet every post has a value for),
including a few that only browse a year.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

from bench.queries import QuerySpec, typo
from indexer.analysis.wordforms import STOP_WORDS
from indexer.extract.markdown import extract_markdown

DEFAULT_COUNT = 600
FACET_SHARE = 0.2
MIN_WORD_CHARS = 4
TYPO_MIN_CHARS = 6
_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD_CHARS},}}")
_YEAR_PREFIX = re.compile(r"^((?:19|20)\d\d)-")


def _words(text: str) -> list[str]:
    """Content words as someone would type them: lowercase, no stop words, no numbers."""
    return [word for word in (match.lower() for match in _WORD.findall(text)) if word not in STOP_WORDS]


def _adjacent_pair(rng: random.Random, text: str) -> str | None:
    """Two content words that stand next to each other in the text, or None."""
    tokens = [token.lower() for token in re.findall(r"[^\W_]+", text)]
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(tokens)
        if len(a) >= MIN_WORD_CHARS and len(b) >= MIN_WORD_CHARS and not {a, b} & STOP_WORDS and (a + b).isalpha()
    ]
    return f'"{" ".join(rng.choice(pairs))}"' if pairs else None


class _Post:
    """The words of one post, read once through our own Markdown extractor."""

    def __init__(self, path: Path) -> None:
        extraction = extract_markdown(path)
        self.title = _words(str(extraction.properties.get("titel", "")))
        self.body_text = extraction.text
        self.body = _words(self.body_text)
        found = _YEAR_PREFIX.match(path.name)
        self.year = found.group(1) if found else ""


def _text(rng: random.Random, category: str, post: _Post) -> str | None:
    words = post.title + post.body
    if category == "title word":
        return rng.choice(post.title) if post.title else None
    if category == "body word":
        return rng.choice(post.body) if post.body else None
    if category in ("two words", "three words"):
        count = 2 if category == "two words" else 3
        distinct = list(dict.fromkeys(words))
        return " ".join(rng.sample(distinct, count)) if len(distinct) >= count else None
    if category == "phrase":
        return _adjacent_pair(rng, post.body_text)
    if category == "typo":
        long_words = [word for word in words if len(word) >= TYPO_MIN_CHARS]
        return typo(rng, rng.choice(long_words)) if long_words else None
    return ""  # browse: only a year


CATEGORIES = {
    "title word": 0.22,
    "body word": 0.18,
    "two words": 0.18,
    "three words": 0.10,
    "phrase": 0.14,
    "typo": 0.10,
    "browse": 0.03,
}


def generate_news_queries(posts: list[Path], count: int = DEFAULT_COUNT, seed: int = 7) -> list[QuerySpec]:
    """`count` distinct requests taken from randomly chosen `posts` (the same list for every size)."""
    rng = random.Random(seed)
    names, weights = list(CATEGORIES), list(CATEGORIES.values())
    read: dict[Path, _Post] = {}
    found: dict[tuple, QuerySpec] = {}
    while len(found) < count:
        path = rng.choice(posts)
        post = read.setdefault(path, _Post(path))
        category = rng.choices(names, weights=weights)[0]
        text = _text(rng, category, post)
        if text is None or not post.year:
            continue
        selections: dict[str, tuple[str, ...]] = {}
        if category == "browse" or rng.random() < FACET_SHARE:
            selections = {"year": (post.year,)}
            category = category if category == "browse" else f"{category} + year"
        spec = QuerySpec(text, selections, category)
        found.setdefault(spec.key, spec)
    return list(found.values())


def save(specs: list[QuerySpec], path: Path) -> None:
    rows = [{"text": s.text, "selections": s.selections, "category": s.category} for s in specs]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")


def load(path: Path) -> list[QuerySpec]:
    """The requests `save` wrote: the search jobs of both sizes read the very same list."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [QuerySpec(r["text"], {k: tuple(v) for k, v in r["selections"].items()}, r["category"]) for r in rows]
