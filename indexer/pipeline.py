"""Walk the corpus, re-extract only what changed, report every failure, keep going.

An incremental run compares each file with what the index holds (by size and time first, then by
content hash) and touches only new, changed and removed documents. Exact duplicates are indexed
once. Writes go through one writer and are committed in batches of whole documents, so a run that
is killed leaves an index that opens and is consistent; the next run finishes the job.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh.index import Index

from indexer.corpus import CorpusLayout, content_hashes, list_files, slug_for, stat_key
from indexer.dossiers import broken_references, load_dossiers
from indexer.errors import ExtractionError, Problem, describe
from indexer.extract import is_supported
from indexer.metadata import read_sidecar, resolve
from indexer.models import Document, Duplicate, Extraction, FileProblem, Fingerprint, RunReport
from indexer.records import document_fields, manifest, page_fields
from indexer.store import IndexStore, writing
from indexer.tagging import tag
from indexer.taxonomy import Taxonomy, load_taxonomy
from indexer.workers import Limits, extract_all

FILE_CACHE = "filecache.json"
STATE_FILE = "state.json"
REPORT_FILE = "last-report.json"
# Commit after this many documents or seconds, whichever comes first: uploads waiting for the
# writer lock wait at most about this long, and a killed run loses at most one batch.
BATCH_DOCUMENTS = 250
BATCH_SECONDS = 20.0

Progress = Callable[[int, int, str], None]


@dataclass
class _Plan:
    to_extract: dict[str, tuple[Path, Fingerprint]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    removed: dict[str, str] = field(default_factory=dict)  # path -> id
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    remembered_failures: dict[str, list] = field(default_factory=dict)


def _fingerprint(path: Path, relative: str, cache: dict, new_cache: dict) -> Fingerprint:
    key = stat_key(path)
    cached = cache.get(relative)
    sha, sidecar_sha = (cached[1], cached[2]) if cached and cached[0] == key else content_hashes(path)
    new_cache[relative] = [key, sha, sidecar_sha]
    info = path.stat()
    return Fingerprint(info.st_size, info.st_mtime_ns, sha, sidecar_sha)


def _plan(
    layout: CorpusLayout, known: dict[str, dict], state: dict, cache: dict, new_cache: dict, retag_all: bool
) -> _Plan:
    plan = _Plan()
    seen_hashes: dict[str, str] = {}
    files = list(list_files(layout.documents_dir))
    present = {relative for relative, _ in files}
    # An already indexed file keeps its place as the original of its duplicates.
    ordered = sorted(files, key=lambda item: (item[0] not in known, item[0]))
    old_failures = state.get("failed", {})
    for relative, path in ordered:
        if not is_supported(path):
            plan.failed.append(FileProblem(relative, describe(Problem.UNSUPPORTED, path.suffix or "zonder extensie")))
            continue
        try:
            fingerprint = _fingerprint(path, relative, cache, new_cache)
        except OSError as exc:
            plan.failed.append(FileProblem(relative, describe(Problem.UNREADABLE, exc.strerror or "")))
            continue
        original = seen_hashes.setdefault(fingerprint.sha256, relative)
        if original != relative:
            plan.duplicates.append(Duplicate(relative, original))
            continue
        entry = known.get(relative)
        same = entry and entry["sha256"] == fingerprint.sha256 and entry["sidecar_sha256"] == fingerprint.sidecar_sha256
        remembered = old_failures.get(relative)
        if same and not retag_all:
            plan.unchanged.append(relative)
        elif remembered and remembered[0] == stat_key(path) and not retag_all:
            plan.failed.append(FileProblem(relative, remembered[1]))
            plan.remembered_failures[relative] = remembered
        else:
            plan.to_extract[relative] = (path, fingerprint)
    duplicate_paths = {duplicate.path for duplicate in plan.duplicates}
    for relative, entry in known.items():
        if relative not in present or relative in duplicate_paths:
            plan.removed[relative] = entry["id"]
    return plan


def _assign_ids(plan: _Plan, known: dict[str, dict]) -> dict[str, str]:
    """Stable ids: an indexed file keeps its id; a new one gets a readable slug not yet taken."""
    taken = {entry["id"] for path, entry in known.items() if path not in plan.removed}
    ids = {}
    for relative in plan.to_extract:
        if relative in known and relative not in plan.removed:
            ids[relative] = known[relative]["id"]
            continue
        base = slug_for(relative)
        candidate, counter = base, 1
        while candidate in taken:
            counter += 1
            candidate = f"{base}-{counter}"
        taken.add(candidate)
        ids[relative] = candidate
    return ids


def build_document(
    path: Path, extraction: Extraction, relative: str, doc_id: str, fingerprint: Fingerprint, taxonomy: Taxonomy
) -> Document:
    """Metadata resolution and tagging for one extracted file; raises ExtractionError for a bad sidecar."""
    metadata = resolve(path, extraction, read_sidecar(path))
    unknown = [slug for slug in metadata.themes if slug not in taxonomy.theme_slugs]
    unknown += [slug for slug in metadata.subthemes if slug not in taxonomy.subtheme_parents]
    if unknown:
        raise ExtractionError(
            path,
            Problem.BAD_SIDECAR,
            f"onbekend thema {', '.join(unknown)}; kies uit {', '.join(sorted(taxonomy.theme_slugs))}",
        )
    themes, subthemes = tag(metadata.title, metadata.summary, extraction.text, taxonomy)
    if not metadata.themes_from_sidecar:
        metadata = replace(metadata, themes=tuple(m.slug for m in themes), subthemes=tuple(m.slug for m in subthemes))
    return Document(doc_id, relative, fingerprint, metadata, extraction.pages, themes, subthemes)


def _write(
    index: Index,
    plan: _Plan,
    ids: dict[str, str],
    known: dict[str, dict],
    taxonomy: Taxonomy,
    limits: Limits,
    workers: int | None,
    progress: Progress | None,
    bulk: bool,
) -> tuple[list[str], list[FileProblem]]:
    """Remove gone documents, extract and add changed ones, committing in batches.

    `bulk`: a new generation that nobody searches yet; its batches are not merged as they are
    committed (re-merging earlier batches at every commit was a sixth of a full build), the caller
    merges everything once at the end.
    """
    indexed: list[str] = []
    failed: list[FileProblem] = []
    if not plan.to_extract and not plan.removed:
        return indexed, failed
    paths = {path: relative for relative, (path, _) in plan.to_extract.items()}
    outcomes = iter(extract_all(list(paths), limits, workers))
    pending_removals = list(plan.removed.values())
    now = dt.datetime.now().replace(microsecond=0)
    exhausted = False
    while not exhausted:
        with writing(index, merge=not bulk) as writer:
            for doc_id in pending_removals:
                writer.delete_by_term("parent", doc_id)
            pending_removals = []
            batch_started, batch_size = time.monotonic(), 0
            for outcome in outcomes:
                relative = paths[outcome.path]
                writer.delete_by_term("parent", ids[relative])
                if progress:
                    progress(len(indexed) + len(failed) + 1, len(paths), relative)
                if outcome.extraction is None:
                    failed.append(FileProblem(relative, outcome.reason))
                    continue
                try:
                    document = build_document(
                        outcome.path,
                        outcome.extraction,
                        relative,
                        ids[relative],
                        plan.to_extract[relative][1],
                        taxonomy,
                    )
                except ExtractionError as exc:
                    failed.append(FileProblem(relative, str(exc)))
                    continue
                writer.add_document(**document_fields(document, known.get(relative, {}).get("added") or now))
                for page in page_fields(document):
                    writer.add_document(**page)
                indexed.append(relative)
                batch_size += 1
                if batch_size >= BATCH_DOCUMENTS or time.monotonic() - batch_started >= BATCH_SECONDS:
                    break
            else:
                exhausted = True
    return indexed, failed


def run_index(
    corpus: Path,
    index_root: Path,
    rebuild: bool = False,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    wait_s: float = 0.0,
) -> RunReport:
    """Bring the index in line with the corpus; returns what happened to every file.

    `wait_s`: how long to wait for another run (an upload by a colleague) instead of failing.
    """
    layout = CorpusLayout(Path(corpus))
    taxonomy = load_taxonomy(layout.themes_dir)
    store = IndexStore(Path(index_root))
    with store.run_lock(wait_s):
        full = rebuild or not store.is_current()
        state = {} if full else store.read_json(STATE_FILE)
        if full:
            generation, index = store.new_generation()
            known: dict[str, dict] = {}
        else:
            index = store.open()
            with index.searcher() as searcher:
                known = manifest(searcher)
        cache, new_cache = store.read_json(FILE_CACHE), {}
        plan = _plan(layout, known, state, cache, new_cache, state.get("taxonomy") != taxonomy.fingerprint)
        ids = _assign_ids(plan, known)
        indexed, failed = _write(index, plan, ids, known, taxonomy, limits or Limits(), workers, progress, bulk=full)
        if full:
            # One segment after a bulk load: every searcher opened later reads one set of files
            # instead of one per batch (opening them was a fifth of a search request at 10,000 documents).
            with writing(index, optimize=True):
                pass  # nothing to add: the commit merges every segment into one
            store.activate(generation)
        failures = {problem.path: [stat_key(plan.to_extract[problem.path][0]), problem.reason] for problem in failed}
        failures.update(plan.remembered_failures)
        store.write_json(STATE_FILE, {"taxonomy": taxonomy.fingerprint, "failed": failures})
        store.write_json(FILE_CACHE, new_cache)
        with index.searcher() as searcher:
            known_ids = {fields["id"] for fields in manifest(searcher).values()}
        report = RunReport(
            indexed=tuple(indexed),
            unchanged=tuple(plan.unchanged),
            removed=tuple(plan.removed),
            duplicates=tuple(plan.duplicates),
            failed=tuple(sorted(plan.failed + failed, key=lambda problem: problem.path)),
            warnings=tuple(dossier_warnings(layout, known_ids)),
            rebuilt=full,
        )
        store.write_json(REPORT_FILE, report_as_dict(report))
        return report


def dossier_warnings(layout: CorpusLayout, known_ids: set[str]) -> list[FileProblem]:
    """Reading-list entries of the corpus's own dossiers that point at documents the index lacks."""
    if not layout.dossiers_dir.is_relative_to(layout.root):
        return []  # a folder without dossiers borrows the bundled ones; their lists are not its business
    dossiers = load_dossiers(layout.dossiers_dir)
    return [
        FileProblem(dossiers[broken.dossier].path.name, broken.message)
        for broken in broken_references(dossiers, known_ids)
    ]


def report_as_dict(report: RunReport) -> dict:
    return {
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "rebuilt": report.rebuilt,
        "indexed": list(report.indexed),
        "unchanged": len(report.unchanged),
        "removed": list(report.removed),
        "duplicates": [{"path": d.path, "original": d.original} for d in report.duplicates],
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
        "warnings": [{"path": w.path, "reason": w.reason} for w in report.warnings],
    }
