"""Where a row of the corpus came from: its document, page, box, and the page's image rendered
from the source file (cached as PNG where the cache folder can be written).

    >>> source = row_source(connection, "activities", activity_id)
    >>> why_not_shown(source)              # None, or why the page image cannot be shown
    >>> png = page_image(source.document_id, source.source_file, source.page_no, cache_dir)
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core.derived import write_atomically
from core.errors import InputError, SourceFileError
from core.records import Box, sha256_of
from extractors.page_image import page_png
from pipeline.run import read_file

# table -> (its label column, the page it starts on, the page it ends on)
SOURCE_TABLES = {"activities": ("title", "page_from", "page_to"), "budget_lines": ("label", "page", "page")}


@dataclass(frozen=True)
class RowSource:
    table: str
    row_id: int
    label: str
    document_id: str
    file_name: str
    source_file: str                  # absolute, as imported
    source_kind: str | None           # pdf | text
    page_no: int | None
    page_to: int | None
    box: Box | None
    page_text: str | None
    page_width: float | None          # points
    page_height: float | None


def row_source(connection: sqlite3.Connection, table: str, row_id: int) -> RowSource | None:
    """The source of one activity or budget line (None when there is no such row)."""
    label, page_from, page_to = SOURCE_TABLES[table]
    documents = {row[1] for row in connection.execute("pragma table_info(documents)")}
    pages = {row[1] for row in connection.execute("pragma table_info(pages)")}
    source_file = "d.source_file" if "source_file" in documents else "null"   # a corpus from before provenance
    size = "p.width, p.height" if "width" in pages else "null, null"
    found = connection.execute(
        f"""select r.{label}, r.document_id, d.file_name, coalesce({source_file}, d.source_path), d.source_kind,
                   r.{page_from}, r.{page_to}, r.x0, r.top, r.x1, r.bottom, p.text, {size}
            from {table} r join documents d on d.id = r.document_id
            left join pages p on p.document_id = r.document_id and p.page_no = r.{page_from}
            where r.id = ?""", [row_id]).fetchone()
    if found is None:
        return None
    box = tuple(found[7:11])
    return RowSource(table=table, row_id=row_id, label=found[0], document_id=found[1], file_name=found[2],
                     source_file=os.path.abspath(found[3]), source_kind=found[4], page_no=found[5], page_to=found[6],
                     box=box if None not in box else None,
                     page_text=found[11], page_width=found[12], page_height=found[13])


def why_not_shown(source: RowSource) -> str | None:
    """Why the page image of a row cannot be shown, in words a reader can act on; None if it can."""
    if source.source_kind == "text" or not source.file_name.lower().endswith(".pdf"):
        return f"{source.file_name} is a text export: it has no page image, only the text below."
    if source.page_no is None:
        return "The row has no page."
    try:
        _check_source(source.document_id, source.source_file)
    except SourceFileError as exc:
        return str(exc)
    return None


def page_image(document_id: str, source_file: str, page_no: int, cache_dir: str | Path | None) -> bytes:
    """The PNG of a page of a document: from the cache, else rendered from the source file (which must
    still hold what was imported) and cached where the cache folder can be written (on read-only
    media it cannot: the image is rendered each time)."""
    cached = Path(cache_dir, f"{document_id}-p{page_no}.png") if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = _check_source(document_id, source_file)
    try:
        png = page_png(data, source_file, page_no)
    except InputError as exc:
        raise SourceFileError(str(exc)) from exc
    if cached is not None:
        _store(cached, png)
    return png


def _check_source(document_id: str, source_file: str) -> bytes:
    """The source file's bytes, if it still holds the document imported from it."""
    path = Path(source_file)
    if not path.exists():
        raise SourceFileError(f"{source_file} is not there any more (moved or deleted since it was imported): "
                              "import it again from where it is now to see its pages.")
    try:
        data = read_file(path)
    except InputError as exc:
        raise SourceFileError(str(exc)) from exc
    if sha256_of(data) != document_id:
        raise SourceFileError(f"{source_file} has changed since it was imported (it no longer holds document "
                              f"{document_id[:12]}…): import it again to see the pages it holds now.")
    return data


def _store(path: Path, png: bytes) -> None:
    """Write the PNG whole or not at all; a folder that cannot be written leaves it uncached."""
    def write(temporary: str) -> None:
        Path(temporary).write_bytes(png)
    with contextlib.suppress(OSError):
        write_atomically(path, write)
