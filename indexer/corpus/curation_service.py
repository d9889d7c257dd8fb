"""One way to change the corpus, shared by the staff pages and the command line.

Each action does the whole of it: the change to the corpus (`indexer.corpus.curation`), the entry in the
audit log naming `actor`, and the indexing run of the files it touched (which waits for a colleague's
run instead of failing). Every change goes through the journal (`indexer.corpus.journal`): a new
document's publication that a crash interrupts is finished or rolled back, and a change the index
refuses is kept in the corpus, then indexed and logged by the next change or start of the website
(NotIndexedYet). The callers only translate: a form or command-line arguments in, a Dutch sentence out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus import audit, curation, journal, staging
from indexer.corpus.layout import CorpusLayout
from indexer.engine.backend_choice import EngineConfig
from indexer.errors import KennisbankError
from indexer.models import FileProblem, RunReport

# Uploads wait here, in the data folder, until they are published or cancelled.
STAGING_DIR = "staging"


# What a staff change that the index refused has done all the same, and what not to do again,
# by audit action: the first part of `NotIndexedYet`'s sentence.
KEPT_CHANGES: dict[str, tuple[str, str]] = {
    "toegevoegd": (
        "‘{document}’ is bewaard in de kennisbank, maar is nog niet doorzoekbaar",
        "Voeg het niet opnieuw toe",
    ),
    "gewijzigd": (
        "De gegevens van ‘{document}’ zijn opgeslagen, maar het zoeken toont nog de oude",
        "Sla ze niet opnieuw op",
    ),
    "vervangen": (
        "Het nieuwe bestand ‘{document}’ is bewaard en de vorige versie staat in de prullenbak, maar het zoeken "
        "vindt nog de vorige versie",
        "Vervang het niet opnieuw",
    ),
    "verwijderd": (
        "‘{document}’ staat in de prullenbak, maar is nog te vinden bij het zoeken",
        "Verwijder het niet opnieuw",
    ),
    "teruggezet": ("‘{document}’ is teruggezet, maar is nog niet doorzoekbaar", "Zet het niet opnieuw terug"),
}


class NotIndexedYet(curation.CurationError):
    """A staff change reached the corpus, but the index could not take it now (a cluster without a
    majority, an index held by a long run): the change is kept, and the journal has it indexed and
    logged later."""

    def __init__(self, relative: str, action: str, cause: KennisbankError) -> None:
        self.relative = relative
        kept, not_again = KEPT_CHANGES[action]
        super().__init__(
            f"{kept.format(document=relative)}: de zoekindex kon de wijziging nu niet opnemen. {not_again}: zodra "
            "de zoekindex weer werkt, neemt de volgende indexering de wijziging op (`kennisbank index`, de volgende "
            f"wijziging of de volgende start van de website). De zoekindex meldde: {cause}"
        )


@dataclass(frozen=True)
class Published:
    """Where a new document went, and what indexing it reported (it may not have been readable)."""

    relative: str
    report: RunReport

    @property
    def failure(self) -> FileProblem | None:
        """This document's problem in the report, if indexing it failed."""
        return next((problem for problem in self.report.failed if problem.path == self.relative), None)


@dataclass(frozen=True)
class Curator:
    """Staff changes to one corpus, its index and the audit log in the data folder."""

    layout: CorpusLayout
    index_root: Path
    data_dir: Path
    engine: EngineConfig | None = None  # where the index is kept (None: the embedded engine in `index_root`)

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / STAGING_DIR

    @property
    def audit_db(self) -> Path:
        """The staff database: the audit log shares it with the web app's accounts."""
        return self.data_dir / audit.STAFF_DB_FILE

    def stage(
        self, data: bytes, filename: str, actor: str, max_bytes: int = staging.MAX_UPLOAD_BYTES
    ) -> staging.Staged:
        """Check an upload and keep it until `actor` publishes or cancels it; raises UploadRefused."""
        return staging.stage(data, filename, self.staging_dir, max_bytes, user=actor)

    def staged(self, token: str) -> staging.Staged | None:
        return staging.load_staged(self.staging_dir, token)

    def pending(self, actor: str) -> list[str]:
        """The tokens of `actor`'s uploads that wait for review, oldest first."""
        return staging.queue(self.staging_dir, actor)

    def cancel(self, staged: staging.Staged) -> None:
        staging.discard(staged)

    @property
    def places(self) -> journal.Places:
        return journal.Places(self.layout.root, self.index_root, self.audit_db, self.engine)

    def add(self, staged: staging.Staged, values: dict[str, object], actor: str) -> Published:
        """Publish as one journalled step: in the corpus, indexed and logged, or (after a crash) rolled back.
        Raises DuplicateUpload when the corpus holds these bytes already, and NotIndexedYet when the
        file was kept but the index refused it (the journal keeps the publication for a later run)."""
        journal.recover(self.places)  # what a killed process or a refusing index left half done
        with journal.Publication(self.places, actor, "toegevoegd", f"uit ‘{staged.original_name}’") as publication:
            relative = curation.publish(staged, values, self.layout, journal=publication.begin)
            report = _finished(publication, relative, "toegevoegd")
        return Published(relative, report)

    def update_copy(self, staged: staging.Staged, values: dict[str, object], actor: str) -> str:
        """A duplicate upload updates the document it copies: that one takes the reviewed metadata."""
        journal.recover(self.places)
        existing = curation.find_copy(self.layout, staged)
        if existing is None:
            raise curation.CurationError("Het bestaande document staat niet meer in het corpus. Voeg dit bestand toe.")
        changed = curation.update_metadata(self.layout, existing, values)
        staging.discard(staged)
        if changed:
            self._done(actor, "gewijzigd", existing, f"gegevens uit ‘{staged.original_name}’ (hetzelfde bestand)")
        return existing

    def edit(
        self, relative: str, values: dict[str, object], actor: str, before: Mapping[str, object] | None = None
    ) -> None:
        """`before`: the values the editor saw, so the audit log says what changed (old → new). Values the
        sidecar holds already change nothing and log nothing (an edit sent again after a refusal)."""
        journal.recover(self.places)
        if curation.update_metadata(self.layout, relative, values):
            self._done(actor, "gewijzigd", relative, audit.changes(before, values) if before is not None else "")

    def replace(self, relative: str, staged: staging.Staged, actor: str) -> str:
        """The new file takes the old one's place; the old one goes to the recycle folder."""
        journal.recover(self.places)
        new = curation.replace_file(self.layout, relative, staged, actor)
        self._done(actor, "vervangen", new, f"vorige versie: {relative}", also=(relative,))
        return new

    def remove(self, relative: str, actor: str) -> None:
        journal.recover(self.places)
        curation.remove(self.layout, relative, actor)
        self._done(actor, "verwijderd", relative)

    def trash(self) -> list[curation.TrashItem]:
        return curation.trash(self.layout)

    def empty_trash(self, actor: str) -> int:
        """Delete the recycle folder's files for good (nothing to index: they were not in it)."""
        count = curation.empty_trash(self.layout)
        audit.record(self.audit_db, actor, "geleegd", "", f"{count} {'document' if count == 1 else 'documenten'}")
        return count

    def restore(self, name: str, actor: str) -> str:
        """Put a removed document back; returns its path. Raises CurationError for an unknown name."""
        journal.recover(self.places)
        relative = curation.restore(self.layout, name)
        self._done(actor, "teruggezet", relative)
        return relative

    def _done(self, actor: str, action: str, relative: str, detail: str = "", also: tuple[str, ...] = ()) -> None:
        """Journal the change made to the corpus, then index the files it touched and log it."""
        with journal.Publication(self.places, actor, action, detail) as publication:
            with curation.corpus_lock(self.layout):  # no `recover` takes the record up before it is held
                publication.begin(relative, also, changed=True)
            _finished(publication, relative, action)


def _finished(publication: journal.Publication, relative: str, action: str) -> RunReport:
    """Index and log a journalled change; raises NotIndexedYet, keeping the record, when the index refuses."""
    try:
        return publication.finish()
    except KennisbankError as exc:
        raise NotIndexedYet(relative, action, exc) from exc
