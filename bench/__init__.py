"""Kennisbank performance benchmarks: synthetic corpus, ours vs plain Whoosh, figures printed as tables.

Run `python -m bench.run_all --help` from the repository root; see bench/README.md.
"""
