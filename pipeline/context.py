"""The corpus as context for the diacritic repair: clean Swedish text already imported."""
from __future__ import annotations

import hashlib
import sqlite3
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from extractors.quality import poor_below
from normalizers.diacritics import DiacriticRepairer

MAX_DOCUMENTS = 300   # enough word pairs for context; bounded so a big corpus stays fast


def corpus_repairer(db: sqlite_utils.Database) -> tuple[DiacriticRepairer | None, str]:
    """A repairer whose context is the text of good pages in the corpus, and a key naming that
    context (the documents it came from) for the stage cache. (None, key) for an empty corpus.
    The text itself is read only if a document turns out to need repair."""
    where = "quality >= ? and not coalesce(needs_diacritic_repair, 0) and text is not null"
    ids = [r["document_id"] for r in db.query(
        f"select distinct document_id from pages where {where} order by document_id limit ?",
        [poor_below(), MAX_DOCUMENTS])]
    if not ids:
        return None, "no-corpus"
    fingerprint = hashlib.sha1(",".join(ids).encode()).hexdigest()[:12]

    def clean_texts() -> list[str]:
        marks = ",".join("?" * len(ids))
        return [r["text"] for r in db.query(
            f"select text from pages where {where} and document_id in ({marks})", [poor_below(), *ids])]

    return DiacriticRepairer(clean_texts), f"corpus-{fingerprint}"


@lru_cache(maxsize=8)
def repairer_for(db_path: str | None) -> tuple[DiacriticRepairer | None, str]:
    """The corpus repairer of the database at `db_path`, opened read-only, once per process."""
    if not db_path or not Path(db_path).exists():
        return None, "no-corpus"
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, check_same_thread=False)
    return corpus_repairer(sqlite_utils.Database(conn))
