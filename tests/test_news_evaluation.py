"""The news posts' theme evaluation reads the labelled posts from a real .tar.gz archive, all of them, once."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.themes.evaluation import NewsArchiveError, evaluate_news
from indexer.themes.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
POSTS = {
    "2019-5-17-phishing.md": (
        "Phishing via WhatsApp neemt toe",
        "Oplichters sturen phishing via WhatsApp. De politie waarschuwt voor phishing en hackers.",
    ),
    "2019-5-18-weer.md": ("Zonnig weekend", "Het wordt zaterdag en zondag zonnig en warm in het hele land."),
    "2019-5-19-markt.md": ("Markt verhuist", "De weekmarkt verhuist naar het plein bij het station."),
}


def _archive(path: Path, names: list[str]) -> Path:
    """A news archive as the shared one is laid out: posts in a folder, with front matter."""
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            title, text = POSTS.get(name, ("Ander bericht", "Een bericht dat niet gelabeld is."))
            data = f'---\nlayout: post\ntitle: "{title}"\ndate: Fri, 17 May 2019 10:00:00 GMT\n---\n\n{text}\n'.encode()
            member = tarfile.TarInfo(f"nieuwsarchief/{name}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def _labels(path: Path) -> Path:
    path.write_text(
        "- pad: 2019-5-17-phishing.md\n  themas: [digitale-veiligheid]\n"
        "- pad: 2019-5-18-weer.md\n  themas: []\n"
        "- pad: 2019-5-19-markt.md\n  themas: []\n",
        encoding="utf-8",
    )
    return path


def test_the_labelled_posts_are_judged_and_the_others_left_out(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "nieuws.tar.gz", [*POSTS, "2019-5-20-ongelabeld.md"])
    evaluation = evaluate_news(archive, TAXONOMY, _labels(tmp_path / "labels.yaml"))
    judged = {item.path: item for item in evaluation.judged}
    assert sorted(judged) == sorted(POSTS), "a post without labels is not measured"
    assert judged["2019-5-17-phishing.md"].predicted_slugs == {"digitale-veiligheid"}
    assert not judged["2019-5-18-weer.md"].predicted


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (
            ["2019-5-17-phishing.md", "2019-5-18-weer.md"],
            "mist 1 gelabelde berichten (bijvoorbeeld 2019-5-19-markt.md)",
        ),
        ([*POSTS, "2019-5-18-weer.md"], "bevat 1 berichten twee keer (bijvoorbeeld 2019-5-18-weer.md)"),
    ],
)
def test_an_archive_that_lacks_a_labelled_post_or_holds_one_twice_is_refused(
    tmp_path: Path, names: list[str], said: str
) -> None:
    archive = _archive(tmp_path / "nieuws.tar.gz", names)
    with pytest.raises(NewsArchiveError, match="Het nieuwsarchief") as refused:
        evaluate_news(archive, TAXONOMY, _labels(tmp_path / "labels.yaml"))
    assert said in str(refused.value)
