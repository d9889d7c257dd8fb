"""'Bedoelde u' and compound splits from the word table the indexer writes beside each commit,
mapped by the search.

Which table a search used is read from /proc/self/maps: a mapped table file is listed there with
its path, so a test sees the files the search process really reads, without reaching inside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.backends.whoosh import word_table_files
from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.word_table import WordTable
from indexer.corpus.layout import THEMES_DIR
from indexer.engine.kennisbank import Kennisbank
from indexer.themes.taxonomy import load_taxonomy


def _write(docs: Path, name: str, title: str, text: str) -> None:
    (docs / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")


def _tables(index_root: Path) -> list[Path]:
    return sorted(IndexStore(index_root).current_dir().glob("wordtable-*"))


def _mapped_tables(index_root: Path) -> set[Path]:
    """The table folders of this index that this process has mapped files of."""
    folder = str(IndexStore(index_root).current_dir())
    paths = (line.split(maxsplit=5)[-1] for line in Path("/proc/self/maps").read_text().splitlines())
    return {Path(path).parent for path in paths if path.startswith(folder) and "/wordtable-" in path}


def _latest_generation(index_root: Path) -> int:
    return IndexStore(index_root).open().latest_generation()


def _stored_table(index_root: Path) -> WordTable:
    folder = IndexStore(index_root).current_dir()
    return WordTable.from_arrays(word_table_files.load(folder, word_table_files.stored_generations(folder)[-1]))


def test_a_typo_is_corrected_from_the_table_of_each_commit(corpus: Path, docs: Path, reindex, index_root: Path) -> None:
    _write(docs, "bemiddeling", "Buurtbemiddeling", "Het buurtbemiddelingsteam overlegt met de wijkagent.")
    reindex()
    assert [table.name for table in _tables(index_root)] == [f"wordtable-{_latest_generation(index_root):06d}"]
    kennisbank = Kennisbank(index_root, load_taxonomy(corpus / THEMES_DIR))
    assert kennisbank.search("buurtbemidelingsteam").suggestion == "buurtbemiddelingsteam"
    assert _mapped_tables(index_root) == set(_tables(index_root)), "the search read the indexer's table"
    assert kennisbank.search("wijkregiseur").suggestion is None, "a word no document has yet"

    leftover = IndexStore(index_root).current_dir() / ".wordtable-000099.tmp"
    leftover.mkdir()
    (leftover / "text.npy").write_bytes(b"half a file")  # as a writer that crashed mid-write leaves it
    _write(docs, "regie", "Regie", "De wijkregisseur belt de buurtbemiddeling.")
    reindex()
    new_tables = _tables(index_root)
    assert [table.name for table in new_tables] == [f"wordtable-{_latest_generation(index_root):06d}"]
    assert not leftover.exists(), "the next writer removes what a crashed one left"
    assert kennisbank.search("wijkregiseur").suggestion == "wijkregisseur", "the new word is suggested"
    assert set(new_tables) <= _mapped_tables(index_root)


def test_a_commit_without_its_table_yet_uses_the_newest_table(
    corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    """The moment between a commit and its table: the previous table serves, checked against the
    searcher's own generation."""
    _write(docs, "bemiddeling", "Buurtbemiddeling", "Het buurtbemiddelingsteam overlegt met de wijkagent.")
    reindex()
    written = _tables(index_root)
    index = IndexStore(index_root).open()
    index.writer().commit()  # Whoosh's own writer: a new generation, and no table for it
    assert _tables(index_root) == written and _latest_generation(index_root) > int(written[0].name[-6:])
    kennisbank = Kennisbank(index_root, load_taxonomy(corpus / THEMES_DIR))
    assert kennisbank.search("buurtbemidelingsteam").suggestion == "buurtbemiddelingsteam"
    assert _mapped_tables(index_root) == set(written)


def test_an_index_without_table_files_still_suggests(corpus: Path, docs: Path, reindex, index_root: Path) -> None:
    """An index written before the indexer wrote tables: the search builds one for itself."""
    _write(docs, "bemiddeling", "Buurtbemiddeling", "Het buurtbemiddelingsteam overlegt met de wijkagent.")
    reindex()
    for table in _tables(index_root):
        shutil.rmtree(table)
    kennisbank = Kennisbank(index_root, load_taxonomy(corpus / THEMES_DIR))
    results = kennisbank.search("buurtbemidelingsteam")
    assert results.suggestion == "buurtbemiddelingsteam" and results.corrected and results.total == 1
    assert kennisbank.search("buurtbemiddelingsteam").suggestion is None
    assert _tables(index_root) == [] and _mapped_tables(index_root) == set(), "a search writes nothing"


def test_the_table_keeps_the_compound_split_of_every_word_across_commits(
    corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    """Snippets look a long word's split up in the table rather than split it again (half a
    millisecond a word): the table has the split the indexer made, also for the words of a document
    that a later run leaves alone."""
    _write(docs, "monitor", "Mensenhandelmonitor", "De mensenhandelmonitor telt de meldingen van gemeenten.")
    reindex()
    _write(docs, "tafel", "Jeugdbeschermingstafel", "De jeugdbeschermingstafel bespreekt de bescherming.")
    reindex()
    table = _stored_table(index_root)

    def parts(word: str) -> list[str] | None:
        spans = table.split_of(word)
        return None if spans is None else [word[start:end] for start, end in spans]

    assert parts("mensenhandelmonitor") == ["mensen", "handel", "monitor"], "from the first run's table"
    assert parts("jeugdbeschermingstafel") == ["jeugd", "bescherming", "tafel"]
    assert parts("gemeenten") == [] and parts("bescherming") == [], "known not to split"
    assert parts("handelmonitor") is None, "only a part of a word, never split as a word: not known"

    kennisbank = Kennisbank(index_root, load_taxonomy(corpus / THEMES_DIR))
    hit = kennisbank.search("handel").hits[0]
    assert "<mark>mensenhandelmonitor</mark>" in hit.snippet
    assert set(_tables(index_root)) <= _mapped_tables(index_root), "the search looked splits up in the table"
