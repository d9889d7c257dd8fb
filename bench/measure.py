"""Shared measuring tools: percentiles, process-tree memory and CPU, disk usage, result tables.

Worker processes are forked by multiprocessing's fork server, so they are grandchildren of the
indexing process; getrusage(RUSAGE_CHILDREN) only sees them once the fork server exits, which it
does not do while the process lives. We therefore sample /proc for the whole process tree.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..100); nearest rank never invents a value."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[min(len(ordered), int(rank)) - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds."""
    millis = [value * 1000 for value in seconds]
    return {
        "p50": percentile(millis, 50),
        "p95": percentile(millis, 95),
        "p99": percentile(millis, 99),
        "mean": sum(millis) / len(millis) if millis else float("nan"),
        "max": max(millis, default=float("nan")),
    }


def dir_bytes(path: Path) -> int:
    """Bytes of all files below `path` (apparent size)."""
    total = 0
    for directory, _, files in os.walk(path):
        for name in files:
            try:
                total += (Path(directory) / name).stat().st_size
            except FileNotFoundError:
                continue  # a segment merged away while we walked
    return total


def status_kib(pid: int, key: str) -> int:
    """A `VmRSS`/`VmHWM` style value from /proc/<pid>/status, in KiB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return 0


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name may contain spaces; everything after the last ")" is space-separated.
    return raw[raw.rindex(")") + 2 :].split()


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children, found, pending = _children_map(), [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def tree_status_kib(pid: int, key: str) -> int:
    """`status_kib` summed over a process and its descendants (a server's master and workers)."""
    return sum(status_kib(member, key) for member in descendants(pid))


@dataclass
class TreeUsage:
    """Peak memory and CPU seen for the descendants of one process."""

    peak_tree_rss_kib: int = 0  # the most the root and all descendants held at one moment
    peak_child_kib: int = 0  # the largest peak RSS (VmHWM) of a direct child (fork server)
    peak_grandchild_kib: int = 0  # the largest peak RSS of a worker (a child of the fork server)
    descendant_cpu_s: float = 0.0
    _cpu_by_pid: dict[int, float] = field(default_factory=dict)


class TreeSampler:
    """Samples the process tree below `root` every `interval_s` seconds in a daemon thread."""

    def __init__(self, root: int | None = None, interval_s: float = 0.1) -> None:
        self.root = root or os.getpid()
        self.interval_s = interval_s
        self.usage = TreeUsage()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
        self.usage.descendant_cpu_s = sum(self.usage._cpu_by_pid.values())

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def sample(self) -> None:
        children = _children_map()
        usage = self.usage
        tree_rss = status_kib(self.root, "VmRSS")
        for child in children.get(self.root, []):
            usage.peak_child_kib = max(usage.peak_child_kib, status_kib(child, "VmHWM"))
            for pid, depth in _descendants(child, children):
                tree_rss += status_kib(pid, "VmRSS")
                if depth >= 1:
                    usage.peak_grandchild_kib = max(usage.peak_grandchild_kib, status_kib(pid, "VmHWM"))
                fields = _stat_fields(pid)
                if fields:
                    usage._cpu_by_pid[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        usage.peak_tree_rss_kib = max(usage.peak_tree_rss_kib, tree_rss)


def _descendants(pid: int, children: dict[int, list[int]], depth: int = 0) -> Iterable[tuple[int, int]]:
    yield pid, depth
    for child in children.get(pid, []):
        yield from _descendants(child, children, depth + 1)


class Stopwatch:
    """`with Stopwatch() as watch: ...; watch.seconds`."""

    def __enter__(self) -> Stopwatch:
        self.started = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started


def ratio(ours: float | None, baseline: float | None) -> str:
    if ours is None or baseline is None or baseline == 0 or ours != ours or baseline != baseline:
        return "–"
    return f"{ours / baseline:.2f}"


def fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:
            return "–"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(
    title: str,
    rows: Sequence[tuple[str, object, object]],
    note: str = "",
    digits: int = 1,
    columns: tuple[str, str, str] = ("ours", "baseline", "ours/baseline"),
    second_over_first: bool = False,
) -> str:
    """A Markdown table: metric | ours | baseline | ours/baseline (or two other `columns` and their
    ratio, such as a small and a large corpus with large/small: `second_over_first`); printed and returned."""
    lines = [f"### {title}", "", f"| metric | {' | '.join(columns)} |", "|---|---:|---:|---:|"]
    for label, ours, baseline in rows:
        numeric = isinstance(ours, (int, float)) and isinstance(baseline, (int, float))
        shown = "–"
        if numeric:
            shown = ratio(float(baseline), float(ours)) if second_over_first else ratio(float(ours), float(baseline))
        lines.append(f"| {label} | {fmt(ours, digits)} | {fmt(baseline, digits)} | {shown} |")
    if note:
        lines += ["", note]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text
