"""Stage 3 entry point: walk the repaired pages in reading order and build the ParsedPlan."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from core.records import Block, Cell, ExtractedDocument, ParsedBudgetLine, ParsedPlan, Table
from parsers.activities import ActivityAssembler
from parsers.budget import (
    budget_header_row,
    budget_row_of_line,
    budget_rows_of_lines,
    carried_rows,
    is_budget_heading,
    looks_like_amounts,
    parse_budget_table,
    repeats_header,
)
from parsers.columns import is_month_grid
from parsers.loose_blocks import LooseBlockTables
from parsers.metadata import doc_type_of, find_county_mentions, find_organisations, find_title, years_of

_NEARBY_BLOCKS = 3   # blocks before a table where a sentence may state its unit
_FURNITURE_WORDS = 4  # a block of at most this many words may be a page's footer or running header


def reading_order(doc: ExtractedDocument) -> Iterator[tuple[int, Block | Table]]:
    for page in doc.pages:
        items: list[tuple[float, int, Block | Table]] = [(b.top, 0, b) for b in page.blocks]
        items += [(t.top, 1, t) for t in page.tables]
        for _, _, item in sorted(items, key=lambda entry: (entry[0], entry[1])):
            yield page.page_no, item


def parse_document(doc: ExtractedDocument) -> ParsedPlan:
    title = find_title(doc.pages)
    year_from, year_to = years_of(title)
    organisations = find_organisations(title, doc.pages)
    assembler = ActivityAssembler(default_year=year_from)
    loose = LooseBlockTables(default_year=year_from)
    heading_text = ""
    budget: list[ParsedBudgetLine] = []
    budget_text: list[str] | None = None      # lines of a budget printed as text, after a 'Budget' heading
    budget_page = None
    recent: deque[str] = deque(maxlen=_NEARBY_BLOCKS)
    held: list[list[str]] = []    # amount rows of a grid the next grid may finish as a budget
    held_page, held_over_break = 0, False   # where they are; only page furniture (a footer) since
    open_budget: _OpenBudget | None = None   # the last budget table, which may go on on the next page
    unread: list[str] = []        # tables that are neither activities, a budget nor a schedule
    table_count = 0
    for page_no, item in reading_order(doc):
        if isinstance(item, Block):
            if held and len(item.text.split()) <= _FURNITURE_WORDS:
                held_over_break = True     # 'Sida 1 av 3': the budget may go on on the next page
            else:
                held = []
            recent.append(item.text)
            assembler.heading(item.text)
            loose.block(item.text, page_no)
            lines = [line.text for line in item.lines]
            if budget_text is not None:
                if any(budget_row_of_line(line) for line in lines) or len(lines) <= 2:
                    budget_text += lines
                    continue
                budget += _text_budget(budget, budget_text, budget_page, year_from)
                budget_text = None
            if is_budget_heading(item.text):
                budget_text, budget_page = [item.text], page_no   # the heading may give year and unit
            heading_text = item.text
            continue
        rows = item.texts()
        if not rows:
            continue
        table_count += 1
        if is_month_grid(rows[0]):
            assembler.close()
            continue
        if assembler.table(rows, page_no, item.column_edges()):
            continue
        budget_rows = _one_row_per_line(item)
        if held and len(held[0]) == len(budget_rows[0]) and (
                not held_over_break or page_no == held_page + 1):
            # one budget, drawn as two grids (zebra bands), or over a page break under the header
            # the next page repeats (the scan lost it on the first)
            header_row = budget_header_row(budget_rows)
            budget_rows = (budget_rows[:header_row + 1] + held + budget_rows[header_row + 1:]
                           if header_row is not None else held + budget_rows)
        # the budget of the page before, where this table may go on under its header and section
        before = open_budget if (open_budget is not None and page_no == open_budget.page_no + 1
                                 and len(budget_rows[0]) == open_budget.width
                                 and looks_like_amounts(budget_rows)) else None
        header_row = budget_header_row(budget_rows)
        if (before is not None and header_row is not None and header_row + 1 < len(budget_rows)
                and repeats_header(before.carried, budget_rows[header_row])):
            # its header repeated (years OCR may have damaged): the rows below it go on
            budget_rows = budget_rows[header_row + 1:]
            header_row = budget_header_row(budget_rows)
        if before is not None and header_row is None:
            # a budget's header is not repeated on the next page: the rows go on under the header
            # (and the section) they had on the page before
            table_budget = parse_budget_table([*before.carried, *budget_rows], page_no, before.heading,
                                              default_year=year_from, start_ordinal=len(budget) + 1,
                                              nearby=before.nearby)
            open_budget = None
        else:
            table_budget = parse_budget_table(budget_rows, page_no, heading_text, default_year=year_from,
                                              start_ordinal=len(budget) + 1, nearby=tuple(recent))
            if table_budget:
                open_budget = _OpenBudget(page_no, len(budget_rows[0]), carried_rows(budget_rows), heading_text,
                                          tuple(recent))
        held = budget_rows if not table_budget and looks_like_amounts(budget_rows) else []
        held_page, held_over_break = page_no, False
        if table_budget:
            budget += table_budget
            assembler.close()
        elif not held and len(rows) >= 2:
            header = " | ".join(_short(cell) for cell in rows[0])
            unread.append(f"page {page_no}: table with {len(rows[0])} columns not recognised: {header}")
    if budget_text:
        budget += _text_budget(budget, budget_text, budget_page, year_from)
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


def _one_row_per_line(table: Table) -> list[list[str]]:
    """A table's rows; a row whose label cell holds several lines, and whose other cells' lines each
    stand level with one of them (a grid with no rules between its rows), is a row per label line,
    as a budget prints one."""
    rows: list[list[str]] = []
    for row in table.rows:
        split = _split_by_label_lines(row) if row and len(row[0].lines) > 1 else None
        rows += split if split is not None else [[cell.text for cell in row]]
    return rows


def _split_by_label_lines(row: tuple[Cell, ...]) -> list[list[str]] | None:
    labels = row[0].lines
    tolerance = 0.5 * min((line.bottom - line.top) if line.bottom else 10.0 for line in labels)
    split = [[line.text] + [""] * (len(row) - 1) for line in labels]
    several = False
    for column, cell in enumerate(row[1:], start=1):
        several = several or len(cell.lines) > 1
        for line in cell.lines:
            level = next((n for n, label in enumerate(labels) if abs(label.top - line.top) <= tolerance), None)
            if level is None or split[level][column]:
                return None
            split[level][column] = line.text
    return split if several else None


def _text_budget(found: list[ParsedBudgetLine], lines: list[str], page_no: int | None,
                 default_year: int | None) -> list[ParsedBudgetLine]:
    """A budget printed as lines of text ('Intäkter 1867 789', …) when no ruled table holds it."""
    if found:
        return []
    rows = budget_rows_of_lines(lines)
    first = next((i for i, line in enumerate(lines) if budget_row_of_line(line)), 0)
    parsed = parse_budget_table(rows, page_no, " ".join(lines[:first]), default_year=default_year,
                                start_ordinal=1) if rows else None
    return parsed or []
