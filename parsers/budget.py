"""Budget tables -> ParsedBudgetLine records: section, label, amount as printed, year, unit, totals."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from functools import lru_cache

from core.records import Box, ParsedBudgetLine
from core.reference import reference_json
from normalizers.amounts import parse_amount, unit_multipliers, unit_words
from normalizers.fold import collapse_spaces, fold

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ALIKE = 0.7    # difflib ratio of a header cell OCR damaged to the same cell printed on the page before

Place = tuple[int | None, Box | None]   # the page a row stands on and its box there, where they are known


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    data = reference_json("parsers", "budget.json")
    return {key: [fold(w) for w in value] for key, value in data.items() if not key.startswith("_")}


def looks_like_amounts(rows: list[list[str]]) -> bool:
    """Rows of labels and amounts (a part of a budget whose label words are in another part)."""
    return sum(1 for row in rows if row and row[0] and any(_is_amount(c) for c in row[1:])) >= 2


def _mentions_any(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", folded) for w in words)


def _starts_with_any(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return any(re.match(re.escape(w) + r"(?!\w)", folded) for w in words)


@lru_cache(maxsize=1)
def _unit_patterns() -> list[tuple[re.Pattern[str], int]]:
    return [(re.compile(r"(?<!\w)" + re.escape(fold(word)) + r"(?!\w)"), multiplier)
            for word, multiplier in unit_multipliers()]


def unit_multiplier(text: str) -> int | None:
    """1000 when the text says the amounts are in tkr, 1 for kronor, None when it says nothing."""
    folded = fold(text)
    return next((multiplier for pattern, multiplier in _unit_patterns() if pattern.search(folded)), None)


def is_budget_heading(text: str) -> bool:
    """'Budget', '5. Budget', 'Budget 2026': the heading over a budget."""
    headings = "|".join(re.escape(w) for w in _words()["budget_headings"])
    # 'Budget 2022 (tkr)', 'Ekonomi – belopp i tkr': a unit may follow
    phrases = "|".join(re.escape(w) for w in _words()["unit_phrases"])
    unit = rf"(?:\s*\([^)]*\)|\s*[-–:]\s*(?:{phrases})\s+\w+)?"
    return bool(re.fullmatch(rf"(?:\d+(?:\.\d+)*\.?\s*)?(?:{headings})(?:\s+(?:19|20)\d{{2}})?{unit}\s*", fold(text)))


_LEADER = re.compile(r"\s*(?:[.…·]\s*){3,}:?\s*$")    # 'Administration ........' -> 'Administration'
_COLON_IN_NUMBER = re.compile(r"(?<=\d)[:;](?=\d{3}\b)")   # '1:991 502 kr': OCR's colon for a space


@lru_cache(maxsize=1)
def _line_amount() -> re.Pattern[str]:
    """'Medlemsavgifter: 1 660 199 kr': a label (a colon after it, or the semicolon OCR makes of
    one), then the amount, with its unit where the plan prints one after each amount."""
    return re.compile(rf"^(?P<label>.*?[^\W\d_].*?)[:;]?\s+(?P<amount>[-−–]?\d{{1,4}}(?:[ \u00a0]\d{{3}})*"
                      rf"{_unit_after()})$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _leading_year() -> re.Pattern[str]:
    """'2026 550 699 kr': a year stuck in front of the amount."""
    return re.compile(rf"^((?:19|20)\d{{2}})\s+(\d{{1,3}}(?:[ \u00a0]\d{{3}})+{_unit_after()})$", re.IGNORECASE)


def _unit_after() -> str:
    return rf"(?:\s*(?:{unit_words()})\.?)?"


def budget_row_of_line(line: str) -> list[str] | None:
    """'Kommunal medel 912 789' -> ['Kommunal medel', '912 789']; a year stuck to the amount stays in the
    label ('Överskott 2026 550 699' -> ['Överskott 2026', '550 699']); a line without one -> None."""
    match = _line_amount().match(_COLON_IN_NUMBER.sub(" ", line.strip()))
    if not match or len(match.group("label").split()) > 8:
        return None
    label, amount = match.group("label").strip(), match.group("amount")
    stuck = _leading_year().match(amount)
    if stuck:
        label, amount = f"{label} {stuck.group(1)}", stuck.group(2)
    elif _YEAR.fullmatch(amount):
        return None
    return [label, amount]


def budget_rows_of_lines(lines: Sequence[str]) -> list[tuple[int, list[str]]]:
    """Rows of a budget printed as text lines: lines with an amount, and the section words between;
    each with the index of the line it is."""
    words = _words()
    rows = []
    for index, line in enumerate(lines):
        row = budget_row_of_line(line)
        if row is not None:
            rows.append((index, row))
        elif _starts_with_any(line, words["income_headings"] + words["cost_headings"]) and len(line.split()) <= 2:
            rows.append((index, [line.strip(), ""]))
    return rows


def _is_total_label(label: str) -> bool:
    """'SUMMA INTÄKTER', 'Summa', 'Kostnader totalt' are totals; 'Summa inbetalningar från …' is an item."""
    words = _words()
    folded = fold(label).strip(" :.")
    sections = words["income_headings"] + words["cost_headings"]
    for total in words["total_words"]:
        if folded == total:
            return True
        if folded.startswith(total + " "):
            rest = folded[len(total) + 1:]
            return any(rest == s or rest.startswith(s + " ") for s in sections)
        if folded.endswith(" " + total):
            head = folded[: -len(total) - 1]
            return any(head == s for s in sections)
    return False


def _is_amount(text: str) -> bool:
    return bool(text) and parse_amount(text) is not None


def parse_budget_table(rows: list[list[str]], page_no: int | None, heading_text: str,
                       default_year: int | None, start_ordinal: int = 1,
                       nearby: Sequence[str] = (), places: Sequence[Place] = ()) -> list[ParsedBudgetLine] | None:
    """Lines of a budget table, or None if the table is not a budget.

    `heading_text` is the text just before the table (its heading), which may give the year or 'tkr';
    `nearby` the few blocks before it, where a sentence may give the unit ('Alla belopp i tkr') and the
    last may be a header printed over the grid ('Post 2014 Plan 2015 Plan 2016'); `places` where each
    row stands (its page, else `page_no`, and its box), where the source says.
    """
    words = _words()
    labels = [row[0] if row else "" for row in rows]
    if not any(_mentions_any(label, words["income_headings"] + words["cost_headings"]) for label in labels):
        return None
    if sum(1 for row in rows if any(_is_amount(c) for c in row[1:])) < 2:
        return None

    header_index, years = _header(rows)
    header_text = " ".join(rows[header_index]) if header_index is not None else ""
    multiplier = (unit_multiplier(header_text) or unit_multiplier(heading_text)
                  or unit_multiplier(" ".join(nearby)) or 1)
    for text in (*nearby[-1:], heading_text):
        printed = [int(y) for y in _YEAR.findall(text)]
        if not any(years.values()) and header_index is None and len(printed) == len(years) > 1:
            # the header printed over the grid, not in it: 'Post 2014 Plan 2015 Plan 2016'
            years = dict(zip(sorted(years), printed, strict=True))
    if not any(years.values()):
        context_year = _YEAR.search(header_text) or _YEAR.search(heading_text)
        fallback = int(context_year.group(1)) if context_year else default_year
        years = {column: fallback for column in years} or {}

    lines: list[ParsedBudgetLine] = []
    section: str | None = None
    cost_total_seen = False
    for index, row in enumerate(rows):
        if index == header_index or not row:
            continue
        label = _LEADER.sub("", row[0]).strip()
        amounts = {c: row[c] for c in range(1, len(row)) if _is_amount(row[c])}
        if not amounts:
            if _starts_with_any(label, words["income_headings"]):
                section = "income"
            elif _starts_with_any(label, words["cost_headings"]):
                section = "cost"
            continue
        is_total = _is_total_label(label)
        row_section = section
        if fold(label).strip(" :.") in words["income_headings"]:      # 'Intäkter 1867 789': the section total
            row_section, is_total, section = "income", True, "income"
        elif fold(label).strip(" :.") in words["cost_headings"] and section is not None:
            row_section, is_total = "cost", True
        if _starts_with_any(label, words["result_words"]) and (cost_total_seen or section is None):
            row_section, is_total = "result", True
        elif section is None and _starts_with_any(label, words["income_headings"]):
            row_section = "income"
        if row_section == "cost" and is_total:
            cost_total_seen = True
        row_page, row_box = places[index] if index < len(places) else (None, None)
        for column, text in amounts.items():
            lines.append(ParsedBudgetLine(
                ordinal=start_ordinal + len(lines),
                label=label,
                amount_text=text.strip(),
                budget_year=years.get(column, default_year),
                section=row_section,
                is_total=is_total,
                unit_multiplier=unit_multiplier(text) or multiplier,   # '1.033 tkr' says its own unit
                page=row_page if row_page is not None else page_no,
                box=row_box,
            ))
    return _sections_from_totals(lines) or None


def budget_header_row(rows: list[list[str]]) -> int | None:
    """The index of the table's header row (years or a unit over its amount columns), if it has one."""
    return _header(rows)[0]


def carried_rows(rows: list[list[str]]) -> list[list[str]]:
    """The rows of a budget table that its part on the next page goes on under: its header (which
    gives years and unit; without one, the rows above its first amount) and its last section
    heading."""
    words = _words()
    header_index, _ = _header(rows)
    first = header_index + 1 if header_index is not None else next(
        (i for i, row in enumerate(rows) if any(_is_amount(c) for c in row[1:])), len(rows))
    sections = [row for row in rows[first:] if row and not any(_is_amount(c) for c in row[1:])
                and _starts_with_any(row[0], words["income_headings"] + words["cost_headings"])]
    return rows[:first] + sections[-1:]


def text_after_amounts(rows: list[list[str]]) -> list[str]:
    """The rows below a budget table's last amount, each as a line of text: a table found by the
    alignment of its text may run on into the heading and the header line that follow it
    ('1. Aktiviteter under 2014', 'Aktivitet Beskrivning Målgrupp | Tid | Deltagare | Uppföljning')."""
    last = max((i for i, row in enumerate(rows) if any(_is_amount(c) for c in row[1:])), default=len(rows))
    return [" ".join(cell for cell in row if cell) for row in rows[last + 1:] if any(row)]


def repeats_header(previous: list[list[str]], header: list[str]) -> bool:
    """Whether a budget table's header row repeats the header `previous` began with (the table it
    goes on from, on the page before), OCR damage allowed: each pair of cells alike, at least one
    year the same and none different, so that a lost year ('Uttalle017' for 'Utfall 2017') is the
    one the previous header printed and 'Budget 2018' never repeats 'Budget 2017'."""
    old_index = _header(previous)[0] if previous else None
    if old_index is None or len(header) != len(previous[old_index]):
        return False
    same_year = False
    for old, new in zip(previous[old_index], header, strict=True):
        old, new = collapse_spaces(old.lower()), collapse_spaces(new.lower())
        old_years, new_years = _YEAR.findall(old), _YEAR.findall(new)
        if old_years and new_years and old_years != new_years:
            return False
        same_year = same_year or bool(old_years and old_years == new_years)
        if max(len(old), len(new)) > 1 and SequenceMatcher(None, old, new).ratio() < _ALIKE:
            return False
    return same_year


def _sections_from_totals(lines: list[ParsedBudgetLine]) -> list[ParsedBudgetLine]:
    """Lines above the first section heading take the section their total names ('Avgifter …',
    'Projektmedel …', 'Totala intäkter': income), when the table prints no heading row; after the
    income, a total that names no section ('Totalt') closes the costs."""
    words = _words()
    result: list[ParsedBudgetLine] = []
    pending: list[int] = []
    income_seen = False
    for line in lines:
        result.append(line)
        income_seen = income_seen or (line.section == "income" and line.is_total)
        if line.section is not None:
            pending = []
            continue
        pending.append(len(result) - 1)
        section = ("income" if _mentions_any(line.label, words["income_headings"]) else
                   "cost" if _mentions_any(line.label, words["cost_headings"]) or income_seen else None)
        if line.is_total and section is not None:
            for index in pending:
                result[index] = replace(result[index], section=section)
            pending = []
            income_seen = income_seen or section == "income"
    return result


def _header(rows: list[list[str]]) -> tuple[int | None, dict[int, int | None]]:
    """The header row (years per amount column, 'Budget 2021 (tkr)'), if the table has one."""
    width = max(len(row) for row in rows)
    for index, row in enumerate(rows[:3]):
        cells = row[1:]
        if not any(cells):
            continue
        if any(_is_amount(c) and not _YEAR.fullmatch(c.strip()) for c in cells):
            break
        years = {}
        for column in range(1, width):
            text = row[column] if column < len(row) else ""
            match = _YEAR.search(text)
            years[column] = int(match.group(1)) if match else None
        return index, years
    return None, {column: None for column in range(1, width)}
