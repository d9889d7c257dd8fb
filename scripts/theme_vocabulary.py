"""Candidate theme terms mined from a real Dutch news corpus, ranked for review by hand (issue 18).

    python -m scripts.theme_vocabulary /tmp/scale/nieuwsarchief --out /tmp/kandidaten.txt

Hand-made lists miss how Dutch news actually names a theme. Here the current tagger marks the posts
it tags as each theme (mostly through a strong term in a short lead); every word stem and every pair
of adjacent non-stop-word stems is then scored by Dunning's log-likelihood (G²) for occurring more
in that theme's posts than in the rest. What is not a taxonomy term yet, is specific enough (a share
of its posts in the theme) and frequent enough, is printed per theme, strongest first, with an
example form and counts. The list is a candidate list only: a person reads each one and puts it in
corpus/themes/*.yaml only when it is specific to the theme in Dutch policy and news usage.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from indexer.analysis.wordforms import STOP_WORDS, stem, words
from indexer.corpus.layout import BUNDLED_CORPUS
from indexer.themes.tagging import tag
from indexer.themes.tagging.counting import count_terms
from indexer.themes.tagging.terms import Compiled, compile_taxonomy
from indexer.themes.taxonomy import Taxonomy, load_taxonomy

# A candidate must occur in this many theme posts, in this many different months (a name or place
# from one story is not the theme's vocabulary), and this share of its posts must be the theme's.
MIN_THEME_POSTS = 4
MIN_MONTHS = 3
MIN_SHARE = 0.25
MIN_WORD_CHARS = 4
TOP = 150


def _field(raw: str, name: str) -> str:
    prefix = f"{name}: "
    return next((line[len(prefix) :].strip().strip('"') for line in raw.splitlines() if line.startswith(prefix)), "")


class Post(NamedTuple):
    """One news post of the archive, as the theme scripts read it: front matter's title and date, and its lead."""

    name: str  # file name in the archive
    title: str
    lead: str
    month: str  # "Apr 2019"


def read_posts(folder: Path, skip: frozenset[str] = frozenset()) -> Iterator[Post]:
    """Every Jekyll post, once per distinct text: the archive repeats items;
    `skip`: file names left out (posts that are also labelled documents)."""
    seen: set[int] = set()
    for path in sorted(folder.rglob("*.md")):
        if path.name in skip:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        _, _, rest = raw.partition("\n---\n")
        title = _field(raw, "title")
        key = hash((title, rest.strip()))
        if key not in seen:
            seen.add(key)
            yield Post(path.name, title, rest.strip(), " ".join(_field(raw, "date").split()[2:4]))


def features(text: str) -> tuple[set[str], dict[str, str]]:
    """Stems and adjacent stem pairs (no stop words, no numbers) of a text, with a form as written."""
    tokens = [token for token in words(text) if token not in STOP_WORDS and not token.isdigit()]
    shown: dict[str, str] = {}
    for token in tokens:
        if len(token) >= MIN_WORD_CHARS:
            shown.setdefault(stem(token), token)
    for first, second in pairwise(tokens):
        if len(first) >= MIN_WORD_CHARS - 1 and len(second) >= MIN_WORD_CHARS - 1:
            shown.setdefault(f"{stem(first)} {stem(second)}", f"{first} {second}")
    return set(shown), shown


def g_squared(a: int, b: int, c: int, d: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 table: feature in theme (a), elsewhere (b), theme
    posts without it (c), other posts without it (d)."""
    total = a + b + c + d
    cells = ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d))
    return 2 * sum(obs * math.log(obs * total / (row * col)) for obs, row, col in cells if obs)


def matched(form: str, slug: str, compiled: Compiled) -> bool:
    """Whether the tagger finds a term of the theme in the candidate already (compounds too)."""
    return any(owner == slug for _, owner, _ in count_terms(form, compiled))


def mine(folder: Path, taxonomy: Taxonomy) -> dict[str, list[tuple[float, str, int, int]]]:
    """Per theme: (G², example form, theme posts with it, other posts with it), strongest first."""
    in_theme: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    theme_posts: Counter[str] = Counter()
    months: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    forms: dict[str, str] = {}
    total = 0
    for post in read_posts(folder):
        total += 1
        found, shown = features(f"{post.title}\n{post.lead}")
        for key, form in shown.items():
            forms.setdefault(key, form)
        overall.update(found)
        themes, _ = tag(post.title, "", post.lead, taxonomy)
        for match in themes:
            theme_posts[match.slug] += 1
            in_theme[match.slug].update(found)
            for key in found:
                months[match.slug][key].add(post.month)
    compiled = compile_taxonomy(taxonomy)
    ranked: dict[str, list[tuple[float, str, int, int]]] = {}
    for theme in taxonomy.themes:
        posts, rows = theme_posts[theme.slug], []
        for key, a in in_theme[theme.slug].items():
            b = overall[key] - a
            spread = len(months[theme.slug][key])
            if a < MIN_THEME_POSTS or spread < MIN_MONTHS or a / (a + b) < MIN_SHARE:
                continue
            if matched(forms[key], theme.slug, compiled):
                continue
            rows.append((g_squared(a, b, posts - a, total - posts - b), forms[key], a, b))
        ranked[theme.slug] = sorted(rows, reverse=True)[:TOP]
        print(f"{theme.slug}: {posts} of {total} posts tagged", flush=True)
    return ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path, help="folder of unpacked news posts (Markdown with front matter)")
    parser.add_argument("--themes", type=Path, default=BUNDLED_CORPUS / "themes")
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    ranked = mine(arguments.posts, load_taxonomy(arguments.themes))
    lines = []
    for slug, rows in ranked.items():
        lines.append(f"\n== {slug} ==\n{'G2':>8} {'thema':>6} {'elders':>6}  kandidaat")
        lines += [f"{g2:>8.1f} {a:>6} {b:>6}  {form}" for g2, form, a, b in rows]
    arguments.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Candidates written to {arguments.out}")


if __name__ == "__main__":
    main()
