"""The stage cache: an entry per stage, version and file, computed once, recomputed when damaged."""
from __future__ import annotations

import multiprocessing
import sqlite3

from pipeline.cache import FILE_NAME, StageCache


def _counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value
    return compute, calls


def test_an_entry_is_computed_once_per_stage_version_and_key(tmp_path):
    compute, calls = _counting({"pages": (1, 2, 3)})
    cache = StageCache(tmp_path)
    assert cache.run("parse", "extract:a parse:b", "f00d", compute) == {"pages": (1, 2, 3)}
    assert StageCache(tmp_path).run("parse", "extract:a parse:b", "f00d", compute) == {"pages": (1, 2, 3)}
    assert len(calls) == 1
    StageCache(tmp_path).run("parse", "extract:a parse:c", "f00d", compute)   # the parser changed
    StageCache(tmp_path).run("parse", "extract:a parse:b", "beef", compute)   # another file
    assert len(calls) == 3
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("select count(*) from entries").fetchone() == (3,)


def test_a_damaged_entry_is_computed_again_and_replaced(tmp_path):
    compute, calls = _counting([1, 2])
    StageCache(tmp_path).run("repair", "v", "k", compute)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("update entries set value = x'00ff00'")
    assert StageCache(tmp_path).run("repair", "v", "k", compute) == [1, 2]
    assert StageCache(tmp_path).run("repair", "v", "k", compute) == [1, 2]
    assert len(calls) == 2


def test_without_a_folder_nothing_is_kept(tmp_path):
    compute, calls = _counting(7)
    assert StageCache(None).run("parse", "v", "k", compute) == 7
    assert StageCache(None).run("parse", "v", "k", compute) == 7
    assert len(calls) == 2


def _open_together(root, barrier, key):
    barrier.wait()
    StageCache(root).run("parse", "v", key, lambda: key)


def test_workers_that_open_a_new_cache_file_at_once_all_write_their_entry(tmp_path):
    """Switching a fresh file to WAL does not wait on SQLite's busy handler: without the wait in
    the cache, one of several workers starting together failed its document with "database is
    locked"."""
    context = multiprocessing.get_context("fork")
    for trial in range(8):
        root = tmp_path / str(trial)
        barrier = context.Barrier(6)
        workers = [context.Process(target=_open_together, args=(root, barrier, f"k{n}")) for n in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0] * 6
        with sqlite3.connect(root / FILE_NAME) as db:
            assert db.execute("select count(*) from entries").fetchone() == (6,)
