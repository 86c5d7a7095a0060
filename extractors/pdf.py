"""Born-digital PDFs through pdfplumber: words with boxes, ruled tables as cell grids, text blocks."""
from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extractors.detect import sha256_of
from extractors.layout import group_blocks, group_lines, layout_text
from extractors.types import Cell, ExtractedDocument, Page, Table, Word
from pipeline.errors import InputError

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def open_pdf(data: bytes, source_path: str, password: str | None = None) -> pdfplumber.PDF:
    """Open a PDF or raise an InputError that says why it cannot be read."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        pdf.pages  # forces the page tree to be parsed, where damage shows
        return pdf
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            reason = ("password-protected PDF (wrong password)" if password
                      else "password-protected PDF (give --password)")
            raise InputError(source_path, reason) from exc
        raise InputError(source_path, f"damaged PDF: {_describe(cause)}") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise InputError(source_path, f"damaged PDF: {_describe(exc)}") from exc


def _describe(exc: object) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "No /Root object" in text or "xref" in text.lower() or "trailer" in text.lower():
        return "cut off or corrupt (no readable cross-reference table)"
    return text.splitlines()[0][:120]


def extract_pdf(data: bytes, source_path: str, password: str | None = None) -> ExtractedDocument:
    pdf = open_pdf(data, source_path, password)
    with pdf:
        try:
            pages = tuple(_extract_page(page) for page in pdf.pages)
        except PdfminerException as exc:
            raise InputError(source_path, f"damaged PDF: {_describe(exc.args[0] if exc.args else exc)}") from exc
    if not pages:
        raise InputError(source_path, "damaged PDF: it has no pages")
    return ExtractedDocument(
        sha256=sha256_of(data),
        source_path=source_path,
        file_name=Path(source_path).name,
        source_kind="pdf",
        pages=pages,
    )


def _extract_page(page: pdfplumber.page.Page) -> Page:
    words = tuple(
        Word(text=w["text"], x0=w["x0"], top=w["top"], x1=w["x1"], bottom=w["bottom"], size=w.get("size"))
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    )
    found = page.find_tables(_TABLE_SETTINGS)
    tables = []
    inside: set[int] = set()
    for found_table in found:
        table, used = _cell_grid(found_table, words)
        inside |= used
        if table is not None:
            tables.append(table)
    free_words = [w for i, w in enumerate(words) if i not in inside]
    blocks = tuple(group_blocks(group_lines(free_words)))
    text = layout_text(blocks, tables)
    return Page(
        page_no=page.page_number,
        text=text,
        raw_text=text,
        blocks=blocks,
        tables=tuple(tables),
        words=words,
        method="text",
        width=float(page.width),
        height=float(page.height),
        image_count=len(page.images),
    )


def _cell_grid(found_table, words: tuple[Word, ...]) -> tuple[Table | None, set[int]]:
    """Place each word in the cell that holds its centre; keep the words' lines per cell."""
    x0, top, x1, bottom = found_table.bbox
    rows_bboxes = [row.cells for row in found_table.rows]
    members: dict[tuple[int, int], list[Word]] = {}
    used: set[int] = set()
    for index, word in enumerate(words):
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        for r, cells in enumerate(rows_bboxes):
            hit = next((c for c, bbox in enumerate(cells)
                        if bbox and bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]), None)
            if hit is not None:
                members.setdefault((r, hit), []).append(word)
                used.add(index)
                break
    rows = []
    for r, cells in enumerate(rows_bboxes):
        rows.append(tuple(
            Cell(lines=tuple(group_lines(members.get((r, c), []))), bbox=tuple(bbox) if bbox else None)
            for c, bbox in enumerate(cells)
        ))
    if not rows or not any(cell.lines for row in rows for cell in row):
        return None, used
    return Table(rows=tuple(rows), top=top, bbox=(x0, top, x1, bottom)), used
