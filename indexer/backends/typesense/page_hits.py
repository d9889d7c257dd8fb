"""On which pages a shown document matches, its best page, and a snippet from that page's text.

The pages collection answers which pages of the shown documents pass the page query's filter
(`filters`), with their tokens; the best page is the one with the most occurrences of the query's
page terms (the first on a tie), and its stored text gives the snippet, with the query terms marked
as in the embedded engine (`engine.highlighting`). The matching pages are asked beside the shown
documents' display fields (`searching`), the best pages' texts in one more multi-search.
"""

from __future__ import annotations

from collections import defaultdict

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.filters import any_of, both, query_filter
from indexer.backends.typesense.requests import PAGE_TEXT_TOKENS, multi_search, search
from indexer.engine.highlighting import snippet, terms_of
from indexer.engine.query_model import Node
from indexer.engine.results import PageHits

# Per document shown: the matching page numbers, the best page (None: no page matched) and a snippet.
# Matching pages read per shown document at most (Typesense's largest group; a long report that matches
# everywhere names its first 99).
MAX_PAGES_PER_DOCUMENT = 99


def page_search(pages: str, page_query: Node | None, shown: list[str]) -> dict | None:
    """The search for the shown documents' matching pages (None: there are none to look for); the caller
    asks it in a multi-search of its own."""
    if not shown or page_query is None:
        return None
    filter_by = both(any_of("parent", shown), query_filter(page_query))
    fields = f"id,parent,page,{PAGE_TEXT_TOKENS}"
    return search(pages, filter_by, PAGE_TEXT_TOKENS, per_page=len(shown), include_fields=fields,
                  group_by="parent", group_limit=MAX_PAGES_PER_DOCUMENT, sort_by="page:asc")  # fmt: skip


def page_hits(client: TypesenseClient, pages: str, page_query: Node | None, found: dict | None) -> dict[str, PageHits]:
    """Per shown document id: its matching pages, best page and snippet, from the answer to `page_search`."""
    if found is None or page_query is None:
        return {}
    terms = terms_of(page_query)
    matching: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for hit in (hit for group in found.get("grouped_hits", []) for hit in group["hits"]):
        page = hit["document"]
        occurrences = sum(token in terms for token in page.get(PAGE_TEXT_TOKENS, "").split())
        matching[page["parent"]].append((occurrences, page["page"], page["id"]))
    best = {parent: max(pages_, key=lambda page: (page[0], -page[1])) for parent, pages_ in matching.items()}
    texts = {}
    if best:
        (read,) = multi_search(
            client,
            [search(pages, any_of("id", [page[2] for page in best.values()]), PAGE_TEXT_TOKENS, per_page=len(best),
                    include_fields="id,text")],
        )  # fmt: skip
        texts = {hit["document"]["id"]: hit["document"].get("text", "") for hit in read["hits"]}
    return {
        parent: (sorted(page for _, page, _ in matching[parent]), page, snippet(texts.get(page_id, ""), terms))
        for parent, (_, page, page_id) in best.items()
    }
