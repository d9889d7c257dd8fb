"""'Bedoelde u …?': spelling suggestions from the index's own vocabulary.

Every document's words are indexed as written (folded, not stemmed) in the `spelling` field. A query
word that occurs in no document is replaced by the closest word that does, by edit distance and
then by how many documents use it.

Whoosh's own `terms_within` walks the whole term dictionary with a Levenshtein automaton in Python
(0.2-0.5 s over the 190,000 words of 10,000 documents). Instead, each index generation has a table
of its words with a letter histogram per word. An edit changes the histogram by at most two, so one
vectorised comparison leaves the few words worth computing the real edit distance for.

The indexer builds the table once per commit (`write_word_table`, called by `store.writing` right
after the commit) and stores it beside the index (`word_table_files`); every server process maps
those files, so no process builds one and all share one copy in the page cache. A generation
without its own table yet (the commit is visible a moment before its table) uses the newest table
there is: every candidate's document count is read from the searcher's own reader, so a word that
is gone is never suggested and a new one is once its table is there. An index without any table
(written before tables existed, until its next commit) gets one built in memory, once per process
and generation: suggestions then work as they did, where answering without them would have lasted
until some document changed.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from indexer.backends.whoosh import word_table_files
from indexer.backends.whoosh.snapshot import MAX_OPEN_INDEXES
from indexer.backends.whoosh.term_dictionary import terms
from indexer.engine.spelling import corrected, max_edits

SPELLING_FIELD = "spelling"
# Histogram buckets: a-z, and one for every other character.
_LETTERS = 27
# Histograms are counted this many words at a time, which bounds the temporary arrays.
_HISTOGRAM_CHUNK_WORDS = 10_000


def _histograms(words: list[str]) -> np.ndarray:
    """One row of letter counts per word, computed for all words at once."""
    lengths = np.array([len(word) for word in words], dtype=np.int64)
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64) - ord("a")
    codes[(codes < 0) | (codes >= _LETTERS - 1)] = _LETTERS - 1
    owners = np.repeat(np.arange(len(words)), lengths)
    counts = np.bincount(owners * _LETTERS + codes, minlength=len(words) * _LETTERS)
    return np.minimum(counts, np.iinfo(np.int8).max).reshape(len(words), _LETTERS).astype(np.int8)


class _Words(Sequence[str]):
    """The words of a table as a read-only list, each decoded when asked for from one UTF-8 text and
    the offsets of its words: a Python list of the 750,000 words of 50,000 documents took tens of
    megabytes in every process, these two arrays are mapped from the table's files."""

    def __init__(self, text: np.ndarray, offsets: np.ndarray) -> None:
        self.text = text  # uint8: the words' UTF-8 bytes, one after the other
        self.offsets = offsets  # int64: where each word starts, and where the last one ends

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row: int) -> str:  # one row at a time: bisect and `closest` take no slices
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self.text[self.offsets[row] : self.offsets[row + 1]].tobytes().decode("utf-8")

    def __eq__(self, other: object) -> bool:
        """Equal to a list or tuple of the same words, as the list it stands for would be."""
        if not isinstance(other, (list, tuple, _Words)):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other, strict=True))


@dataclass(frozen=True)
class _Vocabulary:
    """The spelling field's words in term order, with their lengths and letter histograms: arrays
    only, so that the indexer can store them and every server process map them."""

    words: _Words
    lengths: np.ndarray  # int32: characters per word (a "word" of some files is 500,000 letters)
    histograms: np.ndarray  # int8: one row of _LETTERS counts per word

    @classmethod
    def read(cls, reader: IndexReader) -> _Vocabulary:
        """The table built from the reader's term dictionary."""
        words = sorted({word for segment, _ in reader.leaf_readers() for word, _, _ in terms(segment, SPELLING_FIELD)})
        chunks = range(0, len(words), _HISTOGRAM_CHUNK_WORDS)
        histograms = [_histograms(words[start : start + _HISTOGRAM_CHUNK_WORDS]) for start in chunks]
        stacked = np.concatenate(histograms) if histograms else np.zeros((0, _LETTERS), dtype=np.int8)
        encoded = [word.encode("utf-8") for word in words]
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(word) for word in encoded], out=offsets[1:])
        text = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(_Words(text, offsets), np.array([len(word) for word in words], dtype=np.int32), stacked)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store, by name (`from_arrays` takes them back)."""
        return {
            "text": self.words.text,
            "offsets": self.words.offsets,
            "lengths": self.lengths,
            "histograms": self.histograms,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> _Vocabulary:
        """The table over stored arrays; mapped ones are used in place, nothing is copied."""
        return cls(_Words(arrays["text"], arrays["offsets"]), arrays["lengths"], arrays["histograms"])

    def closest(self, reader: IndexReader, word: str, max_distance: int) -> str | None:
        """The nearest word of the index with the same first letter, by edit distance, then by how
        many documents use it (in the reader's generation: none for a word that is gone)."""
        start = bisect_left(self.words, word[0])
        stop = bisect_left(self.words, chr(ord(word[0]) + 1))
        rows = np.arange(start, stop)
        rows = rows[np.abs(self.lengths[rows] - len(word)) <= max_distance]
        changes = np.abs(self.histograms[rows].astype(np.int16) - _histograms([word])[0]).sum(axis=1)
        best = None
        for row in rows[changes <= 2 * max_distance].tolist():
            candidate = self.words[row]
            edits = distance(word, candidate)
            documents = reader.doc_frequency(SPELLING_FIELD, candidate) if edits <= max_distance else 0
            if documents:
                key = (edits, -documents, candidate)
                best = min(best, key) if best else key
        return best[2] if best else None


def write_word_table(index: Index) -> None:
    """Store the table of the index's latest commit beside it, for every server process to map.

    Called by `store.writing` right after each commit. A commit that another writer overtook gets no
    table of its own: the newer commit's table replaces it anyway."""
    folder = Path(index.storage.folder)
    with index.reader() as reader:
        generation = reader.generation()
        if generation is None or word_table_files.has_table(folder, generation):
            return  # an empty index has no words; a table is written once
        vocabulary = _Vocabulary.read(reader)
    word_table_files.save(folder, generation, vocabulary.arrays())


# Per index folder, the table a process uses and the generation it belongs to.
_HELD: dict[Path, tuple[int, _Vocabulary]] = {}
_LOCK = threading.Lock()
# Held while this process builds a table in memory (an index without tables).
_BUILDING = threading.Lock()


def _hold(folder: Path, generation: int, vocabulary: _Vocabulary) -> _Vocabulary:
    """Keep `vocabulary` as the table of `folder`; a test run opens many indexes, a mapped table
    keeps its files open, so only the last few are held."""
    with _LOCK:
        _HELD.pop(folder, None)
        _HELD[folder] = (generation, vocabulary)
        while len(_HELD) > MAX_OPEN_INDEXES:
            del _HELD[next(iter(_HELD))]
    return vocabulary


def _vocabulary(reader: IndexReader, folder: Path) -> _Vocabulary | None:
    """The table for the reader: its generation's own, else the newest stored one, else one built
    here (see the module's docstring); None while another thread builds it, or when the table just
    found was replaced before it could be opened."""
    generation = reader.generation()
    with _LOCK:
        held = _HELD.get(folder)
    if held is not None and held[0] == generation:
        return held[1]
    stored = word_table_files.stored_generations(folder)
    if not stored:
        if not _BUILDING.acquire(blocking=False):
            return None  # answer now rather than wait seconds for another thread's build
        try:
            return _hold(folder, generation, _Vocabulary.read(reader))
        finally:
            _BUILDING.release()
    chosen = generation if generation in stored else stored[-1]
    if held is not None and held[0] == chosen:
        return held[1]
    arrays = word_table_files.load(folder, chosen)
    return _hold(folder, chosen, _Vocabulary.from_arrays(arrays)) if arrays is not None else None


def suggest(reader: IndexReader, text: str, folder: Path) -> str | None:
    """The query text with unknown words replaced by their closest known word, or None.

    `folder` is the folder of the reader's index, where the indexer stored its word tables."""

    def correction(word: str) -> str | None:
        if reader.doc_frequency(SPELLING_FIELD, word) > 0:
            return None
        vocabulary = _vocabulary(reader, folder)
        return vocabulary.closest(reader, word, max_edits(word)) if vocabulary else None

    return corrected(text, correction)
