"""Text analysis done ahead of the index writer, in the extraction worker processes.

Whoosh analyses a field's text inside `writer.add_document`, in the one process that writes.
Analysing is most of the work of indexing, so the workers do it instead: `preanalyse` turns each
text field of a record into the posting items the field would have produced, and
`PreAnalyzedText`, the field type of those fields, hands such items straight to the writer. Plain
strings are still analysed as usual, so nothing else needs to know.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import TEXT, Schema


@dataclass(frozen=True)
class Analyzed:
    """A field value already analysed: Whoosh's (term bytes, frequency, weight, value bytes) items."""

    items: tuple[tuple[bytes, int, float, bytes], ...]


class PreAnalyzedText(TEXT):
    """A TEXT field that also accepts an `Analyzed` value."""

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            return value.items
        return super().index(value, **kwargs)


def preanalyse(schema: Schema, record: dict) -> dict:
    """The record with every pre-analysable text replaced by its analysis (stored values kept)."""
    prepared = dict(record)
    for name, field in schema.items():
        value = record.get(name)
        if not isinstance(field, PreAnalyzedText) or not isinstance(value, str):
            continue
        prepared[name] = Analyzed(tuple(field.index(value)))
        if field.stored:
            prepared.setdefault(f"_stored_{name}", value)
    return prepared
