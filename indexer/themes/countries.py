"""The Dutch names of the world's countries, for telling a text about elsewhere from one about home.

They come from the Unicode CLDR through Babel, which keeps them up to date, rather than from a list
typed by hand that misses whichever country is in the news next ("Servië", "Saoedi-Arabië").
"""

from __future__ import annotations

from functools import cache

import babel
from babel import Locale

# The Kingdom of the Netherlands is home; these codes name no country ("Europese Unie", "Verenigde Naties").
_HOME = frozenset({"NL", "AW", "CW", "SX", "BQ"})
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Part of the tagging version: new names from a new release re-tag the index.
SOURCE = f"cldr-babel-{babel.__version__}"


@cache
def foreign_countries() -> tuple[str, ...]:
    """Every country's Dutch name but those of the Kingdom, as CLDR spells it."""
    territories = Locale("nl").territories
    return tuple(
        sorted(
            name
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in _HOME | _NOT_COUNTRIES
        )
    )
