"""The workers' one-pass analysis must index exactly what Whoosh's own analyzers would."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.backends.whoosh.preanalysis import PreAnalyzedText, preanalyse
from indexer.backends.whoosh.schema import build_schema
from indexer.corpus.layout import BUNDLED_CORPUS, CorpusLayout
from indexer.engine.fields import PAGE_TEXT, WORD_PAIRS
from indexer.extract import extract

SCHEMA = build_schema()
DOCUMENTS = CorpusLayout(BUNDLED_CORPUS).documents_dir
SAMPLES = [path for suffix in ("md", "html", "pdf") for path in sorted(DOCUMENTS.glob(f"*.{suffix}"))[:4]]


def _comparable(field: PreAnalyzedText, items) -> list[tuple]:
    """Items with positions made relative to the first (only their distances mean anything)."""
    items = list(items)
    if not hasattr(field.format, "decode_positions"):
        return sorted(items)
    decoded = [(text, freq, weight, field.format.decode_positions(value)) for text, freq, weight, value in items]
    first = min((positions[0] for *_, positions in decoded), default=0)
    return sorted((text, freq, weight, tuple(p - first for p in found)) for text, freq, weight, found in decoded)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_field_gets_the_items_of_its_own_analyzer(path: Path) -> None:
    pages = [page.text for page in extract(path).pages]
    text = "\n\n".join(pages)
    title = pages[0].splitlines()[0]
    records = [
        {"title": title, "summary": pages[0][:400], "content": text, WORD_PAIRS: text, "spelling": f"{title}\n{text}"},
        *({PAGE_TEXT: page} for page in pages),
    ]
    for record, prepared in zip(records, preanalyse(SCHEMA, records).records, strict=True):
        for name, value in record.items():
            field = SCHEMA[name]
            assert _comparable(field, prepared[name].items) == _comparable(field, field.index(value)), name
        assert prepared.get("_stored_page_text", record.get(PAGE_TEXT)) == record.get(PAGE_TEXT)
