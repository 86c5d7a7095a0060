"""Tables without vertical rules, found from how words line up: the stream strategy.

A table whose columns are only whitespace (horizontal rules only, zebra shading, or no rules at all)
starts at a line of short, widely spaced cells (its header); the header's cells give the columns.
The lines below belong to the table while no word crosses from one column into the next; a prose
line does, and ends it. Rows are the bands between horizontal rules or shaded bands where the table
has them, else a new row starts where the line spacing opens up (or, in evenly spaced tables, where
the first column has text). The result is a grid of cell boxes, assembled with the words like a
ruled grid (`extractors.tables.assemble_table`), so that text layers and OCR words work the same.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from core.records import Word
from core.reference import reference_json
from extractors.layout import FIGURE, line_band, word_lines

BBox = tuple[float, float, float, float]
HorizontalRule = tuple[float, float, float]      # x0, y, x1

_MIN_COLUMNS = 2
_MIN_LINES = 3             # header and two more
_MIN_CONTINUED_LINES = 2   # of a table going on from the page before, without its header
_RUNNING_HEADER_LINES = 2  # lines above such a table that may be the page's running header
_CELL_START = 1.5          # text heights from a column's start within which its cells start (after a bullet)
_HEADER_GAP = 1.2          # a header's cells stand at least this many text heights apart…
_NARROW_GAP = 0.5          # …or this many, where the rows below have words starting at the same place
_ALIGNED = 1.5             # points within which two words start at the same place
_SAME_RULE = 1.0          # points within which two pieces of rule are one rule
_RIGHT_ALIGNED = 3.0       # points within which two runs of words flush right end at the same place
_LOOKAHEAD = 15            # lines below a header that may confirm a narrow column
_LABEL_LOOKAHEAD = 4       # lines below a header over figures alone that may give it a label column
_CELLS_IN_ONE_COLUMN = 3   # header cells over one column of a table: the header of another table
_FURTHER_LEFT = 3.0        # text heights left of a table's first column where the page's text is
_HEADER_CELL_WORDS = 5     # a header names its columns in a few words; a line of prose runs on
# '1 611 | 000 kr': the groups of one number, set flush right, line up from row to row as columns do
_DIGITS = re.compile(r"[(−–-]?\d{1,4}")
_THOUSANDS = re.compile(r"\d{3}(?!\d)")
_BULLETS = frozenset(reference_json("extractors", "layout.json")["bullets"])
_CROSSING_SLACK = 1.0      # points a word may reach into the next column (kerning, OCR boxes)
_GLYPH_LEAD = 1.0          # word heights before a column's start within which a word is that column's
_LINE_GAP = 2.6            # text heights between two lines beyond which the table has ended
_ROW_GAP = 1.5             # line pitch, in text heights, above which a new row starts
_TWO_SPACINGS = 1.25       # ratio of two line pitches that tells a cell's lines from rows
_CELL_LEADING = 1.6        # line pitch, in text heights, up to which two lines can be of one cell


@dataclass(frozen=True)
class _Line:
    words: list[Word]      # left to right

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def middle(self) -> float:
        """Halfway between the median top and the median bottom of its words: where the line stands,
        whatever its letters (an OCR box is as tall as its word's ink: '3' lower than 'Badvatten')."""
        top, bottom = line_band([w for w in self.words if w.is_sure] or self.words)
        return (top + bottom) / 2

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


def grids_from_alignment(words: Sequence[Word], rules: Sequence[HorizontalRule] = (),
                         carried: Sequence[float] = ()) -> list[list[list[BBox]]]:
    """Cell boxes, by table and row, of the tables the words line up into. `carried`: the left
    edges of the columns of a table the page before ended with, which may go on at the top of
    this page without its header."""
    lines = _lines(words)
    if not lines:
        return []
    height = median(w.bottom - w.top for w in words) or 1.0
    grids = []
    index = 0
    if carried:
        index, grid = _continued(lines, list(carried), rules, height)
        if grid is not None:
            grids.append(grid)
    if len(lines) < _MIN_LINES:
        return grids
    while index < len(lines):
        columns = _header_columns(lines[index], lines[index + 1:index + 1 + _LOOKAHEAD])
        if columns is None:
            index += 1
            continue
        columns = _with_label_column(lines[index], columns, lines[index + 1:index + 1 + _LABEL_LOOKAHEAD], height)
        columns = _under_right_aligned_cells(lines[index], columns, lines[index + 1:index + 1 + _LOOKAHEAD], height)
        end = _table_end(lines, index, columns, height)
        grid = _grid(lines[index:end], columns, rules, height) if end - index >= _MIN_LINES else None
        if grid is None:
            index += 1
            continue
        grids.append(grid)
        index = end
    return grids


def _continued(lines: list[_Line], columns: list[float], rules: Sequence[HorizontalRule],
               height: float) -> tuple[int, list[list[BBox]] | None]:
    """The part of a table the page before ended with that goes on at the top of this page on
    its columns (a running header above it aside): where it ends, and its grid; (0, None) if the
    page starts otherwise."""
    for start in range(min(_RUNNING_HEADER_LINES + 1, len(lines))):
        line = lines[start]
        if not _fits(line, columns) or _runs_on(line, columns, height) or line.x0 < columns[0] - _FURTHER_LEFT * height:
            set_apart = start + 1 < len(lines) and lines[start + 1].top - line.bottom > _ROW_GAP * height
            if set_apart:
                continue    # a running header above the table
            return 0, None
        if not _on_columns(line, columns, height) or _repeats_header(lines, start, columns, height):
            # cells where the table before has none, or its header again: a table starts here
            return 0, None
        fitting = _table_end(lines, start, columns, height)
        end = next((k for k in range(start + 1, fitting) if _repeats_header(lines, k, columns, height)), fitting)
        part = lines[start:end]
        if all(_column_of(w.x0, columns) > 0 for line in part for w in line.words):
            # the rest of a row the page before broke (its first cell ended there): one row
            top, bottom = part[0].top - 1.0, part[-1].bottom + 1.0
            edges = [columns[0] - 1.0, *columns[1:], max(line.x1 for line in part) + 1.0]
            return end, [[(edges[c], top, edges[c + 1], bottom) for c in range(len(columns))]]
        if end - start >= _MIN_CONTINUED_LINES:
            grid = _grid(part, columns, rules, height)
            if grid is not None:
                return end, grid
    return 0, None


def _repeats_header(lines: list[_Line], index: int, columns: list[float], height: float) -> bool:
    """The line reads as a header with one cell in each of the columns."""
    starts = _header_columns(lines[index], lines[index + 1:index + 1 + _LOOKAHEAD])
    return starts is not None and [_column_of(x, columns) for x in starts] == list(range(len(columns)))


def _on_columns(line: _Line, columns: list[float], height: float) -> bool:
    """Each run of words of the line that holds no figure starts where a column does (cells are
    set flush left; figures may be set flush right)."""
    tallest = max(height, max(w.bottom - w.top for w in line.words))   # OCR boxes are as tall as their letters
    return all(any(abs(run[0].x0 - start) <= _CELL_START * tallest for start in columns)
               for run in _runs_of_words(line.words, height)
               if not any(ch.isdigit() for w in run for ch in w.text))


def _lines(words: Sequence[Word]) -> list[_Line]:
    return [_Line(members) for members in word_lines(words, by_middle=True)]


def _header_columns(line: _Line, below: list[_Line]) -> list[float] | None:
    """The left edges of a line's cells, if it reads as a table header: two or more runs of words
    with wide gaps between them (wide for the line's own text height: a title set large has wide
    spaces). Narrow columns stand closer: a smaller gap counts where two lines below have a word
    starting right there too (cells are set flush left)."""
    # the tallest box: an OCR box is as tall as its word's letters ('för' shorter than 'Handlingsplan')
    height = max(w.bottom - w.top for w in line.words) or 1.0
    starts = [line.words[0].x0]
    words_in_cell = [1]
    for previous, word in zip(line.words, line.words[1:], strict=False):
        gap = word.x0 - previous.x1
        bullet = previous.text in _BULLETS and len(words_in_cell) and words_in_cell[-1] == 1
        if not bullet and (gap >= _HEADER_GAP * height or (gap >= _NARROW_GAP * height
                                                            and not _one_number(previous, word) and sum(
                1 for other in below if any(abs(w.x0 - word.x0) <= _ALIGNED for w in other.words)) >= 2)):
            starts.append(word.x0)
            words_in_cell.append(1)
        else:
            words_in_cell[-1] += 1
    if len(starts) < _MIN_COLUMNS or max(words_in_cell) > _HEADER_CELL_WORDS:
        return None
    return starts


def _one_number(left: Word, right: Word) -> bool:
    """Two words that are groups of one number ('1 | 250')."""
    return bool(_DIGITS.fullmatch(left.text) and _THOUSANDS.match(right.text))


def _with_label_column(header: _Line, columns: list[float], below: list[_Line], height: float) -> list[float]:
    """A header printed over the figures alone ('2018  2019  Plan 2020', the labels' header left
    blank: each of its cells holds a figure) gets the column of labels the rows below it start
    with, left of its first cell: where two or more of the next lines start well left of it and go
    on into its columns."""
    cells: list[list[Word]] = [[] for _ in columns]
    for word in header.words:
        cells[_column_of(word.x0, columns)].append(word)
    if not all(any(ch.isdigit() for w in cell for ch in w.text) for cell in cells):
        return columns
    left = columns[0] - _FURTHER_LEFT * height
    starts = [line.x0 for line in below if line.x0 < left and any(w.x0 >= columns[0] - _ALIGNED for w in line.words)]
    return [min(starts), *columns] if len(starts) >= 2 else columns


def _under_right_aligned_cells(header: _Line, columns: list[float], below: list[_Line],
                               height: float) -> list[float]:
    """Columns of figures set flush right under a header cell set flush right too ('2017' over
    '1 121 283 kr'): such a column starts where its widest figures start, left of its header cell,
    so that they are not taken to reach across from the column before. It is moved where lines
    below have a run of words with a digit that ends where the header cell ends and starts
    between the cell before and this one."""
    cells: list[list[Word]] = [[] for _ in columns]
    for word in header.words:
        cells[_column_of(word.x0, columns)].append(word)
    moved = list(columns)
    for number in range(1, len(columns)):
        if not cells[number]:
            continue
        right = max(w.x1 for w in cells[number])
        before = max((w.x1 for w in cells[number - 1]), default=columns[number - 1])
        starts = [run[0].x0 for line in below for run in _runs_of_words(line.words, height)
                  if abs(run[-1].x1 - right) <= _RIGHT_ALIGNED and before < run[0].x0 < columns[number]
                  and any(ch.isdigit() for w in run for ch in w.text)]
        if starts:
            moved[number] = min(starts)
    return moved


def _runs_of_words(words: list[Word], height: float) -> list[list[Word]]:
    """A line's words in runs parted by gaps as wide as a header's between cells."""
    runs: list[list[Word]] = []
    for word in words:
        if runs and word.x0 - runs[-1][-1].x1 < _HEADER_GAP * height:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _column_of(x0: float, columns: list[float]) -> int:
    """The column a word starting at x0 stands in (the last one starting at or before it)."""
    index = 0
    for number, start in enumerate(columns):
        if x0 >= start - _CROSSING_SLACK - 2.0:
            index = number
    return index


def _fits(line: _Line, columns: list[float]) -> bool:
    """No word of the line reaches across the start of the next column. A word starting less than
    a glyph before the next column is that column's (a bullet or a speck left of its letters
    widened its box: '"Granska'); where a word OCR doubts starts and ends is doubtful too."""
    for word in line.words:
        column = _column_of(word.x0, columns)
        if (word.is_sure and column + 1 < len(columns) and word.x1 > columns[column + 1] + _CROSSING_SLACK
                and columns[column + 1] - word.x0 > _GLYPH_LEAD * (word.bottom - word.top)):
            return False
    return True


def _is_section_row(line: _Line, columns: list[float], height: float) -> bool:
    """A heading over a group of rows ('Tillsynsprojekt'): a few words in one run from the first
    column, which may reach across the columns next to it."""
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:], strict=False)]
    return (abs(line.x0 - columns[0]) <= _ALIGNED + height and len(line.words) <= _HEADER_CELL_WORDS
            and all(gap < _HEADER_GAP * height for gap in gaps) and line.x1 < columns[-1])


def _table_end(lines: list[_Line], start: int, columns: list[float], height: float, nested: bool = False) -> int:
    end = start + 1
    while end < len(lines):
        line, previous = lines[end], lines[end - 1]
        if line.top - previous.bottom > _LINE_GAP * height:
            break
        if not _fits(line, columns):
            following = lines[end + 1] if end + 1 < len(lines) else None
            # a section row stays in the table when rows of the table follow it
            if not (_is_section_row(line, columns, height) and following is not None
                    and following.top - line.bottom <= _LINE_GAP * height and _fits(following, columns)):
                break
        if line.x0 < columns[0] - _FURTHER_LEFT * height:   # text further left than the table: the page goes on
            break
        if _runs_on(line, columns, height):
            break
        if not nested and _starts_another_table(lines, end, columns, height):
            break
        end += 1
    return end


def _runs_on(line: _Line, columns: list[float], height: float) -> bool:
    """A line of prose that happens to fit the columns ('Verksamheten | följs upp i …'): its words
    run on from one column into the next with no more than a word space between them, where the
    cells of a row stand apart."""
    steps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:], strict=False)
             if _column_of(b.x0, columns) != _column_of(a.x0, columns) and not _one_number(a, b)
             and a.text not in _BULLETS]
    return bool(steps) and all(step < _NARROW_GAP * height for step in steps)


def _starts_another_table(lines: list[_Line], index: int, columns: list[float], height: float) -> bool:
    """The line at `index` is the header of a table of other columns: three or more of its cells
    stand in one column of this table (a row of this table has one cell per column), and lines
    that fit its cells follow."""
    starts = _header_columns(lines[index], lines[index + 1:index + 1 + _LOOKAHEAD])
    if starts is None or len(starts) < _CELLS_IN_ONE_COLUMN:
        return False
    per_column = [sum(1 for x in starts if _column_of(x, columns) == c) for c in range(len(columns))]
    return (max(per_column) >= _CELLS_IN_ONE_COLUMN
            and _table_end(lines, index, starts, height, nested=True) - index >= _MIN_LINES)


def _grid(lines: list[_Line], columns: list[float], rules: Sequence[HorizontalRule],
          height: float) -> list[list[BBox]] | None:
    left = min(columns[0], min(line.x0 for line in lines)) - 1.0
    right = max(line.x1 for line in lines) + 1.0
    used = [sum(1 for line in lines if any(_column_of(w.x0, columns) == c for w in line.words))
            for c in range(len(columns))]
    if sum(1 for count in used if count >= 2) < _MIN_COLUMNS:
        return None    # a column that holds one word is no column
    bands = _rows_by_rules(lines, rules, left, right, columns, height) or _rows_by_spacing(lines, columns, height)
    if len(bands) < 2:
        return None
    edges = [left, *_boundaries(lines, columns), right]
    return [[(edges[c], top, edges[c + 1], bottom) for c in range(len(columns))] for top, bottom in bands]


def _row_pitch(pitches: list[float], height: float) -> float | None:
    """The pitch above which the next line starts a new row, when the lines come in two spacings:
    some as close as the lines of one cell (text leading), others further apart; or, where OCR
    boxes make the text look lower than it is, pitches in two groups with a clear step between
    them. None when the rows are evenly spaced, give or take the noise of OCR boxes and the extra
    space a plan puts above a section row."""
    tight = min(pitches)
    if tight <= _CELL_LEADING * height:
        threshold = max(_ROW_GAP * height, _TWO_SPACINGS * tight)
        return threshold if any(p > threshold for p in pitches) else None
    ordered = sorted(pitches)
    steps = [(high / low, (low + high) / 2) for low, high in zip(ordered, ordered[1:], strict=False)
             if low > 0 and high > _ROW_GAP * height]
    ratio, middle = max(steps, default=(0.0, 0.0))
    return middle if ratio > _TWO_SPACINGS else None


def _boundaries(lines: list[_Line], columns: list[float]) -> list[float]:
    """Where each column after the first begins. A header cell over right-aligned figures starts
    right of the widest figure ('2008' over '1 604'): such a column begins where the run of text
    under its header begins, when whitespace parts that run from the column before."""
    runs: list[list[float]] = []
    for x0, x1 in sorted((w.x0, w.x1) for line in lines for w in line.words):
        if runs and x0 <= runs[-1][1] + 0.5:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    boundaries = []
    for number, start in enumerate(columns[1:], start=1):
        run = next((r for r in runs if r[0] < start - 1.0 < r[1]), None)
        boundaries.append(run[0] - 0.5 if run is not None and run[0] > columns[number - 1] else start - 1.0)
    return boundaries


def _rows_by_rules(lines: list[_Line], rules: Sequence[HorizontalRule], left: float, right: float,
                   columns: list[float], height: float) -> list[tuple[float, float]]:
    """Row bands between the rules that run across the table (rules of shaded bands included). A
    section row that shares a band with a row (zebra shading leaves both white), set apart from
    it by more than the leading of a cell's lines, is a band of its own, and so is each line of
    figures in a band of several (a table ruled only above and below)."""
    top, bottom = lines[0].top - 2.0, lines[-1].bottom + 2.0
    width = right - left
    ys = sorted({y for y, covered in _rule_cover([r for r in rules if top - 4.0 <= r[1] <= bottom + 4.0], left, right)
                 if covered >= 0.6 * width})
    if len(ys) < 2:
        return []
    cuts = [top, *(y for y in ys if top < y < bottom), bottom]
    bands: list[tuple[float, float]] = []
    for upper, lower in zip(cuts, cuts[1:], strict=False):
        inside = [line for line in lines if upper <= (line.top + line.bottom) / 2 <= lower]
        if not inside:
            continue
        # a section row set apart from the row it shares the band with, above or below it; rows
        # of figures under one rule (rules above and below the table only)
        splits = [(a.bottom + b.top) / 2 for a, b in zip(inside, inside[1:], strict=False)
                  if (b.middle - a.middle > _ROW_GAP * height
                      and (_is_section_row(a, columns, height) or _is_section_row(b, columns, height)))
                  or _figures_in_one_column(a, b, columns)]
        edges = [upper, *splits, lower]
        bands.extend(zip(edges, edges[1:], strict=False))
    return bands


def _figures_in_one_column(upper: _Line, lower: _Line, columns: list[float]) -> bool:
    """Two lines with a figure each in the same column, right of the first: two rows set close
    (a cell holds one amount), not two lines of one cell."""
    def figures(line: _Line) -> set[int]:
        cells: dict[int, list[str]] = {}
        for word in line.words:
            cells.setdefault(_column_of(word.x0, columns), []).append(word.text)
        return {c for c, texts in cells.items()
                if c > 0 and FIGURE.fullmatch(" ".join(texts)) and any(ch.isdigit() for t in texts for ch in t)}
    return bool(figures(upper) & figures(lower))


def _rule_cover(rules: Sequence[HorizontalRule], left: float, right: float) -> list[tuple[float, float]]:
    """(y, width covered between left and right) of each rule, the pieces of one rule taken
    together: a scan's rule comes back in pieces where a letter touches it or the ink thins."""
    pieces: list[tuple[float, list[tuple[float, float]]]] = []
    for x0, y, x1 in sorted(rules, key=lambda rule: rule[1]):
        if pieces and y - pieces[-1][0] <= _SAME_RULE:
            pieces[-1][1].append((x0, x1))
        else:
            pieces.append((y, [(x0, x1)]))
    cover = []
    for y, spans in pieces:
        covered, reach = 0.0, left
        for x0, x1 in sorted(spans):
            x0, x1 = max(x0, reach), min(x1, right)
            if x1 > x0:
                covered += x1 - x0
                reach = x1
        cover.append((round(y, 1), covered))
    return cover


def _rows_by_spacing(lines: list[_Line], columns: list[float], height: float) -> list[tuple[float, float]]:
    """Without rules: where the lines come in two spacings, a new row where they open up; where
    they are evenly spaced, where the first column has text. Never where the first cell's text
    goes on from the line above in lower case."""
    pitches = [b.middle - a.middle for a, b in zip(lines, lines[1:], strict=False)]
    threshold = _row_pitch(pitches, height)
    starts = [0]
    for number in range(1, len(lines)):
        first_cell = [w for w in lines[number].words if _column_of(w.x0, columns) == 0]
        # a first cell's text going on from the line above starts in lower case ('hos | verksamheter')
        goes_on = bool(first_cell) and first_cell[0].text[:1].islower() and any(
            _column_of(w.x0, columns) == 0 for w in lines[number - 1].words)
        if threshold is not None:
            new_row = not goes_on and (pitches[number - 1] > threshold
                                       or _figures_in_one_column(lines[number - 1], lines[number], columns))
        else:
            new_row = bool(first_cell) and not goes_on
        if new_row:
            starts.append(number)
    bands = []
    for number, first in enumerate(starts):
        last = (starts[number + 1] if number + 1 < len(starts) else len(lines)) - 1
        bands.append((lines[first].top - 1.0, lines[last].bottom + 1.0))
    # the bands meet halfway, so that every word's centre falls in one
    return [(top if n == 0 else (bands[n - 1][1] + top) / 2,
             bottom if n + 1 == len(bands) else (bottom + bands[n + 1][0]) / 2)
            for n, (top, bottom) in enumerate(bands)]
