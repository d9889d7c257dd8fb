"""The Dutch vocabulary the synthetic corpus is drawn from: the bundled texts, ranked Zipf-style.

Word frequencies come from the bundled documents and PDF sources; each word's weight is
1 / (rank + 2.7) (Zipf–Mandelbrot), so "de", "van" and "het" dominate as in real Dutch while the
long tail stays rare. Per theme we keep the words of the bundled documents about that theme and
the taxonomy's own terms and acronyms, so that topical documents use topical words and queries
made from theme terms find them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from indexer.analysis.wordforms import STOP_WORDS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
THEMES_DIR = CORPUS / "themes"
TEXT_SUFFIXES = (".md", ".txt", ".html")
ZIPF_OFFSET = 2.7
ZIPF_EXPONENT = 1.0
# Words of the general vocabulary used to build compounds and single-word queries.
MIN_CONTENT_WORD_CHARS = 5

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['-][A-Za-zÀ-ÿ]+)*")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_TAG = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.S | re.I)


@dataclass(frozen=True)
class ThemeWords:
    slug: str
    terms: tuple[str, ...]  # kerntermen and termen of the theme and its sub-themes (may be phrases)
    acronyms: tuple[tuple[str, str], ...]  # (afkorting, voluit)
    subthemes: dict[str, tuple[str, ...]]  # sub-theme slug -> its terms
    words: tuple[str, ...]  # words of bundled documents about this theme, most frequent first
    cum_weights: tuple[float, ...]


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]  # surface forms, most frequent first
    cum_weights: tuple[float, ...]  # cumulative Zipf weights for random.choices
    content_words: tuple[str, ...]  # longer non-stop words, most frequent first
    themes: dict[str, ThemeWords]


def _zipf_cumulative(count: int) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(1, count + 1)))


def _text_and_themes(path: Path) -> tuple[str, tuple[str, ...]]:
    """The readable text of a bundled file and its curated themes (front matter or sidecar)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    themes: object = ()
    match = _FRONT_MATTER.match(raw)
    if match:
        front = yaml.safe_load(match.group(1)) or {}
        themes = front.get("themas", ()) if isinstance(front, dict) else ()
        raw = raw[match.end() :]
    sidecar = path.with_name(path.name + ".meta.yaml")
    if sidecar.exists():
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        themes = data.get("themas", themes)
    if path.suffix == ".html":
        raw = _TAG.sub(" ", raw)
    return raw, tuple(themes or ())


def _surface_forms(texts: list[str]) -> Counter[str]:
    """Word counts by lowercase form; a word written in capitals nearly always (PGA, RIEC) keeps them."""
    counts: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for word in _WORD.findall(text):
            lower = word.lower()
            counts[lower] += 1
            if word.isupper() and len(word) > 1:
                upper[lower] += 1
    return Counter({(w.upper() if upper[w] > counts[w] * 0.8 else w): c for w, c in counts.items()})


def _theme_words(path: Path) -> tuple[str, ThemeWords]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = [*data.get("kerntermen", []), *data.get("termen", [])]
    subthemes = {}
    for sub in data.get("subthemas", []) or []:
        sub_terms = tuple(str(t) for t in [*sub.get("kerntermen", []), *sub.get("termen", [])])
        subthemes[sub["slug"]] = sub_terms
        terms += sub_terms
    acronyms = tuple((str(a["afkorting"]), str(a["voluit"])) for a in data.get("afkortingen", []) or [])
    return data["slug"], ThemeWords(data["slug"], tuple(dict.fromkeys(map(str, terms))), acronyms, subthemes, (), ())


def load_vocabulary(corpus: Path = CORPUS) -> Vocabulary:
    """Vocabulary and per-theme words from the bundled corpus; deterministic for a given corpus."""
    files = sorted(
        path
        for folder in (corpus / "documenten", corpus / "bronnen")
        for path in folder.rglob("*")
        if path.suffix in TEXT_SUFFIXES and not path.name.endswith(".meta.yaml")
    )
    texts_by_theme: dict[str, list[str]] = {}
    all_texts = []
    for path in files:
        text, themes = _text_and_themes(path)
        all_texts.append(text)
        for slug in themes:
            texts_by_theme.setdefault(str(slug), []).append(text)
    counts = _surface_forms(all_texts)
    ranked = tuple(word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    content = tuple(w for w in ranked if len(w) >= MIN_CONTENT_WORD_CHARS and w.lower() not in STOP_WORDS)
    themes = {}
    for path in sorted((corpus / "themes").glob("*.yaml")):
        slug, theme = _theme_words(path)
        theme_counts = _surface_forms(texts_by_theme.get(slug, []))
        topical = tuple(
            word
            for word, _ in sorted(theme_counts.items(), key=lambda item: (-item[1], item[0]))
            if word.lower() not in STOP_WORDS and len(word) > 3
        )
        themes[slug] = ThemeWords(
            slug, theme.terms, theme.acronyms, theme.subthemes, topical, _zipf_cumulative(len(topical))
        )
    return Vocabulary(ranked, _zipf_cumulative(len(ranked)), content, themes)
