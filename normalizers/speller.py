"""Hunspell's verdict on a Swedish word, compounds included.

Debian's Swedish dictionary (hunspell-sv) marks which forms may begin, continue or end a compound,
so Hunspell accepts 'tillsynsvägledning' and 'behovsutredningsmallen' and rejects
'tillsynsvagledning' and 'behovsutredningsmällen': the judgement a frequency list cannot make about
words it has never seen. One `hunspell` process is kept per Python process and asked word by word.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

DICTIONARY_FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")

# A word the dictionary always accepts: written after each query, it marks where the answer ends
# (hunspell -G prints accepted words only, so a rejected word prints nothing).
_SENTINEL = "och"


class Speller:
    def __init__(self, dictionary: str = "sv_SE"):
        self._dictionary = dictionary
        self._process: subprocess.Popen[str] | None = None
        self._owner = 0   # the process that started it: a forked batch worker starts its own
        self.available = bool(shutil.which("hunspell") and shutil.which("stdbuf"))
        self.accepts = lru_cache(maxsize=200_000)(self._accepts)

    def _start(self) -> subprocess.Popen[str]:
        # stdbuf: hunspell buffers its output when it writes to a pipe; line buffering lets each
        # answer be read as soon as the word is written.
        # the files dictionary_files() finds, by path: the ones the stage versions hash and whose
        # forms the lexicon expands, whatever hunspell's own search path (DICPATH) would pick
        files = dictionary_files(self._dictionary)
        dictionary = str(files[0].with_suffix("")) if files else self._dictionary
        process = subprocess.Popen(["stdbuf", "-oL", "hunspell", "-d", dictionary, "-G"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, encoding="utf-8", bufsize=1)
        atexit.register(process.kill)
        return process

    def close(self) -> None:
        """Stop this process's hunspell (a new one starts at the next question)."""
        if self._process is not None and self._owner == os.getpid():
            self._process.kill()
            self._process.wait()
        self._process = None

    def _accepts(self, word: str) -> bool | None:
        """True or False; None when Hunspell or its Swedish dictionary is not installed."""
        if not self.available or not word.isalpha():
            return None
        if word == _SENTINEL:
            return True
        if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
            self._process, self._owner = self._start(), os.getpid()
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None   # _start opens both as pipes
        try:
            stdin.write(f"{word}\n{_SENTINEL}\n")
            stdin.flush()
            first = stdout.readline()
            if not first:
                raise BrokenPipeError
            if first.strip() == _SENTINEL:
                return False
            stdout.readline()
            return True
        except (BrokenPipeError, OSError):
            self.available = False   # dictionary missing or process gone: judge without Hunspell
            return None


@lru_cache(maxsize=1)
def swedish_speller() -> Speller:
    return Speller("sv_SE")


def dictionary_files(dictionary: str = "sv_SE") -> tuple[Path, Path] | None:
    """The .dic and .aff files of an installed Hunspell dictionary, or None."""
    for folder in DICTIONARY_FOLDERS:
        dic, aff = Path(folder, f"{dictionary}.dic"), Path(folder, f"{dictionary}.aff")
        if dic.exists() and aff.exists():
            return dic, aff
    return None
