"""Born-digital PDFs through pdfplumber: words with boxes, ruled tables as cell grids, text blocks."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from core.errors import InputError
from core.records import ExtractedDocument, Page, Word
from extractors.alignment import HorizontalRule, grids_from_alignment
from extractors.layout import group_blocks, group_lines, layout_text
from extractors.quality import text_quality
from extractors.tables import assemble_tables

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
MAX_PAGES = 2000   # a plan is tens of pages; thousands means a wrong file, and would take hours


def open_pdf(data: bytes, source_path: str, password: str | None = None) -> pdfplumber.PDF:
    """Open a PDF or raise an InputError that says why it cannot be read."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        _ = pdf.pages  # forces the page tree to be parsed, where damage shows
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
    if len(pdf.pages) > MAX_PAGES:
        pdf.close()
        raise InputError(source_path, f"too many pages ({len(pdf.pages)}; the limit is {MAX_PAGES})")
    with pdf:
        try:
            pages = tuple(_extract_page(page) for page in pdf.pages)
        except PdfminerException as exc:
            raise InputError(source_path, f"damaged PDF: {_describe(exc.args[0] if exc.args else exc)}") from exc
    if not pages:
        raise InputError(source_path, "damaged PDF: it has no pages")
    return ExtractedDocument.of_file(data, source_path, "pdf", pages)


def _extract_page(page: pdfplumber.page.Page) -> Page:
    words = tuple(
        Word(text=w["text"], x0=w["x0"], top=w["top"], x1=w["x1"], bottom=w["bottom"], size=w.get("size"))
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    )
    # a grid of one row is a framed or shaded band (a header printed on a dark fill), not a table:
    # its words stay free, to be read with the rows below it
    grids = [[list(row.cells) for row in found.rows] for found in page.find_tables(_TABLE_SETTINGS)
             if len(found.rows) > 1]
    # rules and the edges of shaded bands: the rows of tables that have no vertical rules
    rules = tuple((float(e["x0"]), float(e["top"]), float(e["x1"])) for e in page.horizontal_edges)
    images = page.images
    largest = max((int(i["srcsize"][0]) * int(i["srcsize"][1]) for i in images if i.get("srcsize")), default=0)
    return replace(page_from_words(page.page_number, words, grids, width=float(page.width),
                                   height=float(page.height), image_count=len(images), rules=rules),
                   largest_image_pixels=largest)


def page_from_words(page_no: int, words: tuple[Word, ...], grids, *, width: float, height: float,
                    image_count: int, method: str = "text", rules: Sequence[HorizontalRule] = ()) -> Page:
    """Words with boxes (text layer or OCR) + table grids -> a Page with tables, blocks and text.
    Ruled grids first; among the words outside them, tables found by alignment (with the rules
    that separate their rows)."""
    ruled, inside = assemble_tables(grids, words)
    outside = [i for i in range(len(words)) if i not in inside]
    aligned, taken = assemble_tables(grids_from_alignment([words[i] for i in outside], rules),
                                     [words[i] for i in outside])
    inside |= {outside[i] for i in taken}
    tables = sorted([*ruled, *aligned], key=lambda table: table.top)
    free_words = [w for i, w in enumerate(words) if i not in inside]
    blocks = tuple(group_blocks(group_lines(free_words)))
    text = layout_text(blocks, tables)
    return Page(page_no=page_no, text=text, raw_text=text, blocks=blocks, tables=tuple(tables), words=words,
                method=method, quality=text_quality(text), width=width, height=height, image_count=image_count)
