"""One table assembler for every source: ruling lines -> cell grid (pdfplumber's algorithm),
then words placed in the cell that holds their centre.

Born-digital PDFs give the straight segments of their vector paths; scans give the lines found in
the page image; both as `Ruling` segments in PDF points.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from core.records import Cell, Table, Word, box_around
from extractors.layout import group_lines, word_lines, words_in

Ruling = tuple[float, float, float, float]       # x0, top, x1, bottom; horizontal or vertical
BBox = tuple[float, float, float, float]
_TOLERANCE = 3.0   # points, pdfplumber's default snap/join/intersection tolerance
_MIN_EDGE = 3.0
_MIN_EDGE_BEFORE_MERGING = 1.0   # pdfplumber's edge_min_length_prefilter: specks and dots are no rules


def grids_from_rulings(rulings: Sequence[Ruling], tolerance: float = _TOLERANCE) -> list[list[list[BBox | None]]]:
    """Cell bounding boxes, grouped by table and row, from line segments."""
    edges = [e for e in map(_edge, rulings) if max(e["width"], e["height"]) >= _MIN_EDGE_BEFORE_MERGING]
    edges = merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= _MIN_EDGE]
    cells = intersections_to_cells(edges_to_intersections(edges, tolerance, tolerance))
    return [_rows_of(group) for group in cells_to_tables(cells)]


def _rows_of(cells: list[BBox]) -> list[list[BBox | None]]:
    """The rows of pdfplumber's Table.rows: cells grouped by top, each row on the table's x0 columns (None
    where a row has no cell). pdfplumber's Table wants the page it came from, which a scan does not have."""
    columns = sorted({cell[0] for cell in cells})
    rows = []
    for _, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), key=itemgetter(1)):
        by_x0 = {cell[0]: cell for cell in row_cells}
        rows.append([by_x0.get(x0) for x0 in columns])
    return rows


def horizontal_rules(rulings: Sequence[Ruling]) -> tuple[tuple[float, float, float], ...]:
    """(x0, y, x1) of the horizontal ones: the rows of tables that have no vertical rules."""
    return tuple((x0, (top + bottom) / 2, x1) for x0, top, x1, bottom in rulings
                 if not _is_vertical(x0, top, x1, bottom))


def _is_vertical(x0: float, top: float, x1: float, bottom: float) -> bool:
    return (bottom - top) > (x1 - x0)


def _edge(ruling: Ruling) -> dict:
    x0, top, x1, bottom = ruling
    vertical = _is_vertical(x0, top, x1, bottom)
    if vertical:
        x = (x0 + x1) / 2
        x0 = x1 = x
    else:
        y = (top + bottom) / 2
        top = bottom = y
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": "v" if vertical else "h", "object_type": "line"}


def grid_box(rows: Sequence[Sequence[BBox | None]]) -> BBox | None:
    """The box around a grid's cells (None for a grid without any)."""
    return box_around(box for row in rows for box in row)


def assemble_table(rows: Sequence[Sequence[BBox | None]], words: Sequence[Word]) -> tuple[Table | None, set[int]]:
    """Cell grid + words -> Table; also the indexes of the words it took."""
    box = grid_box(rows)
    if box is None:
        return None, set()
    x0, top, x1, bottom = box
    columns = sorted({b[0] for row in rows for b in row if b})
    rows = [split_spanning_cells(row, columns, words) for row in rows]
    members: dict[tuple[int, int], list[Word]] = {}
    used: set[int] = set()
    for index, word in enumerate(words):
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        for r, cells in enumerate(rows):
            hit = next((c for c, box in enumerate(cells)
                        if box and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]), None)
            if hit is not None:
                members.setdefault((r, hit), []).append(word)
                used.add(index)
                break
    table_rows = tuple(
        tuple(Cell(lines=tuple(group_lines(members.get((r, c), []))), bbox=box)
              for c, box in enumerate(cells))
        for r, cells in enumerate(rows))
    if not any(cell.lines for row in table_rows for cell in row):
        return None, used
    return Table(rows=table_rows, top=top, bbox=(x0, top, x1, bottom)), used


def split_spanning_cells(row: Sequence[BBox | None], columns: Sequence[float],
                         words: Sequence[Word]) -> list[BBox | None]:
    """A cell that spans columns of the grid (`columns`: their left edges, one per place in the
    row) but whose words stand in two or more of them, apart as cells are, is that many cells: a
    header row printed on a band without rules between its cells, or rules the scan lost. A
    heading that spans stays one cell: its words stand in one column's place, or run on across an
    edge with the spacing of words."""
    cells = list(row)
    if len(columns) != len(row):
        return cells
    for index, box in enumerate(row):
        if box is None:
            continue
        end = index + 1
        while end < len(row) and row[end] is None:
            end += 1
        edges = list(columns[index + 1:end])
        if not edges or not all(box[0] < x < box[2] for x in edges):
            continue
        inside = words_in(words, box)
        if any(w.x0 < edge - _TOLERANCE and w.x1 > edge + _TOLERANCE for w in inside for edge in edges):
            continue
        if any(_runs_across(line, edge) for line in word_lines(inside, by_middle=True) for edge in edges):
            continue
        bounds = [box[0], *edges, box[2]]
        filled = {c for w in inside for c in range(len(bounds) - 1)
                  if bounds[c] <= (w.x0 + w.x1) / 2 < bounds[c + 1]}
        if len(filled) < 2:
            continue
        for c in range(len(bounds) - 1):
            cells[index + c] = (bounds[c], box[1], bounds[c + 1], box[3])
    return cells


def _runs_across(line: Sequence[Word], edge: float) -> bool:
    """Two neighbouring words of a line on either side of `edge`, closer than two line heights."""
    for left, right in zip(line, line[1:], strict=False):
        if (left.x0 + left.x1) / 2 < edge <= (right.x0 + right.x1) / 2:
            return right.x0 - left.x1 < 2 * max(left.bottom - left.top, right.bottom - right.top)
    return False


def with_rows_above(grid: Sequence[Sequence[BBox | None]], words: Sequence[Word],
                    rules: Sequence[tuple[float, float, float]] = ()) -> list[list[BBox | None]]:
    """The grid with the rows printed just above it that its rules do not frame: a header on a
    shaded band, or lines the scan lost, over a ruled body. Taken are the lines that follow one
    another without a gap of a line's height up from the grid's top, inside its width, no word
    (of those the OCR is sure of) across one of its column edges, when the topmost of them fills
    two or more columns (a header names its columns; a caption does not). The page's horizontal
    rules over half the grid's width divide them into rows; without one they are one row.
    `words`: those of no grid."""
    rows = [list(row) for row in grid]
    box = grid_box(rows)
    if box is None:
        return rows
    left, top, right, _ = box
    full = max(rows, key=lambda row: sum(cell is not None for cell in row))
    spans = [(cell[0], cell[2]) for cell in full if cell]
    edges = [x1 for _, x1 in spans[:-1]]
    taken: list[list[Word]] = []
    reach = top
    for line in sorted(word_lines(w for w in words if w.bottom <= top + _TOLERANCE),
                       key=lambda line: -max(w.bottom for w in line)):
        height = max(w.bottom - w.top for w in line)
        if max(w.bottom for w in line) < reach - height:
            break
        sure = [w for w in line if w.is_sure]     # an OCR speck beside the grid or a guessed box is no line
        if any(w.x0 < left - _TOLERANCE or w.x1 > right + _TOLERANCE for w in sure) or any(
                w.x0 < edge - _TOLERANCE and w.x1 > edge + _TOLERANCE for w in sure for edge in edges):
            break
        taken.append(line)
        reach = min(reach, min(w.top for w in line))
    if not taken:
        return rows
    block_top = reach - 1.0
    cuts = sorted(y for x0, y, x1 in rules if block_top < y < top - _TOLERANCE
                  and min(x1, right) - max(x0, left) > (right - left) / 2)
    bounds = [block_top, *cuts, top]
    first_row = [w for line in taken for w in line if w.top < bounds[1]]
    filled = {c for w in first_row for c, (x0, x1) in enumerate(spans) if x0 <= (w.x0 + w.x1) / 2 < x1}
    if len(filled) < 2:
        return rows
    above = [[(cell[0], upper, cell[2], lower) if cell else None for cell in full]
             for upper, lower in zip(bounds, bounds[1:], strict=False) if lower - upper > 1.0]
    return [*above, *rows]


def assemble_tables(grids: Sequence[Sequence[Sequence[BBox | None]]],
                    words: Sequence[Word]) -> tuple[list[Table], set[int]]:
    tables, used = [], set()
    for grid in grids:
        table, taken = assemble_table(grid, words)
        used |= taken
        if table is not None:
            tables.append(table)
    return tables, used
