"""A page of a PDF as a PNG, to show a reader where a row of the corpus came from."""
from __future__ import annotations

import io

from core.errors import InputError
from extractors.pdf import open_pdf

SHOWN_SCALE = 2.0                 # 144 dpi: a table's small print stays legible on a screen
MAX_SHOWN_PIXELS = 16_000_000     # a poster-sized page is shown smaller, never rendered huge


def page_png(data: bytes, source_path: str, page_no: int) -> bytes:
    """Page `page_no` (from 1) rendered as a PNG, at SHOWN_SCALE pixels per point or less for a
    page too large for that. Raises InputError for a file PDFium cannot open or a page it lacks."""
    pdf = open_pdf(data, source_path)
    try:
        if not 1 <= page_no <= len(pdf):
            raise InputError(source_path, f"has no page {page_no} (it has {len(pdf)})")
        page = pdf[page_no - 1]
        width, height = page.get_size()
        scale = min(SHOWN_SCALE, (MAX_SHOWN_PIXELS / max(1.0, width * height)) ** 0.5)
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()
    finally:
        pdf.close()
