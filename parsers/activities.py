"""Activity tables of any column layout -> ParsedActivity records, across page breaks.

Rules (from the plans in tests/fixtures): header rows repeated on each page are skipped; a row
whose title cell is empty, or the first row after a page break that lacks the timing its
predecessor has, continues the activity above; a row with only its title cell filled (or, over a
numbered list, only its unnamed first cell) is a section ('Tillsynsprojekt') that sets
`category`; a year heading ('Aktiviteter 2022') sets `plan_year`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.records import Box, ParsedActivity, box_around
from parsers.budget import unit_multiplier
from parsers.columns import (
    FURNITURE_WORDS,
    choose_title,
    header_key,
    header_of_line,
    is_placeholder,
    map_header,
    year_heading,
)
from parsers.metadata import years_of

# fields a table's columns fill that are not cells of the activity as printed
_ROW_FIELDS = ("category", "plan_year", "estimated_cost")


@dataclass
class _Draft:
    """An activity while its rows are still coming (a row broken by a page break adds to it)."""
    fields: dict[str, str | int | Box | None]

    def get(self, name: str) -> str | int | Box | None:
        return self.fields.get(name)

    def freeze(self) -> ParsedActivity:
        return ParsedActivity(**self.fields)  # type: ignore[arg-type]


@dataclass
class _OpenTable:
    mapping: dict[int, str]
    width: int
    page_no: int
    activities: list[_Draft] = field(default_factory=list)
    cost_multiplier: int = 1            # of an estimated-cost column ('Kostnad (tkr)')
    category: str | None = None         # the last value of a category column (a merged cell)
    columns: tuple[float, ...] | None = None   # the left edges of its columns, where the source has them
    bottom: float | None = None         # of its last row on page_no, where the source has boxes
    header: tuple[str, ...] = ()        # its header row as printed, where it has one


_SAME_COLUMN = 6.0   # points between the left edges of one column in two parts of a table
_TOUCHING = 3.0      # points between a table's last row and the next table's first: one table, split


def _same_columns(these: tuple[float, ...] | None, those: tuple[float, ...] | None) -> bool:
    return (these is not None and those is not None and len(these) == len(those)
            and all(abs(a - b) <= _SAME_COLUMN for a, b in zip(these, those, strict=True)))


def _after_header(row: list[str], header: tuple[str, ...]) -> list[str] | None:
    """What the row's cells hold after the header's words, where each cell begins with its header
    cell and one at least holds more; else None."""
    if not header or not any(header):
        return None
    rest = []
    for cell, name in zip(row, header, strict=True):
        if not name:
            rest.append(cell)
            continue
        words = cell.split()
        # the most words that still read as the header cell: specks and its note go with it
        spoken = [k for k in range(1, len(words) + 1) if header_key(" ".join(words[:k])) == header_key(name)]
        if not spoken:
            return None
        rest.append(" ".join(words[spoken[-1]:]))
    return rest if any(rest) and rest != list(row) else None


def _touching(bottom: float | None, first_row: Box | None) -> bool:
    return bottom is not None and first_row is not None and abs(first_row[1] - bottom) <= _TOUCHING


def _reseated(row: list[str], columns: tuple[float, ...], table_columns: tuple[float, ...]) -> list[str]:
    """A row of a part with fewer columns, as a row of the table: each cell in the column whose left
    edge is nearest its own."""
    seated = [""] * len(table_columns)
    for text, left in zip(row, columns, strict=False):
        nearest = min(range(len(table_columns)), key=lambda i: abs(table_columns[i] - left))
        seated[nearest] = f"{seated[nearest]} {text}".strip()
    return seated


class ActivityAssembler:
    """Fed headings and tables in reading order; collects the plan's activities."""

    def __init__(self, default_year: int | None):
        self.year = default_year
        self.category: str | None = None
        self._drafts: list[_Draft] = []
        self._open: _OpenTable | None = None
        self._blocks_since_table = 0
        self._header_line: list[str] | None = None    # a header printed as a line, for the next table

    @property
    def activities(self) -> list[ParsedActivity]:
        """The activities found so far, in document order."""
        return [draft.freeze() for draft in self._drafts]

    def heading(self, text: str) -> None:
        self._blocks_since_table += 1
        names = header_of_line(text)
        if names is not None and map_header(names) is not None:
            self._header_line = names
        elif len(text.split()) > FURNITURE_WORDS:
            self._header_line = None    # page furniture ('Sida 2', a running header) may stand between
        year = year_heading(text)
        if year is not None:
            self.year = year
            self.category = None
            self._open = None
            self._header_line = None

    def close(self) -> None:
        """A table that is not an activity table ends the one before it."""
        self._open = None
        self._header_line = None

    def table(self, rows: list[list[str]], page_no: int, columns: tuple[float, ...] | None = None,
              boxes: Sequence[Box | None] = ()) -> bool:
        """Take a table if it is (a part of) an activity table; say whether it was. `columns`: the
        left edges of its columns, `boxes` the box of each row, where the source has them."""
        if not rows:
            return False
        row_boxes = list(boxes) or [None] * len(rows)
        previous = self._open
        if previous is not None and page_no > previous.page_no and len(rows[0]) == previous.width:
            rest = _after_header(rows[0], previous.header)
            if rest is not None:
                # the header the next page repeats, read as one row with the rest of the row the
                # page break cut ('OMRÅDE vindkraftverk | SYFTE följer villkoren …'): the rest goes on
                rows = [rest, *rows[1:]]
        mapping, header_rows = map_header(rows[0]), 1
        header_line, self._header_line = self._header_line, None
        if mapping is None and header_line is not None and len(header_line) == len(rows[0]):
            # its header printed as a line of text above it (a page break may stand between)
            mapping, header_rows = map_header(header_line), 0
        if mapping is not None:
            mapping = choose_title(mapping, rows[header_rows:])
            # The same header again means the table goes on after a page break (or its export's blank line).
            continues = previous is not None and previous.mapping == mapping
            body, body_boxes = rows[header_rows:], row_boxes[header_rows:]
        elif previous is not None and len(rows[0]) == previous.width and (
                page_no > previous.page_no or not self._blocks_since_table
                or _same_columns(columns, previous.columns)):
            # on the next page, straight after it (a text export's blank line), or further down the
            # page on the same columns (rows a scan's table lost between its parts): the same table
            mapping, continues, body, body_boxes = previous.mapping, True, rows, row_boxes
        elif previous is not None and page_no == previous.page_no and not self._blocks_since_table and (
                _touching(previous.bottom, row_boxes[0]) and columns is not None and previous.columns is not None
                and len(columns) < previous.width):
            # the rows right below a table, found as a table of fewer columns (a scan lost the rules
            # of the cells left empty): each cell goes to the column it stands in
            mapping, continues, body_boxes = previous.mapping, True, row_boxes
            body = [_reseated(row, columns, previous.columns) for row in rows]
        else:
            return False
        self._blocks_since_table = 0
        if continues:
            assert previous is not None   # only an open table continues
            previous.page_no = page_no
            table = previous
        else:
            cost = next((i for i, name in mapping.items() if name == "estimated_cost"), None)
            multiplier = (unit_multiplier(rows[0][cost]) or 1) if cost is not None else 1
            table = self._open = _OpenTable(mapping=mapping, width=len(rows[0]), page_no=page_no,
                                            cost_multiplier=multiplier, columns=columns,
                                            header=tuple(rows[0]) if header_rows else ())
        self._rows(body, body_boxes, table, page_break=continues)
        last_box = next((box for box in reversed(body_boxes) if box is not None), None)
        table.bottom = last_box[3] if last_box is not None else None
        return True

    def _rows(self, rows: list[list[str]], boxes: list[Box | None], table: _OpenTable, page_break: bool) -> None:
        at_break = page_break
        for row, box in zip(rows, boxes, strict=True):
            if not any(row):
                continue
            if map_header(row) == table.mapping:
                at_break = True
                continue
            values = {name: row[i] for i, name in table.mapping.items() if i < len(row) and row[i]}
            filled = [text for text in row if text]
            title = values.get("title")
            if "category" in values and filled == [values["category"]]:
                table.category = _label(values["category"])     # a category cell over the rows of its group
                at_break = False
                continue
            if title is not None and filled == [title]:
                if not is_placeholder(title):
                    self.category = _label(title)
                at_break = False
                continue
            if title is not None and is_placeholder(title):
                at_break = False
                continue
            if title is None and 0 not in table.mapping and filled == [row[0]] and not _is_number(row[0]):
                # a heading set flush left over a numbered list ('Nr | Område | Period')
                self.category = _label(row[0])
                at_break = False
                continue
            if table.activities and self._continues(values, table, at_break):
                _merge(table.activities[-1], _cells(values), self._page, box)
            elif title is not None:
                if "category" in values:
                    table.category = _label(values["category"])
                year, _ = years_of(values.get("plan_year"))
                cost = values.get("estimated_cost")
                activity = _Draft({"ordinal": len(self._drafts) + 1, "title": title,
                                   "plan_year": year or self.year,
                                   "category": table.category if "category" in table.mapping.values()
                                   else self.category,
                                   "estimated_cost_text": cost,
                                   "estimated_cost_multiplier": table.cost_multiplier if cost else None,
                                   "page_from": self._page, "page_to": self._page, "box": box})
                _merge(activity, {k: v for k, v in _cells(values).items() if k != "title"}, self._page)
                self._drafts.append(activity)
                table.activities.append(activity)
            at_break = False

    @property
    def _page(self) -> int | None:
        return self._open.page_no if self._open else None

    @staticmethod
    def _continues(values: dict[str, str], table: _OpenTable, at_break: bool) -> bool:
        if "title" not in values:
            return True
        previous = table.activities[-1]
        has_timing_column = "timing_text" in table.mapping.values()
        return at_break and has_timing_column and "timing_text" not in values and bool(previous.get("timing_text"))


def _cells(values: dict[str, str]) -> dict[str, str]:
    """The values that are the activity's text fields (a row's category, year and cost are not)."""
    return {name: text for name, text in values.items() if name not in _ROW_FIELDS}


def _merge(activity: _Draft, values: dict[str, str], page_no: int | None, box: Box | None = None) -> None:
    """Add a row's cells to the activity; its box too, where it stands on the page the activity starts on."""
    for name, text in values.items():
        current = activity.get(name)
        activity.fields[name] = f"{current} {text}" if current else text
    if box is not None and page_no is not None and page_no == activity.get("page_from"):
        known = activity.fields.get("box")
        activity.fields["box"] = box_around([known if isinstance(known, tuple) else None, box])
    if page_no is not None:
        page_to = activity.get("page_to")
        activity.fields["page_to"] = max(page_to if isinstance(page_to, int) else page_no, page_no)


def _label(text: str) -> str:
    """A category as a heading names it: 'Kommunikation:' and 'Tillsyn.' (a scan's speck, or a
    writer's colon) are 'Kommunikation' and 'Tillsyn'; an abbreviation keeps its point ('Övrigt m.m.')."""
    words = text.split()
    marks = " :;," if words and words[-1].count(".") > 1 else " .:;,"
    return text.rstrip(marks) or text


def _is_number(text: str) -> bool:
    return text.strip().rstrip(".").isdigit()
