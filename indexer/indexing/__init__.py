"""An indexing run: deciding what changed, extracting in worker processes with limits, tagging, and
writing through the engine, with progress for the terminal."""
