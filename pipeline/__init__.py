"""Orchestration: run the stages, cache their output, import batches into the SQLite corpus."""
