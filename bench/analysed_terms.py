"""Every document's analysed terms, as one digest per document: run under two trees and compare,
to show that a change to the analysis (its speed) leaves every token as it was.

    python -m bench.analysed_terms extract --corpus C --documents D.pickle [--files N] [--every K]
    python -m bench.analysed_terms digest --documents D.pickle --out T.json    # under each tree
    python -m bench.analysed_terms compare BEFORE.json AFTER.json

`extract` reads and tags the files once (what the analysis starts from), so both trees analyse the
same documents. `digest` analyses them one after the other in one process, as a worker does (so
caches carry over between documents), for both engines: the embedded index's records and the
cluster's token records. Run both with the same PYTHONHASHSEED: a record may hold a set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import sys
from pathlib import Path

ADDED = dt.datetime(2026, 1, 1)


def extract_documents(corpus: Path, out: Path, files: int | None, every: int) -> int:
    from indexer.corpus.layout import CorpusLayout, list_files
    from indexer.errors import ExtractionError
    from indexer.extract import extract
    from indexer.indexing.pipeline import build_document
    from indexer.models import Fingerprint
    from indexer.themes.taxonomy import load_taxonomy

    layout = CorpusLayout(corpus)
    taxonomy = load_taxonomy(layout.themes_dir)
    documents = []
    for relative, path in list(list_files(layout.documents_dir))[::every][:files]:
        try:
            documents.append(
                build_document(path, extract(path), relative, relative, Fingerprint(0, 0, "", ""), taxonomy)
            )
        except ExtractionError:
            continue  # a file the index refuses has no terms to compare
    out.write_bytes(pickle.dumps(documents))
    return len(documents)


def digests(documents_file: Path) -> dict[str, dict[str, object]]:
    """Per document: a digest of each engine's analysed records, and the embedded index's item count."""
    from indexer.backends.typesense.records import records
    from indexer.backends.whoosh.writable import prepare_document
    from indexer.indexing.workers import tune_garbage_collector

    tune_garbage_collector()  # as a worker runs
    out = {}
    for document in pickle.loads(documents_file.read_bytes()):  # noqa: S301 - written by `extract` above
        prepared = prepare_document(document, ADDED)
        analysed = prepared.records
        items = sum(len(value.items) for record in analysed for value in record.values() if hasattr(value, "items"))
        out[document.doc_id] = {
            "whoosh": hashlib.sha256(repr(analysed).encode()).hexdigest(),
            "typesense": hashlib.sha256(repr(records(document, ADDED)).encode()).hexdigest(),
            "items": items,
        }
    return out


def compare(before: dict, after: dict) -> list[str]:
    lines = [f"documents: {len(before)} before, {len(after)} after"]
    lines.append(f"analysed items (embedded index): {sum(entry['items'] for entry in before.values()):,}")
    differing = sorted(doc for doc in before.keys() | after.keys() if before.get(doc) != after.get(doc))
    lines.append(f"documents whose terms differ: {len(differing)}")
    lines += [f"  {doc}" for doc in differing[:20]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("extract", "digest", "compare"))
    parser.add_argument("files_to_compare", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--documents", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--files", type=int, help="extract: at most this many files")
    parser.add_argument("--every", type=int, default=1, help="extract: every K-th file (a sample)")
    args = parser.parse_args()
    if args.action == "extract":
        print(f"documents: {extract_documents(args.corpus, args.documents, args.files, args.every)}")
    elif args.action == "digest":
        args.out.write_text(json.dumps(digests(args.documents)))
    else:
        before, after = (json.loads(path.read_text()) for path in args.files_to_compare)
        print("\n".join(compare(before, after)))
        sys.exit(1 if before != after else 0)


if __name__ == "__main__":
    main()
