"""The production server: gunicorn, one worker process per core, each with a few threads.

Searching is CPU-bound Python, so threads in one process share one core (the GIL); throughput
grows with processes. Every worker builds its own app (`app_factory`) after the fork: nothing
opened before it (index files, database connections) is shared between processes.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication

from indexer.errors import KennisbankError

# One line per request on standard output: who, when, what, the answer, its size and how long it
# took (in milliseconds). No cookies or other headers: they hold session ids.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms'
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


class AddressError(KennisbankError):
    """The server cannot listen on the address it was given."""


# Why a bind fails, by errno, as what to do about it.
_ADDRESS_PROBLEMS = {
    errno.EADDRINUSE: "Poort {port} op {host} is al in gebruik, misschien door een Kennisbank die al draait. "
    "Stop dat programma of kies een andere poort met --port.",
    errno.EACCES: "Poort {port} mag alleen de beheerder (root) gebruiken. Kies met --port een poort vanaf 1024.",
    errno.EADDRNOTAVAIL: "Het adres {host} hoort niet bij deze computer. Kies bij --host een eigen adres, "
    "zoals 127.0.0.1 (alleen deze computer) of 0.0.0.0 (het hele netwerk).",
}
_OTHER_ADDRESS_PROBLEM = (
    "Op {host}:{port} kan de server niet luisteren ({reason}). Kies een ander adres of een andere poort."
)


def check_address(host: str, port: int) -> None:
    """Bind to the address once, as gunicorn will, so that a taken port or an unknown host is one
    Dutch line before we say the server runs, not gunicorn's English retries after it."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise AddressError(
            f"Het adres ‘{host}’ is onbekend. Kies bij --host een bestaand adres, zoals 127.0.0.1."
        ) from exc
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            problem = _ADDRESS_PROBLEMS.get(exc.errno, _OTHER_ADDRESS_PROBLEM)
            raise AddressError(problem.format(host=host, port=port, reason=exc.strerror or exc)) from exc


def serve(app_factory: Callable[[], Flask], host: str, port: int, processes: int) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM, which lets running requests finish)."""
    check_address(host, port)
    print(f"De Kennisbank draait op http://{host}:{port}/ (stoppen met Ctrl+C)", flush=True)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": processes,
        "worker_class": "gthread",
        "threads": THREADS_PER_PROCESS,
        "proc_name": "kennisbank",
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
        "graceful_timeout": 10,
    }
    _Gunicorn(app_factory, options).run()
