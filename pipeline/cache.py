"""Per-stage cache on disk: output of stage S, version V, for the file with hash H.

A parser change bumps only the parse stage's version, so extraction (and later OCR) is reused.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class StageCache:
    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root else None

    def run(self, stage: str, version: str, key: str, compute: Callable[[], T]) -> T:
        if self.root is None:
            return compute()
        # the version names every stage the output came through: a short hash of it names the folder
        folder = f"{stage}-{hashlib.sha256(version.encode()).hexdigest()[:16]}"
        path = self.root / folder / key[:2] / f"{key}.pickle"
        if path.exists():
            try:
                with path.open("rb") as handle:
                    return pickle.load(handle)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass  # a damaged or outdated entry is recomputed and overwritten
        value = compute()
        self._write(path, value)
        return value

    @staticmethod
    def _write(path: Path, value: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
