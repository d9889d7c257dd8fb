"""Where an index's bytes go, per field: what to cut first when the index must shrink (issue 22).

For every field of the active generation it prints the number of terms, the bytes of its term
dictionary records (term, term info and any postings Whoosh inlines there) and of its posting lists,
its column files (field lengths, sort columns), and an estimate of its share of the stored fields
(each field's value pickled on its own, over a sample of records, scaled to all records).

    python -m bench.index_size --index /tmp/kb/bench/n10000/index-20
"""

from __future__ import annotations

import argparse
import pickle
import random
import struct
from collections import defaultdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.stored_fields import STORED
from indexer.backends.whoosh.term_dictionary import term_records

_RECORD_LENGTHS = struct.Struct("!ii")
# W3TermInfo: inlined flag, weight, documents, two lengths, maximum weight, first and last record;
# then either the postings inline (pickled) or their offset and length in the postings file.
_TERM_INFO = struct.Struct("!BfIBBfII")
_POSTINGS_PLACE = struct.Struct("!qi")
STORED_SAMPLE = 2_000
MB = 1024 * 1024


def _field_sizes(segment: IndexReader, field: str) -> tuple[int, int, int]:
    """(terms, term dictionary bytes, posting list bytes) of one field in one segment."""
    data = term_records(segment, field, b"")
    terms = postings = position = 0
    while position < len(data):
        key_length, value_length = _RECORD_LENGTHS.unpack_from(data, position)
        value = position + _RECORD_LENGTHS.size + key_length
        terms += 1
        if not data[value]:  # not inlined: the postings live in the postings file
            postings += _POSTINGS_PLACE.unpack_from(data, value + _TERM_INFO.size)[1]
        position = value + value_length
    return terms, len(data), postings


def _stored_shares(reader: IndexReader, sample: int) -> dict[str, float]:
    """field -> estimated bytes of its stored values over all records."""
    total = reader.doc_count_all()
    chosen = random.Random(0).sample(range(total), min(sample, total))
    sizes: dict[str, int] = defaultdict(int)
    for docnum in chosen:
        for field, value in reader.stored_fields(docnum).items():
            sizes[field] += len(pickle.dumps(value, 2))
    return {field: size * total / max(1, len(chosen)) for field, size in sizes.items()}


def report(index_root: Path) -> str:
    directory = IndexStore(index_root).current_dir()
    index = whoosh_index.open_dir(directory)
    fields: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with index.reader() as reader:
        for segment, _ in reader.leaf_readers():
            for field in index.schema.names():
                for position, size in enumerate(_field_sizes(segment, field)):
                    fields[field][position] += size
        stored = _stored_shares(reader, STORED_SAMPLE)
    columns: dict[str, int] = defaultdict(int)
    for path in directory.glob("*.col"):
        name = path.name.split(".", 1)[1].removesuffix(".col")
        columns[name.removeprefix("_").removesuffix("_len") if name != STORED else "(stored)"] += path.stat().st_size
    on_disk = sum(path.stat().st_size for path in directory.iterdir())
    rows = [
        "| field | terms | term dictionary MB | postings MB | columns MB | stored MB (est.) | total MB |",
        "|---|---|---|---|---|---|---|",
    ]
    names = sorted(set(fields) | set(stored) | (set(columns) - {"(stored)"}))
    totals = {
        name: (fields[name][1] + fields[name][2] + columns.get(name, 0) + stored.get(name, 0.0)) for name in names
    }
    for name in sorted(names, key=lambda name: -totals[name]):
        terms, dictionary, postings = fields[name]
        rows.append(
            f"| {name} | {terms:,} | {dictionary / MB:.1f} | {postings / MB:.1f} | {columns.get(name, 0) / MB:.1f} "
            f"| {stored.get(name, 0.0) / MB:.1f} | {totals[name] / MB:.1f} |"
        )
    rows.append(
        f"\nOn disk: {on_disk / MB:.1f} MB in {directory} (stored fields file: {columns['(stored)'] / MB:.1f} MB)."
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    print(report(parser.parse_args().index))


if __name__ == "__main__":
    main()
