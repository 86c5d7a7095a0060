"""Per-stage cache: the output of stage S, version V, for the file with hash H.

A parser change bumps only the parse stage's version, so extraction (and later OCR) is reused.
The entries live in one SQLite file in the cache folder (`stages.sqlite`), not a file each: on
this kind of disk creating a file costs about 0.4 ms, as much as parsing a one-page plan, and a
plan has four entries. SQLite's locking lets parallel workers read and write it at once.
Values are JSON of the stage records (core.snapshot), never pickles: an entry planted in the
folder can hold wrong data, which is computed again, but no code to run.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core import records
from core.snapshot import SnapshotError, dumps, loads
from extractors.ocr import OcrPage

T = TypeVar("T")
FILE_NAME = "stages.sqlite"
_SCHEMA = "create table if not exists entries (stage text, key text, value blob, primary key (stage, key))"
_connections: dict[tuple[Path, int], sqlite3.Connection] = {}
_OPEN_AT_MOST = 8
# what an entry may be rebuilt as: the records stages pass on (JSON of them holds data, never code)
_RECORDS: dict[str, type] = {cls.__name__: cls for cls in (*vars(records).values(), OcrPage)
                             if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
_WAIT_SECONDS = 60


class StageCache:
    """`problem`: why the cache gave up (a folder it cannot create, a full or read-only disk), after
    which every stage is computed: the cache only saves time, so it never fails a document."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root else None
        self.problem: str | None = None

    def run(self, stage: str, version: str, key: str, compute: Callable[[], T], expected: type | None = None) -> T:
        """The stage's output for `key`: from the cache, or computed and stored. An entry that is
        unreadable, or not of the `expected` type, is computed again and overwritten."""
        if self.root is None or self.problem is not None:
            return compute()
        # the version names every stage the output came through: a short hash of it names the entry
        name = f"{stage}-{hashlib.sha256(version.encode()).hexdigest()[:16]}"
        try:
            connection = _connection(self.root / FILE_NAME)
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
            return compute()
        try:
            row = connection.execute("select value from entries where stage = ? and key = ?", (name, key)).fetchone()
            if row is not None and isinstance(row[0], bytes):
                value = loads(row[0], _RECORDS)
                if expected is None or isinstance(value, expected):
                    return value
        except (sqlite3.DatabaseError, SnapshotError, RecursionError):
            pass  # a damaged, planted or outdated entry is recomputed and overwritten
        value = compute()
        try:
            connection.execute("insert or replace into entries values (?, ?, ?)", (name, key, dumps(value)))
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
        return value

    def _give_up(self, error: Exception) -> None:
        reason = getattr(error, "strerror", None) or str(error)
        self.problem = f"stage cache {self.root}: {reason}; going on without it"


def _connection(path: Path) -> sqlite3.Connection:
    """One connection per file and process (a connection is never used across fork), committing
    each entry as it is written."""
    opened = _connections.get((path, os.getpid()))
    if opened is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        opened = sqlite3.connect(path, timeout=_WAIT_SECONDS, isolation_level=None, check_same_thread=False)
        _use_wal(opened)
        opened.execute("pragma synchronous=normal")   # an entry lost in a crash is only computed again
        opened.execute(_SCHEMA)
        _connections[(path, os.getpid())] = opened
        # a long-lived process (the tests) meets many cache folders; a parent's connections, which
        # a forked worker inherits, are never touched
        mine = [key for key in _connections if key[1] == os.getpid()]
        for key in mine[:-_OPEN_AT_MOST]:
            _connections.pop(key).close()
    return opened


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch a new cache file to WAL. Changing the journal mode does not wait on SQLite's busy
    handler: workers that open a fresh file together get "database is locked" at once, so wait
    here (the mode is stored in the file; once set, this returns at the first try)."""
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        try:
            connection.execute("pragma journal_mode=wal")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
