"""Activity tables of any column layout -> ParsedActivity records, across page breaks.

Rules (from the plans in tests/fixtures): header rows repeated on each page are skipped; a row
whose title cell is empty, or the first row after a page break that lacks the timing its
predecessor has, continues the activity above; a row with only its title cell filled is a section
('Tillsynsprojekt') that sets `category`; a year heading ('Aktiviteter 2022') sets `plan_year`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.records import ParsedActivity
from parsers.columns import is_placeholder, map_header, year_heading


@dataclass
class _Draft:
    """An activity while its rows are still coming (a row broken by a page break adds to it)."""
    fields: dict[str, str | int | None]

    def get(self, name: str) -> str | int | None:
        return self.fields.get(name)

    def freeze(self) -> ParsedActivity:
        return ParsedActivity(**self.fields)  # type: ignore[arg-type]


@dataclass
class _OpenTable:
    mapping: dict[int, str]
    width: int
    page_no: int
    activities: list[_Draft] = field(default_factory=list)


class ActivityAssembler:
    """Fed headings and tables in reading order; collects the plan's activities."""

    def __init__(self, default_year: int | None):
        self.year = default_year
        self.category: str | None = None
        self._drafts: list[_Draft] = []
        self._open: _OpenTable | None = None

    @property
    def activities(self) -> list[ParsedActivity]:
        """The activities found so far, in document order."""
        return [draft.freeze() for draft in self._drafts]

    def heading(self, text: str) -> None:
        year = year_heading(text)
        if year is not None:
            self.year = year
            self.category = None
            self._open = None

    def close(self) -> None:
        """A table that is not an activity table ends the one before it."""
        self._open = None

    def table(self, rows: list[list[str]], page_no: int) -> bool:
        """Take a table if it is (a part of) an activity table; say whether it was."""
        if not rows:
            return False
        mapping = map_header(rows[0])
        previous = self._open
        if mapping is not None:
            # The same header again means the table goes on after a page break (or its export's blank line).
            continues = previous is not None and previous.mapping == mapping
            body = rows[1:]
        elif previous is not None and len(rows[0]) == previous.width and page_no > previous.page_no:
            mapping, continues, body = previous.mapping, True, rows
        else:
            return False
        if continues:
            assert previous is not None   # only an open table continues
            previous.page_no = page_no
            table = previous
        else:
            table = self._open = _OpenTable(mapping=mapping, width=len(rows[0]), page_no=page_no)
        self._rows(body, table, page_break=continues)
        return True

    def _rows(self, rows: list[list[str]], table: _OpenTable, page_break: bool) -> None:
        at_break = page_break
        for row in rows:
            if not any(row):
                continue
            if map_header(row) == table.mapping:
                at_break = True
                continue
            values = {name: row[i] for i, name in table.mapping.items() if i < len(row) and row[i]}
            filled = [text for text in row if text]
            title = values.get("title")
            if title is not None and filled == [title]:
                if not is_placeholder(title):
                    self.category = title
                at_break = False
                continue
            if title is not None and is_placeholder(title):
                at_break = False
                continue
            if table.activities and self._continues(values, table, at_break):
                _merge(table.activities[-1], values, self._page)
            elif title is not None:
                activity = _Draft({"ordinal": len(self._drafts) + 1, "title": title, "plan_year": self.year,
                                   "category": self.category, "page_from": self._page, "page_to": self._page})
                _merge(activity, {k: v for k, v in values.items() if k != "title"}, self._page)
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


def _merge(activity: _Draft, values: dict[str, str], page_no: int | None) -> None:
    for name, text in values.items():
        current = activity.get(name)
        activity.fields[name] = f"{current} {text}" if current else text
    if page_no is not None:
        page_to = activity.get("page_to")
        activity.fields["page_to"] = max(page_to if isinstance(page_to, int) else page_no, page_no)
