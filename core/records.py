"""The records passed between the stages, all frozen: a stage returns new data, never fills in
another's.

extract (and OCR) -> `ExtractedDocument`; repair -> `ExtractedDocument` (text repaired, `raw_text`
kept); parse -> `ParsedPlan`; normalise -> `NormalisedPlan`; the orchestrator hands the database a
`ProcessedDocument`.

Coordinates are PDF points from the page's top-left corner. Text exports have no geometry:
their `top` is the line number, which keeps reading order comparable across sources.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

Box = tuple[float, float, float, float]   # x0, top, x1, bottom


def box_around(boxes: Iterable[Box | None]) -> Box | None:
    """The box around the given boxes that are known (None when none is: a source without geometry)."""
    known = [box for box in boxes if box is not None]
    if not known:
        return None
    return (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known), max(b[3] for b in known))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float | None = None
    line: int | None = None      # the line the OCR read the word on (Tesseract's block, paragraph, line)
    confidence: float | None = None   # the OCR's, 0-100; None for a text layer

    @property
    def is_sure(self) -> bool:
        """A text layer's word, or one the OCR is sure enough of to say where its line stands."""
        return self.confidence is None or self.confidence >= SURE_CONFIDENCE


SURE_CONFIDENCE = 50.0   # Tesseract's confidence at or above which it has read a word, not guessed it


@dataclass(frozen=True)
class Line:
    """One visual line of text; x0/x1 are None when the source has no geometry."""
    text: str
    top: float
    x0: float | None = None
    x1: float | None = None
    size: float | None = None
    bottom: float | None = None
    letter_height: float | None = None   # OCR lines: the median height of their words' boxes

    @property
    def box(self) -> Box | None:
        if self.x0 is None or self.x1 is None or self.bottom is None:
            return None
        return self.x0, self.top, self.x1, self.bottom


@dataclass(frozen=True)
class Block:
    """A run of lines outside tables that belong together: a heading, a paragraph, a title."""
    lines: tuple[Line, ...]
    top: float

    @property
    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines).strip()

    @property
    def box(self) -> Box | None:
        return box_around(line.box for line in self.lines)


@dataclass(frozen=True)
class Cell:
    lines: tuple[Line, ...] = ()
    bbox: Box | None = None

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

    def row_boxes(self) -> list[Box | None]:
        """The box around each row's cells (None for a row of a source without geometry)."""
        return [box_around(cell.bbox for cell in row) for row in self.rows]

    def column_edges(self) -> tuple[float, ...] | None:
        """The left edge of each column, from the cells that have a box (None without geometry)."""
        edges = []
        for column in range(max(len(row) for row in self.rows)):
            lefts = [box[0] for row in self.rows if column < len(row) and (box := row[column].bbox) is not None]
            if not lefts:
                return None
            edges.append(min(lefts))
        return tuple(edges)


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

    @classmethod
    def of_file(cls, data: bytes, source_path: str, source_kind: str, pages: tuple[Page, ...]) -> ExtractedDocument:
        """The extract stage's output for a file: its pages, named by the file's content hash."""
        return cls(sha256=sha256_of(data), source_path=source_path, file_name=Path(source_path).name,
                   source_kind=source_kind, pages=pages)


def sha256_of(data: bytes) -> str:
    """A file's identity in the corpus and the stage cache: the hash of its bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, kw_only=True)
class ParsedActivity:
    """A row of an activity table, its cells as printed."""
    ordinal: int
    title: str
    plan_year: int | None = None
    category: str | None = None
    goal: str | None = None
    actions: str | None = None
    timing_text: str | None = None
    responsible: str | None = None
    partners_text: str | None = None
    target_group: str | None = None
    effect_goals: str | None = None
    followup: str | None = None
    estimated_cost_text: str | None = None        # an estimated-cost cell of the activity table
    estimated_cost_multiplier: int | None = None  # 1000 when its column is in tkr
    page_from: int | None = None
    page_to: int | None = None
    box: Box | None = None          # of its row (its rows) on page_from, where the source has geometry


@dataclass(frozen=True, kw_only=True)
class NormalisedActivity(ParsedActivity):
    """A parsed activity with its canonical values."""
    period_start: str | None       # ISO dates
    period_end: str | None
    frequency_per_year: float | None
    partners: tuple[str, ...]
    themes: tuple[str, ...]
    lemmas: str | None             # lemmas of title, goal and actions, for search and similarity
    estimated_cost_sek: int | None = None


@dataclass(frozen=True, kw_only=True)
class ParsedBudgetLine:
    """One amount of a budget row, as printed."""
    ordinal: int
    label: str
    amount_text: str
    budget_year: int | None
    section: str | None            # income | cost | result
    is_total: bool
    unit_multiplier: int           # 1000 when the table is in tkr
    page: int | None = None
    box: Box | None = None          # of its row on `page`, where the source has geometry


@dataclass(frozen=True, kw_only=True)
class NormalisedBudgetLine(ParsedBudgetLine):
    amount_sek: int | None         # whole kronor


@dataclass(frozen=True, kw_only=True)
class PlanDocument:
    """What both states of a plan say of the document itself."""
    sha256: str
    source_path: str
    file_name: str
    page_count: int
    title: str | None = None
    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ParsedPlan(PlanDocument):
    organisations: tuple[str, ...] = ()
    # places (as printed) that say which county the plan is for: its organisations', else the one
    # county the text names most
    county_mentions: tuple[str, ...] = ()
    activities: tuple[ParsedActivity, ...] = ()
    budget_lines: tuple[ParsedBudgetLine, ...] = ()
    table_count: int = 0            # tables the document has (of any kind)


@dataclass(frozen=True, kw_only=True)
class NormalisedPlan(PlanDocument):
    organisations: tuple[str, ...]  # as the plan names them
    organisation: str | None        # the one organisation, or several joined by 'och'
    county: str | None             # the first of `counties`
    counties: tuple[str, ...]      # canonical county names ('Jönköpings län')
    activities: tuple[NormalisedActivity, ...]
    budget_lines: tuple[NormalisedBudgetLine, ...]
    coverage_note: str | None = None   # a document with tables and no activities says so


@dataclass(frozen=True)
class ProcessedDocument:
    """All that the corpus stores of one file: its repaired pages, its plan, and the stage versions
    that made them."""
    document: ExtractedDocument    # repaired pages (raw_text kept as extracted or OCR'd)
    plan: NormalisedPlan
    pipeline_version: str
