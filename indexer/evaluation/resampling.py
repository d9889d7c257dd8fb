"""Intervals by the percentile bootstrap, shared by the search and the theme evaluations.

A judged set holds tens of queries or a handful of documents per theme, so one item moves a figure
by several hundredths. Redrawing the items with replacement shows how far a figure is from settled;
two runs redrawn alike (the same seed, the same items) give the interval of their difference, which
is far narrower than either figure's own when most items come out the same in both.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence

# The middle 95% of a figure's values over 1,000 redraws, enough for two decimals; a fixed seed makes
# a run repeat and pairs every figure drawn from it.
INTERVAL = 0.95
RESAMPLES = 1000
RESAMPLING_SEED = 18


def redraws(count: int) -> Iterator[Counter[int]]:
    """`RESAMPLES` redraws of `count` items with replacement: how often each index was drawn."""
    draw = random.Random(RESAMPLING_SEED)  # noqa: S311 - resampling, not secrets
    for _ in range(RESAMPLES):
        yield Counter(draw.choices(range(count), k=count))


def middle(values: Sequence[float]) -> tuple[float, float]:
    """The bounds of the middle `INTERVAL` share of the values."""
    ordered = sorted(values)
    tail = (1 - INTERVAL) / 2
    return ordered[round(tail * (len(ordered) - 1))], ordered[round((1 - tail) * (len(ordered) - 1))]


def mean_interval(values: Sequence[float]) -> tuple[float, float]:
    """Where the mean of per-item values (one query's nDCG, or its difference between two runs) falls."""
    count = len(values)
    if not count:
        return 0.0, 0.0
    return middle([sum(values[index] * times for index, times in drawn.items()) / count for drawn in redraws(count)])


def bounds_text(bounds: tuple[float, float], signed: bool = False) -> str:
    """An interval as the reports write it, "0.61–0.89"; a difference's with signs, "-0.01–+0.09"."""
    sign = "+" if signed else ""
    return f"{bounds[0]:{sign}.2f}–{bounds[1]:{sign}.2f}"
