"""Search latency of phrase-heavy requests, for two code trees over their own indexes, in turns.

Quoted phrases, acronyms (whose expansions are phrases) and compounds (whose parts are looked for as
phrases, both orders) from the benchmark's query generator (`queries.py`), each request run once
cold and once warm in a fresh process per tree and round. Made to compare a change with the code
before it (issue 22: word pairs only where phrases need them), so the trees alternate:

    python -m bench.phrase_latency --corpus C --run before=/tmp/tree-before:/tmp/index-before \\
        --run after=.:/tmp/index-after --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.measure import fmt, ratio, summary_ms

# The generator's kinds of request whose words become phrases.
PHRASE_KINDS = ("phrase", "acronym", "compound")
GENERATED = 1500  # requests generated; about a fifth are of those kinds


def job(corpus: Path, index_root: Path) -> dict:
    """Time every phrase-heavy request cold, then warm, in this process (with this tree's code)."""
    from bench.queries import generate_queries
    from bench.search_latency import ours_runner, timed_pass

    specs = [spec for spec in generate_queries(GENERATED, 7) if spec.category.startswith(PHRASE_KINDS)]
    run = ours_runner(corpus, index_root)
    cold_wall, cold_cpu, empty = timed_pass(run, specs)
    warm_wall, warm_cpu, _ = timed_pass(run, specs)
    return {"queries": len(specs), "empty": empty, "cold_wall": cold_wall, "cold_cpu": cold_cpu,
            "warm_wall": warm_wall, "warm_cpu": warm_cpu}  # fmt: skip


def _run(tree: Path, corpus: Path, index_root: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--job", "--corpus", str(corpus)]
    command += ["--index", str(index_root)]
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tree, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--run", action="append", default=[], help="LABEL=TREE:INDEX")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--job", action="store_true", help="one timed process (used by the driver)")
    parser.add_argument("--index", type=Path)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(job(args.corpus, args.index)))
        return
    runs = {label: tuple(Path(part).resolve() for part in rest.split(":")) for label, rest in
            (item.split("=", 1) for item in args.run)}  # fmt: skip
    timings: dict[str, dict[str, list[float]]] = {label: {} for label in runs}
    for _ in range(args.rounds):
        for label, (tree, index_root) in runs.items():
            result = _run(tree, args.corpus, index_root)
            for key in ("cold_wall", "cold_cpu", "warm_wall", "warm_cpu"):
                timings[label].setdefault(key, []).extend(result[key])
            print(label, result["queries"], "requests,", result["empty"], "without hits", file=sys.stderr)
    labels = list(runs)
    first, last = labels[0], labels[-1]
    print(f"| ms, {args.rounds} rounds in turns | {' | '.join(runs)} | {last}/{first} |")
    print("|---|" + "---:|" * (len(runs) + 1))
    for key in ("cold_wall", "warm_wall", "cold_cpu", "warm_cpu"):
        for stat in ("p50", "p95", "p99", "mean"):
            values = [summary_ms(timings[label][key])[stat] for label in runs]
            shown = " | ".join(fmt(value, 1) for value in values)
            print(f"| {key.replace('_', ' ')} {stat} | {shown} | {ratio(values[-1], values[0])} |")


if __name__ == "__main__":
    main()
