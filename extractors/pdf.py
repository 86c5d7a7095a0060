"""Born-digital PDFs: words with boxes and vector rulings read through PDFium
(extractors.pdfium_page), ruled tables as cell grids by pdfplumber's algorithm
(extractors.tables), tables by alignment where there are no rules, and text blocks."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pypdfium2
import pypdfium2.raw as pdfium_c

from core.errors import InputError
from core.records import ExtractedDocument, Page, Table, Word
from extractors.alignment import HorizontalRule, grids_from_alignment
from extractors.layout import group_blocks, group_lines, layout_text, words_in
from extractors.pdf_streams import MAX_INFLATED_STREAM, oversized_stream
from extractors.pdfium_page import page_image_sizes, page_segments, page_words
from extractors.quality import text_quality
from extractors.tables import assemble_tables, grid_box, grids_from_rulings, horizontal_rules, with_rows_above

MAX_PAGES = 2000   # a plan is tens of pages; thousands means a wrong file, and would take hours
_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_FORMAT: "damaged PDF: cut off or corrupt (no readable cross-reference table)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF with an unsupported security handler",
    pdfium_c.FPDF_ERR_PAGE: "damaged PDF: its pages cannot be read",
}


def open_pdf(data: bytes, source_path: str, password: str | None = None) -> pypdfium2.PdfDocument:
    """Open a PDF or raise an InputError that says why it cannot be read."""
    try:
        return pypdfium2.PdfDocument(data, password=password or None)
    except pypdfium2.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            reason = ("password-protected PDF (wrong password)" if password
                      else "password-protected PDF (give --password)")
            raise InputError(source_path, reason) from exc
        raise InputError(source_path, _OPEN_ERRORS.get(code, f"damaged PDF: {exc}")) from exc


def extract_pdf(data: bytes, source_path: str, password: str | None = None) -> ExtractedDocument:
    bomb = oversized_stream(data)
    if bomb is not None:
        raise InputError(source_path, f"PDF stream of object {bomb[0]} inflates to more than "
                                      f"{MAX_INFLATED_STREAM // 2**20} MB, the limit for drawing instructions "
                                      "(a compression bomb or a damaged file)")
    pdf = open_pdf(data, source_path, password)
    try:
        if len(pdf) > MAX_PAGES:
            raise InputError(source_path, f"too many pages ({len(pdf)}; the limit is {MAX_PAGES})")
        pages: list[Page] = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pypdfium2.PdfiumError as exc:
                raise InputError(source_path, f"damaged PDF: page {index + 1} cannot be read") from exc
            try:
                pages.append(_extract_page(page, index + 1, carried_columns(pages[-1] if pages else None)))
            finally:
                page.close()
    finally:
        pdf.close()
    if not pages:
        raise InputError(source_path, "damaged PDF: it has no pages")
    return ExtractedDocument.of_file(data, source_path, "pdf", tuple(pages))


def _extract_page(page: pypdfium2.PdfPage, page_no: int, carried: Sequence[float] = ()) -> Page:
    words = page_words(page)
    segments = page_segments(page)
    # a grid of one row is a framed or shaded band (a header printed on a dark fill), not a table:
    # its words stay free, to be read with the rows below it
    grids = [grid for grid in grids_from_rulings(segments) if len(grid) > 1]
    images = page_image_sizes(page)
    width, height = page.get_size()
    extracted = page_from_words(page_no, words, grids, width=float(width), height=float(height),
                                image_count=len(images), rules=horizontal_rules(segments), carried=carried)
    return replace(extracted, largest_image_pixels=max((w * h for w, h in images), default=0))


def carried_columns(page: Page | None) -> tuple[float, ...]:
    """The left edges of the columns of the table a page ends with, which may go on at the top of
    the next page without its header; () when the page ends with text (a line of more than a
    page number's few words below its last table)."""
    if page is None or not page.tables:
        return ()
    last = max(page.tables, key=lambda table: table.top)
    bottom = last.bbox[3] if last.bbox else last.top
    if any(block.top > bottom and len(block.text.split()) > _FOOTER_WORDS for block in page.blocks):
        return ()
    edges = last.column_edges()
    return edges if edges is not None and len(edges) >= 2 else ()


_FOOTER_WORDS = 5     # 'Sida 2 av 3', 'Miljösamverkan Sydlän 2024': a page's footer, not its text


def find_tables(words: Sequence[Word], grids, rules: Sequence[HorizontalRule] = (),
                carried: Sequence[float] = ()) -> tuple[list[Table], set[int]]:
    """The tables of a page, top to bottom, and the indexes of the words they took: ruled grids
    first; among the words outside them, tables found by alignment (with the rules that separate
    their rows, and the columns of a table the page before ended with: `carried`)."""
    in_grids = {id(w) for box in filter(None, map(grid_box, grids)) for w in words_in(words, box)}
    free = [w for w in words if id(w) not in in_grids]
    ruled, inside = assemble_tables([with_rows_above(grid, free, rules) for grid in grids], words)
    outside = [i for i in range(len(words)) if i not in inside]
    if ruled and carried and min(t.top for t in ruled) < min((words[i].top for i in outside), default=0.0):
        carried = ()    # a ruled table starts the page: the one before does not go on here unruled
    aligned, taken = assemble_tables(grids_from_alignment([words[i] for i in outside], rules, carried),
                                     [words[i] for i in outside])
    inside |= {outside[i] for i in taken}
    return sorted([*ruled, *aligned], key=lambda table: table.top), inside


def page_from_words(page_no: int, words: tuple[Word, ...], grids, *, width: float, height: float,
                    image_count: int, method: str = "text", rules: Sequence[HorizontalRule] = (),
                    carried: Sequence[float] = ()) -> Page:
    """Words with boxes (text layer or OCR) + table grids -> a Page with tables, blocks and text.
    `carried`: the columns of the table the page before ended with (carried_columns)."""
    tables, inside = find_tables(words, grids, rules, carried)
    free_words = [w for i, w in enumerate(words) if i not in inside]
    blocks = tuple(group_blocks(group_lines(free_words)))
    text = layout_text(blocks, tables)
    return Page(page_no=page_no, text=text, raw_text=text, blocks=blocks, tables=tuple(tables), words=words,
                method=method, quality=text_quality(text), width=width, height=height, image_count=image_count)
