"""The peer harness's queries (`../shared/peers/`) through `/api/zoeken` in process: a profile of
the requests, the CPU time per request, and each query's top ten ids and a hash of its whole
response, to compare two trees.

The harness measures over HTTP; this runs the same queries through Flask's test client, so a
profile shows the request's own work without the server and network around it.

    python -m bench.peer_queries --corpus /tmp/ss/corpus-10k/docs --index /tmp/ss/kb-index \
        --queries /tmp/ss/corpus-10k/queries.txt --profile --top 40
    python -m bench.peer_queries ... --ids-out /tmp/ss/ids-main.json   # then diff two trees' files
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.measure import percentile
from bench.profiles import profile
from search_app import create_app

# The harness measures the first 500 distinct queries of its file at one client.
HARNESS_QUERIES = 500
WARM_UP_QUERIES = 20


def harness_queries(path: Path, count: int) -> list[str]:
    """The file's distinct queries in order, as the harness reads them."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--count", type=int, default=HARNESS_QUERIES)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the requests")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--ids-out", type=Path, help="write each query's total, top ten ids and response hash")
    args = parser.parse_args()
    queries = harness_queries(args.queries, args.count + WARM_UP_QUERIES)
    warm_up, measured = queries[args.count :], queries[: args.count]
    with tempfile.TemporaryDirectory(prefix="peer-queries-") as data:
        app = create_app(
            {"CORPUS": args.corpus, "INDEX": args.index, "DATA_DIR": Path(data), "SECRET_KEY": "bench-only"}
        )
        client = app.test_client()
        for query in warm_up:  # a long-running server has its caches and snapshot
            client.get(f"/api/zoeken?q={quote(query)}")
        answers: dict[str, dict] = {}
        cpu_ms: list[float] = []

        def work() -> None:
            for query in measured:
                started = time.process_time()
                response = client.get(f"/api/zoeken?q={quote(query)}")
                cpu_ms.append((time.process_time() - started) * 1000)
                body = response.get_json()
                answers[query] = {
                    "total": body["total"],
                    "ids": [hit["id"] for hit in body["hits"]],
                    "response_sha256": hashlib.sha256(response.data).hexdigest(),  # snippets, facets too
                }

        if args.profile:
            print(profile(work, args.top, cpu_timer=False))
        else:
            work()
    print(
        f"{len(measured)} queries, CPU ms per request: p50 {percentile(cpu_ms, 50):.1f}, "
        f"p95 {percentile(cpu_ms, 95):.1f}, p99 {percentile(cpu_ms, 99):.1f}, "
        f"mean {sum(cpu_ms) / len(cpu_ms):.1f}" + (" (profiler included)" if args.profile else "")
    )
    if args.ids_out:
        args.ids_out.write_text(json.dumps(answers, ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
