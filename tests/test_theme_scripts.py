"""The measuring scripts of the theme tagger (issue 18): what they read, mask and count."""

from __future__ import annotations

from pathlib import Path

from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.themes.evaluation import Labelled
from indexer.themes.taxonomy import load_taxonomy
from scripts.theme_near_misses import candidates
from scripts.theme_vocabulary import read_posts
from scripts.theme_weak_labels import Stems

TAXONOMY = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)


def _post(folder: Path, name: str, title: str, text: str) -> None:
    (folder / name).write_text(
        f'---\nlayout: post\ntitle: "{title}"\ndate: Fri, 17 May 2019 10:00:00 GMT\n---\n\n{text}\n'
    )


def test_posts_are_read_once_and_labelled_ones_left_out(tmp_path: Path) -> None:
    _post(tmp_path, "2019-5-17-datalek.md", "Datalek bij gemeente", "Gegevens van inwoners lagen op straat.")
    _post(tmp_path, "2019-5-18-datalek.md", "Datalek bij gemeente", "Gegevens van inwoners lagen op straat.")
    _post(tmp_path, "2019-5-19-rellen.md", "Rellen in de stad", "De ME greep in.")
    posts = list(read_posts(tmp_path, skip=frozenset({"2019-5-19-rellen.md"})))
    assert posts == [
        ("2019-5-17-datalek.md", "Datalek bij gemeente", "Gegevens van inwoners lagen op straat.", "May 2019")
    ], "a repeated post counts once, and a post that is a labelled document is not a training post"


def test_the_model_learns_from_the_words_around_the_taxonomy_terms() -> None:
    stems = Stems(TAXONOMY)("Een phishingmail en ransomware: een aanval op de server van de gemeente.")
    assert stems.split() == ["aanval", "server", "gemeent"], "taxonomy terms, compounds too, are masked"
    unmasked = Stems(TAXONOMY, mask=False)("Een phishingmail en ransomware.")
    assert unmasked.split() == ["phishingmail", "ransomwar"], "to compare, the terms may also be kept"


def test_a_theme_with_too_little_evidence_is_a_candidate() -> None:
    security = Labelled(
        "nieuws/security.md",
        frozenset({"digitale-veiligheid"}),
        "Trainingen in security",
        "",
        "De security van bedrijven: security trainingen in Amsterdam.",
    )
    phishing = Labelled("nieuws/phishing.md", frozenset(), "Phishing", "", "Phishing neemt toe. Weer phishing.")
    found = candidates([security, phishing], TAXONOMY)
    assert [(c.document.path, c.match.slug, c.about) for c in found] == [
        ("nieuws/security.md", "digitale-veiligheid", True)
    ], "only a theme with evidence that the tagger does not give is a candidate, marked when it is right"
