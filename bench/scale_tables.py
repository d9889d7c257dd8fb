"""The tables of `bench.scale`: each measurement at 10,000 posts next to all posts, and their ratio.

The issue's targets read straight off the ratio column: search p95 at all posts at most 2× its value
at 10,000, and the server's memory at most 600 MB.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from bench.indexing import MIB, Workspace
from bench.measure import percentile, print_table, summary_ms
from indexer.corpus.metadata import PROPERTIES, resolve_with_origins
from indexer.extract.markdown import extract_markdown

FRONT_MATTER_CHECKED = 1000
MIB_PER_MB = 1_000_000 / MIB


def front_matter_note(corpus: Path, checked: int = FRONT_MATTER_CHECKED, seed: int = 7) -> str:
    """Whether our Markdown extractor and metadata take the posts' title and date from the front matter.

    Checked before trusting the year facet: a date the resolver cannot read leaves only the year,
    from the file name.
    """
    found = sorted(corpus.glob("*.md"))
    checked = min(checked, len(found))
    chosen = random.Random(seed).sample(found, checked)
    titles = dates = years = 0
    unread: Counter[str] = Counter()
    for path in chosen:
        extraction = extract_markdown(path)
        metadata, origins = resolve_with_origins(path, extraction, {})
        titles += origins["titel"] == PROPERTIES
        dates += metadata.date is not None and origins["datum"] == PROPERTIES
        years += metadata.year is not None
        if metadata.date is None:
            words = str(extraction.properties.get("datum", "")).split()
            unread[words[2] if len(words) > 2 else "(none)"] += 1
    months = ", ".join(f"{month} {count}" for month, count in unread.most_common())
    return (
        f"Front matter, {checked:,} posts of the sample read with `extract_markdown` + `resolve`: title from the "
        f"front matter {titles / checked:.1%}, date from the front matter {dates / checked:.1%}, year known "
        f"{years / checked:.1%}. Dates not read, by the month as written: {months or 'none'}.\n"
    )


def _columns(small: Workspace, full: Workspace) -> tuple[str, str, str]:
    return f"{small.n:,} posts", f"{full.n:,} posts", f"{full.n:,}/{small.n:,}"


def _index_rows(small: dict, full: dict) -> list[tuple[str, object, object]]:
    def cores(result: dict) -> float:
        return (result["main_cpu_s"] + result["workers_cpu_s"]) / result["seconds"]

    return [
        ("documents indexed", small["documents"], full["documents"]),
        (
            "files refused (almost no text, ...)",
            *(result.get("failed_count", len(result["failed"])) for result in (small, full)),
        ),
        ("wall time (s)", small["seconds"], full["seconds"]),
        ("documents/s", small["documents"] / small["seconds"], full["documents"] / full["seconds"]),
        ("CPU s, main process", small["main_cpu_s"], full["main_cpu_s"]),
        ("CPU s, child processes (extraction; writers)", small["workers_cpu_s"], full["workers_cpu_s"]),
        ("cores used (CPU s / wall s)", cores(small), cores(full)),
        ("peak RSS main process (MiB)", small["main_peak_mib"], full["main_peak_mib"]),
        ("peak RSS per worker process (MiB)", small["worker_peak_mib"], full["worker_peak_mib"]),
        ("peak RSS whole process tree (MiB)", small["tree_peak_mib"], full["tree_peak_mib"]),
        ("index size on disk (MiB)", small["index_bytes"] / MIB, full["index_bytes"] / MIB),
        (
            "index bytes per document",
            small["index_bytes"] / small["documents"],
            full["index_bytes"] / full["documents"],
        ),
    ]


def _search_rows(small: dict, full: dict) -> list[tuple[str, object, object]]:
    rows = []
    for label, key in (
        ("cold", "cold_wall"),
        ("warm", "warm_wall"),
        ("cold CPU", "cold_cpu"),
        ("warm CPU", "warm_cpu"),
    ):
        small_ms, full_ms = summary_ms(small[key]), summary_ms(full[key])
        rows += [(f"{label} {stat} (ms)", small_ms[stat], full_ms[stat]) for stat in ("p50", "p95", "p99", "mean")]
    return [
        *rows,
        ("open index (ms)", small["open_s"] * 1000, full["open_s"] * 1000),
        ("first request, cold caches (ms)", small["first_s"] * 1000, full["first_s"] * 1000),
        ("max cold request (ms)", max(small["cold_wall"]) * 1000, max(full["cold_wall"]) * 1000),
        ("requests with no hits", small["empty"], full["empty"]),
    ]


def _http_rows(small: dict, full: dict) -> list[tuple[str, object, object]]:
    def throughput(result: dict) -> float:
        return len(result["latencies"]) / result["seconds"]

    rows = [
        ("requests completed", len(small["latencies"]), len(full["latencies"])),
        ("errors", small["errors"], full["errors"]),
        ("duration (s)", small["seconds"], full["seconds"]),
        ("throughput (searches/s)", throughput(small), throughput(full)),
    ]
    return rows + [
        (f"p{share} (ms)", percentile(small["latencies"], share) * 1000, percentile(full["latencies"], share) * 1000)
        for share in (50, 95, 99)
    ]


def _memory_rows(small: dict, full: dict) -> list[tuple[str, object, object]]:
    keys = (
        ("RSS after warm-up (MiB)", "rss_before_kib"),
        ("RSS after the load (MiB)", "rss_after_kib"),
        ("  of which anonymous, RssAnon (MiB)", "anon_after_kib"),
        ("  of which mapped files, RssFile (MiB)", "file_after_kib"),
        ("peak RSS, VmHWM (MiB)", "peak_rss_kib"),
    )
    return [(label, small[key] / 1024, full[key] / 1024) for label, key in keys]


def tables(small: Workspace, full: Workspace, results: dict[str, dict[str, dict]]) -> list[str]:
    """One Markdown table per measurement that both sizes have figures for (printed and returned)."""
    columns = _columns(small, full)
    both = {
        stage: (result, results["all"][stage]) for stage, result in results["sample"].items() if stage in results["all"]
    }
    out = []

    def loads(stage: str) -> str:
        small_load, full_load = (result["load_before"] for result in both[stage])
        return f"Load average before: {small_load} ({small.n:,}), {full_load} ({full.n:,})."

    if "index" in both:
        note = f"`bench.index_job --system ours --action full`, a fresh process each. {loads('index')}"
        out.append(
            print_table(
                "Full index of real news posts",
                _index_rows(*both["index"]),
                note,
                columns=columns,
                second_over_first=True,
            )
        )
        for space, result in zip((small, full), both["index"], strict=True):
            out.append(f"Index size per field, {space.n:,} posts (`bench.index_size`):\n\n{result['size_table']}\n")
            print(out[-1], flush=True)
    if "search" in both:
        note = (
            f"{len(both['search'][0]['cold_wall'])} distinct requests from the posts' own text, the same at both "
            "sizes, through `Kennisbank.search` (page 1 of 10, facets, snippets), cold then warm in a fresh process; "
            f"CPU: the request thread's time. Target (issue 22): p95 at {full.n:,} at most 2× its value at "
            f"{small.n:,}. {loads('search')}"
        )
        out.append(
            print_table(
                "Search latency in process, real posts",
                _search_rows(*both["search"]),
                note,
                columns=columns,
                second_over_first=True,
            )
        )
    if "http" in both:
        errors = [sample for result in both["http"] for sample in result["error_samples"]]
        note = (
            "`kennisbank serve` on 127.0.0.1, 16 keep-alive clients, GET /zoeken (the HTML page), at most "
            f"3000 requests or 60 s. {loads('http')}" + (f" Errors: {errors}" if errors else "")
        )
        out.append(
            print_table(
                "HTTP load, 16 clients, real posts",
                _http_rows(*both["http"]),
                note,
                columns=columns,
                second_over_first=True,
            )
        )
        target = f"Target: at most 600 MB = {600 * MIB_PER_MB:.0f} MiB after the load."
        out.append(
            print_table(
                "Server memory, real posts",
                _memory_rows(*both["http"]),
                target,
                columns=columns,
                second_over_first=True,
            )
        )
    return out
