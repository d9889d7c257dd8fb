"""Measure the tagger against the themes people recorded for documents.

Four labelled sets: the bundled corpus, whose documents record their intended themes (sidecar or
front matter); the shared real corpus, labelled by reading in corpus/evaluatie/echte-themas.yaml;
66 public regulations kept in corpus/evaluatie/regelgeving/, labelled blind in
corpus/evaluatie/regelgeving-themas.yaml; and a pooled sample of the shared news archive, labelled
the same way in corpus/evaluatie/nieuws-themas.yaml. Any other folder with a label file of the same
form is measured beside them on request (`check_labelled_folder`, `evaluate_known`).
Each is split for good into a tuning part and a held-back part by a hash of the path: thresholds
and terms are tuned by looking at the tuning part only; the held-back part is only ever scored.
Beside each F1 stands the interval a redraw of the part's documents would put it in: a part with a
handful of documents per theme cannot tell two taggers apart that differ by a document or two. Two
runs are compared on the same redraws (`Evaluation.compared_with`): the interval of their difference
is usually far narrower than either figure's own, as documents both runs tag alike cancel out.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from indexer.corpus.layout import BUNDLED_CORPUS, CorpusLayout, list_files
from indexer.corpus.metadata import read_sidecar, resolve
from indexer.errors import KennisbankError
from indexer.evaluation.resampling import middle, redraws
from indexer.extract import is_supported
from indexer.indexing.workers import Limits, extract_all
from indexer.models import Metadata, ThemeMatch
from indexer.themes.tagging import score, tag
from indexer.themes.taxonomy import Taxonomy, load_taxonomy

TUNING = "afstemming"
HELD_BACK = "achtergehouden"
# One in three documents is held back.
HELD_BACK_MODULUS = 3
# The real corpus's labels live with the bundled corpus, keyed by path relative to the real docs/.
REAL_LABELS = BUNDLED_CORPUS / "evaluatie" / "echte-themas.yaml"
# The labels of a sample of the shared news archive's posts, keyed by file name.
NEWS_LABELS = BUNDLED_CORPUS / "evaluatie" / "nieuws-themas.yaml"
# Public regulations (prosecution guidelines, laws, decrees), kept with their labels: of the kinds the real
# corpus holds, none of them in it.
REGULATIONS = BUNDLED_CORPUS / "evaluatie" / "regelgeving"
REGULATION_LABELS = BUNDLED_CORPUS / "evaluatie" / "regelgeving-themas.yaml"
# The key of the macro-F1 among the per-theme intervals.
MACRO = "macro"


def split_of(relative_path: str) -> str:
    digest = int(hashlib.sha256(relative_path.encode()).hexdigest(), 16)
    return HELD_BACK if digest % HELD_BACK_MODULUS == 0 else TUNING


@dataclass(frozen=True)
class Judged:
    path: str
    split: str
    expected: frozenset[str]
    predicted: tuple[ThemeMatch, ...]
    candidates: tuple[ThemeMatch, ...]  # every theme with evidence, to explain what was missed

    @property
    def predicted_slugs(self) -> frozenset[str]:
        return frozenset(match.slug for match in self.predicted)


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, expected: frozenset[str], predicted: frozenset[str], slug: str, times: int = 1) -> None:
        self.true_positives += times * (slug in expected and slug in predicted)
        self.false_positives += times * (slug not in expected and slug in predicted)
        self.false_negatives += times * (slug in expected and slug not in predicted)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Evaluation:
    judged: list[Judged] = field(default_factory=list)

    def scores(self, split: str, slugs: Iterable[str]) -> tuple[dict[str, Scores], Scores]:
        """Per theme and micro-averaged over all themes, for one split."""
        documents = self._outcomes(split)
        per_theme = _tally(documents, Counter(range(len(documents))), list(slugs))
        overall = Scores(
            sum(scores.true_positives for scores in per_theme.values()),
            sum(scores.false_positives for scores in per_theme.values()),
            sum(scores.false_negatives for scores in per_theme.values()),
        )
        return per_theme, overall

    def f1_intervals(self, split: str, slugs: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Per theme and for the macro-F1 (key `MACRO`): the interval its F1 falls in for `INTERVAL` of redraws.

        A held-back part holds a handful of documents per theme, so one document moves a theme's F1 by
        a tenth. The percentile bootstrap over documents shows how far a figure is from being settled."""
        slugs = list(slugs)
        documents = self._outcomes(split)
        values: dict[str, list[float]] = {key: [] for key in [*slugs, MACRO]}
        for drawn in redraws(len(documents)):
            for key, value in _f1s(documents, drawn, slugs).items():
                values[key].append(value)
        return {key: middle(found) for key, found in values.items()}

    def tags(self) -> dict[str, list[str]]:
        """Each document's themes from the tagger, to compare a later run with (`compared_with`)."""
        return {item.path: sorted(item.predicted_slugs) for item in self.judged}

    def compared_with(self, before: dict[str, list[str]], split: str, slugs: Iterable[str]) -> Comparison:
        """This run against an earlier run's tags of the same documents (`tags`), on one part.

        The difference is bootstrapped in pairs: each redraw scores both runs on the same documents, so
        the documents both got right or wrong cancel out. A difference of a document or two can then be
        told from chance even where the interval of each figure alone is wide."""
        slugs = list(slugs)
        judged = [item for item in self.judged if item.split == split]
        now = _outcomes_of(judged)
        then = [(item.expected, frozenset(before[item.path])) for item in judged]
        differences: dict[str, list[float]] = {key: [] for key in [*slugs, MACRO]}
        for drawn in redraws(len(now)):
            after, earlier = _f1s(now, drawn, slugs), _f1s(then, drawn, slugs)
            for key in differences:
                differences[key].append(after[key] - earlier[key])
        everything = Counter(range(len(now)))
        changed = [
            (item.path, then_tags, now_tags)
            for item, (_, then_tags), (_, now_tags) in zip(judged, then, now, strict=True)
            if then_tags != now_tags
        ]
        return Comparison(
            _f1s(then, everything, slugs),
            _f1s(now, everything, slugs),
            {key: middle(found) for key, found in differences.items()},
            changed,
        )

    def _outcomes(self, split: str) -> list[Outcome]:
        return _outcomes_of(item for item in self.judged if item.split == split)

    def untagged_share(self, split: str) -> tuple[int, int]:
        """Of the documents about no theme, how many the tagger left untagged, and how many there are."""
        none = [item for item in self.judged if item.split == split and not item.expected]
        return sum(not item.predicted for item in none), len(none)

    def mistakes(self, split: str) -> list[Judged]:
        return [item for item in self.judged if item.split == split and item.expected != item.predicted_slugs]


@dataclass(frozen=True)
class Comparison:
    """One part's F1 per theme and macro (key `MACRO`) in an earlier run and now, the interval of the
    difference, and the documents whose themes changed (path, before, now)."""

    before: dict[str, float]
    now: dict[str, float]
    difference_intervals: dict[str, tuple[float, float]]
    changed: list[tuple[str, frozenset[str], frozenset[str]]]


Outcome = tuple[frozenset[str], frozenset[str]]  # a document's labels and the tagger's themes


def _outcomes_of(items: Iterable[Judged]) -> list[Outcome]:
    return [(item.expected, item.predicted_slugs) for item in items]


def _tally(documents: list[Outcome], drawn: Counter[int], slugs: list[str]) -> dict[str, Scores]:
    """The scores per theme of the drawn documents (index -> times drawn); one draw of each for a part's own."""
    per_theme = {slug: Scores() for slug in slugs}
    for index, times in drawn.items():
        expected, predicted = documents[index]
        if expected or predicted:
            for slug, scores in per_theme.items():
                scores.add(expected, predicted, slug, times)
    return per_theme


def _f1s(documents: list[Outcome], drawn: Counter[int], slugs: list[str]) -> dict[str, float]:
    """The F1 per theme and the macro-F1 (key `MACRO`) of the drawn documents."""
    per_theme = _tally(documents, drawn, slugs)
    return {**{slug: scores.f1 for slug, scores in per_theme.items()}, MACRO: macro_average(per_theme, "f1")}


def macro_average(per_theme: dict[str, Scores], key: str) -> float:
    """The mean over the themes of one figure (`precision`, `recall` or `f1`)."""
    return sum(getattr(scores, key) for scores in per_theme.values()) / len(per_theme)


class LabelsError(KennisbankError):
    """A label file that cannot be read as labels: not YAML, or an entry without a path or with unknown themes."""


def load_labels(path: Path = REAL_LABELS, slugs: Iterable[str] | None = None) -> dict[str, frozenset[str]]:
    """Path relative to the labelled folder -> the themes the document is about (often none). With
    `slugs`, a theme outside them is refused: a typing error would otherwise count as a missed theme."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LabelsError(f"Het labelbestand {path} is niet te lezen als YAML ({exc}). Herstel het.") from exc
    known = None if slugs is None else frozenset(slugs)
    labels = {}
    for number, entry in enumerate(entries if isinstance(entries, list) else [entries], start=1):
        themes = (entry.get("themas") or []) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("pad"), str) or not isinstance(themes, list):
            raise LabelsError(
                f"Document {number} in het labelbestand {path} heeft geen 'pad' met een lijst 'themas'. "
                "Schrijf elk document als '- pad: bestand.md' met 'themas: [slug, ...]' (of 'themas: []')."
            )
        if entry["pad"] in labels:
            raise LabelsError(
                f"{entry['pad']} staat twee keer in het labelbestand {path}. Houd één van beide, met de juiste thema's."
            )
        unknown = sorted(str(theme) for theme in themes if known is not None and theme not in known)
        if unknown:
            raise LabelsError(
                f"In het labelbestand {path} heeft {entry['pad']} onbekende thema's: {', '.join(unknown)}. "
                f"Gebruik de slugs van de themabestanden: {', '.join(sorted(known or ()))}."
            )
        labels[entry["pad"]] = frozenset(themes)
    return labels


Labels = Callable[[str, Metadata], frozenset[str] | None]


@dataclass(frozen=True)
class Labelled:
    """A labelled document: what it says and which themes it is about."""

    path: str
    expected: frozenset[str]
    title: str
    summary: str
    text: str


def labelled_documents(
    folder: Path, labels: Labels, split: str | None = None, limits: Limits | None = None
) -> list[Labelled]:
    """The labelled documents of a folder, extracted as `kennisbank index` does, sorted by path.

    With a `split`, only that part is extracted: asking for the tuning part never reads the held-back one.
    A file without labels is skipped."""
    files = {
        path: relative
        for relative, path in list_files(folder)
        if is_supported(path) and (split is None or split_of(relative) == split)
    }
    documents = []
    for outcome in extract_all(list(files), limits or Limits()):
        if outcome.extraction is None:
            continue
        relative = files[outcome.path]
        metadata = resolve(outcome.path, outcome.extraction, read_sidecar(outcome.path))
        expected = labels(relative, metadata)
        if expected is not None:
            documents.append(Labelled(relative, expected, metadata.title, metadata.summary, outcome.extraction.text))
    return sorted(documents, key=lambda document: document.path)


def _judge(documents: list[Labelled], taxonomy: Taxonomy) -> Evaluation:
    """Tag every document and pair the result with its labels."""
    evaluation = Evaluation()
    for document in documents:
        arguments = (document.title, document.summary, document.text, taxonomy)
        evidence = score(*arguments)
        themes, _ = tag(*arguments, evidence)
        candidates = tuple(match for match in evidence if match.parent is None)
        evaluation.judged.append(Judged(document.path, split_of(document.path), document.expected, themes, candidates))
    return evaluation


def _recorded(_: str, metadata: Metadata) -> frozenset[str] | None:
    return frozenset(metadata.themes) if metadata.themes_from_sidecar else None


def evaluate(corpus: Path, taxonomy: Taxonomy | None = None, limits: Limits | None = None) -> Evaluation:
    """The bundled set: each document's own recorded themes."""
    layout = CorpusLayout(corpus)
    taxonomy = taxonomy or load_taxonomy(layout.themes_dir)
    return _judge(labelled_documents(layout.documents_dir, _recorded, limits=limits), taxonomy)


def real_labels(labels: Path = REAL_LABELS, slugs: Iterable[str] | None = None) -> Labels:
    """The labels of a folder recorded in a separate file, such as the shared real corpus's."""
    return _looked_up(load_labels(labels, slugs))


def _looked_up(known: Mapping[str, frozenset[str]]) -> Labels:
    return lambda relative, _: known.get(relative)


def check_labelled_folder(
    folder: Path, labels: Path, taxonomy: Taxonomy
) -> tuple[dict[str, frozenset[str]], list[str]]:
    """Before measuring a folder labelled by someone (`kennisbank evalueer-themas --eigen-set`): its
    labels, read once for the check and the measurement (`evaluate_known`), and the labelled paths
    the folder lacks. A folder or label file that cannot be measured is refused, so a typing error is
    not reported as a tagger that finds nothing."""
    if not folder.is_dir():
        raise LabelsError(f"De map {folder} bestaat niet. Geef de map met de gelabelde documenten op.")
    if not labels.is_file():
        raise LabelsError(f"Het labelbestand {labels} bestaat niet. Geef het YAML-bestand met de labels op.")
    labelled = load_labels(labels, taxonomy.theme_slugs)
    if not labelled:
        raise LabelsError(f"Het labelbestand {labels} bevat geen documenten. Zet er de gelabelde documenten in.")
    missing = sorted(path for path in labelled if not (folder / path).is_file())
    if len(missing) == len(labelled):
        raise LabelsError(
            f"Geen van de {len(labelled)} documenten uit {labels} staat in {folder}. Klopt de map? De paden in "
            "het labelbestand gaan uit van die map."
        )
    return labelled, missing


def evaluate_labelled(
    folder: Path, taxonomy: Taxonomy, labels: Path = REAL_LABELS, limits: Limits | None = None
) -> Evaluation:
    """A folder of documents labelled in a separate file, such as the shared real corpus."""
    return evaluate_known(folder, taxonomy, load_labels(labels, taxonomy.theme_slugs), limits)


def evaluate_known(
    folder: Path, taxonomy: Taxonomy, known: Mapping[str, frozenset[str]], limits: Limits | None = None
) -> Evaluation:
    """A folder of documents whose labels are already read (path relative to it -> themes)."""
    return _judge(labelled_documents(folder, _looked_up(known), limits=limits), taxonomy)


class NewsArchiveError(KennisbankError):
    """The news archive cannot give the labelled posts: unreadable, or some are missing or twice in it."""


def evaluate_news(
    archive: Path, taxonomy: Taxonomy, labels: Path = NEWS_LABELS, limits: Limits | None = None
) -> Evaluation:
    """The labelled posts of the news archive, unpacked to a folder of their own and judged as the real corpus.

    Every labelled post must be in the archive once: scores over fewer posts than were labelled
    would look like the same measurement and not be."""
    wanted = set(load_labels(labels))
    with tempfile.TemporaryDirectory() as unpacked:
        found = _unpack_posts(archive, wanted, Path(unpacked))
        missing = sorted(wanted - set(found))
        twice = sorted(name for name, count in found.items() if count > 1)
        if missing or twice:
            problem = (
                f"mist {len(missing)} gelabelde berichten" if missing else f"bevat {len(twice)} berichten twee keer"
            )
            raise NewsArchiveError(
                f"Het nieuwsarchief {archive} {problem} (bijvoorbeeld {(missing or twice)[0]}). "
                "Geef het archief op waarvan de steekproef is gelabeld: nieuwsarchief-2012-2019.tar.gz."
            )
        return evaluate_labelled(Path(unpacked), taxonomy, labels, limits)


def _unpack_posts(archive: Path, names: set[str], folder: Path) -> Counter[str]:
    """Write the archive's files with these names (whatever their folder) into `folder`; how often each was met."""
    found: Counter[str] = Counter()
    try:
        with tarfile.open(archive) as posts:
            for member in posts:
                name = PurePosixPath(member.name).name
                if member.isfile() and name in names:
                    found[name] += 1
                    (folder / name).write_bytes(posts.extractfile(member).read())
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise NewsArchiveError(
            f"Het nieuwsarchief {archive} is geen leesbaar .tar.gz-archief ({exc}). "
            "Geef het bestand nieuwsarchief-2012-2019.tar.gz op, zoals het in ../shared/scale/ staat."
        ) from exc
    return found


class SavedRunError(KennisbankError):
    """A file of an earlier run's tags (`--vergelijk-met`) is missing or is not such a file."""


def save_tags(path: Path, runs: dict[str, Evaluation]) -> None:
    """Each labelled set's documents with their themes, to compare a later run with."""
    path.write_text(json.dumps({name: run.tags() for name, run in runs.items()}, indent=1), encoding="utf-8")


def load_saved_tags(path: Path) -> dict[str, dict[str, list[str]]]:
    """The tags `save_tags` wrote, checked before anything is measured."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SavedRunError(
            f"Het bestand {path} met een eerdere meting bestaat niet. "
            "Maak het eerst met: kennisbank evalueer-themas --bewaar BESTAND."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SavedRunError(f"Het bestand {path} is niet te lezen ({exc}). Maak het opnieuw met --bewaar.") from exc
    if not isinstance(saved, dict) or not all(
        isinstance(tags, dict) and all(isinstance(slugs, list) for slugs in tags.values()) for tags in saved.values()
    ):
        raise SavedRunError(
            f"Het bestand {path} is geen meting van kennisbank evalueer-themas --bewaar. Maak het opnieuw met --bewaar."
        )
    return saved
