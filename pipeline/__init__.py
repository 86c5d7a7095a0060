"""Orchestration: run the stages, cache their output, import batches into the SQLite corpus; and
the library API the `plans` command is a thin layer over.

    import pipeline

    results = pipeline.import_paths(["data/raw"], "data/out/corpus.db")    # one FileResult per file
    corpus = pipeline.read_corpus("data/out/corpus.db")
    tables = pipeline.tables(corpus)            # DataFrames: documents, activities, budget_lines, …
    tables["activities"].groupby("county").size()
    shared = pipeline.overlap(corpus, theme="small_sewage")
    shared.matrix                               # activities per theme × (county, year)
    plan = pipeline.process_file("plan.pdf").plan   # one file, no database

Each function imports what it needs when called, so `import pipeline` costs nothing.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import sqlite_utils

    from core.records import ProcessedDocument
    from pipeline.batch import FileResult
    from pipeline.overlap import Overlap
    from pipeline.run import Options


def import_paths(paths: Iterable[str | Path], db_path: str | Path, cache_dir: str | Path | None = None,
                 force: bool = False, options: Options | None = None) -> list[FileResult]:
    """Import files and folders (recursively) into the corpus at `db_path`, as `plans import` does;
    the stage cache is 'cache' beside the database unless `cache_dir` says otherwise."""
    from pipeline.batch import collect_files, default_cache_dir, import_files
    from pipeline.run import Options
    cache = cache_dir if cache_dir is not None else default_cache_dir(db_path)
    return import_files(collect_files(paths), db_path, cache_dir=cache, force=force, options=options or Options())


def read_corpus(db_path: str | Path) -> sqlite_utils.Database:
    """The corpus, opened for reading (immutable on read-only media)."""
    from pipeline.database import open_corpus_to_read
    return open_corpus_to_read(db_path)


def tables(corpus: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """The tables `plans export` writes, typed, as DataFrames (the current document of each plan)."""
    from pipeline.export import frames
    return frames(corpus)


def overlap(corpus: sqlite_utils.Database, theme: str | None = None, county: str | None = None,
            year_from: int | None = None, year_to: int | None = None) -> Overlap:
    """Which counties plan the same themes, in which years (what `plans overlap` prints)."""
    from pipeline.overlap import overlap as find_overlap
    return find_overlap(corpus, theme=theme, county=county, year_from=year_from, year_to=year_to)


def process_file(path: str | Path, options: Options | None = None) -> ProcessedDocument:
    """Run the stages on one file without a database: its repaired pages and its plan."""
    from pipeline.run import Options
    from pipeline.run import process_file as run_stages
    return run_stages(path, options=options or Options())
