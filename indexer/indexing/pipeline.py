"""Walk the corpus, re-extract only what changed, report every failure, keep going.

An incremental run compares each file with what the index holds (by size and time first, then by
content hash) and touches only new, changed and removed documents. Exact duplicates are indexed
once. A changed taxonomy or tagger re-tags the indexed documents from their stored text
(`retagging`), without reading their files again; a version that reads files differently
(`READING_REVISION`) reads every file again. Extraction, tagging and text analysis run in
worker processes (one per core); this process writes. Writes go through one writer and are
committed in batches of whole documents, so a run that is killed leaves an index that opens and is
consistent; the next run finishes the job. A rebuild goes into a new generation in one commit,
written by a writer process per core, and replaces the old one only when complete.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from indexer.corpus.layout import CorpusLayout, stat_key
from indexer.corpus.metadata import read_sidecar, resolve
from indexer.dossiers.texts import broken_references, load_dossiers
from indexer.engine.backend_choice import REPORT_FILE, EngineConfig, open_backend
from indexer.engine.index_backend import IndexBackend, IndexContents, IndexedFile, Prepare, WritableIndex
from indexer.errors import ExtractionError, Problem
from indexer.indexing.planning import (
    FAILURES,
    Plan,
    assign_ids,
    check_corpus,
    check_removals,
    plan_everything,
    plan_files,
)
from indexer.indexing.workers import Limits, default_workers, extract_all
from indexer.models import Document, Extraction, FileProblem, Fingerprint, RunReport, ThemeChange, TitleChange
from indexer.themes.retagging import Retagging, retag_index, tag_metadata
from indexer.themes.tagging import tagging_version
from indexer.themes.taxonomy import Taxonomy, load_taxonomy

FILE_CACHE = "filecache.json"
# What OCR read, per file content (see indexer.extract.ocr): a rebuild never reads a scan twice.
OCR_CACHE_DIR = "ocr-cache"
STATE_FILE = "state.json"
# How this version reads a file into a document (`build_document`: the text by `indexer.extract`,
# the title, kind, date and summary by `indexer.corpus`). Raise it with a change there that gives an
# indexed file other text or metadata: the next run reads every file again, instead of keeping what
# an older version made of it until the file changes, and lists the titles and themes that changed.
# 1: a regulation titled by its short title, a report by its colophon's reference (issue 18).
# 2: a cover's short title with the subtitles under it.
# 3: a Markdown heading without its space loses its hashes in the text; kinds from a post's front matter
#    and from whole title words, and regulations as a kind.
READING_REVISION = 3
READING = "reading"  # where the run state keeps the revision the index was read with
# Where a run's report keeps the last run that re-tagged or re-read documents, with the documents
# whose themes or titles that changed: until a run does either again, so that an upload or a run that
# changed nothing does not take from staff the list of documents they were asked to check.
CHANGES = "changes"
_CHANGE_KEYS = ("retagged", "reread", "theme_changes", "title_changes", "kept")
# Commit after this many documents or seconds, whichever comes first: uploads waiting for the
# writer lock wait at most about this long, and a killed run loses at most one batch.
BATCH_DOCUMENTS = 250
BATCH_SECONDS = 20.0

Progress = Callable[[int, int, str], None]


def with_ocr_cache(limits: Limits, index_root: Path) -> Limits:
    """`limits` with OCR results kept beside the index, so whatever reads a file (a run, an upload
    preview) reuses what OCR read of the same content before."""
    return replace(limits, ocr=replace(limits.ocr, cache_dir=Path(index_root) / OCR_CACHE_DIR))


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
    metadata, themes, subthemes = tag_metadata(metadata, extraction.text, taxonomy)
    return Document(doc_id, relative, fingerprint, metadata, extraction.pages, themes, subthemes)


@dataclass(frozen=True)
class IndexJob:
    """What a worker process needs to turn one file into index records."""

    path: Path
    relative: str
    doc_id: str
    fingerprint: Fingerprint
    added: dt.datetime
    themes_dir: Path
    taxonomy_fingerprint: str
    prepare: Prepare  # the engine's (`IndexBackend.prepare`)


@lru_cache(maxsize=2)
def _worker_taxonomy(themes_dir: Path, fingerprint: str) -> Taxonomy:
    """Loaded once per worker process and theme version (`fingerprint` is part of the cache key)."""
    return load_taxonomy(themes_dir)


def prepare_records(job: IndexJob, extraction: Extraction) -> object:
    """In a worker: metadata, tags and the engine's records of the document, analysed."""
    taxonomy = _worker_taxonomy(job.themes_dir, job.taxonomy_fingerprint)
    document = build_document(job.path, extraction, job.relative, job.doc_id, job.fingerprint, taxonomy)
    return job.prepare(document, job.added)


def _jobs(plan: Plan, ids: dict[str, str], taxonomy: Taxonomy, themes_dir: Path, prepare: Prepare) -> list[IndexJob]:
    now = dt.datetime.now().replace(microsecond=0)
    return [
        IndexJob(
            path,
            relative,
            ids[relative],
            fingerprint,
            (known.added if (known := plan.known.get(relative)) else None) or now,
            themes_dir,
            taxonomy.fingerprint,
            prepare,
        )
        for relative, (path, fingerprint) in plan.to_extract.items()
    ]


def _write(
    index: WritableIndex,
    plan: Plan,
    jobs: list[IndexJob],
    limits: Limits,
    workers: int | None,
    progress: Progress | None,
    bulk: bool,
    notices: list[FileProblem],
) -> tuple[list[str], list[FileProblem], list[FileProblem]]:
    """Remove gone documents, extract and add changed ones (`jobs`), committing in batches; returns
    what was indexed, what failed, and the unchanged files that could not be read again (`Plan.reread`),
    whose documents stay as they were: the file did not change, so what was read from it still holds.

    `bulk`: a new generation that nobody searches yet and that a killed run abandons anyway, so it
    is written in one commit, by a writer process per core, one segment each and nothing merged
    (merging batches was a third of a build). The extractors' remarks go to `notices`.
    """
    indexed: list[str] = []
    failed: list[FileProblem] = []
    kept: list[FileProblem] = []
    if not jobs and not plan.removed:
        return indexed, failed, kept
    by_path = {job.path: job for job in jobs}
    outcomes = iter(extract_all(jobs, limits, workers, prepare=prepare_records))
    pending_removals = list(plan.removed.values())
    batch_documents, batch_seconds = (math.inf, math.inf) if bulk else (BATCH_DOCUMENTS, BATCH_SECONDS)
    writers = (workers or default_workers()) if bulk else 1
    exhausted = False
    while not exhausted:
        with index.writing(processes=writers) as writer:
            for doc_id in pending_removals:
                writer.remove(doc_id)
            pending_removals = []
            batch_started, batch_size = time.monotonic(), 0
            for outcome in outcomes:
                job = by_path[outcome.path]
                relative = job.relative
                if progress:
                    progress(len(indexed) + len(failed) + len(kept) + 1, len(jobs), relative)
                notices.extend(FileProblem(relative, notice) for notice in outcome.notices)
                if outcome.issue is not None and relative in plan.reread:
                    kept.append(FileProblem(relative, outcome.issue))
                    continue
                writer.remove(job.doc_id)
                if outcome.issue is not None:
                    failed.append(FileProblem(relative, outcome.issue))
                    continue
                writer.add_prepared(outcome.prepared)
                indexed.append(relative)
                batch_size += 1
                if batch_size >= batch_documents or time.monotonic() - batch_started >= batch_seconds:
                    break
            else:
                exhausted = True
    return indexed, failed, kept


def run_index(
    corpus: Path,
    index_root: Path,
    rebuild: bool = False,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    wait_s: float = 0.0,
    paths: Iterable[str] | None = None,
    allow_removals: bool = False,
    engine: EngineConfig | None = None,
) -> RunReport:
    """Bring the index in line with the corpus; returns what happened to every file.

    `wait_s`: how long to wait for another run (an upload by a colleague) instead of failing.
    `paths`: only these files (relative to the documents folder) were added, changed or removed,
    by a staff action; the rest of the corpus is not looked at (unless the index must be rebuilt).
    `allow_removals`: go on when the run would remove most of the indexed documents
    (`planning.check_removals`); files named in `paths` may always go.
    `engine`: where the index is kept (`backends.config`; the embedded engine in `index_root` when None).
    """
    layout = CorpusLayout(Path(corpus))
    if paths is None:
        check_corpus(layout)
    taxonomy = load_taxonomy(layout.themes_dir)
    store = open_backend(Path(index_root), engine)
    with store.run_lock(wait_s):
        store.discard_abandoned()
        full = rebuild or not store.is_current()
        state = {} if full else store.read_json(STATE_FILE)
        # Changed tagging rules or themes: documents are tagged again from their stored text, and
        # files refused for an unknown theme are tried again.
        retag = state.get("tagging") != tagging_version(taxonomy)
        wanted = None if paths is None else frozenset(paths)
        targeted = wanted is not None and not full
        # Files indexed by a version that read them differently are read again; a staff action's
        # run, which looks at one file, leaves that to the next full look.
        read_again = not full and not targeted and state.get(READING) != READING_REVISION
        cache, new_cache = store.read_json(FILE_CACHE), {}
        if full:  # into a new, empty generation: every file is new, nothing is known
            plan = plan_everything(layout, {}, state, cache, new_cache, retag)
            ids = assign_ids(plan, lambda doc_id: False)
            live = _live_paths(store)
        else:
            index = store.live()
            with index.contents() as contents:
                if targeted:
                    plan = plan_files(layout, contents, wanted, state, cache, new_cache)
                else:
                    plan = plan_everything(layout, contents.manifest(), state, cache, new_cache, retag, read_again)
                ids = assign_ids(plan, lambda doc_id: targeted and contents.has_document(doc_id))
            live = plan.known
        if not allow_removals:
            check_removals(live, plan, wanted or (), layout.documents_dir)
        if full:  # only now: a refused run leaves no generation behind
            index = store.new_index()
        limits = with_ocr_cache(limits or Limits(), store.root)
        notices: list[FileProblem] = []
        jobs = _jobs(plan, ids, taxonomy, layout.themes_dir, store.prepare)
        indexed, failed, kept = _write(index, plan, jobs, limits, workers, progress, bulk=full, notices=notices)
        if full:
            store.activate(index)
        # What was read now was tagged anew; a document kept from an earlier reading is tagged again.
        retagging = retag_index(index, taxonomy, skip=set(indexed)) if retag and not full else Retagging(0, ())
        # Failed files are remembered until they change; a targeted run keeps what it did not look at.
        remembered = state.get(FAILURES, {})
        failures = {path: entry for path, entry in remembered.items() if path not in wanted} if targeted else {}
        for problem in failed:
            failures[problem.path] = [stat_key(plan.to_extract[problem.path][0]), problem.issue.as_dict()]
        failures.update(plan.remembered_failures)
        reading = state.get(READING) if targeted else READING_REVISION
        store.write_json(STATE_FILE, {"tagging": tagging_version(taxonomy), READING: reading, FAILURES: failures})
        store.write_json(FILE_CACHE, new_cache)
        with index.contents() as contents:
            warnings = dossier_warnings(layout, contents)
            reread = [path for path in indexed if path in plan.reread]
            read_changes = _reading_changes(plan.known, contents.manifest(), reread) if reread else ((), ())
        report = RunReport(
            indexed=tuple(indexed),
            unchanged=tuple(plan.unchanged),
            removed=tuple(plan.removed),
            duplicates=tuple(plan.duplicates),
            failed=tuple(sorted(plan.failed + failed, key=lambda problem: problem.path)),
            warnings=tuple(notices + warnings),
            rebuilt=full,
            retagged=retagging.retagged,
            reread=len(reread),
            kept=tuple(kept),
            theme_changes=retagging.changed + read_changes[1],
            title_changes=read_changes[0],
        )
        store.write_json(REPORT_FILE, report_as_dict(report, store.read_json(REPORT_FILE)))
        return report


def _reading_changes(
    before: dict[str, IndexedFile], after: dict[str, IndexedFile], reread: Iterable[str]
) -> tuple[tuple[TitleChange, ...], tuple[ThemeChange, ...]]:
    """The titles and themes that reading the files at the paths `reread` again changed."""
    titles: list[TitleChange] = []
    themes: list[ThemeChange] = []
    for path in sorted(reread):
        old, new = before[path], after.get(path)
        if new is None:
            continue
        if new.title != old.title:
            titles.append(TitleChange(path, new.doc_id, old.title, new.title))
        if new.tags != old.tags:
            themes.append(ThemeChange(path, new.doc_id, new.title, old.tags, new.tags))
    return tuple(titles), tuple(themes)


def _live_paths(store: IndexBackend) -> Collection[str]:
    """The documents the active index serves (none when it is missing or stale: nobody sees those)."""
    if not store.is_current():
        return ()
    with store.live().contents() as contents:
        return contents.manifest().keys()


def dossier_warnings(layout: CorpusLayout, contents: IndexContents) -> list[FileProblem]:
    """Reading-list entries of the corpus's own dossiers that point at documents the index lacks."""
    if not layout.dossiers_dir.is_relative_to(layout.root):
        return []  # a folder without dossiers borrows the bundled ones; their lists are not its business
    dossiers = load_dossiers(layout.dossiers_dir)
    referenced = {item.doc_id for dossier in dossiers.values() for item in dossier.reading_list}
    known_ids = {doc_id for doc_id in referenced if contents.has_document(doc_id)}
    return [
        FileProblem(dossiers[broken.dossier].path.name, broken.issue)
        for broken in broken_references(dossiers, known_ids)
    ]


def report_as_dict(report: RunReport, earlier: dict) -> dict:
    """The run's report as the status and the staff overview read it; `earlier` is the report of the
    run before, whose re-tagging or re-reading (`CHANGES`) is kept until a run does either again."""
    record = {
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "rebuilt": report.rebuilt,
        "retagged": report.retagged,
        "reread": report.reread,
        "theme_changes": [asdict(change) for change in report.theme_changes],
        "title_changes": [asdict(change) for change in report.title_changes],
        "kept": _problems(report.kept),
        "indexed": list(report.indexed),
        "unchanged": len(report.unchanged),
        "removed": list(report.removed),
        "duplicates": [{"path": d.path, "original": d.original} for d in report.duplicates],
        "failed": _problems(report.failed),
        "warnings": _problems(report.warnings),
    }
    if report.retagged or report.reread or report.kept:
        record[CHANGES] = {key: record[key] for key in ("finished", *_CHANGE_KEYS)}
    elif earlier.get(CHANGES):
        record[CHANGES] = earlier[CHANGES]
    return record


def _problems(problems: Iterable[FileProblem]) -> list[dict]:
    """Files with their issue, as the report keeps them (`describe` words them where they are shown)."""
    return [{"path": problem.path, **problem.issue.as_dict()} for problem in problems]
