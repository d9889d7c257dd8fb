"""The tagger's weights and thresholds, declared once as data.

They are tuned on the tuning part of the labelled corpora (`kennisbank evalueer-themas`). Their
value is part of `tagging_version`: change one and the next `kennisbank index` tags every indexed
document again, from its stored text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from indexer.themes.taxonomy import Taxonomy

# Raise when a change to the tagger's code (not to `RULES`) changes which themes a document gets.
TAGGER_VERSION = 14


@dataclass(frozen=True)
class Rules:
    """Every weight and threshold of the tagger, in one place, so their value can version the tags."""

    core_weight: float = 3.0  # a strong term (kernterm, an acronym that signals)
    term_weight: float = 1.0  # a context word (term)
    location_weights: tuple[tuple[str, float], ...] = (("titel", 4.0), ("begin", 2.0), ("tekst", 1.0))
    # The beginning of a document: its summary plus this many words of its text.
    begin_words: int = 350
    # Compound matching ("mensenhandel" in "mensenhandelzaken") needs a term of at least this many
    # letters and leaves a rest of at least this many: short words hide inside too many others.
    min_compound_term_chars: int = 5
    min_compound_rest_chars: int = 3
    # A paired term (`samenhang` in a theme file) counts when one of its words stands this many
    # words before or after it, about a sentence; in a short text, also when the title holds one.
    near_words: int = 12
    # A theme about the Netherlands (`buitenland` in its file) is checked for a Dutch side in texts
    # up to this long; a longer text is a report, which has one.
    abroad_max_words: int = 3000
    # Spread: in a long text, body evidence weighs by the share of its tenths that hold any of the
    # theme's terms (a report about the theme versus a law with one article that mentions it).
    spread_parts: int = 10
    spread_min_words: int = 3000
    # A theme needs this score and this many distinct terms.
    min_theme_score: float = 14.0
    min_distinct_terms: int = 3
    # ... or one strong term said this often, in a text no longer than `spread_min_words`: a short
    # regulation names its subject in every article, by one name ("mensenhandel" in each task of the
    # rapporteur a decree sets up). 4 also tagged a football report (news archive, issue 18 round 16).
    repeated_term_count: int = 5
    # A text longer than `spread_min_words` needs a higher score: this share more per tenfold length
    # (a 30,000-word report 1.5 times the score). Swept 0.25-2 on the tuning part: flat from 0.5.
    min_score_per_decade: float = 0.5
    # A second theme must weigh this share of the main theme's score; a theme named in the title
    # (a document about "online radicalisering van minderjarigen") needs only the smaller share.
    relative_to_best: float = 0.4
    titled_relative_to_best: float = 0.12
    # A short text (a news item) about one thing names it in its lead and repeats it: a strong term
    # used so is enough there, at a lower score.
    short_text_words: int = 300
    short_text_lead_words: int = 30
    # A news brief this short is all lead: one strong term in it is enough (a kernterm in the
    # beginning scores 6).
    brief_words: int = 80
    brief_min_score: float = 6.0
    short_text_min_score: float = 10.0
    # A regulation that only arranges money or positions is about no theme, even when what it
    # funds is ("Aanwijzing ... inzake prestatiebekostiging in de forensische zorg"): its title
    # begins as a regulation does and names one of these, also inside a compound word.
    # fmt: off
    regulation_title_starts: tuple[str, ...] = (
        "aanwijzing", "besluit", "regeling", "wet", "beleidsregel", "circulaire", "verordening",
    )
    # Not "formatie" (in "informatie") nor "declaratie" (in "declaratiefraude").
    administrative_title_words: tuple[str, ...] = (
        "bekostiging", "tarief", "tarieven", "subsidie", "budget", "financiering", "begroting",
        "rechtspositie", "bezoldiging", "pensioen", "uitkering", "inkoopkorting", "opbrengstverrekening",
        "marktordening", "zorgverzekering",
    )
    # fmt: on
    min_subtheme_score: float = 7.0
    min_subtheme_distinct_terms: int = 2
    subtheme_relative_to_best: float = 0.3


RULES = Rules()


def tagging_version(taxonomy: Taxonomy) -> str:
    """What a document's tags follow from: the tagger's code and rules and the theme files.
    When it changes, indexed documents are tagged again."""
    rules = hashlib.sha256(repr(RULES).encode()).hexdigest()[:12]
    return f"{TAGGER_VERSION}.{rules}.{taxonomy.fingerprint}"
