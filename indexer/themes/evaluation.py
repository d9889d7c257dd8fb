"""Measure the tagger against the themes people recorded for documents.

Three labelled sets: the bundled corpus, whose documents record their intended themes (sidecar or
front matter); the shared real corpus, labelled by reading in corpus/evaluatie/echte-themas.yaml; and
a pooled sample of the shared news archive, labelled the same way in corpus/evaluatie/nieuws-themas.yaml.
Each is split for good into a tuning part and a held-back part by a hash of the path: thresholds
and terms are tuned by looking at the tuning part only; the held-back part is only ever scored.
Beside each F1 stands the interval a redraw of the part's documents would put it in: a part with a
handful of documents per theme cannot tell two taggers apart that differ by a document or two.
"""

from __future__ import annotations

import hashlib
import random
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from indexer.corpus.layout import BUNDLED_CORPUS, CorpusLayout, list_files
from indexer.corpus.metadata import read_sidecar, resolve
from indexer.errors import KennisbankError
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
# A figure's interval: the middle 95% of its values over 1,000 redraws of the part's documents (with
# replacement), enough for two decimals; a fixed seed makes a run repeat.
INTERVAL = 0.95
RESAMPLES = 1000
RESAMPLING_SEED = 18
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
        per_theme = {slug: Scores() for slug in slugs}
        overall = Scores()
        for item in self.judged:
            if item.split != split:
                continue
            for slug, scores in per_theme.items():
                scores.add(item.expected, item.predicted_slugs, slug)
                overall.add(item.expected, item.predicted_slugs, slug)
        return per_theme, overall

    def f1_intervals(self, split: str, slugs: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Per theme and for the macro-F1 (key `MACRO`): the interval its F1 falls in for `INTERVAL` of redraws.

        A held-back part holds a handful of documents per theme, so one document moves a theme's F1 by
        a tenth. The percentile bootstrap over documents shows how far a figure is from being settled."""
        slugs = list(slugs)
        documents = [(item.expected, item.predicted_slugs) for item in self.judged if item.split == split]
        draw = random.Random(RESAMPLING_SEED)  # noqa: S311 - resampling, not secrets
        values: dict[str, list[float]] = {key: [] for key in [*slugs, MACRO]}
        for _ in range(RESAMPLES):
            drawn = Counter(draw.choices(range(len(documents)), k=len(documents)))
            per_theme = {slug: Scores() for slug in slugs}
            for index, times in drawn.items():
                expected, predicted = documents[index]
                if expected or predicted:
                    for slug, scores in per_theme.items():
                        scores.add(expected, predicted, slug, times)
            for slug, scores in per_theme.items():
                values[slug].append(scores.f1)
            values[MACRO].append(_macro(per_theme, "f1"))
        return {key: _middle(found) for key, found in values.items()}

    def untagged_share(self, split: str) -> tuple[int, int]:
        """Of the documents about no theme, how many the tagger left untagged, and how many there are."""
        none = [item for item in self.judged if item.split == split and not item.expected]
        return sum(not item.predicted for item in none), len(none)

    def mistakes(self, split: str) -> list[Judged]:
        return [item for item in self.judged if item.split == split and item.expected != item.predicted_slugs]


def _macro(per_theme: dict[str, Scores], key: str) -> float:
    """The mean over the themes of one figure (`precision`, `recall` or `f1`)."""
    return sum(getattr(scores, key) for scores in per_theme.values()) / len(per_theme)


def _middle(values: list[float]) -> tuple[float, float]:
    """The bounds of the middle `INTERVAL` share of the values."""
    ordered = sorted(values)
    tail = (1 - INTERVAL) / 2
    return ordered[round(tail * (len(ordered) - 1))], ordered[round((1 - tail) * (len(ordered) - 1))]


def load_labels(path: Path = REAL_LABELS) -> dict[str, frozenset[str]]:
    """Path relative to the labelled folder -> the themes the document is about (often none)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {entry["pad"]: frozenset(entry.get("themas") or ()) for entry in entries}


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


def real_labels(labels: Path = REAL_LABELS) -> Labels:
    """The labels of a folder recorded in a separate file, such as the shared real corpus's."""
    known = load_labels(labels)
    return lambda relative, _: known.get(relative)


def evaluate_labelled(
    folder: Path, taxonomy: Taxonomy, labels: Path = REAL_LABELS, limits: Limits | None = None
) -> Evaluation:
    """A folder of documents labelled in a separate file, such as the shared real corpus."""
    return _judge(labelled_documents(folder, real_labels(labels), limits=limits), taxonomy)


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


def _span(bounds: tuple[float, float]) -> str:
    return f"{f'{bounds[0]:.2f}–{bounds[1]:.2f}':>16}"


def _reason(match: ThemeMatch) -> str:
    top = sorted(match.hits, key=lambda hit: -hit.count)[:5]
    return ", ".join(f"‘{hit.term}’ {hit.count}× ({hit.location})" for hit in top)


def format_report(evaluation: Evaluation, taxonomy: Taxonomy, name: str, show_held_back_mistakes: bool = False) -> str:
    """Scores for both parts; mistakes of the held-back part only on request, so tuning stays blind."""
    lines = []
    slugs = [theme.slug for theme in taxonomy.themes]
    for split in (TUNING, HELD_BACK):
        per_theme, overall = evaluation.scores(split, slugs)
        count = sum(item.split == split for item in evaluation.judged)
        intervals = evaluation.f1_intervals(split, slugs)
        lines += [
            f"\n== {split}: {name} ({count} documenten) ==",
            f"{'thema':<30} {'precisie':>9} {'recall':>7} {'F1':>6} {f'{INTERVAL:.0%}-interval F1':>16}",
        ]
        for slug, scores in per_theme.items():
            lines.append(
                f"{slug:<30} {scores.precision:>9.3f} {scores.recall:>7.3f} {scores.f1:>6.3f} {_span(intervals[slug])}"
            )
        macro = [_macro(per_theme, key) for key in ("precision", "recall", "f1")]
        lines.append(
            f"{'totaal (macro)':<30} {macro[0]:>9.3f} {macro[1]:>7.3f} {macro[2]:>6.3f} {_span(intervals[MACRO])}"
        )
        lines.append(f"{'totaal (micro)':<30} {overall.precision:>9.3f} {overall.recall:>7.3f} {overall.f1:>6.3f}")
        lines.append(
            f"({INTERVAL:.0%}-interval: de F1 ligt daarbinnen bij {INTERVAL:.0%} van {RESAMPLES} hertrekkingen van "
            "deze documenten; "
            "hoe breder, hoe minder het cijfer zegt)"
        )
        untagged, none = evaluation.untagged_share(split)
        if none:
            lines.append(f"zonder thema en ongetagd gebleven: {untagged} van {none} ({untagged / none:.0%})")
        mistakes = evaluation.mistakes(split) if split == TUNING or show_held_back_mistakes else []
        if mistakes:
            lines.append(f"\nVerkeerd getagd ({len(mistakes)}):")
        for item in mistakes:
            missing = sorted(item.expected - item.predicted_slugs)
            extra = [match for match in item.predicted if match.slug not in item.expected]
            lines.append(f"- {item.path}")
            for slug in missing:
                match = next((m for m in item.candidates if m.slug == slug), None)
                because = f"score {match.score:g} door {_reason(match)}" if match else "geen enkele term gevonden"
                lines.append(f"    gemist: {slug} ({because})")
            for match in extra:
                lines.append(f"    onterecht: {match.slug} (score {match.score:g}) door {_reason(match)}")
    return "\n".join(lines)
