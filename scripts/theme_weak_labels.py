"""A learned theme model from weak labels over real Dutch news, measured on the tuning part (issue 18).

    pip install scikit-learn        # not a dependency of the project: the model was not kept
    python -m scripts.theme_weak_labels POSTS [--echt-corpus MAP] [--unmasked]

POSTS is the unpacked news archive of /work/shared/scale/ (as bench/scale.py unpacks it). The rules
label the posts: a post they tag with a score of at least `POSITIVE_SCORE` is a positive for that
theme, a post with no evidence for any theme a negative. Posts that are labelled documents
themselves are left out. A logistic regression per theme learns from TF-IDF over the tagger's stems
of the other words: the taxonomy's own terms are masked, or the model would only learn the rules
back (`--unmasked` keeps them, to compare). On the labelled tuning part it may only ADD a theme the
rules found evidence for but too little (a rule score of at least one of `MIN_EVIDENCE`), above a
probability. Printed are its ranking quality (AUC) per theme, what each threshold adds, and 5-fold
cross-validation of choosing the threshold. The held-back part is never loaded.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from indexer.analysis.wordforms import STOP_WORDS, stem, words
from indexer.corpus.layout import BUNDLED_CORPUS, REAL_CORPUS, THEMES_DIR
from indexer.themes.evaluation import TUNING, Labelled, Scores, labelled_documents, load_labels, real_labels
from indexer.themes.tagging import score, tag
from indexer.themes.tagging.counting import count_terms
from indexer.themes.tagging.terms import compile_taxonomy
from indexer.themes.taxonomy import Taxonomy, load_taxonomy
from scripts.theme_vocabulary import read_posts

POSITIVE_SCORE = 12.0  # twice a news brief's bar: a strong term in the lead, said again
NEGATIVES = 30_000  # posts without any evidence, drawn with SEED
SEED = 1
OPENING_WORDS = 400  # a document is read as a news post: its title and opening
PROBABILITIES = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98)
MIN_EVIDENCE = (0.0, 7.0)
FOLDS = 5
CHECKED = 10  # the rules' tags with the lowest probability: would the model catch their mistakes?


class Stems:
    """The stems of a text's content words, without those the taxonomy already matches (`mask`)."""

    def __init__(self, taxonomy: Taxonomy, mask: bool = True) -> None:
        self._compiled = compile_taxonomy(taxonomy)
        self._is_term: dict[str, bool] = {}
        self._mask = mask

    def __call__(self, text: str, limit: int | None = None) -> str:
        tokens = [token for token in words(text) if token not in STOP_WORDS and not token.isdigit() and len(token) > 2]
        kept = []
        for token in tokens[:limit]:
            if token not in self._is_term:
                self._is_term[token] = self._mask and bool(count_terms(token, self._compiled))
            if not self._is_term[token]:
                kept.append(stem(token))
        return " ".join(kept)


def weak_labels(
    posts: Path, stems: Stems, taxonomy: Taxonomy, skip: frozenset[str]
) -> tuple[list[str], list[dict[str, float]]]:
    """Stems of the positives and a sample of the negatives, and the themes the rules gave each."""
    positives: list[tuple[str, dict[str, float]]] = []
    negatives: list[str] = []
    for post in read_posts(posts, skip):
        evidence = score(post.title, "", post.lead, taxonomy)
        themes = {match.slug: match.score for match in tag(post.title, "", post.lead, taxonomy, evidence)[0]}
        if any(value >= POSITIVE_SCORE for value in themes.values()):
            positives.append((stems(f"{post.title}\n{post.lead}"), themes))
        elif not evidence:
            negatives.append(f"{post.title}\n{post.lead}")
    sample = random.Random(SEED).sample(negatives, min(NEGATIVES, len(negatives)))
    texts = [text for text, _ in positives] + [stems(text) for text in sample]
    return texts, [themes for _, themes in positives] + [{} for _ in sample]


def _macro_f1(expected: list[frozenset[str]], predicted: list[frozenset[str]], slugs: list[str]) -> float:
    per_theme = {slug: Scores() for slug in slugs}
    for wanted, given in zip(expected, predicted, strict=True):
        for slug, scores in per_theme.items():
            scores.add(wanted, given, slug)
    return sum(scores.f1 for scores in per_theme.values()) / len(slugs)


def _fold(path: str) -> int:
    return int(hashlib.sha256(path.encode()).hexdigest(), 16) % FOLDS


@dataclass(frozen=True)
class Decisions:
    """What the rules and the model say about each tuning document, and what it is about."""

    paths: list[str]
    expected: list[frozenset[str]]
    rules: list[frozenset[str]]  # the themes the rules give
    evidence: list[dict[str, float]]  # the rule score of every theme with evidence
    probability: dict[str, list[float]]  # per theme, the model's probability for each document

    def predicted(self, threshold: float, minimum: float) -> list[frozenset[str]]:
        """The rules' themes plus those with evidence of at least `minimum` the model finds likely enough."""
        return [
            given | {s for s, value in found.items() if value >= minimum and self.probability[s][i] >= threshold}
            for i, (given, found) in enumerate(zip(self.rules, self.evidence, strict=True))
        ]


def fit_models(
    texts: list[str], labels: list[dict[str, float]], documents: list[Labelled], stems: Stems, slugs: list[str]
) -> tuple[dict[str, list[float]], list[str]]:
    """One model per theme from the weak labels: its probabilities on the tuning documents, and its AUC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    vectorizer = TfidfVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, min_df=5, max_df=0.3, sublinear_tf=True
    )
    features = vectorizer.fit_transform(texts)
    tuning = vectorizer.transform([stems(f"{d.title}\n{d.summary}\n{d.text}", OPENING_WORDS) for d in documents])
    lines = [f"{features.shape[0]} nieuwsberichten, {features.shape[1]} stammen; {len(documents)} afstemdocumenten"]
    probability: dict[str, list[float]] = {}
    names = vectorizer.get_feature_names_out()
    for slug in slugs:
        target = [labels_of.get(slug, 0.0) >= POSITIVE_SCORE for labels_of in labels]
        model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(features, target)
        probability[slug] = list(model.predict_proba(tuning)[:, 1])
        auc = roc_auc_score([slug in document.expected for document in documents], probability[slug])
        top = " ".join(names[i] for i in model.coef_[0].argsort()[::-1][:12])
        lines.append(f"{slug}: {sum(target)} positief, AUC afstemming {auc:.3f}; sterkste woorden: {top}")
    return probability, lines


def decide(documents: list[Labelled], probability: dict[str, list[float]], taxonomy: Taxonomy) -> Decisions:
    """The rules' themes and evidence per document, each document scored once."""
    rules, evidence = [], []
    for document in documents:
        arguments = (document.title, document.summary, document.text, taxonomy)
        found = score(*arguments)
        rules.append(frozenset(match.slug for match in tag(*arguments, found)[0]))
        evidence.append({m.slug: m.score for m in found if m.parent is None})
    paths = [document.path for document in documents]
    return Decisions(paths, [document.expected for document in documents], rules, evidence, probability)


def rule_baseline(decisions: Decisions, slugs: list[str]) -> list[str]:
    """The rules alone, and whether the model doubts the rules' tags that are wrong."""
    expected, rules = decisions.expected, decisions.rules
    given = sorted((decisions.probability[s][i], s in expected[i]) for i, tags in enumerate(rules) for s in tags)
    lowest = given[:CHECKED]
    return [
        f"\nalleen de regels: macro-F1 {_macro_f1(expected, rules, slugs):.3f}",
        f"de {len(lowest)} van {len(given)} regeltags met de laagste kans: {sum(right for _, right in lowest)} terecht",
    ]


def threshold_table(decisions: Decisions, slugs: list[str]) -> list[str]:
    """What each evidence minimum and probability threshold adds, right and wrong, and its macro-F1."""
    lines = []
    for minimum in MIN_EVIDENCE:
        for threshold in PROBABILITIES:
            tags = decisions.predicted(threshold, minimum)
            added = [
                (slug in wanted)
                for given, tags_of, wanted in zip(decisions.rules, tags, decisions.expected, strict=True)
                for slug in tags_of - given
            ]
            lines.append(
                f"bewijs >= {minimum:g}, kans >= {threshold}: macro-F1 {_macro_f1(decisions.expected, tags, slugs):.3f}"
                f" (+{sum(added)} goed, +{len(added) - sum(added)} fout)"
            )
    return lines


def cross_validate(decisions: Decisions, slugs: list[str]) -> list[str]:
    """Choosing the threshold on four folds and applying it to the fifth: what a chosen threshold is worth."""
    expected = decisions.expected
    settings = [(2.0, 0.0)] + [(t, m) for m in MIN_EVIDENCE for t in PROBABILITIES]  # 2.0: never adds
    chosen: list[frozenset[str]] = list(decisions.rules)
    lines = []
    for fold in range(FOLDS):
        inside = [i for i, path in enumerate(decisions.paths) if _fold(path) != fold]

        def fit(setting: tuple[float, float], inside: list[int] = inside) -> float:
            tags = decisions.predicted(*setting)
            return _macro_f1([expected[i] for i in inside], [tags[i] for i in inside], slugs)

        best = max(settings, key=fit)  # the first best: no additions when nothing beats the rules
        tags = decisions.predicted(*best)
        for i, path in enumerate(decisions.paths):
            if _fold(path) == fold:
                chosen[i] = tags[i]
        lines.append(f"vouw {fold + 1}: gekozen kans >= {best[0]}, bewijs >= {best[1]:g}")
    lines.append(f"{FOLDS}-voudige kruisvalidatie: macro-F1 {_macro_f1(expected, chosen, slugs):.3f}")
    return lines


def measure(
    texts: list[str], labels: list[dict[str, float]], documents: list[Labelled], stems: Stems, taxonomy: Taxonomy
) -> str:
    """The report: the models, the rules alone, each threshold, and the cross-validated choice."""
    slugs = [theme.slug for theme in taxonomy.themes]
    probability, lines = fit_models(texts, labels, documents, stems, slugs)
    decisions = decide(documents, probability, taxonomy)
    lines += rule_baseline(decisions, slugs) + threshold_table(decisions, slugs) + cross_validate(decisions, slugs)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path, help="folder of unpacked news posts (Markdown with front matter)")
    parser.add_argument("--echt-corpus", type=Path, default=REAL_CORPUS)
    parser.add_argument("--unmasked", action="store_true", help="keep the taxonomy terms among the features")
    arguments = parser.parse_args()
    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    stems = Stems(taxonomy, mask=not arguments.unmasked)
    labelled = frozenset(Path(relative).name for relative in load_labels())
    texts, labels = weak_labels(arguments.posts, stems, taxonomy, labelled)
    tuning = labelled_documents(arguments.echt_corpus, real_labels(), TUNING)
    print(measure(texts, labels, tuning, stems, taxonomy))


if __name__ == "__main__":
    main()
