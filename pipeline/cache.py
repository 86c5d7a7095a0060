"""Per-stage cache: the output of stage S, version V, for the file with hash H.

A parser change bumps only the parse stage's version, so extraction (and later OCR) is reused.
The entries live in one SQLite file in the cache folder (`stages.sqlite`), not a file each: on
this kind of disk creating a file costs about 0.4 ms, as much as parsing a one-page plan, and a
plan has four entries. SQLite's locking lets parallel workers read and write it at once.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FILE_NAME = "stages.sqlite"
_SCHEMA = "create table if not exists entries (stage text, key text, value blob, primary key (stage, key))"
_connections: dict[tuple[Path, int], sqlite3.Connection] = {}
_OPEN_AT_MOST = 8
_WAIT_SECONDS = 60


class StageCache:
    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root else None

    def run(self, stage: str, version: str, key: str, compute: Callable[[], T]) -> T:
        if self.root is None:
            return compute()
        # the version names every stage the output came through: a short hash of it names the entry
        name = f"{stage}-{hashlib.sha256(version.encode()).hexdigest()[:16]}"
        connection = _connection(self.root / FILE_NAME)
        try:
            row = connection.execute("select value from entries where stage = ? and key = ?", (name, key)).fetchone()
            if row is not None:
                return pickle.loads(row[0])
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated entry is recomputed and overwritten
        value = compute()
        connection.execute("insert or replace into entries values (?, ?, ?)",
                           (name, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        return value


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
