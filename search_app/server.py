"""The production server: gunicorn, one worker process per core, each with a few threads.

Searching is CPU-bound Python, so threads in one process share one core (the GIL); throughput
grows with processes. Every worker builds its own app (`app_factory`) after the fork: nothing
opened before it (index files, database connections) is shared between processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication

# Threads per worker process: two, so one request's file reads overlap another's work. More only
# contend for the GIL: 500 searches took half as long again on four threads as on one.
THREADS_PER_PROCESS = 2


def default_processes() -> int:
    return max(1, len(os.sched_getaffinity(0)))


class _Gunicorn(BaseApplication):
    def __init__(self, app_factory: Callable[[], Flask], options: dict[str, object]) -> None:
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.app_factory()


def serve(app_factory: Callable[[], Flask], host: str, port: int, processes: int) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM, which lets running requests finish)."""
    print(f"De Kennisbank draait op http://{host}:{port}/ (stoppen met Ctrl+C)", flush=True)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": processes,
        "worker_class": "gthread",
        "threads": THREADS_PER_PROCESS,
        "proc_name": "kennisbank",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "graceful_timeout": 10,
    }
    _Gunicorn(app_factory, options).run()
