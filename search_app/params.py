"""Search state as plain URL arguments: parse them leniently, and build the URLs that change them.

Every state of the search page is a plain URL, so it can be shared, bookmarked and navigated with
the back button. Invalid arguments are ignored or clamped, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote_plus

from indexer.engine.facet_specs import FACETS
from indexer.engine.results import NO_VALUE, SORT_DATE, SORT_RELEVANCE

# URL argument (Dutch, what users see) -> index field.
FACET_ARGS = {spec.arg: spec.field for spec in FACETS}
FIELD_ARGS = {field_name: arg for arg, field_name in FACET_ARGS.items()}
SORTS = (SORT_RELEVANCE, SORT_DATE)
MAX_PAGE = 500
MAX_VALUES_PER_FACET = 20
MAX_QUERY_CHARS = 500
# The year facet, which a range typed beside it (`van`, `tot`) fills in.
YEAR_FIELD = FACET_ARGS["jaar"]
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# The results per page a reader may choose (`aantal`); without a choice the app's PAGE_SIZE holds.
PAGE_SIZES = (10, 25, 50)

Args = Mapping[str, list[str]]


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    selections: dict[str, tuple[str, ...]] = field(default_factory=dict)  # index field -> values
    sort: str = SORT_RELEVANCE
    page: int = 1
    query_cut: bool = False  # the query as typed was longer than MAX_QUERY_CHARS and was shortened
    page_size: int | None = None  # one of PAGE_SIZES, or None for the app's default

    def to_args(self) -> list[tuple[str, str]]:
        """The canonical URL arguments for this state (defaults left out)."""
        args: list[tuple[str, str]] = []
        if self.query:
            args.append(("q", self.query))
        for arg, field_name in FACET_ARGS.items():
            args += [(arg, value) for value in self.selections.get(field_name, ())]
        if self.sort != SORT_RELEVANCE:
            args.append(("sorteer", self.sort))
        if self.page_size:
            args.append(("aantal", str(self.page_size)))
        if self.page > 1:
            args.append(("pagina", str(self.page)))
        return args


def _int(values: Iterable[str], default: int, low: int, high: int) -> int:
    for value in values:
        try:
            return min(max(int(value), low), high)
        except ValueError:
            return default
    return default


def page_number(value: str) -> int:
    """The page a `pagina` argument asks for: 1 for anything that is not a page number."""
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _split(values: tuple[str, ...], split: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """Values as the facet holds them: a source "A en B" (an older link, a typed value) selects both."""
    names = (name for value in values for name in ((value,) if value == NO_VALUE else split(value)))
    return tuple(dict.fromkeys(names))


def parse_args(args: Args) -> SearchRequest:
    """A SearchRequest from query arguments; anything unusable falls back to its default."""
    query, query_cut = _shortened(" ".join(args.get("q", [""])[:1]).strip())
    selections = {}
    for spec in FACETS:
        values = tuple(dict.fromkeys(value.strip() for value in args.get(spec.arg, []) if value.strip()))
        if spec.split:
            values = _split(values, spec.split)
        if values:
            selections[spec.field] = values[:MAX_VALUES_PER_FACET]
    sort = next((value for value in args.get("sorteer", []) if value in SORTS), SORT_RELEVANCE)
    page = _int(args.get("pagina", []), 1, 1, MAX_PAGE)
    page_size = next((int(value) for value in args.get("aantal", []) if value in map(str, PAGE_SIZES)), None)
    return SearchRequest(query, selections, sort, page, query_cut, page_size)


def _shortened(query: str) -> tuple[str, bool]:
    """At most MAX_QUERY_CHARS, cut after a whole word; and whether it had to be cut."""
    if len(query) <= MAX_QUERY_CHARS:
        return query, False
    head, rest = query[:MAX_QUERY_CHARS], query[MAX_QUERY_CHARS:]
    if not rest[0].isspace() and len(head.split()) > 1:
        head = head.rsplit(maxsplit=1)[0]  # its last word was cut through: leave it out
    return head.strip(), True


def toggled(request: SearchRequest, field_name: str, value: str) -> SearchRequest:
    """The same search with one facet value switched on or off, back on page 1."""
    current = request.selections.get(field_name, ())
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    selections = {**request.selections, field_name: values}
    return replace(request, selections={k: v for k, v in selections.items() if v}, page=1, query_cut=False)


def cleared(request: SearchRequest) -> SearchRequest:
    return replace(request, selections={}, page=1, query_cut=False)


def with_page(request: SearchRequest, page: int) -> SearchRequest:
    return replace(request, page=page, query_cut=False)


def with_sort(request: SearchRequest, sort: str) -> SearchRequest:
    return replace(request, sort=sort, page=1, query_cut=False)


def year_span(args: Args) -> tuple[int | None, int | None] | None:
    """The years typed beside the year facet, earliest first; None when neither is a year."""
    low, high = (_int(args.get(name, []), 0, EARLIEST_YEAR, LATEST_YEAR) or None for name in ("van", "tot"))
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def with_years(request: SearchRequest, span: tuple[int | None, int | None], known: Iterable[str]) -> SearchRequest:
    """The search with the year facet set to the years of `span` (an open end reaches the first or last
    of the `known` years); years no document has are left out, unless none is left."""
    years = sorted(int(year) for year in known if year.isdigit())
    low = span[0] or (years[0] if years else EARLIEST_YEAR)
    high = span[1] or (years[-1] if years else LATEST_YEAR)
    chosen = [year for year in years if low <= year <= high] or list(range(low, high + 1))
    selections = {**request.selections, YEAR_FIELD: tuple(map(str, chosen[:MAX_VALUES_PER_FACET]))}
    return replace(request, selections=selections, page=1, query_cut=False)


def without_years(request: SearchRequest) -> SearchRequest:
    selections = {name: values for name, values in request.selections.items() if name != YEAR_FIELD}
    return replace(request, selections=selections, page=1, query_cut=False)


def with_page_size(request: SearchRequest, page_size: int) -> SearchRequest:
    """Another number of results per page, back on page 1."""
    return replace(request, page_size=page_size, page=1, query_cut=False)


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """A URL argument value, quoted as `urlencode` does; cached because a results page links every
    facet value with the same query text (about 70 URLs a page)."""
    return quote_plus(value)


def url(path: str, request: SearchRequest) -> str:
    args = request.to_args()
    if not args:
        return path
    return f"{path}?" + "&".join(f"{name}={_quoted(value)}" for name, value in args)
