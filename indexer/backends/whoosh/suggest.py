"""'Bedoelde u …?': spelling suggestions from the index's own vocabulary.

Every document's words are indexed as written (folded, not stemmed) in the `spelling` field. A query
word that occurs in no document is replaced by the closest word that does, by edit distance and
then by how many documents use it.

Whoosh's own `terms_within` walks the whole term dictionary with a Levenshtein automaton in Python
(0.2-0.5 s over the 190,000 words of 10,000 documents). Instead, each index generation gets a
table of its words with a letter histogram per word, built in the background when a search first
sees the generation (or by the first suggestion, if that comes sooner). An edit changes the
histogram by at most two, so one vectorised comparison leaves the few words worth computing the
real edit distance for. A search that needs the table while another thread is building it waits
for that build, but not for long: at 50,000 documents (750,000 words) a build takes seconds, and
a search then answers without a suggestion rather than keep its user waiting.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from indexer.analysis.wordforms import STOP_WORDS, fold
from indexer.backends.whoosh.term_dictionary import terms

SPELLING_FIELD = "spelling"
# Words shorter than this are left alone: too many short words are one letter apart.
MIN_CORRECTABLE_CHARS = 4
# Edit distance allowed: one for short words, two from this length on.
TWO_EDITS_FROM_CHARS = 7
# A word, not part of a filter (bron:...) or of a pattern with * or ? (those are not corrected).
_QUERY_WORD = re.compile(r"(?<![\w:*?])([^\W\d_]+)(?![\w:*?])")
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


@dataclass(frozen=True)
class _Vocabulary:
    """The spelling field's words in term order, with their lengths and letter histograms."""

    words: list[str]
    lengths: np.ndarray
    histograms: np.ndarray  # one row of _LETTERS counts per word

    @classmethod
    def read(cls, reader: IndexReader) -> _Vocabulary:
        words = sorted({word for segment, _ in reader.leaf_readers() for word, _, _ in terms(segment, SPELLING_FIELD)})
        chunks = range(0, len(words), _HISTOGRAM_CHUNK_WORDS)
        histograms = [_histograms(words[start : start + _HISTOGRAM_CHUNK_WORDS]) for start in chunks]
        stacked = np.concatenate(histograms) if histograms else np.zeros((0, _LETTERS), dtype=np.int8)
        return cls(words, np.array([len(word) for word in words], dtype=np.int16), stacked)

    def closest(self, reader: IndexReader, word: str, max_distance: int) -> str | None:
        """The nearest word of the index with the same first letter, by edit distance,
        then by how many documents use it."""
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


_VOCABULARIES: dict[str, tuple[object, _Vocabulary]] = {}
# Generations whose table a thread is building, with the event it sets when done: a second thread
# waits for that build instead of starting its own (at 50,000 documents a build takes seconds, and
# two at once took twice as long while slowing every search in the process).
_BUILDS: dict[tuple[str, int], threading.Event] = {}
_LOCK = threading.Lock()
# How long a search waits for another thread's build before answering without a suggestion: the
# table of a small index is there long before this, one of 50,000 documents takes seconds.
TABLE_WAIT_S = 1.0


def _known(generation: tuple[str, int]) -> _Vocabulary | None:
    known = _VOCABULARIES.get(generation[0])
    return known[1] if known is not None and known[0] == generation[1] else None


def _release(generation: tuple[str, int], done: threading.Event) -> None:
    """End the build of `generation` registered with `done`, and wake the threads waiting for it."""
    with _LOCK:
        if _BUILDS.get(generation) is done:
            del _BUILDS[generation]
    done.set()


def _build(reader: IndexReader, generation: tuple[str, int], done: threading.Event) -> _Vocabulary:
    """Read the table of `generation` (registered in _BUILDS with `done` by the caller)."""
    try:
        vocabulary = _Vocabulary.read(reader)
        with _LOCK:
            _VOCABULARIES.clear()  # one index's newest generation is what gets searched
            _VOCABULARIES[generation[0]] = (generation[1], vocabulary)
        return vocabulary
    finally:
        _release(generation, done)


def _vocabulary(reader: IndexReader, generation: tuple[str, int]) -> _Vocabulary | None:
    """The table of `generation`: cached, built here, or awaited when another thread is building
    it; None when that build takes longer than TABLE_WAIT_S."""
    while True:
        with _LOCK:
            if (vocabulary := _known(generation)) is not None:
                return vocabulary
            running = _BUILDS.get(generation)
            if running is None:
                done = _BUILDS[generation] = threading.Event()
        if running is None:
            return _build(reader, generation, done)
        if not running.wait(TABLE_WAIT_S):
            return None


def prepare(index: Index, generation: tuple[str, int]) -> None:
    """Build the word table of `generation` in a background thread when it is not there yet, so
    the first typo after a commit does not wait for it (0.9 s at 10,000 documents)."""
    with _LOCK:
        if _known(generation) is not None or generation in _BUILDS:
            return
        done = _BUILDS[generation] = threading.Event()
    threading.Thread(target=_build_in_background, args=(index, generation, done), daemon=True).start()


def _build_in_background(index: Index, generation: tuple[str, int], done: threading.Event) -> None:
    try:
        with index.reader() as reader:
            if reader.generation() == generation[1]:
                _build(reader, generation, done)
    except Exception:  # noqa: BLE001, S110 - only a head start: `suggest` builds the table itself when needed
        pass
    finally:
        _release(generation, done)  # also when the generation was gone before the build began


def suggest(reader: IndexReader, text: str, generation: tuple[str, int]) -> str | None:
    """The query text with unknown words replaced by their closest known word, or None.

    `generation` identifies the reader's index version (see `snapshot`), for the cached table."""
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        original = match.group(1)
        word = fold(original)
        if word in STOP_WORDS or len(word) < MIN_CORRECTABLE_CHARS or (word.upper() == original and len(word) <= 5):
            return original
        if reader.doc_frequency(SPELLING_FIELD, word) > 0:
            return original
        max_distance = 2 if len(word) >= TWO_EDITS_FROM_CHARS else 1
        vocabulary = _vocabulary(reader, generation)
        replacement = vocabulary.closest(reader, word, max_distance) if vocabulary else None
        if replacement is None:
            return original
        changed = True
        return replacement

    corrected = _QUERY_WORD.sub(replace, text)
    return corrected if changed else None
