"""Plain data produced by the extract stage and consumed by repair and parse.

Coordinates are PDF points from the page's top-left corner. Text exports have no geometry:
their `top` is the line number, which keeps reading order comparable across sources.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float | None = None


@dataclass(frozen=True)
class Line:
    """One visual line of text; x0/x1 are None when the source has no geometry."""
    text: str
    top: float
    x0: float | None = None
    x1: float | None = None
    size: float | None = None
    bottom: float | None = None


@dataclass(frozen=True)
class Block:
    """A run of lines outside tables that belong together: a heading, a paragraph, a title."""
    lines: tuple[Line, ...]
    top: float

    @property
    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines).strip()


@dataclass(frozen=True)
class Cell:
    lines: tuple[Line, ...] = ()
    bbox: tuple[float, float, float, float] | None = None

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.text for line in self.lines).split())


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    top: float
    bbox: tuple[float, float, float, float] | None = None

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


@dataclass(frozen=True)
class Page:
    page_no: int
    text: str
    raw_text: str
    blocks: tuple[Block, ...] = ()
    tables: tuple[Table, ...] = ()
    words: tuple[Word, ...] = ()
    method: str = "text"          # text | ocr
    quality: float | None = None  # 0..1, filled by the quality check of the OCR issue
    width: float | None = None
    height: float | None = None
    image_count: int = 0
    largest_image_pixels: int = 0         # of the images embedded in the page, as stored (not as shown)
    needs_diacritic_repair: bool = False  # a poor text layer that could not be OCR'd again
    error: str | None = None              # why this page has no text (e.g. OCR failed)


@dataclass(frozen=True)
class ExtractedDocument:
    sha256: str
    source_path: str
    file_name: str
    source_kind: str              # pdf | text
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def page_count(self) -> int:
        return len(self.pages)
