"""One way to change the corpus, shared by the staff pages and the command line.

Each action does the whole of it: the change to the corpus (`indexer.corpus.curation`), the entry in the
audit log naming `actor`, and the indexing run of the files it touched (which waits for a
colleague's run instead of failing). A new document is published through the journal
(`indexer.corpus.journal`), so a crash half-way is finished or rolled back. The callers only translate:
a form or command-line arguments in, a Dutch sentence out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus import audit, curation, journal, staging
from indexer.corpus.layout import CorpusLayout
from indexer.engine.backend_choice import EngineConfig
from indexer.errors import KennisbankError
from indexer.indexing.pipeline import run_index
from indexer.models import FileProblem, RunReport

# Uploads wait here, in the data folder, until they are published or cancelled.
STAGING_DIR = "staging"


class NotIndexedYet(curation.CurationError):
    """A new document reached the corpus, but the index could not take it now (a cluster without a
    majority, an index held by a long run): the file is kept, and the journal has it indexed later."""

    def __init__(self, relative: str, cause: KennisbankError) -> None:
        self.relative = relative
        super().__init__(
            f"‘{relative}’ is bewaard in de kennisbank, maar is nog niet doorzoekbaar: de zoekindex kon het nu "
            "niet opnemen. Voeg het niet opnieuw toe: zodra de zoekindex weer werkt, neemt de volgende indexering "
            f"het op (`kennisbank index`, de volgende toevoeging of de volgende start van de website). De zoekindex "
            f"meldde: {cause}"
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

    def add(self, staged: staging.Staged, values: dict[str, object], actor: str) -> Published:
        """Publish as one journalled step: in the corpus, indexed and logged, or (after a crash) rolled back.
        Raises DuplicateUpload when the corpus holds these bytes already, and NotIndexedYet when the
        file was kept but the index refused it (the journal keeps the publication for a later run)."""
        places = journal.Places(self.layout.root, self.index_root, self.audit_db, self.engine)
        journal.recover(places)  # what a killed process left half done
        with journal.Publication(places, actor, "toegevoegd", f"uit ‘{staged.original_name}’") as publication:
            relative = curation.publish(staged, values, self.layout, journal=publication.begin)
            try:
                report = publication.finish()
            except KennisbankError as exc:
                raise NotIndexedYet(relative, exc) from exc
        return Published(relative, report)

    def update_copy(self, staged: staging.Staged, values: dict[str, object], actor: str) -> str:
        """A duplicate upload updates the document it copies: that one takes the reviewed metadata."""
        existing = curation.find_copy(self.layout, staged)
        if existing is None:
            raise curation.CurationError("Het bestaande document staat niet meer in het corpus. Voeg dit bestand toe.")
        curation.update_metadata(self.layout, existing, values)
        staging.discard(staged)
        self._done(actor, "gewijzigd", existing, f"gegevens uit ‘{staged.original_name}’ (hetzelfde bestand)")
        return existing

    def edit(
        self, relative: str, values: dict[str, object], actor: str, before: Mapping[str, object] | None = None
    ) -> None:
        """`before`: the values the editor saw, so the audit log says what changed (old → new)."""
        curation.update_metadata(self.layout, relative, values)
        self._done(actor, "gewijzigd", relative, audit.changes(before, values) if before is not None else "")

    def replace(self, relative: str, staged: staging.Staged, actor: str) -> str:
        """The new file takes the old one's place; the old one goes to the recycle folder."""
        new = curation.replace_file(self.layout, relative, staged, actor)
        self._done(actor, "vervangen", new, f"vorige versie: {relative}", also=(relative,))
        return new

    def remove(self, relative: str, actor: str) -> None:
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
        relative = curation.restore(self.layout, name)
        self._done(actor, "teruggezet", relative)
        return relative

    def _done(self, actor: str, action: str, relative: str, detail: str = "", also: tuple[str, ...] = ()) -> None:
        """Log the change, then index the files it touched now."""
        audit.record(self.audit_db, actor, action, relative, detail)
        run_index(
            self.layout.root, self.index_root, wait_s=curation.INDEX_WAIT_S, paths=[*also, relative], engine=self.engine
        )
