"""The engines we are measured against, each built over the same extracted text as ours.

- plain Whoosh: Whoosh as it comes (default analyzer, title and text, its default query parser);
- plain BM25: lowercase words, no stemming, textbook BM25;
- library baseline: BM25 over `library_analysis` (Snowball stems, wordfreq compound parts).
Every engine sees the text our extractors produce, so differences come from analysis and ranking.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

from indexer.corpus.layout import CorpusLayout, list_files, slug_for
from indexer.engine.kennisbank import Kennisbank
from indexer.evaluation import library_analysis
from indexer.evaluation.bm25 import Bm25Index
from indexer.evaluation.metrics import CUTOFF, Ranker
from indexer.extract import is_supported
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import extract_all
from indexer.themes.taxonomy import load_taxonomy


@dataclass(frozen=True)
class PlainDocument:
    id: str
    title: str
    text: str


def read_corpus(corpus: Path) -> list[PlainDocument]:
    """Every readable document of a corpus as id, title and text, through our own extractors."""
    paths = {path: relative for relative, path in list_files(CorpusLayout(corpus).documents_dir) if is_supported(path)}
    documents = []
    for outcome in extract_all(list(paths)):
        if outcome.extraction:
            title = str(outcome.extraction.properties.get("titel", ""))
            documents.append(PlainDocument(slug_for(paths[outcome.path]), title, outcome.extraction.text))
    return sorted(documents, key=lambda document: document.id)


def plain_whoosh(documents: list[PlainDocument], folder: Path, limit: int = CUTOFF) -> Ranker:
    schema = Schema(id=ID(stored=True), title=TEXT(), content=TEXT())
    folder.mkdir(parents=True, exist_ok=True)
    index = whoosh_index.create_in(folder, schema)
    with index.writer() as writer:
        for document in documents:
            writer.add_document(id=document.id, title=document.title, content=document.text)
    parser = MultifieldParser(["title", "content"], schema)

    def rank(text: str) -> list[str]:
        with index.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(parser.parse(text), limit=limit)]

    return rank


def _bm25(documents: list[PlainDocument], analyse) -> Bm25Index:
    engine = Bm25Index()
    for document in documents:
        engine.add(document.id, analyse(f"{document.title}\n{document.text}"))
    return engine


def plain_bm25(documents: list[PlainDocument], limit: int = CUTOFF) -> Ranker:
    engine = _bm25(documents, library_analysis.words)
    return lambda text: engine.rank(library_analysis.words(text), limit)


def library_baseline(documents: list[PlainDocument], limit: int = CUTOFF) -> Ranker:
    engine = _bm25(documents, library_analysis.analyse)
    return lambda text: engine.rank(library_analysis.analyse_query(text, engine.postings), limit)


def kennisbank(corpus: Path, folder: Path, limit: int = CUTOFF) -> Ranker:
    """Our engine through the real pipeline and the search façade."""
    run_index(corpus, folder)
    engine = Kennisbank(folder, load_taxonomy(CorpusLayout(corpus).themes_dir))
    return lambda text: [hit.id for hit in engine.search(text, page_size=limit).hits]


def all_engines(corpus: Path, folder: Path, limit: int = CUTOFF) -> Iterator[tuple[str, Ranker]]:
    """(name, ranker) of ours and every baseline, in the order reports show them."""
    yield "kennisbank", kennisbank(corpus, folder / "kennisbank", limit)
    documents = read_corpus(corpus)
    yield "bm25", plain_bm25(documents, limit)
    yield "whoosh", plain_whoosh(documents, folder / "whoosh", limit)
    yield "bibliotheken", library_baseline(documents, limit)
