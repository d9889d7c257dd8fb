"""Progress of an indexing run: a bar on a terminal, plain log lines elsewhere (CI, logs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Log lines when not on a terminal: at most one per this many seconds.
LOG_INTERVAL_S = 5.0
# A run shorter than this shows no bar at all.
BAR_DELAY_S = 1.0
BAR_WIDTH = 30


class ProgressReporter:
    """Callable as `progress(done, total, path)`; quiet for runs that finish in a moment."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.last_log = self.started

    def __call__(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if self.interactive:
            if now - self.started < BAR_DELAY_S and done < total:
                return
            filled = BAR_WIDTH * done // max(total, 1)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            self.stream.write(f"\r{bar} {done}/{total} {path[-40:]:<40}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif now - self.last_log >= LOG_INTERVAL_S or done == total:
            self.last_log = now
            self.stream.write(f"indexeren: {done}/{total} bestanden ({now - self.started:.0f} s)\n")
            self.stream.flush()
