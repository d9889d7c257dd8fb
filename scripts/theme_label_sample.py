"""Pooled samples of real news posts to label by theme (issue 18): corpus/evaluatie/nieuws-themas.yaml.

    python -m scripts.theme_label_sample POSTS --out FOLDER [--seed N] [--skip LABELS.yaml]

POSTS is the unpacked news archive of ../shared/scale/. About 2% of its posts carry a theme, so a
random sample alone would hold a handful per theme. As search judgments pool several systems'
results, the sample pools three sources:
- `RANDOM_POSTS` posts drawn at random: documents about no theme, and the tagger's precision;
- per theme, `TAGGED_POSTS` posts the tagger gives that theme;
- per theme, `NET_POSTS` posts that a broad net of words from the theme's description finds but
  the tagger does not give that theme: where its recall is missing.
Posts with a lead under `MIN_LEAD_CHARS` (a missing person's name, a headline alone) and posts that
are documents of the real corpus are left out. FOLDER gets `sample.json` with each post's source,
and `BATCHES` shuffled batches without it, for labellers who must not know why a post was drawn.
The tagger's part of the sample depends on the tagger. The labelled samples: seed 20261206 with the
tagger and theme files of commit dbd87ad; seed 20261207 with those of 617a338 and seed 20261208 with
those of 42ab1f3, each skipping the posts of the samples before it (`--skip
corpus/evaluatie/nieuws-themas.yaml`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from indexer.corpus.layout import BUNDLED_CORPUS, REAL_CORPUS, THEMES_DIR
from indexer.themes.evaluation import load_labels
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import load_taxonomy
from scripts.theme_vocabulary import Post, read_posts

RANDOM_POSTS = 150
TAGGED_POSTS = 30
NET_POSTS = 45
MIN_LEAD_CHARS = 80
BATCHES = 5
# Word beginnings from each theme's description and the wider news vocabulary around it: a net
# much wider than the taxonomy, so that it catches posts the taxonomy has no term for.
NETS = {
    "digitale-veiligheid": r"cyber|hack|phishing|oplicht|fraude|online|internet|digita|datalek|gegevens|privacy|"
    r"wachtwoord|malware|ransomware|computer|whatsapp|sociale media|website|app\b|spam|ddos|bitcoin",
    "jeugd-en-veiligheid": r"jongere|jeugd|minderjarig|tiener|scholier|school|leerling|\b1[0-7]-jarig|"
    r"jongen van 1[0-7]|meisje van 1[0-7]|kinderen",
    "maatschappelijk-ongenoegen": r"demonstr|protest|rellen|\brel\b|onrust|actievoer|boeren|gele hesjes|bedreig|"
    r"extremis|radicali|polaris|woede|ongenoegen|mobiele eenheid|aanslag|complot|intimid|opstootje|ordeverstoring",
    "mensenhandel": r"uitbuit|mensenhandel|prostitu|smokkel|arbeidsmigrant|loverboy|gedwongen|slavernij|"
    r"illegale arbeid|seksbedrijf|escort|mensensmokkel",
    "zorg-en-veiligheid": r"verward|psychisch|zorg|huiselijk geweld|mishandel|ggz|dakloos|verslav|overlast|"
    r"femicide|schuld|gedwongen opname|tbs|kwetsbar|eenzaam",
}


def draw(posts: list[Post], themes_of: dict[str, set[str]], rng: random.Random) -> dict[str, str]:
    """Post name -> the source that drew it; each source draws from the posts not drawn yet."""
    drawn = {post.name: "random" for post in rng.sample(posts, RANDOM_POSTS)}
    for slug, net in NETS.items():
        pattern = re.compile(net)
        tagged = [post for post in posts if slug in themes_of[post.name] and post.name not in drawn]
        missed = [
            post
            for post in posts
            if slug not in themes_of[post.name]
            and pattern.search(f"{post.title} {post.lead}".lower())
            and post.name not in drawn
        ]
        for post in rng.sample(tagged, min(TAGGED_POSTS, len(tagged))):
            drawn[post.name] = f"tagger:{slug}"
        for post in rng.sample(missed, min(NET_POSTS, len(missed))):
            drawn[post.name] = f"net:{slug}"
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path, help="folder of unpacked news posts (Markdown with front matter)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261206, help="the sample's seed (each sample its own)")
    parser.add_argument("--skip", type=Path, help="labels file whose posts are not drawn again")
    arguments = parser.parse_args()
    real_documents = frozenset(path.name for path in REAL_CORPUS.rglob("*.md"))
    # Posts labelled in an earlier sample are not drawn again.
    labelled_before = frozenset(load_labels(arguments.skip)) if arguments.skip else frozenset()
    posts = [
        post
        for post in read_posts(arguments.posts, real_documents)
        if len(post.lead) >= MIN_LEAD_CHARS and post.name not in labelled_before
    ]
    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    themes_of = {post.name: {match.slug for match in tag(post.title, "", post.lead, taxonomy)[0]} for post in posts}
    by_name = {post.name: post for post in posts}
    rng = random.Random(arguments.seed)
    drawn = draw(posts, themes_of, rng)
    sample = [
        {"pad": name, "titel": by_name[name].title, "tekst": by_name[name].lead, "bron": source}
        for name, source in drawn.items()
    ]
    rng.shuffle(sample)
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "sample.json").write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
    for number in range(BATCHES):
        batch = [{key: post[key] for key in ("pad", "titel", "tekst")} for post in sample[number::BATCHES]]
        batch_file = arguments.out / f"batch-{number + 1}.json"
        batch_file.write_text(json.dumps(batch, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(sample)} posts drawn into {arguments.out}")


if __name__ == "__main__":
    main()
