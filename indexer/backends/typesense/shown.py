"""What a page of results shows of its documents: the candidates come without their display fields
(title, path, summary, source: about half of a candidate's answer), and only the shown documents read
them, in the multi-search that asks for their page hits and counts anyway (no extra round trip)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.filters import any_of
from indexer.backends.typesense.requests import DISPLAY_FIELDS, multi_search, search
from indexer.engine.results import NO_VALUE


def listing(record: dict) -> dict[str, object]:
    """What every view shows of a document, from its record."""
    values = {name: tuple(value for value in record.get(name, ()) if value != NO_VALUE) for name in ("kind", "year")}
    return {
        "id": record["id"],
        "path": record["path"],
        "title": record.get("title", ""),
        "kind": next(iter(values["kind"]), ""),
        "themes": tuple(value for value in record.get("themes", ()) if value != NO_VALUE),
        "subthemes": tuple(value for value in record.get("subthemes", ()) if value != NO_VALUE),
        "year": int(values["year"][0]) if values["year"] else None,
        "source": record.get("source_as_written", ""),
        "summary": record.get("summary", ""),
        "page_count": record.get("page_count", 0),
    }


def with_display(
    client: TypesenseClient, documents: str, records: list[dict], shown: list[int], searches: list[dict]
) -> list[dict]:
    """The answers to `searches`, asked in one multi-search with the display fields of the `shown`
    records, which are filled in (see `listed` for those that are not)."""
    ids = [records[number]["id"] for number in shown]
    if not ids and not searches:
        return []
    answers = multi_search(client, [*searches, *([_display(documents, ids)] if ids else [])])
    if ids:
        fields = _by_id(answers[-1])
        missing = [doc_id for doc_id in ids if doc_id not in fields]
        if missing:  # that node may lag behind the one that found the candidates (an upload a moment ago)
            (found,) = multi_search(
                client, [_display(documents, missing)], lambda results: len(results[0]["hits"]) < len(missing)
            )
            fields |= _by_id(found)
        for number, doc_id in zip(shown, ids, strict=True):
            records[number].update(fields.get(doc_id, {}))
    return answers[: len(searches)]


def listed(records: list[dict], numbers: Iterable[int]) -> Iterator[tuple[int, dict[str, object]]]:
    """(number, `listing`) of each of the shown records, in order. A candidate removed from the cluster
    between the search that found it and the one that read its display fields has none and is left
    out: that page shows one hit fewer, and its total and facet counts still count it."""
    for number in numbers:
        if "path" in records[number]:
            yield number, listing(records[number])


def _display(documents: str, ids: list[str]) -> dict:
    return search(documents, any_of("id", ids), per_page=len(ids), include_fields=DISPLAY_FIELDS)


def _by_id(answer: dict) -> dict[str, dict]:
    return {hit["document"]["id"]: hit["document"] for hit in answer["hits"]}
