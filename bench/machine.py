"""What the figures were measured on: cores, CPU, RAM, versions, and how busy the machine was."""

from __future__ import annotations

import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# A loop of this many additions takes about a second of CPU time on the machines we use.
REFERENCE_LOOP_ITERATIONS = 10_000_000

LIBRARIES = (
    "whoosh-reloaded",
    "pypdf",
    "flask",
    "gunicorn",
    "numpy",
    "reportlab",
    "pyyaml",
    "markdown",
    "beautifulsoup4",
)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def reference_loop_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop: how fast this machine runs Python today.

    Shared machines vary between days by a factor of two or more; dividing a figure by this one
    compares runs of different days, where the ratio to the baseline is not enough.
    """
    started = time.process_time()
    total = 0
    for number in range(REFERENCE_LOOP_ITERATIONS):
        total += number
    return time.process_time() - started


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe() -> str:
    """A Markdown block for RESULTS.md."""
    libraries = ", ".join(f"{name} {_version(name)}" for name in LIBRARIES)
    return "\n".join(
        [
            f"- nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
            f"- CPU: {cpu_model()}",
            f"- RAM: {ram_gib():.1f} GiB",
            f"- OS: {platform.platform()}",
            f"- Python: {platform.python_version()} ({platform.python_implementation()})",
            f"- Libraries: {libraries}",
            f"- Load average at start (1, 5, 15 min): {load_average()}",
            f"- Python loop of {REFERENCE_LOOP_ITERATIONS:,} additions: {reference_loop_seconds():.2f} CPU s",
        ]
    )


if __name__ == "__main__":
    print(describe())
