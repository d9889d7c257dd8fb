"""The production server: waitress, a pure-Python WSGI server with a thread pool."""

from __future__ import annotations

from flask import Flask
from waitress import serve as waitress_serve

# Threads answering requests; searching is mostly CPU-bound, so more threads than this only queue.
SERVER_THREADS = 8


def serve(app: Flask, host: str, port: int) -> None:
    print(f"De Kennisbank draait op http://{host}:{port}/ (stoppen met Ctrl+C)", flush=True)
    waitress_serve(app, host=host, port=port, threads=SERVER_THREADS, ident="Kennisbank")
