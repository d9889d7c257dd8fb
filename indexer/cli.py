"""The `kennisbank` command: a thin layer over the pipeline and the search façade.

search_app.main adds the web commands on top, so the indexer never imports the web app.

Errors a user can act on come out as one Dutch line on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from indexer.cli_args import EXIT_USAGE, DutchArgumentParser, positive_int, seconds_at_least
from indexer.cli_status import cmd_status
from indexer.config import default_corpus, default_data_dir, default_index
from indexer.corpus.curation_service import Curator
from indexer.corpus.journal import Recovered, recover
from indexer.corpus.layout import NEWS_ARCHIVE, REAL_CORPUS, CorpusLayout
from indexer.corpus.sidecar_fields import SIDECAR_FIELDS
from indexer.engine.backend_choice import engine_config
from indexer.engine.kennisbank import Kennisbank
from indexer.errors import KennisbankError, describe
from indexer.evaluation import runner as search_evaluation
from indexer.indexing.pipeline import run_index
from indexer.indexing.planning import MassRemovalError
from indexer.indexing.progress import ProgressReporter
from indexer.indexing.workers import DEFAULT_TIMEOUT_S, MIN_TIMEOUT_S, Limits
from indexer.models import RunReport
from indexer.themes.evaluation import (
    REGULATION_LABELS,
    REGULATIONS,
    Evaluation,
    check_labelled_folder,
    evaluate,
    evaluate_known,
    evaluate_labelled,
    evaluate_news,
    load_saved_tags,
    save_tags,
)
from indexer.themes.evaluation_report import format_comparison, format_report
from indexer.themes.taxonomy import Taxonomy, load_taxonomy, theme_list

EXIT_FAILED_FILES = 1
EXIT_USER_ERROR = EXIT_USAGE


def print_failures(report: RunReport) -> None:
    for problem in report.failed:
        print(f"MISLUKT    {problem.path}: {describe(problem.issue)}")


def kept_sentence(count: int) -> str:
    """What happened to the unchanged files that this version could not read again (`RunReport.kept`)."""
    if count == 1:
        return "1 bestand kon niet opnieuw worden gelezen; het document blijft zoals het eerder was gelezen (BEHOUDEN)."
    return (
        f"{count} bestanden konden niet opnieuw worden gelezen; hun documenten blijven zoals ze eerder waren "
        "gelezen (BEHOUDEN)."
    )


def print_recovered(recovered: Recovered) -> None:
    for relative, report in recovered.finished:
        print_failures(report)
        if not report.failed:
            print(f"AFGEROND   {relative}: de wijziging van een medewerker die wachtte, is nu doorzoekbaar en gelogd.")
    for relative in recovered.rolled_back:
        print(
            f"ONDERBROKEN {relative}: de publicatie is teruggedraaid; het bestand wacht weer op controle door de "
            "medewerker die het toevoegde."
        )


def print_report(report: RunReport, corpus: Path) -> None:
    """The run's outcome, a line per file that needs attention; `corpus` names the themes."""
    print_failures(report)
    for duplicate in report.duplicates:
        print(f"DUPLICAAT  {duplicate.path} is een kopie van {duplicate.original} en is niet apart opgenomen.")
    for path in report.removed:
        print(f"VERWIJDERD {path}")
    for warning in report.warnings:
        print(f"LET OP     {warning.path}: {describe(warning.issue)}")
    if report.retagged:
        print(
            "Thema's opnieuw bepaald uit de opgeslagen tekst, zonder bestanden opnieuw te lezen (de thema's of "
            f"de indeelregels zijn veranderd): {report.retagged} documenten, bij {len(report.theme_changes)} "
            "veranderde het thema."
        )
    if report.reread or report.kept:
        print(
            "Opnieuw gelezen uit de bestanden, omdat deze versie van de Kennisbank bestanden anders leest: "
            f"{report.reread} documenten, bij {len(report.title_changes)} veranderde de titel en bij "
            f"{len(report.theme_changes)} het thema." + (f" {kept_sentence(len(report.kept))}" if report.kept else "")
        )
    for title_change in report.title_changes:
        print(f"TITEL      {title_change.path}: {title_change.before} → {title_change.after}")
    for problem in report.kept:
        print(f"BEHOUDEN   {problem.path}: {describe(problem.issue)}")
    if report.theme_changes:
        label = load_taxonomy(CorpusLayout(corpus).themes_dir).label
        for change in report.theme_changes:
            before, after = theme_list(change.before, label), theme_list(change.after, label)
            print(f"THEMA      {change.path}: {before} → {after}")
    print(
        f"Klaar{' (index opnieuw opgebouwd)' if report.rebuilt else ''}: "
        f"{len(report.indexed)} geïndexeerd, {len(report.unchanged)} ongewijzigd, "
        f"{len(report.removed)} verwijderd, {len(report.duplicates)} duplicaten, {len(report.failed)} mislukt"
        + (f", {len(report.kept)} behouden zoals eerder gelezen." if report.kept else ".")
    )


def cmd_index(args: argparse.Namespace) -> int:
    """Index what the corpus holds and the index lacks, after the staff changes that the index refused
    earlier or a crash interrupted (kept in the corpus's journal), as the website does when it starts."""
    print_recovered(recover(Curator(CorpusLayout(args.corpus), args.index, args.data, args.engine_config).places))
    try:
        report = run_index(
            args.corpus,
            args.index,
            rebuild=args.rebuild,
            limits=Limits(timeout_s=args.timeout),
            workers=args.workers,
            progress=ProgressReporter(),
            allow_removals=args.verwijderen_toestaan,
            engine=args.engine_config,
        )
    except MassRemovalError as exc:
        print(f"Fout: {exc} Moeten ze echt weg, start dan opnieuw met --verwijderen-toestaan.", file=sys.stderr)
        return EXIT_USER_ERROR
    print_report(report, args.corpus)
    return EXIT_FAILED_FILES if report.failed else 0


def cmd_search(args: argparse.Namespace) -> int:
    engine = Kennisbank(Path(args.index), load_taxonomy(CorpusLayout(args.corpus).themes_dir), args.engine_config)
    results = engine.search(" ".join(args.query), page_size=args.limit)
    if args.json:
        print(json.dumps(asdict(results), ensure_ascii=False, indent=2))
        return 0
    if results.suggestion:
        note = "resultaten voor" if results.corrected else "bedoelde u"
        print(f"({note}: ‘{results.suggestion}’)")
    if results.expansions:
        print(f"(ook gezocht op: {'; '.join(results.expansions)})")
    for note in results.notes:
        print(f"({note})")
    print(f"{results.total} documenten gevonden voor ‘{results.query}’.")
    for number, hit in enumerate(results.hits, start=1):
        pages = f" — pagina {', '.join(map(str, hit.pages))}" if hit.pages and hit.page_count > 1 else ""
        print(f"{number:>3}. {hit.title} [{hit.kind}, {hit.year or 'jaar onbekend'}]{pages}\n     {hit.path}")
    return 0


def cmd_evaluate_themes(args: argparse.Namespace) -> int:
    """Score the tagger on each labelled set; with --vergelijk-met, also against an earlier run's tags
    (saved with --bewaar), so a change to the taxonomy or the tagger shows what it changed."""
    if args.bewaar and not args.bewaar.parent.is_dir():
        raise KennisbankError(f"De map {args.bewaar.parent} voor --bewaar bestaat niet. Kies een bestaande map.")
    earlier = load_saved_tags(args.vergelijk_met) if args.vergelijk_met else None
    taxonomy = load_taxonomy(CorpusLayout(args.corpus).themes_dir)
    own = own_sets(args.eigen_set or [], taxonomy)  # checked before any set is measured
    held_back = args.toon_achtergehouden
    runs: dict[str, Callable[[], Evaluation]] = {"gebundeld": lambda: evaluate(args.corpus, taxonomy)}
    if has_real_corpus(args):
        runs["echt"] = lambda: evaluate_labelled(args.echt_corpus, taxonomy)
    runs["echte regelgeving"] = lambda: evaluate_labelled(REGULATIONS, taxonomy, REGULATION_LABELS)
    runs.update(own)
    if args.nieuwsarchief.is_file() or said_left_out(
        args.nieuwsarchief, "het nieuwsarchief (een .tar.gz-bestand)", "Geef het bestand op met --nieuwsarchief."
    ):
        runs["echt nieuws"] = lambda: evaluate_news(args.nieuwsarchief, taxonomy)
    measured: dict[str, Evaluation] = {}
    for name, run in runs.items():
        measured[name] = evaluation = run()
        print(format_report(evaluation, taxonomy, name, held_back), flush=True)
        if earlier is not None:
            print(format_comparison(evaluation, earlier.get(name), taxonomy, name, held_back), flush=True)
    if args.bewaar:
        save_tags(args.bewaar, measured)
        print(
            f"\nDe thema's per document zijn bewaard in {args.bewaar}: vergelijk een latere meting met --vergelijk-met."
        )
    return 0


def own_sets(sets: list[tuple[Path, Path]], taxonomy: Taxonomy) -> dict[str, Callable[[], Evaluation]]:
    """--eigen-set: folders of documents someone labelled, each with its label file, checked up front."""
    runs: dict[str, Callable[[], Evaluation]] = {}
    for folder, labels in sets:
        known, missing = check_labelled_folder(folder, labels, taxonomy)
        if missing:
            print(
                f"Let op: {len(missing)} van de {len(known)} gelabelde documenten staan niet in {folder} en worden "
                f"niet gemeten, zoals {', '.join(missing[:3])}. Zet ze in de map om ze mee te tellen.",
                file=sys.stderr,
            )
        name, count = f"eigen set {folder.name}", 1
        while name in runs:  # two folders with one name are two sets, each under a heading of its own
            count += 1
            name = f"eigen set {folder.name} ({count})"
        runs[name] = lambda folder=folder, known=known: evaluate_known(folder, taxonomy, known)
    return runs


def cmd_add(args: argparse.Namespace) -> int:
    """Add a file to the corpus with optional metadata, index it, and log who did it (as the staff pages do)."""
    curator = Curator(CorpusLayout(args.corpus), args.index, args.data, args.engine_config)
    actor = f"opdrachtregel:{getpass.getuser()}"
    path = Path(args.bestand)
    staged = curator.stage(path.read_bytes(), path.name, actor)
    values = {field.key: getattr(args, field.key) for field in SIDECAR_FIELDS if field.option}
    published = curator.add(staged, {key: value for key, value in values.items() if value}, actor)
    failure = published.failure
    if failure:
        print(f"Toegevoegd als {published.relative}, maar het kon niet worden gelezen: {describe(failure.issue)}")
        return EXIT_FAILED_FILES
    print(f"Toegevoegd en doorzoekbaar: {published.relative}")
    return 0


def cmd_evaluate_search(args: argparse.Namespace) -> int:
    judged_sets = [search_evaluation.bundled_set(args.corpus)]
    if has_real_corpus(args):
        judged_sets.append(search_evaluation.real_set(args.echt_corpus))
    for judged in judged_sets:
        print(search_evaluation.format_report(judged.name, search_evaluation.evaluate(judged)), flush=True)
    return 0


def build_parser(add_commands: Callable[[argparse._SubParsersAction], None] | None = None) -> argparse.ArgumentParser:
    """The indexer's commands; `add_commands` lets the web app add its own (serve) to the same tool."""
    parser = DutchArgumentParser(prog="kennisbank", description="Kennisbank: indexeren en zoeken.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT", title="opdrachten")

    index = commands.add_parser("index", help="het corpus (bij)werken in de index")
    add_locations(index)
    add_data_dir(index)
    index.add_argument("--rebuild", action="store_true", help="de index helemaal opnieuw opbouwen")
    index.add_argument(
        "--workers", type=positive_int, metavar="N", help="aantal leesprocessen (standaard: één per kern)"
    )
    index.add_argument(
        "--timeout",
        type=seconds_at_least(MIN_TIMEOUT_S),
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDEN",
        help="maximale leestijd per bestand (een pagina die met OCR wordt gelezen krijgt daarbovenop eigen tijd)",
    )
    index.add_argument(
        "--verwijderen-toestaan",
        action="store_true",
        help="ook doorgaan als meer dan de helft van de documenten uit de index zou verdwijnen",
    )
    index.set_defaults(handler=cmd_index)

    find = commands.add_parser("search", help="zoeken in de index")
    add_locations(find)
    find.add_argument("--json", action="store_true", help="resultaten als JSON")
    find.add_argument("--limit", type=positive_int, default=10, metavar="N", help="maximaal aantal resultaten")
    find.add_argument("query", nargs="+", metavar="ZOEKVRAAG", help="wat u zoekt")
    find.set_defaults(handler=cmd_search)

    themes = commands.add_parser("evalueer-themas", help="de automatische thema-indeling meten op het corpus")
    add_locations(themes, index=False)
    themes.add_argument(
        "--toon-achtergehouden",
        action="store_true",
        help="ook de fouten en de veranderde documenten van het achtergehouden deel tonen (niet bij het afstemmen)",
    )
    themes.add_argument(
        "--bewaar",
        type=Path,
        metavar="BESTAND",
        help="de thema's die elk document kreeg in een bestand bewaren, om een latere meting mee te vergelijken",
    )
    themes.add_argument(
        "--vergelijk-met",
        type=Path,
        metavar="BESTAND",
        help="vergelijken met een eerdere meting (--bewaar): het verschil per thema, met een interval",
    )
    add_real_corpus(themes)
    themes.add_argument(
        "--nieuwsarchief",
        type=Path,
        default=NEWS_ARCHIVE,
        metavar="BESTAND",
        help="het archief met echte nieuwsberichten (.tar.gz), waarvan een steekproef met thema's is gelabeld",
    )
    themes.add_argument(
        "--eigen-set",
        nargs=2,
        type=Path,
        action="append",
        metavar=("MAP", "LABELS"),
        help="ook meten op een eigen map met documenten en een YAML-bestand met hun thema's (elk document als "
        "'- pad: bestand.md' met 'themas: [...]'); mag vaker",
    )
    themes.set_defaults(handler=cmd_evaluate_themes)

    ranking = commands.add_parser("evalueer-zoeken", help="de zoekkwaliteit meten op de beoordeelde zoekvragen")
    add_locations(ranking, index=False)
    add_real_corpus(ranking)
    ranking.set_defaults(handler=cmd_evaluate_search)

    add = commands.add_parser("toevoegen", help="een bestand aan het corpus toevoegen en indexeren")
    add_locations(add)
    add_data_dir(add)
    add.add_argument("bestand", metavar="BESTAND", help="het bestand (PDF, HTML, Markdown of tekst)")
    for field in SIDECAR_FIELDS:
        if field.option:
            many = {"action": "append", "default": []} if field.is_list else {}
            add.add_argument(
                field.option.flag, dest=field.key, metavar=field.option.metavar, help=field.option.help, **many
            )
    add.set_defaults(handler=cmd_add)

    status = commands.add_parser("status", help="de index en (bij Typesense) de servers bekijken")
    add_locations(status, corpus=False)
    status.add_argument("--json", action="store_true", help="als JSON")
    status.set_defaults(handler=cmd_status)

    if add_commands:
        add_commands(commands)
    return parser


def add_locations(sub: argparse.ArgumentParser, corpus: bool = True, index: bool = True) -> None:
    """--corpus, and --index and --engine, with their defaults from the environment."""
    if corpus:
        sub.add_argument("--corpus", type=Path, default=default_corpus(), metavar="MAP", help="map met het corpus")
    if index:
        where = "map van de index (bij Typesense: van de staat van de indexering)"
        sub.add_argument("--index", type=Path, default=default_index(), metavar="MAP", help=where)
        sub.add_argument(
            "--engine",
            metavar="ZOEKMACHINE",
            help="typesense://host:poort,... voor een Typesense-cluster (standaard: KENNISBANK_ENGINE, anders de "
            "ingebouwde); de API-sleutel komt uit KENNISBANK_TYPESENSE_API_KEY(_FILE)",
        )


def add_data_dir(sub: argparse.ArgumentParser) -> None:
    """--data: the folder of the staff accounts, the audit log and uploads waiting for review."""
    sub.add_argument("--data", type=Path, default=default_data_dir(), metavar="MAP", help="map met de beheergegevens")


def add_real_corpus(sub: argparse.ArgumentParser) -> None:
    """--echt-corpus: the shared real documents the evaluations measure beside the bundled corpus."""
    sub.add_argument(
        "--echt-corpus",
        type=Path,
        default=REAL_CORPUS,
        metavar="MAP",
        help="map met de echte documenten (docs/)",
    )


def has_real_corpus(args: argparse.Namespace) -> bool:
    """Whether the real corpus is there; if not, say that it is not measured."""
    return args.echt_corpus.is_dir() or said_left_out(
        args.echt_corpus, "het echte corpus", "Geef de map met --echt-corpus op."
    )


def said_left_out(location: Path, what: str, how_to_point: str) -> bool:
    """Say that a shared evaluation set is missing, so it is left out, and how to point to it. False,
    so that `present or said_left_out(...)` reads as the condition to measure it."""
    print(f"Let op: {what} {location} ontbreekt, dus dat wordt niet gemeten. {how_to_point}", file=sys.stderr)
    return False


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one command; `parser` lets the web app add its own commands (serve) on top."""
    args = (parser or build_parser()).parse_args(argv)
    try:
        if hasattr(args, "engine"):  # before anything is read or written: a wrong setting touches nothing
            args.engine_config = engine_config(args.engine, os.environ)
        return args.handler(args)
    except KennisbankError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"Fout: een bestand of map kon niet worden gelezen of geschreven{where}: {exc.strerror or exc}. "
            "Controleer of de map bestaat, of er schijfruimte is en of u er rechten op hebt.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
