"""The stage cache: an entry per stage, version and file, computed once, recomputed when damaged."""
from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

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


class _Planted:
    """What an attacker pickles: unpickling it would call os.system."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_planted_in_the_cache_never_runs_and_is_computed_again(tmp_path):
    import pickle
    marker = tmp_path / "ran"
    compute, calls = _counting({"pages": (1, 2)})
    StageCache(tmp_path / "cache").run("parse", "v", "k", compute)
    with sqlite3.connect(tmp_path / "cache" / FILE_NAME) as db:
        db.execute("update entries set value = ?", (pickle.dumps(_Planted(marker)),))
    assert StageCache(tmp_path / "cache").run("parse", "v", "k", compute) == {"pages": (1, 2)}
    assert not marker.exists() and len(calls) == 2


def test_an_entry_of_another_type_or_of_a_record_the_cache_does_not_know_is_a_miss(tmp_path):
    from core.records import ExtractedDocument, Page, Word
    from core.snapshot import SnapshotError, dumps, loads
    from pipeline.cache import _RECORDS
    page = Page(page_no=1, text="Tillsyn", raw_text="Tillsyn", words=(Word("Tillsyn", 10.0, 20.0, 40.0, 28.0, line=1, confidence=96.0),))
    document = ExtractedDocument(sha256="ab", source_path="/p.pdf", file_name="p.pdf", source_kind="pdf", pages=(page,))
    assert loads(dumps(document), _RECORDS) == document
    assert loads(dumps({3: (1, [2, None])}), _RECORDS) == {3: (1, [2, None])}
    for planted in (b'{"@r":"Popen","v":[["sh"]]}', b'{"@r":"Word","v":[1]}', b'{"x":1}', b"\x80\x04K\x01."):
        with pytest.raises(SnapshotError):
            loads(planted, _RECORDS)
    compute, calls = _counting(document)
    StageCache(tmp_path).run("extract", "v", "k", compute, ExtractedDocument)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("update entries set value = ?", (dumps(page),))     # readable, but a Page
    assert StageCache(tmp_path).run("extract", "v", "k", compute, ExtractedDocument) == document
    assert len(calls) == 2


def test_a_cache_that_cannot_be_written_is_given_up_with_its_reason_and_never_fails_a_file(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from tests.conftest import TEXT_001
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    compute, calls = _counting(5)
    cache = StageCache(in_the_way / "cache")
    assert cache.run("parse", "v", "k", compute) == 5 and cache.run("parse", "v", "k", compute) == 5
    assert cache.problem == f"stage cache {in_the_way / 'cache'}: Not a directory; going on without it"
    assert len(calls) == 2
    (tmp_path / "folder" / FILE_NAME).mkdir(parents=True)     # no SQLite file can be opened there
    assert StageCache(tmp_path / "folder").run("parse", "v", "k", compute) == 5
    result = CliRunner().invoke(cli, ["import", str(TEXT_001), "--db", str(tmp_path / "c.db"),
                                      "--cache-dir", str(in_the_way / "cache")])
    assert result.exit_code == 0, result.output
    assert f"warning: {TEXT_001}: stage cache {in_the_way / 'cache'}: Not a directory; going on without it\n" \
        in result.output
    assert "1 imported, 0 reimported, 0 unchanged, 0 failed" in result.output
