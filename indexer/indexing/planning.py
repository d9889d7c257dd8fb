"""Deciding what a run must do: which files to extract, which to leave, which documents to remove.

A full look compares every file of the corpus with everything the index holds. A staff action
(upload, replace, edit, remove, restore) knows the one file it touched, so its run looks at that
file only and asks the index about it directly: at 10,000 documents listing the corpus and
reading every document record took longer than the whole upload should.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.corpus.layout import CorpusLayout, content_hashes, list_files, slug_for, stat_key
from indexer.engine.index_backend import IndexContents, IndexedFile
from indexer.errors import Issue, KennisbankError, Problem
from indexer.extract import is_supported, supported_kinds
from indexer.models import Duplicate, FileProblem, Fingerprint

# A run that would remove more than half of the indexed documents stops unless told otherwise: a
# typo in the corpus path must not empty the live index. Removing this many documents or fewer
# never stops a run, so a small corpus can lose a file or two without ceremony.
ALWAYS_ALLOWED_REMOVALS = 2
# Where the run state remembers failed files: path -> [stat key, issue as a dict]. (Versions that
# kept Dutch sentences used the key "failed"; it is ignored, so those files are read once more.)
FAILURES = "failures"


class CorpusError(KennisbankError):
    """The corpus folder is missing, is not a folder, or holds nothing to index."""


class MassRemovalError(KennisbankError):
    """A run would remove most of the indexed documents; the caller must allow it explicitly."""

    def __init__(self, removing: int, indexed: int, documents_dir: Path) -> None:
        self.removing, self.indexed, self.documents_dir = removing, indexed, documents_dir
        super().__init__(
            f"Dit zou {removing} van de {indexed} documenten uit de index verwijderen, omdat hun bestanden "
            f"niet in {documents_dir} staan. Controleer of dat de goede map is; er is niets veranderd."
        )


@dataclass
class Plan:
    to_extract: dict[str, tuple[Path, Fingerprint]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    removed: dict[str, str] = field(default_factory=dict)  # path -> id
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    remembered_failures: dict[str, list] = field(default_factory=dict)
    known: dict[str, IndexedFile] = field(default_factory=dict)  # what the index holds of the files looked at
    # Unchanged indexed files among `to_extract`, read again because this version reads files differently:
    # when that fails, their earlier reading stays.
    reread: set[str] = field(default_factory=set)


def _fingerprint(path: Path, relative: str, cache: dict, new_cache: dict) -> Fingerprint:
    key = stat_key(path)
    cached = cache.get(relative)
    sha, sidecar_sha = (cached[1], cached[2]) if cached and cached[0] == key else content_hashes(path)
    new_cache[relative] = [key, sha, sidecar_sha]
    info = path.stat()
    return Fingerprint(info.st_size, info.st_mtime_ns, sha, sidecar_sha)


def _plan(
    files: Sequence[tuple[str, Path]],
    known: dict[str, IndexedFile],
    state: dict,
    cache: dict,
    new_cache: dict,
    retry_failures: bool,
    indexed_original: Callable[[str], str | None],
    read_again: bool = False,
) -> Plan:
    """`files`: the files to look at; `known`: what the index holds of them (and, for a full look,
    of every other document: those are removed); `indexed_original(sha)`: the path of an indexed
    document outside `files` with that content, of which a file with it is a duplicate;
    `read_again`: extract unchanged files too."""
    plan = Plan(known=known)
    seen_hashes: dict[str, str] = {}
    present = {relative for relative, _ in files}
    # An already indexed file keeps its place as the original of its duplicates.
    ordered = sorted(files, key=lambda item: (item[0] not in known, item[0]))
    old_failures = state.get(FAILURES, {})
    for relative, path in ordered:
        if not is_supported(path):
            plan.failed.append(FileProblem(relative, Issue(Problem.UNSUPPORTED, path.suffix or "zonder extensie")))
            continue
        try:
            fingerprint = _fingerprint(path, relative, cache, new_cache)
        except OSError as exc:
            plan.failed.append(FileProblem(relative, Issue(Problem.UNREADABLE, exc.strerror or "")))
            continue
        sha = fingerprint.sha256
        original = indexed_original(sha) or seen_hashes.setdefault(sha, relative)
        if original != relative:
            plan.duplicates.append(Duplicate(relative, original))
            continue
        entry = known.get(relative)
        same = entry and (entry.sha256, entry.sidecar_sha256) == (fingerprint.sha256, fingerprint.sidecar_sha256)
        remembered = old_failures.get(relative)
        if same and not read_again:
            plan.unchanged.append(relative)
        elif remembered and remembered[0] == stat_key(path) and not retry_failures:
            plan.failed.append(FileProblem(relative, Issue.from_dict(remembered[1])))
            plan.remembered_failures[relative] = remembered
        else:
            plan.to_extract[relative] = (path, fingerprint)
            if same:
                plan.reread.add(relative)
    duplicate_paths = {duplicate.path for duplicate in plan.duplicates}
    for relative, entry in known.items():
        if relative not in present or relative in duplicate_paths:
            plan.removed[relative] = entry.doc_id
    return plan


def plan_everything(
    layout: CorpusLayout,
    known: dict[str, IndexedFile],
    state: dict,
    cache: dict,
    new_cache: dict,
    retry_failures: bool,
    read_again: bool = False,
) -> Plan:
    """Every file of the corpus against `known`, the whole index (`IndexContents.manifest`).
    `retry_failures`: try files again that failed before, though unchanged (the themes changed);
    `read_again`: extract every file again, changed or not, and try failed ones again (this version
    reads files differently)."""
    files = list(list_files(layout.documents_dir))
    return _plan(files, known, state, cache, new_cache, retry_failures or read_again, lambda sha: None, read_again)


def plan_files(
    layout: CorpusLayout,
    contents: IndexContents,
    relatives: Iterable[str],
    state: dict,
    cache: dict,
    new_cache: dict,
) -> Plan:
    """Only the named files (relative to the documents folder): added, changed or gone."""
    relatives = sorted(set(relatives))
    files = [(relative, layout.documents_dir / relative) for relative in relatives]
    files = [(relative, path) for relative, path in files if path.is_file()]
    known = {relative: entry for relative in relatives if (entry := contents.indexed_file(relative))}

    def indexed_original(sha: str) -> str | None:
        original = contents.with_content(sha)
        return original.path if original and original.path not in known else None

    new_cache.update({relative: entry for relative, entry in cache.items() if relative not in relatives})
    return _plan(files, known, state, cache, new_cache, False, indexed_original)


def assign_ids(plan: Plan, is_taken: Callable[[str], bool]) -> dict[str, str]:
    """Stable ids: an indexed file keeps its id; a new one gets a readable slug not yet taken
    (`is_taken`: by a document the plan does not know of)."""
    taken = {entry.doc_id for path, entry in plan.known.items() if path not in plan.removed}
    ids = {}
    for relative in plan.to_extract:
        if relative in plan.known and relative not in plan.removed:
            ids[relative] = plan.known[relative].doc_id
            continue
        base = slug_for(relative)
        candidate, counter = base, 1
        while candidate in taken or is_taken(candidate):
            counter += 1
            candidate = f"{base}-{counter}"
        taken.add(candidate)
        ids[relative] = candidate
    return ids


def check_corpus(layout: CorpusLayout) -> None:
    """Refuse a corpus that cannot be what the user meant, before anything is touched."""
    root = layout.root
    if not root.exists():
        raise CorpusError(f"De map {root} bestaat niet. Geef bij --corpus (of KENNISBANK_CORPUS) de goede map op.")
    if not root.is_dir():
        raise CorpusError(f"{root} is geen map. Geef bij --corpus (of KENNISBANK_CORPUS) de map van het corpus op.")
    # A folder laid out as a Kennisbank corpus may be empty: staff fill it through the website.
    if layout.documents_dir == layout.root and not any(
        is_supported(path) for _, path in list_files(layout.documents_dir)
    ):
        raise CorpusError(
            f"In {layout.documents_dir} staat geen enkel bestand dat de Kennisbank leest ({supported_kinds()}). "
            "Controleer de map van het corpus (--corpus of KENNISBANK_CORPUS)."
        )


def check_removals(indexed: Collection[str], plan: Plan, named: Collection[str], documents_dir: Path) -> None:
    """Stop a run that would remove most of the `indexed` documents (paths) because their files are
    gone. Files a staff action `named` are removed on purpose and do not count."""
    looked_at = {*plan.to_extract, *plan.unchanged, *(item.path for item in plan.failed)}
    looked_at |= {item.path for item in plan.duplicates}
    removing = [path for path in indexed if path not in looked_at and path not in named]
    if len(removing) > ALWAYS_ALLOWED_REMOVALS and 2 * len(removing) > len(indexed):
        raise MassRemovalError(len(removing), len(indexed), documents_dir)
