"""The naive baseline: plain Whoosh as its tutorial shows it, over the same generated files.

Default analyzer (StandardAnalyzer), one record per document, the whole text stored for
highlighting, facets with `whoosh.sorting.FieldFacet`, default highlighting, one process, and the
incremental-indexing recipe from Whoosh's documentation (compare stored modification times).
It is what our pipeline and search façade have to beat.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pypdf import PdfReader
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import Index
from whoosh.qparser import QueryParser
from whoosh.query import And, Every, Or, Term
from whoosh.sorting import FieldFacet
from whoosh.writing import IndexWriter

from bench.queries import QuerySpec

DOCUMENTS = "documenten"
SIDECAR_SUFFIX = ".meta.yaml"
SUFFIXES = (".pdf", ".md", ".txt")
# Facets as the issue describes the baseline: theme (multi-valued), kind, year.
FACET_FIELDS = ("themes", "kind", "year")


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),  # the relative path
        title=TEXT(stored=True),
        content=TEXT(stored=True),
        themes=KEYWORD(stored=True, commas=True),
        kind=ID(stored=True),
        year=ID(stored=True),
        mtime=STORED(),
    )


def corpus_files(corpus: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of every document, sorted, sidecars left out."""
    documents = corpus / DOCUMENTS
    found = []
    for directory, _, files in os.walk(documents):
        for name in files:
            path = Path(directory) / name
            if path.suffix in SUFFIXES:
                found.append((path.relative_to(documents).as_posix(), path))
    yield from sorted(found)


def _mtime(path: Path) -> float:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    return max(path.stat().st_mtime, sidecar.stat().st_mtime if sidecar.exists() else 0.0)


def read_document(relative: str, path: Path) -> tuple[dict, int]:
    """The fields of one document and its page count (PDF pages; 1 for a text file)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    if path.suffix == ".pdf":
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
        text, count = "\n".join(pages), len(pages)
    else:
        text, count = path.read_text(encoding="utf-8", errors="replace"), 1
    date = meta.get("datum")
    year = str(date if isinstance(date, int) else getattr(date, "year", "")) if date else ""
    fields = {
        "id": relative,
        "title": str(meta.get("titel", path.stem)),
        "content": text,
        "themes": ",".join(meta.get("themas", []) or []),
        "kind": str(meta.get("soort", "")),
        "year": year,
        "mtime": _mtime(path),
    }
    return fields, count


@dataclass
class IndexStats:
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    indexed: tuple[str, ...] = ()


def build(corpus: Path, index_dir: Path) -> IndexStats:
    """Index every document into a new index, in this process, committing once at the end."""
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    index = whoosh_index.create_in(index_dir, build_schema())
    writer = index.writer()
    indexed = [(relative, path) for relative, path in corpus_files(corpus)]
    pages = _add_documents(writer, indexed)
    writer.commit()
    return IndexStats(len(indexed), pages, time.perf_counter() - started, tuple(relative for relative, _ in indexed))


def _add_documents(writer: IndexWriter, files: list[tuple[str, Path]]) -> int:
    """Read and add each file; returns the pages read."""
    pages = 0
    for relative, path in files:
        fields, count = read_document(relative, path)
        writer.add_document(**fields)
        pages += count
    return pages


def update(corpus: Path, index_dir: Path) -> IndexStats:
    """Whoosh's documented incremental recipe: re-index files whose stored mtime is older."""
    started = time.perf_counter()
    index = whoosh_index.open_dir(index_dir)
    to_index, indexed_paths = set(), set()
    with index.searcher() as searcher:
        writer = index.writer()
        for fields in searcher.all_stored_fields():
            relative = fields["id"]
            indexed_paths.add(relative)
            path = corpus / DOCUMENTS / relative
            if not path.exists():
                writer.delete_by_term("id", relative)
            elif _mtime(path) > fields["mtime"]:
                writer.delete_by_term("id", relative)
                to_index.add(relative)
        indexed = [item for item in corpus_files(corpus) if item[0] in to_index or item[0] not in indexed_paths]
        pages = _add_documents(writer, indexed)
        writer.commit()
    return IndexStats(len(indexed), pages, time.perf_counter() - started, tuple(relative for relative, _ in indexed))


class BaselineSearch:
    """One search request as a Whoosh tutorial would serve it: parse, search_page, groups, highlights."""

    def __init__(self, index_dir: Path) -> None:
        self.index: Index = whoosh_index.open_dir(index_dir)
        self.parser = QueryParser("content", self.index.schema)

    def search(self, text: str, selections: Mapping[str, Sequence[str]] | None = None) -> dict:
        query = self.parser.parse(text) if text.strip() else Every()
        wanted = [Or([Term(field, value) for value in values]) for field, values in (selections or {}).items()]
        facets = {field: FieldFacet(field, allow_overlap=field == "themes") for field in FACET_FIELDS}
        with self.index.searcher() as searcher:
            page = searcher.search_page(query, 1, pagelen=10, groupedby=facets, filter=And(wanted) if wanted else None)
            hits = [{"id": hit["id"], "title": hit["title"], "snippet": hit.highlights("content")} for hit in page]
            counts = {field: {key: len(docs) for key, docs in page.results.groups(field).items()} for field in facets}
            return {"total": len(page.results), "hits": hits, "facets": counts}

    def run(self, spec: QuerySpec) -> dict:
        return self.search(spec.text, spec.selections)
