"""Dutch compounds split by how frequent their parts are: in Dutch (wordfreq) and in the document.

Dutch writes compounds as one word ("mensenhandelmonitor", "jeugdbescherming"); no stemmer splits
them, so a search for "mensenhandel" would miss them. A word is split where both parts are frequent
Dutch words and more frequent, taken together (geometric mean of their Zipf frequencies), than the
whole word, allowing the linking letters s and en (beleid-s-kader); a first part may be a verb stem
(meld-punt, from "melden"), a last part a plural (kloon-modems). A part may itself be a compound
("jeugdbeschermings|tafel"), so long compounds split recursively. Domain words that no general list knows ("femicide" in
"femicidecijfers") count as parts in a document that also uses them on their own. Nothing here is
a list of any corpus: a new corpus gets its compounds split without a manual step.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache

from wordfreq import get_frequency_dict

from indexer.analysis.wordforms import STOP_WORDS, fold

LANGUAGE = "nl"
WORDLIST = "large"  # wordfreq's longest list: it reaches far below Zipf 3
# Only words this long are worth splitting, and no part may be shorter. Longer "words" than the
# maximum are not language (a run of characters from a broken PDF) and would make splitting slow.
MIN_COMPOUND_CHARS = 8
MAX_COMPOUND_CHARS = 40
MIN_PART_CHARS = 3
# A part must be at least this frequent (Zipf: 3.0 is about once per million words).
MIN_PART_ZIPF = 3.0
# A part that is itself split counts this much rarer than its parts' mean: else chains of short
# frequent words win over a real word ("jonge|ren|werker" over "jongeren|werker").
NESTED_PENALTY_ZIPF = 1.0
# Letters Dutch puts between the parts of a compound. A linking "e" survives in a handful of words
# only since the 1995 spelling; allowing it split "zorgt|e|kort" out of "jeugdzorgtekort".
LINKING_LETTERS = ("", "s", "en")
# A first part may be a verb stem: "meld" counts as often as "melden"; shorter stems than this are
# mostly chance ("del" of "delen" in "han|del").
VERB_ENDING = "en"
PLURAL_ENDINGS = ("s", "en")
MIN_VERB_STEM_CHARS = 4
# Frequent words that are also prefixes or suffixes: "ver|binding" and "aanzien|lijk" are no compounds.
# Stop words ("onder|zoek", "voor|stel") and other function words ("gemeen|ten") are never parts either.
_AFFIXES = ["ver", "ont", "her", "mee", "toe", "samen", "terug", "lijk", "baar", "loos", "ling", "schap", "achtig"]
NOT_A_PART = STOP_WORDS | frozenset([*_AFFIXES, "ing", "ten", "ter", "den", "des", "per", "via"])
# A word the document uses on its own on this many lines is a part of its compounds, as if just
# frequent enough in Dutch; shorter words than this are too often debris of a broken PDF.
MIN_DOCUMENT_LINES = 2
MIN_DOCUMENT_PART_CHARS = 4

# A word's splits kept per process, each for the documents that know the same of its parts: a word
# that splits differently in more documents than this is split anew in the others. A split kept
# takes about 1 KB (the words it asked about), so at most KEPT_SPLIT_WORDS words keep theirs.
MAX_SPLITS_PER_WORD = 8
KEPT_SPLIT_WORDS = 50_000

Spans = tuple[tuple[int, int], ...]  # the smallest parts of a word as (start, end)
Reading = tuple[float, Spans]  # a score (Zipf, or geometric mean of the parts' Zipf) and the parts
SplitLookup = Callable[[str], Spans | None]  # a word's general split made before, or None when not known


@dataclass
class _Document:
    """The words of the document being analysed, and the parts found with them so far."""

    words: frozenset[str]
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)


_document: ContextVar[_Document | None] = ContextVar("document", default=None)


@dataclass
class _SplitsMadeBefore:
    """Where `general_spans` looks a word up before splitting it: the indexer has split every word of
    an index already and stores the splits with the index (`whoosh.word_table`), so a server process
    need not split the words of the pages it shows again (half a millisecond a word)."""

    lookup: SplitLookup | None = None


_made_before = _SplitsMadeBefore()


def use_splits_made_before(lookup: SplitLookup) -> None:
    """Look words up with `lookup` before splitting them. Any table made with this module and the
    same wordfreq will do, whichever index it came from: a general split depends on the word alone."""
    _made_before.lookup = lookup


@cache
def _zipf() -> dict[str, float]:
    """Folded Dutch words at or above MIN_PART_ZIPF with their Zipf frequency. Rarer words count as 0:
    a split of two frequent parts beats them anyway, so nothing is lost by leaving them out."""
    table: dict[str, float] = {}
    for word, frequency in get_frequency_dict(LANGUAGE, WORDLIST).items():
        zipf = math.log10(frequency * 1e9)
        if zipf < MIN_PART_ZIPF:
            continue
        folded = fold(word)
        if folded.isalpha() and folded not in NOT_A_PART:
            table[folded] = max(zipf, table.get(folded, 0.0))
    return table


def _head_zipf(head: str) -> float:
    verb = len(head) >= MIN_VERB_STEM_CHARS and head not in NOT_A_PART
    return max(_zipf().get(head, 0.0), _zipf().get(head + VERB_ENDING, 0.0) if verb else 0.0)


def _tail_zipf(tail: str) -> float:
    """A last part may be a plural rarer than its singular ("kloon|modems")."""
    singulars = [
        tail[: -len(end)] for end in PLURAL_ENDINGS if tail.endswith(end) and len(tail) - len(end) >= MIN_PART_CHARS
    ]
    return max([_zipf().get(tail, 0.0), *(_zipf().get(singular, 0.0) for singular in singulars)])


@lru_cache(maxsize=200_000)
def _best(word: str, head: bool = False, part: bool = True) -> Reading:
    """The best reading of a word: whole (its own frequency) or split in two, each side read the same way.
    A `part` of a bigger word splits only when that beats the whole by NESTED_PENALTY_ZIPF."""
    score = _head_zipf(word) if head else _tail_zipf(word) if part else _zipf().get(word, 0.0)
    whole = (score, ((0, len(word)),))
    if len(word) < MIN_COMPOUND_CHARS or not _has_head(word):
        return whole
    return _split_two(word, whole, _best, NESTED_PENALTY_ZIPF if part else 0.0)


@cache
def _heads() -> frozenset[str]:
    """Every word that `_head_zipf` finds frequent enough for a part: the table holds no rarer word."""
    table = _zipf()
    verb_stems = (
        word[: -len(VERB_ENDING)]
        for word in table
        if word.endswith(VERB_ENDING) and len(word) - len(VERB_ENDING) >= MIN_VERB_STEM_CHARS
    )
    return frozenset(table).union(stem for stem in verb_stems if stem not in NOT_A_PART)


def build_frequency_tables() -> None:
    """Make the tables that splitting reads now, not at the first word that needs them
    (`analyzers.build_word_list_tables`)."""
    _heads()  # made from `_zipf`, which it builds first


def _has_head(word: str) -> bool:
    """Whether the word begins with a frequent head, as the first part of every split does. Most
    stretches of a long compound that `_split_two` reads begin within a word ("iecriminaliteits" of
    "politiecriminaliteitszaak"): without a head they cannot split, and are not tried."""
    heads = _heads()
    return any(word[:end] in heads for end in range(MIN_PART_CHARS, len(word) - MIN_PART_CHARS + 1))


def _split_two(word: str, whole: Reading, read: Callable[..., Reading], penalty: float) -> Reading:
    """The best of `whole` and every split in two whose sides `read` (part, head) finds frequent."""
    best = whole
    for cut in range(MIN_PART_CHARS, len(word) - MIN_PART_CHARS + 1):
        tail_score, tail = read(word[cut:], False)  # positional: one cache key per part and side
        if tail_score < MIN_PART_ZIPF:
            continue
        for linker in LINKING_LETTERS:
            end = cut - len(linker)
            if word[end:cut] != linker or end < MIN_PART_CHARS:
                continue
            head_score, front = read(word[:end], True)
            score = math.sqrt(max(head_score, 0.0) * tail_score) - penalty
            if head_score >= MIN_PART_ZIPF and score > best[0]:
                best = (score, (*front, *((start + cut, stop + cut) for start, stop in tail)))
    return best


def _known_best(word: str, known: Callable[[str], bool]) -> Spans:
    """A split in two where a part rare in Dutch is `known` (a word of the document or the index)."""

    def read(part: str, head: bool = False) -> Reading:
        score, spans = _best(part, head)
        if score >= MIN_PART_ZIPF or len(part) < MIN_DOCUMENT_PART_CHARS or part in NOT_A_PART:
            return score, spans
        verb = head and len(part) >= MIN_VERB_STEM_CHARS and known(part + VERB_ENDING)
        return (MIN_PART_ZIPF, ((0, len(part)),)) if known(part) or verb else (score, spans)

    return _split_two(word, (_zipf().get(word, 0.0), ((0, len(word)),)), read, 0.0)[1]


def _spans(word: str, known: Callable[[str], bool] | None = None) -> Spans:
    """The smallest parts of a compound, by Dutch frequencies and then by the `known` words."""
    if not is_splittable(word):
        return ()
    spans = _best(word, part=False)[1]
    if len(spans) == 1 and known and _zipf().get(word, 0.0) < MIN_PART_ZIPF:
        spans = _known_best(word, known)
    return spans if len(spans) > 1 else ()


def split_compound(word: str, known: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The fewest frequent words a folded compound is made of ("mensenhandelmonitor" -> mensenhandel,
    monitor), or (): what a query looks for when the compound is written apart. `known`: whether
    the index has a word, for parts that are rare in Dutch ("femicide|cijfers")."""
    spans = general_spans(word) or (_spans(word, known) if known else ())
    # fewest[i]: the fewest runs of spans[:i] that are frequent words (or single spans).
    fewest: list[tuple[str, ...]] = [()]
    for i in range(1, len(spans) + 1):
        options = [
            (*fewest[j], word[spans[j][0] : spans[i - 1][1]])
            for j in range(i)
            if j == i - 1
            or ((j, i) != (0, len(spans)) and _zipf().get(word[spans[j][0] : spans[i - 1][1]], 0.0) >= MIN_PART_ZIPF)
        ]
        fewest.append(min(options, key=len))
    return fewest[-1] if len(fewest[-1]) > 1 else tuple(word[start:stop] for start, stop in spans)


def compound_parts(word: str) -> tuple[str, ...]:
    """Every run of adjacent parts short of the whole word ("mensenhandelmonitor" -> mensen,
    mensenhandel, handel, handelmonitor, monitor): what the index adds beside the whole word, so
    "mensenhandel" finds it whichever way the word splits first."""
    if len(word) < MIN_COMPOUND_CHARS:  # most words: nothing to look up
        return ()
    document = _document.get()
    if document is None or general_spans(word):
        return _general_parts(word)
    found = document.parts.get(word)
    if found is None:
        found = document.parts[word] = _document_parts(word, document.words)
    return found


@dataclass(frozen=True)
class _KnownSplit:
    """How a word split in a document: which words the split asked about, known or not, and the parts."""

    known: tuple[str, ...]
    unknown: tuple[str, ...]
    parts: tuple[str, ...]


@lru_cache(maxsize=KEPT_SPLIT_WORDS)
def _known_splits(word: str) -> list[_KnownSplit]:
    """The splits of a word seen so far in this process (`_document_parts` adds to the list)."""
    return []


def _document_parts(word: str, words: frozenset[str]) -> tuple[str, ...]:
    """The parts of a word in a document that knows `words`, split once per process for most words.

    A split asks `known` about a few words, each question chosen by the answers before it; nothing
    else of the document counts. So a document that answers a past split's questions alike gets the
    same parts: most documents know none of them, and all such documents share one split."""
    splits = _known_splits(word)
    for split in splits:
        if words.issuperset(split.known) and words.isdisjoint(split.unknown):
            return split.parts
    asked: dict[str, bool] = {}

    def known(question: str) -> bool:
        answer = asked[question] = question in words
        return answer

    parts = _runs(word, _spans(word, known))
    if len(splits) < MAX_SPLITS_PER_WORD:
        splits.append(
            _KnownSplit(
                tuple(question for question, answer in asked.items() if answer),
                tuple(question for question, answer in asked.items() if not answer),
                parts,
            )
        )
    return parts


def is_splittable(word: str) -> bool:
    """Whether a folded word may be a compound at all (long enough, not too long, only letters)."""
    return MIN_COMPOUND_CHARS <= len(word) <= MAX_COMPOUND_CHARS and word.isalpha()


@lru_cache(maxsize=100_000)
def general_spans(word: str) -> Spans:
    """The smallest parts of a word by Dutch frequencies alone, the same in every document (an
    index's word table keeps them: `use_splits_made_before`)."""
    lookup = _made_before.lookup
    made_before = lookup(word) if lookup is not None and is_splittable(word) else None
    return _spans(word) if made_before is None else made_before


@lru_cache(maxsize=100_000)
def _general_parts(word: str) -> tuple[str, ...]:
    return _runs(word, general_spans(word))


def _runs(word: str, spans: Spans) -> tuple[str, ...]:
    runs = [word[spans[i][0] : spans[j][1]] for i in range(len(spans)) for j in range(i, len(spans))]
    return tuple(dict.fromkeys(run for run in runs if run != word))


@contextmanager
def document_vocabulary(lines: Iterable[list[str]]) -> Iterator[None]:
    """Within this block, the words that the given lines (one document's, as base words) use on
    MIN_DOCUMENT_LINES lines or more are parts of compounds too."""
    counts = Counter(word for line in lines for word in set(line))
    known = frozenset(
        word
        for word, count in counts.items()
        if count >= MIN_DOCUMENT_LINES
        and len(word) >= MIN_DOCUMENT_PART_CHARS
        and word.isalpha()
        and word not in NOT_A_PART
    )
    token = _document.set(_Document(known) if known else None)
    try:
        yield
    finally:
        _document.reset(token)
