"""`plans reprocess`: the diacritic repair of damaged documents again, with the whole corpus as context.

An import never reads the corpus, so a file gives the same rows whatever else is there and in
whatever order files arrive. This is the one explicit step that does use the corpus: the clean
text of the documents with no damaged page teaches the repair which words go together, and the
damaged documents are repaired again with it. It says what changed, document by document.
"""
from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import PlansError
from extractors.quality import poor_below
from normalizers.diacritics import DiacriticRepairer
from pipeline.database import write_document
from pipeline.run import Options, RepairContext, process_file

if TYPE_CHECKING:
    import sqlite_utils

MAX_DOCUMENTS = 300   # enough word pairs for context; bounded so a big corpus stays fast
_DAMAGED = "coalesce(needs_diacritic_repair, 0) or method = 'ocr'"


@dataclass(frozen=True)
class Reprocessed:
    path: str
    status: str                   # reprocessed | failed
    words_changed: int = 0        # in pages.text
    activities: tuple[int, int] = (0, 0)     # before, after
    budget_lines: tuple[int, int] = (0, 0)
    reason: str = ""


def corpus_context(db: sqlite_utils.Database) -> RepairContext | None:
    """A repairer whose context is the text of the corpus's clean documents (none of whose pages is
    damaged), labelled by the documents it came from; None when the corpus has none."""
    ids = [r["id"] for r in db.query(
        f"select id from documents where id not in (select document_id from pages where {_DAMAGED}) "
        "order by id limit ?", [MAX_DOCUMENTS])]
    if not ids:
        return None
    marks = ",".join("?" * len(ids))
    texts = [r["text"] for r in db.query(
        f"select text from pages where document_id in ({marks}) and quality >= ? and text is not null "
        "order by document_id, page_no", [*ids, poor_below()])]
    fingerprint = hashlib.sha256(",".join(ids).encode()).hexdigest()[:12]
    return RepairContext(DiacriticRepairer(texts), f"corpus-{fingerprint}")


def damaged_documents(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        f"select id, source_path from documents where id in (select document_id from pages where {_DAMAGED}) "
        "order by source_path"))


def reprocess(db: sqlite_utils.Database, options: Options = Options(),
              on_done: Callable[[Reprocessed], None] | None = None) -> list[Reprocessed]:
    """Repair every damaged document of the corpus again with the corpus as context, and store it."""
    context = corpus_context(db)
    if context is None:
        raise PlansError("no clean document in the corpus to learn from: import born-digital plans first")
    results = []
    for document in damaged_documents(db):
        result = _reprocess_one(db, document["id"], document["source_path"], context, options)
        results.append(result)
        if on_done:
            on_done(result)
    return results


def _reprocess_one(db: sqlite_utils.Database, document_id: str, source: str, context: RepairContext,
                   options: Options) -> Reprocessed:
    if not Path(source).is_file():
        return Reprocessed(source, "failed", reason="the source file is no longer there")
    try:
        processed = process_file(source, options=options, context=context)
    except PlansError as exc:
        return Reprocessed(source, "failed", reason=str(exc))
    if processed.plan.sha256 != document_id:
        return Reprocessed(source, "failed", reason="the file has changed since it was imported: import it again")
    before_text = [r["text"] or "" for r in db.query(
        "select text from pages where document_id = ? order by page_no", [document_id])]
    before = (_count(db, "activities", document_id), _count(db, "budget_lines", document_id))
    write_document(db, processed)
    words = sum(_words_changed(old, page.text) for old, page in zip(before_text, processed.document.pages, strict=True))
    return Reprocessed(source, "reprocessed", words,
                       (before[0], len(processed.plan.activities)), (before[1], len(processed.plan.budget_lines)))


def _count(db: sqlite_utils.Database, table: str, document_id: str) -> int:
    return db.execute(f"select count(*) from {table} where document_id = ?", [document_id]).fetchone()[0]


def _words_changed(before: str, after: str) -> int:
    matcher = difflib.SequenceMatcher(None, before.split(), after.split(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
