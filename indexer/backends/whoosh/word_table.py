"""The word table of an index generation: its words as written, for suggestions, and their compound
splits, so that no server process splits them again.

Every document's words are indexed as written (folded, not stemmed) in the `spelling` field. The
table lists them in term order with a letter histogram per word (`suggest` compares histograms to
find near words) and, for each word a worker handed the split of on (`preanalysis`), its general
compound split (`lexicon.general_spans`). Marking a hit's words asks for the split of every long
word on the shown pages that holds a query term; computing one takes about half a millisecond, and a
cold search showed a fifth of its time doing so. With the table, a server process looks it up.

The indexer builds the table once per commit (`write_word_table`, called by `store.writing` right
after the commit) and stores it beside the index (`word_table_files`); every server process maps
those files, so no process builds one and all share one copy in the page cache. A commit's splits
are those its documents brought, and the previous table's for the words of the documents it left
alone. A generation without its own table yet (the commit is visible a moment before its table)
uses the newest table there is: every candidate's document count is read from the searcher's own
reader, so a word that is gone is never suggested and a new one is once its table is there; a word
the table lacks is split as before. An index without any table (written before tables existed,
until its next commit) gets one built in memory for suggestions, once per process and generation,
without splits.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from whoosh.index import Index
from whoosh.reading import IndexReader

from indexer.analysis.lexicon import Spans, use_splits_made_before
from indexer.backends.whoosh import word_table_files
from indexer.backends.whoosh.snapshot import MAX_OPEN_INDEXES
from indexer.backends.whoosh.term_dictionary import terms

SPELLING_FIELD = "spelling"
# Histogram buckets: a-z, and one for every other character.
LETTERS = 27
# Histograms are counted this many words at a time, which bounds the temporary arrays.
_HISTOGRAM_CHUNK_WORDS = 10_000


def histograms(words: list[str]) -> np.ndarray:
    """One row of letter counts per word, computed for all words at once."""
    lengths = np.array([len(word) for word in words], dtype=np.int64)
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64) - ord("a")
    codes[(codes < 0) | (codes >= LETTERS - 1)] = LETTERS - 1
    owners = np.repeat(np.arange(len(words)), lengths)
    counts = np.bincount(owners * LETTERS + codes, minlength=len(words) * LETTERS)
    return np.minimum(counts, np.iinfo(np.int8).max).reshape(len(words), LETTERS).astype(np.int8)


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

    def all(self) -> list[str]:
        """Every word at once (one decoding pass, for a writer)."""
        text, bounds = self.text.tobytes(), self.offsets.tolist()
        return [text[start:end].decode("utf-8") for start, end in pairwise(bounds)]


@dataclass(frozen=True)
class _Splits:
    """Per word of the table, its general compound split where a worker handed it on, else unknown."""

    known: np.ndarray  # bool per word
    offsets: np.ndarray  # int64: where each word's part bounds start in `bounds`, and where the last ends
    bounds: np.ndarray  # uint8: start and end of each part (a splittable word has at most 40 letters)

    @classmethod
    def of(cls, words: list[str], found: Mapping[str, Spans], before: WordTable | None) -> _Splits:
        """The splits of `words`: those `found` in this commit's documents, else those the previous
        table (`before`) knew. The previous table's are copied array to array: word by word, a
        commit of one document took 1.5 s more at 10,000 documents."""
        fresh = [(row, found[word]) for row, word in enumerate(words) if word in found]
        fresh_rows = np.array([row for row, _ in fresh], dtype=np.int64)
        fresh_sizes = np.array([2 * len(spans) for _, spans in fresh], dtype=np.int64)
        fresh_bounds = np.array([bound for _, spans in fresh for span in spans for bound in span], dtype=np.uint8)
        sizes = np.zeros(len(words), dtype=np.int64)
        sizes[fresh_rows] = fresh_sizes
        known = np.zeros(len(words), dtype=bool)
        if before is not None:
            carried = _rows_in(before, words)
            carried[fresh_rows] = -1
            known[carried >= 0] = before.splits.known[carried[carried >= 0]]
            sizes[known] = np.diff(before.splits.offsets)[carried[known]]
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        bounds = np.zeros(offsets[-1], dtype=np.uint8)
        if before is not None:
            old = before.splits
            _copy_runs(old.bounds, old.offsets[carried[known]], bounds, offsets[:-1][known], sizes[known])
        _copy_runs(fresh_bounds, np.cumsum(fresh_sizes) - fresh_sizes, bounds, offsets[fresh_rows], fresh_sizes)
        known[fresh_rows] = True
        return cls(known, offsets, bounds)

    def spans(self, row: int) -> Spans | None:
        if not self.known[row]:
            return None
        flat = self.bounds[self.offsets[row] : self.offsets[row + 1]].tolist()
        return tuple(zip(flat[::2], flat[1::2], strict=True))


def _rows_in(table: WordTable, words: list[str]) -> np.ndarray:
    """Each word's row in `table`, -1 for a word it lacks."""
    rows = {word: row for row, word in enumerate(table.words.all())}
    return np.fromiter((rows.get(word, -1) for word in words), dtype=np.int64, count=len(words))


def _copy_runs(source: np.ndarray, starts: np.ndarray, target: np.ndarray, at: np.ndarray, lengths: np.ndarray) -> None:
    """target[at[i] : at[i] + lengths[i]] = source[starts[i] : starts[i] + lengths[i]] for every i, at once."""
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    target[np.repeat(at, lengths) + within] = source[np.repeat(starts, lengths) + within]


@dataclass(frozen=True)
class WordTable:
    """The spelling field's words in term order, with their lengths, letter histograms and compound
    splits: arrays only, so that the indexer can store them and every server process map them."""

    words: _Words
    lengths: np.ndarray  # int32: characters per word (a "word" of some files is 500,000 letters)
    histograms: np.ndarray  # int8: one row of LETTERS counts per word
    splits: _Splits

    @classmethod
    def read(cls, reader: IndexReader, splits: Mapping[str, Spans], before: WordTable | None = None) -> WordTable:
        """The table built from the reader's term dictionary, with the given words' splits and the
        previous table's splits of the other words."""
        words = sorted({word for segment, _ in reader.leaf_readers() for word, _, _ in terms(segment, SPELLING_FIELD)})
        chunks = range(0, len(words), _HISTOGRAM_CHUNK_WORDS)
        stacked = [histograms(words[start : start + _HISTOGRAM_CHUNK_WORDS]) for start in chunks]
        encoded = [word.encode("utf-8") for word in words]
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(word) for word in encoded], out=offsets[1:])
        text = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(
            _Words(text, offsets),
            np.array([len(word) for word in words], dtype=np.int32),
            np.concatenate(stacked) if stacked else np.zeros((0, LETTERS), dtype=np.int8),
            _Splits.of(words, splits, before),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store, by name (`from_arrays` takes them back)."""
        return {
            "text": self.words.text,
            "offsets": self.words.offsets,
            "lengths": self.lengths,
            "histograms": self.histograms,
            "split_known": self.splits.known,
            "split_offsets": self.splits.offsets,
            "split_bounds": self.splits.bounds,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> WordTable:
        """The table over stored arrays; mapped ones are used in place, nothing is copied. A table
        stored before splits were kept knows none."""
        # Plain views of mapped arrays, not `np.memmap`s: slicing a memmap took four times as long
        # (60 against 14 microseconds to find a word among 170,000), and making one for each
        # slice of a split's parts was 4% of a profile's samples of search requests.
        arrays = {name: np.asarray(array) for name, array in arrays.items()}
        none_known = {
            "split_known": np.zeros(len(arrays["lengths"]), dtype=bool),
            "split_offsets": np.zeros(len(arrays["lengths"]) + 1, dtype=np.int64),
            "split_bounds": np.zeros(0, dtype=np.uint8),
        }
        split = {name: arrays.get(name, empty) for name, empty in none_known.items()}
        return cls(
            _Words(arrays["text"], arrays["offsets"]),
            arrays["lengths"],
            arrays["histograms"],
            _Splits(split["split_known"], split["split_offsets"], split["split_bounds"]),
        )

    def split_of(self, word: str) -> Spans | None:
        """The word's general compound split as the indexer made it; None when the table lacks it."""
        row = bisect_left(self.words, word)
        return self.splits.spans(row) if row < len(self.words) and self.words[row] == word else None


def write_word_table(index: Index, splits: Mapping[str, Spans]) -> None:
    """Store the table of the index's latest commit beside it, for every server process to map, with
    the `splits` of the words the commit's documents brought and the previous table's of the others.

    Called by `store.writing` right after each commit. A commit that another writer overtook gets no
    table of its own: the newer commit's table replaces it anyway."""
    folder = Path(index.storage.folder)
    with index.reader() as reader:
        generation = reader.generation()
        if generation is None or word_table_files.has_table(folder, generation):
            return  # an empty index has no words; a table is written once
        earlier = word_table_files.stored_generations(folder)
        previous = word_table_files.load(folder, earlier[-1]) if earlier else None
        table = WordTable.read(reader, splits, WordTable.from_arrays(previous) if previous is not None else None)
    word_table_files.save(folder, generation, table.arrays())


# Per index folder, the table a process uses and the generation it belongs to.
_HELD: dict[Path, tuple[int, WordTable]] = {}
_LOCK = threading.Lock()
# Held while this process builds a table in memory (an index without tables).
_BUILDING = threading.Lock()


def _hold(folder: Path, generation: int, table: WordTable) -> WordTable:
    """Keep `table` as the table of `folder`, and look compound splits up in it from now on; a test
    run opens many indexes, a mapped table keeps its files open, so only the last few are held."""
    with _LOCK:
        _HELD.pop(folder, None)
        _HELD[folder] = (generation, table)
        while len(_HELD) > MAX_OPEN_INDEXES:
            del _HELD[next(iter(_HELD))]
    use_splits_made_before(table.split_of)
    return table


def use_compound_splits(reader: IndexReader, folder: Path) -> None:
    """Look words' compound splits up in the reader's stored word table from now on (a table is only
    built here for suggestions, not for this)."""
    word_table(reader, folder, build=False)


def word_table(reader: IndexReader, folder: Path, build: bool = True) -> WordTable | None:
    """The table for the reader: its generation's own, else the newest stored one, else (with `build`)
    one built here (see the module's docstring); None while another thread builds it, or when the
    table just found was replaced before it could be opened.

    `folder` is the folder of the reader's index, where the indexer stored its word tables."""
    generation = reader.generation()
    with _LOCK:
        held = _HELD.get(folder)
    if held is not None and held[0] == generation:
        return held[1]
    stored = word_table_files.stored_generations(folder)
    if not stored:
        if not build or not _BUILDING.acquire(blocking=False):
            return None  # answer now rather than wait seconds for another thread's build
        try:
            return _hold(folder, generation, WordTable.read(reader, {}))
        finally:
            _BUILDING.release()
    chosen = generation if generation in stored else stored[-1]
    if held is not None and held[0] == chosen:
        return held[1]
    arrays = word_table_files.load(folder, chosen)
    return _hold(folder, chosen, WordTable.from_arrays(arrays)) if arrays is not None else None
