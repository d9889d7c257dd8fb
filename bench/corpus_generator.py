"""A realistic synthetic Kennisbank corpus of N documents, deterministic by seed.

Mix: short documents (1–2 pages: factsheets, news, handreikingen) and long reports (20–100 pages).
Reports and a share of the short documents are real multi-page PDFs, so extraction is exercised;
the bulk is Markdown and plain text, so 10,000+ documents generate in about a minute. Every
document has a `.meta.yaml` sidecar (titel, soort, themas, subthemas, datum, bron) so the facets
have values, and `manifest.json` records what was generated (pages, words) for the benchmarks.

Every document is generated from its own random stream (seed, number, variant): a document can
be regenerated alone (the 1%-changed benchmark) and the output does not depend on worker count.

    python -m bench.corpus_generator --n 10000 --out /tmp/kb/bench/n10000/corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import random
import re
import shutil
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from bench.pdfs import write_pdf
from bench.vocabulary import Vocabulary, load_vocabulary
from indexer.corpus.kinds import KINDS

MANIFEST = "manifest.json"
DOCUMENTS = "documenten"
DEFAULT_SEED = 20250101
# Share of long reports (20–100 pages); the rest are 1–2 page documents. Reports are ~30x longer,
# so this share decides most of the text volume and the indexing time.
DEFAULT_REPORT_SHARE = 0.03
# Short documents written as PDF (the rest Markdown or text).
DEFAULT_SHORT_PDF_SHARE = 0.05
MARKDOWN_SHARE = 0.75
SHORT_WORDS_PER_PAGE = (220, 340)
LONG_WORDS_PER_PAGE = (280, 400)
# How a token is chosen: topical word, taxonomy term (may be a phrase), acronym, compound, number.
TOPICAL_SHARE = 0.12
TERM_SHARE = 0.025
ACRONYM_SHARE = 0.004
COMPOUND_SHARE = 0.02
NUMBER_SHARE = 0.012

SHORT_KINDS = {
    "factsheet": 40,
    "nieuwsbericht": 15,
    "handreiking": 15,
    "terugblik": 8,
    "trainingsaanbod": 7,
    "beleidsstuk": 5,
    "overig": 5,
}
LONG_KINDS = {"rapport": 40, "monitor": 20, "handboek": 15, "jaarverslag": 10, "beleidsstuk": 10, "inwerkdossier": 5}
SOURCES = {
    "VeiligheidsAlliantie regio Rotterdam": 30,
    "Politie Eenheid Rotterdam": 12,
    "Openbaar Ministerie Rotterdam": 8,
    "Gemeente Rotterdam": 10,
    "Gemeente Schiedam": 3,
    "Gemeente Vlaardingen": 3,
    "Gemeente Capelle aan den IJssel": 3,
    "Gemeente Nissewaard": 2,
    "Zorg- en Veiligheidshuis Rotterdam-Rijnmond": 6,
    "Veilig Thuis Rotterdam Rijnmond": 5,
    "RIEC Rotterdam": 5,
    "Centrum voor Criminaliteitspreventie en Veiligheid": 4,
    "WODC": 3,
    "Movisie": 2,
    "Nationaal Cyber Security Centrum": 2,
}
FIRST_YEAR, LAST_YEAR = 2012, 2025
TITLE_CONNECTORS = ("en", "in de regio", "bij gemeenten", "voor professionals", "in de wijk", "en de aanpak van")


@dataclass(frozen=True)
class Options:
    n: int
    seed: int = DEFAULT_SEED
    report_share: float = DEFAULT_REPORT_SHARE
    short_pdf_share: float = DEFAULT_SHORT_PDF_SHARE


@dataclass(frozen=True)
class DocSpec:
    number: int
    long: bool
    fmt: str  # "pdf", "md" or "txt"
    kind: str
    themes: tuple[str, ...]
    curated: bool  # themes in the sidecar (else the indexer's tagger decides)
    subthemes: tuple[str, ...]
    date: dt.date
    year_only: bool
    source: str
    pages: int
    words_per_page: int
    title: str
    relative: str  # path below documenten/


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _title(rng: random.Random, kind: str, themes: tuple[str, ...], vocab: Vocabulary, year: int) -> str:
    theme = vocab.themes[themes[0]] if themes else None
    term = rng.choice(theme.terms) if theme else rng.choice(vocab.content_words[:400])
    other = rng.choice(theme.words[:300]) if theme else rng.choice(vocab.content_words[:2000])
    label = KINDS[kind]
    body = f"{term} {rng.choice(TITLE_CONNECTORS)} {other}".strip()
    if kind in ("monitor", "jaarverslag") or rng.random() < 0.15:
        return f"{label} {body} {year}"
    return f"{label} {body}"


def spec_for(number: int, options: Options, vocab: Vocabulary) -> DocSpec:
    """Everything about document `number` except its text; deterministic."""
    rng = random.Random(f"{options.seed}:{number}:spec")
    long = rng.random() < options.report_share
    kind = _weighted(rng, LONG_KINDS if long else SHORT_KINDS)
    slugs = sorted(vocab.themes)
    count = rng.choices((0, 1, 2), weights=(5, 70, 25))[0]
    themes = tuple(sorted(rng.sample(slugs, count)))
    curated = bool(themes) and rng.random() < 0.8
    subthemes: tuple[str, ...] = ()
    if curated and rng.random() < 0.6:
        options_ = [sub for slug in themes for sub in vocab.themes[slug].subthemes]
        subthemes = tuple(sorted(rng.sample(options_, min(len(options_), rng.choice((1, 1, 2))))))
    # Recent years have more documents, as in a growing knowledge base.
    year = LAST_YEAR - min(LAST_YEAR - FIRST_YEAR, int(rng.expovariate(0.25)))
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    if long:
        fmt, pages = "pdf", 20 + int(80 * rng.random() ** 2)
        words_per_page = rng.randint(*LONG_WORDS_PER_PAGE)
    else:
        pages = rng.choice((1, 1, 2))
        words_per_page = rng.randint(*SHORT_WORDS_PER_PAGE)
        is_pdf = rng.random() < options.short_pdf_share
        fmt = "pdf" if is_pdf else ("md" if rng.random() < MARKDOWN_SHARE else "txt")
    title = _title(rng, kind, themes, vocab, year)
    name = f"{kind}-{number:06d}-{'-'.join(_slug(title).split('-')[1:6])}.{fmt}"
    return DocSpec(
        number=number,
        long=long,
        fmt=fmt,
        kind=kind,
        themes=themes,
        curated=curated,
        subthemes=subthemes,
        date=date,
        year_only=rng.random() < 0.1,
        source=_weighted(rng, SOURCES),
        pages=pages,
        words_per_page=words_per_page,
        title=title,
        relative=f"{year}/{name}",
    )


def _number(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return str(rng.randint(FIRST_YEAR - 10, LAST_YEAR))
    if roll < 0.7:
        return f"{rng.randint(1, 99)},{rng.randint(0, 9)}%"
    return str(rng.randint(2, 5000))


class _TokenSource:
    """Zipf-distributed Dutch tokens with topical words, taxonomy terms, compounds and numbers."""

    def __init__(self, vocab: Vocabulary, spec: DocSpec, rng: random.Random) -> None:
        self.vocab, self.rng = vocab, rng
        self.themes = [vocab.themes[slug] for slug in spec.themes]
        self.terms = [term for theme in self.themes for term in theme.terms]
        for theme in self.themes:  # the chosen sub-themes' terms are more frequent
            self.terms += [t for sub in spec.subthemes for t in theme.subthemes.get(sub, ())] * 3
        self.acronyms = [pair for theme in self.themes for pair in theme.acronyms]
        self._content_cum = vocab.cum_weights[: len(vocab.content_words)]

    def tokens(self, count: int) -> list[str]:
        rng, vocab = self.rng, self.vocab
        out = rng.choices(vocab.words, cum_weights=vocab.cum_weights, k=count)
        for position in range(count):
            roll = rng.random()
            if roll < TOPICAL_SHARE and self.themes:
                theme = rng.choice(self.themes)
                out[position] = rng.choices(theme.words, cum_weights=theme.cum_weights)[0]
            elif roll < TOPICAL_SHARE + TERM_SHARE and self.terms:
                out[position] = rng.choice(self.terms)
            elif roll < TOPICAL_SHARE + TERM_SHARE + ACRONYM_SHARE and self.acronyms:
                short, expansion = rng.choice(self.acronyms)
                out[position] = short if rng.random() < 0.7 else f"{expansion} ({short})"
            elif roll < TOPICAL_SHARE + TERM_SHARE + ACRONYM_SHARE + COMPOUND_SHARE:
                first, second = rng.choices(vocab.content_words, cum_weights=self._content_cum, k=2)
                out[position] = f"{first.lower()}{rng.choice(('', '', 's'))}{second.lower()}"
            elif roll < TOPICAL_SHARE + TERM_SHARE + ACRONYM_SHARE + COMPOUND_SHARE + NUMBER_SHARE:
                out[position] = _number(rng)
        return out

    def paragraphs(self, words: int) -> list[str]:
        """Paragraphs of sentences of 6–22 tokens, about `words` tokens in all."""
        rng = self.rng
        tokens = self.tokens(words)
        paragraphs, sentences, start = [], [], 0
        while start < len(tokens):
            length = rng.randint(6, 22)
            sentence = " ".join(tokens[start : start + length])
            start += length
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            if len(sentences) >= rng.randint(2, 6):
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        return paragraphs


def page_texts(spec: DocSpec, vocab: Vocabulary, seed: int, variant: int = 0) -> list[list[str]]:
    """The paragraphs of every page; `variant` > 0 gives the same document with other words."""
    rng = random.Random(f"{seed}:{spec.number}:text:{variant}")
    source = _TokenSource(vocab, spec, rng)
    return [source.paragraphs(spec.words_per_page) for _ in range(spec.pages)]


def _heading(rng: random.Random, vocab: Vocabulary, spec: DocSpec) -> str:
    pool = [t for slug in spec.themes for t in vocab.themes[slug].terms] or list(vocab.content_words[:500])
    text = f"{rng.choice(pool)} {rng.choice(TITLE_CONNECTORS)} {rng.choice(vocab.content_words[:1500])}"
    return text[:1].upper() + text[1:]


def write_text_document(path: Path, spec: DocSpec, pages: list[list[str]], vocab: Vocabulary, seed: int) -> None:
    """Markdown (headings, a list now and then) or plain text with the title on the first line."""
    rng = random.Random(f"{seed}:{spec.number}:layout")
    lines = [f"# {spec.title}" if spec.fmt == "md" else spec.title, ""]
    for paragraphs in pages:
        if spec.fmt == "md":
            lines += [f"## {_heading(rng, vocab, spec)}", ""]
        for paragraph in paragraphs:
            if spec.fmt == "md" and rng.random() < 0.12:
                lines += [f"- {sentence.strip()}" for sentence in paragraph.split(". ") if sentence.strip()]
            else:
                lines.append(paragraph)
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def sidecar(spec: DocSpec) -> dict[str, object]:
    data: dict[str, object] = {"titel": spec.title, "soort": spec.kind}
    if spec.curated:
        data["themas"] = list(spec.themes)
        if spec.subthemes:
            data["subthemas"] = list(spec.subthemes)
    data["datum"] = spec.date.year if spec.year_only else spec.date
    data["bron"] = spec.source
    return data


def write_document(documents: Path, spec: DocSpec, vocab: Vocabulary, seed: int, variant: int = 0) -> dict:
    """Write one document and its sidecar; returns its manifest entry."""
    path = documents / spec.relative
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = page_texts(spec, vocab, seed, variant)
    if spec.fmt == "pdf":
        write_pdf(path, spec.title, spec.source, pages)
    else:
        write_text_document(path, spec, pages, vocab, seed)
    meta = path.with_name(path.name + ".meta.yaml")
    meta.write_text(yaml.safe_dump(sidecar(spec), allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    words = sum(len(paragraph.split()) for page in pages for paragraph in page)
    return {"path": spec.relative, "format": spec.fmt, "long": spec.long, "pages": spec.pages, "words": words}


_WORKER: dict[str, object] = {}


def _init_worker(options: Options, documents: Path) -> None:
    _WORKER.update(options=options, documents=documents, vocab=load_vocabulary())


def _write_number(number: int) -> dict:
    options, vocab = _WORKER["options"], _WORKER["vocab"]
    spec = spec_for(number, options, vocab)  # type: ignore[arg-type]
    return write_document(_WORKER["documents"], spec, vocab, options.seed)  # type: ignore[arg-type]


def manifest_matches(corpus: Path, options: Options) -> bool:
    """True when `corpus` was generated with exactly these options and left unmodified."""
    try:
        manifest = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    return manifest.get("options") == asdict(options) and not manifest.get("modified")


def generate(corpus: Path, options: Options, jobs: int | None = None) -> dict:
    """Write the corpus (replacing what was there) and its manifest; returns the manifest."""
    started = time.perf_counter()
    if corpus.exists():
        shutil.rmtree(corpus)
    documents = corpus / DOCUMENTS
    documents.mkdir(parents=True)
    jobs = jobs or multiprocessing.cpu_count()
    with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (options, documents)) as pool:
        entries = pool.map(_write_number, range(options.n), chunksize=64)
    manifest = {
        "options": asdict(options),
        "generated_s": round(time.perf_counter() - started, 1),
        "documents": entries,
        "modified": False,
    }
    (corpus / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def load_manifest(corpus: Path) -> dict:
    return json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))


def set_modified(corpus: Path, modified: bool) -> None:
    """Mark the corpus as changed by a benchmark, so the next run regenerates it if not restored."""
    manifest = load_manifest(corpus)
    manifest["modified"] = modified
    (corpus / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def change_documents(corpus: Path, share: float, variant: int) -> list[str]:
    """Rewrite `share` of the documents with other words (variant 0 restores them); returns their paths."""
    manifest = load_manifest(corpus)
    options = Options(**manifest["options"])
    vocab = load_vocabulary()
    rng = random.Random(f"{options.seed}:changes")
    numbers = sorted(rng.sample(range(options.n), max(1, round(options.n * share))))
    changed = []
    for number in numbers:
        spec = spec_for(number, options, vocab)
        write_document(corpus / DOCUMENTS, spec, vocab, options.seed, variant)
        changed.append(spec.relative)
    return changed


def added_pdf(target: Path, marker: str, seed: int = DEFAULT_SEED, pages: int = 10) -> Path:
    """A new 10-page report that contains `marker` (a word found nowhere else), with its sidecar."""
    vocab = load_vocabulary()
    spec = DocSpec(
        number=10**7,
        long=True,
        fmt="pdf",
        kind="rapport",
        themes=("mensenhandel",),
        curated=True,
        subthemes=(),
        date=dt.date(LAST_YEAR, 6, 1),
        year_only=False,
        source="VeiligheidsAlliantie regio Rotterdam",
        pages=pages,
        words_per_page=330,
        title=f"Rapport nieuwe aanpak {marker}",
        relative=f"upload-{marker}.pdf",
    )
    target.mkdir(parents=True, exist_ok=True)
    texts = page_texts(spec, vocab, seed)
    texts[pages // 2].append(f"In deze paragraaf staat het kenmerk {marker} van dit rapport.")
    path = target / spec.relative
    write_pdf(path, spec.title, spec.source, texts)
    meta = path.with_name(path.name + ".meta.yaml")
    meta.write_text(yaml.safe_dump(sidecar(spec), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder (documenten/ is created in it)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--report-share", type=float, default=DEFAULT_REPORT_SHARE)
    parser.add_argument("--short-pdf-share", type=float, default=DEFAULT_SHORT_PDF_SHARE)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    options = Options(args.n, args.seed, args.report_share, args.short_pdf_share)
    manifest = generate(args.out, options, args.jobs)
    docs = manifest["documents"]
    print(
        f"{len(docs)} documents, {sum(d['pages'] for d in docs)} pages, {sum(d['words'] for d in docs):,} words, "
        f"{sum(d['format'] == 'pdf' for d in docs)} PDFs, in {manifest['generated_s']} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
