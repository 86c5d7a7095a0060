"""A header row on a band without rules between its cells is split at the columns of the rows
below; a heading that spans the table stays one cell."""
from __future__ import annotations

from core.records import Word
from extractors.tables import assemble_table

COLUMNS = (60.0, 200.0, 295.0, 405.0, 530.0)   # left edges of four columns, then the right edge


def _grid(spanning_rows: int, body_rows: int) -> list[list[tuple[float, float, float, float] | None]]:
    """Rows 20 pt high; the first `spanning_rows` rows are one cell across, the rest have four."""
    rows = []
    for r in range(spanning_rows + body_rows):
        top, bottom = 100.0 + 20 * r, 120.0 + 20 * r
        if r < spanning_rows:
            rows.append([(COLUMNS[0], top, COLUMNS[-1], bottom), None, None, None])
        else:
            rows.append([(COLUMNS[c], top, COLUMNS[c + 1], bottom) for c in range(4)])
    return rows


def _word(text: str, x0: float, row: int) -> Word:
    return Word(text=text, x0=x0, top=104.0 + 20 * row, x1=x0 + 5.5 * len(text), bottom=114.0 + 20 * row)


def test_a_header_band_without_rules_is_split_at_the_columns_below():
    words = [_word("Område", 64, 0), _word("Tid", 204, 0), _word("Ansvarig", 299, 0), _word("Samverkanspartner", 409, 0),
             _word("Löpande", 64, 1), _word("verksamhet", 108, 1),
             _word("Strategidag", 64, 2), _word("Varje", 204, 2), _word("månad", 234, 2), _word("Samordnaren", 299, 2),
             _word("Kommunerna", 409, 2)]
    table, _ = assemble_table(_grid(2, 1), words)
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["Område", "Tid", "Ansvarig", "Samverkanspartner"],
        ["Löpande verksamhet", "", "", ""],
        ["Strategidag", "Varje månad", "Samordnaren", "Kommunerna"]]


def test_a_heading_running_across_a_column_edge_stays_one_cell():
    words = [_word("Nya", 180, 0), _word("projekt", 202, 0),
             _word("Tillsyn", 64, 1), _word("våren", 204, 1), _word("Samordnaren", 299, 1), _word("Länet", 409, 1)]
    table, _ = assemble_table(_grid(1, 1), words)
    assert [cell.text for cell in table.rows[0]] == ["Nya projekt", "", "", ""]


def test_a_headerless_part_further_down_the_page_on_the_same_columns_goes_on_with_the_table():
    """Rows a scan's table lost between its parts come out as text; the part after them, without a
    header, is still the same table when its columns stand where the table's do."""
    from parsers.activities import ActivityAssembler
    header = ["Aktivitet", "Tid", "Ansvarig"]
    columns = (60.0, 250.0, 400.0)
    for later_columns, expected in ((columns, ["Tillsyn av bassängbad", "Radon i skolor"]),
                                    ((60.0, 180.0, 330.0), ["Tillsyn av bassängbad"])):
        assembler = ActivityAssembler(default_year=2024)
        assert assembler.table([header, ["Tillsyn av bassängbad", "Våren 2024", "Samordnaren"]], 1, columns)
        assembler.heading("Kyltorn och legionella Likvärdig tillsyn hotell")     # a lost row, read as text
        assembler.table([["Radon i skolor", "Q4 2024", "Arbetsgruppen"]], 1, later_columns)
        assert [a.title for a in assembler.activities] == expected


def test_month_grids_as_scans_read_their_headers_are_still_schedules():
    from parsers.columns import is_month_grid
    assert is_month_grid(["Projekt", "Jan Feb", "Mar Apr", "Maj Jun", "Jul Aug", "Sep", "Okt Nov"])
    assert is_month_grid(["Aktivitet 2021", "J", "F", "M", "A", "M", "J", "", "A", "Ss", "(0)", "N", "D"])
    assert not is_month_grid(["Aktivitet", "Tid (jan–mars)", "Ansvarig", "Samverkanspart"])
    assert not is_month_grid(["Nr", "A", "B", "C", "Område"])


def _above_grid_case(lines_above: list[list[tuple[str, float]]], gap: float = 2.0):
    """Words of lines 12 pt apart ending `gap` above a ruled body of two rows on COLUMNS."""
    from extractors.pdf import find_tables
    body = _grid(0, 2)
    grid_top = body[0][0][1]
    words = []
    for n, line in enumerate(reversed(lines_above)):
        bottom = grid_top - gap - 12.0 * n
        words += [Word(text=t, x0=x, top=bottom - 10.0, x1=x + 5.5 * len(t), bottom=bottom) for t, x in line]
    words += [_word("Strategidag", 64, 0), _word("Varje", 204, 0), _word("månad", 234, 0), _word("Samordnaren", 299, 0),
              _word("Kommunerna", 409, 0), _word("Radon", 64, 1), _word("Q4", 204, 1), _word("Gruppen", 299, 1)]
    tables, _ = find_tables(words, [body])
    return [[cell.text for cell in row] for row in tables[0].rows], tables


def test_a_header_printed_above_a_ruled_body_without_rules_of_its_own_is_the_tables_first_row():
    rows, tables = _above_grid_case([[("Aktivitet", 64), ("När", 204), ("Vem", 299), ("Samverkan", 409)],
                                     [("med", 409)]])
    assert len(tables) == 1
    assert rows == [["Aktivitet", "När", "Vem", "Samverkan med"],
                    ["Strategidag", "Varje månad", "Samordnaren", "Kommunerna"],
                    ["Radon", "Q4", "Gruppen", ""]]


def test_a_caption_or_a_paragraph_above_a_grid_stays_text():
    caption, _ = _above_grid_case([[("Tabell", 64), ("1", 100)]])
    assert caption[0][0] == "Strategidag"
    far, _ = _above_grid_case([[("Aktivitet", 64), ("När", 204), ("Vem", 299), ("Samverkan", 409)]], gap=14.0)
    assert far[0][0] == "Strategidag"
    paragraph, _ = _above_grid_case([[("Planen", 64), ("gäller", 190), ("för", 240), ("alla", 290), ("kommuner", 400)]])
    assert paragraph[0][0] == "Strategidag"      # 'gäller' runs across the second column's edge
