"""Large word tables derived from installed packages (spaCy's Swedish lemma table, wordfreq's Swedish
frequency list), kept as SQLite files so that a process reads only the entries it asks for.

Loading spacy-lookups-data's 660 000 lemmas into a dict took half a second at every start, and
wordfreq's list as long again, while a one-page plan looks up a few hundred words. A table is built
once per version of the package it comes from, in the user's cache folder (`$XDG_CACHE_HOME` or
`~/.cache`, then `miljosamverkan/`), written to a temporary file and renamed into place so that two
workers building it at once never see half a table. Where that folder cannot be written, the table
is built in memory with the same entries: the answers never depend on where a table lives.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, KeysView
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1                       # bump when the file layout changes
_LOOKUPS_CACHED = 200_000        # distinct words remembered per table and process


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "miljosamverkan"


class WordTable:
    """A read-only mapping of words to values (str or float) built from one package's data."""

    def __init__(self, name: str, package: str, build: Callable[[], Iterable[tuple[str, str | float]]]):
        self.name, self.package, self._build = name, package, build
        self._memory: dict[str, str | float] | None = None
        self._connection: sqlite3.Connection | None = None
        self._pid = -1
        self._entries: dict[str, str | float] | None = None
        self._entries_pid = -1
        self.get = lru_cache(maxsize=_LOOKUPS_CACHED)(self._get)

    @property
    def path(self) -> Path:
        return cache_folder() / f"{self.name}-{_version(self.package)}-f{FORMAT}.sqlite"

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def words(self) -> KeysView[str]:
        """Every word the table has: where most lookups miss, as a compound's every substring does,
        a set answers them without a query."""
        return self.entries().keys()

    def entries(self) -> dict[str, str | float]:
        """The whole table, read once per process (a fifth of a second for wordfreq's list): for
        the code that looks up most of it, as the diacritic repair does."""
        if self._entries is None or self._entries_pid != os.getpid():
            connection = self._open()
            if connection is None:
                self._entries = dict(self._memory or {})
            else:
                try:
                    self._entries = dict(connection.execute("select word, value from entries"))
                except sqlite3.DatabaseError:
                    self._memory = dict(self._build())
                    self._entries = dict(self._memory)
            self._entries_pid = os.getpid()
        return self._entries

    def _get(self, word: str) -> str | float | None:
        connection = self._open()
        if connection is None:
            return self._memory.get(word) if self._memory is not None else None
        try:
            row = connection.execute("select value from entries where word = ?", (word,)).fetchone()
        except sqlite3.DatabaseError:           # a damaged file: the same entries, from memory
            self._memory = dict(self._build())
            return self._memory.get(word)
        return row[0] if row else None

    def _open(self) -> sqlite3.Connection | None:
        """The table's file, opened by this process (a connection is never used across fork); None
        when the table lives in memory."""
        if self._memory is not None:
            return None
        if self._connection is None or self._pid != os.getpid():
            self._connection, self._pid = self._connect(), os.getpid()
        return self._connection

    def _connect(self) -> sqlite3.Connection | None:
        path = self.path
        if not path.exists():
            try:
                self._write(path)
            except (OSError, sqlite3.Error):
                self._memory = dict(self._build())
                return None
        return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def _write(self, path: Path) -> None:
        def write(temporary: str) -> None:
            with sqlite3.connect(temporary) as connection:
                connection.execute("create table entries (word text primary key, value) without rowid")
                connection.executemany("insert or ignore into entries values (?, ?)", self._build())
            connection.close()
        write_atomically(path, write)


def derived_json(name: str, package: str, build: Callable[[], object]) -> Any:
    """A small derived value (JSON), built once per version of the package it comes from and kept
    beside the word tables; built in memory where the folder cannot be written or the file is damaged."""
    path = cache_folder() / f"{name}-{_version(package)}-f{FORMAT}.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    def write(temporary: str) -> None:
        Path(temporary).write_text(json.dumps(value), "utf-8")

    with contextlib.suppress(OSError):           # an unwritable cache folder: the value, unkept
        write_atomically(path, write)
    return value


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Written to a temporary file and renamed into place: two workers building it at once, or a
    reader, never see half a file. Raises OSError where the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def _wordfreq_swedish() -> Iterable[tuple[str, float]]:
    from wordfreq import get_frequency_dict
    return get_frequency_dict("sv").items()


@lru_cache(maxsize=1)
def swedish_frequencies() -> WordTable:
    """wordfreq's Swedish list: word -> frequency (a share of all words, 0..1)."""
    return WordTable("sv-wordfreq", "wordfreq", _wordfreq_swedish)


def swedish_zipf(word: str) -> float:
    """How common a word is in wordfreq's Swedish list, on the zipf scale (log10 per billion words;
    0 for a word the list lacks)."""
    return _swedish_zipfs().get(word, 0.0)


@lru_cache(maxsize=1)
def _swedish_zipfs() -> dict[str, float]:
    """Every word's zipf, computed once: the diacritic repair asks for hundreds of thousands."""
    return {word: math.log10(float(frequency)) + 9
            for word, frequency in swedish_frequencies().entries().items() if frequency}
