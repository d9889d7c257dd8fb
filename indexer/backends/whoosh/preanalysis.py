"""Text analysis done ahead of the index writer, in the extraction worker processes.

Whoosh analyses a field's text inside `writer.add_document`, in the process that writes.
Analysing is most of the work of indexing, so the workers do it instead: `preanalyse`
turns each text field of a document's records into the posting items the field would have
produced, and `PreAnalyzedText`, the field type of those fields, hands such items straight to the
writer. Plain strings are still analysed as usual, so nothing else needs to know.

One document's fields share their text: `content`, `word_pairs` and `spelling` hold the pages'
text, `page_text` each page. Tokenising, lowercasing, folding and dropping stop words (the
`analysis.base_words` part that every field's analyzer starts with) is the costly part, so it runs
once per distinct line of the document, and each field applies only the filters that follow it.
Lines are independent because no token spans a line break. The words a document uses on several
lines also split its compounds (`lexicon.document_vocabulary`), so every record of it splits alike.

The general compound splits of the document's words (`lexicon.general_spans`), made here anyway, go
to the writer too, each word once per process: the index's word table keeps them, so that no server
process splits the words of the pages it shows again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from whoosh.analysis import CompositeAnalyzer, Token
from whoosh.fields import TEXT, Schema
from whoosh.formats import Positions

from indexer.analysis.analyzers import base_words
from indexer.analysis.lexicon import Spans, document_vocabulary, general_spans, is_splittable
from indexer.backends.whoosh.position_format import PositionArray

# A step of an analyzer after its tokenizer: tokens in, tokens out.
_Filter = Callable[[Iterator[Token]], Iterator[Token]]
# A process hands on each word's split once; past this many words it forgets which, and hands on
# again (the word table takes a split twice without harm), rather than grow without bound.
MAX_HANDED_ON_WORDS = 500_000


@dataclass(frozen=True)
class Analyzed:
    """A field value already analysed: Whoosh's (term bytes, frequency, weight, value bytes) items."""

    items: tuple[tuple[bytes, int, float, bytes], ...]


@dataclass(frozen=True)
class PreparedDocument:
    """A document's records with their text fields analysed, and the general compound splits of its
    words that this process has not handed on before (for the word table of the commit)."""

    records: list[dict]
    splits: dict[str, Spans]


class _HandedOn:
    """The words whose split this process has handed on to a writer already."""

    def __init__(self) -> None:
        self.words: set[str] = set()

    def new_splits(self, lines: Iterable[list[str]]) -> dict[str, Spans]:
        if len(self.words) > MAX_HANDED_ON_WORDS:
            self.words.clear()
        new = {word for line in lines for word in line if is_splittable(word)} - self.words
        self.words |= new
        return {word: general_spans(word) for word in new}


_handed_on = _HandedOn()


class PreAnalyzedText(TEXT):
    """A TEXT field that also accepts an `Analyzed` value, and keeps word positions as arrays
    (`PositionArray`) where Whoosh would pickle them."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        if type(self.format) is Positions:
            self.format = PositionArray(field_boost=self.format.field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            return value.items
        return super().index(value, **kwargs)


class _BaseWords:
    """The base words of each distinct line seen so far (one document's worth)."""

    def __init__(self) -> None:
        self.analyzer = base_words()
        self.lines: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        words: list[str] = []
        for line in text.split("\n"):
            known = self.lines.get(line)
            if known is None:
                known = self.lines[line] = [token.text for token in self.analyzer(line)]
            words += known
        return words


def _replayed(words: list[str]) -> Iterator[Token]:
    """The base words as the token stream the base analyzer would have produced (positions renumbered
    without stop words, as its stop filter does)."""
    token = Token(positions=True, boosts=True, mode="index")
    for position, word in enumerate(words):
        token.text, token.pos, token.boost, token.stopped = word, position, 1.0, False
        yield token


def _remaining_filters(field: PreAnalyzedText) -> list[_Filter]:
    """The filters of the field's analyzer after its base-words part."""
    analyzer = field.analyzer
    base = base_words().items
    items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    if items[: len(base)] != base:
        raise ValueError(f"analyzer {analyzer!r} does not start with the base words analyzer")
    return items[len(base) :]


def _field_items(field: PreAnalyzedText, filters: list[_Filter], words: list[str]) -> Analyzed:
    def analyzer(_value: object, **_options: object) -> Iterable[Token]:
        stream: Iterable[Token] = _replayed(words)
        for step in filters:
            stream = step(stream)
        return stream

    values = field.format.word_values("", analyzer, mode="index")
    return Analyzed(tuple((text.encode("utf-8"), freq, weight, value) for text, freq, weight, value in values))


def preanalyse(schema: Schema, records: list[dict]) -> PreparedDocument:
    """The records with every pre-analysable text replaced by its analysis (stored values kept)."""
    words_of = _BaseWords()
    fields = {name: field for name, field in schema.items() if isinstance(field, PreAnalyzedText)}
    filters = {name: _remaining_filters(field) for name, field in fields.items()}
    for record in records:  # every line's words first: the document's vocabulary splits its compounds
        for name in fields:
            if isinstance(record.get(name), str):
                words_of(record[name])
    prepared_records = []
    with document_vocabulary(words_of.lines.values()):
        for record in records:
            prepared = dict(record)
            for name, field in fields.items():
                value = record.get(name)
                if not isinstance(value, str):
                    continue
                prepared[name] = _field_items(field, filters[name], words_of(value))
                if field.stored:
                    prepared.setdefault(f"_stored_{name}", value)
            prepared_records.append(prepared)
    return PreparedDocument(prepared_records, _handed_on.new_splits(words_of.lines.values()))
