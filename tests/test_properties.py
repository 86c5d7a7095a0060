"""Property tests: the parsers never raise on arbitrary input, and round-trip where they can."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.records import Word
from extractors.tables import assemble_table, grids_from_rulings
from normalizers.amounts import parse_amount
from normalizers.periods import parse_period
from parsers.activities import ActivityAssembler
from parsers.budget import parse_budget_table

SWEDISH = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), max_size=60)


@given(SWEDISH)
def test_amount_parser_never_raises(text):
    parse_amount(text)


def _grouped(n: int, separator: str) -> str:
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return separator.join(groups)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", "\u00a0", ".", ""]))
def test_amounts_round_trip(n, separator):
    printed = _grouped(n, separator)
    assert parse_amount(printed) == n
    assert parse_amount(f"{printed} kr") == n
    if n:
        assert parse_amount(f"-{printed}") == -n
        assert parse_amount(f"−{printed}") == -n
        assert parse_amount(f"({printed})") == -n


@given(SWEDISH, st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
def test_period_parser_never_raises_and_orders_dates(text, plan_year):
    period = parse_period(text, plan_year)
    if period is not None and period.start and period.end:
        assert period.start <= period.end


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=0, max_value=5),
       st.sampled_from(["januari", "Feb", "mars", "april", "maj", "juni", "juli", "aug", "september", "okt", "nov", "december"]))
def test_month_spans_round_trip(year, extra_years, month):
    period = parse_period(f"{month} {year}-{month} {year + extra_years}", None)
    assert period.start.year == year and period.end.year == year + extra_years
    assert period.start.month == period.end.month


BOX = st.tuples(st.floats(0, 500), st.floats(0, 800), st.floats(0, 500), st.floats(0, 800)).map(
    lambda b: (min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])))
WORDS = st.lists(st.builds(lambda text, box: Word(text, box[0], box[1], box[2], box[3]),
                           st.text(alphabet="abcåäöÅÄÖ019.,-", min_size=1, max_size=8), BOX), max_size=40)


@settings(max_examples=200)
@given(st.lists(st.lists(st.one_of(st.none(), BOX), min_size=1, max_size=6), max_size=6), WORDS)
def test_table_assembler_places_each_word_once(grid, words):
    table, used = assemble_table(grid, words)
    assert used <= set(range(len(words)))
    if table is not None:
        placed = sum(len(line.text.split()) for row in table.rows for cell in row for line in cell.lines)
        assert placed >= len(used)


@settings(max_examples=200)
@given(st.lists(BOX, max_size=30))
def test_grids_from_any_rulings(segments):
    for grid in grids_from_rulings(segments):
        for row in grid:
            for cell in row:
                assert cell is None or (cell[0] <= cell[2] and cell[1] <= cell[3])


ROWS = st.lists(st.lists(st.sampled_from(["", "Aktivitet", "Tid", "Ansvar", "2021", "Våren 2022", "Intäkter",
                                          "Kostnader", "1 083", "(45)", "Summa", "x"]), min_size=1, max_size=5),
                min_size=1, max_size=12)


@given(ROWS, st.integers(min_value=1, max_value=3))
def test_table_parsers_never_raise(rows, page_no):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    assembler = ActivityAssembler(default_year=2021)
    assembler.table(rows, page_no)
    assembler.table(rows, page_no + 1)
    parse_budget_table(rows, page_no, "Budget (tkr)", default_year=2021)


@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=127), st.sampled_from("åäöÅÄÖéÉ")), max_size=80))
def test_clean_text_skipping_plain_swedish_is_what_ftfy_would_do(text):
    """ASCII and Swedish letters skip ftfy (most of a page's cells); ftfy would have left them as they are."""
    import ftfy

    from pipeline.repair import _FTFY, clean_text
    assert clean_text(text) == (ftfy.fix_text(text, _FTFY) if text else text)

