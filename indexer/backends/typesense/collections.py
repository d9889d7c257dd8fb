"""What the cluster holds, declared as data: a collection of documents and one of pages.

Typesense has no Dutch stemming or compound splitting, so the searchable fields hold tokens our own
analysis made (`<field>_tokens`, words separated by spaces); the text as written is stored beside them,
unindexed, for showing. The facet fields are those of `FACETS`, all `string[]` so every filter reads
`field:=[a,b]`; a document without a value holds `NO_VALUE`, which makes "Geen thema" and "Onbekend"
countable and selectable as they are in the embedded engine. Pages carry the facet fields too, so the
cluster can retrieve pages grouped by document with the same filters.

Each build is a new collection, `<prefix>-<kind>-<revision>-<UTC time>`, behind the alias
`<prefix>-<kind>`: a rebuild fills a new collection and moves the alias when it is complete, so a search
never sees half an index. The revision is a hash of the declared fields and the analysis version
(Typesense 0.24 drops collection metadata silently, so the name carries it); a collection with another
revision holds tokens this version would not produce and is refused, as a stale Whoosh index is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass

from indexer.analysis.analyzers import ANALYSIS_VERSION
from indexer.backends.config import DEFAULT_PREFIX
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import aliases
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.engine.facet_specs import FACETS
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, TEXT_FIELDS, WORD_PAIRS
from indexer.engine.matching import RANKED_FIELDS

# Bump when what a field holds changes without its declaration changing (the declarations count anyway).
# 2: lengths and term weights of the ranked fields, for the second stage; 3: the weights as a nested object.
COLLECTION_REVISION = 3
_STAMP = "%Y%m%d%H%M%S%f"


@dataclass(frozen=True)
class Field:
    """One field as Typesense's collection schema declares it."""

    name: str
    type: str  # string, string[], int32, int32[], int64, bool
    facet: bool = False
    index: bool = True
    optional: bool = False
    sort: bool = False

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def token_field(name: str) -> str:
    """The searchable field with the pre-analysed tokens of `name` (a field of `indexer.engine.fields`)."""
    return f"{name}_tokens"


# The distinct words of a document's title and text as written (folded, compound parts too): the
# vocabulary of "Bedoelde u", patterns and completions.
SPELLING = "spelling"


# A document's id again, sortable (Typesense cannot sort by `id`): ties in a listing go by id, as in
# the embedded engine.
ID_ORDER = "id_order"


def length_field(name: str) -> str:
    """The field with the length of ranked field `name` in a document record."""
    return f"{name}_length"


# Each ranked field's term weights (field -> term -> weight), what the second stage scores with. Not
# declared: Typesense stores an undeclared field as written, unindexed (0.24 refuses a declared `object`
# without nested fields), and `include_fields` prunes its keys by dotted path (`weight_path`), so a
# candidate brings only the weights of the query's terms.
TERM_WEIGHTS = "term_weights"


def weight_path(field: str, term: str) -> str:
    """The `include_fields` path of one term's weight in ranked field `field`. A term is word characters
    and dots (`wordforms.WORD_PATTERN`; a word pair two of them and a space): Typesense matches the whole
    path, so a dot in a term needs no escape (measured on 0.24.1), and no term holds the comma that
    separates the paths."""
    return f"{TERM_WEIGHTS}.{field}.{term}"


def _tokens(name: str) -> Field:
    return Field(token_field(name), "string")


def _stored(name: str, type_: str = "string") -> Field:
    # Typesense 0.24 accepts an unindexed field only when it is optional.
    return Field(name, type_, index=False, optional=True)


_FACETS = tuple(Field(spec.field, "string[]", facet=True) for spec in FACETS)
# Each ranked field's length in a document (as the embedded index rounds it): a facet, so one search's
# facet stats give the average over all documents that BM25F normalises by (`searching`).
# The second stage's fields are optional: a record written by hand (a test's) may leave them out.
LENGTH_FIELDS = tuple(Field(length_field(name), "int32", facet=True, optional=True) for name in RANKED_FIELDS)
# When a document was written (days since 1970, 0 when unknown) and added: sorting and recency.
_DATES = (Field("date_days", "int32", sort=True), Field("added_s", "int64", sort=True))

DOCUMENT_FIELDS = (
    Field("path", "string"),
    Field(ID_ORDER, "string", sort=True, optional=True),
    *(_tokens(name) for name in TEXT_FIELDS),
    Field(token_field(WORD_PAIRS), "string[]"),
    _tokens(SOURCE_WORDS),
    Field(token_field(SPELLING), "string[]", facet=True, optional=True),  # by prefix: the vocabulary
    *_FACETS,
    *_DATES,
    *LENGTH_FIELDS,
    _stored("title"),
    _stored("summary"),
    _stored("source_as_written"),
    _stored("themes_curated", "bool"),
    _stored("language"),
    _stored("page_count", "int32"),
    _stored("ocr_pages", "int32[]"),
    _stored("word_count", "int32"),
    _stored("size", "int64"),
    Field("sha256", "string"),  # indexed: a new file with the content of an indexed one is a duplicate
    _stored("sidecar_sha256"),
    _stored("acronyms", "string[]"),
    _stored("tagging"),  # the tagger's reasons as JSON, for "waarom dit thema?"
)

PAGE_FIELDS = (
    Field("parent", "string", facet=True),  # facet: pages are grouped by document (`group_by`)
    Field("page", "int32", sort=True),
    _tokens(PAGE_TEXT),
    Field(token_field(WORD_PAIRS), "string[]"),
    *_FACETS,
    *_DATES,
    _stored("text"),
)


@dataclass(frozen=True)
class CollectionSpec:
    """A kind of collection: its fields, and how its builds and its alias are named."""

    kind: str
    fields: tuple[Field, ...]

    def alias(self, prefix: str = DEFAULT_PREFIX) -> str:
        return f"{prefix}-{self.kind}"

    def revision(self) -> str:
        declared = json.dumps([field.as_json() for field in self.fields], sort_keys=True)
        digest = hashlib.sha256(f"{COLLECTION_REVISION}|{ANALYSIS_VERSION}|{declared}".encode())
        return digest.hexdigest()[:8]

    def new_name(self, now: dt.datetime, prefix: str = DEFAULT_PREFIX) -> str:
        return f"{self.alias(prefix)}-{self.revision()}-{now.astimezone(dt.UTC).strftime(_STAMP)}"

    def schema(self, name: str) -> dict[str, object]:
        return {"name": name, "fields": [field.as_json() for field in self.fields]}

    def revision_of(self, name: str, prefix: str = DEFAULT_PREFIX) -> str | None:
        """The revision in a build's name, or None when the name is not one of this kind's builds."""
        found = re.fullmatch(rf"{re.escape(self.alias(prefix))}-([0-9a-f]{{8}})-\d{{20}}", name)
        return found.group(1) if found else None


DOCUMENTS = CollectionSpec("documents", DOCUMENT_FIELDS)
PAGES = CollectionSpec("pages", PAGE_FIELDS)
SPECS = (DOCUMENTS, PAGES)


def page_id(document_id: str, number: int) -> str:
    """A page's id: `/` would not survive the document URL (`/collections/…/documents/<id>`)."""
    return f"{document_id}-p{number}"


def create_build(client: TypesenseClient, spec: CollectionSpec, prefix: str = DEFAULT_PREFIX) -> str:
    """A new, empty collection for a build; the alias still points at the one being served."""
    name = spec.new_name(dt.datetime.now(dt.UTC), prefix)
    client.request("POST", "/collections", body=spec.schema(name))
    return name


def import_documents(client: TypesenseClient, collection: str, documents: list[dict[str, object]]) -> None:
    """Add or replace documents in one request. Typesense answers every line on its own; a refused
    line is a document the records got wrong, so the first refusal is raised."""
    results = client.request(
        "POST",
        f"/collections/{collection}/documents/import",
        params={"action": "upsert"},
        lines=documents,
        idempotent=True,  # an upsert sent twice leaves the same documents
    )
    refused = [(document, result) for document, result in zip(documents, results, strict=True) if not result["success"]]
    if refused:
        document, result = refused[0]
        message = f"{len(refused)} van {len(documents)} geweigerd; ‘{document.get('id')}’: {result.get('error')}"
        raise ClusterError(ClusterProblem.REJECTED, node=collection, status=400, message=message)


def switch_alias(client: TypesenseClient, spec: CollectionSpec, collection: str, prefix: str = DEFAULT_PREFIX) -> None:
    """Serve `collection` from now on: one alias update, atomic for every reader."""
    client.request("PUT", f"/aliases/{spec.alias(prefix)}", body={"collection_name": collection})


def served_collection(client: TypesenseClient, spec: CollectionSpec, prefix: str = DEFAULT_PREFIX) -> str:
    """The build the alias points at, checked: refused when missing or built with another revision."""
    alias = spec.alias(prefix)
    try:
        found = client.request("GET", f"/collections/{alias}")
    except ClusterError as exc:
        if exc.status == 404:
            raise ClusterError(ClusterProblem.MISSING_COLLECTION, name=alias) from exc
        raise
    name = found["name"]
    revision = spec.revision_of(name, prefix)
    declared = {field.name for field in spec.fields}
    if revision != spec.revision() or {field["name"] for field in found["fields"]} != declared:
        raise ClusterError(
            ClusterProblem.STALE_SCHEMA, name=name, found=revision or "onbekend", expected=spec.revision()
        )
    return name


def unserved_builds(client: TypesenseClient, spec: CollectionSpec, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """Builds of this kind that the alias does not point at: replaced ones, and rebuilds that were
    stopped before they switched over. Their owner removes them, as the embedded engine does."""
    served = aliases(client).get(spec.alias(prefix))
    names = [item["name"] for item in client.request("GET", "/collections")]
    return sorted(name for name in names if spec.revision_of(name, prefix) is not None and name != served)


def drop_collection(client: TypesenseClient, name: str) -> None:
    client.request("DELETE", f"/collections/{name}")
