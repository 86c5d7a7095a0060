"""Stage 3 entry point: walk the repaired pages in reading order and build the ParsedPlan."""
from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace

from core.records import Block, Box, Cell, ExtractedDocument, ParsedBudgetLine, ParsedPlan, Table, box_around
from normalizers.fold import collapse_spaces
from parsers.activities import ActivityAssembler
from parsers.budget import (
    Place,
    budget_header_row,
    budget_row_of_line,
    budget_rows_of_lines,
    carried_rows,
    is_budget_heading,
    looks_like_amounts,
    parse_budget_table,
    repeats_header,
    text_after_amounts,
)
from parsers.columns import FURNITURE_WORDS, is_month_grid
from parsers.loose_blocks import LooseBlockTables
from parsers.metadata import doc_type_of, find_county_mentions, find_organisations, find_title, years_of

_MARGIN = 0.08      # of a page's height: where its running header and footer stand
_NEARBY_BLOCKS = 3   # blocks before a table where a sentence may state its unit


def reading_order(doc: ExtractedDocument) -> Iterator[tuple[int, Block | Table]]:
    for page in doc.pages:
        items: list[tuple[float, int, Block | Table]] = [(b.top, 0, b) for b in page.blocks]
        items += [(t.top, 1, t) for t in page.tables]
        for _, _, item in sorted(items, key=lambda entry: (entry[0], entry[1])):
            yield page.page_no, item


def running_texts(doc: ExtractedDocument) -> frozenset[str]:
    """The lines that stand in the top or bottom margin of two pages or more: the document's running
    header and footer ('Miljösamverkan Kalmar län   Länsstyrelsen i Kalmar län')."""
    pages_of: Counter[str] = Counter()
    for page in doc.pages:
        if not page.height:
            continue
        texts = {collapse_spaces(block.text) for block in page.blocks
                 if block.top < _MARGIN * page.height or block.top > (1 - _MARGIN) * page.height}
        pages_of.update(texts)
    return frozenset(text for text, pages in pages_of.items() if pages >= 2)


def without_running_rows(table: Table, running: frozenset[str]) -> Table:
    """The table less a first or last row that is the running header or footer: a table found on a
    scan may take in the line above it."""
    def running_row(row: tuple[Cell, ...]) -> bool:
        return collapse_spaces(" ".join(cell.text for cell in row)) in running
    rows = list(table.rows)
    while rows and running_row(rows[0]):
        rows = rows[1:]
    while rows and running_row(rows[-1]):
        rows = rows[:-1]
    return table if len(rows) == len(table.rows) else replace(table, rows=tuple(rows))


def parse_document(doc: ExtractedDocument) -> ParsedPlan:
    title = find_title(doc.pages)
    year_from, year_to = years_of(title)
    organisations = find_organisations(title, doc.pages)
    assembler = ActivityAssembler(default_year=year_from)
    loose = LooseBlockTables(default_year=year_from)
    heading_text = ""
    budget: list[ParsedBudgetLine] = []
    budget_text: list[str] | None = None      # lines of a budget printed as text, after a 'Budget' heading
    budget_text_places: list[Place] = []
    budget_page = None
    recent: deque[str] = deque(maxlen=_NEARBY_BLOCKS)
    held: list[list[str]] = []    # amount rows of a grid the next grid may finish as a budget
    held_places: list[Place] = []
    held_page, held_over_break = 0, False   # where they are; only page furniture (a footer) since
    open_budget: _OpenBudget | None = None   # the last budget table, which may go on on the next page
    unread: list[str] = []        # tables that are neither activities, a budget nor a schedule
    table_count = 0
    running = running_texts(doc)
    for page_no, item in reading_order(doc):
        if isinstance(item, Block):
            if held and len(item.text.split()) <= FURNITURE_WORDS:
                held_over_break = True     # 'Sida 1 av 3': the budget may go on on the next page
            else:
                held = []
            recent.append(item.text)
            assembler.heading(item.text)
            loose.block(item.text, page_no, item.box)
            lines = [line.text for line in item.lines]
            if budget_text is not None:
                if any(budget_row_of_line(line) for line in lines) or len(lines) <= 2:
                    budget_text += lines
                    budget_text_places += [(page_no, line.box) for line in item.lines]
                    continue
                budget += _text_budget(budget, budget_text, budget_text_places, budget_page, year_from)
                budget_text = None
            if is_budget_heading(item.text):
                # the heading may give year and unit
                budget_text, budget_text_places, budget_page = [item.text], [(page_no, item.box)], page_no
            heading_text = item.text
            continue
        item = without_running_rows(item, running)
        rows = item.texts()
        if not rows:
            continue
        table_count += 1
        if is_month_grid(rows[0]):
            assembler.close()
            continue
        if assembler.table(rows, page_no, item.column_edges(), item.row_boxes()):
            continue
        budget_rows, places = _one_row_per_line(item, page_no)
        if held and len(held[0]) == len(budget_rows[0]) and (
                not held_over_break or page_no == held_page + 1):
            # one budget, drawn as two grids (zebra bands), or over a page break under the header
            # the next page repeats (the scan lost it on the first)
            header_row = budget_header_row(budget_rows)
            cut = header_row + 1 if header_row is not None else 0
            budget_rows = budget_rows[:cut] + held + budget_rows[cut:]
            places = places[:cut] + held_places + places[cut:]
        # the budget of the page before, where this table may go on under its header and section
        before = open_budget if (open_budget is not None and page_no == open_budget.page_no + 1
                                 and len(budget_rows[0]) == open_budget.width
                                 and looks_like_amounts(budget_rows)) else None
        header_row = budget_header_row(budget_rows)
        if (before is not None and header_row is not None and header_row + 1 < len(budget_rows)
                and repeats_header(before.carried, budget_rows[header_row])):
            # its header repeated (years OCR may have damaged): the rows below it go on
            budget_rows, places = budget_rows[header_row + 1:], places[header_row + 1:]
            header_row = budget_header_row(budget_rows)
        if before is not None and header_row is None:
            # a budget's header is not repeated on the next page: the rows go on under the header
            # (and the section) they had on the page before
            table_budget = parse_budget_table([*before.carried, *budget_rows], page_no, before.heading,
                                              default_year=year_from, start_ordinal=len(budget) + 1,
                                              nearby=before.nearby,
                                              places=[(None, None)] * len(before.carried) + places)
            open_budget = None
        else:
            table_budget = parse_budget_table(budget_rows, page_no, heading_text, default_year=year_from,
                                              start_ordinal=len(budget) + 1, nearby=tuple(recent), places=places)
            if table_budget:
                open_budget = _OpenBudget(page_no, len(budget_rows[0]), carried_rows(budget_rows), heading_text,
                                          tuple(recent))
        held = budget_rows if not table_budget and looks_like_amounts(budget_rows) else []
        held_places = places if held else []
        held_page, held_over_break = page_no, False
        if table_budget:
            budget += table_budget
            assembler.close()
            for line in text_after_amounts(budget_rows):
                assembler.heading(line)
        elif not held and len(rows) >= 2:
            header = " | ".join(_short(cell) for cell in rows[0])
            unread.append(f"page {page_no}: table with {len(rows[0])} columns not recognised: {header}")
    if budget_text:
        budget += _text_budget(budget, budget_text, budget_text_places, budget_page, year_from)
    activities = assembler.activities
    activities += loose.finish(len(activities) + 1, year_from)
    return ParsedPlan(
        sha256=doc.sha256,
        source_path=doc.source_path,
        file_name=doc.file_name,
        page_count=doc.page_count,
        title=title,
        doc_type=doc_type_of(title),
        year_from=year_from,
        year_to=year_to,
        warnings=(*doc.warnings, *unread),
        table_count=table_count,
        organisations=tuple(organisations),
        county_mentions=tuple(find_county_mentions(organisations, doc.pages)),
        activities=tuple(activities),
        budget_lines=tuple(budget),
    )


@dataclass(frozen=True)
class _OpenBudget:
    page_no: int
    width: int
    carried: list[list[str]]     # its header and last section heading (parsers.budget.carried_rows)
    heading: str
    nearby: tuple[str, ...]


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _one_row_per_line(table: Table, page_no: int) -> tuple[list[list[str]], list[Place]]:
    """A table's rows, and where each stands; a row whose label cell holds several lines, and whose
    other cells' lines each stand level with one of them (a grid with no rules between its rows), is
    a row per label line, as a budget prints one."""
    rows: list[list[str]] = []
    places: list[Place] = []
    for row, box in zip(table.rows, table.row_boxes(), strict=True):
        split = _split_by_label_lines(row) if row and len(row[0].lines) > 1 else None
        if split is None:
            rows.append([cell.text for cell in row])
            places.append((page_no, box))
            continue
        for texts, band in split:   # the band of each label line, across the row
            rows.append(texts)
            places.append((page_no, (box[0], band[1], box[2], band[3]) if box and band else band))
    return rows, places


def _split_by_label_lines(row: tuple[Cell, ...]) -> list[tuple[list[str], Box | None]] | None:
    """The row a line per label line, each with the box around its lines; None if the row is one."""
    labels = row[0].lines
    tolerance = 0.5 * min((line.bottom - line.top) if line.bottom else 10.0 for line in labels)
    split = [[line.text] + [""] * (len(row) - 1) for line in labels]
    bands: list[list[Box | None]] = [[line.box] for line in labels]
    several = False
    for column, cell in enumerate(row[1:], start=1):
        several = several or len(cell.lines) > 1
        for line in cell.lines:
            level = next((n for n, label in enumerate(labels) if abs(label.top - line.top) <= tolerance), None)
            if level is None or split[level][column]:
                return None
            split[level][column] = line.text
            bands[level].append(line.box)
    return list(zip(split, map(box_around, bands), strict=True)) if several else None


def _text_budget(found: list[ParsedBudgetLine], lines: list[str], places: list[Place], page_no: int | None,
                 default_year: int | None) -> list[ParsedBudgetLine]:
    """A budget printed as lines of text ('Intäkter 1867 789', …) when no ruled table holds it."""
    if found:
        return []
    numbered = budget_rows_of_lines(lines)
    first = next((i for i, line in enumerate(lines) if budget_row_of_line(line)), 0)
    parsed = parse_budget_table([row for _, row in numbered], page_no, " ".join(lines[:first]),
                                default_year=default_year, start_ordinal=1,
                                places=[places[index] for index, _ in numbered]) if numbered else None
    return parsed or []
